#include "frame_convert.h"

#include <opencv2/imgproc.hpp>

#include "levit/error.h"

namespace levit::media {

ImageRGB8 fromBgrFrame(const cv::Mat& frame) {
    if (frame.empty()) throw Error("empty frame");
    int code = 0;
    switch (frame.type()) {
        case CV_8UC3: code = cv::COLOR_BGR2RGB; break;
        case CV_8UC1: code = cv::COLOR_GRAY2RGB; break;
        case CV_8UC4: code = cv::COLOR_BGRA2RGB; break;
        default: throw Error("unsupported frame type " + std::to_string(frame.type()) + " (expected 8-bit gray, BGR or BGRA)");
    }
    ImageRGB8 image;
    image.width = frame.cols;
    image.height = frame.rows;
    image.pixels.resize(size_t(frame.cols) * frame.rows * 3);
    // Converted straight into the image's buffer: no second full-size copy (large photos are 100s of MB).
    cv::Mat rgb(frame.rows, frame.cols, CV_8UC3, image.pixels.data());
    cv::cvtColor(frame, rgb, code);
    return image;
}

}  // namespace levit::media
