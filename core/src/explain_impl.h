#pragma once
// Explainer's state: the gradient engine (unfolded weights, backward pass) and a Session on the folded
// model of the same weights (batched forward passes).
#include <memory>
#include <vector>

#include "levit/explain.h"
#include "thread_pool.h"

namespace levit {

struct Explainer::Impl {
    // With threads > 1: one more engine per extra thread, so the backward passes of many images (integrated
    // gradients' steps) run side by side, each engine on its own images.
    std::vector<std::unique_ptr<GradientEngine>> helpers;
    GradientEngine engine;
    std::shared_ptr<const Model> model;
    Session session;
    std::unique_ptr<detail::ThreadPool> pool;
    Impl(const Config& config, std::map<std::string, Tensor> weights, const std::string& source, int threads)
        : helpers(makeHelpers(config, weights, source, threads)),
          engine(config, std::move(weights), source),
          model(engine.toModel()),
          session(model, threads),
          pool(threads > 1 ? std::make_unique<detail::ThreadPool>(threads) : nullptr) {}
    int engines() const { return int(helpers.size()) + 1; }
    GradientEngine& engineAt(int i) { return i == 0 ? engine : *helpers[size_t(i - 1)]; }

private:
    static std::vector<std::unique_ptr<GradientEngine>> makeHelpers(const Config& config, const std::map<std::string, Tensor>& weights,
                                                                    const std::string& source, int threads) {
        std::vector<std::unique_ptr<GradientEngine>> out;
        for (int t = 1; t < threads; ++t) out.push_back(std::make_unique<GradientEngine>(config, weights, source));
        return out;
    }
};

}  // namespace levit
