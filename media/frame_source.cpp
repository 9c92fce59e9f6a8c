#include "media/frame_source.h"

#include <opencv2/videoio.hpp>

#include <filesystem>

#include "levit/error.h"
#include "media/frame_convert.h"

namespace levit::media {

namespace {

std::string devicePath(int index) { return "/dev/video" + std::to_string(index); }

class OpenCvCaptureSource : public FrameSource {
public:
    OpenCvCaptureSource(std::unique_ptr<cv::VideoCapture> capture, std::string name)
        : capture_(std::move(capture)), name_(std::move(name)) {}
    std::string name() const override { return name_; }
    std::optional<levit::ImageRGB8> read() override {
        cv::Mat frame;
        if (!capture_->read(frame) || frame.empty()) return std::nullopt;
        return fromBgrFrame(frame);
    }
    double nominalFps() const override { return capture_->get(cv::CAP_PROP_FPS); }

private:
    std::unique_ptr<cv::VideoCapture> capture_;
    std::string name_;
};

}  // namespace

std::unique_ptr<FrameSource> openCamera(int index) {
    const std::string device = devicePath(index);
    std::error_code ec;
    if (!std::filesystem::exists(device, ec))
        throw levit::Error("camera " + std::to_string(index) + ": " + device + " does not exist");
    auto capture = std::make_unique<cv::VideoCapture>(index, cv::CAP_V4L2);
    if (!capture->isOpened()) throw levit::Error("camera " + std::to_string(index) + ": cannot open " + device);
    return std::make_unique<OpenCvCaptureSource>(std::move(capture), "camera " + std::to_string(index));
}

std::unique_ptr<FrameSource> openVideoFile(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) throw levit::Error(path + ": no such file");
    auto capture = std::make_unique<cv::VideoCapture>(path);
    if (!capture->isOpened()) throw levit::Error(path + ": not a video OpenCV can open");
    return std::make_unique<OpenCvCaptureSource>(std::move(capture), path);
}

std::vector<int> availableCameras() {
    std::vector<int> found;
    std::error_code ec;
    for (int i = 0; i < 10; ++i)
        if (std::filesystem::exists(devicePath(i), ec)) found.push_back(i);
    return found;
}

}  // namespace levit::media
