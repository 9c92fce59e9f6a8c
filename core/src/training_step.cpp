#include "levit/training_step.h"

#include <algorithm>

#include "levit/error.h"
#include "levit/gradients.h"
#include "thread_pool.h"

namespace levit {

namespace {
int argmax(const float* v, int n) { return int(std::max_element(v, v + n) - v); }
}  // namespace

struct TrainingStep::Impl {
    std::vector<std::unique_ptr<GradientEngine>> engines;  // one per thread, each with its own copy of the weights
    std::unique_ptr<detail::ThreadPool> pool;
    std::vector<std::string> trainable;
    GradientRequest request;  // the trainable parameters: made once, a step copies nothing
    std::unique_ptr<Optimizer> optimizer;
    std::map<std::string, Tensor> averaged;  // the batch's gradients
    std::vector<const Gradients*> parts;
    std::vector<int> begin;
    size_t per_image = 0;
    int classes = 0;
};

TrainingStep::TrainingStep(const Config& config, std::map<std::string, Tensor> weights, std::vector<std::string> trainable,
                           const OptimizerSettings& optimizer, int threads, const std::string& source)
    : impl_(std::make_unique<Impl>()) {
    if (threads < 1 || threads > 256) throw Error("threads must be between 1 and 256");
    Impl& m = *impl_;
    for (int t = 0; t < threads; ++t) m.engines.push_back(std::make_unique<GradientEngine>(config, weights, source));
    for (const std::string& name : trainable)
        if (!m.engines[0]->weights().count(name)) throw Error(source + ": no parameter named '" + name + "' to train");
    m.pool = std::make_unique<detail::ThreadPool>(threads);
    m.trainable = std::move(trainable);
    m.request.parameters = m.trainable;
    m.optimizer = std::make_unique<Optimizer>(optimizer, m.trainable);
    m.parts.resize(size_t(threads));
    m.begin.resize(size_t(threads) + 1);
    m.per_image = size_t(config.num_channels) * config.image_size * config.image_size;
    m.classes = config.numLabels();
}

TrainingStep::~TrainingStep() = default;

std::map<std::string, Tensor>& TrainingStep::weights() { return impl_->engines[0]->weights(); }
const Optimizer& TrainingStep::optimizer() const { return *impl_->optimizer; }

TrainingStep::Result TrainingStep::run(std::span<const float> pixels, int batch, std::span<const int> labels,
                                       std::span<const int> distillation, double cls_weight, double label_smoothing) {
    Impl& m = *impl_;
    if (batch < 1 || pixels.size() != m.per_image * size_t(batch) || labels.size() != size_t(batch) ||
        (!distillation.empty() && distillation.size() != size_t(batch)))
        throw Error("a training step needs pixel values and one label per image of the batch");
    const int threads = int(m.engines.size()), used = std::min(threads, batch);
    for (int t = 0; t <= used; ++t) m.begin[size_t(t)] = batch * t / used;
    m.pool->parallelFor(used, [&](int first, int last, int) {
        for (int t = first; t < last; ++t) {
            const size_t b0 = size_t(m.begin[size_t(t)]), n = size_t(m.begin[size_t(t) + 1]) - b0;
            LossTargets targets;
            targets.labels = labels.subspan(b0, n);
            if (!distillation.empty()) targets.distillation_labels = distillation.subspan(b0, n);
            targets.cls_weight = cls_weight;
            targets.label_smoothing = label_smoothing;
            m.parts[size_t(t)] = &m.engines[size_t(t)]->compute(pixels.subspan(m.per_image * b0, m.per_image * n), int(n), targets, m.request);
        }
    });
    // Each share's loss is a mean over the share: weight its gradients by the share's size.
    for (const std::string& name : m.trainable) {
        Tensor& total = m.averaged[name];
        const Tensor& first = m.parts[0]->parameters.at(name);
        total.shape = first.shape;
        total.values.resize(first.values.size());
        const float w0 = float(m.begin[1] - m.begin[0]) / float(batch);
        for (size_t i = 0; i < first.values.size(); ++i) total.values[i] = w0 * first.values[i];
        for (int t = 1; t < used; ++t) {
            const float wt = float(m.begin[size_t(t) + 1] - m.begin[size_t(t)]) / float(batch);
            const std::vector<float>& g = m.parts[size_t(t)]->parameters.at(name).values;
            for (size_t i = 0; i < g.size(); ++i) total.values[i] += wt * g[i];
        }
    }
    Result r;
    for (int t = 0; t < used; ++t) {
        const Gradients& g = *m.parts[size_t(t)];
        const int b0 = m.begin[size_t(t)], n = m.begin[size_t(t) + 1] - b0;
        r.loss += g.loss * n / batch;
        for (int i = 0; i < n; ++i)
            r.cls_correct += argmax(g.output.cls_logits.data() + size_t(i) * m.classes, m.classes) == labels[size_t(b0 + i)];
    }
    m.optimizer->step(m.engines[0]->weights(), m.averaged);
    for (int t = 1; t < threads; ++t)
        for (const std::string& name : m.trainable) {
            std::vector<float>& dst = m.engines[size_t(t)]->weights().at(name).values;
            const std::vector<float>& src = m.engines[0]->weights().at(name).values;
            std::copy(src.begin(), src.end(), dst.begin());
        }
    return r;
}

}  // namespace levit
