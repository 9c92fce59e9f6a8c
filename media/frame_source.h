#pragma once
// Where live frames come from: a camera or a video file behind one interface, so tests (and users) can
// feed a file where a camera would be. OpenCV only; no Qt.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "levit/image.h"

namespace levit::media {

class FrameSource {
public:
    virtual ~FrameSource() = default;
    virtual std::string name() const = 0;
    // The next frame, or nothing at the end of a file or when the device stops delivering.
    virtual std::optional<levit::ImageRGB8> read() = 0;
    // Frames per second the source itself reports (0 when unknown); files are paced to it.
    virtual double nominalFps() const = 0;
};

// cv::VideoCapture on a camera index (/dev/videoN) or a video file. Throws levit::Error when it cannot open,
// when the file is not a regular file, or when its declared frame size is beyond image_limits.h.
std::unique_ptr<FrameSource> openCamera(int index);
std::unique_ptr<FrameSource> openVideoFile(const std::string& path);
// Camera indices whose device exists, probing /dev/video0..9 (cheap when none exist).
std::vector<int> availableCameras();

}  // namespace levit::media
