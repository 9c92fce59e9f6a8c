#include "levit/classify.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace levit {

std::vector<float> softmax(const float* logits, int n) {
    std::vector<float> p(n);
    if (n <= 0) return p;
    const float peak = *std::max_element(logits, logits + n);
    double sum = 0;
    for (int i = 0; i < n; ++i) sum += p[i] = std::exp(logits[i] - peak);
    for (float& v : p) v = static_cast<float>(v / sum);
    return p;
}

std::vector<Prediction> topK(const float* logits, int n, int k, const std::vector<std::string>& labels) {
    const std::vector<float> p = softmax(logits, n);
    std::vector<int> order(n);
    std::iota(order.begin(), order.end(), 0);
    k = std::clamp(k, 0, n);
    std::partial_sort(order.begin(), order.begin() + k, order.end(),
                      [&](int a, int b) { return p[a] > p[b] || (p[a] == p[b] && a < b); });
    std::vector<Prediction> out;
    for (int i = 0; i < k; ++i) {
        const int index = order[i];
        out.push_back({index, index < static_cast<int>(labels.size()) ? labels[index] : "LABEL_" + std::to_string(index),
                       p[index], logits[index]});
    }
    return out;
}

}  // namespace levit
