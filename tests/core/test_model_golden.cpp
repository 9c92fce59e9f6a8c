// The engine against Hugging Face's own numbers: every golden set's logits, both heads, every hidden state,
// every layer output, the patch-embedding convolutions, the pooled features and the attention-bias tables.
#include <QtTest/QtTest>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "levit/checkpoint.h"
#include "levit/error.h"
#include "levit/npy.h"
#include "test_support.h"

using namespace levit;

namespace {

struct Comparison {
    double max_abs = 0;
    double scale = 0;  // max |reference|
    double relative() const { return scale > 0 ? max_abs / scale : max_abs; }
};

Comparison compare(const std::vector<float>& ours, const std::vector<float>& reference) {
    Comparison c;
    if (ours.size() != reference.size()) {
        c.max_abs = INFINITY;
        return c;
    }
    for (size_t i = 0; i < ours.size(); ++i) {
        c.max_abs = std::max(c.max_abs, std::abs(double(ours[i]) - double(reference[i])));
        c.scale = std::max(c.scale, std::abs(double(reference[i])));
    }
    return c;
}

std::vector<float> npy(const std::string& dir, const std::string& name) { return readNpy(dir + "/npy/" + name).toFloat(); }

// [N, tokens, C] -> [N, C, tokens] to compare HF hidden states with our C x H x W maps.
std::vector<float> tokensToMaps(const NpyArray& a) {
    const std::vector<float> v = a.toFloat();
    const int64_t n = a.shape[0], t = a.shape[1], c = a.shape[2];
    std::vector<float> out(v.size());
    for (int64_t b = 0; b < n; ++b)
        for (int64_t i = 0; i < t; ++i)
            for (int64_t j = 0; j < c; ++j) out[(b * c + j) * t + i] = v[(b * t + i) * c + j];
    return out;
}

std::vector<float> slice(const std::vector<float>& v, int64_t row, int64_t width) {
    return std::vector<float>(v.begin() + row * width, v.begin() + (row + 1) * width);
}

}  // namespace

class TestModelGolden : public QObject {
    Q_OBJECT

    void checkSet(const std::string& dir) {
        LEVIT_REQUIRE_SHARED_PATH(dir);
        const LoadedCheckpoint ck = loadCheckpoint(dir);
        auto model = std::make_shared<const Model>(ck.config, ck.weights, ck.weights_path);
        const NpyArray pixels = readNpy(dir + "/npy/pixel_values.npy");
        const int batch = static_cast<int>(pixels.shape[0]);
        const std::vector<float> input = pixels.toFloat();

        Probe probe;
        probe.hidden_states = probe.layer_outputs = probe.patch_embed_convs = probe.attention = probe.bias_tables = true;
        probe.timings = true;
        ProbeResult pr;
        Session session(model, 1);
        const Output out = session.run(input, batch, probe, &pr);

        for (const char* name : {"logits", "cls_logits", "distillation_logits"}) {
            const std::vector<float>& ours = std::string(name) == "logits" ? out.logits
                                             : std::string(name) == "cls_logits" ? out.cls_logits
                                                                                  : out.distillation_logits;
            const Comparison c = compare(ours, npy(dir, std::string(name) + ".npy"));
            qInfo("%s %s: max abs diff %.3g", dir.c_str(), name, c.max_abs);
            QVERIFY2(c.max_abs <= 1e-4, (std::string(name) + " differ by " + std::to_string(c.max_abs)).c_str());
        }

        // Hidden states: [0] patch embedding, [k] output of stage k-1.
        QCOMPARE(int(pr.hidden_states.size()), model->config().numStages() + 1);
        for (size_t k = 0; k < pr.hidden_states.size(); ++k) {
            const Comparison c = compare(pr.hidden_states[k].values,
                                         tokensToMaps(readNpy(dir + "/npy/hidden_state_" + std::to_string(k) + ".npy")));
            qInfo("hidden_state_%zu: max abs %.3g, relative %.3g", k, c.max_abs, c.relative());
            QVERIFY2(c.relative() <= 1e-4, ("hidden_state_" + std::to_string(k)).c_str());
        }
        QVERIFY(compare(pr.pooled, npy(dir, "pooled.npy")).relative() <= 1e-4);

        for (const TokenTensor& layer : pr.layer_outputs) {
            const Comparison c = compare(layer.values, npy(dir, "layer_" + layer.name + ".npy"));
            QVERIFY2(c.relative() <= 1e-4, (layer.name + " relative diff " + std::to_string(c.relative())).c_str());
        }
        QVERIFY(!pr.layer_outputs.empty());
        for (const FeatureMaps& conv : pr.patch_embed_convs) {
            const Comparison c = compare(conv.values, npy(dir, "layer_patch_embed_" + conv.name + ".npy"));
            QVERIFY2(c.relative() <= 1e-4, (conv.name + " relative diff " + std::to_string(c.relative())).c_str());
        }
        QCOMPARE(int(pr.patch_embed_convs.size()), 4);

        // Bias tables exact, index tables equal to HF's attention_bias_idxs.
        const auto& blocks = model->attentionBlocks();
        QCOMPARE(int(pr.bias_tables.size()), int(blocks.size()));
        for (size_t i = 0; i < blocks.size(); ++i) {
            const std::vector<float> golden = npy(dir, "attn_bias_table_" + blocks[i].name + ".npy");
            QVERIFY2(pr.bias_tables[i].expanded == golden, blocks[i].name.c_str());
            const std::vector<int64_t> idx = readNpy(dir + "/npy/attn_bias_idxs_" + blocks[i].name + ".npy").toInt64();
            QVERIFY2(std::equal(idx.begin(), idx.end(), pr.bias_tables[i].offset_index.begin(),
                                pr.bias_tables[i].offset_index.end()),
                     blocks[i].name.c_str());
        }

        // Attention probabilities are a softmax over keys of content + bias.
        QCOMPARE(pr.attention.size(), blocks.size());
        for (const AttentionMaps& a : pr.attention) {
            const auto& bias = pr.bias_tables[a.block].expanded;
            for (int q = 0; q < a.queries; q += std::max(1, a.queries / 5)) {
                double sum = 0, max_err = 0;
                const size_t row = (size_t(a.heads - 1) * a.queries + q) * a.keys;  // image 0, last head
                double denominator = 0;
                for (int k = 0; k < a.keys; ++k)
                    denominator += std::exp(double(a.content[row + k]) + bias[row + k]);
                for (int k = 0; k < a.keys; ++k) {
                    sum += a.probabilities[row + k];
                    const double expected = std::exp(double(a.content[row + k]) + bias[row + k]) / denominator;
                    max_err = std::max(max_err, std::abs(expected - a.probabilities[row + k]));
                }
                QVERIFY(std::abs(sum - 1.0) < 1e-5);
                QVERIFY(max_err < 1e-5);
            }
        }
        QCOMPARE(int(pr.timings.stage_ms.size()), model->config().numStages());

        // Any batch size: each image alone gives the same logits; two threads give the same logits.
        const int labels = model->config().numLabels();
        const size_t per_image = input.size() / batch;
        Session single(model, 2);
        for (int b = 0; b < batch; ++b) {
            const Output& one = single.run({input.data() + b * per_image, per_image}, 1);
            QVERIFY(compare(one.logits, slice(out.logits, b, labels)).max_abs <= 1e-5);
        }
        const Output& again = single.run(input, batch);
        QVERIFY(compare(again.logits, out.logits).max_abs <= 1e-5);
    }

private slots:
    void tinySeed0() { checkSet(levit_test::testDataDir() + "/golden/tiny_seed0"); }
    void tinySeed1() { checkSet(levit_test::testDataDir() + "/golden/tiny_seed1"); }
    void levit128S() { checkSet(levit_test::goldenDir("levit-128S_seed0")); }

    void hubStyleCheckpointIgnoresBiasIndexBuffers() {
        const std::string dir = levit_test::testDataDir() + "/golden/tiny_seed0";
        auto model = loadModel(dir + "/model_hubstyle.safetensors");
        const std::vector<float> input = npy(dir, "pixel_values.npy");
        Session session(model);
        const int batch = static_cast<int>(input.size() / (3 * 96 * 96));
        const Output& out = session.run(input, batch);
        QVERIFY(compare(out.logits, npy(dir, "logits.npy")).max_abs <= 1e-4);
    }

    void configThatDoesNotMatchTheWeightsIsRejected() {
        const std::string dir = levit_test::testDataDir() + "/golden/tiny_seed0";
        LoadedCheckpoint ck = loadCheckpoint(dir);
        Config wrong = ck.config;
        wrong.depths[1] = 1;  // the weights have two blocks in stage 1
        try {
            Model m(wrong, ck.weights, "tiny/model.safetensors");
            QFAIL("a config with fewer layers than the weights was accepted");
        } catch (const Error& e) {
            const QString msg = e.what();
            QVERIFY2(msg.contains("tiny/model.safetensors") && msg.contains("config does not match weights"),
                     e.what());
        }
        Config wider = ck.config;
        wider.key_dim[0] = 16;
        try {
            Model m(wider, ck.weights, "tiny/model.safetensors");
            QFAIL("a config with another key_dim was accepted");
        } catch (const Error& e) {
            const QString msg = e.what();
            QVERIFY2(msg.contains("has shape") && msg.contains("config does not match weights"), e.what());
        }
        auto weights = ck.weights;
        weights.erase("classifier.linear.bias");
        try {
            Model m(ck.config, weights, "x.safetensors");
            QFAIL("missing tensor accepted");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("missing tensor 'classifier.linear.bias'"), e.what());
        }
    }

    void summaryCountsParametersAndFlops() {
        auto model = loadModel(levit_test::testDataDir() + "/golden/tiny_seed0");
        const ModelSummary s = model->summary();
        // Parameters: every weight, bias and attention-bias table of the checkpoint (no running stats).
        const LoadedCheckpoint ck = loadCheckpoint(levit_test::testDataDir() + "/golden/tiny_seed0");
        int64_t expected = 0;
        for (const auto& [name, t] : ck.weights)
            if (name.find("running_") == std::string::npos) expected += t.numel();
        QCOMPARE(s.parameters, expected);
        QCOMPARE(int(s.stage_gflops.size()), model->config().numStages() + 2);
        QVERIFY(s.total_gflops > 0);
    }
};

QTEST_GUILESS_MAIN(TestModelGolden)
#include "test_model_golden.moc"
