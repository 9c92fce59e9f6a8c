// Every published checkpoint format loads without Python and gives the golden logits: each file in
// ../shared/golden/*/formats/ (HF pytorch_model.bin, timm safetensors) and the tiny fixtures in tests/data
// (official facebookresearch/LeViT {'model': ...} .pth, timm {'state_dict': ...} .pth), alone (config
// inferred) and in folders (config.json, timm's config.json, safetensors preferred over .bin).
#include <QtTest/QtTest>

#include <QTemporaryDir>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "levit/checkpoint.h"
#include "levit/error.h"
#include "levit/npy.h"
#include "levit/safetensors.h"
#include "checkpoint_errors.h"
#include "test_support.h"

using namespace levit;
namespace fs = std::filesystem;

using levit_test::checkpointLoadError;

namespace {

std::string tinySet() { return levit_test::testDataDir() + "/golden/tiny_seed0"; }

// Max |ours - golden| over every logit of the set's pixel_values (logits = average of both heads).
double logitsError(const LoadedCheckpoint& ck, const std::string& set_dir, const char* golden = "logits.npy") {
    auto model = std::make_shared<const Model>(ck.config, ck.weights, ck.weights_path);
    const NpyArray pixels = readNpy(set_dir + "/npy/pixel_values.npy");
    const std::vector<float> input = pixels.toFloat();
    Session session(model, 1);
    const Output& out = session.run(input, int(pixels.shape[0]));
    const std::vector<float> reference = readNpy(set_dir + "/npy/" + golden).toFloat();
    if (out.logits.size() != reference.size()) return INFINITY;
    double worst = 0;
    for (size_t i = 0; i < reference.size(); ++i) worst = std::max(worst, std::abs(double(out.logits[i]) - reference[i]));
    return worst;
}

void copyFile(const std::string& from, const std::string& to) {
    fs::copy_file(from, to, fs::copy_options::overwrite_existing);
}

void writeText(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

}  // namespace

class TestCheckpointFormats : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;

    std::string tmpPath(const std::string& name) { return tmp.filePath(QString::fromStdString(name)).toStdString(); }

    // A lone weights file: layout detected, config inferred to the golden one, golden logits.
    void checkLoneFile(const std::string& file, const std::string& set_dir, const QString& layout) {
        const LoadedCheckpoint ck = loadCheckpoint(file);
        if (!layout.isEmpty()) QCOMPARE(QString::fromStdString(ck.layout), layout);
        QVERIFY2(QString::fromStdString(ck.description).contains("config inferred from tensor shapes"), ck.description.c_str());
        const Config golden = Config::fromFile(set_dir + "/config.json");
        QCOMPARE(ck.config.hidden_sizes, golden.hidden_sizes);
        QCOMPARE(ck.config.depths, golden.depths);
        QCOMPARE(ck.config.num_attention_heads, golden.num_attention_heads);
        QCOMPARE(ck.config.key_dim, golden.key_dim);
        QCOMPARE(ck.config.image_size, golden.image_size);
        QCOMPARE(ck.config.numLabels(), golden.numLabels());
        const double err = logitsError(ck, set_dir);
        qInfo("%s (%s): max |logits - golden| = %.3g", file.c_str(), ck.layout.c_str(), err);
        QVERIFY2(err <= 1e-4, (file + ": logits differ by " + std::to_string(err)).c_str());
    }

private slots:
    void everySharedFormatFileMatchesTheGoldenLogits() {
        const std::string golden = levit_test::sharedDir() + "/golden";
        LEVIT_REQUIRE_SHARED_PATH(golden + "/levit-128S_seed0/formats");
        int checked = 0;
        for (const auto& set : fs::directory_iterator(golden)) {
            if (!fs::is_directory(set.path() / "formats")) continue;
            for (const auto& file : fs::directory_iterator(set.path() / "formats")) {
                const std::string name = file.path().filename().string();
                if (file.path().extension() == ".md") continue;
                // Layout from the file's name where the golden README fixes it; any other file (e.g. the official
                // LeViT-*.pth still to come) only has to give the golden logits in whichever layout it is.
                const QString layout = name.find("timm") != std::string::npos                                ? "timm"
                                       : name.find("official") != std::string::npos || name.rfind("LeViT", 0) == 0 ? "facebookresearch/LeViT"
                                       : name == "pytorch_model.bin" || name == "model.safetensors"               ? "Hugging Face"
                                                                                                                   : QString();
                checkLoneFile(file.path().string(), set.path().string(), layout);
                ++checked;
            }
        }
        QVERIFY2(checked >= 3, "expected at least 128S pytorch_model.bin, timm_model.safetensors, tiny pytorch_model.bin");
    }

    void tinyFixturesInEveryLayoutMatchTheGoldenLogits() {
        checkLoneFile(tinySet() + "/formats/pytorch_model.bin", tinySet(), "Hugging Face");
        checkLoneFile(tinySet() + "/formats/official_model.pth", tinySet(), "facebookresearch/LeViT");
        checkLoneFile(tinySet() + "/formats/timm_checkpoint.pth", tinySet(), "timm");
        checkLoneFile(tinySet() + "/formats/timm_conv_model.pth", tinySet(), "timm");
        QVERIFY(QString::fromStdString(loadCheckpoint(tinySet() + "/formats/official_model.pth").description)
                    .contains("['model']"));
        QVERIFY(QString::fromStdString(loadCheckpoint(tinySet() + "/formats/timm_checkpoint.pth").description)
                    .contains("['state_dict']"));
    }

    void thePickleHoldsTheSameTensorsAsTheSafetensors() {
        const LoadedCheckpoint bin = loadCheckpoint(tinySet() + "/formats/pytorch_model.bin");
        const auto reference = SafeTensorsFile::open(tinySet() + "/model.safetensors")->readAllFloating();
        QCOMPARE(bin.weights.size(), reference.size());
        for (const auto& [name, t] : reference) {
            QVERIFY2(bin.weights.count(name), name.c_str());
            QCOMPARE(bin.weights.at(name).shape, t.shape);
            QVERIFY2(bin.weights.at(name).values == t.values, name.c_str());  // bit-identical
        }
        // The official fixture stores one weight as a transposed (non-contiguous) view.
        const LoadedCheckpoint official = loadCheckpoint(tinySet() + "/formats/official_model.pth");
        const std::string qkv = "levit.encoder.stages.0.layers.0.module.queries_keys_values.linear.weight";
        QVERIFY(official.weights.at(qkv).values == reference.at(qkv).values);
    }

    void sharedImageNetModelsGetImageNetLabels() {
        const std::string file = levit_test::sharedDir() + "/golden/levit-128S_seed0/formats/timm_model.safetensors";
        LEVIT_REQUIRE_SHARED_PATH(file);
        const LoadedCheckpoint ck = loadCheckpoint(file);
        QCOMPARE(ck.config.name, std::string("levit-128S"));
        QCOMPARE(ck.config.numLabels(), 1000);
        QCOMPARE(ck.config.id2label[0], std::string("tench"));
        QCOMPARE(ck.config.id2label[1], std::string("goldfish"));
        QCOMPARE(ck.config.id2label[999], std::string("toilet tissue"));
    }

    void aFolderWithConfigAndPytorchModelBinUsesTheConfig() {
        const std::string dir = tmpPath("hf_bin");
        fs::create_directories(dir);
        copyFile(tinySet() + "/formats/pytorch_model.bin", dir + "/pytorch_model.bin");
        copyFile(tinySet() + "/config.json", dir + "/config.json");
        copyFile(tinySet() + "/preprocessor_config.json", dir + "/preprocessor_config.json");
        const LoadedCheckpoint ck = loadCheckpoint(dir);
        QCOMPARE(ck.weights_path, dir + "/pytorch_model.bin");
        QVERIFY2(QString::fromStdString(ck.description).contains("config.json"), ck.description.c_str());
        QVERIFY(!QString::fromStdString(ck.description).contains("inferred"));
        QVERIFY(logitsError(ck, tinySet()) <= 1e-4);
        // With both files, safetensors wins (no pickle is read when it need not be).
        copyFile(tinySet() + "/model.safetensors", dir + "/model.safetensors");
        QCOMPARE(loadCheckpoint(dir).weights_path, dir + "/model.safetensors");
    }

    void aFolderWithOneWeightsFileUsesIt() {
        const std::string dir = tmpPath("official_folder");
        fs::create_directories(dir);
        copyFile(tinySet() + "/formats/official_model.pth", dir + "/LeViT-tiny-0123abcd.pth");
        const LoadedCheckpoint ck = loadCheckpoint(dir);
        QCOMPARE(ck.weights_path, dir + "/LeViT-tiny-0123abcd.pth");
        QCOMPARE(ck.layout, std::string("facebookresearch/LeViT"));
        copyFile(tinySet() + "/formats/timm_checkpoint.pth", dir + "/other.pth");
        const QString err = checkpointLoadError(dir);
        QVERIFY2(err.contains("2 weight files") && err.contains(QString::fromStdString(dir)), qPrintable(err));
    }

    void timmHubConfigGivesNameAndLabels() {
        const std::string dir = tmpPath("timm_hub");
        fs::create_directories(dir);
        copyFile(tinySet() + "/formats/timm_checkpoint.pth", dir + "/pytorch_model.bin");
        std::string labels;
        for (int i = 0; i < 10; ++i) labels += std::string(i ? "," : "") + "\"class " + std::to_string(i) + "\"";
        writeText(dir + "/config.json", R"({"architecture": "levit_tiny", "num_classes": 10, "num_features": 64,
            "pretrained_cfg": {"input_size": [3, 96, 96]}, "label_names": [)" + labels + "]}");
        const LoadedCheckpoint ck = loadCheckpoint(dir);
        QCOMPARE(ck.layout, std::string("timm"));
        QCOMPARE(ck.config.id2label[3], std::string("class 3"));
        QVERIFY2(QString::fromStdString(ck.description).contains("timm levit_tiny"), ck.description.c_str());
        QVERIFY(logitsError(ck, tinySet()) <= 1e-4);
        // Without label_names: the inferred default; a wrong class count is an error naming the file.
        writeText(dir + "/config.json", R"({"architecture": "levit_tiny", "num_classes": 10})");
        QCOMPARE(loadCheckpoint(dir).config.id2label[3], std::string("LABEL_3"));
        writeText(dir + "/config.json", R"({"architecture": "levit_tiny", "num_classes": 1000})");
        const QString err = checkpointLoadError(dir);
        QVERIFY2(err.contains("config.json") && err.contains("num_classes 1000"), qPrintable(err));
    }

    void aSingleClassifierServesAsBothHeads() {
        // HF LevitForImageClassification / timm or LeViT without distillation: no classifier_distill.
        auto weights = SafeTensorsFile::open(tinySet() + "/model.safetensors")->readAllFloating();
        for (auto it = weights.begin(); it != weights.end();)
            it = it->first.rfind("classifier_distill.", 0) == 0 ? weights.erase(it) : std::next(it);
        const std::string file = tmpPath("single_head.safetensors");
        writeSafeTensors(file, weights);
        const LoadedCheckpoint ck = loadCheckpoint(file);
        QVERIFY2(QString::fromStdString(ck.description).contains("no distillation head"), ck.description.c_str());
        QVERIFY(logitsError(ck, tinySet(), "cls_logits.npy") <= 1e-4);
    }

    void aDataParallelPrefixIsDropped() {
        auto weights = SafeTensorsFile::open(tinySet() + "/model.safetensors")->readAllFloating();
        std::map<std::string, Tensor> prefixed;
        for (auto& [name, t] : weights) prefixed["module." + name] = t;
        const std::string file = tmpPath("ddp.safetensors");
        writeSafeTensors(file, prefixed);
        QVERIFY(logitsError(loadCheckpoint(file), tinySet()) <= 1e-4);
    }

    void unknownOrBrokenLayoutsAreNamed() {
        std::map<std::string, Tensor> resnet;
        resnet["conv1.weight"] = Tensor{{4, 3, 7, 7}, std::vector<float>(4 * 3 * 49)};
        resnet["fc.weight"] = Tensor{{10, 4}, std::vector<float>(40)};
        writeSafeTensors(tmpPath("resnet.safetensors"), resnet);
        QString err = checkpointLoadError(tmpPath("resnet.safetensors"));
        QVERIFY2(err.contains("resnet.safetensors") && err.contains("not a LeViT checkpoint") && err.contains("'conv1.weight'"),
                 qPrintable(err));

        // A timm file with a stray tensor: the error lists it.
        std::map<std::string, Tensor> stray;
        stray["stem.conv1.linear.weight"] = Tensor{{4, 3, 3, 3}, std::vector<float>(108)};
        stray["stages.0.blocks.0.attn.rel_pos.weight"] = Tensor{{4}, std::vector<float>(4)};
        writeSafeTensors(tmpPath("stray.safetensors"), stray);
        err = checkpointLoadError(tmpPath("stray.safetensors"));
        QVERIFY2(err.contains("stray.safetensors") && err.contains("timm") && err.contains("stages.0.blocks.0.attn.rel_pos.weight"),
                 qPrintable(err));

        // Hugging Face names with a foreign one.
        auto weights = SafeTensorsFile::open(tinySet() + "/model.safetensors")->readAllFloating();
        weights["pos_embed"] = Tensor{{1}, {0.f}};
        writeSafeTensors(tmpPath("extra.safetensors"), weights);
        err = checkpointLoadError(tmpPath("extra.safetensors"));
        QVERIFY2(err.contains("extra.safetensors") && err.contains("'pos_embed'") && err.contains("Hugging Face"), qPrintable(err));

        // Files without a known extension (Hugging Face cache blobs) are recognised by their first bytes.
        const std::string blob = tmpPath("9f3c2ab1e0");
        copyFile(tinySet() + "/formats/official_model.pth", blob);
        QCOMPARE(loadCheckpoint(blob).layout, std::string("facebookresearch/LeViT"));
        copyFile(tinySet() + "/model.safetensors", blob);
        QCOMPARE(loadCheckpoint(blob).layout, std::string("Hugging Face"));

        // An unsupported extension.
        writeText(tmpPath("weights.onnx"), "x");
        err = checkpointLoadError(tmpPath("weights.onnx"));
        QVERIFY2(err.contains("weights.onnx") && err.contains(".pth"), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestCheckpointFormats)
#include "test_checkpoint_formats.moc"
