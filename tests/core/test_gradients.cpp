// The backward pass against PyTorch autograd (tools/train/make_golden_gradients.py: levit_hf.py, Hugging
// Face's module and parameter names, BatchNorm in eval mode, computed in float64): the loss, the gradient of
// every parameter and of the input pixels. Tolerance: PyTorch's own float32 run deviates from its float64
// run by up to 6.1e-6 of a tensor's largest gradient (float32_vs_float64.json beside the references); our
// float32 sums in another order, so we allow 5e-5 of the largest gradient (about 8 times that float32
// deviation; measured: 1e-5), far below what a missing term or a wrong index causes (O(1) relative errors).
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest/QtTest>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "levit/checkpoint.h"
#include "levit/error.h"
#include "levit/gradients.h"
#include "levit/npy.h"
#include "test_support.h"

using namespace levit;
using levit_test::relativeDifference;

namespace {

constexpr double kRelativeTolerance = 5e-5;

std::vector<int> intsFromNpy(const std::string& path) {
    std::vector<int> out;
    for (int64_t v : readNpy(path).toInt64()) out.push_back(int(v));
    return out;
}

double jsonNumber(const std::string& path, const char* key) {
    QFile f(QString::fromStdString(path));
    if (!f.open(QIODevice::ReadOnly)) return NAN;
    return QJsonDocument::fromJson(f.readAll()).object()[key].toDouble();
}

}  // namespace

class TestGradients : public QObject {
    Q_OBJECT

    // Every gradient of a golden set, against PyTorch; `reference` holds the grads of (a subset of) them.
    void checkSet(const std::string& golden, const std::string& reference) {
        LEVIT_REQUIRE_SHARED_PATH(golden);
        LoadedCheckpoint ck = loadCheckpoint(golden);
        GradientEngine engine(ck.config, ck.weights, ck.weights_path);
        const double images = jsonNumber(reference + "/loss.json", "images");
        const std::vector<float> all_pixels = readNpy(golden + "/npy/pixel_values.npy").toFloat();
        const int batch = int(images);
        const size_t per_image = size_t(3) * ck.config.image_size * ck.config.image_size;
        const std::vector<float> pixels(all_pixels.begin(), all_pixels.begin() + per_image * batch);
        const std::vector<int> labels = intsFromNpy(reference + "/labels.npy");
        const std::vector<int> distill = intsFromNpy(reference + "/distillation_labels.npy");
        LossTargets targets;
        targets.labels = labels;
        targets.distillation_labels = distill;
        GradientRequest request;
        request.pixels = true;
        const Gradients& g = engine.compute(pixels, batch, targets, request);

        const double loss = jsonNumber(reference + "/loss.json", "loss");
        QVERIFY2(std::abs(g.loss - loss) <= 1e-5 * std::max(1.0, std::abs(loss)),
                 qPrintable(QString("loss %1, PyTorch %2").arg(g.loss, 0, 'g', 10).arg(loss, 0, 'g', 10)));
        const double pixel_error = relativeDifference(g.pixels, readNpy(reference + "/grad_pixel_values.npy").toFloat());
        qInfo("%s: loss %.7f (PyTorch %.7f), pixel gradients within %.2e", golden.c_str(), g.loss, loss, pixel_error);
        QVERIFY2(pixel_error <= kRelativeTolerance, qPrintable(QString("pixel gradients differ by %1").arg(pixel_error)));
        int compared = 0;
        double worst = 0;
        std::string worst_name;
        for (const auto& entry : std::filesystem::directory_iterator(reference + "/grads")) {
            std::string name = entry.path().filename().string();
            name = name.substr(0, name.size() - 4);  // .npy
            QVERIFY2(g.parameters.count(name), ("no gradient for " + name).c_str());
            const NpyArray ref = readNpy(entry.path().string());
            QCOMPARE(g.parameters.at(name).shape, ref.shape);
            const double e = relativeDifference(g.parameters.at(name).values, ref.toFloat());
            if (e > worst) worst = e, worst_name = name;
            QVERIFY2(e <= kRelativeTolerance, (name + ": relative difference " + std::to_string(e)).c_str());
            ++compared;
        }
        qInfo("%d parameter gradients, largest relative difference %.2e (%s)", compared, worst, worst_name.c_str());
        QVERIFY(compared > 0);
        // The forward pass of the gradient engine is the model's: same logits as the golden set.
        const std::vector<float> golden_logits = readNpy(golden + "/npy/logits.npy").toFloat();
        QVERIFY(relativeDifference(g.output.logits, std::vector<float>(golden_logits.begin(),
                                                                       golden_logits.begin() + g.output.logits.size())) <= 1e-4);
    }

private slots:
    void tinySeed0MatchesAutograd() {
        checkSet(levit_test::testDataDir() + "/golden/tiny_seed0", levit_test::testDataDir() + "/gradients/tiny_seed0");
    }

    // levit-128S at 224 px (2 images, a subset of the parameters in every kind of layer, and the pixels).
    void levit128SMatchesAutograd() {
        checkSet(levit_test::goldenDir("levit-128S_seed0"), levit_test::testDataDir() + "/gradients/levit-128S_seed0");
    }

    // Asking for fewer gradients stops the backward pass early and gives the same numbers.
    void headOnlyGradientsAreTheSame() {
        LoadedCheckpoint ck = loadCheckpoint(levit_test::testDataDir() + "/golden/tiny_seed0");
        GradientEngine engine(ck.config, ck.weights);
        const std::vector<float> all = readNpy(levit_test::testDataDir() + "/golden/tiny_seed0/npy/pixel_values.npy").toFloat();
        const std::vector<float> pixels(all.begin(), all.begin() + 2 * 3 * 96 * 96);
        const std::vector<int> labels = {1, 4};
        LossTargets targets;
        targets.labels = labels;
        const std::map<std::string, Tensor> full = engine.compute(pixels, 2, targets).parameters;
        for (const char* scope : {"head", "last-stage"}) {
            GradientRequest request;
            request.parameters = parameterNamesOf(ck.config, scope);
            const Gradients& part = engine.compute(pixels, 2, targets, request);
            QCOMPARE(part.parameters.size(), request.parameters.size());
            for (const auto& [name, grad] : part.parameters) QCOMPARE(grad.values, full.at(name).values);
        }
        QCOMPARE(parameterNamesOf(ck.config, "all").size(), full.size());
    }

    void badRequestsAreRefused() {
        LoadedCheckpoint ck = loadCheckpoint(levit_test::testDataDir() + "/golden/tiny_seed0");
        GradientEngine engine(ck.config, ck.weights);
        std::vector<float> pixels(3 * 96 * 96, 0.0f);
        const std::vector<int> label = {10}, ok = {0};
        LossTargets targets;
        targets.labels = label;
        QVERIFY_THROWS_EXCEPTION(Error, engine.compute(pixels, 1, targets));  // label outside 10 classes
        targets.labels = ok;
        QVERIFY_THROWS_EXCEPTION(Error, engine.compute(pixels, 2, targets));  // pixels for one image
        GradientRequest request;
        request.parameters = {"no.such.parameter"};
        QVERIFY_THROWS_EXCEPTION(Error, engine.compute(pixels, 1, targets, request));
        QVERIFY_THROWS_EXCEPTION(Error, parameterNamesOf(ck.config, "everything"));
    }
};

QTEST_GUILESS_MAIN(TestGradients)
#include "test_gradients.moc"
