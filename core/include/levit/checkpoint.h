#pragma once
// Finds and loads a model without Python:
//  - a folder: config.json (Hugging Face LevitConfig, or timm's {"architecture", "num_classes", "label_names"})
//    + weights (model.safetensors preferred over pytorch_model.bin, else the folder's one weights file)
//    + optional preprocessor_config.json;
//  - a single weights file (.safetensors, or .bin/.pth/.pt written by torch.save >= 1.6, read by our own
//    restricted unpickler that never imports or calls anything); without an HF config.json next to it the
//    config is inferred from the tensor shapes, and 1000-class models get the ImageNet-1k class names.
// Parameter names may be Hugging Face's, timm's (levit_128s ... levit_384, levit_conv_*) or those of
// facebookresearch/LeViT ({'model': state_dict}); the layout is detected and mapped onto Hugging Face's.
// attention_bias_idxs and num_batches_tracked buffers are ignored. A checkpoint with a single classifier
// (no distillation head) uses it for both heads, so the averaged logits are that classifier's.
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
    std::string layout;       // parameter names in the file: "Hugging Face", "timm" or "facebookresearch/LeViT"
    std::string description;  // e.g. "timm safetensors timm_model.safetensors, config inferred from tensor shapes"
    // The file has one classifier (LevitForImageClassification): its weights also stand in for the
    // distillation head, so the averaged logits are that classifier's.
    bool single_head = false;
};

// Reads config + weights from `path` (folder or weights file). Throws levit::Error naming the file and the problem.
LoadedCheckpoint loadCheckpoint(const std::string& path);
// The floating-point tensors of one weights file (any supported format and layout), renamed to Hugging
// Face's names; no config needed. Throws levit::Error.
std::map<std::string, Tensor> loadWeightsFile(const std::string& path);
// Infers a LevitConfig from HF-named tensor shapes (variant, stages, heads, key dims, image size, strides,
// labels: ImageNet-1k names for 1000 classes, LABEL_i otherwise).
Config inferConfigFromWeights(const std::map<std::string, Tensor>& weights, const std::string& source);
// loadCheckpoint + Model construction.
std::shared_ptr<const Model> loadModel(const std::string& path);

}  // namespace levit
