// Register-blocked GEMM: a 32 x 14 block of C lives in 28 accumulators while k runs; A comes from a
// packed panel (or an activation's row block), B from the tile packed by the caller's PackB. The epilogue
// (scale, bias, attention bias, hardswish, residual add) is applied once, on the way out of registers.
#include "gemm.h"

#include <immintrin.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <cstdint>
#include <cstring>
#include <utility>

#include "avx512_full_mask.h"
#include "cpu_features.h"

namespace levit::detail {

namespace {

inline float hardswishScalar(float x) { return x * std::min(std::max(x + 3.0f, 0.0f), 6.0f) / 6.0f; }

struct KernelArgs {
    const float* a;
    size_t k_stride;
    int k;
    const float* b;  // packed tile, kTileColumns floats per k
    int rows;        // valid rows in this panel (1..kPanelRows)
    float* c;
    size_t ldc;
    const float* row_scale;  // at this panel's first row, or null
    const float* bias;    // at this panel's first row, or null
    const float* addend;             // at this block's first row, or null
    const uint32_t* addend_columns;  // at this block's first column: addend(i, j) = addend[addend_columns[j] + i]
    float scale;
    bool hardswish, accumulate;
    const uint16_t* a16;  // bfloat16 kernels: the panel's k pairs
    const uint32_t* b16;  // bfloat16 kernels: the tile's k pairs, kTileColumns per pair
    // The next panel of packed weights in this kernel's format (float, or bfloat16 for the bf16 kernels),
    // to prefetch into L2 while this one runs, or null. Either format takes 128 bytes (two cache lines)
    // per step of the kernel's k loop (one k in float, a pair of k's in bfloat16).
    const char* next_panel;
};

// At batch 1 a layer's weights are used by few columns and, once the model outgrows the caches, come
// from memory. The hardware prefetchers alone leave the kernels waiting (at 16 columns, weights from
// DRAM, an AVX-512 layer ran at a third of its in-cache speed on Zen 5); fetching the next panel while
// this one computes hides that.

using Kernel = void (*)(const KernelArgs&);

// What an epilogue does, as bits: the engine's few combinations get column loops without a branch.
enum EpilogueBits : unsigned {
    kScaled = 1,
    kRowScale = 2,
    kBias = 4,
    kAddend = 8,
    kHardswish = 16,
    kAccumulate = 32,
    kMasked = 64,    // AVX2: a row tail, masked loads and stores
    kGeneral = 128,  // any other combination: the bits are tested column by column
};

inline unsigned epilogueBits(const KernelArgs& p) {
    return (p.scale != 1.0f ? kScaled : 0u) | (p.row_scale ? kRowScale : 0u) | (p.bias ? kBias : 0u) |
           (p.addend ? kAddend : 0u) | (p.hardswish ? kHardswish : 0u) | (p.accumulate ? kAccumulate : 0u);
}

// Calls store.template operator()<Bits>() with the combination as a compile-time constant for those the
// engine runs: dense layers (bias, with hardswish or added to the residual), the attention scores (scaled,
// plus the attention bias) and values (normalised by the softmax sums, then hardswish); kGeneral otherwise.
template <class Store>
inline __attribute__((always_inline)) void dispatchEpilogue(unsigned bits, Store&& store) {
    switch (bits) {
        case kBias: return store.template operator()<kBias>();
        case kBias | kHardswish: return store.template operator()<kBias | kHardswish>();
        case kBias | kAccumulate: return store.template operator()<kBias | kAccumulate>();
        case kScaled | kAddend: return store.template operator()<kScaled | kAddend>();
        case kRowScale | kHardswish: return store.template operator()<kRowScale | kHardswish>();
        default: return store.template operator()<kGeneral>();
    }
}

// Portable kernel: the compiler vectorises the row loop for whatever the build targets.
template <int MV, int NR>
void kernelPortable(const KernelArgs& p) {
    constexpr int M = 16 * MV;
    float acc[NR][M] = {};
    const float* a = p.a;
    const float* b = p.b;
    const int rows = std::min(p.rows, M);
    if (rows == M) {
        for (int kk = 0; kk < p.k; ++kk, a += p.k_stride, b += kTileColumns)
            for (int j = 0; j < NR; ++j)
                for (int i = 0; i < M; ++i) acc[j][i] += a[i] * b[j];
    } else {
        for (int kk = 0; kk < p.k; ++kk, a += p.k_stride, b += kTileColumns)
            for (int j = 0; j < NR; ++j)
                for (int i = 0; i < rows; ++i) acc[j][i] += a[i] * b[j];
    }
    for (int j = 0; j < NR; ++j) {
        float* c = p.c + j * p.ldc;
        for (int i = 0; i < rows; ++i) {
            float v = acc[j][i] * p.scale;
            if (p.row_scale) v *= p.row_scale[i];
            if (p.bias) v += p.bias[i];
            if (p.addend) v += p.addend[p.addend_columns[j] + i];
            if (p.hardswish) v = hardswishScalar(v);
            c[i] = p.accumulate ? c[i] + v : v;
        }
    }
}

#if defined(__x86_64__) || defined(__i386__)
#define LEVIT_HAVE_AVX512_KERNEL 1
#define LEVIT_AVX512 __attribute__((target("avx512f")))
#define LEVIT_AVX512_BF16 __attribute__((target("avx512f,avx512bf16")))

// The epilogue of an AVX-512 block: scale, bias, attention bias, hardswish, residual, masked store. Bits is
// the combination when it is known at compile time (dispatchEpilogue), kGeneral when runtime_bits is tested.
template <int MV, int NR, unsigned Bits>
LEVIT_AVX512 inline __attribute__((always_inline)) void storeBlockAs(const KernelArgs& p, unsigned runtime_bits,
                                                                      const __m512* acc0, const __m512* acc1,
                                                                      __mmask16 tail) {
    // hardswish(x) = x * relu6(x + 3) / 6 with a true division, bit for bit like the scalar path that the
    // probes take (a multiplication by 1/6 differs by an ulp, which a deep random-weight model amplifies).
    const unsigned bits = Bits == kGeneral ? runtime_bits : Bits;
    const __m512 scale = _mm512_set1_ps(p.scale), three = _mm512_set1_ps(3), six = _mm512_set1_ps(6),
                 zero = _mm512_setzero_ps();
    const float* addend = p.addend;
    const uint32_t* addend_columns = p.addend_columns;
    float* const c0 = p.c;
    const size_t ldc = p.ldc;
#pragma GCC unroll 2
    for (int v = 0; v < MV; ++v) {
        const __mmask16 mask = v == MV - 1 ? tail : __mmask16(0xFFFF);
        const __m512 bias = bits & kBias ? _mm512_maskz_loadu_ps(mask, p.bias + 16 * v) : zero;
        const __m512 row_scale = bits & kRowScale ? _mm512_maskz_loadu_ps(mask, p.row_scale + 16 * v) : zero;
#pragma GCC unroll 16
        for (int j = 0; j < NR; ++j) {
            __m512 x = v == 0 ? acc0[j] : acc1[j];
            if (bits & kScaled) x = _mm512_mul_ps(x, scale);
            if (bits & kRowScale) x = _mm512_mul_ps(x, row_scale);
            if (bits & kBias) x = _mm512_add_ps(x, bias);
            if (bits & kAddend) x = _mm512_add_ps(x, _mm512_maskz_loadu_ps(mask, addend + addend_columns[j] + 16 * v));
            if (bits & kHardswish)
                x = _mm512_div_ps(_mm512_mul_ps(x, avx512::min(avx512::max(_mm512_add_ps(x, three), zero), six)), six);
            float* c = c0 + j * ldc + 16 * v;
            if (bits & kAccumulate) x = _mm512_add_ps(x, _mm512_maskz_loadu_ps(mask, c));
            _mm512_mask_storeu_ps(c, mask, x);
        }
    }
}

template <int MV, int NR>
LEVIT_AVX512 inline __attribute__((always_inline)) void storeBlock(const KernelArgs& p, const __m512* acc0,
                                                                    const __m512* acc1, __mmask16 tail) {
    const unsigned bits = epilogueBits(p);
    dispatchEpilogue(bits, [&]<unsigned Bits>() LEVIT_AVX512 { storeBlockAs<MV, NR, Bits>(p, bits, acc0, acc1, tail); });
}

// The k loop of an AVX-512 block; with Prefetch, both cache lines of the next panel's k-th column too.
template <int MV, int NR, bool Prefetch>
LEVIT_AVX512 inline __attribute__((always_inline)) void accumulateAvx512(const KernelArgs& p, __m512 (&acc0)[NR],
                                                                          __m512 (&acc1)[NR], __mmask16 tail) {
    const float* a = p.a;
    const float* b = p.b;
    const char* next = p.next_panel;
    const size_t k_stride = p.k_stride;
    for (int kk = p.k; kk > 0; --kk, a += k_stride, b += kTileColumns) {
        if constexpr (Prefetch) {
            _mm_prefetch(next, _MM_HINT_T1);
            _mm_prefetch(next + 64, _MM_HINT_T1);
            next += 128;
        }
        const __m512 a0 = MV == 2 ? _mm512_loadu_ps(a) : _mm512_maskz_loadu_ps(tail, a);
        const __m512 a1 = MV == 2 ? _mm512_maskz_loadu_ps(tail, a + 16) : a0;
#pragma GCC unroll 16
        for (int j = 0; j < NR; ++j) {
            const __m512 bj = _mm512_set1_ps(b[j]);
            acc0[j] = _mm512_fmadd_ps(a0, bj, acc0[j]);
            if constexpr (MV == 2) acc1[j] = _mm512_fmadd_ps(a1, bj, acc1[j]);
        }
    }
}

template <int MV, int NR>
LEVIT_AVX512 void kernelAvx512(const KernelArgs& p) {
    // Every loop over the block is unrolled so that the accumulators stay in registers.
    __m512 acc0[NR], acc1[NR];
#pragma GCC unroll 16
    for (int j = 0; j < NR; ++j) acc0[j] = acc1[j] = _mm512_setzero_ps();
    const int tail_rows = p.rows - 16 * (MV - 1);
    const __mmask16 tail = tail_rows >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << tail_rows) - 1);
    if (p.next_panel) accumulateAvx512<MV, NR, true>(p, acc0, acc1, tail);
    else accumulateAvx512<MV, NR, false>(p, acc0, acc1, tail);
    storeBlock<MV, NR>(p, acc0, acc1, tail);
}

// bfloat16 products, float accumulation: one instruction multiplies 16 rows x 2 k's and adds both.
template <int MV, int NR, bool Prefetch>
LEVIT_AVX512_BF16 inline __attribute__((always_inline)) void accumulateBf16(const KernelArgs& p, __m512 (&acc0)[NR],
                                                                             __m512 (&acc1)[NR]) {
    const uint16_t* a = p.a16;
    const uint32_t* b = p.b16;
    const char* next = p.next_panel;
    for (int kp = (p.k + 1) / 2; kp > 0; --kp, a += 2 * kPanelRows, b += kTileColumns) {
        if constexpr (Prefetch) {
            _mm_prefetch(next, _MM_HINT_T1);
            _mm_prefetch(next + 64, _MM_HINT_T1);
            next += 128;
        }
        const __m512bh a0 = (__m512bh)_mm512_loadu_si512(a);  // panels are zero-padded to kPanelRows rows
        const __m512bh a1 = (__m512bh)_mm512_loadu_si512(a + 32);
#pragma GCC unroll 16
        for (int j = 0; j < NR; ++j) {
            const __m512bh bj = (__m512bh)_mm512_set1_epi32(int(b[j]));
            acc0[j] = _mm512_dpbf16_ps(acc0[j], a0, bj);
            if constexpr (MV == 2) acc1[j] = _mm512_dpbf16_ps(acc1[j], a1, bj);
        }
    }
}

template <int MV, int NR>
LEVIT_AVX512_BF16 void kernelBf16(const KernelArgs& p) {
    __m512 acc0[NR], acc1[NR];
#pragma GCC unroll 16
    for (int j = 0; j < NR; ++j) acc0[j] = acc1[j] = _mm512_setzero_ps();
    const int tail_rows = p.rows - 16 * (MV - 1);
    const __mmask16 tail = tail_rows >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << tail_rows) - 1);
    if (p.next_panel) accumulateBf16<MV, NR, true>(p, acc0, acc1);
    else accumulateBf16<MV, NR, false>(p, acc0, acc1);
    storeBlock<MV, NR>(p, acc0, acc1, tail);
}

// The float tile (k rows of kTileColumns) as bfloat16 pairs: pair kp, column j = (B(2kp, j), B(2kp+1, j)).
LEVIT_AVX512_BF16 void tileToBf16(const float* tile, int k, uint32_t* dst) {
    const __m512i low = _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    const __m512i high = _mm512_setr_epi32(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    const __mmask16 columns = __mmask16((1u << kTileColumns) - 1);
    for (int kp = 0; kp < (k + 1) / 2; ++kp) {
        const __m512 even = _mm512_maskz_loadu_ps(columns, tile + size_t(2 * kp) * kTileColumns);
        const __m512 odd = 2 * kp + 1 < k ? _mm512_maskz_loadu_ps(columns, tile + size_t(2 * kp + 1) * kTileColumns)
                                          : _mm512_setzero_ps();
        const __m512bh pairs = _mm512_cvtne2ps_pbh(_mm512_permutex2var_ps(even, high, odd),
                                                   _mm512_permutex2var_ps(even, low, odd));
        _mm512_mask_storeu_epi32(dst + size_t(kp) * kTileColumns, columns, (__m512i)pairs);
    }
}
#endif

#if defined(__x86_64__) || defined(__i386__)
// AVX2 + FMA (no AVX-512): 16 ymm registers. The 32 x 14 block runs as four 8-row vectors, each against
// every column of the tile at once: 14 accumulators + 1 for A + 1 broadcast = 16. An FMA has a latency
// of 4 cycles at two per cycle, so a block needs at least 8 independent accumulators to run at full rate;
// 14 keep it there, where the former 16-row x 6 + 6 + 2 split ran its last block at half rate and read
// A three times. The price is one broadcast load per FMA, which the three load ports of current cores
// (two on older ones) absorb. Rows come in steps of 8, so a 17- or 49-row attention product wastes at
// most 7 rows, not 15. The fused epilogue runs on the registers, masked at the row tail.
#define LEVIT_AVX2 __attribute__((target("avx2,fma")))

LEVIT_AVX2 inline __m256 loadRows(const float* at, __m256i mask, bool full) {
    return full ? _mm256_loadu_ps(at) : _mm256_maskload_ps(at, mask);
}

// Lanes 0 .. rows - 1 on (none when rows <= 0).
LEVIT_AVX2 inline __m256i rowMaskAvx2(int rows) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(rows), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

// One 8-row vector's epilogue, every setting copied out of KernelArgs once per block: read through `p`
// inside the column loop, each field was read again after every store (a float store may alias p.scale),
// and the tests of each column cost more than the products themselves in a 16-deep attention score block.
struct EpilogueAvx2 {
    unsigned bits;
    __m256i mask;  // the rows present
    __m256 scale, row_scale, bias;
    const float* addend;  // at this vector's first row, or null
    const uint32_t* addend_columns;
    float* c;  // at this vector's first row
    size_t ldc;
};

LEVIT_AVX2 inline __attribute__((always_inline)) EpilogueAvx2 epilogueAvx2(const KernelArgs& p, int row0, int rows) {
    EpilogueAvx2 e;
    e.mask = rowMaskAvx2(rows);
    const bool full = rows >= 8;
    e.bits = epilogueBits(p) | (full ? 0u : kMasked);
    e.scale = _mm256_set1_ps(p.scale);
    e.row_scale = p.row_scale ? loadRows(p.row_scale + row0, e.mask, full) : _mm256_setzero_ps();
    e.bias = p.bias ? loadRows(p.bias + row0, e.mask, full) : _mm256_setzero_ps();
    e.addend = p.addend ? p.addend + row0 : nullptr;
    e.addend_columns = p.addend_columns;
    e.c = p.c + row0;
    e.ldc = p.ldc;
    return e;
}

// The fused epilogue of an 8-row vector for each of the W columns, masked at the row tail; hardswish with
// a true division, bit for bit like the scalar path (see storeBlock). Bits is the combination when it is
// known at compile time, kGeneral when e.bits has to be tested.
template <int W, unsigned Bits>
LEVIT_AVX2 inline __attribute__((always_inline)) void storeColumnsAvx2(const EpilogueAvx2& e, const __m256 (&acc)[W]) {
    const unsigned bits = Bits == kGeneral ? e.bits : Bits;
    const bool full = !(bits & kMasked);
    auto load = [&](const float* at) LEVIT_AVX2 { return loadRows(at, e.mask, full); };
    const __m256 three = _mm256_set1_ps(3), six = _mm256_set1_ps(6), zero = _mm256_setzero_ps();
#pragma GCC unroll 16
    for (int j = 0; j < W; ++j) {
        __m256 x = acc[j];
        float* c = e.c + size_t(j) * e.ldc;
        if (bits & kScaled) x = _mm256_mul_ps(x, e.scale);
        if (bits & kRowScale) x = _mm256_mul_ps(x, e.row_scale);
        if (bits & kBias) x = _mm256_add_ps(x, e.bias);
        if (bits & kAddend) x = _mm256_add_ps(x, load(e.addend + e.addend_columns[j]));
        if (bits & kHardswish)
            x = _mm256_div_ps(_mm256_mul_ps(x, _mm256_min_ps(_mm256_max_ps(_mm256_add_ps(x, three), zero), six)), six);
        if (bits & kAccumulate) x = _mm256_add_ps(x, load(c));
        if (full) _mm256_storeu_ps(c, x);
        else _mm256_maskstore_ps(c, e.mask, x);
    }
}

template <int W>
LEVIT_AVX2 inline __attribute__((always_inline)) void storeAvx2(const EpilogueAvx2& e, const __m256 (&acc)[W]) {
    if (e.bits & kMasked) return storeColumnsAvx2<W, kGeneral>(e, acc);
    dispatchEpilogue(e.bits, [&]<unsigned Bits>() LEVIT_AVX2 { storeColumnsAvx2<W, Bits>(e, acc); });
}

// Rows row0 .. row0 + 7 (fewer at the panel's end) x the tile's first W columns.
template <int W>
LEVIT_AVX2 inline __attribute__((always_inline)) void blockAvx2(const KernelArgs& p, int row0) {
    const EpilogueAvx2 e = epilogueAvx2(p, row0, std::min(8, p.rows - row0));
    const bool full = !(e.bits & kMasked);
    const __m256i mask = e.mask;
    __m256 acc[W];
#pragma GCC unroll 16
    for (int j = 0; j < W; ++j) acc[j] = _mm256_setzero_ps();
    const float* a = p.a + row0;
    const float* b = p.b;
    const size_t k_stride = p.k_stride;
    if (full && p.next_panel) {
        // The next panel of A streams into L2 while this one computes (from L3 when a layer's weights do not
        // fit the core's L2). Each of the four 8-row blocks fetches a quarter of its lines, one every second
        // k (rows 0 / 8: the first line of the even / odd k's; rows 16 / 24: the second line), so that the
        // requests are spread over the whole panel rather than bunched into two of its blocks.
        const size_t next_stride = k_stride * sizeof(float);
        const char* next = p.next_panel + (row0 & 16) * sizeof(float) + ((row0 & 8) ? next_stride : 0);
        for (int kk = p.k; kk > 0; --kk, a += k_stride, b += kTileColumns) {
            if (kk & 1) {
                _mm_prefetch(next, _MM_HINT_T1);
                next += 2 * next_stride;
            }
            const __m256 av = _mm256_loadu_ps(a);
#pragma GCC unroll 16
            for (int j = 0; j < W; ++j) acc[j] = _mm256_fmadd_ps(av, _mm256_broadcast_ss(b + j), acc[j]);
        }
    } else if (full) {  // the common case: unmasked loads in the loop
        for (int kk = p.k; kk > 0; --kk, a += k_stride, b += kTileColumns) {
            const __m256 av = _mm256_loadu_ps(a);
#pragma GCC unroll 16
            for (int j = 0; j < W; ++j) acc[j] = _mm256_fmadd_ps(av, _mm256_broadcast_ss(b + j), acc[j]);
        }
    } else {
        for (int kk = p.k; kk > 0; --kk, a += k_stride, b += kTileColumns) {
            const __m256 av = _mm256_maskload_ps(a, mask);
#pragma GCC unroll 16
            for (int j = 0; j < W; ++j) acc[j] = _mm256_fmadd_ps(av, _mm256_broadcast_ss(b + j), acc[j]);
        }
    }
    storeAvx2<W>(e, acc);
}

// The whole panel (up to 32 rows, four 8-row vectors) x W <= 2 columns: the last tile of a width that is
// 1 or 2 past a multiple of 14 (16 tokens: 14 + 2). 4 x W accumulators, four A vectors, one broadcast;
// two columns keep eight FMAs in flight, and A is read once for them.
// One k of narrowBlockAvx2: the panel's four row vectors times each of the W columns' broadcast.
template <int W>
LEVIT_AVX2 inline __attribute__((always_inline)) void narrowStepAvx2(__m256 (&acc)[4][W], __m256 a0, __m256 a1, __m256 a2,
                                                                      __m256 a3, const float* b) {
#pragma GCC unroll 2
    for (int j = 0; j < W; ++j) {
        const __m256 bj = _mm256_broadcast_ss(b + j);
        acc[0][j] = _mm256_fmadd_ps(a0, bj, acc[0][j]);
        acc[1][j] = _mm256_fmadd_ps(a1, bj, acc[1][j]);
        acc[2][j] = _mm256_fmadd_ps(a2, bj, acc[2][j]);
        acc[3][j] = _mm256_fmadd_ps(a3, bj, acc[3][j]);
    }
}

template <int W>
LEVIT_AVX2 void narrowBlockAvx2(const KernelArgs& p) {
    static_assert(W >= 1 && W <= 2 && kPanelRows == 32);
    __m256 acc[4][W];
#pragma GCC unroll 8
    for (int v = 0; v < 4; ++v)
#pragma GCC unroll 2
        for (int j = 0; j < W; ++j) acc[v][j] = _mm256_setzero_ps();
    const float* a = p.a;
    const float* b = p.b;
    const size_t k_stride = p.k_stride;
    if (p.rows == kPanelRows) {
        for (int kk = p.k; kk > 0; --kk, a += k_stride, b += kTileColumns) {
            const __m256 a0 = _mm256_loadu_ps(a), a1 = _mm256_loadu_ps(a + 8), a2 = _mm256_loadu_ps(a + 16),
                         a3 = _mm256_loadu_ps(a + 24);
            narrowStepAvx2<W>(acc, a0, a1, a2, a3, b);
        }
    } else {  // a short panel: masked loads; vectors wholly past the rows read nothing
        const __m256i m0 = rowMaskAvx2(p.rows), m1 = rowMaskAvx2(p.rows - 8), m2 = rowMaskAvx2(p.rows - 16),
                      m3 = rowMaskAvx2(p.rows - 24);
        for (int kk = p.k; kk > 0; --kk, a += k_stride, b += kTileColumns) {
            const __m256 a0 = _mm256_maskload_ps(a, m0), a1 = _mm256_maskload_ps(a + 8, m1),
                         a2 = _mm256_maskload_ps(a + 16, m2), a3 = _mm256_maskload_ps(a + 24, m3);
            narrowStepAvx2<W>(acc, a0, a1, a2, a3, b);
        }
    }
#pragma GCC unroll 4
    for (int v = 0; v < 4; ++v) {
        const int row0 = 8 * v;
        if (row0 >= p.rows) break;
        storeAvx2<W>(epilogueAvx2(p, row0, std::min(8, p.rows - row0)), acc[v]);
    }
}

template <int MV, int NR>
LEVIT_AVX2 void kernelAvx2(const KernelArgs& p) {
    if constexpr (NR <= 2) {
        narrowBlockAvx2<NR>(p);
    } else {
        for (int row0 = 0; row0 < p.rows; row0 += 8) blockAvx2<NR>(p, row0);
    }
}

template <int MV, int NR>
struct PickAvx2 {
    static constexpr Kernel value = &kernelAvx2<MV, NR>;
};
#endif

// kernels[MV - 1][NR - 1]
template <template <int, int> class Pick, int MV, size_t... NR>
constexpr std::array<Kernel, sizeof...(NR)> row(std::index_sequence<NR...>) {
    return {Pick<MV, int(NR) + 1>::value...};
}

template <int MV, int NR>
struct PickPortable {
    static constexpr Kernel value = &kernelPortable<MV, NR>;
};
#ifdef LEVIT_HAVE_AVX512_KERNEL
template <int MV, int NR>
struct PickAvx512 {
    static constexpr Kernel value = &kernelAvx512<MV, NR>;
};
template <int MV, int NR>
struct PickBf16 {
    static constexpr Kernel value = &kernelBf16<MV, NR>;
};
#endif

using KernelTable = std::array<std::array<Kernel, kTileColumns>, 2>;

template <template <int, int> class Pick>
constexpr KernelTable table() {
    return {row<Pick, 1>(std::make_index_sequence<kTileColumns>()), row<Pick, 2>(std::make_index_sequence<kTileColumns>())};
}

bool cpuHasAvx512() { return useAvx512(); }

bool cpuHasAvx512Bf16() { return useAvx512Bf16(); }

#ifdef LEVIT_HAVE_AVX512_KERNEL
const KernelTable& bf16Kernels() {
    static const KernelTable table_bf16 = table<PickBf16>();
    return table_bf16;
}
#endif

const KernelTable& kernels() {
    static const KernelTable portable = table<PickPortable>();
#ifdef LEVIT_HAVE_AVX512_KERNEL
    static const KernelTable avx512 = table<PickAvx512>();
    static const KernelTable avx2 = table<PickAvx2>();
    if (cpuHasAvx512()) return avx512;
    if (useAvx2()) return avx2;
#endif
    return portable;
}

void packPointersPortable(const float* const* columns, int count, int rows, float* dst) {
    for (int j = 0; j < count; ++j)
        for (int k = 0; k < rows; ++k) dst[size_t(k) * kTileColumns + j] = columns[j][k];
}

#ifdef LEVIT_HAVE_AVX512_KERNEL
// 16 rows of the tile at a time: load one 16-float run per column, transpose 16 x 16 in registers
// (unpack, then two rounds of 128-bit lane shuffles), store kTileColumns floats per row.
LEVIT_AVX512 void packPointersAvx512(const float* const* columns, int count, int rows, float* dst) {
    static_assert(kTileColumns <= 16);
    for (int k0 = 0; k0 < rows; k0 += 16) {
        const int n = std::min(16, rows - k0);
        const __mmask16 mask = n == 16 ? __mmask16(0xFFFF) : __mmask16((1u << n) - 1);
        __m512 r[16], t[16];
#pragma GCC unroll 16
        for (int j = 0; j < 16; ++j) r[j] = j < count ? _mm512_maskz_loadu_ps(mask, columns[j] + k0) : _mm512_setzero_ps();
#pragma GCC unroll 8
        for (int j = 0; j < 16; j += 2) {
            t[j] = avx512::unpacklo(r[j], r[j + 1]);
            t[j + 1] = avx512::unpackhi(r[j], r[j + 1]);
        }
#pragma GCC unroll 4
        for (int g = 0; g < 16; g += 4) {
            r[g] = _mm512_castpd_ps(avx512::unpacklo(_mm512_castps_pd(t[g]), _mm512_castps_pd(t[g + 2])));
            r[g + 1] = _mm512_castpd_ps(avx512::unpackhi(_mm512_castps_pd(t[g]), _mm512_castps_pd(t[g + 2])));
            r[g + 2] = _mm512_castpd_ps(avx512::unpacklo(_mm512_castps_pd(t[g + 1]), _mm512_castps_pd(t[g + 3])));
            r[g + 3] = _mm512_castpd_ps(avx512::unpackhi(_mm512_castps_pd(t[g + 1]), _mm512_castps_pd(t[g + 3])));
        }
        // r[4g + e], lane L: rows 4g..4g+3 of element 4L + e.
#pragma GCC unroll 4
        for (int e = 0; e < 4; ++e) {
            t[e] = avx512::shuffleF32x4<0x88>(r[e], r[4 + e]);
            t[4 + e] = avx512::shuffleF32x4<0xdd>(r[e], r[4 + e]);
            t[8 + e] = avx512::shuffleF32x4<0x88>(r[8 + e], r[12 + e]);
            t[12 + e] = avx512::shuffleF32x4<0xdd>(r[8 + e], r[12 + e]);
        }
        const __mmask16 store = __mmask16((1u << kTileColumns) - 1);
#pragma GCC unroll 4
        for (int e = 0; e < 4; ++e) {
            const __m512 out[4] = {avx512::shuffleF32x4<0x88>(t[e], t[8 + e]), avx512::shuffleF32x4<0x88>(t[4 + e], t[12 + e]),
                                   avx512::shuffleF32x4<0xdd>(t[e], t[8 + e]), avx512::shuffleF32x4<0xdd>(t[4 + e], t[12 + e])};
#pragma GCC unroll 4
            for (int q = 0; q < 4; ++q) {
                const int element = 4 * q + e;  // out[q] holds element e, 4 + e, 8 + e, 12 + e of the columns
                if (element < n) _mm512_mask_storeu_ps(dst + size_t(k0 + element) * kTileColumns, store, out[q]);
            }
        }
    }
}
#endif

#if defined(__x86_64__) || defined(__i386__)
// 8 rows of the tile at a time, in two groups of up to 8 columns: load one 8-float run per column,
// transpose 8 x 8 in registers (unpack, shuffle, 128-bit lane permute), store each row's columns.
LEVIT_AVX2 void packPointersAvx2(const float* const* columns, int count, int rows, float* dst) {
    static_assert(kTileColumns > 8 && kTileColumns <= 16);
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i high_columns = _mm256_cmpgt_epi32(_mm256_set1_epi32(kTileColumns - 8), lane);
    for (int k0 = 0; k0 < rows; k0 += 8) {
        const int n = std::min(8, rows - k0);
        const __m256i row_mask = _mm256_cmpgt_epi32(_mm256_set1_epi32(n), lane);
        for (int g = 0; g < count; g += 8) {
            __m256 r[8];
#pragma GCC unroll 8
            for (int j = 0; j < 8; ++j)
                r[j] = g + j >= count ? _mm256_setzero_ps()
                       : n == 8       ? _mm256_loadu_ps(columns[g + j] + k0)
                                      : _mm256_maskload_ps(columns[g + j] + k0, row_mask);
            const __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
            const __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
            const __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
            const __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
            // s[e], 128-bit half h: element e (e in 0..3) of columns 4h' .. 4h'+3, h' = 0 (r0-3) / 1 (r4-7).
            const __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xEE);
            const __m256 s2 = _mm256_shuffle_ps(t1, t3, 0x44), s3 = _mm256_shuffle_ps(t1, t3, 0xEE);
            const __m256 s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xEE);
            const __m256 s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xEE);
            const __m256 out[8] = {_mm256_permute2f128_ps(s0, s4, 0x20), _mm256_permute2f128_ps(s1, s5, 0x20),
                                   _mm256_permute2f128_ps(s2, s6, 0x20), _mm256_permute2f128_ps(s3, s7, 0x20),
                                   _mm256_permute2f128_ps(s0, s4, 0x31), _mm256_permute2f128_ps(s1, s5, 0x31),
                                   _mm256_permute2f128_ps(s2, s6, 0x31), _mm256_permute2f128_ps(s3, s7, 0x31)};
            // out[e] = row k0 + e of columns g .. g + 7; the second group holds kTileColumns - 8 columns.
            for (int e = 0; e < n; ++e) {
                float* row = dst + size_t(k0 + e) * kTileColumns + g;
                if (g == 0) _mm256_storeu_ps(row, out[e]);
                else _mm256_maskstore_ps(row, high_columns, out[e]);
            }
        }
    }
}
#endif

#if defined(__x86_64__) || defined(__i386__)
// A tile from rows that hold its columns contiguously: at most 14 floats per k, copied with vectors rather
// than a memcpy call per k (which took 1.5% of a batch-8 pass on AVX2). 8 to 14 floats go as two 8-float
// runs that overlap, fewer under a mask.
LEVIT_AVX2 void packRowsAvx2(const float* rows, size_t row_stride, int k, int count, float* dst) {
    if (count >= 8) {
        const int second = count - 8;
        for (int kk = 0; kk < k; ++kk, rows += row_stride, dst += kTileColumns) {
            const __m256 head = _mm256_loadu_ps(rows), tail = _mm256_loadu_ps(rows + second);
            _mm256_storeu_ps(dst, head);
            _mm256_storeu_ps(dst + second, tail);
        }
    } else {
        const __m256i mask = rowMaskAvx2(count);
        for (int kk = 0; kk < k; ++kk, rows += row_stride, dst += kTileColumns)
            _mm256_maskstore_ps(dst, mask, _mm256_maskload_ps(rows, mask));
    }
}

LEVIT_AVX512 void packRowsAvx512(const float* rows, size_t row_stride, int k, int count, float* dst) {
    const __mmask16 mask = __mmask16((1u << count) - 1);
    for (int kk = 0; kk < k; ++kk, rows += row_stride, dst += kTileColumns)
        _mm512_mask_storeu_ps(dst, mask, _mm512_maskz_loadu_ps(mask, rows));
}
#endif

}  // namespace

bool cpuHasBf16() { return cpuHasAvx512Bf16(); }

std::vector<uint16_t> packBf16(const PackedMatrix& m) {
    const int panels = (m.rows + kPanelRows - 1) / kPanelRows;
    const size_t panel_size = OperandA::bf16PanelSize(m.cols);
    std::vector<uint16_t> out(size_t(panels) * panel_size, 0);
    auto toBf16 = [](float f) {  // round to nearest even (the values are finite)
        uint32_t bits;
        std::memcpy(&bits, &f, sizeof bits);
        return uint16_t((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16);
    };
    for (int p = 0; p < panels; ++p)
        for (int k = 0; k < m.cols; ++k)
            for (int i = 0; i < kPanelRows; ++i)
                out[size_t(p) * panel_size + size_t(k / 2) * kPanelRows * 2 + size_t(i) * 2 + k % 2] =
                    toBf16(m.data[(size_t(p) * m.cols + k) * kPanelRows + i]);
    return out;
}

void packPanels(const float* a, int rows, int cols, size_t row_stride, size_t col_stride, float* dst) {
    assert(rows >= 0 && cols >= 0);
    assert((a != nullptr && dst != nullptr) || rows == 0 || cols == 0);
    const int panels = (rows + kPanelRows - 1) / kPanelRows;
    for (int p = 0; p < panels; ++p, dst += size_t(cols) * kPanelRows) {
        const int valid = std::min(kPanelRows, rows - p * kPanelRows);
        const float* src = a + size_t(p) * kPanelRows * row_stride;
        if (valid < kPanelRows) std::fill(dst, dst + size_t(cols) * kPanelRows, 0.0f);
        // Walk the source in its own memory order (rows of a row-major matrix, columns otherwise).
        if (col_stride == 1) {
            for (int i = 0; i < valid; ++i)
                for (int k = 0; k < cols; ++k) dst[size_t(k) * kPanelRows + i] = src[i * row_stride + k];
        } else {
            for (int k = 0; k < cols; ++k)
                for (int i = 0; i < valid; ++i) dst[size_t(k) * kPanelRows + i] = src[i * row_stride + k * col_stride];
        }
    }
}

PackedMatrix packMatrix(const float* a, int rows, int cols, size_t row_stride, size_t col_stride) {
    PackedMatrix m;
    m.rows = rows;
    m.cols = cols;
    m.data.resize(packedSize(rows, cols));
    packPanels(a, rows, cols, row_stride, col_stride, m.data.data());
    return m;
}

void packColumnPointers(const float* const* columns, int count, int rows, float* dst) {
    assert(count >= 1 && count <= kTileColumns);
    assert(rows >= 0 && dst != nullptr);
#ifndef NDEBUG
    for (int j = 0; j < count; ++j) assert(columns[j] != nullptr);
#endif
#ifdef LEVIT_HAVE_AVX512_KERNEL
    if (cpuHasAvx512()) return packPointersAvx512(columns, count, rows, dst);
    if (useAvx2()) return packPointersAvx2(columns, count, rows, dst);
#endif
    packPointersPortable(columns, count, rows, dst);
}

void packRows(const float* rows, size_t row_stride, int k, int count, float* dst) {
    assert(count >= 1 && count <= kTileColumns);
    assert((rows != nullptr && dst != nullptr) || k == 0);
    assert(k <= 1 || row_stride >= size_t(count));  // rows do not overlap
#ifdef LEVIT_HAVE_AVX512_KERNEL
    if (cpuHasAvx512()) return packRowsAvx512(rows, row_stride, k, count, dst);
    if (useAvx2()) return packRowsAvx2(rows, row_stride, k, count, dst);
#endif
    for (int kk = 0; kk < k; ++kk, rows += row_stride, dst += kTileColumns)
        for (int j = 0; j < count; ++j) dst[j] = rows[j];
}

void packColumns(const float* b, size_t ldb, int rows, int first, int count, float* dst) {
    assert(b != nullptr && first >= 0);
    assert(ldb >= size_t(rows));  // columns do not overlap
    const float* columns[kTileColumns];
    for (int j = 0; j < count; ++j) columns[j] = b + size_t(first + j) * ldb;
    packColumnPointers(columns, count, rows, dst);
}

namespace {

// What the kernel of panel p prefetches: the next panel, when A is packed weights (not an activation read
// in place) and this is the first tile of its group (the others find it in cache).
const char* nextPanel(const OperandA& a, int p, int panels, int tile_in_group, bool bf16) {
    if (tile_in_group != 0 || p + 1 >= panels || a.k_stride != size_t(kPanelRows)) return nullptr;
    if (bf16) return reinterpret_cast<const char*>(a.bf16 + size_t(p + 1) * OperandA::bf16PanelSize(a.cols));
    return reinterpret_cast<const char*>(a.data + size_t(p + 1) * a.panel_stride);
}

}  // namespace

void gemm(const OperandA& a, PackB pack_b, int col_begin, int col_end, float* c, size_t ldc, const Epilogue& ep,
          float* scratch) {
    // Debug-build checks of what the kernels take for granted (compiled out with NDEBUG). No alignment is
    // assumed: every load and store is unaligned or masked.
    assert(a.rows >= 0 && a.cols >= 0);
    assert(0 <= col_begin && col_begin <= col_end);
    assert(c != nullptr && scratch != nullptr);
    assert(a.data != nullptr || a.rows == 0 || a.cols == 0);
    // Within a panel, column k of A holds the panel's rows contiguously, and panels do not overlap.
    assert(a.k_stride >= size_t(std::min(a.rows, kPanelRows)));
    assert(a.panels() <= 1 || a.panel_stride >= size_t(kPanelRows));
    assert(ldc >= size_t(a.rows));  // columns of C do not overlap
    assert(!ep.addend || ep.addend_columns);
    // The bfloat16 kernels read whole zero-padded panels: A must be packed (packBf16 of a PackedMatrix).
    assert(!a.bf16 || (a.k_stride == size_t(kPanelRows) && a.panel_stride == size_t(a.cols) * kPanelRows));
    const KernelTable* table = &kernels();
    const int k = a.cols;
    const size_t tile_floats = size_t(k) * kTileColumns, tile16_words = size_t((k + 1) / 2) * kTileColumns;
    // Tiles go in groups (see tileGroupSize) on every level: a panel of weights is fetched once per group,
    // not once per tile (the AVX2 kernels also read it four times per tile, in 8-row blocks).
    const bool avx2_level = table == &kernels() && useAvx2() && !cpuHasAvx512();
    const int group = tileGroupSize(k);
    uint32_t* tile16 = nullptr;
#ifdef LEVIT_HAVE_AVX512_KERNEL
    if (a.bf16 && cpuHasAvx512Bf16()) {
        table = &bf16Kernels();
        tile16 = reinterpret_cast<uint32_t*>(scratch + size_t(group) * tile_floats);
    }
#endif
    const int panels = (a.rows + kPanelRows - 1) / kPanelRows;
    // Where the tiles start. The AVX-512 and portable kernels take tiles of (nearly) equal width: 16 columns
    // run as 8 + 8, not 14 + 2. The AVX2 ones run 1 or 2 columns on the whole panel at full rate
    // (narrowBlockAvx2), so there 16 columns run as 14 + 2 and the 14 keep all accumulators busy; a rest
    // of 3 to 7 columns would keep too few busy, and is evened out as elsewhere.
    const int width = col_end - col_begin, tiles = columnTiles(width), rest = width % kTileColumns;
    const bool full_tiles_first = avx2_level && (rest <= 2 || rest >= 8);
    auto tileStart = [&](int t) {
        return col_begin + (full_tiles_first ? std::min(width, t * kTileColumns) : int(int64_t(t) * width / tiles));
    };
    for (int t0 = 0; t0 < tiles; t0 += group) {
        const int count = std::min(group, tiles - t0);
        for (int g = 0; g < count; ++g) {
            const int n0 = tileStart(t0 + g);
            pack_b(n0, tileStart(t0 + g + 1) - n0, scratch + size_t(g) * tile_floats);
#ifdef LEVIT_HAVE_AVX512_KERNEL
            if (tile16) tileToBf16(scratch + size_t(g) * tile_floats, k, tile16 + size_t(g) * tile16_words);
#endif
        }
        for (int p = 0; p < panels; ++p) {
            const int row0 = p * kPanelRows;
            const int rows = std::min(kPanelRows, a.rows - row0);
            for (int g = 0; g < count; ++g) {
                const int n0 = tileStart(t0 + g), nr = tileStart(t0 + g + 1) - n0;
                KernelArgs args{a.data + size_t(p) * a.panel_stride,
                                a.k_stride,
                                k,
                                scratch + size_t(g) * tile_floats,
                                rows,
                                c + size_t(n0) * ldc + row0,
                                ldc,
                                ep.row_scale ? ep.row_scale + row0 : nullptr,
                                ep.row_bias ? ep.row_bias + row0 : nullptr,
                                ep.addend ? ep.addend + row0 : nullptr,
                                ep.addend ? ep.addend_columns + n0 : nullptr,
                                ep.scale,
                                ep.hardswish,
                                ep.accumulate,
                                tile16 ? a.bf16 + size_t(p) * OperandA::bf16PanelSize(k) : nullptr,
                                tile16 ? tile16 + size_t(g) * tile16_words : nullptr,
                                nextPanel(a, p, panels, g, tile16 != nullptr)};
                (*table)[rows > 16 ? 1 : 0][nr - 1](args);
            }
        }
    }
}

}  // namespace levit::detail
