// The Hub client against a hostile fake Hub on 127.0.0.1 (issue 13): endless and chunked bodies, a server
// that trickles or says nothing, wrong small files, redirects without a size or to file:// and ftp://,
// redirect loops, a pinned commit the server does not honour, oversized files and headers, and a blob
// locked by another process. Every case ends, within seconds, in one line that names the model, the file
// or URL and the problem, and leaves no unverified blob and no snapshot in the cache. Nothing here reaches
// the internet.
#include <QtTest/QtTest>

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QTemporaryDir>

#include <atomic>
#include <memory>

#include "fake_hub_server.h"
#include "hub/file_lock.h"
#include "hub/hub_limits.h"
#include "hub/model_download.h"
#include "hub/model_id.h"
#include "test_support.h"

using namespace levit::hub;
using levit_test::FakeHubServer;
using Response = FakeHubServer::Response;

namespace {

const QString kCommit = QStringLiteral("c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00");
const QString kOtherCommit = QStringLiteral("badbadbadbadbadbadbadbadbadbadbadbadbad0");
const QString kRepo = QStringLiteral("levit-lens/tiny");

QByteArray readFile(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QByteArray tinyFile(const char* name) {
    return readFile(QString::fromStdString(levit_test::testDataDir() + "/golden/tiny_seed0/" + name));
}

struct Outcome {
    QString dir;
    QString error;
    qint64 ms = 0;
    qint64 max_progress = 0;  // the most bytes of one file any progress report claimed
};

Outcome download(const QString& id_text, int timeout_ms = 30000) {
    ModelDownload d(parseModelId(id_text));
    Outcome out;
    QEventLoop loop;
    QElapsedTimer clock;
    clock.start();
    QObject::connect(&d, &ModelDownload::progress, &loop,
                     [&](const DownloadProgress& p) { out.max_progress = qMax(out.max_progress, p.file_received); });
    QObject::connect(&d, &ModelDownload::finished, &loop, [&](const QString& dir, bool) {
        out.dir = dir;
        loop.quit();
    });
    QObject::connect(&d, &ModelDownload::failed, &loop, [&](const QString& m) {
        out.error = m;
        loop.quit();
    });
    QTimer::singleShot(timeout_ms, &loop, [&] {
        out.error = "test timeout: the download did not end";
        loop.quit();
    });
    d.start();
    loop.exec();
    out.ms = clock.elapsed();
    return out;
}

// Runs `edit` on the answers to requests whose path contains `part` (and whose method is `method`, when given).
FakeHubServer::Hook onPath(const QString& part, std::function<void(Response&)> edit, const QString& method = {}) {
    return [part, edit, method](const QString& m, const QString& path, const QByteArray&, Response& r) {
        if (path.contains(part) && (method.isEmpty() || m == method)) edit(r);
    };
}

}  // namespace

class TestHubHostile : public QObject {
    Q_OBJECT
    std::unique_ptr<FakeHubServer> server;
    std::unique_ptr<QTemporaryDir> home;
    QByteArray config, processor, weights;

    QString repoDir() const { return home->path() + "/hub/models--levit-lens--tiny"; }
    QString weightsSha() const { return FakeHubServer::sha256Hex(weights); }
    QString configSha1() const { return FakeHubServer::gitBlobSha1(config); }

    int requestsTo(const QString& part, const QString& method = "GET") const {
        int n = 0;
        for (const auto& r : server->requests()) n += r.path.contains(part) && r.method == method;
        return n;
    }

    // One line naming the model and every part; the download failed, not the test's clock.
    static void expectError(const Outcome& out, const QStringList& parts) {
        QVERIFY2(out.dir.isEmpty(), qPrintable("it succeeded: " + out.dir));
        QVERIFY2(!out.error.isEmpty(), "no error");
        qInfo("%lld ms: %s", out.ms, qPrintable(out.error));  // the message a user gets, in the test log
        QVERIFY2(!out.error.contains('\n'), qPrintable("more than one line: " + out.error));
        QVERIFY2(!out.error.contains("test timeout"), qPrintable(out.error));
        QVERIFY2(!out.error.contains("Operation canceled"), qPrintable(out.error));
        for (const QString& part : QStringList{kRepo} + parts)
            QVERIFY2(out.error.contains(part), qPrintable("'" + part + "' not in: " + out.error));
    }

    // No snapshot, no ref, and every blob in the cache is what its name says it is.
    void expectNothingUnverified() const {
        QVERIFY2(!QFileInfo::exists(repoDir() + "/snapshots"), "a snapshot was created");
        QVERIFY(!QFileInfo::exists(repoDir() + "/refs/main"));
        const QDir blobs(repoDir() + "/blobs");
        for (const QString& name : blobs.entryList(QDir::Files)) {
            if (name.endsWith(".incomplete")) continue;
            const QByteArray content = readFile(blobs.filePath(name));
            QVERIFY2(FakeHubServer::sha256Hex(content) == name || FakeHubServer::gitBlobSha1(content) == name,
                     qPrintable("unverified blob " + name));
        }
    }

    // No file in the cache larger than `limit` bytes: nothing was written past what was allowed.
    void expectNoFileLargerThan(qint64 limit) const {
        QDirIterator it(repoDir(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QVERIFY2(QFileInfo(path).size() <= limit, qPrintable(path + " is " + QString::number(QFileInfo(path).size()) + " bytes"));
        }
    }

private slots:
    void initTestCase() {
        config = tinyFile("config.json");
        processor = tinyFile("preprocessor_config.json");
        weights = tinyFile("model.safetensors");
        QVERIFY(weights.size() > 100000 && config.size() > 100);
    }

    void init() {
        // Item 11: a hostile server must not make Qt print warnings (they came before the error line).
        QTest::failOnWarning(QRegularExpression(".*"));
        server = std::make_unique<FakeHubServer>();
        server->addModel(kRepo, kCommit,
                         {{"config.json", {config, false}},
                          {"preprocessor_config.json", {processor, false}},
                          {"model.safetensors", {weights, true}}});
        home = std::make_unique<QTemporaryDir>();
        QVERIFY(home->isValid());
        qputenv("HF_HOME", home->path().toUtf8());
        qputenv("HF_ENDPOINT", server->endpoint().toUtf8());
        // A one-second window at the default 1 KB/s: the speed rule acts within seconds here.
        qputenv("LEVIT_HUB_SPEED_WINDOW", "1");
        qunsetenv("LEVIT_HUB_MIN_SPEED");
        for (const char* v : {"HF_HUB_OFFLINE", "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"}) qunsetenv(v);
    }

    void theLimitsAreDocumentedValuesAndTheSpeedRuleComesFromTheEnvironment() {
        QCOMPARE(maxFileBytes("config.json"), qint64(1) << 20);
        QCOMPARE(maxFileBytes("preprocessor_config.json"), qint64(1) << 20);
        QCOMPARE(maxFileBytes("model.safetensors"), qint64(2) << 30);
        QCOMPARE(maxFileBytes("pytorch_model.bin"), qint64(2) << 30);
        qunsetenv("LEVIT_HUB_SPEED_WINDOW");
        QCOMPARE(speedRule().min_bytes_per_s, qint64(1024));
        QCOMPARE(speedRule().window_ms, 30000);
        qputenv("LEVIT_HUB_MIN_SPEED", "4096");
        qputenv("LEVIT_HUB_SPEED_WINDOW", "2.5");
        QCOMPARE(speedRule().min_bytes_per_s, qint64(4096));
        QCOMPARE(speedRule().window_ms, 2500);
        QCOMPARE(speedRule().text(), QString("less than 4096 bytes/s over 2.5 s"));
        // Nonsense falls back to the defaults rather than turning the rule off.
        for (const char* bad : {"0", "-5", "fast", ""}) {
            qputenv("LEVIT_HUB_MIN_SPEED", bad);
            qputenv("LEVIT_HUB_SPEED_WINDOW", bad);
            QCOMPARE(speedRule().min_bytes_per_s, qint64(1024));
            QCOMPARE(speedRule().window_ms, 30000);
        }
        qunsetenv("LEVIT_HUB_MIN_SPEED");
    }

    void anEndlessBodyStopsAtTheAnnouncedSize() {
        // Item 3: the CDN sends the file, then keeps going, with no length to stop at.
        server->setHook(onPath("/cdn/", [](Response& r) {
            r.no_length = true;
            r.endless = qint64(64) << 20;
        }));
        const Outcome out = download(kRepo);
        expectError(out, {"model.safetensors", server->endpoint() + "/cdn/" + weightsSha(),
                          QString("more than the %1 bytes announced").arg(weights.size())});
        QVERIFY2(out.ms < 10000, qPrintable(QString::number(out.ms)));
        QVERIFY(out.max_progress <= weights.size());
        expectNothingUnverified();
        expectNoFileLargerThan(weights.size());
        QVERIFY(!QFileInfo::exists(repoDir() + "/blobs/" + weightsSha() + ".incomplete"));  // a liar's bytes are not kept
    }

    void anEndlessChunkedBodyStopsAlsoOnResume() {
        // A part from an earlier run; the server ignores the Range and streams chunks without end.
        QVERIFY(QDir().mkpath(repoDir() + "/blobs"));
        QFile part(repoDir() + "/blobs/" + weightsSha() + ".incomplete");
        QVERIFY(part.open(QIODevice::WriteOnly));
        part.write(weights.left(1000));
        part.close();
        server->setHook(onPath("/cdn/", [](Response& r) {
            r.status = 200;
            r.removeHeader("Content-Range");
            r.chunked = true;
            r.endless = qint64(64) << 20;
        }));
        const Outcome out = download(kRepo);
        expectError(out, {"model.safetensors", "/cdn/", QString("more than the %1 bytes announced").arg(weights.size())});
        QVERIFY(out.ms < 10000);
        QCOMPARE(requestsTo("/cdn/"), 1);  // not retried: the server broke the size it announced
        expectNothingUnverified();
        expectNoFileLargerThan(weights.size());
    }

    void aSmallFileWithoutSizeStopsAtItsMaximum() {
        // config.json announced without a length, then served endlessly: stopped at 1 MiB.
        server->setHook([](const QString& method, const QString& path, const QByteArray&, Response& r) {
            if (!path.endsWith("/config.json")) return;
            if (method == "HEAD") r.no_length = true, r.body.clear();
            if (method == "GET") r.chunked = true, r.endless = qint64(64) << 20;
        });
        const Outcome out = download(kRepo);
        expectError(out, {"config.json", "more than the 1048576 bytes LeViT Lens accepts for config.json"});
        expectNothingUnverified();
        expectNoFileLargerThan(qint64(1) << 20);
    }

    void aTricklingServerHitsTheSpeedRule() {
        // Item 4: 1 byte every 5 ms (200 bytes/s), below 1024 bytes/s over the 1 s window.
        server->setHook(onPath("/cdn/", [](Response& r) { r.drip_ms = 5; }));
        const Outcome out = download(kRepo, 60000);
        expectError(out, {"model.safetensors", "/cdn/", "too slow", "less than 1024 bytes/s over 1 s", "5 attempts"});
        // 5 windows of 1 s and the pauses between the attempts (0.25 + 0.5 + 0.75 + 1 s).
        QVERIFY2(out.ms >= 5000 && out.ms < 15000, qPrintable(QString::number(out.ms)));
        expectNothingUnverified();
        // What did arrive is kept for a resume, and the next attempt against a good server completes it.
        const qint64 kept = QFileInfo(repoDir() + "/blobs/" + weightsSha() + ".incomplete").size();
        QVERIFY(kept > 0);
        server->setHook({});
        server->clearRequests();
        const Outcome again = download(kRepo);
        QVERIFY2(again.error.isEmpty(), qPrintable(again.error));
        QCOMPARE(readFile(again.dir + "/model.safetensors"), weights);
        const auto cdn = server->requests();
        bool resumed = false;
        for (const auto& r : cdn) resumed |= r.path.startsWith("/cdn/") && r.range == "bytes=" + QByteArray::number(kept) + "-";
        QVERIFY(resumed);
    }

    void aSilentServerTimesOutWithAMessage() {
        server->setHook(onPath("/config.json", [](Response& r) { r.silent = true; }, "HEAD"));
        const Outcome out = download(kRepo);
        expectError(out, {"config.json", server->endpoint() + "/levit-lens/tiny/resolve/main/config.json",
                          "no complete answer within 1 s (timed out)"});
        QVERIFY2(out.ms < 8000, qPrintable(QString::number(out.ms)));  // 3 attempts of 1 s, 0.3 + 0.6 s between
        QCOMPARE(requestsTo("/config.json", "HEAD"), 3);
    }

    void dripFedHeadersTimeOut() {
        // The status line and headers a byte every 50 ms: the transfer timeout of Qt never fires for this.
        server->setHook(onPath("/model.safetensors", [](Response& r) { r.head_drip_ms = 50; }, "HEAD"));
        const Outcome out = download(kRepo);
        expectError(out, {"model.safetensors", "timed out"});
        QVERIFY2(out.ms < 8000, qPrintable(QString::number(out.ms)));
        expectNothingUnverified();
    }

    void aWrongSmallFileIsRefused() {
        // Item 5: config.json served with a changed byte, under its true git blob sha1.
        server->corrupt(config);
        const Outcome out = download(kRepo);
        expectError(out, {"config.json", server->endpoint() + "/levit-lens/tiny/resolve/" + kCommit + "/config.json",
                          "is corrupt: its git blob sha1 is", "the Hub says " + configSha1()});
        expectNothingUnverified();
        QVERIFY(!QFileInfo::exists(repoDir() + "/blobs/" + configSha1()));
        QVERIFY(!QFileInfo::exists(repoDir() + "/blobs/" + configSha1() + ".incomplete"));
        QCOMPARE(requestsTo("/cdn/"), 0);  // stopped before the weights
    }

    void aLyingResumeOfASmallFileIsRepairedFromByteZero() {
        // The connection drops after 100 bytes and the server answers the resume with wrong bytes: the
        // check fails, the file is fetched once more from byte 0 and is right.
        server->cutOnce(config, 100);
        server->corruptResumes(config);
        const Outcome out = download(kRepo);
        QVERIFY2(out.error.isEmpty(), qPrintable(out.error));
        QCOMPARE(readFile(out.dir + "/config.json"), config);
        QList<QByteArray> ranges;
        for (const auto& r : server->requests())
            if (r.method == "GET" && r.path.endsWith("/config.json")) ranges << r.range;
        QVERIFY2(ranges.size() >= 3, qPrintable(QString::number(ranges.size())));
        QCOMPARE(ranges.first(), QByteArray());
        QVERIFY(ranges.contains("bytes=100-"));
        QCOMPARE(ranges.last(), QByteArray());  // the last one from byte 0
    }

    void aResumeAnsweredWithOtherBytesIsNeverStitchedIn() {
        // A part from an earlier run; the server answers the Range request with 206 but from byte 0.
        QVERIFY(QDir().mkpath(repoDir() + "/blobs"));
        const QString part = repoDir() + "/blobs/" + weightsSha() + ".incomplete";
        QFile f(part);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(weights.left(5000));
        f.close();
        const QByteArray whole = weights;
        server->setHook(onPath("/cdn/", [whole](Response& r) {
            if (r.status != 206) return;
            r.body = whole;
            r.setHeader("Content-Range", QStringLiteral("bytes 0-%1/%2").arg(whole.size() - 1).arg(whole.size()).toLatin1());
        }));
        const Outcome out = download(kRepo);
        expectError(out, {"model.safetensors", "/cdn/", "5 attempts", "a different byte range than asked for"});
        QCOMPARE(readFile(part), weights.left(5000));  // nothing of the wrong answers was appended
        expectNothingUnverified();
    }

    void aPoisonedCacheIsCheckedAndRepaired() {
        const Outcome first = download(kRepo);
        QVERIFY2(first.error.isEmpty(), qPrintable(first.error));
        // What an older version left: wrong bytes under config.json's blob name.
        const QString blob = repoDir() + "/blobs/" + configSha1();
        QFile f(blob);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(config).replace("hidden", "HIDDEN"));
        f.close();
        QVERIFY(readFile(blob) != config);

        qputenv("HF_HUB_OFFLINE", "1");
        server->clearRequests();
        const Outcome offline = download(kRepo);
        expectError(offline, {first.dir + "/config.json", "git blob sha1", "HF_HUB_OFFLINE"});
        QVERIFY(server->requests().isEmpty());  // offline: not a single request
        qunsetenv("HF_HUB_OFFLINE");

        const Outcome repaired = download(kRepo);
        QVERIFY2(repaired.error.isEmpty(), qPrintable(repaired.error));
        QCOMPARE(readFile(repaired.dir + "/config.json"), config);
        QCOMPARE(requestsTo("/cdn/"), 0);  // the weights were fine and are reused
    }

    void weightsWithoutLfsHeadersAreChecked() {
        server->addModel("levit-lens/tiny-plain", kCommit, {{"config.json", {config, false}}, {"model.safetensors", {weights, false}}});
        server->corrupt(weights);
        const Outcome out = download("levit-lens/tiny-plain");
        QVERIFY(out.dir.isEmpty());
        for (const QString& part : {QString("levit-lens/tiny-plain"), QString("model.safetensors"), QString("is corrupt: its git blob sha1")})
            QVERIFY2(out.error.contains(part), qPrintable("'" + part + "' not in: " + out.error));
        QVERIFY(!QFileInfo::exists(home->path() + "/hub/models--levit-lens--tiny-plain/snapshots"));
    }

    void aRedirectWithoutLinkedSizeIsNotAZeroByteFile() {
        // Item 9: the HEAD's redirect has no X-Linked-Size; its own Content-Length (0) is not the file's.
        server->setHook(onPath("/model.safetensors", [](Response& r) { r.removeHeader("X-Linked-Size"); }, "HEAD"));
        const Outcome out = download(kRepo);
        QVERIFY2(out.error.isEmpty(), qPrintable(out.error));
        QCOMPARE(readFile(out.dir + "/model.safetensors"), weights);
    }

    void anEmptyAnswerBehindSuchARedirectIsRefused() {
        server->setHook([](const QString& method, const QString& path, const QByteArray&, Response& r) {
            if (method == "HEAD" && path.endsWith("/model.safetensors")) r.removeHeader("X-Linked-Size");
            if (path.startsWith("/cdn/")) r.body.clear();
        });
        const Outcome out = download(kRepo);
        expectError(out, {"model.safetensors", "/cdn/", "is corrupt: its sha256 is"});
        expectNothingUnverified();
        QVERIFY(!QFileInfo::exists(repoDir() + "/blobs/" + weightsSha()));
    }

    void redirectsToOtherSchemesAreRefused_data() {
        QTest::addColumn<QString>("target");
        QTest::newRow("file") << "file:///etc/passwd";
        QTest::newRow("ftp") << "ftp://127.0.0.1/model.safetensors";
        QTest::newRow("gopher") << "gopher://127.0.0.1:70/model";
    }
    void redirectsToOtherSchemesAreRefused() {
        QFETCH(QString, target);
        // From the Hub's HEAD answer...
        server->setHook(onPath("/model.safetensors", [target](Response& r) { r.setHeader("Location", target.toLatin1()); }, "HEAD"));
        Outcome out = download(kRepo);
        expectError(out, {"model.safetensors", "redirects to " + target, "only http and https"});
        expectNothingUnverified();
        // ...and from the CDN's answer to the GET.
        server->setHook(onPath("/cdn/", [target](Response& r) {
            r.status = 302;
            r.body.clear();
            r.setHeader("Location", target.toLatin1());
        }));
        out = download(kRepo);
        expectError(out, {"model.safetensors", "/cdn/", "redirects to " + target, "only http and https"});
        expectNothingUnverified();
    }

    void redirectLoopsEnd() {
        // The CDN redirects on and on (/cdn/<sha>/hop1, /hop2, ...); a renamed repository redirects back to
        // the old name.
        server->setHook(onPath("/cdn/", [this](Response& r) {
            r.status = 302;
            r.body.clear();
            static std::atomic<int> hop{0};
            r.setHeader("Location", (server->endpoint() + "/cdn/" + weightsSha() + "/hop" + QString::number(++hop)).toLatin1());
        }));
        Outcome out = download(kRepo);
        expectError(out, {"model.safetensors", "/cdn/", "more than 5 redirects"});
        QVERIFY(requestsTo("/cdn/") <= 6);
        server->setHook({});
        server->renameRepo("levit-lens/a", "levit-lens/b");
        server->renameRepo("levit-lens/b", "levit-lens/a");
        out = download("levit-lens/a");
        QVERIFY2(out.error.contains("more than 5 redirects") && out.error.contains("levit-lens/a"), qPrintable(out.error));
    }

    void aPinnedCommitIsHonouredOrRefused() {
        // Item 12: asked for kCommit, the server says it serves kOtherCommit.
        server->setHook([](const QString&, const QString& path, const QByteArray&, Response& r) {
            if (path.contains("/resolve/")) r.setHeader("X-Repo-Commit", kOtherCommit.toLatin1());
        });
        const Outcome out = download(kRepo + "@" + kCommit);
        expectError(out, {"config.json", "asked for commit " + kCommit, "answered with commit " + kOtherCommit});
        QVERIFY(!QFileInfo::exists(repoDir() + "/snapshots/" + kOtherCommit));
        expectNothingUnverified();
    }

    void filesFromDifferentCommitsAreRefused() {
        server->setHook(onPath("/model.safetensors", [](Response& r) { r.setHeader("X-Repo-Commit", kOtherCommit.toLatin1()); }, "HEAD"));
        const Outcome out = download(kRepo);
        expectError(out, {"model.safetensors", "comes from commit " + kOtherCommit, "from commit " + kCommit});
        expectNothingUnverified();
    }

    void oversizedFilesAreRefusedBeforeDownload() {
        server->setHook(onPath("/model.safetensors", [](Response& r) { r.setHeader("X-Linked-Size", "5000000000"); }, "HEAD"));
        Outcome out = download(kRepo);
        expectError(out, {"model.safetensors", "5000000000 bytes", "more than the 2147483648 bytes", "refused before download"});
        QCOMPARE(requestsTo("/cdn/"), 0);
        QCOMPARE(requestsTo("/resolve/", "GET"), 0);  // not even the small files
        // A config.json of 2 MB is not a LeViT config either.
        server->setHook(onPath("/config.json", [](Response& r) { r.setHeader("Content-Length", "2000000"); }, "HEAD"));
        out = download(kRepo);
        expectError(out, {"config.json", "2000000 bytes", "more than the 1048576 bytes"});
        expectNothingUnverified();
    }

    void hugeHeadersAreRefused() {
        // 4 MB of header fields: Qt's header parser stops taking them (its memory stays bounded), and the
        // speed rule ends the wait with one line.
        server->setHook(onPath("/config.json", [](Response& r) {
            for (int i = 0; i < 64; ++i) r.setHeader("X-Junk-" + QByteArray::number(i), QByteArray(64 * 1024, 'j'));
        }, "HEAD"));
        const Outcome out = download(kRepo);
        expectError(out, {"config.json", "no complete answer within 1 s (timed out)"});
        QVERIFY2(out.ms < 10000, qPrintable(QString::number(out.ms)));
    }

    void anUnverifiableEtagIsRefused() {
        server->setHook(onPath("/config.json", [](Response& r) { r.setHeader("ETag", "\"v1\""); }, "HEAD"));
        const Outcome out = download(kRepo);
        expectError(out, {"config.json", "no usable ETag", "'v1'"});
    }

    void aBlobLockedByAnotherProcessIsWaitedForAndReused() {
        // Item 8: another downloader (Python's huggingface_hub takes the same flock) holds the lock on the
        // weights' blob, writes it meanwhile, then lets go: the blob is reused without a download.
        auto holder = std::make_shared<FileLock>(home->path() + "/hub/.locks/models--levit-lens--tiny/" + weightsSha() + ".lock");
        QVERIFY(holder->tryLock());
        QTimer::singleShot(1500, [this, holder] {
            QVERIFY(QDir().mkpath(repoDir() + "/blobs"));
            QFile blob(repoDir() + "/blobs/" + weightsSha() + ".incomplete");
            QVERIFY(blob.open(QIODevice::WriteOnly));
            blob.write(weights);
            blob.close();
            QVERIFY(QFile::rename(blob.fileName(), repoDir() + "/blobs/" + weightsSha()));
            holder->unlock();
        });
        // Meanwhile it keeps "growing" (the speed rule applies to the other process too).
        QTimer grow;
        connect(&grow, &QTimer::timeout, this, [this] {
            QFile part(repoDir() + "/blobs/" + weightsSha() + ".incomplete");
            if (part.open(QIODevice::Append)) part.write(QByteArray(4096, 'p'));
        });
        grow.start(100);
        const Outcome out = download(kRepo);
        grow.stop();
        QVERIFY2(out.error.isEmpty(), qPrintable(out.error));
        QVERIFY2(out.ms >= 1400, qPrintable(QString::number(out.ms)));
        QCOMPARE(requestsTo("/cdn/"), 0);
        QCOMPARE(readFile(out.dir + "/model.safetensors"), weights);
    }

    void aLockHolderThatMakesNoProgressIsNotWaitedForForever() {
        FileLock holder(home->path() + "/hub/.locks/models--levit-lens--tiny/" + configSha1() + ".lock");
        QVERIFY(holder.tryLock());
        const Outcome out = download(kRepo);
        expectError(out, {"config.json", "another download of it", holder.path(), "made no progress", "timed out"});
        QVERIFY2(out.ms < 5000, qPrintable(QString::number(out.ms)));
        expectNothingUnverified();
    }

    void cleanup() {
        home.reset();
        server.reset();
        qunsetenv("LEVIT_HUB_SPEED_WINDOW");
        qunsetenv("HF_HUB_OFFLINE");
    }
};

QTEST_GUILESS_MAIN(TestHubHostile)
#include "test_hub_hostile.moc"
