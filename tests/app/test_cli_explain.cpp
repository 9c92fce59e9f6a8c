// `levit explain` from outside: the raw logit gradient against PyTorch autograd (tests/data/explain, tolerance
// as in test_explain.cpp), the token attribution's JSON summing to the logit, the files it writes, and one
// clear error line with exit code 1 for a bad method, class, stage or image.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <cmath>

#include "cli_runner.h"
#include "levit/npy.h"
#include "test_support.h"

namespace {

using levit_test::runLevit;
using levit_test::relativeDifference;

QString tiny() { return QString::fromStdString(levit_test::testDataDir() + "/golden/tiny_seed0"); }
QString reference() { return QString::fromStdString(levit_test::testDataDir() + "/explain/tiny_seed0"); }
QString pixelValues() { return tiny() + "/npy/pixel_values.npy"; }

}  // namespace

class TestCliExplain : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;

private slots:
    // The reference's image 0 asks for class 3 (classes.npy): --raw writes d logit / d pixels for each head.
    void rawGradientMatchesAutograd() {
        for (const char* head : {"cls", "distillation", "mean"}) {
            const QString out = tmp.filePath(QString("raw_") + head);
            const auto r = runLevit({"explain", "--model", tiny(), "--method", "gradient", "--raw", "--head", head, "--class", "3",
                                     "--pixel-values", pixelValues(), "--out", out});
            QVERIFY2(r.exit_code == 0, qPrintable(r.err));
            const levit::NpyArray ours = levit::readNpy((out + "/pixel_values_0.gradient.npy").toStdString());
            QCOMPARE(ours.shape, (std::vector<int64_t>{3, 96, 96}));
            const std::vector<float> all = levit::readNpy((reference() + "/grad_pixels_" + head + ".npy").toStdString()).toFloat();
            const std::vector<float> first(all.begin(), all.begin() + 3 * 96 * 96);
            const double e = relativeDifference(ours.toFloat(), first);
            QVERIFY2(e < 5e-5, qPrintable(QString("%1 head: relative difference %2").arg(head).arg(e)));
            QVERIFY(QFileInfo::exists(out + "/pixel_values_5.gradient.png"));
        }
    }

    void tokenJsonSumsToTheLogit() {
        const QString out = tmp.filePath("token");
        const auto r = runLevit({"explain", "--model", tiny(), "--method", "token", "--head", "cls", "--pixel-values", pixelValues(),
                                 "--out", out, "--json"});
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        const std::vector<float> golden = levit::readNpy((tiny() + "/npy/cls_logits.npy").toStdString()).toFloat();
        const QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 6);
        for (int i = 0; i < lines.size(); ++i) {
            const QJsonObject o = QJsonDocument::fromJson(lines[i].toUtf8()).object();
            QCOMPARE(o["input"].toString(), pixelValues() + QString("[%1]").arg(i));
            QCOMPARE(o["head"].toString(), QString("cls"));
            QCOMPARE(o["method"].toString(), QString("token"));
            for (const char* key : {"class", "label", "deletion_auc", "insertion_auc", "random_deletion_auc", "random_insertion_auc", "ms", "logit", "bias"})
                QVERIFY2(o.contains(key), key);
            const int k = o["class"].toInt();
            double sum = o["bias"].toDouble();
            const QJsonArray rows = o["tokens"].toArray();
            QCOMPARE(rows.size(), 2);  // the final grid of a 96 px tiny model: 6 -> 3 -> 2
            for (const QJsonValue& row : rows)
                for (const QJsonValue& v : row.toArray()) sum += v.toDouble();
            QVERIFY(std::abs(sum - o["logit"].toDouble()) <= 1e-4);
            QVERIFY(std::abs(o["logit"].toDouble() - golden[size_t(i) * 10 + k]) <= 1e-4);
            // The default class is the head's top-1.
            for (int c = 0; c < 10; ++c) QVERIFY(golden[size_t(i) * 10 + c] <= golden[size_t(i) * 10 + k]);
            const double deletion = o["deletion_auc"].toDouble(), insertion = o["insertion_auc"].toDouble();
            QVERIFY(deletion >= 0 && deletion <= 1 && insertion >= 0 && insertion <= 1);
            const levit::NpyArray map = levit::readNpy((out + QString("/pixel_values_%1.token.npy").arg(i)).toStdString());
            QCOMPARE(map.shape, (std::vector<int64_t>{96, 96}));
        }
    }

    // Images are named by their file stem; every method writes its map and figure.
    void everyMethodWritesItsFiles() {
        const QString out = tmp.filePath("methods");
        const QString image = tiny() + "/images/checker_97x333.png";
        for (const char* method : {"token", "gradcam", "gradient", "integrated-gradients", "occlusion", "rollout"}) {
            const auto r = runLevit({"explain", "--model", tiny(), "--method", method, "--steps", "4", image, "--out", out});
            QVERIFY2(r.exit_code == 0, qPrintable(r.err));
            QVERIFY2(r.out.contains("deletion AUC"), qPrintable(r.out));
            const QString stem = out + "/checker_97x333." + method;
            QCOMPARE(levit::readNpy((stem + ".npy").toStdString()).shape, (std::vector<int64_t>{96, 96}));
            QFile figure(stem + ".png");
            QVERIFY2(figure.open(QIODevice::ReadOnly), method);
            QVERIFY2(figure.read(8) == QByteArray("\x89PNG\r\n\x1a\n", 8) && figure.size() > 10000, method);
        }
    }

    void errorsAreOneLineAndExitOne() {
        const QString out = tmp.filePath("errors");
        QFile broken(tmp.filePath("broken.png"));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("not a picture");
        broken.close();
        const QList<QStringList> cases = {
            {"--method", "saliency", "--pixel-values", pixelValues()},
            {"--method", "gradient", "--class", "10", "--pixel-values", pixelValues()},
            {"--method", "gradcam", "--stage", "4", "--pixel-values", pixelValues()},
            {"--method", "gradcam", "--stage", "0", "--pixel-values", pixelValues()},
            {"--method", "token", "--head", "both", "--pixel-values", pixelValues()},
            {"--method", "rollout", tmp.filePath("broken.png")},
        };
        for (const QStringList& c : cases) {
            const auto r = runLevit(QStringList{"explain", "--model", tiny(), "--out", out} + c);
            QVERIFY2(r.exit_code == 1, qPrintable(c.join(' ') + ": exit " + QString::number(r.exit_code)));
            QCOMPARE(r.err.count('\n'), 1);
            QVERIFY2(r.err.startsWith("levit explain: error: "), qPrintable(r.err));
        }
    }
};

QTEST_GUILESS_MAIN(TestCliExplain)
#include "test_cli_explain.moc"
