// The Hugging Face Hub client against a fake Hub on 127.0.0.1 (tests/common/fake_hub_server.h): the
// cache layout huggingface_hub uses, resuming, integrity, offline mode, fallbacks and error messages.
// Nothing here reaches the internet.
#include <QtTest/QtTest>

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QTemporaryDir>

#include <filesystem>

#include "fake_hub_server.h"
#include "hub/cached_models.h"
#include "hub/download_progress.h"
#include "hub/hub_environment.h"
#include "hub/hub_error.h"
#include "hub/model_download.h"
#include "hub/model_id.h"
#include "hub/repo_cache.h"
#include "test_support.h"

using namespace levit::hub;
using levit_test::FakeHubServer;

namespace {

const QString kCommitA = QStringLiteral("a1b2c3d4e5f60718293a4b5c6d7e8f9012345678");
const QString kCommitB = QStringLiteral("b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0");
const QString kCommitV1 = QStringLiteral("1111111111111111111111111111111111111111");

QByteArray readFile(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QByteArray tinyFile(const char* set, const char* name) {
    return readFile(QString::fromStdString(levit_test::testDataDir() + "/golden/" + set + "/" + name));
}

struct Outcome {
    QString dir;
    bool from_cache = false;
    QString error;
    bool cancelled = false;
    QList<DownloadProgress> progress;
};

// Runs a ModelDownload to its end; `on_progress` may act on the download (e.g. cancel it).
Outcome download(const ModelId& id, const std::function<void(ModelDownload&, const DownloadProgress&)>& on_progress = {}) {
    ModelDownload d(id);
    Outcome out;
    QEventLoop loop;
    QObject::connect(&d, &ModelDownload::progress, &loop, [&](const DownloadProgress& p) {
        out.progress << p;
        if (on_progress) on_progress(d, p);
    });
    QObject::connect(&d, &ModelDownload::finished, &loop, [&](const QString& dir, bool from_cache) {
        out.dir = dir;
        out.from_cache = from_cache;
        loop.quit();
    });
    QObject::connect(&d, &ModelDownload::failed, &loop, [&](const QString& m) {
        out.error = m;
        loop.quit();
    });
    QObject::connect(&d, &ModelDownload::cancelled, &loop, [&] {
        out.cancelled = true;
        loop.quit();
    });
    QTimer::singleShot(60000, &loop, [&] {
        out.error = "test timeout";
        loop.quit();
    });
    d.start();
    loop.exec();
    return out;
}

ModelId idOf(const QString& text) { return parseModelId(text); }

QString symlinkTarget(const QString& path) {
    std::error_code ec;
    return QString::fromStdString(std::filesystem::read_symlink(path.toStdString(), ec).string());
}

}  // namespace

class TestHubDownload : public QObject {
    Q_OBJECT
    std::unique_ptr<FakeHubServer> server;
    std::unique_ptr<QTemporaryDir> home;
    QByteArray config, processor, weights, weights_b, config_b, bin;

    QString hub() const { return home->path() + "/hub"; }
    QList<FakeHubServer::Request> requestsTo(const QString& part) const {
        QList<FakeHubServer::Request> found;
        for (const auto& r : server->requests())
            if (r.path.contains(part)) found << r;
        return found;
    }

private slots:
    void initTestCase() {
        config = tinyFile("tiny_seed0", "config.json");
        processor = tinyFile("tiny_seed0", "preprocessor_config.json");
        weights = tinyFile("tiny_seed0", "model.safetensors");
        config_b = tinyFile("tiny_seed1", "config.json");
        weights_b = tinyFile("tiny_seed1", "model.safetensors");
        bin = tinyFile("tiny_seed0", "formats/pytorch_model.bin");
        QVERIFY(weights.size() > 100000 && weights_b.size() > 100000 && bin.size() > 100000);
        QVERIFY(weights != weights_b);
    }

    void init() {
        server = std::make_unique<FakeHubServer>();
        server->addModel("levit-lens/tiny", kCommitA,
                         {{"config.json", {config, false}},
                          {"preprocessor_config.json", {processor, false}},
                          {"model.safetensors", {weights, true}}});
        home = std::make_unique<QTemporaryDir>();
        QVERIFY(home->isValid());
        qputenv("HF_HOME", home->path().toUtf8());
        qputenv("HF_ENDPOINT", server->endpoint().toUtf8());
        for (const char* v : {"HF_HUB_OFFLINE", "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"}) qunsetenv(v);
    }

    void modelIdsAreParsedLikeTheHub() {
        QVERIFY(looksLikeModelId("facebook/levit-128S"));
        QVERIFY(looksLikeModelId("facebook/levit-128S@main"));
        QVERIFY(looksLikeModelId("org/name@refs/pr/1"));
        QVERIFY(!looksLikeModelId("levit-128S"));
        QVERIFY(!looksLikeModelId("./models/x"));
        QVERIFY(!looksLikeModelId("/abs/path"));
        QVERIFY(!looksLikeModelId("a/b/c"));
        QVERIFY(!looksLikeModelId("org/na--me"));
        QVERIFY(!looksLikeModelId("org/name@"));
        QVERIFY(!looksLikeModelId("org/model.safetensors/"));
        const ModelId id = parseModelId("facebook/levit-192@v1.0");
        QCOMPARE(id.repo, QString("facebook/levit-192"));
        QCOMPARE(id.revision, QString("v1.0"));
        QCOMPARE(parseModelId("facebook/levit-192@v1.0", "abc").revision, QString("abc"));
        QCOMPARE(parseModelId("facebook/levit-192").revision, QString("main"));
        try {
            parseModelId("not an id");
            QFAIL("no error for 'not an id'");
        } catch (const HubError& e) {
            QVERIFY(QString(e.what()).contains("'not an id' is not a Hugging Face model id"));
        }
        QCOMPARE(RepoCache::folderName("facebook/levit-128S"), QString("models--facebook--levit-128S"));
    }

    void cacheFolderFollowsTheHuggingFaceVariables() {
        qunsetenv("HF_HOME");
        qputenv("XDG_CACHE_HOME", "/tmp/xdg");
        QCOMPARE(hubCacheDir(), QString("/tmp/xdg/huggingface/hub"));
        qputenv("HF_HOME", "/tmp/hfhome/");
        QCOMPARE(hubCacheDir(), QString("/tmp/hfhome/hub"));
        qputenv("HUGGINGFACE_HUB_CACHE", "/tmp/legacy");
        QCOMPARE(hubCacheDir(), QString("/tmp/legacy"));
        qputenv("HF_HUB_CACHE", "/tmp/hubcache");
        QCOMPARE(hubCacheDir(), QString("/tmp/hubcache"));
        qunsetenv("XDG_CACHE_HOME");
        qputenv("HF_ENDPOINT", "http://mirror.example/");
        QCOMPARE(hubEndpoint(), QString("http://mirror.example"));
        qunsetenv("HF_ENDPOINT");
        QCOMPARE(hubEndpoint(), QString("https://huggingface.co"));
        for (const char* on : {"1", "true", "YES", "On"}) {
            qputenv("HF_HUB_OFFLINE", on);
            QVERIFY2(hubOffline(), on);
        }
        qputenv("HF_HUB_OFFLINE", "0");
        QVERIFY(!hubOffline());
    }

    void progressReadsInMegabytes() {
        QCOMPARE(progressText({"model.safetensors", 12300000, 31300000, 0, 0}), QString("model.safetensors 12.3/31.3 MB"));
        QCOMPARE(progressText({"config.json", 1200, -1, 0, 0}), QString("config.json 0.0 MB"));
    }

    void freshDownloadWritesTheHuggingFaceCacheLayout() {
        const Outcome out = download(idOf("levit-lens/tiny"));
        QVERIFY2(out.error.isEmpty(), qPrintable(out.error));
        QVERIFY(!out.from_cache);
        const QString repo = hub() + "/models--levit-lens--tiny";
        QCOMPARE(out.dir, repo + "/snapshots/" + kCommitA);
        QCOMPARE(readFile(repo + "/refs/main"), kCommitA.toLatin1());  // the bare hash, as huggingface_hub writes it
        const QString weights_sha = FakeHubServer::sha256Hex(weights);
        const QMap<QString, QString> blob_of = {{"config.json", FakeHubServer::gitBlobSha1(config)},
                                                {"preprocessor_config.json", FakeHubServer::gitBlobSha1(processor)},
                                                {"model.safetensors", weights_sha}};
        const QMap<QString, QByteArray> content_of = {
            {"config.json", config}, {"preprocessor_config.json", processor}, {"model.safetensors", weights}};
        for (auto it = blob_of.begin(); it != blob_of.end(); ++it) {
            const QString link = out.dir + "/" + it.key();
            QVERIFY2(QFileInfo(link).isSymLink(), qPrintable(link));
            QCOMPARE(symlinkTarget(link), "../../blobs/" + it.value());
            QCOMPARE(readFile(link), content_of[it.key()]);
            QCOMPARE(readFile(repo + "/blobs/" + it.value()), content_of[it.key()]);
        }
        QCOMPARE(QDir(repo + "/blobs").entryList(QDir::Files).size(), 3);  // no .incomplete left behind
        QCOMPARE(QDir(repo + "/snapshots/" + kCommitA).entryList(QDir::Files | QDir::System).size(), 3);

        // Like huggingface_hub: HEAD each file (the first at the branch, then at its commit), the LFS
        // file's HEAD answered by a redirect whose target (the CDN) serves the bytes.
        const auto heads = [&] {
            QStringList h;
            for (const auto& r : server->requests())
                if (r.method == "HEAD") h << r.path;
            return h;
        }();
        QCOMPARE(heads, QStringList({"/levit-lens/tiny/resolve/main/config.json",
                                     "/levit-lens/tiny/resolve/" + kCommitA + "/preprocessor_config.json",
                                     "/levit-lens/tiny/resolve/" + kCommitA + "/model.safetensors"}));
        const auto cdn = requestsTo("/cdn/");
        QCOMPARE(cdn.size(), 1);
        QCOMPARE(cdn[0].path, "/cdn/" + weights_sha);
        QCOMPARE(cdn[0].body_bytes, qint64(weights.size()));
        QVERIFY(cdn[0].range.isEmpty());

        const DownloadProgress last = out.progress.last();
        QCOMPARE(last.file, QString("model.safetensors"));
        QCOMPARE(last.file_received, qint64(weights.size()));
        const qint64 total = config.size() + processor.size() + weights.size();
        QCOMPARE(last.total, total);
        QCOMPARE(last.received, total);

        // What the window lists from the cache.
        const QList<CachedModel> listed = huggingFaceCacheModels();
        QCOMPARE(listed.size(), 1);
        QCOMPARE(listed[0].name, "levit-lens/tiny @ " + kCommitA.left(8));
        QCOMPARE(listed[0].path, out.dir);
    }

    void resumesAfterTheConnectionIsCut() {
        const qint64 cut = 300000;
        server->cutOnce(weights, cut);
        const Outcome out = download(idOf("levit-lens/tiny"));
        QVERIFY2(out.error.isEmpty(), qPrintable(out.error));
        QList<FakeHubServer::Request> ours, qt_resends;
        for (const auto& r : requestsTo("/cdn/")) (ours.size() < 1 || !r.range.isEmpty() ? ours : qt_resends) << r;
        QCOMPARE(ours.size(), 2);
        QVERIFY(ours[0].range.isEmpty());
        QCOMPARE(ours[0].body_bytes, cut);
        // The downloader's next request asks for the rest only, and gets only the rest.
        QCOMPARE(ours[1].range, QByteArray("bytes=300000-"));
        QCOMPARE(ours[1].status, 206);
        QCOMPARE(ours[1].body_bytes, qint64(weights.size()) - cut);
        // Qt's HTTP stack may itself repeat the cut request once, unchanged, before reporting the cut (an
        // internal retry of idempotent requests; its answer never reaches the downloader, which stops it when
        // it notices). It is never a request of ours: it carries no Range header.
        QVERIFY(qt_resends.size() <= 1);
        for (const auto& r : qt_resends) QVERIFY(r.range.isEmpty());
        QCOMPARE(readFile(out.dir + "/model.safetensors"), weights);
    }

    void resumesAPartLeftByAnEarlierRun() {
        const QString blobs = hub() + "/models--levit-lens--tiny/blobs";
        QVERIFY(QDir().mkpath(blobs));
        QFile part(blobs + "/" + FakeHubServer::sha256Hex(weights) + ".incomplete");
        QVERIFY(part.open(QIODevice::WriteOnly));
        part.write(weights.left(123456));
        part.close();
        const Outcome out = download(idOf("levit-lens/tiny"));
        QVERIFY2(out.error.isEmpty(), qPrintable(out.error));
        const auto cdn = requestsTo("/cdn/");
        QCOMPARE(cdn.size(), 1);
        QCOMPARE(cdn[0].range, QByteArray("bytes=123456-"));
        QCOMPARE(cdn[0].body_bytes, qint64(weights.size()) - 123456);
        QCOMPARE(readFile(out.dir + "/model.safetensors"), weights);
        QVERIFY(!part.exists());
    }

    void aCorruptedFileIsDetectedAndNothingIsLinked() {
        server->corrupt(weights);
        const Outcome out = download(idOf("levit-lens/tiny"));
        QVERIFY(out.dir.isEmpty());
        for (const QString& part : {QString("levit-lens/tiny"), QString("model.safetensors"), QString("corrupt"),
                                   QString("sha256"), FakeHubServer::sha256Hex(weights), server->endpoint() + "/cdn/"})
            QVERIFY2(out.error.contains(part), qPrintable("'" + part + "' not in: " + out.error));
        const QString repo = hub() + "/models--levit-lens--tiny";
        QVERIFY(!QFileInfo::exists(repo + "/snapshots"));
        QVERIFY(!QFileInfo::exists(repo + "/refs/main"));
        QVERIFY(!QFileInfo::exists(repo + "/blobs/" + FakeHubServer::sha256Hex(weights)));
        QVERIFY(!QFileInfo::exists(repo + "/blobs/" + FakeHubServer::sha256Hex(weights) + ".incomplete"));
        QVERIFY(huggingFaceCacheModels().isEmpty());
    }

    void aCachedModelIsUsedWithoutAnyRequest() {
        const Outcome first = download(idOf("levit-lens/tiny"));
        QVERIFY2(first.error.isEmpty(), qPrintable(first.error));
        server->clearRequests();
        const Outcome again = download(idOf("levit-lens/tiny"));
        QVERIFY2(again.error.isEmpty(), qPrintable(again.error));
        QVERIFY(again.from_cache);
        QCOMPARE(again.dir, first.dir);
        QVERIFY(server->requests().isEmpty());

        qputenv("HF_HUB_OFFLINE", "1");
        const Outcome offline = download(idOf("levit-lens/tiny"));
        QVERIFY2(offline.error.isEmpty(), qPrintable(offline.error));
        QCOMPARE(offline.dir, first.dir);
        const Outcome by_commit = download(idOf("levit-lens/tiny@" + kCommitA));
        QCOMPARE(by_commit.dir, first.dir);
        QVERIFY(server->requests().isEmpty());
    }

    void offlineWithoutTheModelFailsClearlyWithoutARequest() {
        qputenv("HF_HUB_OFFLINE", "1");
        const Outcome out = download(idOf("levit-lens/tiny"));
        QVERIFY(out.dir.isEmpty());
        for (const QString& part : {QString("levit-lens/tiny"), QString("not in the Hugging Face cache"),
                                   QString("HF_HUB_OFFLINE"), hub() + "/models--levit-lens--tiny"})
            QVERIFY2(out.error.contains(part), qPrintable("'" + part + "' not in: " + out.error));
        QVERIFY(server->requests().isEmpty());
    }

    void aSecondModelSharesTheCache() {
        server->addModel("levit-lens/tiny-b", kCommitB,
                         {{"config.json", {config_b, false}}, {"model.safetensors", {weights_b, true}}});
        const Outcome a = download(idOf("levit-lens/tiny"));
        const Outcome b = download(idOf("levit-lens/tiny-b"));
        QVERIFY2(a.error.isEmpty() && b.error.isEmpty(), qPrintable(a.error + b.error));
        QCOMPARE(b.dir, hub() + "/models--levit-lens--tiny-b/snapshots/" + kCommitB);
        QCOMPARE(readFile(b.dir + "/model.safetensors"), weights_b);
        QCOMPARE(readFile(a.dir + "/model.safetensors"), weights);
        // tiny-b has no preprocessor_config.json: recorded the way huggingface_hub records it.
        QVERIFY(QFileInfo::exists(hub() + "/models--levit-lens--tiny-b/.no_exist/" + kCommitB + "/preprocessor_config.json"));
        QVERIFY(!QFileInfo::exists(b.dir + "/preprocessor_config.json"));
        const QList<CachedModel> listed = huggingFaceCacheModels();
        QCOMPARE(listed.size(), 2);
        QCOMPARE(listed[0].path, a.dir);
        QCOMPARE(listed[1].path, b.dir);
    }

    void fallsBackToPytorchModelBin() {
        server->addModel("levit-lens/tiny-bin", kCommitB, {{"config.json", {config, false}}, {"pytorch_model.bin", {bin, true}}});
        const Outcome out = download(idOf("levit-lens/tiny-bin"));
        QVERIFY2(out.error.isEmpty(), qPrintable(out.error));
        QCOMPARE(readFile(out.dir + "/pytorch_model.bin"), bin);
        QVERIFY(!QFileInfo::exists(out.dir + "/model.safetensors"));
        QVERIFY(QFileInfo::exists(hub() + "/models--levit-lens--tiny-bin/.no_exist/" + kCommitB + "/model.safetensors"));
        // Asked once each, in transformers' order: model.safetensors, then its shard index.
        const auto asked = requestsTo("/model.safetensors");
        QCOMPARE(asked.size(), 2);
        QVERIFY(asked[0].path.endsWith("/model.safetensors") && asked[1].path.endsWith("/model.safetensors.index.json"));
        QCOMPARE(asked[0].status, 404);
        QCOMPARE(asked[1].status, 404);
    }

    void aModelWithoutWeightsIsAClearError() {
        server->addModel("levit-lens/config-only", kCommitB, {{"config.json", {config, false}}});
        const Outcome out = download(idOf("levit-lens/config-only"));
        for (const QString& part : {QString("levit-lens/config-only"), QString("model.safetensors"),
                                   QString("pytorch_model.bin"), kCommitB})
            QVERIFY2(out.error.contains(part), qPrintable("'" + part + "' not in: " + out.error));
        QVERIFY(!QFileInfo::exists(hub() + "/models--levit-lens--config-only/snapshots"));
    }

    void anUnknownModelIdIsAClearError() {
        const Outcome out = download(idOf("levit-lens/no-such-model"));
        for (const QString& part : {QString("model levit-lens/no-such-model not found"), QString("HTTP 401"),
                                   server->endpoint() + "/levit-lens/no-such-model/resolve/main/config.json"})
            QVERIFY2(out.error.contains(part), qPrintable("'" + part + "' not in: " + out.error));
        QCOMPARE(server->requests().size(), 1);
    }

    void anUnknownRevisionIsAClearError() {
        const Outcome out = download(idOf("levit-lens/tiny@no-such-branch"));
        for (const QString& part : {QString("levit-lens/tiny has no revision 'no-such-branch'"), QString("HTTP 404")})
            QVERIFY2(out.error.contains(part), qPrintable("'" + part + "' not in: " + out.error));
    }

    void anUnreachableEndpointIsAClearError() {
        const QString endpoint = server->endpoint();
        server.reset();  // nobody listens on that port any more
        const Outcome out = download(idOf("levit-lens/tiny"));
        for (const QString& part : {QString("levit-lens/tiny"), QString("cannot reach"), endpoint + "/levit-lens/tiny/resolve/main/config.json"})
            QVERIFY2(out.error.contains(part), qPrintable("'" + part + "' not in: " + out.error));
    }

    void aBranchOtherThanMainGetsItsOwnRef() {
        server->addModel("levit-lens/tiny", kCommitV1, {{"config.json", {config_b, false}}, {"model.safetensors", {weights_b, true}}},
                         {"v1"});
        const Outcome v1 = download(idOf("levit-lens/tiny@v1"));
        QVERIFY2(v1.error.isEmpty(), qPrintable(v1.error));
        const QString repo = hub() + "/models--levit-lens--tiny";
        QCOMPARE(v1.dir, repo + "/snapshots/" + kCommitV1);
        QCOMPARE(readFile(repo + "/refs/v1"), kCommitV1.toLatin1());
        QVERIFY(!QFileInfo::exists(repo + "/refs/main"));
        QCOMPARE(readFile(v1.dir + "/model.safetensors"), weights_b);
        // By commit hash: no ref to write, and the snapshot is found again offline.
        const Outcome by_hash = download(idOf("levit-lens/tiny@" + kCommitA));
        QVERIFY2(by_hash.error.isEmpty(), qPrintable(by_hash.error));
        QCOMPARE(by_hash.dir, repo + "/snapshots/" + kCommitA);
        QCOMPARE(QDir(repo + "/refs").entryList(QDir::Files), QStringList({"v1"}));
    }

    void aRenamedRepositoryIsFollowedThroughARelativeRedirect() {
        server->renameRepo("old-name/tiny", "levit-lens/tiny");
        const Outcome out = download(idOf("old-name/tiny"));
        QVERIFY2(out.error.isEmpty(), qPrintable(out.error));
        QCOMPARE(out.dir, hub() + "/models--old-name--tiny/snapshots/" + kCommitA);  // stored under the id asked for
        QCOMPARE(readFile(out.dir + "/model.safetensors"), weights);
        const auto redirected = requestsTo("/old-name/tiny/");
        QVERIFY(!redirected.isEmpty());
        for (const auto& r : redirected) QCOMPARE(r.status, 307);
    }

    void cancellingKeepsThePartAndLinksNothing() {
        server->setThrottle(20);  // ~16 KiB per 20 ms: the 700 kB file takes almost a second
        bool cancel_sent = false;
        const Outcome out = download(idOf("levit-lens/tiny"), [&](ModelDownload& d, const DownloadProgress& p) {
            if (p.file == "model.safetensors" && p.file_received > 50000 && !cancel_sent) {
                cancel_sent = true;
                d.cancel();
            }
        });
        QVERIFY(out.cancelled);
        QVERIFY(out.error.isEmpty());
        const QString repo = hub() + "/models--levit-lens--tiny";
        QVERIFY(!QFileInfo::exists(repo + "/snapshots"));
        const QFileInfo part(repo + "/blobs/" + FakeHubServer::sha256Hex(weights) + ".incomplete");
        QVERIFY(part.exists());
        QVERIFY(part.size() > 50000 && part.size() < weights.size());
        // The next attempt picks up where the cancelled one stopped.
        server->setThrottle(0);
        server->clearRequests();
        const Outcome again = download(idOf("levit-lens/tiny"));
        QVERIFY2(again.error.isEmpty(), qPrintable(again.error));
        const auto cdn = requestsTo("/cdn/");
        QCOMPARE(cdn.size(), 1);
        QCOMPARE(cdn[0].range, "bytes=" + QByteArray::number(part.size()) + "-");
        QCOMPARE(readFile(again.dir + "/model.safetensors"), weights);
    }

    void cleanup() {
        home.reset();
        server.reset();
    }
};

QTEST_GUILESS_MAIN(TestHubDownload)
#include "test_hub_download.moc"
