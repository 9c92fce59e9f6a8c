#pragma once
// The adversarial nudge (teaching extra of "Why this class?"): the smallest fast-gradient-sign step
// (Goodfellow et al. 2015) that changes the top-1 class of a head. The step moves every pixel by epsilon
// (in image intensity units, 1 = black to white, i.e. epsilon * 255 levels) against the sign of
// d (top-1 logit) / d pixel, clamped to the valid pixel range.
#include <span>
#include <vector>

#include "levit/explain.h"

namespace levit {

struct AdversarialNudge {
    bool found = false;             // false: no epsilon up to the maximum changed the class
    double epsilon = 0;             // intensity units; the smallest found (grid, then bisection)
    int original_class = 0, new_class = 0;
    double original_probability = 0, new_probability = 0;  // each class's probability under the head
    std::vector<float> perturbation;  // [C, S, S] normalised pixel values: nudged - original
    std::vector<float> nudged;        // [C, S, S] normalised pixel values
};

struct NudgeSearch {
    double max_epsilon = 0.25;  // 64 levels of 255
    int grid = 16;              // epsilons max * i / grid, all run as one batch
    int refinements = 10;       // bisection steps between the last unchanged and the first changed epsilon
};

AdversarialNudge smallestNudge(Explainer& explainer, std::span<const float> pixels, Head head, const NudgeSearch& search = {});

}  // namespace levit
