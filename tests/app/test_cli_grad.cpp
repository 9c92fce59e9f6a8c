// `levit grad` as tools check it from outside: the loss, every parameter gradient named by its state-dict
// name and the pixel gradients, against PyTorch autograd (tests/data/gradients, see test_gradients.cpp for
// the tolerance), and the single-head rule loss = CE(logits, Y).
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <cmath>
#include <filesystem>

#include "cli_runner.h"
#include "levit/npy.h"
#include "levit/safetensors.h"
#include "test_support.h"

namespace {

using levit_test::runLevit;
using levit_test::relativeDifference;

QString tiny() { return QString::fromStdString(levit_test::testDataDir() + "/golden/tiny_seed0"); }
QString reference() { return QString::fromStdString(levit_test::testDataDir() + "/gradients/tiny_seed0"); }

double jsonNumber(const QString& path, const char* key) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object()[key].toDouble() : NAN;
}

}  // namespace

class TestCliGrad : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;

private slots:
    void gradientsMatchAutograd() {
        const QString out = tmp.filePath("grads");
        const auto r = runLevit({"grad", "--model", tiny(), "--pixel-values", tiny() + "/npy/pixel_values.npy", "--labels",
                                 reference() + "/labels.npy", "--distillation-labels", reference() + "/distillation_labels.npy",
                                 "--out", out});
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        QVERIFY(std::abs(jsonNumber(out + "/loss.json", "loss") - jsonNumber(reference() + "/loss.json", "loss")) < 1e-5);
        QVERIFY(relativeDifference(levit::readNpy((out + "/grad_pixel_values.npy").toStdString()).toFloat(),
                                   levit::readNpy((reference() + "/grad_pixel_values.npy").toStdString()).toFloat()) < 5e-5);
        int files = 0;
        for (const auto& entry : std::filesystem::directory_iterator((reference() + "/grads").toStdString())) {
            const std::string ours = (out + "/grads/").toStdString() + entry.path().filename().string();
            QVERIFY2(std::filesystem::exists(ours), ours.c_str());
            const levit::NpyArray a = levit::readNpy(ours), b = levit::readNpy(entry.path().string());
            QCOMPARE(a.shape, b.shape);
            QVERIFY2(relativeDifference(a.toFloat(), b.toFloat()) < 5e-5, ours.c_str());
            ++files;
        }
        QCOMPARE(int(QDir(out + "/grads").entryList(QDir::Files).size()), files);  // nothing more, nothing less
    }

    // A checkpoint with one classifier: loss = CE(logits, Y) and no distillation-head gradients.
    void singleHeadLossIsTheClassifiersCrossEntropy() {
        auto weights = levit::SafeTensorsFile::open(tiny().toStdString() + "/model.safetensors")->readAllFloating();
        for (auto it = weights.begin(); it != weights.end();)
            it = it->first.rfind("classifier_distill.", 0) == 0 ? weights.erase(it) : std::next(it);
        QDir(tmp.path()).mkpath("single");
        const QString model = tmp.filePath("single");
        levit::writeSafeTensors((model + "/model.safetensors").toStdString(), weights);
        QFile::copy(tiny() + "/config.json", model + "/config.json");
        const QString out = tmp.filePath("single_grads");
        const auto r = runLevit({"grad", "--model", model, "--pixel-values", tiny() + "/npy/pixel_values.npy", "--labels",
                                 reference() + "/labels.npy", "--out", out});
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        QVERIFY(!QFile::exists(out + "/grads/classifier_distill.linear.weight.npy"));
        QVERIFY(QFile::exists(out + "/grads/classifier.linear.weight.npy"));
        const auto classified = runLevit({"classify", "--model", model, "--pixel-values", tiny() + "/npy/pixel_values.npy", "--json"});
        const QJsonArray results = QJsonDocument::fromJson(classified.out.toUtf8()).object()["results"].toArray();
        const std::vector<int64_t> labels = levit::readNpy((reference() + "/labels.npy").toStdString()).toInt64();
        double expected = 0;
        for (int b = 0; b < results.size(); ++b) {
            const QJsonArray logits = results[b].toObject()["logits"].toArray();
            double peak = -INFINITY, sum = 0;
            for (const auto& v : logits) peak = std::max(peak, v.toDouble());
            for (const auto& v : logits) sum += std::exp(v.toDouble() - peak);
            expected += std::log(sum) + peak - logits[int(labels[size_t(b)])].toDouble();
        }
        expected /= results.size();
        QVERIFY2(std::abs(jsonNumber(out + "/loss.json", "loss") - expected) < 1e-4,
                 qPrintable(QString("loss %1, expected %2").arg(jsonNumber(out + "/loss.json", "loss")).arg(expected)));
        // --distillation-labels makes no sense without a distillation head.
        QCOMPARE(runLevit({"grad", "--model", model, "--pixel-values", tiny() + "/npy/pixel_values.npy", "--labels",
                           reference() + "/labels.npy", "--distillation-labels", reference() + "/labels.npy", "--out", out})
                     .exit_code,
                 2);
    }

    void badLabelsAreNamed() {
        const QString labels = tmp.filePath("labels.npy");
        const float values[2] = {0, 1};
        levit::writeNpy(labels.toStdString(), {2}, values);  // float, and 2 for 6 images
        const auto r = runLevit({"grad", "--model", tiny(), "--pixel-values", tiny() + "/npy/pixel_values.npy", "--labels",
                                 labels, "--out", tmp.filePath("x")});
        QCOMPARE(r.exit_code, 1);
        QVERIFY2(r.err.contains(labels) && r.err.contains("[6]"), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestCliGrad)
#include "test_cli_grad.moc"
