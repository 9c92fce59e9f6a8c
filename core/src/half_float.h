#pragma once
// IEEE half and bfloat16 to float32, for weights stored in reduced precision (safetensors F16/BF16,
// PyTorch HalfStorage/BFloat16Storage).
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace levit {

inline float halfToFloat(uint16_t h) {
    const uint32_t sign = uint32_t(h & 0x8000) << 16;
    const uint32_t exponent = (h >> 10) & 0x1f;
    const uint32_t mantissa = h & 0x3ff;
    float value;
    if (exponent == 0) {
        value = std::ldexp(float(mantissa), -24);  // zero and subnormals
    } else if (exponent == 31) {
        value = mantissa ? std::numeric_limits<float>::quiet_NaN() : std::numeric_limits<float>::infinity();
    } else {
        value = std::ldexp(float(mantissa | 0x400), int(exponent) - 25);
    }
    return sign ? -value : value;
}

inline float bf16ToFloat(uint16_t b) {
    const uint32_t bits = uint32_t(b) << 16;
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

}  // namespace levit
