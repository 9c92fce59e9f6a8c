// The window as a classroom and a lab use it: it fits a 1280x720 projector, every view describes the
// picture shown (also after a video ends), messages of one cause do not hide another's and can be
// dismissed, a video can be played again or looped, and the picture follows the window's size.
#include <QtTest/QtTest>

#include <QAction>
#include <QCheckBox>
#include <QLabel>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QToolButton>

#include <opencv2/videoio.hpp>

#include "media/frame_source.h"
#include "test_support.h"
#include "widgets/captioned_export.h"
#include "widgets/capture_worker.h"
#include "widgets/feature_map_view.h"
#include "widgets/main_window.h"
#include "widgets/tour_view.h"
#include "widgets/message_area.h"
#include "window_waits.h"

using namespace levit::ui;

namespace {

const QString kTiny = QString::fromStdString(levit_test::testDataDir() + "/golden/tiny_seed0");
const QString kSinus = kTiny + "/images/sinus_640x427.png";

// A short MJPG clip whose frames differ (a moving white square), so the last frame is recognisable.
QString writeClip(const QTemporaryDir& dir, const QString& name, int frames) {
    const QString path = dir.filePath(name);
    cv::VideoWriter writer(path.toStdString(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 30, cv::Size(160, 120));
    for (int i = 0; i < frames; ++i) {
        cv::Mat frame(120, 160, CV_8UC3, cv::Scalar(20, 40 + 4 * i, 200 - 4 * i));
        frame(cv::Rect(4 + 4 * i, 40, 30, 30)).setTo(cv::Scalar(255, 255, 255));
        writer.write(frame);
    }
    return path;
}

QPushButton* buttonNamed(QWidget* root, const QString& text) {
    for (QPushButton* b : root->findChildren<QPushButton*>())
        if (b->text() == text) return b;
    return nullptr;
}

}  // namespace

class TestWindowStates : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    std::unique_ptr<MainWindow> window;

    // Adds `path` and waits until its answer is shown and the open has finished (window_waits.h).
    void addAndWait(const QString& path) {
        QVERIFY2(levit_test::openAndWaitForAnswer(*window, [&] { window->addImageFiles({path}); }),
                 qPrintable(window->message()));
    }

private slots:
    void initTestCase() { QCoreApplication::setOrganizationName("levit-lens-tests"); }

    void init() {
        QSettings().clear();
        window = std::make_unique<MainWindow>();
        window->show();
        QSignalSpy loaded(window.get(), &MainWindow::modelLoaded);
        window->loadModel(kTiny);
        QVERIFY(loaded.wait(20000));
    }

    void cleanup() { window.reset(); }

    // In the dark palette a disabled button looks disabled (its text is not the enabled text colour).
    void disabledControlsLookDisabledInTheDarkPalette() {
        window.reset();
        QSettings().setValue("view/palette", "dark");
        window = std::make_unique<MainWindow>();
        const QPalette p = QApplication::palette();
        QVERIFY(p.color(QPalette::Disabled, QPalette::ButtonText) != p.color(QPalette::Active, QPalette::ButtonText));
        QVERIFY(p.color(QPalette::Disabled, QPalette::WindowText) != p.color(QPalette::Active, QPalette::WindowText));
        QSettings().setValue("view/palette", "system");
        QApplication::setPalette(QApplication::style()->standardPalette());  // the next tests as before
    }

    // Defect 1: the smallest window, with any tab open, fits a 1280x720 screen with room for a title bar.
    void theWindowFitsA1280x720Screen() {
        addAndWait(kSinus);
        for (int t = 0; t < window->tabs()->count(); ++t) {
            window->tabs()->setCurrentIndex(t);
            const QSize minimum = window->minimumSizeHint().expandedTo(window->minimumSize());
            QVERIFY2(minimum.width() <= 1280 && minimum.height() <= 720 - 40,
                     qPrintable(QString("tab %1 needs at least %2x%3").arg(t).arg(minimum.width()).arg(minimum.height())));
        }
        // At that size the strip and the status bar are inside the window, not cut off.
        window->resize(1280, 680);
        QApplication::processEvents();
        const QWidget* strip = window->findChild<QWidget*>("imageStrip");
        QVERIFY(strip);
        const QRect in_window(strip->mapTo(window.get(), QPoint(0, 0)), strip->size());
        QVERIFY2(window->rect().contains(in_window), qPrintable(QString("strip at %1,%2 %3x%4").arg(in_window.x()).arg(in_window.y())
                                                                     .arg(in_window.width()).arg(in_window.height())));
        QVERIFY(window->statusBar()->geometry().bottom() <= window->height());
    }

    // At 1280x720 the tour fits its tab: the figure and Next in view, nothing to scroll to (the graph, on the
    // same tab, scrolls by itself and must not stretch the tour to its height).
    void theTourFitsItsTabAt1280x720() {
        window->resize(1280, 680);
        window->showTour(4);
        addAndWait(kSinus);
        QApplication::processEvents();
        auto* scroll = qobject_cast<QScrollArea*>(window->tabs()->currentWidget());
        QVERIFY(scroll);
        QCOMPARE(scroll->verticalScrollBar()->maximum(), 0);
        const QWidget* next = window->tourView()->nextButton();
        const QRect in_viewport(next->mapTo(scroll->viewport(), QPoint(0, 0)), next->size());
        QVERIFY2(scroll->viewport()->rect().contains(in_viewport), qPrintable(QString("Next at %1,%2 in a %3x%4 tab").arg(in_viewport.x())
                                                                                .arg(in_viewport.y()).arg(scroll->viewport()->width()).arg(scroll->viewport()->height())));
    }

    // Defect 1: a first window (no saved geometry) opens inside the screen's available area.
    void aFirstWindowOpensInsideTheScreen() {
        QSettings().clear();
        MainWindow fresh;
        fresh.show();
        QApplication::processEvents();
        const QRect available = fresh.screen()->availableGeometry();
        QVERIFY2(fresh.width() <= available.width() && fresh.height() <= available.height(),
                 qPrintable(QString("%1x%2 on a %3x%4 screen").arg(fresh.width()).arg(fresh.height()).arg(available.width()).arg(available.height())));
    }

    // Defect 2: after a video ends, the picture is its last frame and every view, also a tab opened
    // afterwards, describes that frame (not the strip's still image).
    void afterAVideoEndsEveryViewDescribesTheLastFrame() {
        addAndWait(kSinus);
        const QString clip = writeClip(tmp, "ending.avi", 20);
        window->tabs()->setCurrentIndex(0);
        QSignalSpy stopped(window.get(), &MainWindow::liveStopped);
        window->startVideoFile(clip);
        QVERIFY(stopped.wait(30000));
        QTRY_VERIFY_WITH_TIMEOUT(window->lastResult() && window->lastResult()->source.startsWith("last frame of"), 20000);
        const QImage picture = window->shownPicture();
        QCOMPARE(picture.size(), QSize(160, 120));
        QCOMPARE(window->lastResult()->original.convertToFormat(QImage::Format_RGB888), picture.convertToFormat(QImage::Format_RGB888));
        for (int t : {1, 2, 0}) {
            QSignalSpy shown(window.get(), &MainWindow::resultShown);
            window->tabs()->setCurrentIndex(t);
            QVERIFY(shown.wait(20000));
            QVERIFY2(window->lastResult()->source.startsWith("last frame of"), qPrintable(window->lastResult()->source));
            QCOMPARE(window->shownPicture(), picture);
        }
        // Picking the strip's image makes it the subject again.
        QSignalSpy shown(window.get(), &MainWindow::resultShown);
        window->selectImage(0);
        QVERIFY(shown.wait(20000));
        QCOMPARE(window->lastResult()->source, kSinus);
        QTRY_VERIFY_WITH_TIMEOUT(!window->shownPicture().isNull(), 20000);  // decoded in the background
        const QSize still = window->shownPicture().size();  // the strip's 640x427 image, maybe decoded smaller
        QVERIFY2(std::abs(still.width() * 427 - still.height() * 640) <= 640, qPrintable(QString("%1x%2").arg(still.width()).arg(still.height())));
    }

    // Defect 4: an image error shown before a model finishes loading stays; the model's message is its own.
    void anImageErrorSurvivesAModelLoad() {
        const QString broken = tmp.filePath("broken.png");
        QFile f(broken);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("\x89PNG not really");
        f.close();
        QSignalSpy added(window.get(), &MainWindow::imagesAdded);
        window->addImageFiles({broken});
        QVERIFY(added.wait(20000));
        QVERIFY(window->message().contains(broken));
        QSignalSpy loaded(window.get(), &MainWindow::modelLoaded);
        window->loadModel(kTiny);
        QVERIFY(loaded.wait(20000));
        QVERIFY2(window->message().contains(broken), qPrintable(window->message()));
        // A model that fails adds its own message beside the image's.
        window->loadModel(tmp.filePath("no-such-model"));
        QTRY_VERIFY_WITH_TIMEOUT(window->message().contains("no-such-model"), 20000);
        QVERIFY(window->message().contains(broken));
    }

    // Defect 4: every message can be dismissed, and the messages do not move the layout.
    void messagesCanBeDismissedAndDoNotMoveTheLayout() {
        addAndWait(kSinus);
        QTest::qWait(200);  // the views settle their sizes after the first result
        const QWidget* strip = window->findChild<QWidget*>("imageStrip");
        const QRect before = strip->geometry();
        window->addImageFiles({tmp.filePath("missing.png")});
        QTRY_VERIFY_WITH_TIMEOUT(window->message().contains("missing.png"), 20000);
        QApplication::processEvents();
        QCOMPARE(strip->geometry(), before);
        auto* area = window->findChild<MessageArea*>();
        QVERIFY(area && area->isVisible());
        QToolButton* close = area->findChild<QToolButton*>();
        QVERIFY(close);
        close->click();
        QTRY_VERIFY(window->message().isEmpty());
        QVERIFY(!area->isVisible());
    }

    // Defect 13: without a camera, Start after a video ended plays that video again (it used to complain
    // about a missing camera); with Loop on, a video starts again by itself.
    void aVideoCanBePlayedAgainAndLooped() {
        if (!levit::media::availableCameras().empty()) QSKIP("this machine has a camera: Start would open it");
        const QString clip = writeClip(tmp, "again.avi", 10);
        window->tabs()->setCurrentIndex(4);
        QSignalSpy stopped(window.get(), &MainWindow::liveStopped);
        window->startVideoFile(clip);
        QVERIFY(stopped.wait(30000));
        QPushButton* start = buttonNamed(window.get(), "Start");
        QVERIFY(start && start->isEnabled());
        start->click();
        QVERIFY(window->capture()->running() || stopped.count() == 2);
        QVERIFY(stopped.wait(30000));
        QVERIFY(window->message().isEmpty());
        QCheckBox* loop = nullptr;
        for (QCheckBox* box : window->findChildren<QCheckBox*>())
            if (box->text().contains("Loop")) loop = box;
        QVERIFY(loop);
        loop->setChecked(true);
        stopped.clear();
        window->startVideoFile(clip);
        QTRY_VERIFY_WITH_TIMEOUT(stopped.count() >= 2, 30000);  // ended, started again, ended again
        loop->setChecked(false);
        QTRY_VERIFY_WITH_TIMEOUT(!window->capture()->running(), 30000);
        window->stopLive();
    }

    // Defect 13: the picture on the left grows and shrinks with the window.
    void thePictureFollowsTheWindowSize() {
        window->resize(1000, 650);
        addAndWait(kSinus);
        QApplication::processEvents();
        auto pixmapWidth = [this] {
            for (QLabel* label : window->findChildren<QLabel*>())
                if (label->toolTip() == kSinus && !label->pixmap().isNull()) return label->pixmap().width();
            return 0;
        };
        // The picture is decoded in the background: wait for it.
        QTRY_VERIFY_WITH_TIMEOUT(pixmapWidth() > 0, 20000);
        const int small = pixmapWidth();
        window->resize(1600, 1000);
        QTRY_VERIFY(pixmapWidth() > small);
    }

    // Defect 13: an exported view carries the image name, the model and each head's prediction above it.
    void anExportedViewSaysWhatItShows() {
        addAndWait(kSinus);
        const QStringList caption = exportCaption(*window->lastResult(), "tiny");
        const QString text = caption.join('\n');
        QVERIFY2(text.contains("sinus_640x427.png") && text.contains("Model: tiny"), qPrintable(text));
        const auto& c = window->lastResult()->classification;
        const int cls = int(std::max_element(c.cls_logits.begin(), c.cls_logits.end()) - c.cls_logits.begin());
        const int dist = int(std::max_element(c.distillation_logits.begin(), c.distillation_logits.end()) - c.distillation_logits.begin());
        QVERIFY2(text.contains(QString("Classification head: LABEL_%1").arg(cls)), qPrintable(text));
        QVERIFY2(text.contains(QString("distillation head: LABEL_%1").arg(dist)), qPrintable(text));
        QVERIFY2(text.contains(QString::fromStdString(c.top_k.front().label)), qPrintable(text));
        window->tabs()->setCurrentIndex(0);
        const QString path = tmp.filePath("export.png");
        QVERIFY(window->exportCurrentView(path));
        const QImage exported(path);
        QVERIFY(!exported.isNull());
        window->tabs()->setCurrentIndex(0);
        const QSize view = static_cast<QWidget*>(window->featureMapView())->size();
        QVERIFY2(exported.height() > view.height() && exported.width() == view.width(),
                 qPrintable(QString("%1x%2 for a %3x%4 view").arg(exported.width()).arg(exported.height()).arg(view.width()).arg(view.height())));
    }

    // Defect 13: the View menu names the tabs instead of "Show tab 1..4".
    void theViewMenuNamesTheTabs() {
        QStringList shown;
        for (QAction* a : window->findChildren<QAction*>())
            if (a->text().startsWith("Show ")) shown << a->text();
        for (int t = 0; t < window->tabs()->count(); ++t) QVERIFY2(shown.contains("Show " + window->tabs()->tabText(t)), qPrintable(shown.join(", ")));
        QVERIFY(!shown.join(",").contains("Show tab"));
    }
};

QTEST_MAIN(TestWindowStates)
#include "test_window_states.moc"
