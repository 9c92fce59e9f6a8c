// LevitConfig parsing, presets, validation messages, and custom shapes the engine must run: non-224
// sizes, odd token grids, per-stage key dims and ratios, any number of labels.
#include <QtTest/QtTest>

#include <QTemporaryDir>

#include <cmath>
#include <fstream>
#include <utility>
#include <random>

#include "levit/checkpoint.h"
#include "levit/model.h"
#include "levit/safetensors.h"
#include "levit/error.h"
#include "test_support.h"

using namespace levit;

namespace {

QString configError(const std::string& json) {
    try {
        Config::fromJson(json, "my/config.json");
    } catch (const Error& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

// Random weights with Hugging Face names for any config: the names the engine expects are the ones a
// Hugging Face model of that config has.
std::map<std::string, Tensor> randomWeights(const Config& c, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::map<std::string, Tensor> w;
    auto tensor = [&](const std::string& name, std::vector<int64_t> shape, float scale, float offset = 0) {
        Tensor t{shape, {}};
        t.values.resize(t.numel());
        for (float& v : t.values) v = offset + scale * normal(rng);
        w[name] = t;
    };
    auto bn = [&](const std::string& p, int n) {
        tensor(p + ".weight", {n}, 0.1f, 1.0f);
        tensor(p + ".bias", {n}, 0.1f);
        tensor(p + ".running_mean", {n}, 0.1f);
        Tensor var{{n}, std::vector<float>(n, 1.0f)};
        w[p + ".running_var"] = var;
    };
    auto linear = [&](const std::string& p, int in, int out) {
        tensor(p + ".linear.weight", {out, in}, 1.0f / std::sqrt(float(in)));
        bn(p + ".batch_norm", out);
    };
    const int c0 = c.hidden_sizes[0];
    const int widths[5] = {3, c0 / 8, c0 / 4, c0 / 2, c0};
    for (int i = 0; i < 4; ++i) {
        const std::string p = "levit.patch_embeddings.embedding_layer_" + std::to_string(i + 1);
        tensor(p + ".convolution.weight", {widths[i + 1], widths[i], 3, 3}, 1.0f / std::sqrt(9.0f * widths[i]));
        bn(p + ".batch_norm", widths[i + 1]);
    }
    const auto res = c.stageResolutions();
    for (int s = 0; s < c.numStages(); ++s) {
        int l = 0;
        const std::string p = "levit.encoder.stages." + std::to_string(s) + ".layers.";
        const int h = c.hidden_sizes[s], heads = c.num_attention_heads[s], kd = c.key_dim[s];
        const int vd = kd * c.attention_ratio[s];
        for (int d = 0; d < c.depths[s]; ++d) {
            const std::string a = p + std::to_string(l++) + ".module";
            linear(a + ".queries_keys_values", h, heads * (2 * kd + vd));
            linear(a + ".projection", heads * vd, h);
            tensor(a + ".attention_biases", {heads, int64_t(res[s]) * res[s]}, 1.0f);
            const std::string m = p + std::to_string(l++) + ".module";
            linear(m + ".linear_up", h, h * c.mlp_ratio[s]);
            linear(m + ".linear_down", h * c.mlp_ratio[s], h);
        }
        if (c.down_ops[s]) {
            const DownOp& op = *c.down_ops[s];
            const std::string a = p + std::to_string(l++);
            const int out = c.hidden_sizes[s + 1], ovd = op.key_dim * op.attention_ratio;
            linear(a + ".keys_values", h, op.num_heads * (op.key_dim + ovd));
            linear(a + ".queries", h, op.num_heads * op.key_dim);
            linear(a + ".projection", op.num_heads * ovd, out);
            tensor(a + ".attention_biases", {op.num_heads, int64_t(res[s]) * res[s]}, 1.0f);
            const std::string m = p + std::to_string(l++) + ".module";
            linear(m + ".linear_up", out, out * op.mlp_ratio);
            linear(m + ".linear_down", out * op.mlp_ratio, out);
        }
    }
    for (const char* head : {"classifier", "classifier_distill"}) {
        bn(std::string(head) + ".batch_norm", c.hidden_sizes.back());
        tensor(std::string(head) + ".linear.weight", {c.numLabels(), c.hidden_sizes.back()}, 0.1f);
        tensor(std::string(head) + ".linear.bias", {c.numLabels()}, 0.1f);
    }
    return w;
}

}  // namespace

class TestConfig : public QObject {
    Q_OBJECT

private slots:
    void parsesTheGoldenConfigWithTrailingEmptyDownOp() {
        const Config c = Config::fromFile(levit_test::testDataDir() + "/golden/tiny_seed0/config.json");
        QCOMPARE(c.image_size, 96);
        QCOMPARE(c.hidden_sizes, (std::vector<int>{32, 48, 64}));
        QCOMPARE(c.key_dim, (std::vector<int>{8, 12, 16}));
        QCOMPARE(int(c.down_ops.size()), 3);
        QVERIFY(c.down_ops[0] && c.down_ops[1] && !c.down_ops[2]);
        QCOMPARE(c.down_ops[1]->num_heads, 6);
        QCOMPARE(c.numLabels(), 10);
        QCOMPARE(c.id2label[7], std::string("LABEL_7"));
        QCOMPARE(c.stageResolutions(), (std::vector<int>{6, 3, 2, 2}));
    }

    void genericLabelsAreRecognised() {
        Config c = Config::preset("128S", 1000);
        QVERIFY(c.hasGenericLabels());
        c.id2label[998] = "espresso";  // one real name: the config names its classes
        QVERIFY(!c.hasGenericLabels());
        c.id2label = {"LABEL_1", "LABEL_0"};  // generic-looking but not the default order
        QVERIFY(!c.hasGenericLabels());
        c.id2label.clear();
        QVERIFY(!c.hasGenericLabels());
    }

    void hubConfigWithoutTrailingEntryAndWithoutLabels() {
        const Config c = Config::fromJson(
            R"({"model_type":"levit","hidden_sizes":[128,256,384],"num_attention_heads":[4,6,8],"depths":[2,3,4],
                "down_ops":[["Subsample",16,8,4,2,2],["Subsample",16,16,4,2,2]],"num_labels":5})",
            "hub/config.json");
        QCOMPARE(int(c.down_ops.size()), 3);
        QVERIFY(!c.down_ops[2]);
        QCOMPARE(c.numLabels(), 5);
        QCOMPARE(c.stageResolutions(), (std::vector<int>{14, 7, 4, 4}));
    }

    // The parameter counts published with the checkpoints (the LeViT paper and the facebook/levit-* model cards,
    // in millions, both heads included): a preset of the wrong shape cannot match them.
    void presetsHaveThePublishedParameterCounts() {
        const std::pair<const char*, double> published[] = {{"128S", 7.8}, {"128", 9.2}, {"192", 11.0}, {"256", 18.9}, {"384", 39.1}};
        for (const auto& [variant, millions] : published) {
            const double parameters = double(levit::Model::withRandomWeights(Config::preset(variant))->summary().parameters) / 1e6;
            QVERIFY2(std::abs(parameters - millions) < 0.06, qPrintable(QString("levit-%1: %2 M parameters, published %3 M").arg(variant).arg(parameters).arg(millions)));
        }
    }

    void presetsMatchThePublishedShapes() {
        const Config s = Config::preset("levit-128S");
        QCOMPARE(s.num_attention_heads, (std::vector<int>{4, 6, 8}));
        QCOMPARE(s.depths, (std::vector<int>{2, 3, 4}));
        QCOMPARE(Config::preset("384").hidden_sizes, (std::vector<int>{384, 512, 768}));
        // levit-192, 256 and 384 use key_dim 32 (LevitConfig's down_ops follow key_dim[0]), 128S and 128 key_dim 16.
        const Config c192 = Config::preset("192");
        QCOMPARE(c192.key_dim, (std::vector<int>{32, 32, 32}));
        QCOMPARE(c192.down_ops[0]->key_dim, 32);
        QCOMPARE(c192.down_ops[0]->num_heads, 6);
        QCOMPARE(c192.down_ops[1]->num_heads, 9);
        QCOMPARE(Config::preset("128").down_ops[1]->num_heads, 16);
        QCOMPARE(Config::preset("256", 7).numLabels(), 7);
        try {
            Config::preset("512");
            QFAIL("unknown preset accepted");
        } catch (const Error& e) {
            QVERIFY(QString(e.what()).contains("known: 128S, 128, 192, 256, 384"));
        }
    }

    void the128SGoldenConfigEqualsThePreset() {
        const std::string path = levit_test::goldenDir("levit-128S_seed0") + "/config.json";
        LEVIT_REQUIRE_SHARED_PATH(path);
        const Config g = Config::fromFile(path), p = Config::preset("128S");
        QCOMPARE(g.hidden_sizes, p.hidden_sizes);
        QCOMPARE(g.num_attention_heads, p.num_attention_heads);
        QCOMPARE(g.depths, p.depths);
        QCOMPARE(g.down_ops[1]->num_heads, p.down_ops[1]->num_heads);
        QCOMPARE(g.numLabels(), 1000);
    }

    void toJsonRoundTrips() {
        const Config c = Config::fromFile(levit_test::testDataDir() + "/golden/tiny_seed0/config.json");
        const Config back = Config::fromJson(c.toJson(), "roundtrip");
        QCOMPARE(back.hidden_sizes, c.hidden_sizes);
        QCOMPARE(back.key_dim, c.key_dim);
        QCOMPARE(back.id2label, c.id2label);
        QCOMPARE(back.down_ops[0]->key_dim, c.down_ops[0]->key_dim);
        QVERIFY(QString::fromStdString(c.toJson()).contains(R"([
      ""
    ])"));
    }

    void invalidConfigsAreExplained() {
        QVERIFY(configError(R"({"image_size":100})").contains("'image_size' must be a positive multiple of 16 (got 100)"));
        QVERIFY(configError(R"({"depths":[1,1]})").contains("'depths' has 2 entries, but hidden_sizes has 3 stages"));
        QVERIFY(configError(R"({"num_attention_heads":[0,8,12]})").contains("num_attention_heads[0]' must be at least 1"));
        QVERIFY(configError(R"({"id2label":{"0":"a","2":"c"}})").contains("id2label key '2'"));
        QVERIFY(configError(R"({"id2label":{}})").contains("at least one label"));
        QVERIFY(configError("{oops").contains("not valid JSON"));
        QVERIFY(configError(R"({"down_ops":[["Subsample",16,8],["Subsample",16,16,4,2,2]]})").contains("needs 5 numbers"));
        QVERIFY(configError(R"({"down_ops":[["Pool",16,8,4,2,2]]})").contains("unknown operation 'Pool'"));
        QVERIFY(configError(R"({"down_ops":[[""],["Subsample",16,16,4,2,2]]})").contains("no subsample in down_ops[0]"));
        QVERIFY(configError(R"({"patch_size":8})").contains("four 3x3 convolutions"));
        QVERIFY(configError(R"({"hidden_sizes":[36,48,64],"num_attention_heads":[2,2,2]})").contains("divisible by 8"));
        QVERIFY(configError(R"({"model_type":"vit"})").contains("not 'levit'"));
        QVERIFY(configError(R"({"image_size":"big"})").contains("'image_size' must be a whole number"));
        QVERIFY(configError(R"({})").isEmpty());
        QVERIFY(configError(R"({})").isEmpty());
        QVERIFY(configError(R"({"image_size":100})").startsWith("my/config.json: "));
    }

    void preprocessorSettingsAreRead() {
        Config c = Config::preset("128S");
        c.applyPreprocessorJson(R"({"size":{"shortest_edge":160},"crop_size":{"height":160,"width":160},"image_mean":[0.5,0.5,0.5]})",
                                "p.json");
        QCOMPARE(c.preprocess.shortest_edge, 160);
        QCOMPARE(c.preprocess.crop_width, 160);
        QCOMPARE(c.preprocess.image_mean[1], 0.5f);
        // Every PIL filter id is read (2 = bilinear); ids outside 0-5 are refused, naming the file.
        c.applyPreprocessorJson(R"({"resample":2})", "p.json");
        QCOMPARE(c.preprocess.resample, 2);
        try {
            c.applyPreprocessorJson(R"({"resample":7})", "p.json");
            QFAIL("resample 7 accepted");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).startsWith("p.json: ") && QString(e.what()).contains("'resample'"), e.what());
        }
    }

    // Custom shapes: 112 px (odd 7x7 grid -> 4x4 -> 2x2), per-stage key dims and ratios, 3 labels.
    void customConfigRunsAndIsRecoveredFromItsWeights() {
        Config c = Config::preset("128S", 3);
        c.image_size = 112;
        c.hidden_sizes = {48, 96, 144};
        c.num_attention_heads = {2, 3, 4};
        c.depths = {1, 2, 1};
        c.key_dim = {8, 12, 16};
        c.attention_ratio = {2, 3, 4};
        c.mlp_ratio = {2, 3, 2};
        c.down_ops = {DownOp{8, 6, 4, 2, 2}, DownOp{12, 4, 2, 3, 2}, std::nullopt};
        c.preprocess.shortest_edge = c.preprocess.crop_height = c.preprocess.crop_width = 112;
        c.validate("custom");
        QCOMPARE(c.stageResolutions(), (std::vector<int>{7, 4, 2, 2}));
        const auto weights = randomWeights(c, 7);
        auto model = std::make_shared<const Model>(c, weights, "custom");
        Session session(model, 2);
        std::vector<float> pixels(2 * 3 * 112 * 112);
        std::mt19937 rng(1);
        std::uniform_real_distribution<float> u(-2, 2);
        for (float& v : pixels) v = u(rng);
        Probe probe;
        probe.hidden_states = probe.attention = true;
        ProbeResult pr;
        const Output& out = session.run(pixels, 2, probe, &pr);
        QCOMPARE(out.num_labels, 3);
        for (float v : out.logits) QVERIFY(std::isfinite(v));
        QCOMPARE(pr.hidden_states[1].height, 4);
        QCOMPARE(pr.hidden_states[3].channels, 144);
        QCOMPARE(pr.attention[1].queries, 16);  // the first subsample: 7x7 keys -> 4x4 queries
        QCOMPARE(pr.attention[1].keys, 49);

        const Config inferred = inferConfigFromWeights(weights, "custom.safetensors");
        QCOMPARE(inferred.image_size, 112);
        QCOMPARE(inferred.hidden_sizes, c.hidden_sizes);
        QCOMPARE(inferred.depths, c.depths);
        QCOMPARE(inferred.key_dim, c.key_dim);
        QCOMPARE(inferred.attention_ratio, c.attention_ratio);
        QCOMPARE(inferred.mlp_ratio, c.mlp_ratio);
        QCOMPARE(inferred.num_attention_heads, c.num_attention_heads);
        QCOMPARE(inferred.down_ops[1]->key_dim, 12);
        QCOMPARE(inferred.down_ops[1]->attention_ratio, 2);
        QCOMPARE(inferred.down_ops[1]->mlp_ratio, 3);
        QCOMPARE(inferred.numLabels(), 3);
    }

    void goldenConfigsAreInferredFromTheirWeights() {
        const std::string dir = levit_test::testDataDir() + "/golden/tiny_seed0";
        const LoadedCheckpoint ck = loadCheckpoint(dir);
        const Config inferred = inferConfigFromWeights(ck.weights, "tiny");
        QCOMPARE(inferred.image_size, ck.config.image_size);
        QCOMPARE(inferred.hidden_sizes, ck.config.hidden_sizes);
        QCOMPARE(inferred.key_dim, ck.config.key_dim);
        QCOMPARE(inferred.depths, ck.config.depths);
        QCOMPARE(inferred.num_attention_heads, ck.config.num_attention_heads);
        QCOMPARE(inferred.down_ops[0]->num_heads, ck.config.down_ops[0]->num_heads);
        const std::string big = levit_test::goldenDir("levit-128S_seed0") + "/model.safetensors";
        LEVIT_REQUIRE_SHARED_PATH(big);
        // A single weights file: the variant is recognised from the shapes alone.
        const LoadedCheckpoint ck128 = loadCheckpoint(big);
        QCOMPARE(inferConfigFromWeights(ck128.weights, big).name, std::string("levit-128S"));
    }

    void checkpointErrorsNameThePath() {
        QTemporaryDir dir;
        try {
            loadCheckpoint(dir.path().toStdString());
            QFAIL("empty folder accepted");
        } catch (const Error& e) {
            QVERIFY(QString(e.what()).contains("no model.safetensors or pytorch_model.bin in this folder"));
        }
        try {
            loadCheckpoint("/nonexistent/levit");
            QFAIL("missing path accepted");
        } catch (const Error& e) {
            QCOMPARE(QString(e.what()), QString("/nonexistent/levit: no such file or directory"));
        }
        std::map<std::string, Tensor> odd{{"backbone.fc.weight", Tensor{{1}, {1.0f}}}};
        const std::string path = dir.filePath("odd.safetensors").toStdString();
        writeSafeTensors(path, odd);
        try {
            loadCheckpoint(path);
            QFAIL("foreign tensors accepted");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("unexpected tensor 'backbone.fc.weight'"), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestConfig)
#include "test_config.moc"
