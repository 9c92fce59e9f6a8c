#pragma once
// Camera frames and other cv::Mat images to RGB8.
#include <opencv2/core.hpp>

#include "levit/image.h"

namespace levit::media {

// Accepts 8UC3 (BGR), 8UC1 (gray) and 8UC4 (BGRA); throws levit::Error for other types or empty frames.
ImageRGB8 fromBgrFrame(const cv::Mat& frame);

}  // namespace levit::media
