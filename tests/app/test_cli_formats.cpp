// `levit` with every checkpoint format on --model: PyTorch .pth/.bin in each name layout give the golden
// logits, `inspect` reports the layout, and a malicious pickle is one clear error line, not an execution.
#include <QtTest/QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cmath>

#include "cli_runner.h"
#include "levit/npy.h"
#include "test_support.h"
#include "torch_zip_writer.h"

namespace {

QString formats() { return QString::fromStdString(levit_test::testDataDir() + "/golden/tiny_seed0/formats"); }
QString pixels() { return QString::fromStdString(levit_test::testDataDir() + "/golden/tiny_seed0/npy/pixel_values.npy"); }

}  // namespace

class TestCliFormats : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;

private slots:
    void classifyEveryPytorchLayout_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("layout");
        QTest::newRow("HF pytorch_model.bin") << "pytorch_model.bin" << "Hugging Face";
        QTest::newRow("official .pth") << "official_model.pth" << "facebookresearch/LeViT";
        QTest::newRow("timm .pth") << "timm_checkpoint.pth" << "timm";
    }
    void classifyEveryPytorchLayout() {
        QFETCH(QString, file);
        QFETCH(QString, layout);
        const QString model = formats() + "/" + file;
        const levit_test::CliRun r = levit_test::runLevit({"classify", "--model", model, "--pixel-values", pixels(), "--json"});
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        const QJsonArray results = QJsonDocument::fromJson(r.out.toUtf8()).object()["results"].toArray();
        const auto logits = levit::readNpy(pixels().replace("pixel_values", "logits").toStdString()).toFloat();
        QCOMPARE(results.size(), 6);
        double worst = 0;
        for (int b = 0; b < 6; ++b)
            for (int i = 0; i < 10; ++i)
                worst = std::max(worst, std::abs(results[b].toObject()["logits"].toArray()[i].toDouble() - logits[b * 10 + i]));
        QVERIFY2(worst <= 1e-4, qPrintable(QString("max diff %1").arg(worst)));
        const levit_test::CliRun info = levit_test::runLevit({"inspect", "--model", model});
        QVERIFY2(info.exit_code == 0, qPrintable(info.err));
        QVERIFY2(info.out.contains(layout) && info.out.contains("config inferred from tensor shapes"), qPrintable(info.out));
    }

    void aMaliciousPickleIsOneErrorLine() {
        const QString marker = tmp.filePath("pwned");
        const std::string pickle = levit_test::Pickle()
                                       .proto(2)
                                       .global("os", "system")
                                       .str("touch " + marker.toStdString())
                                       .raw("\x85")
                                       .reduce()
                                       .stop()
                                       .b;
        const QString path = tmp.filePath("evil.pth");
        levit_test::writeFile(path.toStdString(), levit_test::makeTorchZip(pickle, {}));
        const levit_test::CliRun r = levit_test::runLevit({"inspect", "--model", path});
        QVERIFY(r.exit_code != 0 && r.exit_code != -1);
        QVERIFY(r.out.isEmpty());
        const QString err = r.err.trimmed();
        QVERIFY2(!err.contains('\n') && err.contains(path) && err.contains("'os.system' is not allowed"), qPrintable(err));
        QVERIFY2(!QFile::exists(marker), "the payload ran");
    }
};

QTEST_GUILESS_MAIN(TestCliFormats)
#include "test_cli_formats.moc"
