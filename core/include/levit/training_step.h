#pragma once
// One optimisation step of fine-tuning: forward and backward over a batch (split over threads, data
// parallel: each thread's engine takes a contiguous share and the gradients are averaged by share size),
// then the optimiser's update. The building block of Trainer and of `levit bench --train`.
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "levit/config.h"
#include "levit/optimizer.h"
#include "levit/tensor.h"

namespace levit {

class TrainingStep {
public:
    // `weights`: HF-named parameters and BatchNorm statistics; `trainable`: the names the optimiser updates.
    TrainingStep(const Config& config, std::map<std::string, Tensor> weights, std::vector<std::string> trainable,
                 const OptimizerSettings& optimizer, int threads, const std::string& source = "model");
    ~TrainingStep();
    TrainingStep(const TrainingStep&) = delete;
    TrainingStep& operator=(const TrainingStep&) = delete;

    struct Result {
        double loss = 0;      // mean over the batch
        int cls_correct = 0;  // images whose classification head's top class is the label
    };
    // loss = cls_weight * CE(cls, labels) + (1 - cls_weight) * CE(distillation, distillation_labels or labels).
    Result run(std::span<const float> pixel_values, int batch, std::span<const int> labels,
               std::span<const int> distillation_labels, double cls_weight, double label_smoothing);

    // The current weights (after the last update).
    std::map<std::string, Tensor>& weights();
    const Optimizer& optimizer() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Weights for a config as Hugging Face initialises a new model (Linear and Conv2d weights N(0, 0.02), zero
// biases, BatchNorm weight 1 and bias 0, running mean 0 and variance 1, zero attention biases), seeded.
std::map<std::string, Tensor> initialWeights(const Config& config, unsigned seed);

}  // namespace levit
