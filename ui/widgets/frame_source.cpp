#include "frame_source.h"

#include <QFile>

#include <opencv2/videoio.hpp>

#include "imageio/frame_convert.h"
#include "levit/error.h"

namespace levit::ui {

namespace {

class OpenCvCaptureSource : public FrameSource {
public:
    OpenCvCaptureSource(std::unique_ptr<cv::VideoCapture> capture, QString name)
        : capture_(std::move(capture)), name_(std::move(name)) {}
    QString name() const override { return name_; }
    std::optional<levit::ImageRGB8> read() override {
        cv::Mat frame;
        if (!capture_->read(frame) || frame.empty()) return std::nullopt;
        return levit::imageio::fromBgrFrame(frame);
    }
    double nominalFps() const override { return capture_->get(cv::CAP_PROP_FPS); }

private:
    std::unique_ptr<cv::VideoCapture> capture_;
    QString name_;
};

}  // namespace

std::unique_ptr<FrameSource> openCamera(int index) {
    if (!QFile::exists(QString("/dev/video%1").arg(index)))
        throw levit::Error(QString("camera %1: /dev/video%1 does not exist").arg(index).toStdString());
    auto capture = std::make_unique<cv::VideoCapture>(index, cv::CAP_V4L2);
    if (!capture->isOpened()) throw levit::Error(QString("camera %1: cannot open /dev/video%1").arg(index).toStdString());
    return std::make_unique<OpenCvCaptureSource>(std::move(capture), QObject::tr("camera %1").arg(index));
}

std::unique_ptr<FrameSource> openVideoFile(const QString& path) {
    if (!QFile::exists(path)) throw levit::Error((path + ": no such file").toStdString());
    auto capture = std::make_unique<cv::VideoCapture>(path.toStdString());
    if (!capture->isOpened())
        throw levit::Error((path + ": not a video OpenCV can open").toStdString());
    return std::make_unique<OpenCvCaptureSource>(std::move(capture), path);
}

QList<int> availableCameras() {
    QList<int> found;
    for (int i = 0; i < 10; ++i)
        if (QFile::exists(QString("/dev/video%1").arg(i))) found << i;
    return found;
}

}  // namespace levit::ui
