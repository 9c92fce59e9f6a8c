// The explanation engine (levit/explain.h, levit/faithfulness.h, levit/adversarial.h) on the golden sets.
// Logit gradients against PyTorch autograd (tools/train/make_golden_logit_gradients.py, float64 references in
// tests/data/explain/<set>). Tolerance: PyTorch's own float32 run deviates from its float64 run by up to 2.4e-6
// (tiny) and 8.3e-6 (levit-128S) of an array's largest value (float32_vs_float64.json); our float32 sums in
// another order, so, as for the loss gradients (test_gradients.cpp), we allow 5e-5 of the largest value, far
// below what a missing term or a wrong index causes (O(1) relative errors).
#include <QtTest/QtTest>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numeric>

#include "levit/adversarial.h"
#include "levit/checkpoint.h"
#include "levit/error.h"
#include "levit/explain.h"
#include "levit/faithfulness.h"
#include "levit/npy.h"
#include "test_support.h"

using namespace levit;
using levit_test::relativeDifference;

namespace {

constexpr double kRelativeTolerance = 5e-5;

std::string goldenDir() { return levit_test::testDataDir() + "/golden/tiny_seed0"; }
std::string referenceDir() { return levit_test::testDataDir() + "/explain/tiny_seed0"; }

std::vector<float> goldenPixels(int images) {
    const std::vector<float> all = readNpy(goldenDir() + "/npy/pixel_values.npy").toFloat();
    return {all.begin(), all.begin() + size_t(images) * 3 * 96 * 96};
}

std::span<const float> imageOf(const std::vector<float>& pixels, int i) {
    const size_t n = size_t(3) * 96 * 96;
    return std::span<const float>(pixels).subspan(size_t(i) * n, n);
}

}  // namespace

class TestExplain : public QObject {
    Q_OBJECT

    // Every head whose reference is present, and every stage's stream, against PyTorch.
    void checkLogitGradients(const std::string& golden, const std::string& reference) {
        LEVIT_REQUIRE_SHARED_PATH(golden);
        LoadedCheckpoint ck = loadCheckpoint(golden);
        GradientEngine engine(ck.config, ck.weights);
        std::vector<int> classes;
        for (int64_t k : readNpy(reference + "/classes.npy").toInt64()) classes.push_back(int(k));
        const int batch = int(classes.size());
        const std::vector<float> all = readNpy(golden + "/npy/pixel_values.npy").toFloat();
        const size_t per_image = size_t(3) * ck.config.image_size * ck.config.image_size;
        const std::vector<float> pixels(all.begin(), all.begin() + ptrdiff_t(per_image * batch));
        int heads = 0;
        for (Head head : {Head::Cls, Head::Distillation, Head::Mean}) {
            const std::string name = headName(head);
            if (!std::filesystem::exists(reference + "/grad_pixels_" + name + ".npy")) continue;
            ++heads;
            LogitRequest request;
            request.head = head;
            request.classes = classes;
            const Gradients& g = engine.computeLogit(pixels, batch, request);
            const double logit_error = relativeDifference(g.class_logits, readNpy(reference + "/logits_" + name + ".npy").toFloat());
            const double pixel_error = relativeDifference(g.pixels, readNpy(reference + "/grad_pixels_" + name + ".npy").toFloat());
            qInfo("%s head: logits within %.2e, pixel gradients within %.2e", name.c_str(), logit_error, pixel_error);
            QVERIFY2(logit_error <= 1e-5, qPrintable(QString::fromStdString(name) + " logits differ"));
            QVERIFY2(pixel_error <= kRelativeTolerance, qPrintable(QString::fromStdString(name) + " pixel gradients differ"));
            QVERIFY(g.parameters.empty());  // no parameter gradients are computed
        }
        QVERIFY(heads > 0);
        for (int stage = 0; stage < ck.config.numStages(); ++stage) {
            LogitRequest request;
            request.classes = classes;
            request.pixels = false;
            request.stage = stage;
            const Gradients& g = engine.computeLogit(pixels, batch, request);
            QVERIFY(g.pixels.empty());
            const std::string prefix = reference + "/stage" + std::to_string(stage);
            const double tokens_error = relativeDifference(g.stage.tokens, readNpy(prefix + "_tokens.npy").toFloat());
            const double grad_error = relativeDifference(g.stage.gradient, readNpy(prefix + "_grad_mean.npy").toFloat());
            qInfo("stage %d (%dx%d, %d channels): tokens within %.2e, gradient within %.2e", stage, g.stage.side, g.stage.side,
                  g.stage.channels, tokens_error, grad_error);
            QVERIFY(tokens_error <= kRelativeTolerance);
            QVERIFY(grad_error <= kRelativeTolerance);
        }
    }

private slots:
    void tinyLogitGradientsMatchAutograd() { checkLogitGradients(goldenDir(), referenceDir()); }

    // levit-128S at 224 px (one image, the mean head): the 14 -> 7 -> 4 grids of the published models.
    void levit128SLogitGradientsMatchAutograd() {
        checkLogitGradients(levit_test::goldenDir("levit-128S_seed0"), levit_test::testDataDir() + "/explain/levit-128S_seed0");
    }

    // The loss gradients are unchanged by the logit requests in between (shared buffers, selection reset).
    void lossGradientsAfterLogitGradients() {
        LoadedCheckpoint ck = loadCheckpoint(goldenDir());
        GradientEngine engine(ck.config, ck.weights);
        const std::vector<float> pixels = goldenPixels(2);
        const std::vector<int> labels = {1, 4};
        LossTargets targets;
        targets.labels = labels;
        GradientRequest request;
        request.pixels = true;
        const Gradients before = engine.compute(pixels, 2, targets, request);
        LogitRequest logit;
        logit.classes = labels;
        logit.stage = 1;
        engine.computeLogit(pixels, 2, logit);
        const Gradients& after = engine.compute(pixels, 2, targets, request);
        QCOMPARE(after.pixels, before.pixels);
        QCOMPARE(after.parameters.size(), before.parameters.size());
        for (const auto& [name, grad] : after.parameters) QCOMPARE(grad.values, before.parameters.at(name).values);
    }

    // Token contributions plus the folded bias give the golden logits of every head (1e-4).
    void tokenAttributionSumsToTheLogit() {
        LoadedCheckpoint ck = loadCheckpoint(goldenDir());
        Explainer explainer(ck.config, ck.weights, "tiny");
        const std::vector<float> pixels = readNpy(goldenDir() + "/npy/pixel_values.npy").toFloat();
        const int images = int(pixels.size() / (3 * 96 * 96));
        const char* files[3] = {"cls_logits", "distillation_logits", "logits"};
        for (Head head : {Head::Cls, Head::Distillation, Head::Mean}) {
            const std::vector<float> golden = readNpy(goldenDir() + "/npy/" + files[int(head)] + ".npy").toFloat();
            const int labels = ck.config.numLabels();
            for (int i = 0; i < images; ++i)
                for (int k = 0; k < labels; k += 3) {
                    ExplainOptions options;
                    options.head = head;
                    options.class_index = k;
                    const TokenAttribution t = explainer.tokenAttribution(imageOf(pixels, i), options);
                    QCOMPARE(t.tokens.side, explainer.finalGridSide());
                    const double sum = std::accumulate(t.tokens.values.begin(), t.tokens.values.end(), 0.0) + t.bias;
                    const double expected = golden[size_t(i) * labels + k];
                    QVERIFY2(std::abs(sum - expected) <= 1e-4,
                             qPrintable(QString("image %1 class %2 head %3: %4 vs %5").arg(i).arg(k).arg(int(head)).arg(sum).arg(expected)));
                    QVERIFY(std::abs(t.logit - expected) <= 1e-4);
                }
        }
    }

    // One occluded token cell, run by hand through the model, gives the map's value on that cell.
    void occlusionOfOneTokenPatchEqualsAHandRun() {
        LoadedCheckpoint ck = loadCheckpoint(goldenDir());
        Explainer explainer(ck.config, ck.weights, "tiny");
        const std::vector<float> pixels = goldenPixels(1);
        ExplainOptions options;
        options.class_index = 2;
        options.head = Head::Distillation;
        const SquareMap map = explainer.occlusion(pixels, options);
        const int cell = 96 / explainer.finalGridSide();  // the default patch
        auto model = std::make_shared<const Model>(ck.config, ck.weights, "tiny");
        Session session(model);
        const float original = session.run(pixels, 1).distillation_logits[2];
        for (int cy = 0; cy < explainer.finalGridSide(); ++cy)
            for (int cx = 0; cx < explainer.finalGridSide(); ++cx) {
                std::vector<float> occluded = pixels;
                for (int c = 0; c < 3; ++c)
                    for (int y = cy * cell; y < (cy + 1) * cell; ++y)
                        for (int x = cx * cell; x < (cx + 1) * cell; ++x) occluded[size_t(c) * 96 * 96 + size_t(y) * 96 + x] = 0.0f;
                const float drop = original - session.run(occluded, 1).distillation_logits[2];
                const float inside = map.values[size_t(cy * cell + cell / 2) * 96 + cx * cell + cell / 2];
                QVERIFY2(std::abs(inside - drop) <= 1e-5f, qPrintable(QString("cell %1,%2: %3 vs %4").arg(cy).arg(cx).arg(inside).arg(drop)));
            }
    }

    // Deletion and insertion recomputed independently: pixels ranked by hand, images built and run one by one.
    void deletionAndInsertionCurvesRecomputed() {
        LoadedCheckpoint ck = loadCheckpoint(goldenDir());
        Explainer explainer(ck.config, ck.weights, "tiny");
        const std::vector<float> pixels = goldenPixels(1);
        ExplainOptions options;
        options.class_index = 7;
        options.head = Head::Mean;
        // A map with a known order: the value falls with the row, then the column, so rank = y * 96 + x.
        SquareMap map{96, std::vector<float>(96 * 96)};
        for (int p = 0; p < 96 * 96; ++p) map.values[size_t(p)] = float(96 * 96 - p);
        const int steps = 4;
        const FaithfulnessCurves curves = measureFaithfulness(explainer, pixels, map, options, steps);
        auto model = std::make_shared<const Model>(ck.config, ck.weights, "tiny");
        Session session(model);
        auto probability = [&](const std::vector<float>& image) {
            const Output& o = session.run(image, 1);
            double sum = 0;
            for (float v : o.logits) sum += std::exp(double(v));
            return std::exp(double(o.logits[7])) / sum;
        };
        const std::vector<float> blurred = explainer.baselineImage(pixels, Baseline::Blurred);
        std::vector<double> deletion, insertion;
        for (int i = 0; i <= steps; ++i) {
            const int rows = 96 * i / steps;  // the first rows * 96 pixels of the order are the first rows
            std::vector<float> deleted = pixels, inserted = blurred;
            for (int c = 0; c < 3; ++c)
                for (int p = 0; p < rows * 96; ++p) {
                    deleted[size_t(c) * 96 * 96 + p] = 0.0f;
                    inserted[size_t(c) * 96 * 96 + p] = pixels[size_t(c) * 96 * 96 + p];
                }
            deletion.push_back(probability(deleted));
            insertion.push_back(probability(inserted));
        }
        QCOMPARE(curves.deletion.size(), deletion.size());
        for (size_t i = 0; i < deletion.size(); ++i) {
            QVERIFY(std::abs(curves.deletion[i] - deletion[i]) <= 1e-5);
            QVERIFY(std::abs(curves.insertion[i] - insertion[i]) <= 1e-5);
        }
        // Trapezoids by hand over 0, 1/4, ..., 1.
        auto area = [](const std::vector<double>& v) {
            return (v[0] / 2 + v[1] + v[2] + v[3] + v[4] / 2) / 4;
        };
        QVERIFY(std::abs(curves.deletion_auc - area(deletion)) <= 1e-6);
        QVERIFY(std::abs(curves.insertion_auc - area(insertion)) <= 1e-6);
    }

    // Integrated gradients is complete: its attributions sum to logit(image) - logit(baseline), up to the
    // midpoint rule's error (checked loosely: 64 steps on a smooth network).
    void integratedGradientsAreComplete() {
        LoadedCheckpoint ck = loadCheckpoint(goldenDir());
        Explainer explainer(ck.config, ck.weights, "tiny");
        const std::vector<float> pixels = goldenPixels(1);
        ExplainOptions options;
        options.class_index = 3;
        options.steps = 64;
        const SquareMap map = explainer.integratedGradients(pixels, options);
        const double total = std::accumulate(map.values.begin(), map.values.end(), 0.0);
        const std::vector<float> base = explainer.baselineImage(pixels, Baseline::Black);
        const double difference = explainer.classLogits(pixels, 1, options)[0] - explainer.classLogits(base, 1, options)[0];
        qInfo("integrated gradients sum %.5f, logit difference %.5f", total, difference);
        QVERIFY(std::abs(total - difference) <= 0.02 * std::max(1.0, std::abs(difference)));
    }

    // Gradient x input is, per pixel, the channel sum of pixel value times the raw logit gradient, and (being
    // linear in the gradient) flips sign with a pixel's sign: recomputed here from logitGradient.
    void gradientTimesInputFromTheRawGradient() {
        LoadedCheckpoint ck = loadCheckpoint(goldenDir());
        Explainer explainer(ck.config, ck.weights, "tiny");
        const std::vector<float> pixels = goldenPixels(1);
        ExplainOptions options;
        options.class_index = 2;
        options.head = Head::Distillation;
        const std::vector<float> g = explainer.logitGradient(pixels, options);
        const SquareMap map = explainer.explain(ExplainMethod::GradientTimesInput, pixels, options);
        const int s = ck.config.image_size, plane = s * s;
        QCOMPARE(map.side, s);
        double largest = 0;
        for (int p = 0; p < plane; ++p) {
            double expected = 0;
            for (int c = 0; c < ck.config.num_channels; ++c) expected += double(pixels[size_t(c) * plane + p]) * g[size_t(c) * plane + p];
            largest = std::max(largest, std::abs(expected - map.values[size_t(p)]));
        }
        QVERIFY2(largest <= 1e-6, qPrintable(QString::number(largest)));
        QVERIFY(std::any_of(map.values.begin(), map.values.end(), [](float v) { return v < 0; }));
        QVERIFY(std::any_of(map.values.begin(), map.values.end(), [](float v) { return v > 0; }));
        QCOMPARE(methodName(ExplainMethod::GradientTimesInput), std::string("gradient-x-input"));
        QVERIFY(methodFromName("gradient-x-input") == ExplainMethod::GradientTimesInput);
    }

    // Integrated gradients on two threads (two engines, steps dealt out between them) gives the map of one.
    void integratedGradientsOnTwoThreadsEqualsOne() {
        LoadedCheckpoint ck = loadCheckpoint(goldenDir());
        Explainer one(ck.config, ck.weights, "tiny", 1);
        Explainer two(ck.config, ck.weights, "tiny", 2);
        const std::vector<float> pixels = goldenPixels(1);
        ExplainOptions options;
        options.class_index = 4;
        options.head = Head::Cls;
        for (int steps : {1, 3, 8}) {
            options.steps = steps;
            const SquareMap a = one.integratedGradients(pixels, options), b = two.integratedGradients(pixels, options);
            double largest = 0, scale = 0;
            for (size_t i = 0; i < a.values.size(); ++i) {
                largest = std::max(largest, double(std::abs(a.values[i] - b.values[i])));
                scale = std::max(scale, double(std::abs(a.values[i])));
            }
            QVERIFY2(largest <= 1e-5 * std::max(1.0, scale), qPrintable(QString("%1 steps: %2").arg(steps).arg(largest)));
        }
        options.class_index = 10;  // outside the 10 classes: refused on every thread count
        QVERIFY_THROWS_EXCEPTION(levit::Error, two.integratedGradients(pixels, options));
    }

    // Every method gives a finite S x S map that varies over the image; rollout is non-negative.
    void everyMethodGivesAFiniteMap() {
        LoadedCheckpoint ck = loadCheckpoint(goldenDir());
        Explainer explainer(ck.config, ck.weights, "tiny");
        const std::vector<float> pixels = goldenPixels(1);
        ExplainOptions options;
        options.class_index = 1;
        options.steps = 8;
        for (const char* name : {"token", "gradcam", "gradient", "gradient-x-input", "integrated-gradients", "occlusion", "rollout"}) {
            const SquareMap map = explainer.explain(*methodFromName(name), pixels, options);
            QCOMPARE(map.side, 96);
            QCOMPARE(map.values.size(), size_t(96 * 96));
            QVERIFY2(std::all_of(map.values.begin(), map.values.end(), [](float v) { return std::isfinite(v); }), name);
            // Grad-CAM's ReLU may leave nothing of an untrained model's evidence for a class: it may be flat.
            if (std::string(name) != "gradcam")
                QVERIFY2(*std::max_element(map.values.begin(), map.values.end()) > *std::min_element(map.values.begin(), map.values.end()), name);
        }
        const SquareMap rollout = explainer.rollout(pixels);
        QVERIFY(*std::min_element(rollout.values.begin(), rollout.values.end()) >= 0.0f);
        for (int stage = 0; stage < 3; ++stage) {
            options.stage = stage;
            QCOMPARE(explainer.gradCam(pixels, options).side, 96);
        }
    }

    // The token maps' difference between the heads adds up (per cell, times the cell's pixels) to the difference
    // of the heads' logits minus the difference of their folded biases.
    void headDifferenceOfTokenMaps() {
        LoadedCheckpoint ck = loadCheckpoint(goldenDir());
        Explainer explainer(ck.config, ck.weights, "tiny");
        const std::vector<float> pixels = goldenPixels(1);
        ExplainOptions options;
        options.class_index = 4;
        const SquareMap difference = explainer.headDifference(ExplainMethod::Token, pixels, options);
        options.head = Head::Cls;
        const TokenAttribution cls = explainer.tokenAttribution(pixels, options);
        options.head = Head::Distillation;
        const TokenAttribution distillation = explainer.tokenAttribution(pixels, options);
        const double cell_pixels = 96.0 * 96.0 / (cls.tokens.side * cls.tokens.side);
        const double total = std::accumulate(difference.values.begin(), difference.values.end(), 0.0) / cell_pixels;
        const double expected = (cls.logit - cls.bias) - (distillation.logit - distillation.bias);
        QVERIFY2(std::abs(total - expected) <= 1e-4, qPrintable(QString("%1 vs %2").arg(total).arg(expected)));
    }

    // The nudge found changes the top-1 class; the last epsilon below it (by the bisection's resolution) does not.
    void adversarialNudgeIsTheSmallestFound() {
        LoadedCheckpoint ck = loadCheckpoint(goldenDir());
        Explainer explainer(ck.config, ck.weights, "tiny");
        const std::vector<float> pixels = goldenPixels(1);
        NudgeSearch search;
        search.refinements = 12;
        const AdversarialNudge nudge = smallestNudge(explainer, pixels, Head::Mean, search);
        QVERIFY(nudge.found);
        QVERIFY(nudge.new_class != nudge.original_class);
        auto top = [&](const std::vector<float>& image) {
            const std::vector<float>& logits = explainer.session().run(image, 1).logits;
            return int(std::max_element(logits.begin(), logits.end()) - logits.begin());
        };
        QCOMPARE(top(nudge.nudged), nudge.new_class);
        // Every pixel moved by at most epsilon intensity units (epsilon * 255 levels, / std in normalised units).
        const float largest_step = float(nudge.epsilon / 0.224);  // the smallest ImageNet std among the channels
        for (float d : nudge.perturbation) QVERIFY(std::abs(d) <= largest_step * 1.0001f + 1e-6f);
        // Slightly less (one bisection interval: max / grid / 2^refinements) keeps the class.
        const double below = nudge.epsilon - search.max_epsilon / search.grid / std::pow(2.0, search.refinements);
        std::vector<float> smaller(pixels.size());
        for (size_t i = 0; i < pixels.size(); ++i)
            smaller[i] = pixels[i] + nudge.perturbation[i] * float(below / nudge.epsilon);
        qInfo("class %d -> %d at epsilon %.5f (%.2f of 255 levels)", nudge.original_class, nudge.new_class, nudge.epsilon, nudge.epsilon * 255);
        QCOMPARE(top(smaller), nudge.original_class);
    }

    void badRequestsAreRefused() {
        LoadedCheckpoint ck = loadCheckpoint(goldenDir());
        Explainer explainer(ck.config, ck.weights, "tiny");
        const std::vector<float> pixels = goldenPixels(1);
        ExplainOptions options;
        options.class_index = 10;
        QVERIFY_THROWS_EXCEPTION(Error, explainer.gradient(pixels, options));
        QVERIFY_THROWS_EXCEPTION(Error, explainer.occlusion(pixels, options));
        options.class_index = 0;
        options.stage = 3;
        QVERIFY_THROWS_EXCEPTION(Error, explainer.gradCam(pixels, options));
        QVERIFY_THROWS_EXCEPTION(Error, explainer.gradient(std::span<const float>(pixels).first(100), options));
        QVERIFY(!methodFromName("saliency"));
        QVERIFY(!headFromName("both"));
    }
};

QTEST_GUILESS_MAIN(TestExplain)
#include "test_explain.moc"
