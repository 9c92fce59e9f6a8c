// `levit train` and the folder it writes: fine-tuning learns separable classes, the result loads in LeViT
// Lens and (strictly, every state-dict key) in the PyTorch reference with Hugging Face's names giving the same
// logits, a seed makes a run repeatable, a teacher makes a two-head model, and bad input ends in one line.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <signal.h>

#include <cmath>
#include <random>

#include "cli_runner.h"
#include "levit/npy.h"
#include "test_support.h"

namespace {

using levit_test::runLevit;

QString tiny() { return QString::fromStdString(levit_test::testDataDir() + "/golden/tiny_seed0"); }

QByteArray readBytes(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QJsonObject readJson(const QString& path) { return QJsonDocument::fromJson(readBytes(path)).object(); }

// A binary PPM of 40x40 pixels: stripes in one of three orientations, with noise.
void writePattern(const QString& path, int kind, std::mt19937& rng) {
    QByteArray bytes = "P6\n40 40\n255\n";
    std::uniform_int_distribution<int> noise(-40, 40), phase(0, 7);
    const int shift = phase(rng);
    for (int y = 0; y < 40; ++y)
        for (int x = 0; x < 40; ++x) {
            const int v = kind == 0 ? ((y + shift) / 4) % 2 : kind == 1 ? ((x + shift) / 4) % 2 : (((x + shift) / 4 + (y / 4)) % 2);
            const int level = std::clamp(v * 200 + 28 + noise(rng), 0, 255);
            bytes += char(level);
            bytes += char(kind == 2 ? 255 - level : level);
            bytes += char(level);
        }
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

// DIR/<class>/<n>.ppm for the three pattern classes.
QString makeDataset(const QTemporaryDir& tmp, const QString& name, int per_class, unsigned seed) {
    std::mt19937 rng(seed);
    const QString root = tmp.filePath(name);
    const char* classes[3] = {"checks", "horizontal", "vertical"};
    const int kinds[3] = {2, 0, 1};
    for (int c = 0; c < 3; ++c) {
        QDir().mkpath(root + "/" + classes[c]);
        for (int i = 0; i < per_class; ++i) writePattern(root + "/" + classes[c] + "/" + QString::number(i) + ".ppm", kinds[c], rng);
    }
    return root;
}

void expectOneLineError(const levit_test::CliRun& r, const QStringList& parts) {
    QVERIFY2(r.exit_code == 1, qPrintable(QString("exit %1: %2").arg(r.exit_code).arg(r.err)));
    const QString err = r.err.trimmed();
    QVERIFY2(!err.contains('\n'), qPrintable("more than one line: " + err));
    for (const QString& p : parts) QVERIFY2(err.contains(p), qPrintable("'" + p + "' not in: " + err));
}

}  // namespace

class TestCliTrain : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    QString data, val, first;

private slots:
    void initTestCase() {
        data = makeDataset(tmp, "train", 12, 1);
        val = makeDataset(tmp, "val", 8, 2);
        first = tmp.filePath("model1");
    }

    void learnsSeparableClassesAndWritesAHuggingFaceFolder() {
        const auto r = runLevit({"train", "--model", tiny(), "--data", data, "--val", val, "--out", first, "--epochs", "12",
                                 "--batch", "12", "--seed", "3", "--json"});
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        const QStringList lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 13);  // one per epoch, then the summary
        QVERIFY(r.err.contains("epoch 12/12"));
        for (const char* f : {"config.json", "model.safetensors", "preprocessor_config.json", "training_results.json"})
            QVERIFY2(QFile::exists(first + "/" + f), f);
        const QJsonObject config = readJson(first + "/config.json");
        QCOMPARE(config["architectures"].toArray()[0].toString(), QString("LevitForImageClassification"));
        QCOMPARE(config["id2label"].toObject()["1"].toString(), QString("horizontal"));
        QCOMPARE(config["label2id"].toObject()["vertical"].toInt(), 2);
        const QJsonObject results = readJson(first + "/training_results.json");
        QCOMPARE(results["epochs"].toArray().size(), 12);
        const int best = results["best_epoch"].toInt();
        const double best_val = results["epochs"].toArray()[best - 1].toObject()["val_accuracy"].toDouble();
        qInfo("best epoch %d, validation accuracy %.3f", best, best_val);
        QVERIFY2(best_val >= 0.9, qPrintable(QString::number(best_val)));
        // The saved model gives that accuracy when LeViT Lens classifies the validation images.
        int correct = 0, total = 0;
        for (const QString& cls : {QString("checks"), QString("horizontal"), QString("vertical")}) {
            QStringList files;
            for (const QString& f : QDir(val + "/" + cls).entryList(QDir::Files)) files << val + "/" + cls + "/" + f;
            const auto c = runLevit(QStringList{"classify", "--model", first, "--top-k", "1", "--json"} + files);
            QVERIFY2(c.exit_code == 0, qPrintable(c.err));
            for (const auto& res : QJsonDocument::fromJson(c.out.toUtf8()).object()["results"].toArray()) {
                correct += res.toObject()["top_k"].toArray()[0].toObject()["label"].toString() == cls;
                ++total;
            }
        }
        QCOMPARE(double(correct) / total, best_val);

        // levit eval --data: the same accuracy, per class, the confusion matrix and the images it missed.
        const auto e = runLevit({"eval", "--model", first, "--data", val, "--json"});
        QVERIFY2(e.exit_code == 0, qPrintable(e.err));
        const QJsonObject report = QJsonDocument::fromJson(e.out.toUtf8()).object();
        for (const char* key : {"accuracy", "cls_accuracy", "distillation_accuracy", "heads_agreement", "images", "images_per_s",
                                "per_class", "confusion", "misclassified"})
            QVERIFY2(report.contains(key), key);
        QCOMPARE(report["images"].toInt(), total);
        QCOMPARE(report["accuracy"].toDouble(), best_val);
        QCOMPARE(report["per_class"].toObject().size(), 3);
        int diagonal = 0, sum = 0;
        const QJsonArray confusion = report["confusion"].toArray();
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 3; ++j) {
                sum += confusion[i].toArray()[j].toInt();
                if (i == j) diagonal += confusion[i].toArray()[j].toInt();
            }
        QCOMPARE(sum, total);
        QCOMPARE(diagonal, correct);
        QCOMPARE(report["misclassified"].toArray().size(), total - correct);
        // A folder whose classes the model does not know.
        expectOneLineError(runLevit({"eval", "--model", tiny(), "--data", val}), {"checks", "no class named"});
    }

    void sameSeedSameModel() {
        const QString a = tmp.filePath("seed_a"), b = tmp.filePath("seed_b");
        for (const QString& out : {a, b})
            QCOMPARE(runLevit({"train", "--model", tiny(), "--data", data, "--out", out, "--epochs", "2", "--seed", "5"}).exit_code, 0);
        QVERIFY(readBytes(a + "/model.safetensors") == readBytes(b + "/model.safetensors"));
        const QString c = tmp.filePath("seed_c");
        QCOMPARE(runLevit({"train", "--model", tiny(), "--data", data, "--out", c, "--epochs", "2", "--seed", "6"}).exit_code, 0);
        QVERIFY(readBytes(a + "/model.safetensors") != readBytes(c + "/model.safetensors"));
    }

    void aTeacherMakesATwoHeadModel() {
        const QString out = tmp.filePath("distilled");
        const auto r = runLevit({"train", "--model", tiny(), "--data", data, "--out", out, "--epochs", "2", "--teacher", first,
                                 "--train", "head"});
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        QCOMPARE(readJson(out + "/config.json")["architectures"].toArray()[0].toString(),
                 QString("LevitForImageClassificationWithTeacher"));
        QVERIFY(readBytes(out + "/model.safetensors").contains("classifier_distill.linear.weight"));
        // A teacher that knows other classes cannot teach these.
        expectOneLineError(runLevit({"train", "--model", tiny(), "--data", data, "--out", tmp.filePath("x1"), "--teacher", tiny()}),
                           {"teacher", "10 classes", "3"});
    }

    // The folder loads strictly (no missing or unexpected key) into the PyTorch model with Hugging Face's names
    // and gives LeViT Lens's logits.
    void loadsInThePyTorchReference() {
        QProcess probe;
        probe.start("/usr/bin/python3", {"-c", "import torch, numpy"});
        probe.waitForFinished(60000);
        if (probe.exitStatus() != QProcess::NormalExit || probe.exitCode() != 0)
            QSKIP("python3-torch is not installed (./tools/install-deps.sh --train installs it)");
        const QString pixels = tiny() + "/npy/pixel_values.npy";
        for (const QString& model : {first, tmp.filePath("distilled")}) {
            QProcess py;
            py.setWorkingDirectory(QStringLiteral(LEVIT_SOURCE_DIR "/tools/train"));
            py.start("/usr/bin/python3", {"check_saved_model.py", model, pixels});
            QVERIFY(py.waitForFinished(300000));
            QVERIFY2(py.exitCode() == 0, py.readAllStandardError().constData());
            const QJsonArray theirs = QJsonDocument::fromJson(py.readAllStandardOutput()).object()["logits"].toArray();
            const auto ours = runLevit({"classify", "--model", model, "--pixel-values", pixels, "--json"});
            const QJsonArray results = QJsonDocument::fromJson(ours.out.toUtf8()).object()["results"].toArray();
            QCOMPARE(theirs.size(), results.size());
            double worst = 0;
            for (int b = 0; b < results.size(); ++b)
                for (int i = 0; i < 3; ++i)
                    worst = std::max(worst, std::abs(theirs[b].toArray()[i].toDouble() -
                                                     results[b].toObject()["logits"].toArray()[i].toDouble()));
            QVERIFY2(worst <= 1e-4, qPrintable(model + ": logits differ by " + QString::number(worst)));
        }
    }

    // Ctrl+C ends training after the current step and still saves the best epoch so far.
    void anInterruptSavesTheBestSoFar() {
        const QString out = tmp.filePath("interrupted");
        QProcess p;
        p.start(QStringLiteral(LEVIT_BIN_DIR "/levit"),
                {"train", "--model", tiny(), "--data", data, "--out", out, "--epochs", "500", "--json"});
        QVERIFY(p.waitForStarted(10000));
        QTRY_VERIFY_WITH_TIMEOUT(p.canReadLine(), 120000);  // the first epoch is done
        ::kill(pid_t(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(120000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        const QJsonObject results = readJson(out + "/training_results.json");
        QVERIFY(results["interrupted"].toBool());
        QVERIFY(results["epochs"].toArray().size() < 500);
        QVERIFY(results["best_epoch"].toInt() >= 1);
        QVERIFY(QFile::exists(out + "/model.safetensors"));
    }

    void badInputEndsInOneLine() {
        expectOneLineError(runLevit({"train", "--model", tiny(), "--data", data, "--out", first}), {first, "already exists"});
        const QString one = tmp.filePath("one_class");
        QDir().mkpath(one + "/only");
        QFile::copy(data + "/checks/0.ppm", one + "/only/0.ppm");
        expectOneLineError(runLevit({"train", "--model", tiny(), "--data", one, "--out", tmp.filePath("x2")}), {one, "one class"});
        const QString empty = tmp.filePath("empty_class");
        QDir().mkpath(empty + "/a");
        QDir().mkpath(empty + "/b");
        QFile::copy(data + "/checks/0.ppm", empty + "/a/0.ppm");
        expectOneLineError(runLevit({"train", "--model", tiny(), "--data", empty, "--out", tmp.filePath("x3")}), {"/b", "no readable image"});
        expectOneLineError(runLevit({"train", "--model", tiny(), "--data", tmp.filePath("missing"), "--out", tmp.filePath("x4")}),
                           {"missing", "not a folder"});
        expectOneLineError(runLevit({"train", "--model", tiny(), "--data", data, "--out", "/nonexistent/dir/out"}), {"does not exist"});
        QVERIFY(!QFile::exists(tmp.filePath("x2")) && !QFile::exists(tmp.filePath("x3")));
        QCOMPARE(runLevit({"train", "--model", tiny(), "--data", data, "--out", tmp.filePath("x5"), "--train", "some"}).exit_code, 2);
    }

    // Files that are not images are skipped and counted; unreadable images too.
    void otherFilesAreCounted() {
        const QString mixed = makeDataset(tmp, "mixed", 3, 9);
        QFile notes(mixed + "/checks/notes.txt");
        QVERIFY(notes.open(QIODevice::WriteOnly));
        notes.write("not an image");
        notes.close();
        QFile broken(mixed + "/vertical/broken.png");
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("\x89PNG\r\n\x1a\nbroken");
        broken.close();
        const auto r = runLevit({"train", "--model", tiny(), "--data", mixed, "--out", tmp.filePath("mixed_out"), "--epochs", "1"});
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains("skipped 1 files that are not images"), qPrintable(r.err));
        QVERIFY2(r.err.contains("skipped 1 unreadable images") && r.err.contains("broken.png"), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestCliTrain)
#include "test_cli_train.moc"
