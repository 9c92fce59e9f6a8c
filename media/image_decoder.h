#pragma once
// Decoding image files into RGB8 with OpenCV: EXIF orientation honoured, grayscale replicated and alpha
// dropped like PIL's convert("RGB"), 16-bit scaled to 8-bit. Errors name the file and the problem.
#include <cstdint>
#include <string>
#include <vector>

#include "levit/image.h"

namespace levit::media {

// Largest image accepted: decoding bigger ones would take gigabytes.
constexpr int kMaxImageSide = 16384;
constexpr int64_t kMaxImagePixels = 100'000'000;

ImageRGB8 decodeImageFile(const std::string& path);
ImageRGB8 decodeImageBytes(const std::vector<uint8_t>& bytes, const std::string& name_for_messages);
// File name extensions OpenCV can decode here, lower case without the dot.
std::vector<std::string> supportedImageExtensions();

}  // namespace levit::media
