// Model > Download model…, driven like a user against a fake Hub on 127.0.0.1: pick an id, download with
// the progress bar moving, cancel, see an error (also from a hostile server: an endless body, a trickle,
// shown as a message while the dialog stays responsive), and the window opening the downloaded model. A picture
// of the dialog mid-download goes to build/screenshots/download_dialog.png. Nothing reaches the internet.
#include <QtTest/QtTest>

#include <QAction>
#include <QComboBox>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>

#include "fake_hub_server.h"
#include "test_support.h"
#include "widgets/download_model_dialog.h"
#include "widgets/main_window.h"

using levit::ui::DownloadModelDialog;
using levit::ui::MainWindow;
using levit_test::FakeHubServer;

namespace {

const QString kCommit = QStringLiteral("fedcba9876543210fedcba9876543210fedcba98");
const QString kTiny = QString::fromStdString(levit_test::testDataDir() + "/golden/tiny_seed0");

QByteArray readFile(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

}  // namespace

class TestDownloadDialog : public QObject {
    Q_OBJECT
    std::unique_ptr<FakeHubServer> server;
    std::unique_ptr<QTemporaryDir> home;

    QString snapshot() const { return home->path() + "/hub/models--levit-lens--tiny-golden/snapshots/" + kCommit; }

private slots:
    void initTestCase() {
        // The window remembers the last model: keep that out of the user's settings.
        QCoreApplication::setOrganizationName("levit-lens-tests");
        QCoreApplication::setApplicationName("test_download_dialog");
        QSettings().clear();
    }

    void init() {
        server = std::make_unique<FakeHubServer>();
        server->addModel("levit-lens/tiny-golden", kCommit,
                         {{"config.json", {readFile(kTiny + "/config.json"), false}},
                          {"preprocessor_config.json", {readFile(kTiny + "/preprocessor_config.json"), false}},
                          {"model.safetensors", {readFile(kTiny + "/model.safetensors"), true}}});
        home = std::make_unique<QTemporaryDir>();
        qputenv("HF_HOME", home->path().toUtf8());
        qputenv("HF_ENDPOINT", server->endpoint().toUtf8());
        for (const char* v : {"HF_HUB_OFFLINE", "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"}) qunsetenv(v);
    }

    void offersThePublishedLevitModels() {
        DownloadModelDialog dialog;
        QStringList items;
        for (int i = 0; i < dialog.modelBox()->count(); ++i) items << dialog.modelBox()->itemText(i);
        QCOMPARE(items, QStringList({"facebook/levit-128S", "facebook/levit-128", "facebook/levit-192",
                                     "facebook/levit-256", "facebook/levit-384"}));
        QVERIFY(dialog.modelBox()->isEditable());
        QCOMPARE(dialog.cancelButton()->text(), QString("&Close"));
    }

    void downloadsWithProgressAndHandsOverTheSnapshot() {
        server->setThrottle(5);
        DownloadModelDialog dialog;
        dialog.show();
        dialog.modelBox()->setEditText("levit-lens/tiny-golden");
        QSignalSpy ready(&dialog, &DownloadModelDialog::modelReady);
        QList<int> values;
        connect(dialog.progressBar(), &QProgressBar::valueChanged, this, [&](int v) { values << v; });
        bool shot = false;
        connect(dialog.progressBar(), &QProgressBar::valueChanged, this, [&](int v) {
            if (shot || v < 300) return;
            shot = true;
            QVERIFY(dialog.downloading());
            QCOMPARE(dialog.cancelButton()->text(), QString("&Cancel"));
            QVERIFY(!dialog.downloadButton()->isEnabled());
            QVERIFY2(dialog.status().startsWith("Downloading levit-lens/tiny-golden: model.safetensors "), qPrintable(dialog.status()));
            QVERIFY(QDir().mkpath(LEVIT_BIN_DIR "/../screenshots"));
            QVERIFY(dialog.grab().save(LEVIT_BIN_DIR "/../screenshots/download_dialog.png"));
        });
        QTest::mouseClick(dialog.downloadButton(), Qt::LeftButton);
        QVERIFY(ready.wait(30000));
        QCOMPARE(ready.first().first().toString(), snapshot());
        QVERIFY(shot);
        QVERIFY(values.size() > 5);  // it moved, in steps
        QVERIFY(std::is_sorted(values.begin(), values.end()));
        QCOMPARE(dialog.progressBar()->value(), dialog.progressBar()->maximum());
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
    }

    void cancelStopsAndKeepsTheDialogOpen() {
        server->setThrottle(30);
        DownloadModelDialog dialog;
        dialog.show();
        dialog.modelBox()->setEditText("levit-lens/tiny-golden");
        QTest::mouseClick(dialog.downloadButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dialog.progressBar()->value() > 50, 20000);
        QTest::mouseClick(dialog.cancelButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.downloading(), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(dialog.status().startsWith("Cancelled"), 5000);
        QVERIFY(dialog.isVisible());
        QVERIFY(dialog.downloadButton()->isEnabled());
        QVERIFY(!QFileInfo::exists(snapshot()));
        // Pressed again, it resumes and finishes.
        server->setThrottle(0);
        QSignalSpy ready(&dialog, &DownloadModelDialog::modelReady);
        QTest::mouseClick(dialog.downloadButton(), Qt::LeftButton);
        QVERIFY(ready.wait(30000));
        bool resumed = false;
        for (const auto& r : server->requests()) resumed |= r.path.startsWith("/cdn/") && r.range.startsWith("bytes=");
        QVERIFY(resumed);
    }

    void anUnknownIdIsShownInTheDialog() {
        DownloadModelDialog dialog;
        dialog.show();
        dialog.modelBox()->setEditText("levit-lens/no-such-model");
        // The error also goes to stderr (a QWarning), for whoever started the app from a terminal.
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("^levit-lens: .*model levit-lens/no-such-model not found"));
        QTest::mouseClick(dialog.downloadButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.downloading(), 20000);
        QVERIFY2(dialog.status().contains("model levit-lens/no-such-model not found"), qPrintable(dialog.status()));
        QVERIFY(dialog.isVisible());
        QVERIFY(QDir().mkpath(LEVIT_BIN_DIR "/../screenshots"));
        QVERIFY(dialog.grab().save(LEVIT_BIN_DIR "/../screenshots/download_dialog_error.png"));
        dialog.modelBox()->setEditText("not an id");
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("^levit-lens: 'not an id' is not a Hugging Face model id"));
        QTest::mouseClick(dialog.downloadButton(), Qt::LeftButton);
        QVERIFY2(dialog.status().contains("'not an id' is not a Hugging Face model id"), qPrintable(dialog.status()));
    }

    void aServerSendingTooMuchGivesAMessageNotACrash() {
        // Issue 13: an endless chunked body where the weights should be.
        server->setHook([](const QString&, const QString& path, const QByteArray&, FakeHubServer::Response& r) {
            if (!path.startsWith("/cdn/")) return;
            r.chunked = true;
            r.endless = qint64(64) << 20;
        });
        DownloadModelDialog dialog;
        dialog.show();
        dialog.modelBox()->setEditText("levit-lens/tiny-golden");
        QSignalSpy ready(&dialog, &DownloadModelDialog::modelReady);
        QTest::mouseClick(dialog.downloadButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.downloading(), 10000);
        QVERIFY2(dialog.status().contains("levit-lens/tiny-golden: model.safetensors from " + server->endpoint() + "/cdn/"),
                 qPrintable(dialog.status()));
        QVERIFY2(dialog.status().contains("the server sent more than the"), qPrintable(dialog.status()));
        QVERIFY(ready.isEmpty());
        QVERIFY(dialog.isVisible());
        QVERIFY(dialog.downloadButton()->isEnabled());
        QCOMPARE(dialog.progressBar()->value(), 0);
        QVERIFY(!QFileInfo::exists(snapshot()));
    }

    void aTricklingServerEndsWithAMessageWhileTheDialogStaysResponsive() {
        qputenv("LEVIT_HUB_SPEED_WINDOW", "1");
        server->setHook([](const QString&, const QString& path, const QByteArray&, FakeHubServer::Response& r) {
            if (path.startsWith("/cdn/")) r.drip_ms = 5;  // 200 bytes/s
        });
        DownloadModelDialog dialog;
        dialog.show();
        dialog.modelBox()->setEditText("levit-lens/tiny-golden");
        // The event loop keeps turning throughout: a 50 ms timer keeps firing.
        int ticks = 0;
        QTimer tick;
        connect(&tick, &QTimer::timeout, this, [&] { ++ticks; });
        tick.start(50);
        QElapsedTimer clock;
        clock.start();
        QTest::mouseClick(dialog.downloadButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.downloading(), 20000);
        qunsetenv("LEVIT_HUB_SPEED_WINDOW");
        QVERIFY2(dialog.status().contains("model.safetensors") && dialog.status().contains("too slow"), qPrintable(dialog.status()));
        QVERIFY2(!dialog.status().contains("Operation canceled"), qPrintable(dialog.status()));
        QVERIFY2(ticks > clock.elapsed() / 50 / 2, qPrintable(QString("%1 ticks in %2 ms").arg(ticks).arg(clock.elapsed())));
        QVERIFY(dialog.isVisible());
        QVERIFY(!QFileInfo::exists(snapshot()));
    }

    void theWindowOpensTheDownloadedModel() {
        MainWindow window;
        window.show();
        QAction* action = nullptr;
        for (QAction* a : window.menuBar()->actions())
            if (a->menu() && a->text() == "&Model")
                for (QAction* item : a->menu()->actions())
                    if (item->text() == QString("&Download model…")) action = item;
        QVERIFY(action);
        action->trigger();
        DownloadModelDialog* dialog = window.findChild<DownloadModelDialog*>();
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        QSignalSpy loaded(&window, &MainWindow::modelLoaded);
        dialog->modelBox()->setEditText("levit-lens/tiny-golden");
        dialog->revisionEdit()->setText(kCommit.left(40));
        QTest::mouseClick(dialog->downloadButton(), Qt::LeftButton);
        QVERIFY(loaded.wait(30000));
        QCOMPARE(window.model()->config().numLabels(), 10);
        QVERIFY(window.message().isEmpty());
        QVERIFY(QFileInfo(snapshot() + "/model.safetensors").isSymLink());
    }

    void cleanup() {
        home.reset();
        server.reset();
    }
};

QTEST_MAIN(TestDownloadDialog)
#include "test_download_dialog.moc"
