// The built `levit-lens` as a user or a script starts it: on the bundled model by default, and with a --model
// path that does not exist it still opens and says which file it could not load; a wrong command line is
// one line on stderr and exit code 2, before any window opens; --help and --version need no display; and
// --screenshot always ends, with exit code 1 and one line naming the problem when what was asked failed
// (a model, an image, a video) or nothing was ready in time.
#include <QtTest/QtTest>

#include <QImage>
#include <QProcess>
#include <QTemporaryDir>

#include <opencv2/videoio.hpp>

namespace {

struct GuiRun {
    int exit_code = -1;  // -1: crashed or did not finish
    QString out;
    QString err;
};

enum class DisplayMode { Offscreen, Headless };

// Runs the window with its own settings (XDG_CONFIG_HOME) so the user's last model does not leak in, and the
// test's does not leak out. DisplayMode::Headless takes away every way to a display, as on a server or in CI.
GuiRun runLens(const QTemporaryDir& home, const QStringList& args, DisplayMode display = DisplayMode::Offscreen) {
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (display == DisplayMode::Offscreen) {
        env.insert("QT_QPA_PLATFORM", "offscreen");
    } else {
        for (const char* name : {"QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"}) env.remove(name);
    }
    env.insert("XDG_CONFIG_HOME", home.filePath("config"));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(LEVIT_BIN_DIR "/levit-lens"), args);
    if (!p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished();
        return {-1, {}, "levit-lens did not finish within 120 s"};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

// A run that waits for the window's answer and saves a screenshot; the deadline is generous, and a run that
// never ends fails the test instead of hanging it.
GuiRun screenshotRun(const QTemporaryDir& home, const QString& shot, const QStringList& args) {
    return runLens(home, args + QStringList{"--screenshot", shot, "--quit-after-ms", "60000"});
}

// The one line a failed --screenshot leaves on stderr.
QString screenshotError(const QString& err, const QString& shot) {
    const QString prefix = "levit-lens: error: --screenshot " + shot + ": ";
    for (const QString& line : err.split('\n'))
        if (line.startsWith(prefix)) return line.mid(prefix.size());
    return {};
}

QString garbageFile(const QTemporaryDir& dir, const QString& name) {
    const QString path = dir.filePath(name);
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write(QByteArray(3000, '\x5a'));
    return path;
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
        const GuiRun r = screenshotRun(home, shot, {});
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        QVERIFY2(!r.err.contains("levit-lens:"), qPrintable(r.err));
        const QImage image(shot);
        QVERIFY2(!image.isNull() && image.width() > 600, qPrintable(shot));
    }

    void aMissingModelPathIsNamedAndTheWindowStaysOpen() {
        QTemporaryDir home;
        const QString missing = home.filePath("no-such-model");
        const GuiRun r = runLens(home, {"--model", missing, "--quit-after-ms", "4000"});
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains("Could not load the model: " + missing + ": no such file or directory"), qPrintable(r.err));
    }

    void aWrongCommandLineExitsWithCode2() {
        QTemporaryDir home;
        for (const DisplayMode display : {DisplayMode::Offscreen, DisplayMode::Headless})
            for (const QStringList& args : {QStringList{"--tab", "9"}, QStringList{"--tab", "first"}, QStringList{"--tab", "0"},
                                            QStringList{"--tour", "10"}, QStringList{"--tour", "0"}}) {
                const GuiRun r = runLens(home, args + QStringList{"--quit-after-ms", "60000"}, display);
                QCOMPARE(r.exit_code, 2);
                QVERIFY2(r.err.contains("levit-lens: error: " + args[0] + " " + args[1] + ": expected"), qPrintable(r.err));
            }
        const GuiRun r = runLens(home, {"--no-such-option", "--quit-after-ms", "60000"});
        QCOMPARE(r.exit_code, 2);
        QVERIFY2(r.err.contains("levit-lens: error: Unknown option 'no-such-option'."), qPrintable(r.err));
    }

    void helpAndVersionNeedNoDisplay() {
        QTemporaryDir home;
        for (const DisplayMode display : {DisplayMode::Headless, DisplayMode::Offscreen}) {
            for (const char* help : {"--help", "-h"}) {
                const GuiRun r = runLens(home, {help}, display);
                QVERIFY2(r.exit_code == 0, qPrintable(r.err));
                for (const char* option : {"--model", "--tab", "--screenshot", "--quit-after-ms", "--video", "--version"})
                    QVERIFY2(r.out.contains(option), qPrintable(r.out));
            }
            const GuiRun v = runLens(home, {"--version"}, display);
            QVERIFY2(v.exit_code == 0, qPrintable(v.err));
            QVERIFY2(QRegularExpression("^levit-lens \\d+\\.\\d+\\.\\d+\n$").match(v.out).hasMatch(), qPrintable(v.out));
        }
    }

    void aBrokenImageFailsTheScreenshot() {
        QTemporaryDir home;
        const QString broken = garbageFile(home, "broken.png");
        const QString shot = home.filePath("broken-shot.png");
        const GuiRun r = screenshotRun(home, shot, {broken});
        QCOMPARE(r.exit_code, 1);
        QVERIFY2(screenshotError(r.err, shot).startsWith(broken + ": not an image"), qPrintable(r.err));
        QVERIFY2(!QImage(shot).isNull(), "the window is saved as it was, to see what went wrong");
    }

    void aMissingModelFailsTheScreenshot() {
        QTemporaryDir home;
        const QString missing = home.filePath("no-such-model");
        const QString shot = home.filePath("missing.png");
        const GuiRun r = screenshotRun(home, shot, {"--model", missing});
        QCOMPARE(r.exit_code, 1);
        QCOMPARE(screenshotError(r.err, shot), "Could not load the model: " + missing + ": no such file or directory");
    }

    void aCorruptModelFailsTheScreenshot() {
        QTemporaryDir home;
        const QString corrupt = garbageFile(home, "model.safetensors");
        const QString shot = home.filePath("corrupt.png");
        const GuiRun r = screenshotRun(home, shot, {"--model", corrupt});
        QCOMPARE(r.exit_code, 1);
        QVERIFY2(screenshotError(r.err, shot).startsWith("Could not load the model: "), qPrintable(r.err));
        QVERIFY2(screenshotError(r.err, shot).contains(corrupt), qPrintable(r.err));
    }

    void aVideoThatFailsFailsTheScreenshot() {
        QTemporaryDir home;
        for (const QString& video : {garbageFile(home, "clip.mp4"), home.filePath("no-such-clip.mp4")}) {
            const QString shot = home.filePath("video.png");
            const GuiRun r = screenshotRun(home, shot, {"--video", video});
            QCOMPARE(r.exit_code, 1);
            QVERIFY2(screenshotError(r.err, shot).startsWith(video + ": "), qPrintable(r.err));
        }
    }

    void aVideoScreenshotWaitsForAClassifiedFrame() {
        QTemporaryDir home;
        const QString video = home.filePath("clip.avi");
        {
            cv::VideoWriter writer(video.toStdString(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 30, cv::Size(320, 240));
            QVERIFY(writer.isOpened());
            for (int i = 0; i < 90; ++i) writer.write(cv::Mat(240, 320, CV_8UC3, cv::Scalar(i * 2, 255 - i * 2, 128)));
        }
        const QString shot = home.filePath("live.png");
        const GuiRun r = screenshotRun(home, shot, {"--tab", "4", "--video", video});
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        QVERIFY2(!QImage(shot).isNull(), qPrintable(r.err));
    }

    // --tour opens the Model tab's tour at that step; with --presentation the tour is what is presented.
    void aTourScreenshotShowsTheTour() {
        QTemporaryDir home;
        const QString tab_shot = home.filePath("tour.png");
        const GuiRun tab = screenshotRun(home, tab_shot, {"--tour", "5"});
        QVERIFY2(tab.exit_code == 0, qPrintable(tab.err));
        QVERIFY(!QImage(tab_shot).isNull());
        const QString presented_shot = home.filePath("tour-presented.png");
        const GuiRun presented = screenshotRun(home, presented_shot, {"--tour", "9", "--presentation"});
        QVERIFY2(presented.exit_code == 0, qPrintable(presented.err));
        const QImage window(tab_shot), presentation(presented_shot);
        QVERIFY(!presentation.isNull());
        QVERIFY2(presentation.size() != window.size(), "the presented tour fills the screen");
    }

    // --presentation opens presentation mode full screen, and the screenshot is of it, not of the window.
    void aPresentationScreenshotShowsThePresentation() {
        QTemporaryDir home;
        const QString window_shot = home.filePath("window.png");
        const QString presentation_shot = home.filePath("presentation.png");
        QCOMPARE(screenshotRun(home, window_shot, {}).exit_code, 0);
        const GuiRun r = screenshotRun(home, presentation_shot, {"--presentation"});
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        const QImage window(window_shot), presentation(presentation_shot);
        QVERIFY(!window.isNull() && !presentation.isNull());
        QVERIFY2(presentation.size() != window.size(), "the presentation fills the screen, the window has its own size");
    }

    void aScreenshotThatCannotFinishInTimeSaysWhatItWaitedFor() {
        QTemporaryDir home;
        const QString shot = home.filePath("late.png");
        // The window waits a moment for its charts to settle after the answer, so 1 ms is never enough.
        const GuiRun r = runLens(home, {"--screenshot", shot, "--quit-after-ms", "1"});
        QCOMPARE(r.exit_code, 1);
        QVERIFY2(screenshotError(r.err, shot).startsWith("timed out after 0.001 s waiting for "), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestGuiStartup)
#include "test_gui_startup.moc"
