#pragma once
// The names of facebookresearch/LeViT's levit.py (the official .pth files, {'model': state_dict}) onto
// Hugging Face's: patch_embed.{0,2,4,6} (Conv2d_BN .c/.bn), one flat `blocks` Sequential of Residual
// attention / Residual MLP / AttentionSubsample modules, and BN_Linear heads (.bn/.l).
#include <map>
#include <string>

#include "levit/tensor.h"

namespace levit {

std::map<std::string, Tensor> officialToHuggingFace(std::map<std::string, Tensor> weights, const std::string& source);

}  // namespace levit
