#pragma once
// The parameter-name layouts LeViT checkpoints are published in, detected from the names and mapped onto
// Hugging Face's (the names Model reads). Each foreign layout has its own file: layout_timm.cpp,
// layout_official.cpp.
#include <map>
#include <string>
#include <vector>

#include "levit/tensor.h"

namespace levit {

enum class WeightLayout { HuggingFace, Timm, Official };

// "Hugging Face", "timm", "facebookresearch/LeViT".
const char* weightLayoutName(WeightLayout layout);

struct MappedWeights {
    std::map<std::string, Tensor> weights;  // Hugging Face names
    WeightLayout layout = WeightLayout::HuggingFace;
    // The checkpoint had a single classifier (no distillation head); it also serves as the distillation head,
    // so the averaged logits equal that classifier's.
    bool single_head = false;
};

// Detects the layout (a DataParallel "module." prefix on every name is dropped first) and renames. Throws
// levit::Error naming `source` and a few names that fit no layout, or that do not fit the detected one.
MappedWeights toHuggingFaceLayout(std::map<std::string, Tensor> weights, const std::string& source);

}  // namespace levit
