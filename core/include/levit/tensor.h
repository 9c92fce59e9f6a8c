#pragma once
// A dense float32 tensor in C (row-major) order: the currency between file readers and the model.
#include <cstdint>
#include <string>
#include <vector>

namespace levit {

struct Tensor {
    std::vector<int64_t> shape;
    std::vector<float> values;

    // The product of the dimensions; 0 when any is 0. Throws levit::Error for a negative dimension or a
    // product beyond int64 (shapes come from files; the readers refuse such shapes first).
    int64_t numel() const;
};

// "[2, 3, 4]" — for error messages.
std::string shapeToString(const std::vector<int64_t>& shape);

}  // namespace levit
