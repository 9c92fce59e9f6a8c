// Hub tokens for private and gated models. The fake Hub is reached as http://localhost:PORT (the endpoint)
// and redirects LFS files to its CDN as http://127.0.0.1:PORT: two hosts, as huggingface.co and its CDN.
// The token (HF_TOKEN, else $HF_TOKEN_PATH, else $HF_HOME/token) must reach the endpoint on every request,
// never the CDN, never appear in what `levit` prints; a gated model downloads with it and fails without it
// with a message saying what to do.
#include <QtTest/QtTest>

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <memory>

#include "cli_runner.h"
#include "fake_hub_server.h"
#include "hub/hub_environment.h"
#include "hub/hub_request.h"
#include "test_support.h"

using levit_test::CliRun;
using levit_test::FakeHubServer;
using levit_test::runLevit;

namespace {

const QString kCommit = QStringLiteral("89abcdef0123456789abcdef0123456789abcdef");
const QString kTiny = QString::fromStdString(levit_test::testDataDir() + "/golden/tiny_seed0");
const QByteArray kToken = "hf_LeViTLensTestToken0123456789";
const QString kGated = QStringLiteral("levit-lens/gated");

QByteArray readFile(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeFile(const QString& path, const QByteArray& content) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(content);
}

}  // namespace

class TestHubToken : public QObject {
    Q_OBJECT
    FakeHubServer server;
    std::unique_ptr<QTemporaryDir> home;  // a fresh HF_HOME per test: an empty cache, no token file

    QString endpoint() const { return QStringLiteral("http://localhost:%1").arg(server.port()); }

    // The token is in neither output of the run.
    static void expectTokenNotPrinted(const CliRun& r) {
        QVERIFY2(!r.out.contains(QString::fromLatin1(kToken)), "the token is on stdout");
        QVERIFY2(!r.err.contains(QString::fromLatin1(kToken)), "the token is on stderr");
    }

    // The download asked the endpoint (with the token) and the CDN (without it), and nothing else.
    void expectTokenOnlyOnTheEndpoint() {
        const auto requests = server.requests();
        QVERIFY(!requests.isEmpty());
        int cdn = 0;
        for (const auto& req : requests) {
            const QString what = req.method + " " + req.path + " on " + QString::fromLatin1(req.host);
            if (req.path.startsWith("/cdn/")) {
                ++cdn;
                QCOMPARE(req.host, QByteArray("127.0.0.1:") + QByteArray::number(server.port()));
                QVERIFY2(req.authorization.isEmpty(), qPrintable("the token went to the CDN: " + what));
            } else {
                QCOMPARE(req.host, QByteArray("localhost:") + QByteArray::number(server.port()));
                QVERIFY2(req.authorization == "Bearer " + kToken, qPrintable("no token on " + what));
            }
        }
        QVERIFY2(cdn > 0, "the weights did not come from the CDN host");
    }

    CliRun inspectGated(const QString& id = kGated) { return runLevit({"inspect", "--model", id, "--json"}); }

    static void expectDownloaded(const CliRun& r) {
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object()["num_labels"].toInt(), 10);
    }

private slots:
    void initTestCase() {
        server.addModel(kGated, kCommit,
                        {{"config.json", {readFile(kTiny + "/config.json"), false}},
                         {"preprocessor_config.json", {readFile(kTiny + "/preprocessor_config.json"), false}},
                         {"model.safetensors", {readFile(kTiny + "/model.safetensors"), true}}});
        server.gate(kGated, kToken);
        server.renameRepo("levit-lens/gated-old-name", kGated);
        qputenv("HF_ENDPOINT", endpoint().toUtf8());
        for (const char* v : {"HF_HUB_OFFLINE", "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "HF_TOKEN", "HF_TOKEN_PATH"}) qunsetenv(v);
    }

    void init() {
        home = std::make_unique<QTemporaryDir>();
        QVERIFY(home->isValid());
        qputenv("HF_HOME", home->path().toUtf8());
        qputenv("HF_ENDPOINT", endpoint().toUtf8());  // also after a test that changed it failed half-way
        qunsetenv("HF_TOKEN");
        qunsetenv("HF_TOKEN_PATH");
        server.clearRequests();
    }

    void theTokenIsScopedToTheEndpointOrigin() {
        qputenv("HF_TOKEN", kToken);
        qputenv("HF_ENDPOINT", "https://hub.example/");
        QVERIFY(levit::hub::sendsToken(QUrl("https://hub.example/org/name/resolve/main/config.json")));
        QVERIFY(levit::hub::sendsToken(QUrl("https://HUB.example:443/org/name/resolve/main/config.json")));
        QCOMPARE(levit::hub::hubRequest(QUrl("https://hub.example/a")).rawHeader("Authorization"), "Bearer " + kToken);
        for (const char* other : {"https://cdn.hub.example/a", "http://hub.example/a", "https://hub.example:8443/a",
                                  "https://hub.example.evil/a"}) {
            QVERIFY2(!levit::hub::sendsToken(QUrl(other)), other);
            QVERIFY2(!levit::hub::hubRequest(QUrl(other)).hasRawHeader("Authorization"), other);
        }
    }

    void theTokenComesFromTheEnvironmentThenTheLoginFile() {
        QVERIFY(levit::hub::hubToken().isEmpty());
        writeFile(home->path() + "/token", "hf_fromTheLoginFile\n");
        QCOMPARE(levit::hub::hubToken(), QByteArray("hf_fromTheLoginFile"));
        QTemporaryDir other;
        writeFile(other.path() + "/elsewhere", "hf_fromTokenPath");
        qputenv("HF_TOKEN_PATH", (other.path() + "/elsewhere").toUtf8());
        QCOMPARE(levit::hub::hubToken(), QByteArray("hf_fromTokenPath"));
        qputenv("HF_TOKEN", " hf_fromTheEnvironment ");
        QCOMPARE(levit::hub::hubToken(), QByteArray("hf_fromTheEnvironment"));
        // It goes into a header: a token with a line break is not sent at all.
        qputenv("HF_TOKEN", "hf_a\r\nX-Injected: 1");
        QVERIFY(levit::hub::hubToken().isEmpty());
    }

    void aGatedModelWithoutATokenFailsSayingWhatToDo() {
        const CliRun r = inspectGated();
        QCOMPARE(r.exit_code, 1);
        for (const QString part : {"levit-lens/gated is gated or private", "HTTP 401", "accept its terms on the Hub",
                                   "set HF_TOKEN or run huggingface-cli login"})
            QVERIFY2(r.err.contains(part), qPrintable("'" + part + "' not in: " + r.err));
        QVERIFY(!server.requests().isEmpty());
        for (const auto& req : server.requests()) QVERIFY(req.authorization.isEmpty());
    }

    void aGatedModelDownloadsWithHfToken() {
        qputenv("HF_TOKEN", kToken);
        const CliRun r = inspectGated();
        expectDownloaded(r);
        expectTokenNotPrinted(r);
        expectTokenOnlyOnTheEndpoint();
    }

    void aGatedModelDownloadsWithTheLoginTokenFile() {
        writeFile(home->path() + "/token", kToken + "\n");
        const CliRun r = inspectGated();
        expectDownloaded(r);
        expectTokenNotPrinted(r);
        expectTokenOnlyOnTheEndpoint();
    }

    void aGatedModelDownloadsWithHfTokenPath() {
        QTemporaryDir elsewhere;
        writeFile(elsewhere.path() + "/hf-token", kToken);
        qputenv("HF_TOKEN_PATH", (elsewhere.path() + "/hf-token").toUtf8());
        const CliRun r = inspectGated();
        expectDownloaded(r);
        expectTokenOnlyOnTheEndpoint();
    }

    void theTokenFollowsARedirectOnTheSameHost() {
        qputenv("HF_TOKEN", kToken);
        const CliRun r = inspectGated("levit-lens/gated-old-name");
        expectDownloaded(r);
        expectTokenOnlyOnTheEndpoint();  // the renamed repository's 307 is relative: same host, token kept
    }

    void theTokenIsNotSentToARedirectToAnotherHost() {
        // Even a small file, which the Hub serves itself, redirected to another host: it gets no token.
        qputenv("HF_TOKEN", kToken);
        const QByteArray other = "http://127.0.0.1:" + QByteArray::number(server.port());
        server.setHook([other](const QString& method, const QString& path, const QByteArray&, FakeHubServer::Response& r) {
            // Only the answer the gate let through (with the token) is redirected; there it was let through.
            if (method == "GET" && r.status == 200 && path.startsWith("/levit-lens/gated/") && path.endsWith("/config.json")) {
                r.status = 302;
                r.setHeader("Location", other + path.toLatin1());
                r.body.clear();
            }
        });
        const CliRun r = inspectGated();
        server.setHook({});
        expectTokenNotPrinted(r);
        // The redirected GET reached 127.0.0.1 without the token; the gate there answers 401.
        bool redirected = false;
        for (const auto& req : server.requests())
            if (req.host.startsWith("127.0.0.1:") && req.path.endsWith("/config.json")) {
                redirected = true;
                QVERIFY2(req.authorization.isEmpty(), "the token followed a redirect to another host");
            }
        QVERIFY(redirected);
        QCOMPARE(r.exit_code, 1);
        QVERIFY2(r.err.contains("gated or private") && r.err.contains("HF_TOKEN"), qPrintable(r.err));
    }

    void aWrongTokenIsNamedAsTheProblemWithoutPrintingIt() {
        const QByteArray wrong = "hf_NotTheRightToken987654321";
        qputenv("HF_TOKEN", wrong);
        const CliRun r = inspectGated();
        QCOMPARE(r.exit_code, 1);
        QVERIFY2(r.err.contains("the token sent") && r.err.contains("has no access"), qPrintable(r.err));
        QVERIFY(!r.err.contains(QString::fromLatin1(wrong)));
        QVERIFY(!r.out.contains(QString::fromLatin1(wrong)));
    }
};

QTEST_GUILESS_MAIN(TestHubToken)
#include "test_hub_token.moc"
