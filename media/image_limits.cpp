#include "image_limits.h"

#include <algorithm>

#include "levit/error.h"

namespace levit::media {

int64_t pixelLimitFor(const std::string& format) {
    const bool wide = format == "Radiance HDR" || format == "OpenEXR" || format == "PFM" || format == "JPEG 2000";
    return wide ? kMaxWideSampleImagePixels : kMaxImagePixels;
}

void checkImageLimits(int64_t width, int64_t height, const std::string& name, int64_t max_pixels) {
    const std::string size = std::to_string(width) + "x" + std::to_string(height) + " pixels";
    if (width <= 0 || height <= 0) throw Error(name + ": image is " + size + " (damaged file)");
    const int64_t long_side = std::max(width, height), short_side = std::min(width, height);
    if (long_side > kMaxImageSide)
        throw Error(name + ": image is " + size + "; the limit is " + std::to_string(kMaxImageSide) +
                    " on the longest side");
    // Sides are at most 2^15 here, so the product cannot overflow.
    if (width * height > max_pixels)
        throw Error(name + ": image is " + size + "; the limit is " + std::to_string(max_pixels) + " pixels (" +
                    std::to_string(max_pixels / 1'000'000) + " megapixels" +
                    (max_pixels < kMaxImagePixels ? " for this format" : "") + ")");
    if (long_side > kMaxAspectRatio * short_side)
        throw Error(name + ": image is " + size + ", a side ratio beyond the limit of " +
                    std::to_string(kMaxAspectRatio) + ":1");
}

}  // namespace levit::media
