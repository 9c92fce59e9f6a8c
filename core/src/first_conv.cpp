#include "first_conv.h"

#include <immintrin.h>

#include <algorithm>
#include <cassert>
#include <utility>

#include "cpu_features.h"
#include "gemm.h"

namespace levit::detail {

namespace {

constexpr int kInChannels = 3, kKernel = 3, kStride = 2;
constexpr int kWindowRow = kKernel * kInChannels;  // floats of one window row in HWC
constexpr int kPixelStep = kStride * kInChannels;  // floats from one pixel's window to the next one's
constexpr int kBlockPixels = 6;                    // 2 x 6 accumulators + 2 weight vectors + 1 broadcast

#if defined(__x86_64__) || defined(__i386__)
#define LEVIT_FIRST_CONV_AVX2 __attribute__((target("avx2,fma")))

// V (1 or 2) 8-channel vectors x W (<= 6) pixels; `w` at the first vector's rows of a weight panel, `src`
// at the first pixel's window corner, `out` at its first channel.
template <int V, int W>
LEVIT_FIRST_CONV_AVX2 void block(const FirstConvArgs& p, const float* w, const float* bias, const float* src, float* out) {
    __m256 acc[V][W];
#pragma GCC unroll 2
    for (int v = 0; v < V; ++v)
#pragma GCC unroll 6
        for (int j = 0; j < W; ++j) acc[v][j] = _mm256_setzero_ps();
    for (int ky = 0; ky < kKernel; ++ky, src += p.y_stride) {
#pragma GCC unroll 9
        for (int r = 0; r < kWindowRow; ++r) {
            const float* wk = w + size_t(ky * kWindowRow + r) * kPanelRows;
            const __m256 a0 = _mm256_loadu_ps(wk);
            const __m256 a1 = V == 2 ? _mm256_loadu_ps(wk + 8) : a0;
#pragma GCC unroll 6
            for (int j = 0; j < W; ++j) {
                const __m256 b = _mm256_broadcast_ss(src + j * kPixelStep + r);
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

using BlockFn = void (*)(const FirstConvArgs&, const float*, const float*, const float*, float*);

template <int V, int... W>
constexpr BlockFn pick(int w, std::integer_sequence<int, W...>) {
    BlockFn fn = nullptr;
    ((fn = W + 1 == w ? &block<V, W + 1> : fn), ...);
    return fn;
}

void rowsAvx2(const FirstConvArgs& p, int row_begin, int row_end) {
    const int vectors = p.out_channels / 8;
    for (int oy = row_begin; oy < row_end; ++oy) {
        const float* row = p.origin + size_t(oy) * kStride * p.y_stride;
        float* out_row = p.out + size_t(oy) * p.out_size * p.out_channels;
        for (int ox = 0; ox < p.out_size; ox += kBlockPixels) {
            const int pixels = std::min(kBlockPixels, p.out_size - ox);
            const float* src = row + size_t(ox) * kPixelStep;
            float* out = out_row + size_t(ox) * p.out_channels;
            for (int v = 0; v < vectors;) {
                // Two vectors at a time within a weight panel (rows 0-15 or 16-31 of its 32).
                const int take = v + 1 < vectors && v % 4 != 3 ? 2 : 1;
                const float* w = p.weights + size_t(v / 4) * p.panel_stride + size_t(v % 4) * 8;
                const BlockFn fn = take == 2 ? pick<2>(pixels, std::make_integer_sequence<int, kBlockPixels>())
                                             : pick<1>(pixels, std::make_integer_sequence<int, kBlockPixels>());
                fn(p, w, p.bias + 8 * v, src, out + 8 * v);
                v += take;
            }
        }
    }
}
#endif

}  // namespace

bool firstConvDirectApplies(int in_channels, int kernel, int stride, int out_channels) {
#if defined(__x86_64__) || defined(__i386__)
    return useAvx2() && !useAvx512() && in_channels == kInChannels && kernel == kKernel && stride == kStride &&
           out_channels > 0 && out_channels % 8 == 0;
#else
    (void)in_channels, (void)kernel, (void)stride, (void)out_channels;
    return false;
#endif
}

void firstConvDirect(const FirstConvArgs& args, int row_begin, int row_end) {
    assert(args.out_channels % 8 == 0 && 0 <= row_begin && row_begin <= row_end && row_end <= args.out_size);
#if defined(__x86_64__) || defined(__i386__)
    rowsAvx2(args, row_begin, row_end);
#else
    (void)args, (void)row_begin, (void)row_end;
#endif
}

}  // namespace levit::detail
