// The smallest fast-gradient-sign step that changes the top-1 class (adversarial.h).
#include "levit/adversarial.h"

#include <algorithm>
#include <cmath>

#include "levit/error.h"

namespace levit {

namespace {

// Top-1 class and the probabilities of the head for each image of a batch.
struct Prediction {
    int top = 0;
    std::vector<double> probabilities;
};

std::vector<Prediction> predict(Explainer& explainer, std::span<const float> images, int batch, Head head) {
    const Output& o = explainer.session().run(images, batch);
    const std::vector<float>& logits = head == Head::Cls ? o.cls_logits : head == Head::Distillation ? o.distillation_logits : o.logits;
    std::vector<Prediction> out(static_cast<size_t>(batch));
    for (int b = 0; b < batch; ++b) {
        const float* row = logits.data() + size_t(b) * o.num_labels;
        const int top = int(std::max_element(row, row + o.num_labels) - row);
        double sum = 0;
        out[size_t(b)].probabilities.resize(size_t(o.num_labels));
        for (int k = 0; k < o.num_labels; ++k) sum += out[size_t(b)].probabilities[size_t(k)] = std::exp(double(row[k] - row[top]));
        for (double& p : out[size_t(b)].probabilities) p /= sum;
        out[size_t(b)].top = top;
    }
    return out;
}

// pixels - epsilon * sign(gradient), per channel in normalised units, clamped to the range of real images.
void nudge(std::span<const float> pixels, const std::vector<float>& direction, const std::vector<float>& channel_step,
           const std::vector<float>& low, const std::vector<float>& high, double epsilon, float* out) {
    const size_t plane = pixels.size() / channel_step.size();
    for (size_t i = 0; i < pixels.size(); ++i) {
        const size_t c = i / plane;
        out[i] = std::clamp(pixels[i] - float(epsilon) * channel_step[c] * direction[i], low[c], high[c]);
    }
}

}  // namespace

AdversarialNudge smallestNudge(Explainer& explainer, std::span<const float> pixels, Head head, const NudgeSearch& search) {
    const Config& config = explainer.config();
    const size_t n = explainer.session().inputSize();
    if (pixels.size() != n) throw Error("pixel values hold " + std::to_string(pixels.size()) + " floats, but one image needs " + std::to_string(n));
    if (!(search.max_epsilon > 0) || search.grid < 1 || search.grid > Session::kMaxBatch || search.refinements < 0)
        throw Error("the nudge search needs a positive maximum epsilon and a grid of 1 to 1024 steps");
    // Intensity units to normalised units per channel, and the normalised values of black and white.
    const PreprocessConfig& p = config.preprocess;
    const int channels = config.num_channels;
    const size_t count = static_cast<size_t>(channels);
    std::vector<float> step(count, 1.0f), low(count), high(count);
    for (int c = 0; c < channels; ++c) {
        const double scale = p.do_rescale ? 255.0 * p.rescale_factor : 255.0;  // what 1 intensity unit becomes
        const double std_c = p.do_normalize ? p.image_std[c] : 1.0, mean_c = p.do_normalize ? p.image_mean[c] : 0.0;
        step[size_t(c)] = float(scale / std_c);
        low[size_t(c)] = float((0.0 - mean_c) / std_c);
        high[size_t(c)] = float((scale - mean_c) / std_c);
    }
    AdversarialNudge result;
    const Prediction original = predict(explainer, pixels, 1, head)[0];
    result.original_class = original.top;
    result.original_probability = original.probabilities[size_t(original.top)];

    ExplainOptions options;
    options.head = head;
    options.class_index = original.top;
    std::vector<float> direction = explainer.logitGradient(pixels, options);
    for (float& d : direction) d = float((d > 0) - (d < 0));

    std::vector<float> batch(n * size_t(search.grid));
    for (int i = 0; i < search.grid; ++i)
        nudge(pixels, direction, step, low, high, search.max_epsilon * (i + 1) / search.grid, batch.data() + size_t(i) * n);
    const std::vector<Prediction> grid = predict(explainer, batch, search.grid, head);
    const auto first = std::find_if(grid.begin(), grid.end(), [&](const Prediction& q) { return q.top != original.top; });
    if (first == grid.end()) return result;
    const int index = int(first - grid.begin());
    double unchanged = search.max_epsilon * index / search.grid, changed = search.max_epsilon * (index + 1) / search.grid;
    std::vector<float> image(n);
    for (int r = 0; r < search.refinements; ++r) {
        const double middle = 0.5 * (unchanged + changed);
        nudge(pixels, direction, step, low, high, middle, image.data());
        (predict(explainer, image, 1, head)[0].top != original.top ? changed : unchanged) = middle;
    }
    result.found = true;
    result.epsilon = changed;
    result.nudged.resize(n);
    nudge(pixels, direction, step, low, high, changed, result.nudged.data());
    result.perturbation.resize(n);
    for (size_t i = 0; i < n; ++i) result.perturbation[i] = result.nudged[i] - pixels[i];
    const Prediction after = predict(explainer, result.nudged, 1, head)[0];
    result.new_class = after.top;
    result.new_probability = after.probabilities[size_t(after.top)];
    return result;
}

}  // namespace levit
