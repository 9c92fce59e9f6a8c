#include "media/frame_source.h"

#include <opencv2/videoio.hpp>

#include <filesystem>

#include "levit/error.h"
#include "media/frame_convert.h"
#include "media/image_limits.h"

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
        // A frame beyond the image limits or of a type we cannot show ends the stream: read() runs on
        // a capture thread, where an exception would end the program.
        try {
            checkImageLimits(frame.cols, frame.rows, name_);
            return fromBgrFrame(frame);
        } catch (const levit::Error&) {
            return std::nullopt;
        }
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
    const auto status = std::filesystem::status(path, ec);
    if (!std::filesystem::exists(status)) throw levit::Error(path + ": no such file");
    if (std::filesystem::is_directory(status)) throw levit::Error(path + ": is a folder, not a video");
    // A FIFO would make the demuxer wait for a writer forever, a device never end.
    if (!std::filesystem::is_regular_file(status))
        throw levit::Error(path + ": is not a regular file (a device, pipe or socket), not a video");
    auto capture = std::make_unique<cv::VideoCapture>(path);
    if (!capture->isOpened()) throw levit::Error(path + ": not a video OpenCV can open");
    // The frame size the container declares, checked before the first frame is decoded.
    const auto width = static_cast<int64_t>(capture->get(cv::CAP_PROP_FRAME_WIDTH));
    const auto height = static_cast<int64_t>(capture->get(cv::CAP_PROP_FRAME_HEIGHT));
    if (width > 0 && height > 0) checkImageLimits(width, height, path);
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
