// Layout detection: each published layout has a name no other one uses for the first convolution.
#include "weight_layout.h"

#include "layout_helpers.h"
#include "layout_official.h"
#include "layout_timm.h"
#include "levit/error.h"
#include "printable.h"

namespace levit {

const char* weightLayoutName(WeightLayout layout) {
    switch (layout) {
        case WeightLayout::HuggingFace: return "Hugging Face";
        case WeightLayout::Timm: return "timm";
        case WeightLayout::Official: return "facebookresearch/LeViT";
    }
    return "?";
}

namespace {

std::map<std::string, Tensor> checkHuggingFace(std::map<std::string, Tensor> weights, const std::string& source) {
    std::vector<std::string> unexpected;
    for (auto it = weights.begin(); it != weights.end();) {
        const std::string& name = it->first;
        if (isIgnoredBuffer(name)) {
            it = weights.erase(it);
            continue;
        }
        if (name.rfind("levit.", 0) != 0 && name.rfind("classifier.", 0) != 0 && name.rfind("classifier_distill.", 0) != 0)
            unexpected.push_back(name);
        ++it;
    }
    throwIfUnexpected(unexpected, "Hugging Face", source);
    return weights;
}

}  // namespace

MappedWeights toHuggingFaceLayout(std::map<std::string, Tensor> weights, const std::string& source) {
    for (const auto& [name, t] : weights)
        if (name.size() > kMaxTensorNameBytes)
            throw Error(source + ": tensor name of " + std::to_string(name.size()) + " bytes is too long (at most " +
                        std::to_string(kMaxTensorNameBytes) + "): '" + printable(name) + "'");
    bool all_prefixed = !weights.empty();
    for (const auto& [name, t] : weights) all_prefixed = all_prefixed && name.rfind("module.", 0) == 0;
    if (all_prefixed) {
        std::map<std::string, Tensor> stripped;
        for (auto& [name, t] : weights) stripped.emplace(name.substr(7), std::move(t));
        weights = std::move(stripped);
    }
    MappedWeights out;
    if (weights.count("levit.patch_embeddings.embedding_layer_1.convolution.weight")) {
        out.layout = WeightLayout::HuggingFace;
        out.weights = checkHuggingFace(std::move(weights), source);
    } else if (weights.count("stem.conv1.linear.weight")) {
        out.layout = WeightLayout::Timm;
        out.weights = timmToHuggingFace(std::move(weights), source);
    } else if (weights.count("patch_embed.0.c.weight")) {
        out.layout = WeightLayout::Official;
        out.weights = officialToHuggingFace(std::move(weights), source);
    } else {
        std::vector<std::string> names;
        for (const auto& [name, t] : weights) names.push_back(name);
        std::string list;
        for (size_t i = 0; i < names.size() && i < 4; ++i) list += (i ? ", '" : "'") + printable(names[i]) + "'";
        if (names.size() > 4) list += ", ...";
        throw Error(source + ": not a LeViT checkpoint in a known layout (Hugging Face, timm or facebookresearch/LeViT): "
                    "no patch-embedding convolution; unexpected tensor" + (names.size() > 1 ? "s " : " ") + list +
                    " (" + std::to_string(names.size()) + " in all)");
    }
    // A checkpoint without a distillation head (HF LevitForImageClassification, timm/LeViT with
    // distillation=False): using the one classifier twice makes the averaged output exactly its logits.
    if (!out.weights.count("classifier_distill.linear.weight") && out.weights.count("classifier.linear.weight")) {
        std::map<std::string, Tensor> copies;
        for (const auto& [name, t] : out.weights)
            if (name.rfind("classifier.", 0) == 0) copies.emplace("classifier_distill." + name.substr(11), t);
        out.weights.merge(copies);
        out.single_head = true;
    }
    return out;
}

}  // namespace levit
