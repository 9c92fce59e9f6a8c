#pragma once
// Faithfulness of an attribution map: RISE's deletion and insertion metrics (Petsiuk et al. 2018). Pixels
// are ranked by the map (largest first; ties by position); in `steps` equal steps, deletion replaces them
// with 0 (the normalised dataset mean), insertion copies them from the image into a blurred copy of it.
// Each curve is the class probability of the chosen head (softmax of its logits; the mean head: of the mean
// logits) after 0, 1/steps, ..., 1 of the pixels, all steps run as batches; the AUC is the trapezoid area
// over [0, 1]. Deletion: lower is better; insertion: higher is better.
#include <span>
#include <vector>

#include "levit/explain.h"

namespace levit {

struct FaithfulnessCurves {
    std::vector<double> deletion, insertion;  // steps + 1 probabilities
    double deletion_auc = 0, insertion_auc = 0;
};

// The pixel order (indices into the S x S plane) by decreasing importance.
std::vector<int> importanceOrder(const SquareMap& map);
// The images of one curve: step i (0..steps) takes the first round(i * S * S / steps) pixels of `order`
// from `source` into `canvas` (all channels). [steps + 1, C, S, S].
std::vector<float> curveImages(std::span<const float> canvas, std::span<const float> source, const std::vector<int>& order,
                               int channels, int steps);
// Trapezoid area of values at equally spaced points of [0, 1].
double areaUnderCurve(const std::vector<double>& values);

FaithfulnessCurves measureFaithfulness(Explainer& explainer, std::span<const float> pixels, const SquareMap& map,
                                       const ExplainOptions& options, int steps = 16);
// A map of independent uniform values (seeded): the baseline every method must beat.
SquareMap randomMap(int side, unsigned seed);

}  // namespace levit
