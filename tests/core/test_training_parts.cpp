// The parts of fine-tuning on their own: AdamW and SGD steps against torch.optim's update rules written out,
// the warm-up + cosine schedule, gradient clipping, which tensors decay, the data-parallel step against the
// one-thread step (also run under ThreadSanitizer), and the augmentation's guarantees.
#include <QtTest/QtTest>

#include <cmath>
#include <random>

#include "levit/augment.h"
#include "levit/checkpoint.h"
#include "levit/gradients.h"
#include "levit/npy.h"
#include "levit/training_step.h"
#include "levit/error.h"
#include "levit/optimizer.h"
#include "levit/preprocess.h"

using namespace levit;

class TestTrainingParts : public QObject {
    Q_OBJECT

private slots:
    void adamwFollowsTorch() {
        OptimizerSettings s;
        s.learning_rate = 0.1;
        s.weight_decay = 0.5;
        s.clip_norm = 0;
        s.total_steps = 1000000;  // keep the cosine at ~1 for two steps
        std::map<std::string, Tensor> w = {{"a.linear.weight", {{1, 2}, {1.0f, -2.0f}}}, {"a.linear.bias", {{1}, {3.0f}}}};
        std::map<std::string, Tensor> g = {{"a.linear.weight", {{1, 2}, {0.5f, 0.25f}}}, {"a.linear.bias", {{1}, {-1.0f}}}};
        Optimizer opt(s, {"a.linear.weight", "a.linear.bias"});
        // torch.optim.AdamW step 1: p *= 1 - lr*wd; m = (1-b1) g; v = (1-b2) g^2; p -= lr * m_hat / (sqrt(v_hat) + eps)
        // with m_hat = g and v_hat = g^2: the update is lr * sign(g) (up to eps).
        opt.step(w, g);
        QVERIFY(std::abs(w["a.linear.weight"].values[0] - (1.0 * (1 - 0.05) - 0.1)) < 1e-5);
        QVERIFY(std::abs(w["a.linear.weight"].values[1] - (-2.0 * (1 - 0.05) - 0.1)) < 1e-5);
        QVERIFY(std::abs(w["a.linear.bias"].values[0] - (3.0 + 0.1)) < 1e-5);  // biases do not decay
        // Step 2 with the same gradient: m_hat = g, v_hat = g^2 again.
        const float before = w["a.linear.bias"].values[0];
        opt.step(w, g);
        QVERIFY(std::abs(w["a.linear.bias"].values[0] - (before + 0.1f)) < 1e-5);
    }

    void sgdWithMomentumFollowsTorch() {
        OptimizerSettings s;
        s.kind = "sgd";
        s.learning_rate = 0.1;
        s.momentum = 0.9;
        s.weight_decay = 0;
        s.clip_norm = 0;
        s.total_steps = 1000000;
        std::map<std::string, Tensor> w = {{"x.weight", {{1, 1}, {1.0f}}}};
        std::map<std::string, Tensor> g = {{"x.weight", {{1, 1}, {2.0f}}}};
        Optimizer opt(s, {"x.weight"});
        opt.step(w, g);  // buf = g = 2; p = 1 - 0.1*2 = 0.8
        QVERIFY(std::abs(w["x.weight"].values[0] - 0.8f) < 1e-6);
        opt.step(w, g);  // buf = 0.9*2 + 2 = 3.8; p = 0.8 - 0.38 = 0.42
        QVERIFY(std::abs(w["x.weight"].values[0] - 0.42f) < 1e-6);
    }

    void clippingScalesTheGlobalNorm() {
        OptimizerSettings s;
        s.kind = "sgd";
        s.momentum = 0;
        s.weight_decay = 0;
        s.learning_rate = 1;
        s.clip_norm = 1;
        s.total_steps = 1000000;
        std::map<std::string, Tensor> w = {{"x.weight", {{1, 2}, {0.0f, 0.0f}}}};
        std::map<std::string, Tensor> g = {{"x.weight", {{1, 2}, {3.0f, 4.0f}}}};
        Optimizer opt(s, {"x.weight"});
        QCOMPARE(opt.step(w, g), 5.0);
        QVERIFY(std::abs(w["x.weight"].values[0] + 0.6f) < 1e-5);  // (3, 4) / 5
        QVERIFY(std::abs(w["x.weight"].values[1] + 0.8f) < 1e-5);
    }

    void scheduleWarmsUpThenFollowsACosine() {
        OptimizerSettings s;
        s.learning_rate = 1;
        s.warmup_steps = 4;
        s.total_steps = 14;
        QCOMPARE(scheduledLearningRate(s, 0), 0.25);
        QCOMPARE(scheduledLearningRate(s, 3), 1.0);
        QVERIFY(std::abs(scheduledLearningRate(s, 4) - 1.0) < 1e-12);
        QVERIFY(std::abs(scheduledLearningRate(s, 9) - 0.5) < 1e-12);
        QVERIFY(std::abs(scheduledLearningRate(s, 14)) < 1e-12);
    }

    void onlyMatricesDecay() {
        QVERIFY(decaysWeight("a.linear.weight", Tensor{{2, 2}, std::vector<float>(4)}));
        QVERIFY(decaysWeight("c.convolution.weight", Tensor{{2, 1, 3, 3}, std::vector<float>(18)}));
        QVERIFY(!decaysWeight("a.batch_norm.weight", Tensor{{2}, std::vector<float>(2)}));
        QVERIFY(!decaysWeight("b.attention_biases", Tensor{{2, 9}, std::vector<float>(18)}));
        QVERIFY_THROWS_EXCEPTION(Error, Optimizer(OptimizerSettings{"adam"}, {}));
    }

    // Data parallel: the batch split over two threads gives the step of one thread (up to float summation order).
    void twoThreadsTakeTheStepOfOne() {
        const std::string tiny = std::string(LEVIT_TEST_DATA_DIR) + "/golden/tiny_seed0";
        LoadedCheckpoint ck = loadCheckpoint(tiny);
        const std::vector<float> all = readNpy(tiny + "/npy/pixel_values.npy").toFloat();
        const std::vector<float> pixels(all.begin(), all.begin() + 5 * 3 * 96 * 96);
        const std::vector<int> labels = {1, 4, 7, 2, 9};
        // SGD: Adam's normalisation would turn summation-order noise on near-zero gradients into full steps.
        OptimizerSettings settings;
        settings.kind = "sgd";
        settings.learning_rate = 0.1;
        settings.total_steps = 10;
        TrainingStep one(ck.config, ck.weights, parameterNames(ck.config), settings, 1);
        TrainingStep two(ck.config, ck.weights, parameterNames(ck.config), settings, 2);
        for (int step = 0; step < 2; ++step) {
            const TrainingStep::Result a = one.run(pixels, 5, labels, {}, 0.5, 0.1);
            const TrainingStep::Result b = two.run(pixels, 5, labels, {}, 0.5, 0.1);
            QVERIFY2(std::abs(a.loss - b.loss) <= 1e-5 * std::abs(a.loss), qPrintable(QString("%1 vs %2").arg(a.loss).arg(b.loss)));
            QCOMPARE(a.cls_correct, b.cls_correct);
        }
        double worst = 0;
        for (const auto& [name, t] : one.weights())
            for (size_t i = 0; i < t.values.size(); ++i)
                worst = std::max(worst, double(std::abs(t.values[i] - two.weights().at(name).values[i])));
        QVERIFY2(worst < 1e-5, qPrintable(QString::number(worst)));
    }

    void augmentationKeepsItsPromises() {
        ImageRGB8 image;
        image.width = 50;
        image.height = 30;
        for (int i = 0; i < 50 * 30; ++i) image.pixels.insert(image.pixels.end(), {uint8_t(i % 50 * 5), uint8_t(i / 50 * 8), 77});
        PreprocessConfig processor;
        processor.shortest_edge = processor.crop_height = processor.crop_width = 24;
        AugmentSettings s;
        s.horizontal_flip = true;
        std::mt19937 a(3), b(3), c(4);
        const ImageRGB8 x = augmentImage(image, processor, 24, s, a), y = augmentImage(image, processor, 24, s, b);
        QCOMPARE(x.width, 24);
        QCOMPARE(x.height, 24);
        QVERIFY(x.pixels == y.pixels);  // same seed, same image
        bool differs = false;
        for (int i = 0; i < 5 && !differs; ++i) differs = augmentImage(image, processor, 24, s, c).pixels != x.pixels;
        QVERIFY(differs);
        // Everything off: exactly what inference sees.
        AugmentSettings off;
        off.random_resized_crop = false;
        off.horizontal_flip = false;
        off.color_jitter = 0;
        QVERIFY(augmentImage(image, processor, 24, off, a).pixels == resizeAndCrop(image, processor).pixels);
        // A flip alone mirrors each row.
        AugmentSettings flip = off;
        flip.horizontal_flip = true;
        const ImageRGB8 plain = resizeAndCrop(image, processor);
        bool mirrored = false;
        for (int i = 0; i < 20 && !mirrored; ++i) {
            const ImageRGB8 f = augmentImage(image, processor, 24, flip, a);
            if (f.pixels == plain.pixels) continue;
            mirrored = true;
            for (int yy = 0; yy < 24; ++yy)
                for (int xx = 0; xx < 24; ++xx)
                    for (int k = 0; k < 3; ++k)
                        QCOMPARE(f.pixels[(size_t(yy) * 24 + xx) * 3 + k], plain.pixels[(size_t(yy) * 24 + 23 - xx) * 3 + k]);
        }
        QVERIFY(mirrored);
    }
};

QTEST_GUILESS_MAIN(TestTrainingParts)
#include "test_training_parts.moc"
