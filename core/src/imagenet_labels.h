#pragma once
// The 1000 ImageNet-1k class names ("tench", "goldfish", ...), used when a 1000-class checkpoint comes
// without id2label (timm and facebookresearch/LeViT files, lone weight files).
#include <string>
#include <vector>

namespace levit {

const std::vector<std::string>& imagenet1kLabels();

}  // namespace levit
