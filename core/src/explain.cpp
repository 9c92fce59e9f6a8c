// The attribution methods of explain.h on top of GradientEngine (gradients) and Session (batched forward
// passes). Attention rollout is in explain_rollout.cpp.
#include "levit/explain.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <iterator>
#include <mutex>

#include "explain_impl.h"
#include "levit/error.h"
#include "levit/preprocess.h"

namespace levit {

namespace {

constexpr double kBatchNormEps = 1e-5;  // torch's BatchNorm1d default, as Hugging Face's LeViT heads use
constexpr int kGradientChunk = 4;   // images per backward pass (integrated gradients): 4 keeps levit-128S under 300 MB, as fast as 16
constexpr int kForwardChunk = 64;       // images per Session run (occlusion, faithfulness)

const char* kMethodNames[] = {"token", "gradcam", "gradient", "integrated-gradients", "occlusion", "rollout", "gradient-x-input"};
static_assert(std::size(kMethodNames) == kExplainMethods);
const char* kHeadNames[] = {"cls", "distillation", "mean"};

// Head i's weight in the chosen head's logit (the mean head averages both).
float headWeight(Head head, int i) {
    if (head == Head::Mean) return 0.5f;
    return (head == Head::Cls) == (i == 0) ? 1.0f : 0.0f;
}

// Separable Gaussian blur of each channel of a [C, S, S] image, edges clamped.
std::vector<float> gaussianBlur(std::span<const float> image, int channels, int size, double sigma) {
    const int radius = std::max(1, int(std::ceil(3 * sigma)));
    std::vector<float> kernel(size_t(2 * radius + 1));
    double total = 0;
    for (int i = -radius; i <= radius; ++i) total += kernel[size_t(i + radius)] = float(std::exp(-0.5 * i * i / (sigma * sigma)));
    for (float& k : kernel) k = float(k / total);
    std::vector<float> tmp(image.size()), out(image.size());
    auto at = [size](int v) { return std::clamp(v, 0, size - 1); };
    for (int c = 0; c < channels; ++c) {
        const size_t base = size_t(c) * size * size;
        for (int y = 0; y < size; ++y)
            for (int x = 0; x < size; ++x) {
                float sum = 0;
                for (int i = -radius; i <= radius; ++i) sum += kernel[size_t(i + radius)] * image[base + size_t(y) * size + at(x + i)];
                tmp[base + size_t(y) * size + x] = sum;
            }
        for (int y = 0; y < size; ++y)
            for (int x = 0; x < size; ++x) {
                float sum = 0;
                for (int i = -radius; i <= radius; ++i) sum += kernel[size_t(i + radius)] * tmp[base + size_t(at(y + i)) * size + x];
                out[base + size_t(y) * size + x] = sum;
            }
    }
    return out;
}

}  // namespace

std::string methodName(ExplainMethod method) { return kMethodNames[int(method)]; }
std::optional<ExplainMethod> methodFromName(const std::string& name) {
    for (int i = 0; i < kExplainMethods; ++i)
        if (name == kMethodNames[i]) return ExplainMethod(i);
    return std::nullopt;
}
std::string headName(Head head) { return kHeadNames[int(head)]; }
std::optional<Head> headFromName(const std::string& name) {
    for (int i = 0; i < 3; ++i)
        if (name == kHeadNames[i]) return Head(i);
    return std::nullopt;
}

SquareMap upsampleGrid(const SquareMap& grid, int size, bool nearest) {
    SquareMap out;
    out.side = size;
    out.values.resize(size_t(size) * size);
    const int g = grid.side;
    const double cell = double(size) / g;
    for (int y = 0; y < size; ++y)
        for (int x = 0; x < size; ++x) {
            float v;
            if (nearest) {
                v = grid.values[size_t(std::min(g - 1, int(y / cell))) * g + std::min(g - 1, int(x / cell))];
            } else {
                const double gy = std::clamp((y + 0.5) / cell - 0.5, 0.0, double(g - 1));
                const double gx = std::clamp((x + 0.5) / cell - 0.5, 0.0, double(g - 1));
                const int y0 = int(gy), x0 = int(gx), y1 = std::min(g - 1, y0 + 1), x1 = std::min(g - 1, x0 + 1);
                const double fy = gy - y0, fx = gx - x0;
                auto at = [&](int r, int c) { return double(grid.values[size_t(r) * g + c]); };
                v = float((1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x1)) + fy * ((1 - fx) * at(y1, x0) + fx * at(y1, x1)));
            }
            out.values[size_t(y) * size + x] = v;
        }
    return out;
}

Explainer::Explainer(const Config& config, std::map<std::string, Tensor> weights, const std::string& source, int threads)
    : impl_(std::make_unique<Impl>(config, std::move(weights), source, threads)) {}

Explainer::~Explainer() = default;

const Config& Explainer::config() const { return impl_->engine.config(); }
Session& Explainer::session() { return impl_->session; }

int Explainer::finalGridSide() const {
    const Config& c = config();
    int side = c.image_size / c.patch_size;
    for (size_t s = 0; s < c.down_ops.size(); ++s)
        if (c.down_ops[s]) side = (side - 1) / c.down_ops[s]->stride + 1;
    return side;
}

void Explainer::checkImage(std::span<const float> pixels) const {
    const Config& c = config();
    const size_t expected = size_t(c.num_channels) * c.image_size * c.image_size;
    if (pixels.size() != expected)
        throw Error("pixel values hold " + std::to_string(pixels.size()) + " floats, but one image needs " + std::to_string(expected));
}

SquareMap Explainer::explain(ExplainMethod method, std::span<const float> pixels, const ExplainOptions& options) {
    switch (method) {
        case ExplainMethod::Token: {
            const TokenAttribution t = tokenAttribution(pixels, options);
            return upsampleGrid(t.tokens, config().image_size, true);
        }
        case ExplainMethod::GradCam: return gradCam(pixels, options);
        case ExplainMethod::Gradient: return gradient(pixels, options);
        case ExplainMethod::GradientTimesInput: return gradientTimesInput(pixels, options);
        case ExplainMethod::IntegratedGradients: return integratedGradients(pixels, options);
        case ExplainMethod::Occlusion: return occlusion(pixels, options);
        case ExplainMethod::Rollout: checkImage(pixels); return rollout(pixels);
    }
    throw Error("unknown explanation method");
}

SquareMap Explainer::headDifference(ExplainMethod method, std::span<const float> pixels, const ExplainOptions& options) {
    ExplainOptions per_head = options;
    per_head.head = Head::Cls;
    SquareMap difference = explain(method, pixels, per_head);
    per_head.head = Head::Distillation;
    const SquareMap distillation = explain(method, pixels, per_head);
    for (size_t i = 0; i < difference.values.size(); ++i) difference.values[i] -= distillation.values[i];
    return difference;
}

TokenAttribution Explainer::tokenAttribution(std::span<const float> pixels, const ExplainOptions& options) {
    checkImage(pixels);
    LogitRequest request;
    request.head = options.head;
    const int k = options.class_index;
    request.classes = std::span<const int>(&k, 1);
    request.pixels = false;
    request.stage = config().numStages() - 1;
    const Gradients& g = impl_->engine.computeLogit(pixels, 1, request);
    const StageGradient& last = g.stage;
    const int tokens = last.side * last.side, channels = last.channels;
    TokenAttribution out;
    out.logit = g.class_logits[0];
    out.tokens.side = last.side;
    out.tokens.values.assign(size_t(tokens), 0.0f);
    const auto& w = impl_->engine.weights();
    const char* heads[2] = {"classifier", "classifier_distill"};
    for (int h = 0; h < 2; ++h) {
        const float weight = headWeight(options.head, h);
        if (weight == 0.0f) continue;
        const std::string p = heads[h];
        const auto& gamma = w.at(p + ".batch_norm.weight").values;
        const auto& beta = w.at(p + ".batch_norm.bias").values;
        const auto& mean = w.at(p + ".batch_norm.running_mean").values;
        const auto& var = w.at(p + ".batch_norm.running_var").values;
        const auto& linear = w.at(p + ".linear.weight").values;
        double bias = w.at(p + ".linear.bias").values[size_t(k)];
        std::vector<double> folded(static_cast<size_t>(channels));
        for (int c = 0; c < channels; ++c) {
            const double scale = gamma[size_t(c)] / std::sqrt(double(var[size_t(c)]) + kBatchNormEps);
            const double wk = linear[size_t(k) * channels + c];
            folded[size_t(c)] = wk * scale;
            bias += wk * (beta[size_t(c)] - scale * mean[size_t(c)]);
        }
        out.bias += weight * bias;
        for (int t = 0; t < tokens; ++t) {
            double sum = 0;
            for (int c = 0; c < channels; ++c) sum += folded[size_t(c)] * last.tokens[size_t(t) * channels + c];
            out.tokens.values[size_t(t)] += float(weight * sum / tokens);
        }
    }
    return out;
}

std::vector<float> Explainer::logitGradient(std::span<const float> pixels, const ExplainOptions& options) {
    checkImage(pixels);
    LogitRequest request;
    request.head = options.head;
    request.classes = std::span<const int>(&options.class_index, 1);
    return impl_->engine.computeLogit(pixels, 1, request).pixels;
}

SquareMap Explainer::gradient(std::span<const float> pixels, const ExplainOptions& options) {
    const std::vector<float> g = logitGradient(pixels, options);
    const int s = config().image_size, plane = s * s;
    SquareMap out{s, std::vector<float>(size_t(plane), 0.0f)};
    for (int c = 0; c < config().num_channels; ++c)
        for (int p = 0; p < plane; ++p) out.values[size_t(p)] += std::abs(g[size_t(c) * plane + p]);
    return out;
}

SquareMap Explainer::gradientTimesInput(std::span<const float> pixels, const ExplainOptions& options) {
    const std::vector<float> g = logitGradient(pixels, options);
    const int s = config().image_size, plane = s * s;
    SquareMap out{s, std::vector<float>(size_t(plane), 0.0f)};
    for (int c = 0; c < config().num_channels; ++c)
        for (int p = 0; p < plane; ++p) out.values[size_t(p)] += pixels[size_t(c) * plane + p] * g[size_t(c) * plane + p];
    return out;
}

std::vector<float> Explainer::baselineImage(std::span<const float> pixels, Baseline baseline) const {
    const Config& c = config();
    if (baseline == Baseline::Blurred) return gaussianBlur(pixels, c.num_channels, c.image_size, c.image_size / 28.0);
    ImageRGB8 black;
    black.width = black.height = c.image_size;
    black.pixels.assign(size_t(c.image_size) * c.image_size * 3, 0);
    std::vector<float> out(pixels.size());
    normalizeInto(black, c.preprocess, out);
    return out;
}

// Integrated gradients (Sundararajan et al. 2017) with the midpoint rule: (x - x0) * mean over
// alpha = (i + 0.5) / n of d logit / d pixels at x0 + alpha (x - x0); summed over channels, signed (positive
// supports the class). The attributions sum to about logit(x) - logit(x0).
SquareMap Explainer::integratedGradients(std::span<const float> pixels, const ExplainOptions& options) {
    checkImage(pixels);
    if (options.steps < 1 || options.steps > 1024) throw Error("integrated gradients needs 1 to 1024 steps");
    if (options.class_index < 0 || options.class_index >= config().numLabels())
        throw Error("class " + std::to_string(options.class_index) + " is outside the model's classes 0.." +
                    std::to_string(config().numLabels() - 1));
    const std::vector<float> base = baselineImage(pixels, options.baseline);
    const size_t n = pixels.size();
    // The steps are dealt out to the engines in chunks (together no more images at once than one engine's
    // kGradientChunk, so memory does not grow with the threads); each engine sums its own steps.
    const int engines = std::min(impl_->engines(), options.steps);
    const int chunk = std::max(1, kGradientChunk / engines);
    std::vector<std::vector<float>> sums(size_t(engines), std::vector<float>(n, 0.0f));
    auto run_engine = [&](int e) {
        std::vector<float> batch_pixels;
        std::vector<int> classes;
        LogitRequest request;
        request.head = options.head;
        std::vector<float>& sum = sums[size_t(e)];
        for (int first = e * chunk; first < options.steps; first += chunk * engines) {
            const int count = std::min(chunk, options.steps - first);
            batch_pixels.resize(n * size_t(count));
            for (int i = 0; i < count; ++i) {
                const float alpha = (float(first + i) + 0.5f) / float(options.steps);
                for (size_t p = 0; p < n; ++p) batch_pixels[size_t(i) * n + p] = base[p] + alpha * (pixels[p] - base[p]);
            }
            classes.assign(size_t(count), options.class_index);
            request.classes = classes;
            const std::vector<float>& g = impl_->engineAt(e).computeLogit(batch_pixels, count, request).pixels;
            for (int i = 0; i < count; ++i)
                for (size_t p = 0; p < n; ++p) sum[p] += g[size_t(i) * n + p];
        }
    };
    if (engines > 1) {
        // An exception cannot cross the pool's threads: the first one is kept and rethrown here.
        std::exception_ptr failure;
        std::mutex failure_mutex;
        impl_->pool->parallelFor(engines, [&](int begin, int end, int) {
            for (int e = begin; e < end; ++e) {
                try {
                    run_engine(e);
                } catch (...) {
                    std::lock_guard<std::mutex> lock(failure_mutex);
                    if (!failure) failure = std::current_exception();
                }
            }
        });
        if (failure) std::rethrow_exception(failure);
    } else {
        run_engine(0);
    }
    std::vector<float>& sum = sums[0];
    for (int e = 1; e < engines; ++e)
        for (size_t p = 0; p < n; ++p) sum[p] += sums[size_t(e)][p];
    const int s = config().image_size, plane = s * s;
    SquareMap out{s, std::vector<float>(size_t(plane), 0.0f)};
    for (int c = 0; c < config().num_channels; ++c)
        for (int p = 0; p < plane; ++p) {
            const size_t i = size_t(c) * plane + p;
            out.values[size_t(p)] += (pixels[i] - base[i]) * sum[i] / float(options.steps);
        }
    return out;
}

std::vector<float> Explainer::classLogits(std::span<const float> pixels, int batch, const ExplainOptions& options) {
    const size_t n = session().inputSize();
    if (pixels.size() != n * size_t(batch)) throw Error("pixel values do not hold " + std::to_string(batch) + " images");
    if (options.class_index < 0 || options.class_index >= config().numLabels())
        throw Error("class " + std::to_string(options.class_index) + " is outside the model's classes 0.." +
                    std::to_string(config().numLabels() - 1));
    std::vector<float> out(static_cast<size_t>(batch));
    for (int first = 0; first < batch; first += kForwardChunk) {
        const int count = std::min(kForwardChunk, batch - first);
        const Output& o = session().run(pixels.subspan(size_t(first) * n, size_t(count) * n), count);
        const std::vector<float>& logits =
            options.head == Head::Cls ? o.cls_logits : options.head == Head::Distillation ? o.distillation_logits : o.logits;
        for (int i = 0; i < count; ++i) out[size_t(first + i)] = logits[size_t(i) * o.num_labels + options.class_index];
    }
    return out;
}

// Occlusion sensitivity (Zeiler and Fergus 2014): each patch position is filled with 0 (the normalised
// dataset mean), all copies run as batches; a pixel's value is the mean drop of the class logit over the
// patches that cover it.
SquareMap Explainer::occlusion(std::span<const float> pixels, const ExplainOptions& options) {
    checkImage(pixels);
    const Config& c = config();
    const int s = c.image_size, plane = s * s;
    const int patch = options.occlusion_patch > 0 ? options.occlusion_patch : std::max(1, s / finalGridSide());
    const int stride = options.occlusion_stride > 0 ? options.occlusion_stride : patch;
    if (patch > s) throw Error("the occlusion patch (" + std::to_string(patch) + " px) is larger than the image");
    std::vector<int> starts;
    for (int v = 0;; v += stride) {
        starts.push_back(std::min(v, s - patch));
        if (v + patch >= s) break;
    }
    const int positions = int(starts.size() * starts.size());
    std::vector<float> copies(size_t(positions + 1) * pixels.size());
    for (int i = 0; i <= positions; ++i) std::copy(pixels.begin(), pixels.end(), copies.begin() + ptrdiff_t(i) * ptrdiff_t(pixels.size()));
    for (int i = 0; i < positions; ++i) {
        const int y0 = starts[size_t(i) / starts.size()], x0 = starts[size_t(i) % starts.size()];
        float* image = copies.data() + size_t(i + 1) * pixels.size();
        for (int ch = 0; ch < c.num_channels; ++ch)
            for (int y = y0; y < y0 + patch; ++y) std::fill_n(image + size_t(ch) * plane + size_t(y) * s + x0, patch, 0.0f);
    }
    const std::vector<float> logits = classLogits(copies, positions + 1, options);
    std::vector<float> drop(size_t(plane), 0.0f), cover(size_t(plane), 0.0f);
    for (int i = 0; i < positions; ++i) {
        const int y0 = starts[size_t(i) / starts.size()], x0 = starts[size_t(i) % starts.size()];
        const float d = logits[0] - logits[size_t(i + 1)];
        for (int y = y0; y < y0 + patch; ++y)
            for (int x = x0; x < x0 + patch; ++x) {
                drop[size_t(y) * s + x] += d;
                cover[size_t(y) * s + x] += 1;
            }
    }
    for (int p = 0; p < plane; ++p) drop[size_t(p)] = cover[size_t(p)] > 0 ? drop[size_t(p)] / cover[size_t(p)] : 0.0f;
    return {s, std::move(drop)};
}

// Grad-CAM (Selvaraju et al. 2017) on a stage's final residual stream A [T, C]: weights alpha_c = mean over
// tokens of d logit / d A_tc, map = ReLU(sum_c alpha_c A_tc) on the stage's grid, upsampled bilinearly.
SquareMap Explainer::gradCam(std::span<const float> pixels, const ExplainOptions& options) {
    checkImage(pixels);
    const int stages = config().numStages();
    const int stage = options.stage < 0 ? stages - 1 : options.stage;
    if (stage >= stages) throw Error("stage " + std::to_string(stage) + " is outside the model's stages 0.." + std::to_string(stages - 1));
    LogitRequest request;
    request.head = options.head;
    request.classes = std::span<const int>(&options.class_index, 1);
    request.pixels = false;
    request.stage = stage;
    const StageGradient& sg = impl_->engine.computeLogit(pixels, 1, request).stage;
    const int tokens = sg.side * sg.side, channels = sg.channels;
    std::vector<double> alpha(size_t(channels), 0.0);
    for (int t = 0; t < tokens; ++t)
        for (int ch = 0; ch < channels; ++ch) alpha[size_t(ch)] += sg.gradient[size_t(t) * channels + ch] / tokens;
    SquareMap grid{sg.side, std::vector<float>(size_t(tokens), 0.0f)};
    for (int t = 0; t < tokens; ++t) {
        double v = 0;
        for (int ch = 0; ch < channels; ++ch) v += alpha[size_t(ch)] * sg.tokens[size_t(t) * channels + ch];
        grid.values[size_t(t)] = float(std::max(0.0, v));
    }
    return upsampleGrid(grid, config().image_size);
}

}  // namespace levit
