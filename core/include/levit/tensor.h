#pragma once
// A dense float32 tensor in C (row-major) order: the currency between file readers and the model.
#include <cstdint>
#include <string>
#include <vector>

namespace levit {

struct Tensor {
    std::vector<int64_t> shape;
    std::vector<float> values;

    int64_t numel() const {
        int64_t n = 1;
        for (int64_t d : shape) n *= d;
        return n;
    }
};

// "[2, 3, 4]" — for error messages.
std::string shapeToString(const std::vector<int64_t>& shape);

}  // namespace levit
