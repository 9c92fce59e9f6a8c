// The one classify path (levit::Classifier) and the input contract under it: golden logits through the
// Classifier, batches equal to single images, every way a preprocessing config can miss the model's input
// size refused with a message naming it, Session::run refusing a buffer of the wrong size, non-finite
// logits reported, and the one JSON/CSV writer.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <cmath>
#include <filesystem>
#include <functional>
#include <fstream>

#include "levit/checkpoint.h"
#include "levit/classifier.h"
#include "levit/error.h"
#include "levit/npy.h"
#include "levit/preprocess.h"
#include "engine_test_helpers.h"
#include "test_support.h"

using namespace levit;
using levit_test::imageFromNpy;
const auto messageOf = levit_test::errorMessageOf;
namespace fs = std::filesystem;

namespace {

std::string tinyDir() { return levit_test::testDataDir() + "/golden/tiny_seed0"; }

// A copy of the tiny model whose preprocessor_config.json is `processor_json`.
std::string tinyCopyWithProcessor(const QTemporaryDir& tmp, const std::string& processor_json) {
    const fs::path dir = fs::path(tmp.path().toStdString()) / "model";
    fs::create_directories(dir);
    for (const char* f : {"config.json", "model.safetensors"}) fs::copy_file(fs::path(tinyDir()) / f, dir / f);
    std::ofstream(dir / "preprocessor_config.json") << processor_json;
    return dir.string();
}

double maxDifference(const std::vector<float>& a, const float* b) {
    double worst = 0;
    for (size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(double(a[i]) - b[i]));
    return worst;
}

}  // namespace

class TestClassifier : public QObject {
    Q_OBJECT

private slots:
    // The resized images of the golden set, classified without a second resize, give Hugging Face's logits
    // for both heads; the batched path and the single-image path agree exactly.
    void goldenLogitsThroughTheClassifier() {
        LoadedCheckpoint ck = loadCheckpoint(tinyDir());
        ck.config.preprocess.do_resize = false;  // the inputs below are already resized by PIL
        auto model = std::make_shared<const Model>(ck.config, ck.weights, ck.weights_path);
        Classifier classifier(model, 2);
        const NpyArray golden = readNpy(tinyDir() + "/npy/logits.npy");
        const std::vector<float> logits = golden.toFloat();
        const std::vector<float> cls = readNpy(tinyDir() + "/npy/cls_logits.npy").toFloat();
        const std::vector<float> dist = readNpy(tinyDir() + "/npy/distillation_logits.npy").toFloat();
        const int n = int(golden.shape[0]), labels = int(golden.shape[1]);
        std::vector<ImageRGB8> images;
        for (int i = 0; i < n; ++i)
            images.push_back(imageFromNpy(tinyDir() + "/npy/pre_" + std::to_string(i) + "_resized_uint8.npy"));
        const std::vector<Classification> batched = classifier.classify(images);
        QCOMPARE(int(batched.size()), n);
        for (int i = 0; i < n; ++i) {
            QVERIFY(maxDifference(batched[i].logits, logits.data() + i * labels) <= 1e-4);
            QVERIFY(maxDifference(batched[i].cls_logits, cls.data() + i * labels) <= 1e-4);
            QVERIFY(maxDifference(batched[i].distillation_logits, dist.data() + i * labels) <= 1e-4);
            ImageRGB8 seen;
            const Classification single = classifier.classify(images[i], {}, nullptr, &seen);
            QCOMPARE(single.logits, batched[i].logits);
            QCOMPARE(seen.width, ck.config.image_size);
            QCOMPARE(seen.height, ck.config.image_size);
            QCOMPARE(int(single.top_k.size()), 5);
            QCOMPARE(single.top_k[0].index,
                     int(std::max_element(single.logits.begin(), single.logits.end()) - single.logits.begin()));
        }
    }

    // A kept model input (the window keeps one per photo instead of its pixels) classifies exactly as the
    // original image, with both heads' top-1; another size is refused, naming the model.
    void aKeptModelInputClassifiesAsTheImage() {
        Classifier classifier(loadModel(tinyDir()));
        const ImageRGB8 image = imageFromNpy(tinyDir() + "/npy/pre_4_resized_uint8.npy");
        ImageRGB8 seen;
        const Classification direct = classifier.classify(image, {}, nullptr, &seen);
        const Classification kept = classifier.classifyModelInput(seen);
        QCOMPARE(kept.logits, direct.logits);
        QCOMPARE(kept.cls_top1.index, direct.cls_top1.index);
        QCOMPARE(kept.distillation_top1.index, direct.distillation_top1.index);
        QCOMPARE(kept.distillation_top1.label, direct.distillation_top1.label);
        QVERIFY(!kept.cls_top1.label.empty());
        const std::string message = messageOf([&] { classifier.classifyModelInput(image); });
        QVERIFY2(message.find("a model input must be") != std::string::npos, message.c_str());
    }

    // Probes come back through the Classifier as through the Session.
    void probesAreFilled() {
        Classifier classifier(loadModel(tinyDir()));
        ProbeResult probe_result;
        Probe probe;
        probe.hidden_states = true;
        probe.timings = true;
        classifier.classify(imageFromNpy(tinyDir() + "/npy/pre_0_resized_uint8.npy"), probe, &probe_result);
        QCOMPARE(int(probe_result.hidden_states.size()), classifier.model().config().numStages() + 1);
        QCOMPARE(int(probe_result.timings.stage_ms.size()), classifier.model().config().numStages());
        QVERIFY(probe_result.timings.total_ms > 0);
    }

    // "do_center_crop": false gives each image its resized size; the model takes only its own.
    void imageSizeThatMissesTheModelIsRefused() {
        QTemporaryDir tmp;
        const std::string dir = tinyCopyWithProcessor(tmp, R"({"do_center_crop": false, "size": {"shortest_edge": 96}})");
        Classifier classifier(loadModel(dir));
        const ImageRGB8 image = imageFromNpy(tinyDir() + "/npy/pre_1_resized_uint8.npy");
        const Size2 expected = preprocessedSize(image.height, image.width, classifier.model().config().preprocess);
        QVERIFY(expected.width != 96 || expected.height != 96);
        const std::string message = messageOf([&] { classifier.classify(image); });
        QVERIFY2(message.find(std::to_string(expected.width) + "x" + std::to_string(expected.height)) != std::string::npos,
                 message.c_str());
        QVERIFY2(message.find("96x96") != std::string::npos, message.c_str());
        QVERIFY2(message.find("do_center_crop") != std::string::npos, message.c_str());
        const std::vector<std::string> names = {"photo.png"};
        const std::string named = messageOf([&] { classifier.classify(std::span(&image, 1), names); });
        QVERIFY2(named.rfind("photo.png: ", 0) == 0, named.c_str());
    }

    // A crop (or a fixed-size resize without a crop) other than image_size can never fit: refused at load.
    void cropThatMissesTheModelIsRefusedAtLoad() {
        QTemporaryDir tmp;
        const std::string dir = tinyCopyWithProcessor(tmp, R"({"crop_size": {"height": 32, "width": 32}})");
        const std::string message = messageOf([&] { loadModel(dir); });
        QVERIFY2(message.find("preprocessor_config.json") != std::string::npos, message.c_str());
        QVERIFY2(message.find("32x32") != std::string::npos && message.find("96x96") != std::string::npos, message.c_str());
        QTemporaryDir tmp2;
        const std::string fixed = tinyCopyWithProcessor(
            tmp2, R"({"do_center_crop": false, "size": {"height": 100, "width": 96}})");
        QVERIFY(messageOf([&] { loadModel(fixed); }).find("96x100") != std::string::npos);
        // The same fixed size that matches the model is fine, and needs no crop.
        QTemporaryDir tmp3;
        const std::string fits = tinyCopyWithProcessor(tmp3, R"({"do_center_crop": false, "size": {"height": 96, "width": 96}})");
        Classifier classifier(loadModel(fits));
        const Classification c = classifier.classify(imageFromNpy(tinyDir() + "/npy/pre_2_resized_uint8.npy"));
        QCOMPARE(int(c.logits.size()), 10);
    }

    // The input contract: Session::run reads exactly batch * C * S * S floats or refuses before reading.
    void sessionRefusesBuffersOfTheWrongSize() {
        auto model = loadModel(tinyDir());
        Session session(model);
        std::vector<float> pixels(session.inputSize() * 2, 0.0f);
        QCOMPARE(session.inputSize(), size_t(3 * 96 * 96));
        QVERIFY(messageOf([&] { session.run(pixels, 2); }).empty());
        const std::string shorter = messageOf([&] { session.run(std::span<const float>(pixels).first(pixels.size() - 1), 2); });
        QVERIFY2(shorter.find("need " + std::to_string(pixels.size())) != std::string::npos, shorter.c_str());
        QVERIFY(!messageOf([&] { session.run(pixels, 3); }).empty());
        QVERIFY(!messageOf([&] { session.run(pixels, 0); }).empty());
        QVERIFY(!messageOf([&] { session.run({}, 1); }).empty());
        QVERIFY(!messageOf([&] { session.run(pixels, Session::kMaxBatch + 1); }).empty());
        Classifier classifier(model);
        QVERIFY(!messageOf([&] { classifier.classifyPixels(pixels, 3); }).empty());
        QCOMPARE(int(classifier.classifyPixels(pixels, 2).size()), 2);
    }

    // Logits that overflow are reported, not printed as "-nan%".
    void nonFiniteLogitsAreReported() {
        LoadedCheckpoint ck = loadCheckpoint(tinyDir());
        Tensor& w = ck.weights.at("classifier.linear.weight");
        for (size_t i = 0; i < w.values.size(); ++i) w.values[i] = (i % 2 ? 1.0f : -1.0f) * 3e38f;
        auto model = std::make_shared<const Model>(ck.config, ck.weights, ck.weights_path);
        Classifier classifier(model);
        const std::string message =
            messageOf([&] { classifier.classify(imageFromNpy(tinyDir() + "/npy/pre_0_resized_uint8.npy")); });
        QVERIFY2(message.find("not finite") != std::string::npos, message.c_str());
    }

    void topKIsClampedToTheLabels() {
        Classifier classifier(loadModel(tinyDir()));
        classifier.setTopK(1000);
        QCOMPARE(classifier.topK(), 10);
        classifier.setTopK(0);
        QCOMPARE(classifier.topK(), 1);
    }

    void jsonAndCsvWriters() {
        Classification c;
        c.logits = {1.5f, -2.0f};
        c.cls_logits = {1.0f, -1.0f};
        c.distillation_logits = {2.0f, -3.0f};
        c.top_k = {{0, "say \"hi\", twice", 0.75f, 1.5f}, {1, "bad \xff utf8", 0.25f, -2.0f}};
        c.cls_top1 = {0, "say \"hi\", twice", 0.875f, 1.0f};
        c.distillation_top1 = {1, "coat", 0.125f, -3.0f};
        const std::vector<NamedClassification> results = {{"a,b.png", c}};
        const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(classificationsJson("m", results)));
        QVERIFY(doc.isObject());
        QCOMPARE(doc["model"].toString(), QString("m"));
        const QJsonObject r = doc["results"][0].toObject();
        QCOMPARE(r["input"].toString(), QString("a,b.png"));
        QCOMPARE(r["top_k"][0]["label"].toString(), QString("say \"hi\", twice"));
        QCOMPARE(r["top_k"][1]["index"].toInt(), 1);
        QCOMPARE(r["logits"][1].toDouble(), -2.0);
        QCOMPARE(r["cls_logits"][0].toDouble(), 1.0);
        QCOMPARE(r["distillation_logits"][1].toDouble(), -3.0);
        QCOMPARE(r["cls_top1"]["label"].toString(), QString("say \"hi\", twice"));
        QCOMPARE(r["cls_top1"]["probability"].toDouble(), 0.875);
        QCOMPARE(r["distillation_top1"]["index"].toInt(), 1);
        QCOMPARE(r["distillation_top1"]["label"].toString(), QString("coat"));
        QCOMPARE(r["distillation_top1"]["probability"].toDouble(), 0.125);
        const std::string csv = classificationsCsv(results);
        QCOMPARE(QString::fromStdString(csv).split('\n')[0],
                 QString("source,rank,index,label,probability,cls_top1_index,cls_top1_label,cls_top1_probability,"
                         "distillation_top1_index,distillation_top1_label,distillation_top1_probability"));
        // Every row of an image carries that image's per-head best classes.
        const std::string heads = ",0,\"say \"\"hi\"\", twice\",0.875,1,\"coat\",0.125\n";
        QVERIFY(csv.find("\"a,b.png\",1,0,\"say \"\"hi\"\", twice\",0.75" + heads) != std::string::npos);
        QVERIFY(csv.find("\"a,b.png\",2,1,\"bad ") != std::string::npos);
        QVERIFY(csv.find(",0.25" + heads) != std::string::npos);
    }

    void probesMerge() {
        Probe a, b;
        a.attention = true;
        a.attention_blocks = {3, 1};
        b.attention = true;
        b.attention_blocks = {1, 2};
        b.timings = true;
        Probe m = mergeProbes(a, b);
        QVERIFY(m.attention && m.timings && !m.hidden_states);
        QCOMPARE(m.attention_blocks, (std::vector<int>{1, 2, 3}));
        b.attention_blocks.clear();  // all blocks wins
        QVERIFY(mergeProbes(a, b).attention_blocks.empty());
        Probe none;
        none.attention_blocks = {7};  // ignored: this probe does not ask for attention
        QCOMPARE(mergeProbes(a, none).attention_blocks, (std::vector<int>{1, 3}));
    }
};

QTEST_GUILESS_MAIN(TestClassifier)
#include "test_classifier.moc"
