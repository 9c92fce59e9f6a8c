#pragma once
// Explainer's state: the gradient engine (unfolded weights, backward pass) and a Session on the folded
// model of the same weights (batched forward passes).
#include <memory>

#include "levit/explain.h"

namespace levit {

struct Explainer::Impl {
    GradientEngine engine;
    std::shared_ptr<const Model> model;
    Session session;
    Impl(const Config& config, std::map<std::string, Tensor> weights, const std::string& source, int threads)
        : engine(config, std::move(weights), source), model(engine.toModel()), session(model, threads) {}
};

}  // namespace levit
