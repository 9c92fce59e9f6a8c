#pragma once
// AVX-512 operations written as the masked intrinsic with a full mask and a defined pass-through source.
// GCC 12's unmasked forms (_mm512_max_ps, _mm512_scalef_ps, _mm512_unpacklo_ps, ...) are defined as the
// masked builtin with a mask of all ones and _mm512_undefined_ps() as the source of masked-off lanes; that
// "undefined" vector is a self-initialised local, which -Wmaybe-uninitialized reports once the intrinsic is
// inlined into our kernels. With a constant full mask no lane is taken from the source, so GCC emits the
// very same unmasked instruction (checked by comparing the disassembly), and nothing uninitialised exists.
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

namespace levit::detail::avx512 {

constexpr __mmask16 kAll16 = 0xFFFF;
constexpr __mmask8 kAll8 = 0xFF;

__attribute__((target("avx512f"), always_inline)) inline __m512 max(__m512 a, __m512 b) {
    return _mm512_mask_max_ps(a, kAll16, a, b);
}
__attribute__((target("avx512f"), always_inline)) inline __m512 min(__m512 a, __m512 b) {
    return _mm512_mask_min_ps(a, kAll16, a, b);
}
// x * 2^floor(n), per lane.
__attribute__((target("avx512f"), always_inline)) inline __m512 scalef(__m512 x, __m512 n) {
    return _mm512_mask_scalef_ps(x, kAll16, x, n);
}
template <int kImm>
__attribute__((target("avx512f"), always_inline)) inline __m512 roundscale(__m512 x) {
    return _mm512_mask_roundscale_ps(x, kAll16, x, kImm);
}
__attribute__((target("avx512f"), always_inline)) inline __m512 unpacklo(__m512 a, __m512 b) {
    return _mm512_mask_unpacklo_ps(a, kAll16, a, b);
}
__attribute__((target("avx512f"), always_inline)) inline __m512 unpackhi(__m512 a, __m512 b) {
    return _mm512_mask_unpackhi_ps(a, kAll16, a, b);
}
__attribute__((target("avx512f"), always_inline)) inline __m512d unpacklo(__m512d a, __m512d b) {
    return _mm512_mask_unpacklo_pd(a, kAll8, a, b);
}
__attribute__((target("avx512f"), always_inline)) inline __m512d unpackhi(__m512d a, __m512d b) {
    return _mm512_mask_unpackhi_pd(a, kAll8, a, b);
}
template <int kImm>
__attribute__((target("avx512f"), always_inline)) inline __m512 shuffleF32x4(__m512 a, __m512 b) {
    return _mm512_mask_shuffle_f32x4(a, kAll16, a, b, kImm);
}

}  // namespace levit::detail::avx512
#endif
