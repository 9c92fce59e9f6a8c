// The real window, driven like a user: drop an image, switch stages, click a query, compare the heads,
// feed a video file, survive a corrupt image and a missing camera; screenshots of every view.
#include <QtTest/QtTest>

#include <QDropEvent>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMenu>
#include <QMimeData>
#include <QSettings>
#include <QTabWidget>
#include <QTemporaryDir>

#include <opencv2/videoio.hpp>

#include <cmath>

#include "hub/cached_models.h"
#include "levit/npy.h"
#include "test_support.h"
#include "widgets/attention_view.h"
#include "widgets/capture_worker.h"
#include "widgets/feature_map_view.h"
#include "widgets/heads_comparison_view.h"
#include "widgets/heatmap_widget.h"
#include "widgets/main_window.h"
#include "widgets/predictions_view.h"

using namespace levit::ui;
using namespace levit::hub;

namespace {

const QString kTiny = QString::fromStdString(levit_test::testDataDir() + "/golden/tiny_seed0");
constexpr int kSinusIndex = 4;  // sinus_640x427.png is image 4 of the golden batch

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

private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName("levit-lens-tests");
        QSettings().clear();
        window = std::make_unique<MainWindow>();
        window->resize(1500, 950);
        window->show();
        QSignalSpy loaded(window.get(), &MainWindow::modelLoaded);
        window->loadModel(kTiny);
        QVERIFY(loaded.wait(20000));
        QCOMPARE(window->model()->config().numLabels(), 10);
    }

    void droppingAnImageClassifiesIt() {
        window->tabs()->setCurrentIndex(0);
        QSignalSpy shown(window.get(), &MainWindow::resultShown);
        dropFile(kTiny + "/images/sinus_640x427.png");
        QVERIFY(shown.wait(20000));
        const auto logits = goldenRow("logits.npy", kSinusIndex);
        const int argmax = int(std::max_element(logits.begin(), logits.end()) - logits.begin());
        QCOMPARE(window->predictionsView()->shownLabels().first(), QString("LABEL_%1").arg(argmax));
        QCOMPARE(window->imageCount(), 1);
    }

    void switchingStageChangesTheGrid() {
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
        QSignalSpy shown(window.get(), &MainWindow::resultShown);
        window->tabs()->setCurrentIndex(1);  // the attention view asks for its probe: the image runs again
        QVERIFY(shown.wait(20000));
        AttentionView* view = window->attentionView();
        for (int block : {0, 1}) {  // block 1 is stage 0's attention-subsample (6x6 keys -> 3x3 queries)
            if (block != view->selectedBlock()) {
                view->selectBlock(block);
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

    void aCorruptImageGivesAMessageAndTheWindowStaysUsable() {
        const QString bad = tmp.filePath("broken.jpg");
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray("\xFF\xD8\xFF\xE0 this is not really a jpeg", 30));
        f.close();
        QSignalSpy added(window.get(), &MainWindow::imagesAdded);
        dropFile(bad);
        QVERIFY(added.wait(20000));
        QCOMPARE(added.last().at(1).toInt(), 1);
        QVERIFY2(window->message().contains(bad), qPrintable(window->message()));
        QCOMPARE(window->imageCount(), 1);
        QSignalSpy shown(window.get(), &MainWindow::resultShown);
        dropFile(kTiny + "/images/gradient_300x200.png");
        QVERIFY(shown.wait(20000));
        QCOMPARE(window->imageCount(), 2);
        QVERIFY(window->message().isEmpty());
    }

    void aMissingCameraIsANormalState() {
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
        window->tabs()->setCurrentIndex(3);
        QSignalSpy stopped(window.get(), &MainWindow::liveStopped);
        window->startVideoFile(video);
        QVERIFY(stopped.wait(20000));
        QCOMPARE(window->capture()->framesRead(), quint64(30));
        QTRY_VERIFY_WITH_TIMEOUT(window->liveResults() > 10, 5000);
        QVERIFY(window->lastResult()->source == "live");
    }

    void exportsPredictionsOfAllImages() {
        const QString csv = tmp.filePath("p.csv"), json = tmp.filePath("p.json");
        QSignalSpy exported(window.get(), &MainWindow::predictionsExported);
        window->exportPredictions(csv);
        QVERIFY(exported.wait(20000));
        QVERIFY(exported.last().at(1).toBool());
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
        QCOMPARE(lines.first(), QString("source,rank,index,label,probability"));
        QCOMPARE(lines.size(), 1 + 2 * window->predictionsView()->topK());
        QFile j(json);
        QVERIFY(j.open(QIODevice::ReadOnly));
        QCOMPARE(QJsonDocument::fromJson(j.readAll()).object()["results"].toArray().size(), 2);
    }

    void screenshotsOfEveryViewAreNotBlank() {
        QDir().mkpath(LEVIT_BIN_DIR "/../screenshots");
        window->stopLive();
        QSignalSpy shown(window.get(), &MainWindow::resultShown);
        window->selectImage(0);
        QVERIFY(shown.wait(20000));
        const char* names[] = {"feature_maps", "attention", "heads", "live"};
        for (int t = 0; t < 4; ++t) {
            window->tabs()->setCurrentIndex(t);
            if (t < 2) QVERIFY(shown.wait(20000));
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

    void cleanupTestCase() { window.reset(); }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
