// levit bench: latency of the forward pass on deterministic input, reported like ../shared/bench's
// ort_bench.js (same input generator, same median and percentile definitions) so the two line up; plus
// the time from loading the model to the first result and the process's peak memory.
// --variant NAME benches a published shape (Config::preset) with random weights, for the variants
// whose checkpoints are not at hand; --bf16 runs the linear layers in bfloat16 (Precision::BFloat16).
// --layers then times each part of the pass (Probe::timings, the model graph's nodes) over as many more
// runs: to see where the time goes, or to line up with tools/bench/ort_layers.js.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <sys/resource.h>

#include <cstdio>
#include <iostream>

#include "arguments.h"
#include "commands.h"
#include "levit/checkpoint.h"
#include "levit/gradients.h"
#include "levit/model_graph.h"
#include "levit/training_step.h"

namespace levit::cli {

namespace {
// ort_bench.js's generator: an LCG mapped to [-2, 2).
void fillBenchInput(std::vector<float>& data) {
    uint32_t s = 12345;
    for (float& v : data) {
        s = s * 1103515245u + 12345u;
        v = static_cast<float>((s / 4294967296.0) * 4 - 2);
    }
}

// Peak resident memory of this process (Linux reports ru_maxrss in KiB).
double peakResidentMiB() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024.0;
}
double medianOf(std::vector<double> ms) {
    std::sort(ms.begin(), ms.end());
    const size_t n = ms.size();
    return n % 2 ? ms[(n - 1) / 2] : (ms[n / 2 - 1] + ms[n / 2]) / 2;
}

// One fine-tuning step (forward with caches, backward for every parameter, AdamW) with --train all on
// deterministic inputs and labels: what tools/bench/compare_train.sh sets beside PyTorch.
int benchTrainingStep(std::map<std::string, Tensor> weights, const Config& c, const std::string& path, int batch, int threads,
                      int warmup, int runs, bool json, double load_ms) {
    using Clock = std::chrono::steady_clock;
    TrainingStep step(c, std::move(weights), parameterNames(c), OptimizerSettings{}, threads, path);
    std::vector<float> input(size_t(batch) * c.num_channels * c.image_size * c.image_size);
    fillBenchInput(input);
    std::vector<int> labels(static_cast<size_t>(batch), 0);
    for (int i = 0; i < batch; ++i) labels[size_t(i)] = (3 * i + 1) % c.numLabels();
    for (int i = 0; i < std::max(1, warmup); ++i) step.run(input, batch, labels, {}, 0.5, 0.0);
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        const auto t0 = Clock::now();
        step.run(input, batch, labels, {}, 0.5, 0.0);
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
    const double median = medianOf(ms);
    std::sort(ms.begin(), ms.end());
    if (json) {
        std::cout << nlohmann::json{{"engine", "levit-lens"}, {"mode", "train-step"}, {"model", path}, {"batch", batch},
                                    {"threads", threads}, {"median_ms", median}, {"p10_ms", ms[ms.size() / 10]},
                                    {"p90_ms", ms[(9 * ms.size()) / 10]}, {"images_per_s", batch * 1000.0 / median},
                                    {"load_ms", load_ms}, {"peak_rss_mib", peakResidentMiB()}}
                         .dump()
                  << "\n";
    } else {
        std::printf("training step (forward, backward, AdamW; --train all) of %s, batch %d, %d thread%s, %d runs\n",
                    path.c_str(), batch, threads, threads == 1 ? "" : "s", runs);
        std::printf("median %.1f ms   %.1f images/s   peak memory %.1f MiB\n", median, batch * 1000.0 / median, peakResidentMiB());
    }
    return 0;
}

// Each graph node's fastest and median time over `runs` passes with Probe::timings (nodes that are not timed,
// the image and its preprocessing, are left out).
struct LayerTime {
    std::string name;
    double mflop = 0, fastest_ms = 0, median_ms = 0;
};

std::vector<LayerTime> timeLayers(Session& session, const Model& model, const std::vector<float>& input, int batch, int runs) {
    const std::vector<GraphNode> graph = modelGraph(model);
    Probe probe;
    probe.timings = true;
    ProbeResult result;
    std::vector<std::vector<double>> times(graph.size());
    for (int i = 0; i < runs; ++i) {
        session.run(input, batch, probe, &result);
        const std::vector<double> ms = nodeTimes(graph, result.timings);
        for (size_t n = 0; n < graph.size(); ++n)
            if (!std::isnan(ms[n])) times[n].push_back(ms[n]);
    }
    std::vector<LayerTime> layers;
    for (size_t n = 0; n < graph.size(); ++n) {
        if (times[n].empty()) continue;
        const double fastest = *std::min_element(times[n].begin(), times[n].end());
        layers.push_back({graph[n].name, graph[n].flops * batch / 1e6, fastest, medianOf(times[n])});
    }
    return layers;
}

void printLayers(const std::vector<LayerTime>& layers, int runs) {
    double total = 0;
    for (const LayerTime& l : layers) total += l.median_ms;
    std::printf("\neach part of the pass, fastest and median of %d more runs timing every part:\n", runs);
    std::printf("%-38s %9s %11s %10s %8s %7s\n", "part", "MFLOP", "fastest ms", "median ms", "GFLOP/s", "share");
    for (const LayerTime& l : layers)
        std::printf("%-38s %9.1f %11.3f %10.3f %8.1f %6.1f%%\n", l.name.c_str(), l.mflop, l.fastest_ms, l.median_ms,
                    l.fastest_ms > 0 ? l.mflop / l.fastest_ms : 0.0, total > 0 ? 100 * l.median_ms / total : 0.0);
}

}  // namespace

int runBench(const std::vector<std::string>& args) {
    const Arguments a(args, {"model", "revision", "variant", "batch", "threads", "warmup", "runs"}, {"json", "bf16", "train", "layers"});
    if (!a.positional().empty()) throw UsageError("unexpected argument '" + a.positional()[0] + "'");
    const int batch = a.intValue("batch", 1, 1, Session::kMaxBatch);
    const int threads = a.intValue("threads", 1, 1, 256);
    const int warmup = a.intValue("warmup", 10, 0, 100000);
    const int runs = a.intValue("runs", 60, 1, 1000000);
    const std::string variant = a.value("variant");
    if (!variant.empty() && !a.value("model").empty()) throw UsageError("--variant and --model exclude each other");

    using Clock = std::chrono::steady_clock;
    auto msSince = [](Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); };
    const auto load_start = Clock::now();
    std::string path;
    std::shared_ptr<const Model> model;
    if (variant.empty()) {
        path = resolveModelPath(a);
        model = loadModel(path);
    } else {
        model = Model::withRandomWeights(Config::preset(variant));  // throws, naming the known variants
        path = "random:" + model->config().name;
    }
    const double load_ms = msSince(load_start);
    const Config& c = model->config();
    if (a.has("train")) {
        if (a.has("bf16")) throw UsageError("--bf16 applies to inference only");
        if (a.has("layers")) throw UsageError("--layers applies to inference only");
        return benchTrainingStep(variant.empty() ? loadCheckpoint(path).weights : initialWeights(c, 0), c, path, batch, threads,
                                 warmup, runs, a.has("json"), load_ms);
    }
    Session session(model, threads);
    const bool bf16 = a.has("bf16");
    if (bf16) session.setPrecision(Precision::BFloat16);  // throws on CPUs without AVX-512 BF16
    std::vector<float> input(size_t(batch) * c.num_channels * c.image_size * c.image_size);
    fillBenchInput(input);
    session.run(input, batch);
    const double first_result_ms = msSince(load_start);  // load + buffers + the first (cold) run

    for (int i = 0; i < warmup; ++i) session.run(input, batch);
    std::vector<double> ms;
    ms.reserve(runs);
    for (int i = 0; i < runs; ++i) {
        const auto t0 = Clock::now();
        session.run(input, batch);
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    const double median = runs % 2 ? ms[(runs - 1) / 2] : (ms[runs / 2 - 1] + ms[runs / 2]) / 2;
    const double p10 = ms[runs / 10], p90 = ms[(9 * runs) / 10];
    const double images_per_s = batch * 1000.0 / median;
    const double gflops = model->summary().total_gflops;
    const std::vector<LayerTime> layers = a.has("layers") ? timeLayers(session, *model, input, batch, runs) : std::vector<LayerTime>{};
    if (a.has("json")) {
        nlohmann::json layer_rows = nlohmann::json::array();
        for (const LayerTime& l : layers)
            layer_rows.push_back({{"name", l.name}, {"mflop", l.mflop}, {"fastest_ms", l.fastest_ms}, {"median_ms", l.median_ms}});
        nlohmann::json line{{"engine", "levit-lens"},
                                    {"model", path},
                                    {"batch", batch},
                                    {"threads", threads},
                                    {"precision", bf16 ? "bf16" : "fp32"},
                                    {"median_ms", median},
                                    {"p10_ms", p10},
                                    {"p90_ms", p90},
                                    {"images_per_s", images_per_s},
                                    {"gflops_per_image", gflops},
                                    {"achieved_gflops_per_s", gflops * images_per_s},
                                    {"load_ms", load_ms},
                                    {"first_result_ms", first_result_ms},
                                    {"peak_rss_mib", peakResidentMiB()}};
        if (a.has("layers")) line["layers"] = layer_rows;
        std::cout << line.dump() << "\n";
    } else {
        std::printf("model %s, batch %d, %d thread%s, %s, %d runs after %d warm-up\n", path.c_str(), batch, threads,
                    threads == 1 ? "" : "s", bf16 ? "bfloat16" : "float32", runs, warmup);
        std::printf("median %.3f ms   p10 %.3f ms   p90 %.3f ms   %.1f images/s   %.1f GFLOP/s\n", median, p10, p90,
                    images_per_s, gflops * images_per_s);
        std::printf("load %.1f ms   load to first result %.1f ms   peak memory %.1f MiB\n", load_ms, first_result_ms,
                    peakResidentMiB());
        if (a.has("layers")) printLayers(layers, runs);
    }
    return 0;
}

}  // namespace levit::cli
