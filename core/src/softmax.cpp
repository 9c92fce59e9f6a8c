#include "softmax.h"

#include <immintrin.h>

#include <algorithm>
#include <cassert>
#include <cmath>

#include "avx512_full_mask.h"
#include "cpu_features.h"

namespace levit::detail {

namespace {

#if defined(__x86_64__) || defined(__i386__)
#define LEVIT_HAVE_AVX512_SOFTMAX 1

// exp(x) for x <= 0 (arguments are shifted by the row maximum): 2^n * p(r) with r = x - n ln2,
// Cephes' degree-6 polynomial, within 2 ulp of expf; scalef keeps underflow graceful.
__attribute__((target("avx512f"))) inline __m512 expNonPositive(__m512 x) {
    x = avx512::max(x, _mm512_set1_ps(-87.0f));
    const __m512 n = avx512::roundscale<_MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC>(
        _mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)));
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
    return avx512::scalef(y, n);
}

__attribute__((target("avx512f"))) void softmaxRowsAvx512(float* data, int rows, int columns, size_t ld, float* inv_sum) {
    for (int r0 = 0; r0 < rows; r0 += 16) {
        const int n = std::min(16, rows - r0);
        const __mmask16 mask = n == 16 ? __mmask16(0xFFFF) : __mmask16((1u << n) - 1);
        float* base = data + r0;
        __m512 peak = _mm512_set1_ps(-INFINITY);
        for (int c = 0; c < columns; ++c) peak = avx512::max(peak, _mm512_maskz_loadu_ps(mask, base + c * ld));
        __m512 sum = _mm512_setzero_ps();
        for (int c = 0; c < columns; ++c) {
            const __m512 e = expNonPositive(_mm512_sub_ps(_mm512_maskz_loadu_ps(mask, base + c * ld), peak));
            _mm512_mask_storeu_ps(base + c * ld, mask, e);
            sum = _mm512_add_ps(sum, e);
        }
        _mm512_mask_storeu_ps(inv_sum + r0, mask, _mm512_div_ps(_mm512_set1_ps(1.0f), sum));
    }
}

// The same exponential in 8 lanes (AVX2 + FMA): 2^n is built in the exponent field, which for the
// clamped arguments (n >= -126) is a normal power of two, so y * 2^n rounds exactly like scalef and
// the results equal the AVX-512 kernel's bit for bit.
__attribute__((target("avx2,fma"))) inline __m256 expNonPositiveAvx2(__m256 x) {
    x = _mm256_max_ps(x, _mm256_set1_ps(-87.0f));
    const __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                                     _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
    __m256 p = _mm256_set1_ps(1.9875691500e-4f);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
    const __m256 r2 = _mm256_mul_ps(r, r);
    const __m256 y = _mm256_add_ps(_mm256_fmadd_ps(p, r2, r), _mm256_set1_ps(1.0f));
    const __m256i bits = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(y, _mm256_castsi256_ps(bits));
}

// A function, not a lambda in the kernel: GCC does not give a lambda its enclosing function's target, so
// a build without -march=native (the packages) could not inline the AVX intrinsics into it.
__attribute__((target("avx2,fma"))) inline __m256 loadRows(const float* at, bool full, __m256i mask) {
    return full ? _mm256_loadu_ps(at) : _mm256_maskload_ps(at, mask);
}

// V vectors of 8 rows (up to `rows`, masked at the tail) at once: with V = 2, two independent exponentials
// per column keep more of the floating-point units busy than one chain of dependent polynomial steps
// (15.3 to 13.2 us for a 196 x 196 head).
template <int V>
__attribute__((target("avx2,fma"), always_inline)) inline void softmaxBlockAvx2(float* base, int rows, int columns,
                                                                                size_t ld, float* inv_sum) {
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    __m256i mask[V];
    bool full[V];
    __m256 peak[V], sum[V];
    for (int v = 0; v < V; ++v) {
        mask[v] = _mm256_cmpgt_epi32(_mm256_set1_epi32(rows - 8 * v), lane);
        full[v] = rows - 8 * v >= 8;
        peak[v] = _mm256_set1_ps(-INFINITY);
        sum[v] = _mm256_setzero_ps();
    }
    for (int c = 0; c < columns; ++c)
        for (int v = 0; v < V; ++v) peak[v] = _mm256_max_ps(peak[v], loadRows(base + c * ld + 8 * v, full[v], mask[v]));
    for (int c = 0; c < columns; ++c)
        for (int v = 0; v < V; ++v) {
            float* at = base + c * ld + 8 * v;
            const __m256 e = expNonPositiveAvx2(_mm256_sub_ps(loadRows(at, full[v], mask[v]), peak[v]));
            if (full[v]) _mm256_storeu_ps(at, e);
            else _mm256_maskstore_ps(at, mask[v], e);
            sum[v] = _mm256_add_ps(sum[v], e);
        }
    for (int v = 0; v < V; ++v) {
        const __m256 inv = _mm256_div_ps(_mm256_set1_ps(1.0f), sum[v]);
        if (full[v]) _mm256_storeu_ps(inv_sum + 8 * v, inv);
        else _mm256_maskstore_ps(inv_sum + 8 * v, mask[v], inv);
    }
}

__attribute__((target("avx2,fma"))) void softmaxRowsAvx2(float* data, int rows, int columns, size_t ld, float* inv_sum) {
    int r0 = 0;
    for (; r0 + 16 <= rows; r0 += 16) softmaxBlockAvx2<2>(data + r0, 16, columns, ld, inv_sum + r0);
    for (; r0 < rows; r0 += 8) softmaxBlockAvx2<1>(data + r0, rows - r0, columns, ld, inv_sum + r0);
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
    // Debug builds check the caller's geometry (compiled out with NDEBUG): at least one column, or the
    // sum would be 0; rows that fit in a column; the outputs exist.
    assert(data != nullptr && inv_sum != nullptr);
    assert(rows >= 1 && columns >= 1);
    assert(ld >= size_t(rows));
#ifdef LEVIT_HAVE_AVX512_SOFTMAX
    const bool avx512 = useAvx512();
    if (avx512) return softmaxRowsAvx512(data, rows, columns, ld, inv_sum);
    if (useAvx2()) return softmaxRowsAvx2(data, rows, columns, ld, inv_sum);
#endif
    softmaxRowsPortable(data, rows, columns, ld, inv_sum);
}

}  // namespace levit::detail
