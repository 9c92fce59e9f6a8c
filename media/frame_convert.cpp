#include "frame_convert.h"

#include <opencv2/imgproc.hpp>

#include "levit/error.h"

namespace levit::media {

ImageRGB8 fromBgrFrame(const cv::Mat& frame) {
    if (frame.empty()) throw Error("empty frame");
    cv::Mat rgb;
    switch (frame.type()) {
        case CV_8UC3: cv::cvtColor(frame, rgb, cv::COLOR_BGR2RGB); break;
        case CV_8UC1: cv::cvtColor(frame, rgb, cv::COLOR_GRAY2RGB); break;
        case CV_8UC4: cv::cvtColor(frame, rgb, cv::COLOR_BGRA2RGB); break;
        default: throw Error("unsupported frame type " + std::to_string(frame.type()) + " (expected 8-bit gray, BGR or BGRA)");
    }
    ImageRGB8 image;
    image.width = rgb.cols;
    image.height = rgb.rows;
    image.pixels.resize(size_t(rgb.cols) * rgb.rows * 3);
    for (int y = 0; y < rgb.rows; ++y)
        std::copy_n(rgb.ptr<uint8_t>(y), size_t(rgb.cols) * 3, image.pixels.data() + size_t(y) * rgb.cols * 3);
    return image;
}

}  // namespace levit::media
