// RISE deletion and insertion (faithfulness.h).
#include "levit/faithfulness.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "levit/error.h"

namespace levit {

std::vector<int> importanceOrder(const SquareMap& map) {
    std::vector<int> order(map.values.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return map.values[size_t(a)] > map.values[size_t(b)]; });
    return order;
}

std::vector<float> curveImages(std::span<const float> canvas, std::span<const float> source, const std::vector<int>& order,
                               int channels, int steps) {
    const size_t plane = order.size(), n = canvas.size();
    std::vector<float> images(n * size_t(steps + 1));
    std::vector<float> current(canvas.begin(), canvas.end());
    size_t taken = 0;
    for (int i = 0; i <= steps; ++i) {
        const size_t target = size_t(std::llround(double(i) * double(plane) / steps));
        for (; taken < target; ++taken)
            for (int c = 0; c < channels; ++c) {
                const size_t p = size_t(c) * plane + size_t(order[taken]);
                current[p] = source[p];
            }
        std::copy(current.begin(), current.end(), images.begin() + ptrdiff_t(size_t(i) * n));
    }
    return images;
}

double areaUnderCurve(const std::vector<double>& values) {
    if (values.size() < 2) return values.empty() ? 0.0 : values[0];
    double area = 0;
    for (size_t i = 1; i < values.size(); ++i) area += 0.5 * (values[i - 1] + values[i]);
    return area / double(values.size() - 1);
}

namespace {

// The class probability of the chosen head for each image of a batch.
std::vector<double> classProbabilities(Explainer& explainer, std::span<const float> images, int batch, const ExplainOptions& options) {
    const size_t n = explainer.session().inputSize();
    std::vector<double> out;
    out.reserve(size_t(batch));
    constexpr int kChunk = 64;
    for (int first = 0; first < batch; first += kChunk) {
        const int count = std::min(kChunk, batch - first);
        const Output& o = explainer.session().run(images.subspan(size_t(first) * n, size_t(count) * n), count);
        const std::vector<float>& logits =
            options.head == Head::Cls ? o.cls_logits : options.head == Head::Distillation ? o.distillation_logits : o.logits;
        for (int b = 0; b < count; ++b) {
            const float* row = logits.data() + size_t(b) * o.num_labels;
            const double peak = *std::max_element(row, row + o.num_labels);
            double sum = 0;
            for (int k = 0; k < o.num_labels; ++k) sum += std::exp(double(row[k]) - peak);
            out.push_back(std::exp(double(row[options.class_index]) - peak) / sum);
        }
    }
    return out;
}

}  // namespace

FaithfulnessCurves measureFaithfulness(Explainer& explainer, std::span<const float> pixels, const SquareMap& map,
                                       const ExplainOptions& options, int steps) {
    const Config& c = explainer.config();
    if (steps < 1 || steps > 256) throw Error("faithfulness needs 1 to 256 steps");
    if (map.side != c.image_size || pixels.size() != size_t(c.num_channels) * c.image_size * c.image_size)
        throw Error("the map and the image must have the model's input size");
    if (options.class_index < 0 || options.class_index >= c.numLabels()) throw Error("class out of range");
    const std::vector<int> order = importanceOrder(map);
    const std::vector<float> zeros(pixels.size(), 0.0f);
    const std::vector<float> blurred = explainer.baselineImage(pixels, Baseline::Blurred);
    FaithfulnessCurves out;
    const std::vector<float> deletion = curveImages(pixels, zeros, order, c.num_channels, steps);
    out.deletion = classProbabilities(explainer, deletion, steps + 1, options);
    const std::vector<float> insertion = curveImages(blurred, pixels, order, c.num_channels, steps);
    out.insertion = classProbabilities(explainer, insertion, steps + 1, options);
    out.deletion_auc = areaUnderCurve(out.deletion);
    out.insertion_auc = areaUnderCurve(out.insertion);
    return out;
}

SquareMap randomMap(int side, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
    SquareMap map{side, std::vector<float>(size_t(side) * side)};
    for (float& v : map.values) v = uniform(rng);
    return map;
}

}  // namespace levit
