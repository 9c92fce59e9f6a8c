// The built `levit-lens` as a user starts it: on the bundled model by default, and with a --model path that
// does not exist it still opens on the bundled model and says which file it could not load; a wrong
// command line is one line on stderr and exit code 2, before any window opens.
#include <QtTest/QtTest>

#include <QImage>
#include <QProcess>
#include <QTemporaryDir>

namespace {

struct GuiRun {
    int exit_code = -1;
    QString err;
};

// Runs the window until it has classified the first sample and saved a screenshot, with its own settings
// (XDG_CONFIG_HOME) so the user's last model does not leak in, and the test's does not leak out.
GuiRun runLens(const QTemporaryDir& home, const QStringList& args) {
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("QT_QPA_PLATFORM", "offscreen");
    env.insert("XDG_CONFIG_HOME", home.filePath("config"));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(LEVIT_BIN_DIR "/levit-lens"), args + QStringList{"--quit-after-ms", "60000"});
    p.waitForFinished(90000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardError())};
}

}  // namespace

class TestGuiStartup : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        if (!QFileInfo::exists(QStringLiteral(LEVIT_BIN_DIR "/levit-lens")))
            QFAIL("levit-lens was not built (configure with LEVIT_BUILD_GUI=ON)");
    }

    void opensOnTheBundledModel() {
        QTemporaryDir home;
        const QString shot = home.filePath("start.png");
        const GuiRun r = runLens(home, {"--screenshot", shot});
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        QVERIFY2(!r.err.contains("levit-lens:"), qPrintable(r.err));
        const QImage image(shot);
        QVERIFY2(!image.isNull() && image.width() > 600, qPrintable(shot));
    }

    void aMissingModelPathIsNamedAndTheBundledModelStillOpens() {
        QTemporaryDir home;
        const QString shot = home.filePath("missing.png");
        const QString missing = home.filePath("no-such-model");
        const GuiRun r = runLens(home, {"--model", missing, "--screenshot", shot});
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains("Could not load the model: " + missing + ": no such file or directory"), qPrintable(r.err));
        // The screenshot is taken once the bundled model has classified the first sample.
        QVERIFY2(!QImage(shot).isNull(), qPrintable(r.err));
    }

    void aWrongCommandLineExitsWithCode2() {
        QTemporaryDir home;
        for (const QStringList& args : {QStringList{"--tab", "7"}, QStringList{"--tab", "first"}, QStringList{"--tab", "0"}}) {
            const GuiRun r = runLens(home, args);
            QCOMPARE(r.exit_code, 2);
            QVERIFY2(r.err.contains("levit-lens: error: " + args[0] + " " + args[1] + ": expected"), qPrintable(r.err));
        }
    }
};

QTEST_GUILESS_MAIN(TestGuiStartup)
#include "test_gui_startup.moc"
