#pragma once
// Reverse-mode gradients of LeViT (LevitForImageClassificationWithTeacher) with BatchNorm in eval mode:
// running statistics frozen, affine parameters trained, as for small-data fine-tuning. Works on the
// unfolded Hugging Face parameters (names and shapes of the state dict), beside the inference path: the
// fast Model/Session never pays for it. Gradients of every parameter and of the input pixels.
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "levit/config.h"
#include "levit/model.h"
#include "levit/tensor.h"

namespace levit {

// What the loss compares the heads with. loss = cls_weight * CE(cls_logits, labels)
//                                          + (1 - cls_weight) * CE(distillation_logits, distillation_labels),
// mean over the batch, with optional label smoothing (as torch's CrossEntropyLoss(label_smoothing=...)).
// cls_weight = 1 is a single-head model's loss (LevitForImageClassification).
struct LossTargets {
    std::span<const int> labels;               // [batch], class indices
    std::span<const int> distillation_labels;  // [batch]; empty = labels
    double cls_weight = 0.5;
    double label_smoothing = 0.0;
};

struct GradientRequest {
    bool pixels = false;  // also d loss / d pixel_values
    // Parameter names whose gradients are wanted; empty = all. Backpropagation stops below the earliest
    // layer that holds one of them (unless pixels are wanted).
    std::vector<std::string> parameters;
};

// Which classifier a class logit is read from: the classification head, the distillation head, or their
// mean (the model's prediction).
enum class Head { Cls, Distillation, Mean };

// The gradient of one class logit per image (d logit / d ..., dlogits = one-hot instead of the loss).
struct LogitRequest {
    Head head = Head::Mean;
    std::span<const int> classes;  // [batch], the class of each image
    bool pixels = true;            // d logit / d pixel_values
    // When >= 0: the residual stream of stage `stage` after its residual blocks, before its subsample
    // block (the last grid at that stage's width), and the logit's gradient with respect to it.
    int stage = -1;
};

// A stage's tokens and their gradient, [batch, side * side tokens, channels] (token-major like Hugging
// Face's hidden states; token order row-major on the side x side grid).
struct StageGradient {
    int stage = -1, side = 0, channels = 0;
    std::vector<float> tokens, gradient;
};

struct Gradients {
    double loss = 0;
    std::vector<float> class_logits;             // computeLogit: the logit of each image's class [batch]
    StageGradient stage;                         // computeLogit with a stage
    Output output;                               // the forward pass's logits
    std::map<std::string, Tensor> parameters;    // same names and shapes as the parameters asked for
    std::vector<float> pixels;                   // [batch, C, S, S] when asked for
};

// The state-dict names of every trainable parameter of a model of this config, in Hugging Face's order
// (BatchNorm running statistics are buffers, not parameters, and are not listed).
std::vector<std::string> parameterNames(const Config& config);
// Parameter names of a training scope: "head" (both classifiers), "last-stage" (+ the last stage's
// layers), "all". Throws levit::Error for another scope.
std::vector<std::string> parameterNamesOf(const Config& config, const std::string& scope);

class GradientEngine {
public:
    // `weights`: HF-named float tensors as loadCheckpoint returns them (parameters + BatchNorm statistics).
    // Throws levit::Error naming a missing tensor or a shape mismatch.
    GradientEngine(const Config& config, std::map<std::string, Tensor> weights, const std::string& source = "model");
    ~GradientEngine();
    GradientEngine(const GradientEngine&) = delete;
    GradientEngine& operator=(const GradientEngine&) = delete;

    const Config& config() const;
    // The tensors (parameters and statistics) by name: an optimiser updates them in place; the next
    // forward pass uses the new values.
    std::map<std::string, Tensor>& weights();
    const std::map<std::string, Tensor>& weights() const;

    // Forward with the caches the backward pass needs, then the backward pass. pixel_values as for
    // Session::run (exactly batch * C * S * S floats, checked).
    const Gradients& compute(std::span<const float> pixel_values, int batch, const LossTargets& targets,
                             const GradientRequest& request = {});

    // d (class logit of `head`) / d pixels (and/or a stage's tokens): the same backward pass without the
    // loss, and without parameter gradients. Throws levit::Error for a class or stage out of range.
    const Gradients& computeLogit(std::span<const float> pixel_values, int batch, const LogitRequest& request);

    // The fast inference model of the current weights (BatchNorm folded again).
    std::shared_ptr<const Model> toModel() const;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace levit
