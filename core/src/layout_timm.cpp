// timm puts each subsample at the start of the stage it produces (stages.S.downsample), Hugging Face at
// the end of the stage it consumes (stages.S-1.layers.2*depth), so the depths of the stages are counted
// first. Within a stage, block B's attention and MLP are Hugging Face layers 2B and 2B+1.
#include "layout_timm.h"

#include <algorithm>
#include <regex>
#include <vector>

#include "levit/error.h"
#include "layout_helpers.h"

namespace levit {

namespace {

std::string normName(const std::string& timm_part) { return timm_part == "bn" ? "batch_norm" : "linear"; }

}  // namespace

std::map<std::string, Tensor> timmToHuggingFace(std::map<std::string, Tensor> weights, const std::string& source) {
    static const std::regex stem(R"(^stem\.conv(\d)\.(linear|bn)\.(\w+)$)");
    static const std::regex block(R"(^stages\.(\d+)\.blocks\.(\d+)\.(.+)$)");
    static const std::regex downsample(R"(^stages\.(\d+)\.downsample\.(.+)$)");
    static const std::regex attn(R"(^attn\.(qkv|proj\.ln)\.(linear|bn)\.(\w+)$)");
    static const std::regex mlp(R"(^mlp\.(ln1|ln2)\.(linear|bn)\.(\w+)$)");
    static const std::regex sub(R"(^attn_downsample\.(q\.ln|kv|proj\.ln)\.(linear|bn)\.(\w+)$)");
    static const std::regex head(R"(^(head|head_dist)\.(bn|linear)\.(\w+)$)");

    std::map<int, int> depth;  // stage -> number of blocks
    for (const auto& [name, t] : weights) {
        std::smatch m;
        if (std::regex_match(name, m, block)) {
            int& d = depth[layoutIndex(m[1], name, source)];
            d = std::max(d, layoutIndex(m[2], name, source) + 1);
        }
    }
    std::map<std::string, Tensor> out;
    std::vector<std::string> unexpected;
    for (auto& [name, tensor] : weights) {
        if (isIgnoredBuffer(name)) continue;
        std::smatch m, r;
        std::string hf;
        bool linear_weight = false;  // 1x1 convolution weights of levit_conv_* become [out, in]
        if (std::regex_match(name, m, stem)) {
            hf = "levit.patch_embeddings.embedding_layer_" + m[1].str() + "." +
                 (m[2] == "bn" ? "batch_norm" : "convolution") + "." + m[3].str();
        } else if (std::regex_match(name, m, block)) {
            const std::string layers = "levit.encoder.stages." + m[1].str() + ".layers.";
            const int b = layoutIndex(m[2], name, source);
            const std::string rest = m[3];
            if (rest == "attn.attention_biases") {
                hf = layers + std::to_string(2 * b) + ".module.attention_biases";
            } else if (std::regex_match(rest, r, attn)) {
                hf = layers + std::to_string(2 * b) + ".module." +
                     (r[1] == "qkv" ? "queries_keys_values" : "projection") + "." + normName(r[2]) + "." + r[3].str();
                linear_weight = r[2] == "linear";
            } else if (std::regex_match(rest, r, mlp)) {
                hf = layers + std::to_string(2 * b + 1) + ".module." + (r[1] == "ln1" ? "linear_up" : "linear_down") +
                     "." + normName(r[2]) + "." + r[3].str();
                linear_weight = r[2] == "linear";
            }
        } else if (std::regex_match(name, m, downsample) && layoutIndex(m[1], name, source) > 0 && depth.count(layoutIndex(m[1], name, source) - 1)) {
            const int s = layoutIndex(m[1], name, source) - 1;
            const std::string layers = "levit.encoder.stages." + std::to_string(s) + ".layers.";
            const int first = 2 * depth[s];
            const std::string rest = m[2];
            if (rest == "attn_downsample.attention_biases") {
                hf = layers + std::to_string(first) + ".attention_biases";
            } else if (std::regex_match(rest, r, sub)) {
                const std::string part = r[1] == "q.ln" ? "queries" : r[1] == "kv" ? "keys_values" : "projection";
                hf = layers + std::to_string(first) + "." + part + "." + normName(r[2]) + "." + r[3].str();
                linear_weight = r[2] == "linear";
            } else if (std::regex_match(rest, r, mlp)) {
                hf = layers + std::to_string(first + 1) + ".module." + (r[1] == "ln1" ? "linear_up" : "linear_down") +
                     "." + normName(r[2]) + "." + r[3].str();
                linear_weight = r[2] == "linear";
            }
        } else if (std::regex_match(name, m, head)) {
            hf = std::string(m[1] == "head" ? "classifier." : "classifier_distill.") + normName(m[2]) + "." + m[3].str();
        }
        if (hf.empty()) {
            unexpected.push_back(name);
            continue;
        }
        if (linear_weight && tensor.shape.size() == 4 && tensor.shape[2] == 1 && tensor.shape[3] == 1)
            tensor.shape.resize(2);
        out.emplace(std::move(hf), std::move(tensor));
    }
    throwIfUnexpected(unexpected, "timm", source);
    return out;
}

}  // namespace levit
