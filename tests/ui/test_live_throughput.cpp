// The live view on levit-128S and a 640x480 video at 30 fps, with the probes of the visible view (feature
// maps) on. Asserts what must hold on any machine, however loaded: every frame is read, frames are
// classified, and the answer shown is the model's answer for the frame shown with it. Prints the speed
// (classified frames per second); asserts >= 25 of them only when LEVIT_ASSERT_LIVE_FPS=1 (a quiet machine:
// ctest runs tests in parallel, which halves the CPU).
#include <QtTest/QtTest>

#include <QElapsedTimer>
#include <QTabWidget>
#include <QTemporaryDir>

#include <opencv2/videoio.hpp>

#include <cmath>

#include "levit/checkpoint.h"
#include "levit/classifier.h"
#include "test_support.h"
#include "widgets/capture_worker.h"
#include "widgets/image_convert.h"
#include "widgets/main_window.h"

using namespace levit::ui;

class TestLiveThroughput : public QObject {
    Q_OBJECT

private slots:
    void levit128SKeepsUpWithA640x480Video() {
        const std::string model = levit_test::goldenDir("levit-128S_seed0");
        LEVIT_REQUIRE_SHARED_PATH(model);
        QCoreApplication::setOrganizationName("levit-lens-tests");
        QTemporaryDir tmp;
        const QString video = tmp.filePath("clip.avi");
        constexpr int kFrames = 150;  // 5 s at 30 fps
        {
            cv::VideoWriter writer(video.toStdString(), cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 30, cv::Size(640, 480));
            QVERIFY(writer.isOpened());
            for (int i = 0; i < kFrames; ++i) {
                cv::Mat frame(480, 640, CV_8UC3, cv::Scalar((i * 5) % 255, 90, 200 - i % 150));
                frame(cv::Rect((i * 4) % 560, 160, 80, 160)).setTo(cv::Scalar(255, 255, 255));
                writer.write(frame);
            }
        }
        MainWindow window;
        window.resize(1500, 950);
        window.show();
        QSignalSpy loaded(&window, &MainWindow::modelLoaded);
        window.loadModel(QString::fromStdString(model));
        QVERIFY(loaded.wait(120000));
        window.tabs()->setCurrentIndex(0);  // feature maps visible: every frame carries the stage activations
        QSignalSpy stopped(&window, &MainWindow::liveStopped);
        QElapsedTimer clock;
        clock.start();
        window.startVideoFile(video);
        QVERIFY(stopped.wait(600000));
        const double seconds = clock.elapsed() / 1000.0;
        // The frame that was waiting when the video ended is still classified and shown.
        QTest::qWait(100);
        QTRY_VERIFY_WITH_TIMEOUT(window.lastResult(), 60000);
        const double classified_fps = window.liveResults() / seconds;
        const double source_fps = window.capture()->framesRead() / seconds;
        qInfo("levit-128S live view: %llu of %llu frames classified in %.2f s: %.1f classified frames/s (source %.1f frames/s)",
              static_cast<unsigned long long>(window.liveResults()), static_cast<unsigned long long>(window.capture()->framesRead()),
              seconds, classified_fps, source_fps);
        QCOMPARE(window.capture()->framesRead(), quint64(kFrames));
        QVERIFY(window.liveResults() > 0);

        // The answer shown is the one for the frame it came with: the same frame classified directly.
        const InferenceResultPtr shown = window.lastResult();
        // (After the video ended, the window classifies its last frame once more as the picture it shows.)
        QVERIFY2(shown->source == "live" || shown->source == "last frame of clip.avi", qPrintable(shown->source));
        QCOMPARE(shown->original.size(), QSize(640, 480));
        QVERIFY(!shown->probe.hidden_states.empty());
        levit::Classifier classifier(window.model(), 1);
        const levit::Classification expected = classifier.classify(fromQImage(shown->original));
        QCOMPARE(shown->classification.logits.size(), expected.logits.size());
        for (size_t i = 0; i < expected.logits.size(); ++i)
            QVERIFY2(std::abs(shown->classification.logits[i] - expected.logits[i]) <= 1e-4, qPrintable(QString::number(i)));

        if (qEnvironmentVariable("LEVIT_ASSERT_LIVE_FPS") == "1") QVERIFY(classified_fps >= 25.0);
    }
};

QTEST_MAIN(TestLiveThroughput)
#include "test_live_throughput.moc"
