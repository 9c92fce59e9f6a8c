#pragma once
// The 1000 ImageNet-1k class names ("tench", "goldfish", ...) in class-index order. The engine uses them when a
// 1000-class checkpoint comes without id2label (timm and facebookresearch/LeViT files, lone weight files); the
// window offers them for a config whose id2label holds only generic names (Config::hasGenericLabels).
#include <string>
#include <vector>

namespace levit {

const std::vector<std::string>& imagenet1kLabels();

}  // namespace levit
