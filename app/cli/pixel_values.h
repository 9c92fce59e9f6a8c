#pragma once
// Ready model inputs from .npy files for `classify --pixel-values` and `grad`: checked against the model.
#include <string>
#include <vector>

#include "levit/config.h"

namespace levit::cli {

// Reads [N, C, S, S] float32 and checks it against the model's input size (N from 1 to Session::kMaxBatch).
std::vector<float> readPixelValues(const std::string& path, const Config& config, int& batch);
// Reads [N] integer class indices (int64/int32/uint8), each in [0, classes). Throws levit::Error naming the file.
std::vector<int> readLabels(const std::string& path, int expected_count, int classes);

}  // namespace levit::cli
