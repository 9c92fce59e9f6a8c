#pragma once
// Decoding image files into RGB8 with OpenCV: EXIF orientation honoured, grayscale replicated and alpha
// dropped like PIL's convert("RGB"), 16-bit scaled to 8-bit. Before any codec runs, the file must be a
// regular file within the size limit, its header must be one of the supported formats and claim an image
// within the limits of image_limits.h, and a JPEG must be whole (jpeg_integrity.h). Errors name the file
// and the problem in one line.
#include <cstdint>
#include <string>
#include <vector>

#include "levit/image.h"
#include "media/image_limits.h"

namespace levit::media {

ImageRGB8 decodeImageFile(const std::string& path);
ImageRGB8 decodeImageBytes(const std::vector<uint8_t>& bytes, const std::string& name_for_messages);
// For display: the file decoded at 1/2, 1/4 or 1/8 of its size, the most it can be reduced while its longer
// side keeps at least `min_long_side` pixels (same checks and orientation as decodeImageFile). JPEGs are
// reduced by libjpeg while decoding, so a 12 MP photo never exists in memory at full size; other formats
// are decoded whole and then reduced (area averaging).
ImageRGB8 decodeImageFileReduced(const std::string& path, int min_long_side);
// File name extensions OpenCV can decode here, lower case without the dot.
std::vector<std::string> supportedImageExtensions();

}  // namespace levit::media
