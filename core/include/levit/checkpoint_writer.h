#pragma once
// Writes a model folder that Hugging Face transformers loads with from_pretrained (and LeViT Lens too):
// config.json (architectures, id2label/label2id, every LevitConfig field), model.safetensors (parameters,
// BatchNorm statistics and num_batches_tracked, as the state dict holds them), preprocessor_config.json,
// plus any extra files. Everything is written into a temporary sibling folder and renamed into place, so an
// interrupted or failed write never leaves a half-written folder.
#include <map>
#include <string>

#include "levit/config.h"
#include "levit/tensor.h"

namespace levit {

// `weights`: HF-named tensors (parameters and BatchNorm running statistics). With `single_head` the model is
// saved as LevitForImageClassification: only `classifier.*`, no distillation head. Refuses, naming it, a
// `dir` that already exists. Throws levit::Error.
void writeHuggingFaceModel(const std::string& dir, const Config& config, const std::map<std::string, Tensor>& weights,
                           bool single_head, const std::map<std::string, std::string>& extra_files = {});

// preprocessor_config.json for these settings, as LevitImageProcessor writes it.
std::string preprocessorJson(const PreprocessConfig& processor);

}  // namespace levit
