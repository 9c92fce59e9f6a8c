// The real window, driven like a user: drop an image, switch stages, click a query, compare the heads,
// feed a video file, survive a corrupt image, a missing camera, a model whose preprocessing does not fit
// and a large folder; export; screenshots of every view. Every test gets a new window (init) on the tiny
// golden model with cleared settings, so no test depends on what another left behind.
#include <QtTest/QtTest>

#include <QChart>
#include <QChartView>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMenu>
#include <QMimeData>
#include <QSettings>
#include <QTabWidget>
#include <QTemporaryDir>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio.hpp>

#include <cmath>

#include "hub/cached_models.h"
#include "levit/classify.h"
#include "levit/npy.h"
#include "event_loop_watch.h"
#include "test_support.h"
#include "widgets/attention_view.h"
#include "widgets/capture_worker.h"
#include "widgets/feature_map_view.h"
#include "widgets/heads_comparison_view.h"
#include "widgets/heatmap_widget.h"
#include "widgets/image_loader.h"
#include "widgets/main_window.h"
#include "widgets/model_graph_view.h"
#include "widgets/model_tab.h"
#include "widgets/presentation_window.h"
#include "widgets/tour_view.h"
#include "widgets/predictions_view.h"
#include "window_waits.h"

using namespace levit::ui;
using namespace levit::hub;

namespace {

const QString kTiny = QString::fromStdString(levit_test::testDataDir() + "/golden/tiny_seed0");
const QString kSinus = kTiny + "/images/sinus_640x427.png";
const QString kGradient = kTiny + "/images/gradient_300x200.png";
constexpr int kSinusIndex = 4;  // sinus_640x427.png is image 4 of the golden batch
constexpr int kGradientIndex = 0;

std::vector<float> goldenRow(const char* file, int row) {
    const auto a = levit::readNpy(kTiny.toStdString() + "/npy/" + file);
    const auto v = a.toFloat();
    const int n = static_cast<int>(a.shape[1]);
    return std::vector<float>(v.begin() + row * n, v.begin() + (row + 1) * n);
}

// A picture with many distinct colours is not blank.
int distinctColours(const QImage& image) {
    QSet<QRgb> colours;
    const QImage small = image.convertToFormat(QImage::Format_RGB32);
    for (int y = 0; y < small.height(); y += 3)
        for (int x = 0; x < small.width(); x += 3) colours.insert(small.pixel(x, y));
    return colours.size();
}

// The tiny golden model in `dir` with one change to its preprocessor config.
QString tinyModelWith(const QTemporaryDir& dir, const QString& name, const char* key, const QJsonValue& value) {
    const QString model = dir.filePath(name);
    QDir().mkpath(model);
    for (const char* f : {"config.json", "model.safetensors"}) QFile::copy(kTiny + "/" + f, model + "/" + f);
    QFile in(kTiny + "/preprocessor_config.json");
    in.open(QIODevice::ReadOnly);
    QJsonObject config = QJsonDocument::fromJson(in.readAll()).object();
    config[key] = value;
    QFile out(model + "/preprocessor_config.json");
    out.open(QIODevice::WriteOnly);
    out.write(QJsonDocument(config).toJson());
    return model;
}

}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;
    std::unique_ptr<MainWindow> window;

    void dropFile(const QString& path) {
        auto* mime = new QMimeData();
        mime->setUrls({QUrl::fromLocalFile(path)});
        // As a real drag: Qt delivers the drop to the widget that accepted the drag-enter.
        const QPoint centre(window->width() / 2, window->height() / 2);
        QDragEnterEvent enter(centre, Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(window.get(), &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(centre), Qt::CopyAction, mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(window.get(), &drop);
        delete mime;
    }

    // Drops an image and waits until its answer is shown and the open has finished (window_waits.h).
    void dropAndWait(const QString& path) {
        QVERIFY2(levit_test::openAndWaitForAnswer(*window, [&] { dropFile(path); }), qPrintable(window->message()));
    }

    // The top-k labels the window shows after `path` was dropped: the argmax of the golden logits first.
    void checkShownAnswer(int golden_row) {
        const auto logits = goldenRow("logits.npy", golden_row);
        const int argmax = int(std::max_element(logits.begin(), logits.end()) - logits.begin());
        QCOMPARE(window->predictionsView()->shownLabels().first(), QString("LABEL_%1").arg(argmax));
        const auto shown = window->lastResult()->classification.logits;
        QCOMPARE(int(shown.size()), int(logits.size()));
        for (size_t i = 0; i < logits.size(); ++i) QVERIFY(std::abs(shown[i] - logits[i]) <= 1e-4);
    }

private slots:
    void initTestCase() { QCoreApplication::setOrganizationName("levit-lens-tests"); }

    void init() {
        QSettings().clear();
        window = std::make_unique<MainWindow>();
        window->resize(1500, 950);
        window->show();
        QSignalSpy loaded(window.get(), &MainWindow::modelLoaded);
        window->loadModel(kTiny);
        QVERIFY(loaded.wait(20000));
        QCOMPARE(window->model()->config().numLabels(), 10);
    }

    void cleanup() { window.reset(); }

    void droppingAnImageClassifiesIt() {
        window->tabs()->setCurrentIndex(0);
        dropAndWait(kSinus);
        checkShownAnswer(kSinusIndex);
        QCOMPARE(window->imageCount(), 1);
        QVERIFY(window->message().isEmpty());
        QCOMPARE(window->lastResult()->source_size, QSize(640, 427));  // the file's, before preprocessing
    }

    void switchingStageChangesTheGrid() {
        window->tabs()->setCurrentIndex(0);
        dropAndWait(kSinus);
        FeatureMapView* view = window->featureMapView();
        QCOMPARE(view->stageCount(), 4);
        const QSize expected[] = {{6, 6}, {3, 3}, {2, 2}, {2, 2}};
        for (int s = 0; s < 4; ++s) {
            view->selectStage(s);
            QCOMPARE(view->currentGrid(), expected[s]);
            QCOMPARE(view->enlargedMap()->rows(), expected[s].height());
        }
        view->selectStage(0);
        view->selectChannel(5);
        QCOMPARE(view->selectedChannel(), 5);
    }

    void clickingAQueryUpdatesTheAttentionOverlay() {
        window->tabs()->setCurrentIndex(1);
        dropAndWait(kSinus);
        QSignalSpy shown(window.get(), &MainWindow::resultShown);
        AttentionView* view = window->attentionView();
        for (int block : {0, 1}) {  // block 1 is stage 0's attention-subsample (6x6 keys -> 3x3 queries)
            if (block != view->selectedBlock()) {
                view->selectBlock(block);  // asks for that block's probe: the image runs again
                QVERIFY(shown.wait(20000));
            }
            const HeatmapWidget* image = view->queryImage();
            const QPoint target = image->cellRect(1, 2).center();
            QTest::mouseClick(const_cast<HeatmapWidget*>(image), Qt::LeftButton, Qt::NoModifier, target);
            QCOMPARE(view->selectedQuery(), QPoint(2, 1));
            const auto result = window->lastResult();
            const levit::AttentionMaps* maps = nullptr;
            for (const auto& a : result->probe.attention)
                if (a.block == block) maps = &a;
            QVERIFY(maps);
            const int ro = window->model()->attentionBlocks()[block].resolution_out;
            const size_t row = (size_t(view->selectedHead()) * maps->queries + 1 * ro + 2) * maps->keys;
            const std::vector<float> expected(maps->probabilities.begin() + row, maps->probabilities.begin() + row + maps->keys);
            QCOMPARE(view->shownProbabilities(), expected);
            QVERIFY(view->positionShare() > 0 && view->positionShare() < 1);
        }
    }

    void headsViewShowsTheGoldenLogits() {
        window->tabs()->setCurrentIndex(2);
        dropAndWait(kSinus);
        HeadsComparisonView* view = window->headsView();
        const auto cls = goldenRow("cls_logits.npy", kSinusIndex), dist = goldenRow("distillation_logits.npy", kSinusIndex);
        QCOMPARE(view->shownClsLogits().size(), 10);
        double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < 10; ++i) {
            QVERIFY(std::abs(view->shownClsLogits()[i] - cls[i]) <= 1e-4);
            QVERIFY(std::abs(view->shownDistillationLogits()[i] - dist[i]) <= 1e-4);
            mx += cls[i] / 10.0;
            my += dist[i] / 10.0;
        }
        for (int i = 0; i < 10; ++i) {
            sxy += (cls[i] - mx) * (dist[i] - my);
            sxx += (cls[i] - mx) * (cls[i] - mx);
            syy += (dist[i] - my) * (dist[i] - my);
        }
        QVERIFY(std::abs(view->correlation() - sxy / std::sqrt(sxx * syy)) < 1e-4);
        const bool disagree = std::max_element(cls.begin(), cls.end()) - cls.begin() != std::max_element(dist.begin(), dist.end()) - dist.begin();
        QCOMPARE(view->headsDisagree(), disagree);
    }

    // Issue 13.14: every result used to leave the replaced charts behind (one per chart view per result).
    void chartsAreDeletedWhenReplaced() {
        window->tabs()->setCurrentIndex(2);
        dropAndWait(kSinus);
        const QList<QChartView*> views = window->findChildren<QChartView*>();
        QVERIFY(views.size() >= 1);  // the heads view's scatter (the bar charts are painted widgets, not QCharts)
        QList<QPointer<QChart>> seen;
        QSignalSpy shown(window.get(), &MainWindow::resultShown);
        for (int i = 0; i < 40; ++i) {
            for (QChartView* v : views) seen << QPointer<QChart>(v->chart());
            window->selectImage(0);  // runs the image again: every chart is drawn anew
            QVERIFY(shown.wait(20000));
        }
        for (QChartView* v : views) seen << QPointer<QChart>(v->chart());
        QSet<QChart*> alive;
        for (const QPointer<QChart>& c : seen)
            if (c) alive.insert(c.data());
        // Only the charts on screen are left.
        QCOMPARE(alive.size(), views.size());
        for (QChartView* v : views) QVERIFY(alive.contains(v->chart()));
    }

    void aCorruptImageGivesAMessageAndTheWindowStaysUsable() {
        dropAndWait(kSinus);
        const QString bad = tmp.filePath("broken.jpg");
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray("\xFF\xD8\xFF\xE0 this is not really a jpeg", 30));
        f.close();
        QSignalSpy added(window.get(), &MainWindow::imagesAdded);
        dropFile(bad);
        QVERIFY(added.wait(20000));
        QCOMPARE(added.last().at(0).toInt(), 0);
        QCOMPARE(added.last().at(1).toInt(), 1);
        QVERIFY2(window->message().contains(bad), qPrintable(window->message()));
        QCOMPARE(window->imageCount(), 1);
        dropAndWait(kGradient);
        checkShownAnswer(kGradientIndex);
        QCOMPARE(window->imageCount(), 2);
        QVERIFY(window->message().isEmpty());
    }

    // Issue 12.2: a preprocessor config whose output is not the model's input size is a message in the
    // window, for every image, never an over-read; the next good model works again.
    void aPreprocessingThatDoesNotFitTheModelIsAMessage() {
        const QString model = tinyModelWith(tmp, "no-crop", "do_center_crop", false);
        QSignalSpy loaded(window.get(), &MainWindow::modelLoaded);
        window->loadModel(model);
        QVERIFY(loaded.wait(20000));  // loads: the size depends on each image's aspect ratio
        QSignalSpy failed(window.get(), &MainWindow::classificationFailed);
        QSignalSpy shown(window.get(), &MainWindow::resultShown);
        dropFile(kSinus);
        QVERIFY(failed.wait(20000));
        QCOMPARE(shown.size(), 0);
        const QString message = window->message();
        QVERIFY2(message.contains("sinus_640x427.png") && message.contains("preprocessor_config.json") && message.contains("96x96"),
                 qPrintable(message));
        QVERIFY(!window->lastResult());
        QVERIFY(window->predictionsView()->shownLabels().isEmpty());
        // A square image resized to 109x109 does not fit either.
        dropFile(kTiny + "/images/noise_224x224.png");
        QVERIFY(failed.wait(20000));
        QVERIFY2(window->message().contains("109x109"), qPrintable(window->message()));

        window->loadModel(kTiny);
        // The current image runs again on the good model; its result may arrive while the model's signal is
        // still being waited for, so count it rather than wait for a later one.
        QTRY_VERIFY_WITH_TIMEOUT(loaded.size() >= 2 && shown.size() >= 1, 20000);
        QVERIFY(window->message().isEmpty());
    }

    void aCropOtherThanTheModelInputIsRefusedWhenTheModelLoads() {
        const QString model = tinyModelWith(tmp, "crop-32", "crop_size", QJsonObject{{"height", 32}, {"width", 32}});
        dropAndWait(kSinus);
        QSignalSpy loaded(window.get(), &MainWindow::modelLoaded);
        window->loadModel(model);
        QTRY_VERIFY_WITH_TIMEOUT(window->message().contains("Could not load the model"), 20000);
        QVERIFY2(window->message().contains("crop_size") && window->message().contains("32x32"), qPrintable(window->message()));
        QCOMPARE(loaded.size(), 0);
        QCOMPARE(window->model()->config().image_size, 96);  // the previous model stays
        QSignalSpy shown(window.get(), &MainWindow::resultShown);
        window->selectImage(0);
        QVERIFY(shown.wait(20000));
    }

    // A folder with more images than the window holds: the first kMaxWindowImages by name, a message
    // with the count, progress, and the window answers events all along.
    void aLargeFolderOpensBoundedWithoutFreezing() {
        const QString folder = tmp.filePath("many");
        QVERIFY(QDir().mkpath(folder));
        const int total = kMaxWindowImages + 500;
        const QString first = folder + "/img_00000.png";
        QVERIFY(QFile::copy(kTiny + "/images/small_31x17.png", first));
        for (int i = 1; i < total; ++i)
            QVERIFY(QFile::link(first, folder + QString("/img_%1.png").arg(i, 5, 10, QChar('0'))));
        QSignalSpy added(window.get(), &MainWindow::imagesAdded);
        // While the folder opens, the event loop runs (a timer fires) and images join the strip in steps.
        QList<int> counts_seen;
        levit_test::EventLoopWatch watch([&] { counts_seen << window->imageCount(); });
        window->addImageFiles({folder});
        QCOMPARE(window->backgroundJobs(), 1);
        QVERIFY(added.wait(120000));
        watch.stop();
        qInfo("opened %d of %d images in %lld ms; the event loop's longest pause was %lld ms", window->imageCount(), total,
              static_cast<long long>(watch.elapsedMs()), static_cast<long long>(watch.longestPauseMs()));
        QCOMPARE(added.last().at(0).toInt(), kMaxWindowImages);
        QCOMPARE(window->imageCount(), kMaxWindowImages);
        QVERIFY2(window->message().contains(QString("the first %1 of its %2 images").arg(kMaxWindowImages).arg(total)),
                 qPrintable(window->message()));
        QVERIFY(std::any_of(counts_seen.begin(), counts_seen.end(), [](int c) { return c > 0 && c < kMaxWindowImages; }));
        QCOMPARE(window->backgroundJobs(), 0);
        // In name order: the first file, and last the 1000th.
        QVERIFY(window->imageSource(0).endsWith("/img_00000.png"));
        QVERIFY2(window->imageSource(kMaxWindowImages - 1).endsWith(QString("/img_%1.png").arg(kMaxWindowImages - 1, 5, 10, QChar('0'))),
                 qPrintable(window->imageSource(kMaxWindowImages - 1)));
        // Full: one more image is refused with a message.
        QSignalSpy added_again(window.get(), &MainWindow::imagesAdded);
        dropFile(kGradient);
        QVERIFY(added_again.wait(20000));
        QCOMPARE(added_again.last().at(0).toInt(), 0);
        QCOMPARE(window->imageCount(), kMaxWindowImages);
        QVERIFY2(window->message().contains("at most"), qPrintable(window->message()));
    }

    // Picking a photo of tens of megapixels: its picture is decoded in the background (it took a second or
    // more on the GUI thread, the window frozen), the label says so meanwhile, and the picture and the
    // answer that arrive in either order end up together.
    void aHugePictureIsDecodedWithoutFreezingTheWindow() {
        const QString huge = tmp.filePath("huge_7000x5000.png");
        cv::Mat pixels(5000, 7000, CV_8UC3);
        for (int y = 0; y < pixels.rows; ++y)
            for (int x = 0; x < pixels.cols; ++x) pixels.at<cv::Vec3b>(y, x) = cv::Vec3b(uchar(x), uchar(y), uchar(x ^ y));
        QVERIFY(cv::imwrite(huge.toStdString(), pixels, {cv::IMWRITE_PNG_COMPRESSION, 1}));
        window->tabs()->setCurrentIndex(0);
        dropAndWait(kSinus);
        QSignalSpy added(window.get(), &MainWindow::imagesAdded);
        window->addImageFiles({huge});
        QVERIFY(added.wait(60000));
        QTRY_COMPARE_WITH_TIMEOUT(window->imageCount(), 2, 20000);
        window->selectImage(0);
        QTRY_VERIFY_WITH_TIMEOUT(!window->shownPicture().isNull(), 20000);

        QSignalSpy picture_shown(window.get(), &MainWindow::pictureShown);
        QSignalSpy result_shown(window.get(), &MainWindow::resultShown);
        levit_test::EventLoopWatch watch;
        window->selectImage(1);
        const qint64 select_ms = watch.elapsedMs();
        QVERIFY2(window->shownPicture().isNull(), "the huge picture was decoded before selectImage returned");
        QVERIFY(picture_shown.wait(60000));
        QCOMPARE(picture_shown.last().at(0).toString(), huge);
        QTRY_VERIFY_WITH_TIMEOUT(result_shown.count() > 0, 60000);
        watch.stop();
        qInfo("selectImage returned after %lld ms; the picture came after %lld ms; longest event-loop pause %lld ms",
              static_cast<long long>(select_ms), static_cast<long long>(watch.elapsedMs()), static_cast<long long>(watch.longestPauseMs()));
        QVERIFY2(select_ms < 200 * levit_test::kSanitizerSlowdown, qPrintable(QString::number(select_ms)));
        QVERIFY2(watch.longestPauseMs() < 400 * levit_test::kSanitizerSlowdown, qPrintable(QString::number(watch.longestPauseMs())));
        const QImage picture = window->shownPicture();
        QVERIFY(!picture.isNull() && picture.width() <= 2 * window->width());
        QCOMPARE(picture.width() * 5000 / 7000, picture.height());
        QCOMPARE(window->lastResult()->source, huge);
        // Back to the first image and again to the huge one: now from the cache, at once.
        window->selectImage(0);
        QTRY_VERIFY_WITH_TIMEOUT(!window->shownPicture().isNull(), 20000);
        window->selectImage(1);
        QCOMPARE(window->shownPicture().size(), picture.size());

        // Scrolling through eight more photos: the decodes still queued when a newer one is picked are
        // skipped, and the last one picked is the one shown. Photos of 2 megapixels are enough to be decoded
        // in the background, and keep opening them quick under the sanitizers.
        const QString photo = tmp.filePath("photo_1600x1200.png");
        QVERIFY(cv::imwrite(photo.toStdString(), pixels(cv::Rect(0, 0, 1600, 1200)), {cv::IMWRITE_PNG_COMPRESSION, 1}));
        QStringList copies;
        for (int i = 0; i < 8; ++i) {
            copies << tmp.filePath(QString("photo_copy_%1.png").arg(i));
            QVERIFY(QFile::link(photo, copies.back()));
        }
        QSignalSpy more(window.get(), &MainWindow::imagesAdded);
        window->addImageFiles(copies);
        QVERIFY(more.wait(60000 * int(levit_test::kSanitizerSlowdown)));
        QTRY_COMPARE_WITH_TIMEOUT(window->imageCount(), 10, 20000);
        QSignalSpy last_shown(window.get(), &MainWindow::pictureShown);
        for (int i = 2; i < 10; ++i) window->selectImage(i);
        QTRY_VERIFY_WITH_TIMEOUT(!last_shown.isEmpty() && last_shown.last().at(0).toString() == copies.back(), 60000);
        qInfo("%d of 8 queued decodes skipped", window->skippedPictureDecodes());
        QVERIFY(window->skippedPictureDecodes() >= 1);
    }

    void openingAFolderCanBeCancelled() {
        const QString folder = tmp.filePath("to-cancel");
        QVERIFY(QDir().mkpath(folder));
        const QString first = folder + "/a_0000.png";
        QVERIFY(QFile::copy(kSinus, first));
        for (int i = 1; i < 400; ++i) QVERIFY(QFile::link(first, folder + QString("/a_%1.png").arg(i, 4, 10, QChar('0'))));
        QSignalSpy added(window.get(), &MainWindow::imagesAdded);
        window->addImageFiles({folder});
        QTRY_VERIFY_WITH_TIMEOUT(window->imageCount() > 0, 20000);
        window->cancelBackgroundWork();
        QVERIFY(added.wait(20000));
        QVERIFY(added.last().at(0).toInt() < 400);
        QCOMPARE(window->imageCount(), added.last().at(0).toInt());
        QVERIFY2(window->message().contains("cancelled"), qPrintable(window->message()));
        QCOMPARE(window->backgroundJobs(), 0);
    }

    // Closing while a folder is being opened and a model loads: the jobs are cancelled or finish, joined,
    // and nothing reports to a window that is gone.
    void closingDuringBackgroundWorkJoinsIt() {
        const QString folder = tmp.filePath("closing");
        QVERIFY(QDir().mkpath(folder));
        QVERIFY(QFile::copy(kSinus, folder + "/b_000.png"));
        for (int i = 1; i < 200; ++i) QVERIFY(QFile::link(folder + "/b_000.png", folder + QString("/b_%1.png").arg(i, 3, 10, QChar('0'))));
        window->addImageFiles({folder});
        window->loadModel(kTiny);
        window->exportPredictions(tmp.filePath("never.csv"));
        QVERIFY(window->backgroundJobs() >= 2);
        window->close();
        window.reset();
        QTest::qWait(100);  // any result still queued for the old window must be dropped, not delivered
    }

    void aMissingCameraIsANormalState() {
        dropAndWait(kSinus);
        window->startCamera(9);
        QVERIFY2(window->message().contains("camera 9"), qPrintable(window->message()));
        QVERIFY(!window->capture()->running());
        QSignalSpy shown(window.get(), &MainWindow::resultShown);
        window->selectImage(0);
        QVERIFY(shown.wait(20000));
    }

    void aVideoFileFeedsTheLiveView() {
        const QString video = tmp.filePath("clip.avi");
        {
            cv::VideoWriter writer(video.toStdString(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 30, cv::Size(320, 240));
            QVERIFY(writer.isOpened());
            for (int i = 0; i < 30; ++i) {
                cv::Mat frame(240, 320, CV_8UC3, cv::Scalar(i * 8, 255 - i * 8, 128));
                frame(cv::Rect(10 + i * 8, 90, 60, 60)).setTo(cv::Scalar(255, 255, 255));
                writer.write(frame);
            }
        }
        window->tabs()->setCurrentIndex(4);
        QSignalSpy stopped(window.get(), &MainWindow::liveStopped);
        window->startVideoFile(video);
        QVERIFY(stopped.wait(60000));
        QCOMPARE(window->capture()->framesRead(), quint64(30));
        QTRY_VERIFY_WITH_TIMEOUT(window->liveResults() > 0, 20000);
        // Once the video ended, the window describes its last frame.
        QTRY_VERIFY_WITH_TIMEOUT(window->lastResult()->source == "last frame of clip.avi", 20000);
        QCOMPARE(window->lastResult()->original.size(), QSize(320, 240));
    }

    // Images asked for before a video started (the startup samples with --video) join the strip and leave the
    // live view running; picking one of them ends it, and every end of the live view is announced.
    void imagesAskedForBeforeAVideoStartsDoNotStopIt() {
        const QString video = tmp.filePath("long.avi");
        {
            cv::VideoWriter writer(video.toStdString(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 30, cv::Size(160, 120));
            QVERIFY(writer.isOpened());
            for (int i = 0; i < 300; ++i) writer.write(cv::Mat(120, 160, CV_8UC3, cv::Scalar(i % 255, 40, 200)));
        }
        const int before = window->imageCount();
        QSignalSpy added(window.get(), &MainWindow::imagesAdded);
        QSignalSpy stopped(window.get(), &MainWindow::liveStopped);
        window->addImageFiles({kSinus});  // decoded on the pool: it arrives after the video started
        window->startVideoFile(video);
        QVERIFY(added.wait(20000));
        QCOMPARE(window->imageCount(), before + 1);
        QVERIFY(window->capture()->running());
        QCOMPARE(stopped.count(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(window->liveResults() > 0, 20000);
        window->selectImage(before);
        QVERIFY(!window->capture()->running());
        QCOMPARE(stopped.count(), 1);
    }

    // The Model tab's graph: a click on a node opens its output in the view that shows it, already positioned.
    void graphClicksOpenTheViewThatShowsTheNode() {
        window->tabs()->setCurrentIndex(7);
        QCOMPARE(window->tabs()->count(), MainWindow::kTabCount);
        QCOMPARE(qobject_cast<QScrollArea*>(window->tabs()->currentWidget())->widget(), static_cast<QWidget*>(window->modelTab()));
        dropAndWait(kSinus);
        ModelGraphView* graph = window->graphView();
        const auto shownView = [this] { return qobject_cast<QScrollArea*>(window->tabs()->currentWidget())->widget(); };
        QSet<levit::GraphNodeKind> kinds;
        for (int i = 0; i < graph->nodeCount(); ++i) {
            const levit::GraphNode& node = graph->node(i);
            window->tabs()->setCurrentIndex(7);
            window->modelTab()->showPage(ModelTab::Page::Graph);
            window->featureMapView()->selectStage(window->featureMapView()->stageCount() - 1);
            window->attentionView()->selectBlock(int(window->model()->attentionBlocks().size()) - 1);
            QTest::mouseClick(graph, Qt::LeftButton, {}, graph->nodeRect(i).center());
            const QString what = QString::fromStdString(node.name);
            kinds.insert(node.kind);
            switch (node.kind) {
                case levit::GraphNodeKind::Image:
                case levit::GraphNodeKind::Preprocessing:
                    QCOMPARE(shownView(), static_cast<QWidget*>(window->modelTab()));
                    QCOMPARE(window->modelTab()->page(), ModelTab::Page::Tour);
                    QCOMPARE(window->tourView()->step(), 0);
                    break;
                case levit::GraphNodeKind::PatchConvolution:
                case levit::GraphNodeKind::Mlp:
                case levit::GraphNodeKind::Pooling:
                    QVERIFY2(shownView() == window->featureMapView(), qPrintable(what));
                    QCOMPARE(window->featureMapView()->selectedStage(), node.kind == levit::GraphNodeKind::PatchConvolution ? 0 : node.feature_stage);
                    break;
                case levit::GraphNodeKind::Attention:
                case levit::GraphNodeKind::AttentionSubsample:
                    QVERIFY2(shownView() == window->attentionView(), qPrintable(what));
                    QCOMPARE(window->attentionView()->selectedBlock(), node.attention_block);
                    QCOMPARE(window->attentionView()->selectedHead(), 0);
                    break;
                case levit::GraphNodeKind::ClassificationHead:
                case levit::GraphNodeKind::DistillationHead:
                case levit::GraphNodeKind::Average:
                    QVERIFY2(shownView() == window->headsView(), qPrintable(what));
                    break;
            }
        }
        QCOMPARE(kinds.size(), 10);  // every kind of node was clicked
    }

    // The tour in the window walks the picture shown, with its numbers; F11 presents it at the same step.
    void theTourWalksThePictureShown() {
        window->showTour(0);
        QCOMPARE(window->tabs()->currentIndex(), 7);
        QCOMPARE(window->modelTab()->page(), ModelTab::Page::Tour);
        dropAndWait(kSinus);
        TourView* tour = window->tourView();
        QVERIFY(tour->shownResult());
        QCOMPARE(tour->shownResult()->source, kSinus);
        const TourNumbers& n = tour->numbers();
        QCOMPARE(n.crop.source, QSize(640, 427));
        QCOMPARE(n.crop.resized.height(), int(256.0 / 224.0 * 96));  // LevitImageProcessor's shortest edge for a 96 crop
        QCOMPARE(n.crop.crop, QSize(96, 96));
        QVERIFY(n.tokens_available);
        QCOMPARE(n.tokens.tokens(), 36);  // the 96-px model's 6×6 token grid
        QCOMPARE(int(n.pooled.size()), window->lastResult()->probe.hidden_states.back().channels);
        QVERIFY(n.attention.available);
        for (int s = 0; s < TourView::stepCount(); ++s) {
            QCOMPARE(tour->step(), s);
            QVERIFY2(!tour->stepText().isEmpty() && !tour->stepText().contains('{'), qPrintable(tour->stepText()));
            tour->next();
        }
        QCOMPARE(tour->step(), TourView::stepCount() - 1);
        tour->setStep(4);
        window->presentCurrent();
        QVERIFY(window->presentation()->isVisible());
        QVERIFY(window->presentation()->showingTour());
        QCOMPARE(window->presentation()->tour()->step(), 4);
        QCOMPARE(window->presentation()->tour()->shownResult()->source, kSinus);
        window->presentation()->tour()->next();
        QCOMPARE(tour->step(), 5);  // the tab's tour follows, for when presentation mode is left
        window->presentation()->close();
        // From any other tab, F11 presents the picture and its answer.
        window->tabs()->setCurrentIndex(0);
        window->presentCurrent();
        QVERIFY(!window->presentation()->showingTour());
        window->presentation()->close();
    }

    // Live, the hidden heads tab is not redrawn per frame; opened while the video is paused, it shows the
    // newest frame's heads.
    void theHeadsTabShowsTheNewestLiveFrameWhenOpened() {
        const QString video = tmp.filePath("paused.avi");
        {
            cv::VideoWriter writer(video.toStdString(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 30, cv::Size(160, 120));
            QVERIFY(writer.isOpened());
            for (int i = 0; i < 300; ++i) writer.write(cv::Mat(120, 160, CV_8UC3, cv::Scalar(i % 255, 80, 255 - i % 255)));
        }
        window->tabs()->setCurrentIndex(0);
        window->startVideoFile(video);
        QTRY_VERIFY_WITH_TIMEOUT(window->liveResults() > 0, 20000);
        window->capture()->setPaused(true);
        QTest::qWait(300);  // the frame in flight, if any, is shown
        window->tabs()->setCurrentIndex(2);
        const auto& cls = window->lastResult()->classification.cls_logits;
        QCOMPARE(window->headsView()->shownClsLogits(), QVector<float>(cls.begin(), cls.end()));
        window->stopLive();
    }

    void exportsPredictionsOfAllImages() {
        dropAndWait(kSinus);
        dropAndWait(kGradient);
        window->predictionsView()->setTopK(3);
        const QString csv = tmp.filePath("p.csv"), json = tmp.filePath("p.json");
        QSignalSpy exported(window.get(), &MainWindow::predictionsExported);
        window->exportPredictions(csv);
        QVERIFY(exported.wait(20000));
        QVERIFY2(exported.last().at(1).toBool(), qPrintable(window->message()));
        window->exportPredictions(json);
        QVERIFY(exported.wait(20000));
        QVERIFY(exported.last().at(1).toBool());
        window->exportPredictions("/nonexistent/dir/p.csv");
        QVERIFY(exported.wait(20000));
        QVERIFY(!exported.last().at(1).toBool());
        QVERIFY2(window->message().contains("/nonexistent/dir/p.csv"), qPrintable(window->message()));

        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(f.readAll()).trimmed().split('\n');
        QVERIFY(lines.first().startsWith("source,rank,index,label,probability,cls_top1_index,"));
        QCOMPARE(lines.size(), 1 + 2 * 3);
        // The sinus image's best class and its probability, from the golden logits.
        const auto logits = goldenRow("logits.npy", kSinusIndex);
        const auto best = levit::topK(logits.data(), int(logits.size()), 1, {}).front();
        const QStringList row = lines[1].split(',');
        QVERIFY2(row[0].contains("sinus_640x427.png"), qPrintable(lines[1]));
        QCOMPARE(row[1], QString("1"));
        QCOMPARE(row[2].toInt(), best.index);
        QVERIFY(std::abs(row[4].toDouble() - best.probability) < 1e-4);

        QFile j(json);
        QVERIFY(j.open(QIODevice::ReadOnly));
        const QJsonObject doc = QJsonDocument::fromJson(j.readAll()).object();
        const QJsonArray results = doc["results"].toArray();
        QCOMPARE(results.size(), 2);
        QCOMPARE(results[1].toObject()["input"].toString(), kGradient);
        QCOMPARE(results[1].toObject()["top_k"].toArray().size(), 3);
        QCOMPARE(results[1].toObject()["cls_logits"].toArray().size(), 10);
    }

    void screenshotsOfEveryViewAreNotBlank() {
        QDir().mkpath(LEVIT_BIN_DIR "/../screenshots");
        window->tabs()->setCurrentIndex(0);
        dropAndWait(kSinus);
        QSignalSpy shown(window.get(), &MainWindow::resultShown);
        const char* names[] = {"feature_maps", "attention", "heads", "live"};
        for (int t = 0; t < 4; ++t) {
            window->tabs()->setCurrentIndex(t);
            if (t == 1) QVERIFY(shown.wait(20000));  // the attention view asks for its probe: the image runs again
            QTest::qWait(200);
            const QImage shot = window->grab().toImage();
            const QString path = QString(LEVIT_BIN_DIR "/../screenshots/window_%1.png").arg(names[t]);
            QVERIFY(shot.save(path));
            QVERIFY2(distinctColours(shot) > 200, qPrintable(path));
            QVERIFY(window->exportCurrentView(tmp.filePath(QString("view_%1.png").arg(t))));
        }
    }

    void modelsInTheHuggingFaceCacheAreListedAndOpen() {
        const QString snapshot = tmp.filePath("hf/hub/models--levit-lens--tiny-golden/snapshots/0123456789abcdef");
        QVERIFY(QDir().mkpath(snapshot));
        QVERIFY(QDir().mkpath(tmp.filePath("hf/hub/models--someone--empty/snapshots/fedcba")));  // no weights: skipped
        for (const char* f : {"config.json", "model.safetensors", "preprocessor_config.json"})
            QVERIFY(QFile::copy(kTiny + "/" + f, snapshot + "/" + f));
        qputenv("HF_HOME", tmp.filePath("hf").toUtf8());
        const QList<CachedModel> models = huggingFaceCacheModels();
        QCOMPARE(models.size(), 1);
        QCOMPARE(models[0].name, QString("levit-lens/tiny-golden @ 01234567"));
        MainWindow other;
        QMenu* menu = nullptr;
        for (QMenu* m : other.findChildren<QMenu*>())
            if (m->title().contains("Hugging Face cache")) menu = m;
        QVERIFY(menu);
        QCOMPARE(menu->actions().size(), 1);
        QSignalSpy loaded(&other, &MainWindow::modelLoaded);
        menu->actions().first()->trigger();
        QVERIFY(loaded.wait(20000));
        QCOMPARE(other.model()->config().numLabels(), 10);
        qunsetenv("HF_HOME");
    }

    // Settings persist through the one settings module: top-k chosen in one window is the next one's.
    void settingsCarryOverToTheNextWindow() {
        QCOMPARE(window->predictionsView()->topK(), 5);
        for (QAction* a : window->findChildren<QAction*>())
            if (a->text() == "10" && a->isCheckable()) a->trigger();
        QCOMPARE(window->predictionsView()->topK(), 10);
        window->close();
        MainWindow next;
        QCOMPARE(next.predictionsView()->topK(), 10);
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
