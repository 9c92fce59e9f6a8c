// Presentation mode: the large view shows the result's top-1 label and its top 3 as bars, clears when told,
// draws its label big enough for the back of a room at every size (measured in the rendered pixels), and
// its window goes full screen and back with F11 and leaves with Esc. In the real window it follows the
// classified image and a failed one, and View > Presentation mode (F11) opens it.
#include <QtTest/QtTest>

#include <QAction>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMenuBar>
#include <QSettings>
#include <QTemporaryDir>

#include <memory>

#include <opencv2/core.hpp>
#include <opencv2/videoio.hpp>

#include "test_support.h"
#include "widgets/capture_worker.h"
#include "widgets/main_window.h"
#include "widgets/presentation_view.h"
#include "widgets/presentation_window.h"

using namespace levit::ui;

namespace {

const QString kTiny = QString::fromStdString(levit_test::testDataDir() + "/golden/tiny_seed0");
const QString kSinus = kTiny + "/images/sinus_640x427.png";

// A result whose ranking is `labels` with falling probabilities.
InferenceResultPtr rankedResult(const QStringList& labels) {
    auto result = std::make_shared<InferenceResult>();
    float p = 0.6f;
    for (int i = 0; i < int(labels.size()); ++i, p /= 2) result->classification.top_k.push_back({i, labels[i].toStdString(), p, 0.f});
    return result;
}

QImage greyPicture() {
    QImage picture(640, 480, QImage::Format_RGB888);
    picture.fill(QColor(128, 128, 128));
    return picture;
}

QPalette darkPalette() {
    QPalette p;
    p.setColor(QPalette::Window, QColor(37, 37, 40));
    p.setColor(QPalette::WindowText, QColor(235, 235, 235));
    return p;
}

// Where the pure white pixels are: in the dark palette only the label's glyphs are pure white (the plate is
// black, the picture grey, the bars' text off-white).
QRect whiteText(const QImage& image) {
    QRect box;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            if (image.pixel(x, y) == qRgb(255, 255, 255)) box |= QRect(x, y, 1, 1);
    return box;
}

// The tiny golden model in `dir`/`folder` (its name, as it has none of its own); without the centre crop its
// preprocessing gives most images another size than the model's input, so they cannot be classified.
QString tinyModelCopy(const QTemporaryDir& dir, const QString& folder, bool centre_crop) {
    const QString model = dir.filePath(folder);
    QDir().mkpath(model);
    for (const char* f : {"model.safetensors", "config.json"}) QFile::copy(kTiny + "/" + f, model + "/" + f);
    QFile in(kTiny + "/preprocessor_config.json");
    in.open(QIODevice::ReadOnly);
    QJsonObject config = QJsonDocument::fromJson(in.readAll()).object();
    config["do_center_crop"] = centre_crop;
    QFile out(model + "/preprocessor_config.json");
    out.open(QIODevice::WriteOnly);
    out.write(QJsonDocument(config).toJson());
    return model;
}

QAction* presentationAction(QMainWindow& window) {
    for (QAction* menu : window.menuBar()->actions())
        for (QAction* action : menu->menu()->actions())
            if (action->shortcut() == QKeySequence(Qt::Key_F11)) return action;
    return nullptr;
}

}  // namespace

class TestPresentationView : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QCoreApplication::setOrganizationName("levit-lens-tests"); }

    void showsTheTopOneLabelAndTheTopThreeBars() {
        PresentationView view;
        view.resize(1280, 720);
        const InferenceResultPtr result = rankedResult({"tabby cat", "tiger cat", "Egyptian cat", "lynx", "fox"});
        view.showResult(result, greyPicture());
        QVERIFY(view.hasResult());
        QCOMPARE(view.shownLabel(), QString::fromStdString(result->classification.top_k[0].label));
        QCOMPARE(view.shownConfidence(), double(result->classification.top_k[0].probability));
        QCOMPARE(view.barLabels(), QStringList({"tabby cat", "tiger cat", "Egyptian cat"}));
        QVERIFY(view.message().isEmpty());
    }

    void clearResultTakesTheAnswerAway() {
        PresentationView view;
        view.showResult(rankedResult({"tabby cat", "tiger cat"}), greyPicture());
        view.clearResult("No prediction for broken.png");
        QVERIFY(!view.hasResult());
        QVERIFY(view.shownLabel().isEmpty());
        QVERIFY(view.barLabels().isEmpty());
        QCOMPARE(view.message(), QString("No prediction for broken.png"));
    }

    // Measured in the drawn pixels, not only in the font asked for.
    void theLabelScalesWithTheView() {
        PresentationView view;
        view.setPalette(darkPalette());
        view.showResult(rankedResult({"tabby cat", "tiger cat", "Egyptian cat"}), greyPicture());
        int previous = 0;
        for (const QSize size : {QSize(640, 360), QSize(1280, 720), QSize(1920, 1080)}) {
            view.resize(size);
            QVERIFY2(view.labelPixelSize() >= size.height() / 12, qPrintable(QString::number(view.labelPixelSize())));
            const int drawn = whiteText(view.grab().toImage()).height();
            // Glyphs from cap height to descender span about 0.9 of the font's pixel size.
            QVERIFY2(drawn >= size.height() / 12 * 0.7, qPrintable(QString("%1 px at %2 high").arg(drawn).arg(size.height())));
            QVERIFY2(drawn > previous * 1.4, qPrintable(QString("%1 px after %2 px").arg(drawn).arg(previous)));
            previous = drawn;
        }
    }

    // A label too long for one line shows its first name (ImageNet lists synonyms: "tabby, tabby cat"), and
    // a single name too long for one line wraps onto a second, at full size, never off the screen.
    void aLongLabelStaysFullSizeInsideTheView() {
        PresentationView view;
        view.setPalette(darkPalette());
        view.resize(1280, 720);
        QDir().mkpath(LEVIT_BIN_DIR "/../screenshots");
        const struct {
            QString label;
            int lines;
        } cases[] = {{"Egyptian cat, Egyptian Mau, Felis silvestris lybica, African wildcat", 1},
                     {"Greater Swiss Mountain dog, Bernese mountain dog, Appenzeller, EntleBucher", 2}};
        for (const auto& c : cases) {
            view.showResult(rankedResult({c.label, "tiger cat", "Egyptian cat"}), greyPicture());
            QCOMPARE(view.shownLabel(), c.label);
            const QImage shot = view.grab().toImage();
            shot.save(QString(LEVIT_BIN_DIR "/../screenshots/presentation_long_label_%1.png").arg(c.lines));
            const QRect text = whiteText(shot);
            QVERIFY2(text.left() > 0 && text.right() < view.width() - 1, qPrintable(QString("%1..%2").arg(text.left()).arg(text.right())));
            const int label_px = view.labelPixelSize();
            QVERIFY2(c.lines == 1 ? text.height() < 1.4 * label_px : text.height() > 1.6 * label_px,
                     qPrintable(QString("%1 px of text for a %2 px font").arg(text.height()).arg(label_px)));
        }
    }

    void f11TogglesFullScreenAndEscapeLeaves() {
        PresentationWindow window;
        window.present();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.isFullScreen());
        QTest::keyClick(&window, Qt::Key_F11);
        QTRY_VERIFY(!window.isFullScreen());
        QVERIFY(window.isVisible());
        QTest::keyClick(window.view(), Qt::Key_F11);  // from the view inside too
        QTRY_VERIFY(window.isFullScreen());
        QTest::keyClick(window.view(), Qt::Key_Escape);
        QTRY_VERIFY(!window.isVisible());
    }

    // The window feeds it: the label is the shown result's top-1, and an image that fails clears it.
    void followsTheWindowsResult() {
        QSettings().clear();
        QTemporaryDir dir;
        MainWindow window;
        window.show();
        QSignalSpy loaded(&window, &MainWindow::modelLoaded);
        window.loadModel(tinyModelCopy(dir, "tiny-golden", true));
        QVERIFY(loaded.wait(20000));
        QSignalSpy shown(&window, &MainWindow::resultShown);
        window.addImageFiles({kSinus});
        QVERIFY2(shown.wait(20000), qPrintable(window.message()));
        const PresentationView* view = window.presentation()->view();
        QCOMPARE(view->shownLabel(), QString::fromStdString(window.lastResult()->classification.top_k[0].label));
        QCOMPARE(view->barLabels().size(), PresentationView::kBars);
        QCOMPARE(view->modelName(), QString("tiny-golden"));

        QSignalSpy failed(&window, &MainWindow::classificationFailed);
        window.loadModel(tinyModelCopy(dir, "no-crop", false));  // the sinus image is classified again, and fails
        QVERIFY(failed.wait(20000));
        QVERIFY(!view->hasResult());
        QVERIFY2(view->message().contains("sinus_640x427.png"), qPrintable(view->message()));
    }

    void followsTheLiveVideo() {
        QSettings().clear();
        QTemporaryDir dir;
        const QString video = dir.filePath("clip.avi");
        {
            cv::VideoWriter writer(video.toStdString(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 30, cv::Size(320, 240));
            QVERIFY(writer.isOpened());
            for (int i = 0; i < 90; ++i) {
                cv::Mat frame(240, 320, CV_8UC3, cv::Scalar(i * 2, 255 - i * 2, 128));
                frame(cv::Rect(10 + i * 2, 90, 60, 60)).setTo(cv::Scalar(255, 255, 255));
                writer.write(frame);
            }
        }
        MainWindow window;
        window.show();
        QSignalSpy loaded(&window, &MainWindow::modelLoaded);
        window.loadModel(kTiny);
        QVERIFY(loaded.wait(20000));
        window.presentation()->present();
        window.startVideoFile(video);
        QTRY_VERIFY_WITH_TIMEOUT(window.liveResults() > 3, 20000);
        window.capture()->setPaused(true);
        QTest::qWait(300);  // the frame in flight, if any, is shown
        const PresentationView* view = window.presentation()->view();
        QCOMPARE(view->shownLabel(), QString::fromStdString(window.lastResult()->classification.top_k[0].label));
        QCOMPARE(view->pictureSize(), QSize(320, 240));
        QDir().mkpath(LEVIT_BIN_DIR "/../screenshots");
        window.presentation()->grab().save(LEVIT_BIN_DIR "/../screenshots/presentation_live.png");
        window.stopLive();
    }

    void viewMenuF11OpensPresentationModeFullScreen() {
        MainWindow window;
        window.show();
        QAction* action = presentationAction(window);
        QVERIFY(action);
        QVERIFY(!window.presentation()->isVisible());
        action->trigger();
        QVERIFY(window.presentation()->isVisible());
        QVERIFY(window.presentation()->isFullScreen());
        // In presentation mode F11 is the presentation's own (full screen or not), not the menu's again.
        QVERIFY(QTest::qWaitForWindowActive(window.presentation()));
        QTest::keyClick(window.presentation()->view(), Qt::Key_F11);
        QTRY_VERIFY(!window.presentation()->isFullScreen());
        QTest::keyClick(window.presentation()->view(), Qt::Key_Escape);
        QTRY_VERIFY(!window.presentation()->isVisible());
        QVERIFY(window.isVisible());
    }
};

QTEST_MAIN(TestPresentationView)
#include "test_presentation_view.moc"
