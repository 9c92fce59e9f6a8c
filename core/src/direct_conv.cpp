#include "direct_conv.h"

#include <immintrin.h>

#include <algorithm>
#include <cassert>
#include <utility>

#include "cpu_features.h"
#include "gemm.h"

namespace levit::detail {

namespace {

constexpr int kKernel = 3, kStride = 2;
constexpr int kBlockPixels = 6;  // 2 x 6 accumulators + 2 weight vectors + 1 broadcast = 15 registers

#if defined(__x86_64__) || defined(__i386__)
#define LEVIT_DIRECT_CONV_AVX2 __attribute__((target("avx2,fma")))

// V (1 or 2) 8-channel vectors x W (<= 6) pixels. `w` is at the first vector's rows of a weight panel,
// `src` at the first pixel's window corner, `out` at its first channel. kChannels > 0 fixes the input
// channels at compile time (the image's 3: every broadcast address is then a constant offset); 0 reads
// them from `p`, and pixels 1 to 5 are addressed from two pointers and the step in an index register.
template <int kChannels, int V, int W>
LEVIT_DIRECT_CONV_AVX2 void block(const DirectConvArgs& p, const float* w, const float* bias, const float* src, float* out) {
    const int channels = kChannels > 0 ? kChannels : p.in_channels;
    const int window_row = kKernel * channels;
    const size_t step = size_t(kStride) * channels;  // floats from one pixel's window to the next one's
    __m256 acc[V][W];
#pragma GCC unroll 2
    for (int v = 0; v < V; ++v)
#pragma GCC unroll 6
        for (int j = 0; j < W; ++j) acc[v][j] = _mm256_setzero_ps();
    const float* wk = w;
    for (int ky = 0; ky < kKernel; ++ky, src += p.in_row_stride) {
        const float* s0 = src;
        const float* s3 = src + 3 * step;
#pragma GCC unroll 9
        for (int r = 0; r < window_row; ++r, ++s0, ++s3, wk += kPanelRows) {
            const __m256 a0 = _mm256_loadu_ps(wk);
            const __m256 a1 = V == 2 ? _mm256_loadu_ps(wk + 8) : a0;
            const float* at[6] = {s0, s0 + step, s0 + 2 * step, s3, s3 + step, s3 + 2 * step};
#pragma GCC unroll 6
            for (int j = 0; j < W; ++j) {
                const __m256 b = _mm256_broadcast_ss(at[j]);
                acc[0][j] = _mm256_fmadd_ps(a0, b, acc[0][j]);
                if constexpr (V == 2) acc[1][j] = _mm256_fmadd_ps(a1, b, acc[1][j]);
            }
        }
    }
    // The GEMM's AVX2 epilogue (storeAvx2 in gemm.cpp) with a bias: the same operations in the same order.
    const __m256 three = _mm256_set1_ps(3), six = _mm256_set1_ps(6), zero = _mm256_setzero_ps();
#pragma GCC unroll 2
    for (int v = 0; v < V; ++v) {
        const __m256 b = _mm256_loadu_ps(bias + 8 * v);
#pragma GCC unroll 6
        for (int j = 0; j < W; ++j) {
            __m256 x = _mm256_add_ps(acc[v][j], b);
            if (p.hardswish)
                x = _mm256_div_ps(_mm256_mul_ps(x, _mm256_min_ps(_mm256_max_ps(_mm256_add_ps(x, three), zero), six)), six);
            _mm256_storeu_ps(out + size_t(j) * p.out_channels + 8 * v, x);
        }
    }
}

using BlockFn = void (*)(const DirectConvArgs&, const float*, const float*, const float*, float*);

// block<kChannels, V, w> for a run-time width w in 1 .. kBlockPixels.
template <int kChannels, int V, int... W>
BlockFn pick(int w, std::integer_sequence<int, W...>) {
    BlockFn fn = nullptr;
    ((fn = W + 1 == w ? &block<kChannels, V, W + 1> : fn), ...);
    return fn;
}

template <int kChannels>
void rowsAvx2(const DirectConvArgs& p, int row_begin, int row_end) {
    const int vectors = p.out_channels / 8;
    const size_t step = size_t(kStride) * p.in_channels;
    constexpr auto widths = std::make_integer_sequence<int, kBlockPixels>();
    for (int oy = row_begin; oy < row_end; ++oy) {
        const float* row = p.origin + size_t(oy) * kStride * p.in_row_stride;
        float* out_row = p.out + size_t(oy) * p.out_row_stride;
        for (int ox = 0; ox < p.out_size; ox += kBlockPixels) {
            const int pixels = std::min(kBlockPixels, p.out_size - ox);
            const BlockFn pair = pick<kChannels, 2>(pixels, widths), single = pick<kChannels, 1>(pixels, widths);
            const float* src = row + size_t(ox) * step;
            float* out = out_row + size_t(ox) * p.out_channels;
            // Two vectors at a time (rows 0-15 or 16-31 of a 32-row weight panel), one for an odd last.
            // (Running each 16-channel slice of the weights along the whole row instead measured the same.)
            for (int v = 0; v < vectors; v += 2) {
                const float* w = p.weights + size_t(v / 4) * p.panel_stride + size_t(v % 4) * 8;
                (v + 1 < vectors ? pair : single)(p, w, p.bias + 8 * v, src, out + 8 * v);
            }
        }
    }
}
#endif

}  // namespace

bool directConvApplies(int in_channels, int kernel, int stride, int out_channels) {
#if defined(__x86_64__) || defined(__i386__)
    return useAvx2() && !useAvx512() && in_channels > 0 && kernel == kKernel && stride == kStride && out_channels > 0 &&
           out_channels % 8 == 0;
#else
    (void)in_channels, (void)kernel, (void)stride, (void)out_channels;
    return false;
#endif
}

void directConv(const DirectConvArgs& args, int row_begin, int row_end) {
    assert(args.out_channels % 8 == 0 && args.in_channels > 0);
    assert(0 <= row_begin && row_begin <= row_end && row_end <= args.out_size);
#if defined(__x86_64__) || defined(__i386__)
    if (args.in_channels == 3) rowsAvx2<3>(args, row_begin, row_end);
    else rowsAvx2<0>(args, row_begin, row_end);
#else
    (void)args, (void)row_begin, (void)row_end;
#endif
}

}  // namespace levit::detail
