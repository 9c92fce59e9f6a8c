#pragma once
// An 8-bit RGB image in row-major HWC order: what decoders hand to the engine.
#include <cstdint>
#include <vector>

namespace levit {

struct ImageRGB8 {
    int width = 0;
    int height = 0;
    std::vector<uint8_t> pixels;  // height * width * 3, R G B

    const uint8_t* row(int y) const { return pixels.data() + static_cast<size_t>(y) * width * 3; }
};

}  // namespace levit
