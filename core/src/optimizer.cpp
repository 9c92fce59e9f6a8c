#include "levit/optimizer.h"

#include <Eigen/Core>

#include <cmath>

#include "levit/error.h"

namespace levit {

double scheduledLearningRate(const OptimizerSettings& s, int step) {
    if (s.warmup_steps > 0 && step < s.warmup_steps) return s.learning_rate * double(step + 1) / double(s.warmup_steps);
    const int span = std::max(1, s.total_steps - s.warmup_steps);
    const double progress = std::min(1.0, double(step - s.warmup_steps) / double(span));
    return s.learning_rate * 0.5 * (1.0 + std::cos(M_PI * progress));
}

bool decaysWeight(const std::string& name, const Tensor& value) {
    if (value.shape.size() < 2) return false;  // biases and BatchNorm parameters
    return name.size() < 16 || name.compare(name.size() - 16, 16, "attention_biases") != 0;
}

Optimizer::Optimizer(OptimizerSettings settings, std::vector<std::string> names)
    : settings_(std::move(settings)), names_(std::move(names)) {
    if (settings_.kind != "adamw" && settings_.kind != "sgd")
        throw Error("unknown optimiser '" + settings_.kind + "' (expected adamw or sgd)");
    if (!(settings_.learning_rate > 0) || !std::isfinite(settings_.learning_rate))
        throw Error("the learning rate must be a positive number");
    if (!(settings_.weight_decay >= 0) || !(settings_.clip_norm >= 0)) throw Error("weight decay and clipping must not be negative");
}

double Optimizer::step(std::map<std::string, Tensor>& weights, const std::map<std::string, Tensor>& grads) {
    double norm2 = 0;
    for (const std::string& name : names_)
        for (float g : grads.at(name).values) norm2 += double(g) * g;
    const double norm = std::sqrt(norm2);
    const double clip = settings_.clip_norm > 0 && norm > settings_.clip_norm ? settings_.clip_norm / (norm + 1e-6) : 1.0;
    const double lr = scheduledLearningRate(settings_, step_);
    ++step_;
    const bool adam = settings_.kind == "adamw";
    const double b1 = settings_.beta1, b2 = settings_.beta2;
    const double correction1 = 1.0 - std::pow(b1, step_), correction2 = 1.0 - std::pow(b2, step_);
    for (const std::string& name : names_) {
        Tensor& w = weights.at(name);
        const std::vector<float>& g = grads.at(name).values;
        if (g.size() != w.values.size()) throw Error("gradient of " + name + " has the wrong size");
        std::vector<float>& m = first_[name];
        if (m.empty()) m.assign(w.values.size(), 0.0f);
        const double decay = decaysWeight(name, w) ? settings_.weight_decay : 0.0;
        // Float arithmetic as torch's AdamW and SGD use, in vectorised Eigen array expressions.
        using Array = Eigen::Map<Eigen::ArrayXf>;
        using ConstArray = Eigen::Map<const Eigen::ArrayXf>;
        const Eigen::Index n = Eigen::Index(w.values.size());
        Array weight(w.values.data(), n), first(m.data(), n);
        const ConstArray grad(g.data(), n);
        const float clip_f = float(clip), lr_f = float(lr);
        if (adam) {
            std::vector<float>& v = second_[name];
            if (v.empty()) v.assign(w.values.size(), 0.0f);
            Array second(v.data(), n);
            const float b1_f = float(b1), b2_f = float(b2), c1 = float(correction1), c2 = float(correction2);
            first = b1_f * first + (1.0f - b1_f) * (grad * clip_f);
            second = b2_f * second + (1.0f - b2_f) * (grad * clip_f).square();
            weight = weight * float(1.0 - lr * decay) - lr_f * (first / c1) / ((second / c2).sqrt() + float(settings_.epsilon));
        } else {
            first = float(settings_.momentum) * first + (grad * clip_f + float(decay) * weight);
            weight -= lr_f * first;
        }
    }
    return norm;
}

}  // namespace levit
