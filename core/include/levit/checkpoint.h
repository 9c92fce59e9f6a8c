#pragma once
// Finds and loads a model: a folder with config.json (+ optional preprocessor_config.json) and weights,
// or a single weights file whose config is inferred from the tensor shapes. Maps the parameter names of
// every supported layout onto Hugging Face's names.
#include <map>
#include <memory>
#include <string>

#include "levit/config.h"
#include "levit/model.h"
#include "levit/tensor.h"

namespace levit {

struct LoadedCheckpoint {
    Config config;
    std::map<std::string, Tensor> weights;  // Hugging Face names, float32
    std::string weights_path;
    std::string description;  // e.g. "Hugging Face safetensors, config.json"
};

// Reads config + weights from `path` (folder or .safetensors file). Throws levit::Error.
LoadedCheckpoint loadCheckpoint(const std::string& path);
// Infers a LevitConfig from HF-named tensor shapes (variant, stages, heads, key dims, labels count).
Config inferConfigFromWeights(const std::map<std::string, Tensor>& weights, const std::string& source);
// loadCheckpoint + Model construction.
std::shared_ptr<const Model> loadModel(const std::string& path);

}  // namespace levit
