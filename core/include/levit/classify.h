#pragma once
// Softmax and top-k over logits rows.
#include <string>
#include <vector>

namespace levit {

struct Prediction {
    int index = 0;
    std::string label;
    float probability = 0;
    float logit = 0;
};

std::vector<float> softmax(const float* logits, int n);
// Highest k probabilities of one row, best first; ties by lower index.
std::vector<Prediction> topK(const float* logits, int n, int k, const std::vector<std::string>& labels);

}  // namespace levit
