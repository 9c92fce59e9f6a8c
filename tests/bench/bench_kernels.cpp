// The engine's hot kernels at the shapes levit-128S runs them (batch 1 and 8, 224 px): the packed GEMM
// of the linear layers (float32 and bfloat16), the B-tile packing, attention's softmax, and the whole
// forward pass. GFLOP/s counts multiply + add as 2, like `levit bench`.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "gemm.h"
#include "levit/config.h"
#include "levit/model.h"
#include "softmax.h"

namespace {

std::vector<float> randomVector(size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(-1, 1);
    std::vector<float> v(n);
    for (float& x : v) x = dist(rng);
    return v;
}

// y = W x + b with W (m x k) packed and x, y token-major over n tokens; args: m, k, n.
void BM_DenseGemm(benchmark::State& state) {
    const int m = int(state.range(0)), k = int(state.range(1)), n = int(state.range(2));
    const std::vector<float> w = randomVector(size_t(m) * k, 1), x = randomVector(size_t(k) * n, 2),
                             bias = randomVector(size_t(m), 3);
    const levit::detail::PackedMatrix packed = levit::detail::packMatrix(w.data(), m, k, size_t(k), 1);
    std::vector<float> y(size_t(m) * n), scratch(levit::detail::tileScratchFloats(k));
    levit::detail::Epilogue ep;
    ep.row_bias = bias.data();
    auto pack = [&](int first, int count, float* dst) { levit::detail::packColumns(x.data(), k, k, first, count, dst); };
    for (auto _ : state) {
        levit::detail::gemm(levit::detail::OperandA::packed(packed), pack, 0, n, y.data(), size_t(m), ep, scratch.data());
        benchmark::DoNotOptimize(y.data());
    }
    state.counters["GFLOP/s"] = benchmark::Counter(2.0 * m * k * n * state.iterations() * 1e-9, benchmark::Counter::kIsRate);
}
// levit-128S at batch 1: stage 0 qkv, MLP up/down (196 tokens), stage 1 (49), stage 2 (16), conv4 as a GEMM.
BENCHMARK(BM_DenseGemm)
    ->Args({256, 128, 196})
    ->Args({128, 256, 196})
    ->Args({384, 256, 49})
    ->Args({512, 256, 49})
    ->Args({512, 384, 16})
    ->Args({768, 384, 16})
    ->Args({384, 768, 16})
    ->Args({128, 576, 196})
    ->Args({256, 128, 1568});

// The same products with bfloat16 weights and inputs (Precision::BFloat16); args: m, k, n.
void BM_DenseGemmBf16(benchmark::State& state) {
    if (!levit::detail::cpuHasBf16()) {
        state.SkipWithError("this CPU lacks AVX-512 BF16");
        return;
    }
    const int m = int(state.range(0)), k = int(state.range(1)), n = int(state.range(2));
    const std::vector<float> w = randomVector(size_t(m) * k, 1), x = randomVector(size_t(k) * n, 2);
    const levit::detail::PackedMatrix packed = levit::detail::packMatrix(w.data(), m, k, size_t(k), 1);
    const std::vector<uint16_t> packed16 = levit::detail::packBf16(packed);
    levit::detail::OperandA a = levit::detail::OperandA::packed(packed);
    a.bf16 = packed16.data();
    std::vector<float> y(size_t(m) * n), scratch(levit::detail::tileScratchFloats(k));
    auto pack = [&](int first, int count, float* dst) { levit::detail::packColumns(x.data(), k, k, first, count, dst); };
    for (auto _ : state) {
        levit::detail::gemm(a, pack, 0, n, y.data(), size_t(m), levit::detail::Epilogue{}, scratch.data());
        benchmark::DoNotOptimize(y.data());
    }
    state.counters["GFLOP/s"] = benchmark::Counter(2.0 * m * k * n * state.iterations() * 1e-9, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_DenseGemmBf16)->Args({256, 128, 196})->Args({512, 256, 49})->Args({768, 384, 16})->Args({128, 576, 196});

// Packing a B tile from token-major columns (the transpose every GEMM does per tile); args: k.
void BM_PackColumns(benchmark::State& state) {
    const int k = int(state.range(0)), n = 196;
    const std::vector<float> x = randomVector(size_t(k) * n, 4);
    std::vector<float> tile(size_t(k) * levit::detail::kTileColumns);
    for (auto _ : state)
        for (int first = 0; first < n; first += levit::detail::kTileColumns) {
            levit::detail::packColumns(x.data(), k, k, first, levit::detail::kTileColumns, tile.data());
            benchmark::DoNotOptimize(tile.data());
        }
    state.SetBytesProcessed(int64_t(state.iterations()) * k * n * int64_t(sizeof(float)));
}
BENCHMARK(BM_PackColumns)->Arg(128)->Arg(256)->Arg(576);

// Attention's softmax over the keys of every query of one head, scores column-major (one column per key)
// as the attention kernel stores them, left unnormalised with 1 / row sums; args: queries, keys.
void BM_SoftmaxRows(benchmark::State& state) {
    const int queries = int(state.range(0)), keys = int(state.range(1));
    const std::vector<float> source = randomVector(size_t(keys) * queries, 5);
    std::vector<float> scores = source, inv_sum(size_t(queries), 0.0f);
    for (auto _ : state) {
        state.PauseTiming();
        scores = source;
        state.ResumeTiming();
        levit::detail::softmaxRowsUnnormalised(scores.data(), queries, keys, size_t(queries), inv_sum.data());
        benchmark::DoNotOptimize(scores.data());
        benchmark::DoNotOptimize(inv_sum.data());
    }
    state.SetItemsProcessed(int64_t(state.iterations()) * keys * queries);
}
// levit-128S: stage 0 (196 queries, 196 keys), its subsample (49 x 196), stage 1 (49 x 49), the second
// subsample (16 x 49) and stage 2 (16 x 16).
BENCHMARK(BM_SoftmaxRows)->Args({196, 196})->Args({49, 196})->Args({49, 49})->Args({16, 49})->Args({16, 16});

// The whole forward pass of a random-weight preset; args: batch, threads, bfloat16 (0/1).
void BM_ForwardLevit128S(benchmark::State& state) {
    const int batch = int(state.range(0)), threads = int(state.range(1));
    const bool bf16 = state.range(2) != 0;
    if (bf16 && !levit::Session::bfloat16Supported()) {
        state.SkipWithError("this CPU lacks AVX-512 BF16");
        return;
    }
    const levit::Config config = levit::Config::preset("128S");
    static std::shared_ptr<const levit::Model> model;
    if (!model) model = levit::Model::withRandomWeights(config, 0);
    levit::Session session(model, threads);
    if (bf16) session.setPrecision(levit::Precision::BFloat16);
    const std::vector<float> pixels = randomVector(size_t(batch) * 3 * config.image_size * config.image_size, 6);
    session.run(pixels, batch);
    for (auto _ : state) benchmark::DoNotOptimize(session.run(pixels, batch).logits.data());
    const double gflops = model->summary().total_gflops * batch;
    state.counters["GFLOP/s"] = benchmark::Counter(gflops * state.iterations(), benchmark::Counter::kIsRate);
    state.counters["images/s"] = benchmark::Counter(double(batch) * state.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ForwardLevit128S)
    ->ArgsProduct({{1, 8}, {1, 2}, {0, 1}})
    ->ArgNames({"batch", "threads", "bf16"})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
