// `levit ... --model org/name` against a fake Hub on 127.0.0.1 serving the tiny golden checkpoint: the
// model is downloaded into a temporary HF_HOME, then read from there without a request; offline mode and
// unknown ids end with exit code 1 and one line. Nothing here reaches the internet.
#include <QtTest/QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cmath>

#include "cli_runner.h"
#include "fake_hub_server.h"
#include "levit/npy.h"
#include "test_support.h"

using levit_test::CliRun;
using levit_test::FakeHubServer;
using levit_test::runLevit;

namespace {

const QString kCommit = QStringLiteral("0123456789abcdef0123456789abcdef01234567");
const QString kTiny = QString::fromStdString(levit_test::testDataDir() + "/golden/tiny_seed0");

QByteArray readFile(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// One line on stderr naming every part, exit code 1, nothing on stdout.
void expectOneLineError(const CliRun& r, const QStringList& parts) {
    QCOMPARE(r.exit_code, 1);
    QVERIFY2(r.out.isEmpty(), qPrintable(r.out));
    const QString err = r.err.trimmed();
    QVERIFY2(!err.contains('\n'), qPrintable("more than one line: " + err));
    for (const QString& part : parts) QVERIFY2(err.contains(part), qPrintable("'" + part + "' not in: " + err));
}

}  // namespace

class TestHubCli : public QObject {
    Q_OBJECT
    FakeHubServer server;
    QTemporaryDir home;

    // `levit classify --json` of the tiny golden pixel values gave Hugging Face's logits (within 1e-4).
    static bool logitsAreTheGoldenOnes(const CliRun& r) {
        const QJsonArray results = QJsonDocument::fromJson(r.out.toUtf8()).object()["results"].toArray();
        const auto golden = levit::readNpy(kTiny.toStdString() + "/npy/logits.npy");
        const auto logits = golden.toFloat();
        const int labels = int(golden.shape[1]);
        if (results.size() != int(golden.shape[0])) return false;
        for (int b = 0; b < results.size(); ++b)
            for (int i = 0; i < labels; ++i)
                if (std::abs(results[b].toObject()["logits"].toArray()[i].toDouble() - logits[b * labels + i]) > 1e-4)
                    return false;
        return true;
    }

private slots:
    void initTestCase() {
        QVERIFY(home.isValid());
        server.addModel("levit-lens/tiny-golden", kCommit,
                        {{"config.json", {readFile(kTiny + "/config.json"), false}},
                         {"preprocessor_config.json", {readFile(kTiny + "/preprocessor_config.json"), false}},
                         {"model.safetensors", {readFile(kTiny + "/model.safetensors"), true}}});
        // The child process inherits these.
        qputenv("HF_HOME", home.path().toUtf8());
        qputenv("HF_ENDPOINT", server.endpoint().toUtf8());
        for (const char* v : {"HF_HUB_OFFLINE", "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"}) qunsetenv(v);
    }

    void offlineBeforeTheDownloadFailsWithOneLine() {
        qputenv("HF_HUB_OFFLINE", "1");
        const CliRun r = runLevit({"inspect", "--model", "levit-lens/tiny-golden"});
        qunsetenv("HF_HUB_OFFLINE");
        expectOneLineError(r, {"levit inspect: error:", "levit-lens/tiny-golden", "HF_HUB_OFFLINE"});
        QVERIFY(server.requests().isEmpty());
    }

    void inspectDownloadsTheModelIntoTheCache() {
        const CliRun r = runLevit({"inspect", "--model", "levit-lens/tiny-golden", "--json"});
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        const QJsonObject doc = QJsonDocument::fromJson(r.out.toUtf8()).object();
        const QString snapshot = home.path() + "/hub/models--levit-lens--tiny-golden/snapshots/" + kCommit;
        QCOMPARE(doc["model"].toString(), snapshot);
        QCOMPARE(doc["num_labels"].toInt(), 10);
        QVERIFY(doc["format"].toString().contains("config.json"));
        QVERIFY(QFileInfo(snapshot + "/model.safetensors").isSymLink());
        // Without a terminal, one progress line per file.
        const QStringList lines = r.err.trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        QCOMPARE(lines[0], QString("downloading levit-lens/tiny-golden: config.json 0.0/0.0 MB"));
        QCOMPARE(lines[2], QString("downloading levit-lens/tiny-golden: model.safetensors 0.7/0.7 MB"));
        QCOMPARE(server.requests().size(), 6);  // 3 HEAD, 2 GET of the small files, 1 GET from the CDN
    }

    void classifyReadsTheCachedModelWithoutARequest() {
        server.clearRequests();
        const CliRun r = runLevit({"classify", "--model", "levit-lens/tiny-golden", "--pixel-values",
                                   kTiny + "/npy/pixel_values.npy", "--json"});
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
        QVERIFY(server.requests().isEmpty());
        // The downloaded weights are the golden ones: same logits as Hugging Face computed.
        QVERIFY(logitsAreTheGoldenOnes(r));
    }

    void offlineAfterTheDownloadWorks() {
        qputenv("HF_HUB_OFFLINE", "1");
        const CliRun r = runLevit({"inspect", "--model", "levit-lens/tiny-golden", "--revision", kCommit});
        qunsetenv("HF_HUB_OFFLINE");
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        QVERIFY(r.out.contains("/snapshots/" + kCommit));
        QVERIFY(server.requests().isEmpty());
    }

    void aRepositoryWithOnlyPytorchModelBinWorks() {
        server.addModel("levit-lens/tiny-bin", kCommit,
                        {{"config.json", {readFile(kTiny + "/config.json"), false}},
                         {"pytorch_model.bin", {readFile(kTiny + "/formats/pytorch_model.bin"), true}}});
        const CliRun r = runLevit({"classify", "--model", "levit-lens/tiny-bin", "--pixel-values",
                                   kTiny + "/npy/pixel_values.npy", "--json"});
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        const QString snapshot = home.path() + "/hub/models--levit-lens--tiny-bin/snapshots/" + kCommit;
        QVERIFY(QFileInfo(snapshot + "/pytorch_model.bin").isSymLink());
        QVERIFY(!QFileInfo::exists(snapshot + "/model.safetensors"));
        QVERIFY(logitsAreTheGoldenOnes(r));
    }

    void anUnknownModelIdFailsWithOneLine() {
        const CliRun r = runLevit({"inspect", "--model", "levit-lens/no-such-model"});
        expectOneLineError(r, {"levit inspect: error: model levit-lens/no-such-model not found", "HTTP 401",
                               server.endpoint() + "/levit-lens/no-such-model/resolve/main/config.json"});
    }

    void revisionNeedsAModelId() {
        const CliRun r = runLevit({"inspect", "--model", kTiny, "--revision", "main"});
        QCOMPARE(r.exit_code, 2);
        QVERIFY2(r.err.contains("--revision applies to a Hugging Face model id"), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestHubCli)
#include "test_hub_cli.moc"
