#pragma once
// "Why this class?": attribution maps of one class logit of one head for LeViT, on one image at a time.
// Every map is [S, S] float at the model's input resolution (S = config.image_size), row-major, larger =
// more important for the class. Beside the inference path: the fast Session is only used to run batches of
// modified images (occlusion), so classification pays nothing for it.
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "levit/config.h"
#include "levit/gradients.h"
#include "levit/model.h"
#include "levit/tensor.h"

namespace levit {

enum class ExplainMethod { Token, GradCam, Gradient, IntegratedGradients, Occlusion, Rollout, GradientTimesInput };
inline constexpr int kExplainMethods = 7;

// "token", "gradcam", "gradient", "integrated-gradients", "occlusion", "rollout", "gradient-x-input" (the CLI's names).
std::string methodName(ExplainMethod method);
std::optional<ExplainMethod> methodFromName(const std::string& name);
// "cls", "distillation", "mean".
std::string headName(Head head);
std::optional<Head> headFromName(const std::string& name);

// A square map, row-major.
struct SquareMap {
    int side = 0;
    std::vector<float> values;  // side * side
};

// Exact decomposition of a logit over the final tokens. With the head's BatchNorm folded into its Linear
// (W' = W diag(gamma / sqrt(var + eps)), b' = b + W (beta - gamma mean / sqrt(var + eps))), the logit is
// b' + sum_t (1/T) W' x_t: token t contributes (1/T) W' x_t, and the contributions sum to logit - b'.
struct TokenAttribution {
    SquareMap tokens;   // [g, g] contributions on the final grid
    double bias = 0;    // b' of the chosen head (mean head: the mean of both)
    double logit = 0;   // the class logit of the chosen head (forward pass of the gradient engine)
};

enum class Baseline { Black, Blurred };

struct ExplainOptions {
    Head head = Head::Mean;
    int class_index = 0;
    int stage = -1;                    // Grad-CAM: the stage (0-based); -1 = the last
    int steps = 32;                    // integrated gradients: Riemann steps
    Baseline baseline = Baseline::Black;
    int occlusion_patch = 0;           // pixels; 0 = one cell of the final token grid (S / g)
    int occlusion_stride = 0;          // pixels; 0 = the patch size
};

// Not thread-safe (it owns one GradientEngine and one Session): one Explainer per worker thread.
class Explainer {
public:
    // `weights`: HF-named tensors as loadCheckpoint returns them. `threads`: for the batched forward passes.
    Explainer(const Config& config, std::map<std::string, Tensor> weights, const std::string& source, int threads = 1);
    ~Explainer();
    Explainer(const Explainer&) = delete;
    Explainer& operator=(const Explainer&) = delete;

    const Config& config() const;
    Session& session();                 // the fast path, for faithfulness curves and predictions
    int finalGridSide() const;

    // Every method checks `pixels` (one image: C * S * S floats), the class and the stage (levit::Error).
    SquareMap explain(ExplainMethod method, std::span<const float> pixels, const ExplainOptions& options);

    // Where the two heads look differently: the map for the classification head minus the map for the
    // distillation head (same method, class and options; options.head is ignored). Positive: the
    // classification head relies on it more.
    SquareMap headDifference(ExplainMethod method, std::span<const float> pixels, const ExplainOptions& options);

    TokenAttribution tokenAttribution(std::span<const float> pixels, const ExplainOptions& options);
    // d (class logit of the head) / d pixel_values, [C, S, S].
    std::vector<float> logitGradient(std::span<const float> pixels, const ExplainOptions& options);
    SquareMap gradient(std::span<const float> pixels, const ExplainOptions& options);
    // Gradient x input (Shrikumar et al. 2016): sum over channels of pixel * d logit / d pixel, signed
    // (positive supports the class); with a black-image baseline, one step of integrated gradients.
    SquareMap gradientTimesInput(std::span<const float> pixels, const ExplainOptions& options);
    SquareMap integratedGradients(std::span<const float> pixels, const ExplainOptions& options);
    SquareMap occlusion(std::span<const float> pixels, const ExplainOptions& options);
    SquareMap gradCam(std::span<const float> pixels, const ExplainOptions& options);
    // Class- and head-independent (attention does not depend on them): see explain_rollout.cpp.
    SquareMap rollout(std::span<const float> pixels);

    // The baseline image (normalised pixel values) integrated gradients starts from.
    std::vector<float> baselineImage(std::span<const float> pixels, Baseline baseline) const;
    // The chosen head's class logit for each of `batch` images, through the fast Session.
    std::vector<float> classLogits(std::span<const float> pixels, int batch, const ExplainOptions& options);

    struct Impl;

private:
    void checkImage(std::span<const float> pixels) const;
    std::unique_ptr<Impl> impl_;
};

// Bilinear upsampling of a g x g grid whose cells tile the S x S image (cell centres at (i + 0.5) S / g),
// clamped at the borders; with `nearest`, each pixel takes its cell's value.
SquareMap upsampleGrid(const SquareMap& grid, int size, bool nearest = false);

}  // namespace levit
