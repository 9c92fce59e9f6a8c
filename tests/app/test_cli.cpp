// The `levit` command line as other tools rely on it: output formats, golden numbers, and one clear
// error line (naming the file and the problem) with a non-zero exit for every kind of bad input.
#include <QtTest/QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <cmath>

#include "levit/classify.h"
#include "levit/npy.h"
#include "cli_runner.h"
#include "test_support.h"

namespace {

using Run = levit_test::CliRun;
using levit_test::runLevit;

QString tiny() { return QString::fromStdString(levit_test::testDataDir() + "/golden/tiny_seed0"); }

void writeBytes(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

QByteArray readBytes(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The error contract: non-zero exit, nothing on stdout, exactly one line on stderr containing every part.
void expectError(const Run& r, const QStringList& parts) {
    QVERIFY2(r.exit_code != 0, qPrintable("exit code 0; stdout: " + r.out));
    QVERIFY2(r.exit_code != -1, "crashed");
    QVERIFY2(r.out.isEmpty(), qPrintable("stdout not empty: " + r.out.left(200)));
    const QString err = r.err.trimmed();
    QVERIFY2(!err.contains('\n'), qPrintable("more than one line: " + err));
    for (const QString& part : parts) QVERIFY2(err.contains(part), qPrintable("'" + part + "' not in: " + err));
}

// A copy of the tiny model with `changes` merged into its preprocessor_config.json.
QString tinyWithProcessor(const QTemporaryDir& tmp, const QString& name, const QJsonObject& changes) {
    QDir(tmp.path()).mkpath(name);
    const QString folder = tmp.filePath(name);
    for (const char* f : {"config.json", "model.safetensors"}) QFile::copy(tiny() + "/" + f, folder + "/" + f);
    QJsonObject processor = QJsonDocument::fromJson(readBytes(tiny() + "/preprocessor_config.json")).object();
    for (auto it = changes.begin(); it != changes.end(); ++it) processor[it.key()] = it.value();
    writeBytes(folder + "/preprocessor_config.json", QJsonDocument(processor).toJson());
    return folder;
}

// IDX files as gzip (the format of Debian's dataset-fashion-mnist), through the system's gzip.
void writeGzip(const QString& path, const QByteArray& bytes) {
    QProcess gzip;
    gzip.start("gzip", {"-c"});
    gzip.write(bytes);
    gzip.closeWriteChannel();
    QVERIFY(gzip.waitForFinished(10000));
    writeBytes(path, gzip.readAllStandardOutput());
}

QByteArray bigEndian(std::initializer_list<quint32> words) {
    QByteArray b;
    for (quint32 w : words) b += QByteArray::fromHex(QByteArray::number(w, 16).rightJustified(8, '0'));
    return b;
}

}  // namespace

class TestCli : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;

private slots:
    void classifyPixelValuesMatchesGoldenLogits() {
        const Run r = runLevit({"classify", "--model", tiny(), "--pixel-values", tiny() + "/npy/pixel_values.npy",
                             "--json", "--top-k", "3"});
        QCOMPARE(r.exit_code, 0);
        const QJsonObject doc = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(doc["model"].toString(), tiny());
        const QJsonArray results = doc["results"].toArray();
        const auto golden = levit::readNpy(levit_test::testDataDir() + "/golden/tiny_seed0/npy/logits.npy");
        const auto cls = levit::readNpy(levit_test::testDataDir() + "/golden/tiny_seed0/npy/cls_logits.npy").toFloat();
        const auto dist =
            levit::readNpy(levit_test::testDataDir() + "/golden/tiny_seed0/npy/distillation_logits.npy").toFloat();
        const auto logits = golden.toFloat();
        const int n = static_cast<int>(golden.shape[0]), labels = static_cast<int>(golden.shape[1]);
        QCOMPARE(results.size(), n);
        for (int b = 0; b < n; ++b) {
            const QJsonObject res = results[b].toObject();
            QVERIFY(res["input"].toString().endsWith("pixel_values.npy[" + QString::number(b) + "]"));
            for (int i = 0; i < labels; ++i) {
                QVERIFY(std::abs(res["logits"].toArray()[i].toDouble() - logits[b * labels + i]) <= 1e-4);
                QVERIFY(std::abs(res["cls_logits"].toArray()[i].toDouble() - cls[b * labels + i]) <= 1e-4);
                QVERIFY(std::abs(res["distillation_logits"].toArray()[i].toDouble() - dist[b * labels + i]) <= 1e-4);
            }
            const QJsonArray top = res["top_k"].toArray();
            QCOMPARE(top.size(), 3);
            const int argmax = static_cast<int>(
                std::max_element(logits.begin() + b * labels, logits.begin() + (b + 1) * labels) -
                (logits.begin() + b * labels));
            QCOMPARE(top[0].toObject()["index"].toInt(), argmax);
            QCOMPARE(top[0].toObject()["label"].toString(), QString("LABEL_%1").arg(argmax));
            QVERIFY(top[0].toObject()["probability"].toDouble() >= top[1].toObject()["probability"].toDouble());
            // Each head's own best class and probability, from that head's logits alone.
            for (const auto& [key, head] : {std::pair{"cls_top1", &cls}, std::pair{"distillation_top1", &dist}}) {
                const auto best = levit::topK(head->data() + b * labels, labels, 1, {}).front();
                const QJsonObject one = res[key].toObject();
                QCOMPARE(one["index"].toInt(), best.index);
                QCOMPARE(one["label"].toString(), QString("LABEL_%1").arg(best.index));
                QVERIFY(std::abs(one["probability"].toDouble() - best.probability) <= 1e-4);
            }
        }
    }

    void classifyImagesKeepsInputOrderAndMatchesGolden() {
        const QString images = tiny() + "/images/";
        const QStringList files = {images + "gradient_300x200.png", images + "checker_97x333.png",
                                   images + "noise_224x224.png", images + "gray_151x181.png",
                                   images + "sinus_640x427.png", images + "small_31x17.png"};
        const Run r = runLevit(QStringList{"classify", "--model", tiny(), "--json"} + files);
        QCOMPARE(r.exit_code, 0);
        const QJsonArray results = QJsonDocument::fromJson(r.out.toUtf8()).object()["results"].toArray();
        QCOMPARE(results.size(), files.size());
        const auto logits = levit::readNpy(levit_test::testDataDir() + "/golden/tiny_seed0/npy/logits.npy").toFloat();
        for (int b = 0; b < files.size(); ++b) {
            QCOMPARE(results[b].toObject()["input"].toString(), files[b]);
            const QJsonArray ours = results[b].toObject()["logits"].toArray();
            for (int i = 0; i < ours.size(); ++i) QVERIFY(std::abs(ours[i].toDouble() - logits[b * 10 + i]) <= 1e-4);
        }
        const Run text = runLevit({"classify", "--model", tiny(), "--top-k", "2", files[0]});
        QCOMPARE(text.exit_code, 0);
        QVERIFY(text.out.startsWith(files[0] + "\n  1. "));
        QCOMPARE(text.out.count("LABEL_"), 2);
    }

    void aLoneSafetensorsFileGetsItsConfigFromTheShapes() {
        QDir(tmp.path()).mkpath("lone");
        const QString weights = tmp.filePath("lone/weights.safetensors");
        QVERIFY(QFile::copy(tiny() + "/model.safetensors", weights));
        const Run r = runLevit({"classify", "--model", weights, "--pixel-values", tiny() + "/npy/pixel_values.npy", "--json"});
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        const QJsonArray results = QJsonDocument::fromJson(r.out.toUtf8()).object()["results"].toArray();
        const auto logits = levit::readNpy(levit_test::testDataDir() + "/golden/tiny_seed0/npy/logits.npy").toFloat();
        QCOMPARE(results.size(), 6);
        for (int b = 0; b < 6; ++b)
            for (int i = 0; i < 10; ++i)
                QVERIFY(std::abs(results[b].toObject()["logits"].toArray()[i].toDouble() - logits[b * 10 + i]) <= 1e-4);
        const Run info = runLevit({"inspect", "--model", weights});
        QVERIFY(info.out.contains("config inferred from tensor shapes"));
        QVERIFY(info.out.contains("token grids  [6, 3, 2, 2]"));
    }

    void preprocessWritesGoldenPixelValues() {
        const QString out = tmp.filePath("pv.npy");
        const Run r = runLevit({"preprocess", "--model", tiny(), tiny() + "/images/sinus_640x427.png", "--out", out});
        QCOMPARE(r.exit_code, 0);
        const auto ours = levit::readNpy(out.toStdString());
        QCOMPARE(ours.shape, (std::vector<int64_t>{1, 3, 96, 96}));
        const auto golden = levit::readNpy(levit_test::testDataDir() + "/golden/tiny_seed0/npy/pixel_values.npy").toFloat();
        const auto v = ours.toFloat();
        const size_t per = v.size(), offset = 4 * per;  // image 4 of the golden batch
        double worst = 0;
        for (size_t i = 0; i < per; ++i) worst = std::max(worst, double(std::abs(v[i] - golden[offset + i])));
        QVERIFY2(worst <= 1e-5, qPrintable(QString::number(worst)));
    }

    void inspectReportsConfigAndFlops() {
        const Run r = runLevit({"inspect", "--model", tiny(), "--json"});
        QCOMPARE(r.exit_code, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(o["image_size"].toInt(), 96);
        QCOMPARE(o["num_labels"].toInt(), 10);
        QCOMPARE(o["token_grids"].toArray().first().toInt(), 6);
        QCOMPARE(o["stages"].toArray().size(), 5);  // patch embedding, 3 stages, heads
        QCOMPARE(o["attention_blocks"].toArray().size(), 6);
        QVERIFY(o["parameters"].toInt() > 0);
        const Run text = runLevit({"inspect", "--model", tiny()});
        QCOMPARE(text.exit_code, 0);
        QVERIFY(text.out.contains("GFLOPs/image"));
    }

    void benchPrintsOneJsonLineWithTheBaselineFields() {
        const Run r = runLevit({"bench", "--model", tiny(), "--batch", "2", "--threads", "2", "--warmup", "1", "--runs", "5",
                             "--json"});
        QCOMPARE(r.exit_code, 0);
        QCOMPARE(r.out.trimmed().count('\n'), 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        for (const char* key : {"engine", "model", "batch", "threads", "median_ms", "p10_ms", "p90_ms", "images_per_s"})
            QVERIFY2(o.contains(key), key);
        QCOMPARE(o["engine"].toString(), QString("levit-lens"));
        QCOMPARE(o["batch"].toInt(), 2);
        QCOMPARE(o["threads"].toInt(), 2);
        QVERIFY(o["p10_ms"].toDouble() <= o["median_ms"].toDouble());
        QVERIFY(o["median_ms"].toDouble() <= o["p90_ms"].toDouble());
        QVERIFY(std::abs(o["images_per_s"].toDouble() - 2000.0 / o["median_ms"].toDouble()) < 1e-6 * o["images_per_s"].toDouble());
    }

    void benchLayersTimesEveryPartOfThePass() {
        const Run r = runLevit({"bench", "--model", tiny(), "--batch", "2", "--warmup", "1", "--runs", "4", "--layers", "--json"});
        QCOMPARE(r.exit_code, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        const QJsonArray layers = o["layers"].toArray();
        // Four convolutions, the encoder's layers, pooling, two heads, their average: the tiny model's graph
        // without the image and its preprocessing.
        QStringList names;
        double mflop = 0;
        for (const QJsonValue& v : layers) {
            const QJsonObject l = v.toObject();
            names << l["name"].toString();
            mflop += l["mflop"].toDouble();
            QVERIFY2(l["fastest_ms"].toDouble() >= 0 && l["fastest_ms"].toDouble() <= l["median_ms"].toDouble(),
                     qPrintable(l["name"].toString()));
        }
        QCOMPARE(names.first(), QString("conv1"));
        QVERIFY(names.contains("conv4") && names.contains("pooling") && names.contains("classifier_distill"));
        QVERIFY2(names.filter(QRegularExpression("^stage\\d+_layer\\d+_Levit")).size() >= 4, qPrintable(names.join(' ')));
        // The parts' FLOPs add up to the model's (per image, times the batch).
        QVERIFY2(std::abs(mflop - 2 * 1000 * o["gflops_per_image"].toDouble()) < 1e-3 * mflop, qPrintable(QString::number(mflop)));

        const Run text = runLevit({"bench", "--model", tiny(), "--warmup", "0", "--runs", "2", "--layers"});
        QCOMPARE(text.exit_code, 0);
        QVERIFY2(text.out.contains("fastest ms") && text.out.contains("conv3"), qPrintable(text.out));
        expectError(runLevit({"bench", "--model", tiny(), "--train", "--layers"}), {"--layers"});
    }

    void missingImageIsNamed() {
        expectError(runLevit({"classify", "--model", tiny(), "/nonexistent/cat.jpg"}), {"/nonexistent/cat.jpg", "no such file"});
    }

    void corruptImageIsNamed() {
        const QString bad = tmp.filePath("broken.png");
        writeBytes(bad, QByteArray("\x89PNG\r\n\x1a\n", 8) + QByteArray(100, 'x'));
        expectError(runLevit({"classify", "--model", tiny(), bad}), {bad});
    }

    void missingModelIsNamed() {
        expectError(runLevit({"classify", "--model", "/nonexistent/model", tiny() + "/images/small_31x17.png"}),
                    {"/nonexistent/model"});
    }

    void truncatedSafetensorsIsNamed() {
        const QByteArray full = readBytes(tiny() + "/model.safetensors");
        const QString path = tmp.filePath("truncated.safetensors");
        writeBytes(path, full.left(full.size() / 2));
        expectError(runLevit({"inspect", "--model", path}), {path});
    }

    void malformedSafetensorsHeaderIsNamed() {
        const QString path = tmp.filePath("garbage.safetensors");
        QByteArray bytes(8, '\0');
        bytes[0] = 16;
        bytes += QByteArray("{not json at all");
        writeBytes(path, bytes);
        expectError(runLevit({"inspect", "--model", path}), {path});
    }

    void configThatDoesNotMatchWeightsIsNamed() {
        QDir dir(tmp.path());
        dir.mkpath("mismatch");
        const QString folder = tmp.filePath("mismatch");
        QFile::copy(tiny() + "/model.safetensors", folder + "/model.safetensors");
        QJsonObject config = QJsonDocument::fromJson(readBytes(tiny() + "/config.json")).object();
        config["hidden_sizes"] = QJsonArray{32, 48, 96};
        writeBytes(folder + "/config.json", QJsonDocument(config).toJson());
        expectError(runLevit({"inspect", "--model", folder}), {"config does not match weights"});
    }

    void pixelValuesOfTheWrongShapeAreNamed() {
        const QString path = tmp.filePath("wrong.npy");
        std::vector<float> v(3 * 32 * 32, 0.0f);
        levit::writeNpy(path.toStdString(), {1, 3, 32, 32}, v.data());
        expectError(runLevit({"classify", "--model", tiny(), "--pixel-values", path}),
                    {path, "[1, 3, 32, 32]", "[N, 3, 96, 96]"});
    }

    // The input contract, through every command that preprocesses: a crop other than the model's input is
    // refused when the model loads; no crop gives each image its own size, refused per image, never read past.
    void preprocessingThatMissesTheModelIsRefusedEverywhere() {
        const QString crop32 = tinyWithProcessor(tmp, "crop32", {{"crop_size", QJsonObject{{"height", 32}, {"width", 32}}}});
        const QString image = tiny() + "/images/sinus_640x427.png";
        for (const QStringList& args : {QStringList{"classify", "--model", crop32, image},
                                        QStringList{"preprocess", "--model", crop32, image, "--out", tmp.filePath("x.npy")},
                                        QStringList{"eval", "--fashion-mnist", "--model", crop32, "--limit", "3"}}) {
            if (args[0] == "eval" && !QFile::exists("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz")) continue;
            expectError(runLevit(args), {crop32 + "/preprocessor_config.json", "32x32", "96x96"});
        }
        const QString no_crop = tinyWithProcessor(tmp, "nocrop", {{"do_center_crop", false}});
        expectError(runLevit({"classify", "--model", no_crop, image}), {image, "640x427", "163x109", "96x96", "do_center_crop"});
        if (QFile::exists("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"))
            expectError(runLevit({"eval", "--fashion-mnist", "--model", no_crop, "--limit", "3"}), {"28x28", "109x109", "96x96"});
        // preprocess writes what the options give, with its real shape.
        const QString out = tmp.filePath("nocrop.npy");
        QCOMPARE(runLevit({"preprocess", "--model", no_crop, image, "--out", out}).exit_code, 0);
        QCOMPARE(levit::readNpy(out.toStdString()).shape, (std::vector<int64_t>{1, 3, 109, 163}));
        const QString bilinear = tinyWithProcessor(tmp, "bilinear", {{"resample", 2}});
        const Run r = runLevit({"classify", "--model", bilinear, image, "--json"});
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    }

    void outputThatCannotBeWrittenFails() {
        if (!QFile::exists("/dev/full")) QSKIP("no /dev/full on this system");
        for (const QStringList& args : {QStringList{"classify", "--model", tiny(), tiny() + "/images/sinus_640x427.png"},
                                        QStringList{"inspect", "--model", tiny(), "--json"}}) {
            QProcess p;
            p.setStandardOutputFile("/dev/full");
            p.start(QStringLiteral(LEVIT_BIN_DIR "/levit"), args);
            QVERIFY(p.waitForFinished(60000));
            QCOMPARE(p.exitCode(), 1);
            const QString err = QString::fromUtf8(p.readAllStandardError()).trimmed();
            QVERIFY2(err.contains("cannot write the output") && !err.contains('\n'), qPrintable(err));
        }
    }

    void evalRefusesDataThatIsNotFashionMnist() {
        const QString dir = tmp.filePath("idx");
        QDir().mkpath(dir);
        const QByteArray pixels(2 * 28 * 28, '\x40');
        writeGzip(dir + "/t10k-images-idx3-ubyte.gz", bigEndian({0x803, 2, 28, 28}) + pixels);
        writeGzip(dir + "/t10k-labels-idx1-ubyte.gz", bigEndian({0x801, 2}) + QByteArray("\x03\x0c", 2));
        const QString model = QString::fromStdString(levit_test::testDataDir() + "/golden/tiny_seed0");
        expectError(runLevit({"eval", "--fashion-mnist", "--model", model, "--data-dir", dir}),
                    {"t10k-labels-idx1-ubyte.gz", "label 12", "0 to 9"});
        writeGzip(dir + "/t10k-images-idx3-ubyte.gz", bigEndian({0x803, 0, 40000, 40000}));
        expectError(runLevit({"eval", "--fashion-mnist", "--model", model, "--data-dir", dir}),
                    {"t10k-images-idx3-ubyte.gz", "no images"});
        writeGzip(dir + "/t10k-images-idx3-ubyte.gz", bigEndian({0x803, 1, 40000, 40000}));
        expectError(runLevit({"eval", "--fashion-mnist", "--model", model, "--data-dir", dir}),
                    {"t10k-images-idx3-ubyte.gz", "40000x40000"});
        writeGzip(dir + "/t10k-images-idx3-ubyte.gz", bigEndian({0x803, 3, 28, 28}) + pixels);  // 2 of 3 images
        expectError(runLevit({"eval", "--fashion-mnist", "--model", model, "--data-dir", dir}),
                    {"t10k-images-idx3-ubyte.gz", "truncated"});
    }

    void badCommandLinesExitWithUsage() {
        const Run unknown = runLevit({"classify", "--modle", tiny()});
        QCOMPARE(unknown.exit_code, 2);
        QVERIFY(unknown.err.contains("unknown option --modle"));
        const Run none = runLevit({"classify", "--model", tiny()});
        QCOMPARE(none.exit_code, 2);
        QVERIFY(none.err.contains("IMAGE"));
        const Run threads = runLevit({"bench", "--model", tiny(), "--threads", "zero"});
        QCOMPARE(threads.exit_code, 2);
        QVERIFY(threads.err.contains("--threads expects a whole number"));
        QCOMPARE(runLevit({"frobnicate"}).exit_code, 2);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
