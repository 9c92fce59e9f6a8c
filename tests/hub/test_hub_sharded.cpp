// Sharded checkpoints on the Hub, through `levit` against the fake Hub: the index is fetched, then every
// shard it names (as LFS files from the CDN), all linked into the snapshot, which later runs read without
// a request; the logits are exactly those of the single-file model. A hostile index (a shard path outside
// the repository, a shard the repository lacks) ends in one line naming the index, with no snapshot.
#include <QtTest/QtTest>

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include "cli_runner.h"
#include "fake_hub_server.h"
#include "test_support.h"

using levit_test::CliRun;
using levit_test::FakeHubServer;
using levit_test::runLevit;

namespace {

const QString kCommit = QStringLiteral("fedcba9876543210fedcba9876543210fedcba98");
const QString kTiny = QString::fromStdString(levit_test::testDataDir() + "/golden/tiny_seed0");
const QString kSharded = QString::fromStdString(levit_test::testDataDir() + "/sharded");

QByteArray readFile(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The repository files of a fixture folder: the JSON files as plain git files, the shards as LFS files.
QMap<QString, FakeHubServer::File> repoFiles(const QString& folder) {
    QMap<QString, FakeHubServer::File> files;
    for (const QString& name : QDir(folder).entryList(QDir::Files))
        files[name] = {readFile(folder + "/" + name), !name.endsWith(".json")};
    return files;
}

QStringList classifyArgs(const QString& model) {
    return {"classify", "--model", model, "--pixel-values", kTiny + "/npy/pixel_values.npy", "--json"};
}

}  // namespace

class TestHubSharded : public QObject {
    Q_OBJECT
    FakeHubServer server;
    QTemporaryDir home;
    QJsonValue single_file_results;  // "results" of `levit classify --json` on the single-file model

    static QJsonValue resultsOf(const CliRun& r) { return QJsonDocument::fromJson(r.out.toUtf8()).object()["results"]; }

    QString snapshot(const QString& repo) const {
        return home.path() + "/hub/models--" + QString(repo).replace('/', "--") + "/snapshots/" + kCommit;
    }

    // The model downloads; its snapshot holds the index and every shard; the logits are the single file's.
    void expectShardedDownload(const QString& repo, const QString& index) {
        const CliRun r = runLevit(classifyArgs(repo));
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        QCOMPARE(resultsOf(r), single_file_results);
        const QJsonObject map = QJsonDocument::fromJson(readFile(snapshot(repo) + "/" + index)).object()["weight_map"].toObject();
        QSet<QString> shards;
        for (const auto& shard : map) shards.insert(shard.toString());
        QCOMPARE(shards.size(), 3);
        for (const QString& shard : shards) QVERIFY2(QFileInfo(snapshot(repo) + "/" + shard).isSymLink(), qPrintable(shard));
        // Every shard came from the CDN, once.
        int cdn = 0;
        for (const auto& req : server.requests()) cdn += req.path.startsWith("/cdn/") ? 1 : 0;
        QCOMPARE(cdn, 3);
        // And now from the cache, without a request.
        server.clearRequests();
        const CliRun again = runLevit(classifyArgs(repo));
        QVERIFY2(again.exit_code == 0, qPrintable(again.err));
        QCOMPARE(resultsOf(again), single_file_results);
        QVERIFY(server.requests().isEmpty());
    }

private slots:
    void initTestCase() {
        QVERIFY(home.isValid());
        qputenv("HF_HOME", home.path().toUtf8());
        qputenv("HF_ENDPOINT", server.endpoint().toUtf8());
        for (const char* v : {"HF_HUB_OFFLINE", "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "HF_TOKEN", "HF_TOKEN_PATH"}) qunsetenv(v);
        const CliRun single = runLevit(classifyArgs(kTiny));
        QVERIFY2(single.exit_code == 0, qPrintable(single.err));
        single_file_results = resultsOf(single);
        QVERIFY(single_file_results.isArray() && !single_file_results.toArray().isEmpty());
    }

    void init() { server.clearRequests(); }

    void shardedSafetensorsDownloadAndGiveTheSameLogits() {
        server.addModel("levit-lens/sharded", kCommit, repoFiles(kSharded + "/safetensors"));
        expectShardedDownload("levit-lens/sharded", "model.safetensors.index.json");
    }

    void shardedPytorchBinDownloadAndGiveTheSameLogits() {
        server.addModel("levit-lens/sharded-bin", kCommit, repoFiles(kSharded + "/bin"));
        expectShardedDownload("levit-lens/sharded-bin", "pytorch_model.bin.index.json");
    }

    void aShardPathOutsideTheRepositoryIsRefused() {
        auto files = repoFiles(kSharded + "/safetensors");
        const QString index = "model.safetensors.index.json";
        files[index].content.replace("model-00002-of-00003.safetensors", "../../../escape.safetensors");
        server.addModel("levit-lens/sharded-escape", kCommit, files);
        const CliRun r = runLevit(classifyArgs("levit-lens/sharded-escape"));
        QCOMPARE(r.exit_code, 1);
        QVERIFY2(!r.err.trimmed().contains('\n'), qPrintable(r.err));
        for (const QString part : {"levit-lens/sharded-escape", "model.safetensors.index.json", "../../../escape.safetensors", "refused"})
            QVERIFY2(r.err.contains(part), qPrintable("'" + part + "' not in: " + r.err));
        for (const auto& req : server.requests()) QVERIFY2(!req.path.contains("escape.safetensors"), qPrintable(req.path));
        QVERIFY(!QFileInfo::exists(snapshot("levit-lens/sharded-escape")));
    }

    void aShardTheRepositoryLacksIsNamed() {
        auto files = repoFiles(kSharded + "/safetensors");
        files.remove("model-00003-of-00003.safetensors");
        server.addModel("levit-lens/sharded-incomplete", kCommit, files);
        const CliRun r = runLevit(classifyArgs("levit-lens/sharded-incomplete"));
        QCOMPARE(r.exit_code, 1);
        QVERIFY2(r.err.contains("has no file model-00003-of-00003.safetensors"), qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(snapshot("levit-lens/sharded-incomplete")));
    }
};

QTEST_GUILESS_MAIN(TestHubSharded)
#include "test_hub_sharded.moc"
