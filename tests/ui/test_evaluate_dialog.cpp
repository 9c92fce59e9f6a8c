// The Evaluate dialog on a small ImageFolder of the bundled model's classes (some images deliberately in the wrong
// folder, so the confusion matrix has off-diagonal cells): its counts are `levit eval --json`'s, a cell lists its
// images, the disagreement list is the images whose heads differ, the exports are complete, and a folder whose
// class the model does not know is refused with its name.
#include <QtTest/QtTest>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include "cli_runner.h"
#include "levit/checkpoint.h"
#include "view_test_helpers.h"
#include "widgets/evaluate_dialog.h"
#include "widgets/heatmap_widget.h"

using namespace levit::ui;

namespace {

const QString kModel = QStringLiteral(LEVIT_SOURCE_DIR "/resources/models/levit-fashion");
const QString kSamples = QStringLiteral(LEVIT_SOURCE_DIR "/resources/samples/");

}  // namespace

class TestEvaluateDialog : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    QString folder;

    void put(const QString& cls, const QString& sample, const QString& name) {
        QDir().mkpath(QDir(folder).filePath(cls));
        QVERIFY(QFile::copy(kSamples + sample, QDir(folder).filePath(cls + "/" + name)));
    }

    void runToEnd(EvaluateDialog& dialog) {
        QSignalSpy finished(&dialog, &EvaluateDialog::finished);
        dialog.start();
        QVERIFY(finished.wait(60000));
    }

private slots:
    void initTestCase() {
        folder = tmp.filePath("labelled");
        put("Ankle boot", "sample_00_ankle_boot.png", "a.png");
        put("Ankle boot", "sample_05_sneaker.png", "b.png");  // a sneaker filed as a boot
        put("Sneaker", "sample_05_sneaker.png", "c.png");
        put("Sneaker", "sample_04_sandal.png", "d.png");
        put("Bag", "sample_06_bag.png", "e.png");
        put("Bag", "sample_03_dress.png", "f.png");
    }

    void countsAreLevitEvals() {
        EvaluateDialog dialog;
        dialog.setModel(levit::loadModel(kModel.toStdString()), kModel);
        dialog.setFolder(folder);
        runToEnd(dialog);
        QVERIFY2(dialog.outcome().has_value(), qPrintable(dialog.summary()));
        const levit::EvaluationTally& t = *dialog.outcome()->tally;
        QCOMPARE(t.images(), 6);

        const levit_test::CliRun cli = levit_test::runLevit({"eval", "--model", kModel, "--data", folder, "--json"});
        QCOMPARE(cli.exit_code, 0);
        const QJsonObject expected = QJsonDocument::fromJson(cli.out.toUtf8()).object();
        const QJsonArray confusion = expected["confusion"].toArray();
        QCOMPARE(confusion.size(), t.classes());
        int off_diagonal = 0;
        for (int r = 0; r < t.classes(); ++r)
            for (int c = 0; c < t.classes(); ++c) {
                QCOMPARE(t.confusionAt(r, c), confusion[r].toArray()[c].toInt());
                if (r != c) off_diagonal += t.confusionAt(r, c);
            }
        QVERIFY(off_diagonal >= 2);  // the two misfiled images at least
        QCOMPARE(double(t.correctAveraged()) / t.images(), expected["accuracy"].toDouble());
        QCOMPARE(double(t.correctCls()) / t.images(), expected["cls_accuracy"].toDouble());
        QCOMPARE(double(t.correctDistillation()) / t.images(), expected["distillation_accuracy"].toDouble());
        QVERIFY(dialog.summary().contains("6 images"));

        // The matrix shows the folder's classes (and what they were taken for); each cell lists its images.
        const int shown = dialog.confusionMap()->rows();
        QVERIFY(shown >= 3 && shown <= t.classes());
        int listed = 0;
        for (int r = 0; r < shown; ++r)
            for (int c = 0; c < shown; ++c) {
                dialog.selectCell(r, c);
                listed += dialog.cellImages().size();
            }
        QCOMPARE(listed, 6);
        dialog.show();
        dialog.selectCell(0, 0);
        QTest::qWait(100);
        view_test::saveScreenshot(&dialog, "evaluate_dialog");

        int disagree = 0;
        for (const levit::EvaluatedImage& e : t.results()) disagree += e.cls != e.distillation;
        QCOMPARE(dialog.disagreementImages().size(), disagree);

        // JSON export = levit eval --json (but the throughput); CSV: a row per image.
        const QString json_path = tmp.filePath("evaluation.json"), csv_path = tmp.filePath("evaluation.csv");
        QVERIFY(dialog.exportJson(json_path));
        QFile json_file(json_path);
        QVERIFY(json_file.open(QIODevice::ReadOnly));
        QJsonObject exported = QJsonDocument::fromJson(json_file.readAll()).object();
        QJsonObject cli_json = expected;
        exported.remove("images_per_s");
        cli_json.remove("images_per_s");
        QCOMPARE(exported, cli_json);
        QVERIFY(dialog.exportCsv(csv_path));
        QFile csv(csv_path);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QCOMPARE(csv.readAll().count('\n'), 7);
        QVERIFY(!dialog.exportCsv(tmp.filePath("no/such/folder/x.csv")));
    }

    void anUnknownClassIsRefusedByName() {
        const QString odd = tmp.filePath("odd");
        QDir().mkpath(odd + "/Unicorn");
        QVERIFY(QFile::copy(kSamples + "sample_00_ankle_boot.png", odd + "/Unicorn/u.png"));
        EvaluateDialog dialog;
        dialog.setModel(levit::loadModel(kModel.toStdString()), kModel);
        dialog.setFolder(odd);
        runToEnd(dialog);
        QVERIFY(!dialog.outcome().has_value());
        QVERIFY2(dialog.summary().contains("Unicorn") && dialog.summary().contains("no class named"), qPrintable(dialog.summary()));
    }
};

QTEST_MAIN(TestEvaluateDialog)
#include "test_evaluate_dialog.moc"
