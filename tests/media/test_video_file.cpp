// Video files as a frame source: frames arrive as RGB8, and files that would hang the demuxer (FIFOs,
// devices) or declare frames beyond the image limits are refused when opened, with a named error.
#include <QtTest/QtTest>

#include <QTemporaryDir>

#include <sys/stat.h>

#include <opencv2/videoio.hpp>

#include "levit/error.h"
#include "media/frame_source.h"

using namespace levit;

namespace {

QString openError(const std::string& path) {
    try {
        media::openVideoFile(path);
    } catch (const Error& e) {
        return QString::fromUtf8(e.what());
    }
    return "opened";
}

// A short Motion-JPEG AVI (OpenCV's own writer, no codec library needed) of width x height frames.
bool writeVideo(const std::string& path, int width, int height) {
    cv::VideoWriter writer(path, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 10, {width, height});
    if (!writer.isOpened()) return false;
    for (int i = 0; i < 3; ++i) writer.write(cv::Mat(height, width, CV_8UC3, cv::Scalar(200, 100, 40)));
    return true;
}

}  // namespace

class TestVideoFile : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;

private slots:
    void framesArriveAsRgb() {
        const std::string path = tmp.filePath("clip.avi").toStdString();
        QVERIFY(writeVideo(path, 64, 48));
        auto source = media::openVideoFile(path);
        const std::optional<ImageRGB8> frame = source->read();
        QVERIFY(frame.has_value());
        QCOMPARE(frame->width, 64);
        QCOMPARE(frame->height, 48);
        // BGR (200, 100, 40) is RGB (40, 100, 200), give or take the JPEG compression.
        QVERIFY(std::abs(frame->pixels[0] - 40) < 8 && std::abs(frame->pixels[2] - 200) < 8);
    }

    void framesBeyondTheLimitsAreRefusedAtOpen() {
        const std::string path = tmp.filePath("strip.avi").toStdString();
        QVERIFY(writeVideo(path, 1056, 32));  // 33:1
        QCOMPARE(openError(path), QString::fromStdString(path + ": image is 1056x32 pixels, a side ratio beyond the limit of 32:1"));
    }

    void filesThatWouldHangOrNeverEndAreRefused() {
        const std::string fifo = tmp.filePath("live.avi").toStdString();
        QCOMPARE(mkfifo(fifo.c_str(), 0600), 0);
        QCOMPARE(openError(fifo), QString::fromStdString(fifo + ": is not a regular file (a device, pipe or socket), not a video"));
        QCOMPARE(openError("/dev/zero"), QString("/dev/zero: is not a regular file (a device, pipe or socket), not a video"));
        QCOMPARE(openError(tmp.path().toStdString()), tmp.path() + ": is a folder, not a video");
        QCOMPARE(openError(tmp.filePath("none.avi").toStdString()), tmp.filePath("none.avi") + ": no such file");
    }
};

QTEST_GUILESS_MAIN(TestVideoFile)
#include "test_video_file.moc"
