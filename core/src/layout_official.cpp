// levit.py numbers its blocks in one flat Sequential; Hugging Face numbers layers per stage. Walking the
// blocks in order recovers the stages: a subsample (and the MLP right after it) ends a stage, and the next
// attention block starts a new one — the same order in which both implementations build the network.
#include "layout_official.h"

#include <optional>
#include <regex>
#include <vector>

#include "levit/error.h"
#include "layout_helpers.h"
#include "levit/model.h"

namespace levit {

namespace {

std::string normName(const std::string& part) { return part == "bn" ? "batch_norm" : "linear"; }

}  // namespace

std::map<std::string, Tensor> officialToHuggingFace(std::map<std::string, Tensor> weights, const std::string& source) {
    static const std::regex patch(R"(^patch_embed\.(0|2|4|6)\.(c|bn)\.(\w+)$)");
    static const std::regex block(R"(^blocks\.(\d+)\.(.+)$)");
    static const std::regex attn(R"(^m\.(qkv|proj\.1)\.(c|bn)\.(\w+)$)");
    static const std::regex mlp(R"(^m\.(0|2)\.(c|bn)\.(\w+)$)");
    static const std::regex sub(R"(^(q\.1|kv|proj\.1)\.(c|bn)\.(\w+)$)");
    static const std::regex head(R"(^(head|head_dist)\.(bn|l)\.(\w+)$)");

    // Kind of each block, from the tensors it owns (none: not a block this layout knows).
    std::map<int, std::optional<BlockKind>> kinds;
    for (const auto& [name, t] : weights) {
        std::smatch m;
        if (!std::regex_match(name, m, block)) continue;
        std::optional<BlockKind>& k = kinds.emplace(layoutIndex(m[1], name, source), std::nullopt).first->second;
        const std::string rest = m[2];
        if (rest == "m.qkv.c.weight") k = BlockKind::Attention;
        else if (rest == "m.0.c.weight") k = BlockKind::Mlp;
        else if (rest == "kv.c.weight") k = BlockKind::AttentionSubsample;
    }
    // Hugging Face position "levit.encoder.stages.S.layers.L." of each block.
    std::map<int, std::string> position;
    int stage = 0, layer = 0;
    bool after_subsample = false;
    for (const auto& [index, kind] : kinds) {
        if (!kind) continue;
        if (kind == BlockKind::Attention && after_subsample) {
            ++stage;
            layer = 0;
            after_subsample = false;
        }
        if (kind == BlockKind::AttentionSubsample) after_subsample = true;
        position[index] = "levit.encoder.stages." + std::to_string(stage) + ".layers." + std::to_string(layer++) + ".";
    }

    std::map<std::string, Tensor> out;
    std::vector<std::string> unexpected;
    for (auto& [name, tensor] : weights) {
        if (isIgnoredBuffer(name)) continue;
        std::smatch m, r;
        std::string hf;
        if (std::regex_match(name, m, patch)) {
            const int layer_index = layoutIndex(m[1], name, source) / 2 + 1;
            hf = "levit.patch_embeddings.embedding_layer_" + std::to_string(layer_index) + "." +
                 (m[2] == "bn" ? "batch_norm" : "convolution") + "." + m[3].str();
        } else if (std::regex_match(name, m, block) && position.count(layoutIndex(m[1], name, source))) {
            const int index = layoutIndex(m[1], name, source);
            const std::string& at = position[index];
            const std::string rest = m[2];
            switch (*kinds[index]) {
                case BlockKind::Attention:
                    if (rest == "m.attention_biases") hf = at + "module.attention_biases";
                    else if (std::regex_match(rest, r, attn))
                        hf = at + "module." + (r[1] == "qkv" ? "queries_keys_values" : "projection") + "." +
                             normName(r[2]) + "." + r[3].str();
                    break;
                case BlockKind::Mlp:
                    if (std::regex_match(rest, r, mlp))
                        hf = at + "module." + (r[1] == "0" ? "linear_up" : "linear_down") + "." + normName(r[2]) + "." +
                             r[3].str();
                    break;
                case BlockKind::AttentionSubsample:
                    if (rest == "attention_biases") hf = at + "attention_biases";
                    else if (std::regex_match(rest, r, sub))
                        hf = at + (r[1] == "q.1" ? "queries" : r[1] == "kv" ? "keys_values" : "projection") + "." +
                             normName(r[2]) + "." + r[3].str();
                    break;
            }
        } else if (std::regex_match(name, m, head)) {
            hf = std::string(m[1] == "head" ? "classifier." : "classifier_distill.") + normName(m[2]) + "." + m[3].str();
        }
        if (hf.empty()) {
            unexpected.push_back(name);
            continue;
        }
        out.emplace(std::move(hf), std::move(tensor));
    }
    throwIfUnexpected(unexpected, "facebookresearch/LeViT", source);
    return out;
}

}  // namespace levit
