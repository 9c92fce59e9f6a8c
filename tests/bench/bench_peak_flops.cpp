// The machine's single-core fp32 peak: independent FMA chains (enough of them to hide the FMA latency)
// on 256- and 512-bit registers, so the engine's GFLOP/s can be compared with what one core can do.
// Reported as the counter "GFLOP/s" (multiply + add counted as 2, like `levit bench`).
#include <benchmark/benchmark.h>
#include <immintrin.h>

namespace {

constexpr int kChains = 12;    // > FMA latency x pipes, so the chains never wait on each other
constexpr int kInner = 1000;   // FMAs per chain per benchmark iteration

__attribute__((target("avx2,fma"))) float fmaAvx2(float seed) {
    __m256 acc[kChains];
    for (int i = 0; i < kChains; ++i) acc[i] = _mm256_set1_ps(seed + i);
    const __m256 a = _mm256_set1_ps(0.9999f), b = _mm256_set1_ps(1e-4f);
    for (int it = 0; it < kInner; ++it)
        for (int i = 0; i < kChains; ++i) acc[i] = _mm256_fmadd_ps(acc[i], a, b);
    __m256 sum = acc[0];
    for (int i = 1; i < kChains; ++i) sum = _mm256_add_ps(sum, acc[i]);
    return _mm256_cvtss_f32(sum);
}

__attribute__((target("avx512f"))) float fmaAvx512(float seed) {
    __m512 acc[kChains];
    for (int i = 0; i < kChains; ++i) acc[i] = _mm512_set1_ps(seed + i);
    const __m512 a = _mm512_set1_ps(0.9999f), b = _mm512_set1_ps(1e-4f);
    for (int it = 0; it < kInner; ++it)
        for (int i = 0; i < kChains; ++i) acc[i] = _mm512_fmadd_ps(acc[i], a, b);
    __m512 sum = acc[0];
    for (int i = 1; i < kChains; ++i) sum = _mm512_add_ps(sum, acc[i]);
    return _mm512_reduce_add_ps(sum);
}

template <float (*Kernel)(float), int Lanes>
void peak(benchmark::State& state, bool supported) {
    if (!supported) {
        state.SkipWithError("CPU lacks this instruction set");
        return;
    }
    float seed = 1;
    for (auto _ : state) benchmark::DoNotOptimize(seed = Kernel(seed) * 1e-9f + 1);
    const double flops = 2.0 * Lanes * kChains * kInner;
    state.counters["GFLOP/s"] = benchmark::Counter(flops * 1e-9 * state.iterations(), benchmark::Counter::kIsRate);
}

void BM_PeakFmaAvx2(benchmark::State& state) { peak<fmaAvx2, 8>(state, __builtin_cpu_supports("fma")); }
void BM_PeakFmaAvx512(benchmark::State& state) { peak<fmaAvx512, 16>(state, __builtin_cpu_supports("avx512f")); }

}  // namespace

BENCHMARK(BM_PeakFmaAvx2);
BENCHMARK(BM_PeakFmaAvx512);
BENCHMARK_MAIN();
