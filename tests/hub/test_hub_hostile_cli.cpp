// The real `levit` CLI against a hostile fake Hub on 127.0.0.1 (issue 13): every failure is exit code 1
// and one line on stderr naming the model, the file or URL and the problem, within a time bound, and the
// cache holds no snapshot afterwards; three processes sharing one cache all succeed. Nothing here reaches
// the internet.
#include <QtTest/QtTest>

#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <memory>

#include "fake_hub_server.h"
#include "test_support.h"

using levit_test::FakeHubServer;
using Response = FakeHubServer::Response;

namespace {

const QString kCommit = QStringLiteral("0123456789abcdef0123456789abcdef01234567");
const QString kOtherCommit = QStringLiteral("fedcba9876543210fedcba9876543210fedcba98");
const QString kModel = QStringLiteral("levit-lens/tiny-golden");
const QString kTiny = QString::fromStdString(levit_test::testDataDir() + "/golden/tiny_seed0");

QByteArray readFile(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

struct Run {
    int exit_code = -1;  // -1: crashed or killed at the time limit
    QString out, err;
    qint64 ms = 0;
};

QProcess* startLevit(const QStringList& args) {
    auto* p = new QProcess;
    p->start(QStringLiteral(LEVIT_BIN_DIR "/levit"), args);
    return p;
}

Run finish(QProcess* p, QElapsedTimer& clock, int timeout_ms = 60000) {
    std::unique_ptr<QProcess> owned(p);
    if (!p->waitForFinished(timeout_ms)) {
        p->kill();
        p->waitForFinished();
    }
    return {p->exitStatus() == QProcess::NormalExit ? p->exitCode() : -1, QString::fromUtf8(p->readAllStandardOutput()),
            QString::fromUtf8(p->readAllStandardError()), clock.elapsed()};
}

Run levit(const QStringList& args) {
    QElapsedTimer clock;
    clock.start();
    return finish(startLevit(args), clock);
}

FakeHubServer::Hook onPath(const QString& part, std::function<void(Response&)> edit, const QString& method = {}) {
    return [part, edit, method](const QString& m, const QString& path, const QByteArray&, Response& r) {
        if (path.contains(part) && (method.isEmpty() || m == method)) edit(r);
    };
}

}  // namespace

class TestHubHostileCli : public QObject {
    Q_OBJECT
    std::unique_ptr<FakeHubServer> server;
    std::unique_ptr<QTemporaryDir> home;
    QByteArray weights;

    QString repoDir() const { return home->path() + "/hub/models--levit-lens--tiny-golden"; }

    // Exit code 1, nothing on stdout, one line on stderr with every part, within `max_ms`; no snapshot.
    void expectFailure(const Run& r, const QStringList& parts, qint64 max_ms) {
        qInfo("%lld ms, exit %d: %s", r.ms, r.exit_code, qPrintable(r.err.trimmed()));
        QCOMPARE(r.exit_code, 1);
        QVERIFY2(r.out.isEmpty(), qPrintable(r.out));
        QVERIFY2(r.err.endsWith('\n') && r.err.count('\n') == 1, qPrintable("not one line: " + r.err));
        QVERIFY2(!r.err.contains('\r'), "a progress line was left on stderr");
        for (const QString& part : QStringList{"levit inspect: error: " + kModel} + parts)
            QVERIFY2(r.err.contains(part), qPrintable("'" + part + "' not in: " + r.err));
        QVERIFY2(!r.err.contains("Operation canceled"), qPrintable(r.err));
        QVERIFY2(r.ms < max_ms, qPrintable(QString("%1 ms").arg(r.ms)));
        QVERIFY2(!QFileInfo::exists(repoDir() + "/snapshots"), "a snapshot was created");
    }

private slots:
    void initTestCase() {
        weights = readFile(kTiny + "/model.safetensors");
        QVERIFY(weights.size() > 100000);
        QVERIFY(QFileInfo(LEVIT_BIN_DIR "/levit").isExecutable());
    }

    void init() {
        server = std::make_unique<FakeHubServer>();
        server->addModel(kModel, kCommit,
                         {{"config.json", {readFile(kTiny + "/config.json"), false}},
                          {"preprocessor_config.json", {readFile(kTiny + "/preprocessor_config.json"), false}},
                          {"model.safetensors", {weights, true}}});
        home = std::make_unique<QTemporaryDir>();
        QVERIFY(home->isValid());
        // The child processes inherit these.
        qputenv("HF_HOME", home->path().toUtf8());
        qputenv("HF_ENDPOINT", server->endpoint().toUtf8());
        qputenv("LEVIT_HUB_SPEED_WINDOW", "1");
        for (const char* v : {"HF_HUB_OFFLINE", "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "LEVIT_HUB_MIN_SPEED"}) qunsetenv(v);
    }

    void anEndlessBodyFails() {
        server->setHook(onPath("/cdn/", [](Response& r) {
            r.chunked = true;
            r.endless = qint64(64) << 20;
        }));
        const Run r = levit({"inspect", "--model", kModel});
        expectFailure(r, {"model.safetensors", server->endpoint() + "/cdn/", QString("more than the %1 bytes announced").arg(weights.size())}, 10000);
        QVERIFY(!QFileInfo::exists(repoDir() + "/blobs/" + FakeHubServer::sha256Hex(weights) + ".incomplete"));
    }

    void aTricklingServerFailsWithinTheSpeedRule() {
        server->setHook(onPath("/cdn/", [](Response& r) { r.drip_ms = 5; }));
        const Run r = levit({"inspect", "--model", kModel});
        expectFailure(r, {"model.safetensors", "/cdn/", "too slow", "less than 1024 bytes/s over 1 s"}, 20000);
    }

    void aSilentServerTimesOut() {
        server->setHook(onPath("/config.json", [](Response& r) { r.silent = true; }, "HEAD"));
        const Run r = levit({"inspect", "--model", kModel});
        expectFailure(r, {server->endpoint() + "/levit-lens/tiny-golden/resolve/main/config.json", "timed out"}, 10000);
    }

    void aWrongConfigIsRefusedAndDoesNotStick() {
        const QByteArray config = readFile(kTiny + "/config.json");
        server->corrupt(config);
        const Run bad = levit({"inspect", "--model", kModel});
        expectFailure(bad, {"config.json", "is corrupt: its git blob sha1 is", FakeHubServer::gitBlobSha1(config)}, 10000);
        // The server is repaired: the next run downloads a good config.json (nothing wrong was kept).
        server = std::make_unique<FakeHubServer>();
        server->addModel(kModel, kCommit,
                         {{"config.json", {config, false}}, {"model.safetensors", {weights, true}}});
        qputenv("HF_ENDPOINT", server->endpoint().toUtf8());
        const Run good = levit({"inspect", "--model", kModel, "--json"});
        QVERIFY2(good.exit_code == 0, qPrintable(good.err));
        QCOMPARE(readFile(repoDir() + "/snapshots/" + kCommit + "/config.json"), config);
    }

    void aRedirectToAFileUrlFails() {
        server->setHook(onPath("/model.safetensors", [](Response& r) { r.setHeader("Location", "file:///etc/passwd"); }, "HEAD"));
        const Run r = levit({"inspect", "--model", kModel});
        expectFailure(r, {"model.safetensors", "file:///etc/passwd", "only http and https"}, 10000);
    }

    void anEmptyFileBehindARedirectWithoutSizeFails() {
        server->setHook([](const QString& method, const QString& path, const QByteArray&, Response& r) {
            if (method == "HEAD" && path.endsWith("/model.safetensors")) r.removeHeader("X-Linked-Size");
            if (path.startsWith("/cdn/")) r.body.clear();
        });
        const Run r = levit({"inspect", "--model", kModel});
        expectFailure(r, {"model.safetensors", "/cdn/", "is corrupt: its sha256 is"}, 10000);
        QVERIFY(!QFileInfo::exists(repoDir() + "/blobs/" + FakeHubServer::sha256Hex(weights)));
    }

    void aPinnedCommitMismatchFails() {
        server->setHook([](const QString&, const QString& path, const QByteArray&, Response& r) {
            if (path.contains("/resolve/")) r.setHeader("X-Repo-Commit", kOtherCommit.toLatin1());
        });
        const Run r = levit({"inspect", "--model", kModel, "--revision", kCommit});
        expectFailure(r, {"config.json", "asked for commit " + kCommit, "answered with commit " + kOtherCommit}, 10000);
    }

    void anOversizedModelIsRefusedBeforeDownload() {
        server->setHook(onPath("/model.safetensors", [](Response& r) { r.setHeader("X-Linked-Size", "3000000000"); }, "HEAD"));
        const Run r = levit({"inspect", "--model", kModel});
        expectFailure(r, {"model.safetensors", "3000000000 bytes", "refused before download"}, 10000);
        for (const auto& req : server->requests()) QVERIFY2(req.method == "HEAD", qPrintable(req.path));
    }

    void onATerminalTheProgressLineGivesWayToTheError() {
        // What a user at a terminal sees: the progress line drawn in place, then only the error. `script`
        // gives levit a pseudo-terminal; its output is replayed like a terminal would (\r to column 0).
        const QString script = QStandardPaths::findExecutable("script");
        if (script.isEmpty()) QSKIP("script (util-linux) not found");
        server->setThrottle(20);
        server->setHook(onPath("/cdn/", [](Response& r) {
            r.chunked = true;
            r.endless = qint64(64) << 20;
        }));
        QProcess p;
        p.start(script, {"-qec", QString(LEVIT_BIN_DIR "/levit inspect --model ") + kModel, "/dev/null"});
        QVERIFY(p.waitForFinished(30000));
        const QByteArray raw = p.readAllStandardOutput();
        QCOMPARE(p.exitCode(), 1);
        QVERIFY2(raw.contains("downloading " + kModel.toUtf8() + ": model.safetensors"), raw.constData());
        // The line was blanked out and the cursor put back before the error was written.
        QVERIFY2(QRegularExpression("\r +\rlevit inspect: error: ").match(QString::fromUtf8(raw)).hasMatch(), raw.constData());
        QStringList screen{QString()};
        int column = 0;
        for (const QChar c : QString::fromUtf8(raw)) {
            if (c == '\r') {
                column = 0;
            } else if (c == '\n') {
                screen << QString();
                column = 0;
            } else {
                QString& line = screen.last();
                if (column < line.size()) line[column] = c;
                else line += c;
                ++column;
            }
        }
        QStringList visible;
        for (const QString& line : screen)
            if (!line.trimmed().isEmpty()) visible << line.trimmed();
        QCOMPARE(visible.size(), 1);
        QVERIFY2(visible[0].startsWith("levit inspect: error: " + kModel + ": model.safetensors from"), qPrintable(visible[0]));
        QVERIFY2(visible[0].endsWith("the server sent more than the " + QString::number(weights.size()) + " bytes announced for it; stopped"),
                 qPrintable(visible[0]));
    }

    void threeProcessesShareOneCache() {
        // Item 8: started together on one empty cache, against a server slow enough that they overlap.
        server->setThrottle(10);
        QElapsedTimer clock;
        clock.start();
        QList<QProcess*> running;
        for (int i = 0; i < 3; ++i) running << startLevit({"inspect", "--model", kModel, "--json"});
        QList<Run> runs;
        for (QProcess* p : running) runs << finish(p, clock);
        for (const Run& r : runs) {
            QVERIFY2(r.exit_code == 0, qPrintable(r.err));
            QVERIFY(r.out.contains("/snapshots/" + kCommit));
            QVERIFY2(!r.err.contains("cannot"), qPrintable(r.err));
        }
        // The weights came over the wire once: the others waited on the lock and reused the blob.
        int cdn = 0;
        for (const auto& req : server->requests()) cdn += req.path.startsWith("/cdn/");
        QCOMPARE(cdn, 1);
        QCOMPARE(readFile(repoDir() + "/snapshots/" + kCommit + "/model.safetensors"), weights);
        const QStringList left = QDir(repoDir() + "/blobs").entryList(QDir::Files);
        QCOMPARE(left.size(), 3);  // no .incomplete
        QVERIFY(QDir(home->path() + "/hub/.locks/models--levit-lens--tiny-golden").exists());
    }

    void aBlobLockedByPythonIsWaitedForAndReused() {
        // What huggingface_hub does (filelock's UnixFileLock): flock on .locks/<repo folder>/<etag>.lock for the
        // whole download, the blob written meanwhile. Python's standard library is enough to do the same.
        const QString python = QStandardPaths::findExecutable("python3");
        if (python.isEmpty()) QSKIP("python3 not found");
        const QString sha = FakeHubServer::sha256Hex(weights);
        const QString lock = home->path() + "/hub/.locks/models--levit-lens--tiny-golden/" + sha + ".lock";
        const QString blob = repoDir() + "/blobs/" + sha;
        const QString script = QStringLiteral(
            "import fcntl, os, shutil, sys, time\n"
            "lock, blob, source = sys.argv[1:4]\n"
            "os.makedirs(os.path.dirname(lock), exist_ok=True); os.makedirs(os.path.dirname(blob), exist_ok=True)\n"
            "fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)\n"
            "print('locked', flush=True)\n"
            "data = open(source, 'rb').read()\n"
            "with open(blob + '.incomplete', 'wb') as part:\n"
            "    for i in range(0, len(data), 65536):\n"
            "        part.write(data[i:i + 65536]); part.flush(); time.sleep(0.1)\n"
            "os.replace(blob + '.incomplete', blob)\n"
            "fcntl.flock(fd, fcntl.LOCK_UN); os.close(fd)\n");
        QProcess py;
        py.start(python, {"-c", script, lock, blob, kTiny + "/model.safetensors"});
        QVERIFY(py.waitForReadyRead(10000));
        QCOMPARE(py.readLine().trimmed(), QByteArray("locked"));
        const Run r = levit({"inspect", "--model", kModel, "--json"});
        QVERIFY(py.waitForFinished(20000));
        QCOMPARE(py.exitCode(), 0);
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        QVERIFY2(r.ms >= 800, qPrintable(QString("%1 ms: it did not wait").arg(r.ms)));  // 11 pieces, 0.1 s apart
        for (const auto& req : server->requests()) QVERIFY2(!req.path.startsWith("/cdn/"), "the weights were downloaded again");
        QCOMPARE(readFile(repoDir() + "/snapshots/" + kCommit + "/model.safetensors"), weights);
    }

    void cleanup() {
        home.reset();
        server.reset();
        qunsetenv("LEVIT_HUB_SPEED_WINDOW");
    }
};

QTEST_GUILESS_MAIN(TestHubHostileCli)
#include "test_hub_hostile_cli.moc"
