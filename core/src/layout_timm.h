#pragma once
// timm's LeViT names (levit_128s ... levit_384, timm >= 0.6: stem.convN, stages.S.blocks.B,
// stages.S.downsample, head/head_dist) onto Hugging Face's. The levit_conv_* variants store 1x1
// convolutions, reshaped here to the linear weights they equal.
#include <map>
#include <string>

#include "levit/tensor.h"

namespace levit {

std::map<std::string, Tensor> timmToHuggingFace(std::map<std::string, Tensor> weights, const std::string& source);

}  // namespace levit
