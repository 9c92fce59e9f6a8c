#pragma once
// Optimisers for fine-tuning: AdamW (decoupled weight decay, as torch.optim.AdamW) and SGD with momentum
// (as torch.optim.SGD), a cosine learning-rate schedule with linear warm-up, and clipping of the global
// gradient norm. They update named tensors in place.
#include <map>
#include <string>
#include <vector>

#include "levit/tensor.h"

namespace levit {

struct OptimizerSettings {
    std::string kind = "adamw";  // "adamw" or "sgd"
    double learning_rate = 1e-3;
    double weight_decay = 0.05;   // not applied to biases, BatchNorm parameters and attention biases
    double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;  // AdamW
    double momentum = 0.9;        // SGD
    double clip_norm = 1.0;       // global L2 norm of the gradients; 0 = no clipping
    int warmup_steps = 0;
    int total_steps = 1;          // the cosine reaches 0 here
};

// Learning rate of step `step` (0-based): linear warm-up to the base rate, then a cosine down to 0.
double scheduledLearningRate(const OptimizerSettings& settings, int step);

class Optimizer {
public:
    // Keeps state for the tensors named in `names` (which must exist in the weights it updates).
    Optimizer(OptimizerSettings settings, std::vector<std::string> names);

    // One update of `weights` from `grads` (same names and shapes). Returns the gradients' global norm
    // before clipping.
    double step(std::map<std::string, Tensor>& weights, const std::map<std::string, Tensor>& grads);
    int steps() const { return step_; }
    const OptimizerSettings& settings() const { return settings_; }

private:
    OptimizerSettings settings_;
    std::vector<std::string> names_;
    std::map<std::string, std::vector<float>> first_, second_;  // Adam moments, or SGD momentum buffers
    int step_ = 0;
};

// Whether weight decay applies to a parameter: weights of linear layers and convolutions only.
bool decaysWeight(const std::string& name, const Tensor& value);

}  // namespace levit
