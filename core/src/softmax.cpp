#include "softmax.h"

#include <immintrin.h>

#include <algorithm>
#include <cmath>

#include "cpu_features.h"

namespace levit::detail {

namespace {

void softmaxPortable(float* col, int n) {
    const float peak = *std::max_element(col, col + n);
    float sum = 0;
    for (int k = 0; k < n; ++k) {
        col[k] = std::exp(col[k] - peak);
        sum += col[k];
    }
    const float inv = 1.0f / sum;
    for (int k = 0; k < n; ++k) col[k] *= inv;
}

#if defined(__x86_64__) || defined(__i386__)
#define LEVIT_HAVE_AVX512_SOFTMAX 1

// exp(x) for x <= 0 (arguments are shifted by the column maximum): 2^n * p(r) with r = x - n ln2,
// Cephes' degree-6 polynomial, within 2 ulp of expf; scalef keeps underflow graceful.
__attribute__((target("avx512f"))) inline __m512 expNonPositive(__m512 x) {
    x = _mm512_max_ps(x, _mm512_set1_ps(-87.0f));
    const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)),
                                          _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), x);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), r);
    __m512 p = _mm512_set1_ps(1.9875691500e-4f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
    const __m512 r2 = _mm512_mul_ps(r, r);
    const __m512 y = _mm512_add_ps(_mm512_fmadd_ps(p, r2, r), _mm512_set1_ps(1.0f));
    return _mm512_scalef_ps(y, n);
}

__attribute__((target("avx512f"))) void softmaxAvx512(float* col, int n) {
    const int full = n & ~15;
    const __mmask16 tail = __mmask16((1u << (n - full)) - 1);
    __m512 peak = _mm512_set1_ps(-INFINITY);
    for (int k = 0; k < full; k += 16) peak = _mm512_max_ps(peak, _mm512_loadu_ps(col + k));
    if (tail) peak = _mm512_mask_max_ps(peak, tail, peak, _mm512_maskz_loadu_ps(tail, col + full));
    const __m512 shift = _mm512_set1_ps(_mm512_reduce_max_ps(peak));
    __m512 sum = _mm512_setzero_ps();
    for (int k = 0; k < full; k += 16) {
        const __m512 e = expNonPositive(_mm512_sub_ps(_mm512_loadu_ps(col + k), shift));
        _mm512_storeu_ps(col + k, e);
        sum = _mm512_add_ps(sum, e);
    }
    if (tail) {
        const __m512 e = expNonPositive(_mm512_sub_ps(_mm512_maskz_loadu_ps(tail, col + full), shift));
        _mm512_mask_storeu_ps(col + full, tail, e);
        sum = _mm512_mask_add_ps(sum, tail, sum, e);
    }
    const __m512 inv = _mm512_set1_ps(1.0f / _mm512_reduce_add_ps(sum));
    for (int k = 0; k < full; k += 16) _mm512_storeu_ps(col + k, _mm512_mul_ps(_mm512_loadu_ps(col + k), inv));
    if (tail) _mm512_mask_storeu_ps(col + full, tail, _mm512_mul_ps(_mm512_maskz_loadu_ps(tail, col + full), inv));
}

__attribute__((target("avx512f"))) void softmaxRowsAvx512(float* data, int rows, int columns, size_t ld, float* inv_sum) {
    for (int r0 = 0; r0 < rows; r0 += 16) {
        const int n = std::min(16, rows - r0);
        const __mmask16 mask = n == 16 ? __mmask16(0xFFFF) : __mmask16((1u << n) - 1);
        float* base = data + r0;
        __m512 peak = _mm512_set1_ps(-INFINITY);
        for (int c = 0; c < columns; ++c) peak = _mm512_max_ps(peak, _mm512_maskz_loadu_ps(mask, base + c * ld));
        __m512 sum = _mm512_setzero_ps();
        for (int c = 0; c < columns; ++c) {
            const __m512 e = expNonPositive(_mm512_sub_ps(_mm512_maskz_loadu_ps(mask, base + c * ld), peak));
            _mm512_mask_storeu_ps(base + c * ld, mask, e);
            sum = _mm512_add_ps(sum, e);
        }
        _mm512_mask_storeu_ps(inv_sum + r0, mask, _mm512_div_ps(_mm512_set1_ps(1.0f), sum));
    }
}
#endif

void softmaxRowsPortable(float* data, int rows, int columns, size_t ld, float* inv_sum) {
    for (int r = 0; r < rows; ++r) {
        float peak = -INFINITY;
        for (int c = 0; c < columns; ++c) peak = std::max(peak, data[c * ld + r]);
        float sum = 0;
        for (int c = 0; c < columns; ++c) {
            float& x = data[c * ld + r];
            x = std::exp(x - peak);
            sum += x;
        }
        inv_sum[r] = 1.0f / sum;
    }
}

}  // namespace

void softmaxRowsUnnormalised(float* data, int rows, int columns, size_t ld, float* inv_sum) {
#ifdef LEVIT_HAVE_AVX512_SOFTMAX
    const bool avx512 = useAvx512();
    if (avx512) return softmaxRowsAvx512(data, rows, columns, ld, inv_sum);
#endif
    softmaxRowsPortable(data, rows, columns, ld, inv_sum);
}

void softmaxColumns(float* data, int rows, int columns, size_t ld) {
#ifdef LEVIT_HAVE_AVX512_SOFTMAX
    const bool avx512 = useAvx512();
    if (avx512) {
        for (int j = 0; j < columns; ++j) softmaxAvx512(data + j * ld, rows);
        return;
    }
#endif
    for (int j = 0; j < columns; ++j) softmaxPortable(data + j * ld, rows);
}

}  // namespace levit::detail
