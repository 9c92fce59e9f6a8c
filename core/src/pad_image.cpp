#include "pad_image.h"

#include <immintrin.h>

#include <algorithm>
#include <cassert>
#include <cstddef>

#include "cpu_features.h"

namespace levit::detail {

namespace {

#if defined(__x86_64__) || defined(__i386__)
// Three colour planes interleaved 8 pixels at a time: each output vector takes its lanes from one
// permutation of each plane (9 permutes, 6 blends per 24 floats) instead of 24 scalar stores.
__attribute__((target("avx2"))) void interleaveRgbRowAvx2(const float* r, const float* g, const float* b, int n, float* out) {
    const __m256i r0 = _mm256_setr_epi32(0, 0, 0, 1, 0, 0, 2, 0), g0 = _mm256_setr_epi32(0, 0, 0, 0, 1, 0, 0, 2),
                  b0 = _mm256_setr_epi32(0, 0, 0, 0, 0, 1, 0, 0);
    const __m256i r1 = _mm256_setr_epi32(0, 3, 0, 0, 4, 0, 0, 5), g1 = _mm256_setr_epi32(0, 0, 3, 0, 0, 4, 0, 0),
                  b1 = _mm256_setr_epi32(2, 0, 0, 3, 0, 0, 4, 0);
    const __m256i r2 = _mm256_setr_epi32(0, 0, 6, 0, 0, 7, 0, 0), g2 = _mm256_setr_epi32(5, 0, 0, 6, 0, 0, 7, 0),
                  b2 = _mm256_setr_epi32(0, 5, 0, 0, 6, 0, 0, 7);
    int x = 0;
    for (; x + 8 <= n; x += 8, out += 24) {
        const __m256 rv = _mm256_loadu_ps(r + x), gv = _mm256_loadu_ps(g + x), bv = _mm256_loadu_ps(b + x);
        // Lanes 0, 3, 6 / 1, 4, 7 / 2, 5 of each vector: r g b | b r g | g b r.
        const __m256 o0 = _mm256_blend_ps(_mm256_blend_ps(_mm256_permutevar8x32_ps(rv, r0), _mm256_permutevar8x32_ps(gv, g0), 0x92),
                                          _mm256_permutevar8x32_ps(bv, b0), 0x24);
        const __m256 o1 = _mm256_blend_ps(_mm256_blend_ps(_mm256_permutevar8x32_ps(bv, b1), _mm256_permutevar8x32_ps(rv, r1), 0x92),
                                          _mm256_permutevar8x32_ps(gv, g1), 0x24);
        const __m256 o2 = _mm256_blend_ps(_mm256_blend_ps(_mm256_permutevar8x32_ps(gv, g2), _mm256_permutevar8x32_ps(bv, b2), 0x92),
                                          _mm256_permutevar8x32_ps(rv, r2), 0x24);
        _mm256_storeu_ps(out, o0);
        _mm256_storeu_ps(out + 8, o1);
        _mm256_storeu_ps(out + 16, o2);
    }
    for (; x < n; ++x, out += 3) out[0] = r[x], out[1] = g[x], out[2] = b[x];
}
#endif

}  // namespace

void zeroFrame(float* out, int side, int border, int channels) {
    const size_t row = size_t(side) * channels, edge = size_t(border) * channels;
    std::fill_n(out, border * row, 0.0f);
    std::fill_n(out + size_t(side - border) * row, border * row, 0.0f);
    for (int y = border; y < side - border; ++y) {
        std::fill_n(out + y * row, edge, 0.0f);
        std::fill_n(out + y * row + row - edge, edge, 0.0f);
    }
}

void padImage(const float* chw, int channels, int size, int border, float* out) {
    assert(channels > 0 && size >= 0 && border >= 0);
    const int side = size + 2 * border;
    zeroFrame(out, side, border, channels);
    const size_t plane = size_t(size) * size;
    for (int y = 0; y < size; ++y) {
        float* dst = out + (size_t(y + border) * side + border) * channels;
        const float* src = chw + size_t(y) * size;
#if defined(__x86_64__) || defined(__i386__)
        if (channels == 3 && useAvx2()) {
            interleaveRgbRowAvx2(src, src + plane, src + 2 * plane, size, dst);
            continue;
        }
#endif
        for (int x = 0; x < size; ++x)
            for (int c = 0; c < channels; ++c) dst[size_t(x) * channels + c] = src[c * plane + x];
    }
}

}  // namespace levit::detail
