// The bundled default model (trained on Fashion-MNIST by tools/train) gives the same logits in the C++
// engine as in PyTorch, and recognises the shipped samples.
#include <QtTest/QtTest>

#include <cmath>

#include "levit/checkpoint.h"
#include "levit/npy.h"
#include "test_support.h"

using namespace levit;

class TestDefaultModel : public QObject {
    Q_OBJECT
    const std::string model_dir = std::string(LEVIT_SOURCE_DIR) + "/resources/models/levit-fashion";
    const std::string ref = levit_test::testDataDir() + "/default_model_reference";

private slots:
    void isAFashionMnistLevitInHuggingFaceLayout() {
        const LoadedCheckpoint ck = loadCheckpoint(model_dir);
        QCOMPARE(ck.config.numLabels(), 10);
        QCOMPARE(ck.config.id2label[0], std::string("T-shirt/top"));
        QCOMPARE(ck.config.id2label[9], std::string("Ankle boot"));
        const auto grids = ck.config.stageResolutions();
        QVERIFY2(grids[0] >= 7 && grids[1] >= 4 && grids[2] >= 2, "stages need meaningful feature maps");
        QCOMPARE(ck.config.preprocess.crop_height, ck.config.image_size);
    }

    void cppLogitsEqualPyTorchLogits() {
        auto model = loadModel(model_dir);
        const NpyArray pixels = readNpy(ref + "/pixel_values.npy");
        const std::vector<float> input = pixels.toFloat();
        Session session(model, 2);
        const Output& out = session.run(input, static_cast<int>(pixels.shape[0]));
        double worst = 0;
        for (const auto& [name, ours] : {std::pair{"logits", &out.logits}, std::pair{"cls_logits", &out.cls_logits},
                                         std::pair{"distillation_logits", &out.distillation_logits}}) {
            const std::vector<float> torch = readNpy(ref + "/" + name + ".npy").toFloat();
            QCOMPARE(torch.size(), ours->size());
            for (size_t i = 0; i < torch.size(); ++i) worst = std::max(worst, double(std::abs(torch[i] - (*ours)[i])));
        }
        qInfo("max |C++ - PyTorch| over logits, cls and distillation logits: %.3g", worst);
        QVERIFY(worst <= 1e-4);
        // The reference images were picked among those PyTorch classifies correctly.
        const std::vector<int64_t> labels = readNpy(ref + "/labels.npy").toInt64();
        for (size_t b = 0; b < labels.size(); ++b) {
            const float* row = out.logits.data() + b * 10;
            QCOMPARE(int64_t(std::max_element(row, row + 10) - row), labels[b]);
        }
    }
};

QTEST_GUILESS_MAIN(TestDefaultModel)
#include "test_default_model.moc"
