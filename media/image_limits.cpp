#include "image_limits.h"

#include <algorithm>

#include "levit/error.h"

namespace levit::media {

void checkImageLimits(int64_t width, int64_t height, const std::string& name) {
    const std::string size = std::to_string(width) + "x" + std::to_string(height) + " pixels";
    if (width <= 0 || height <= 0) throw Error(name + ": image is " + size + " (damaged file)");
    const int64_t long_side = std::max(width, height), short_side = std::min(width, height);
    if (long_side > kMaxImageSide)
        throw Error(name + ": image is " + size + "; the limit is " + std::to_string(kMaxImageSide) +
                    " on the longest side");
    // Sides are at most 2^15 here, so the product cannot overflow.
    if (width * height > kMaxImagePixels)
        throw Error(name + ": image is " + size + "; the limit is " + std::to_string(kMaxImagePixels) +
                    " pixels (" + std::to_string(kMaxImagePixels / 1'000'000) + " megapixels)");
    if (long_side > kMaxAspectRatio * short_side)
        throw Error(name + ": image is " + size + ", a side ratio beyond the limit of " +
                    std::to_string(kMaxAspectRatio) + ":1");
}

}  // namespace levit::media
