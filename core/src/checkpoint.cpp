// Finding a model on disk: a folder (config.json, optional preprocessor_config.json, weights) or a
// single weights file whose config is inferred from the tensor shapes.
#include "levit/checkpoint.h"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <new>
#include <set>
#include <stdexcept>
#include <string_view>

#include <nlohmann/json.hpp>

#include "checkpoint_shards.h"
#include "imagenet_labels.h"
#include "json_input.h"
#include "levit/error.h"
#include "levit/preprocess.h"
#include "levit/safetensors.h"
#include "printable.h"
#include "torch_checkpoint.h"
#include "weight_layout.h"

namespace levit {

namespace fs = std::filesystem;

namespace {

// Dimensions read from tensor shapes to infer a config: far above any LeViT (widths up to a few thousand,
// 21,841 ImageNet-21k classes, 4,096 attention offsets at image_size 1024), and small enough that products
// of two of them cannot overflow.
constexpr int64_t kMaxInferredDim = int64_t(1) << 20;

bool isTorchExtension(const std::string& ext) { return ext == ".bin" || ext == ".pth" || ext == ".pt"; }

// Files without a known extension (e.g. a blob in the Hugging Face cache) are recognised by their first
// bytes: "PK\3\4" for torch.save's ZIP, an 8-byte length followed by '{' for safetensors.
std::string sniffExtension(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    unsigned char head[9] = {};
    if (!in.read(reinterpret_cast<char*>(head), sizeof head)) return {};
    if (head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return ".pth";
    if (head[8] == '{') return ".safetensors";
    return {};
}

std::map<std::string, Tensor> readWeights(const std::string& path, std::string* format);

// The shards an index names, each read like a single weights file, merged.
std::map<std::string, Tensor> readShards(const std::string& index_path, std::string* format) {
    std::string shard_format;
    size_t shards = 0;
    auto weights = readShardedWeights(index_path, [&](const std::string& shard) {
        ++shards;
        return readWeights(shard, &shard_format);
    });
    *format = "sharded " + shard_format + " (" + std::to_string(shards) + " shards)";
    return weights;
}

// Weights as stored in the file (any layout), floating tensors only, plus a short name of the format. A
// shard index (model.safetensors.index.json, pytorch_model.bin.index.json) stands for all its shards.
std::map<std::string, Tensor> readWeights(const std::string& path, std::string* format) {
    if (isShardIndexFile(path)) return readShards(path, format);
    // Sniffing reads the first bytes: a FIFO would block it and /dev/zero has no end, so only regular files.
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (!fs::exists(status)) throw Error(path + ": no such file");
    if (!fs::is_regular_file(status)) throw Error(path + ": not a regular file");
    std::string ext = fs::path(path).extension().string();
    if (ext != ".safetensors" && !isTorchExtension(ext)) {
        const std::string sniffed = sniffExtension(path);
        if (sniffed.empty())
            throw Error(path + ": unknown weights format" + (ext.empty() ? std::string() : " '" + ext + "'") +
                        " (expected .safetensors, .bin, .pth or .pt)");
        ext = sniffed;
    }
    if (ext == ".safetensors") {
        auto file = SafeTensorsFile::open(path);
        auto weights = file->readAllFloating();
        if (weights.empty()) throw Error(path + ": holds no floating-point tensors");
        *format = "safetensors";
        return weights;
    }
    TorchCheckpoint ck = readTorchCheckpoint(path);
    *format = ck.wrapper_key.empty() ? "PyTorch checkpoint" : "PyTorch checkpoint ['" + ck.wrapper_key + "']";
    return std::move(ck.floating);
}

// timm's Hub config.json ({"architecture": "levit_128s", "num_classes": ..., "label_names": [...]}) is not
// a LevitConfig: it names the model and may carry labels, the rest is inferred from the weights.
bool isTimmConfig(const nlohmann::json& j) {
    return j.is_object() && j.contains("architecture") && !j.contains("hidden_sizes") && !j.contains("model_type");
}

void applyTimmConfig(const nlohmann::json& j, const std::string& source, Config& config, std::string& description) {
    if (j["architecture"].is_string()) description += " (timm " + j["architecture"].get<std::string>() + ")";
    if (j.contains("num_classes") && (!j["num_classes"].is_number_integer() || j["num_classes"].get<int64_t>() != config.numLabels()))
        throw Error(source + ": num_classes " + describeJson(j["num_classes"]) + " does not match the " +
                    std::to_string(config.numLabels()) + " classes of the weights");
    if (!j.contains("label_names")) return;
    const nlohmann::json& names = j["label_names"];
    if (!names.is_array() || names.size() != size_t(config.numLabels()))
        throw Error(source + ": label_names must be a list of " + std::to_string(config.numLabels()) + " strings");
    std::vector<std::string> labels;
    for (const auto& n : names) {
        if (!n.is_string()) throw Error(source + ": label_names must hold strings only");
        labels.push_back(n.get<std::string>());
    }
    config.id2label = std::move(labels);
    description += ", labels from config.json";
}

const Tensor& requireTensor(const std::map<std::string, Tensor>& w, const std::string& name, const std::string& source,
                            size_t rank) {
    auto it = w.find(name);
    if (it == w.end()) throw Error(source + ": cannot infer the config: tensor '" + name + "' is missing");
    if (it->second.shape.size() != rank)
        throw Error(source + ": cannot infer the config: tensor '" + name + "' has shape " +
                    shapeToString(it->second.shape));
    return it->second;
}

// One dimension of a tensor's shape as an int: shapes come from the file, so each one is checked to be
// positive and bounded before anything divides by it or sizes a vector with it.
int dim(const std::map<std::string, Tensor>& w, const std::string& name, size_t rank, size_t axis,
        const std::string& source) {
    const Tensor& t = requireTensor(w, name, source, rank);
    const int64_t d = t.shape[axis];
    if (d < 1 || d > kMaxInferredDim)
        throw Error(source + ": cannot infer the config: tensor '" + name + "' has shape " + shapeToString(t.shape) +
                    " (each dimension must be between 1 and " + std::to_string(kMaxInferredDim) + ")");
    return int(d);
}

// "levit.encoder.stages.<s>.layers.<l>.<rest>" -> s, l, rest. Indices beyond what a config may hold are an
// Error naming the tensor: they would otherwise size vectors (stage 1000000000).
bool splitLayerName(const std::string& name, int* stage, int* layer, std::string* rest, const std::string& source) {
    static constexpr std::string_view kStages = "levit.encoder.stages.", kLayers = ".layers.";
    std::string_view s(name);
    if (s.substr(0, kStages.size()) != kStages) return false;
    s.remove_prefix(kStages.size());
    auto number = [&](int max, const char* what, int* out) {
        size_t digits = 0;
        while (digits < s.size() && s[digits] >= '0' && s[digits] <= '9') ++digits;
        if (digits == 0) return false;
        unsigned long long v = 0;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + digits, v);
        if (ec != std::errc() || v > unsigned(max))
            throw Error(source + ": tensor '" + name + "' has " + what + " index " + std::string(s.substr(0, digits)) +
                        " (at most " + std::to_string(max) + ")");
        *out = int(v);
        s.remove_prefix(digits);
        return true;
    };
    if (!number(limits::kMaxStages - 1, "stage", stage)) return false;
    if (s.substr(0, kLayers.size()) != kLayers) return false;
    s.remove_prefix(kLayers.size());
    // Per stage: an attention and an MLP per block, then a subsample and its MLP.
    if (!number(2 * limits::kMaxStageDepth + 1, "layer", layer)) return false;
    if (s.empty() || s[0] != '.') return false;
    *rest = std::string(s.substr(1));
    return true;
}

int exactSqrt(int64_t n) {
    int r = 0;
    while (int64_t(r + 1) * (r + 1) <= n) ++r;
    return int64_t(r) * r == n ? r : -1;
}

}  // namespace

Config inferConfigFromWeights(const std::map<std::string, Tensor>& w, const std::string& source) {
    std::map<int, std::map<int, std::set<std::string>>> layers;  // stage -> layer -> rest of names
    for (const auto& [name, t] : w) {
        int stage = 0, layer = 0;
        std::string rest;
        if (splitLayerName(name, &stage, &layer, &rest, source)) layers[stage][layer].insert(std::move(rest));
    }
    if (layers.empty()) throw Error(source + ": cannot infer the config: no 'levit.encoder.stages.*' tensors");
    Config c;
    c.hidden_sizes.clear();
    const int stages = layers.rbegin()->first + 1;
    c.down_ops.assign(stages, std::nullopt);
    int first_grid_offsets = -1;
    std::vector<int> attention_offsets(stages, -1);  // offsets of the first plain attention in each stage
    for (int s = 0; s < stages; ++s) {
        const std::string prefix = "levit.encoder.stages." + std::to_string(s) + ".layers.";
        int depth = 0, heads = 0, key_dim = 0, ratio = 0, mlp = 0, hidden = 0;
        bool after_subsample = false;
        for (const auto& [l, names] : layers[s]) {
            const std::string p = prefix + std::to_string(l) + ".";
            if (names.count("module.queries_keys_values.linear.weight")) {
                const int h = dim(w, p + "module.attention_biases", 2, 0, source);
                const int offsets = dim(w, p + "module.attention_biases", 2, 1, source);
                const int qkv = dim(w, p + "module.queries_keys_values.linear.weight", 2, 0, source);
                hidden = dim(w, p + "module.queries_keys_values.linear.weight", 2, 1, source);
                const int vd = dim(w, p + "module.projection.linear.weight", 2, 1, source) / h;
                if (depth == 0) {
                    heads = h;
                    key_dim = (qkv / h - vd) / 2;
                    ratio = key_dim > 0 ? vd / key_dim : 0;
                    attention_offsets[s] = offsets;
                    if (first_grid_offsets < 0) first_grid_offsets = offsets;
                }
                ++depth;
            } else if (names.count("module.linear_up.linear.weight")) {
                const int up = dim(w, p + "module.linear_up.linear.weight", 2, 0, source);
                const int in = dim(w, p + "module.linear_up.linear.weight", 2, 1, source);
                if (after_subsample) c.down_ops[s]->mlp_ratio = up / in;
                else if (mlp == 0) mlp = up / in;
            } else if (names.count("keys_values.linear.weight")) {
                DownOp op;
                op.num_heads = dim(w, p + "attention_biases", 2, 0, source);
                op.key_dim = dim(w, p + "queries.linear.weight", 2, 0, source) / op.num_heads;
                const int vd = dim(w, p + "projection.linear.weight", 2, 1, source) / op.num_heads;
                op.attention_ratio = op.key_dim > 0 ? vd / op.key_dim : 0;
                op.mlp_ratio = 0;
                op.stride = 2;
                if (hidden == 0) hidden = dim(w, p + "keys_values.linear.weight", 2, 1, source);
                if (first_grid_offsets < 0) first_grid_offsets = dim(w, p + "attention_biases", 2, 1, source);
                c.down_ops[s] = op;
                after_subsample = true;
            }
        }
        if (hidden == 0) throw Error(source + ": cannot infer the config: stage " + std::to_string(s) + " has no attention");
        c.hidden_sizes.push_back(hidden);
        c.depths.push_back(depth);
        c.num_attention_heads.push_back(heads ? heads : c.down_ops[s] ? c.down_ops[s]->num_heads : 1);
        c.key_dim.push_back(key_dim ? key_dim : 16);
        c.attention_ratio.push_back(ratio ? ratio : 2);
        c.mlp_ratio.push_back(mlp);
    }
    const int r0 = exactSqrt(first_grid_offsets);
    if (r0 <= 0) throw Error(source + ": cannot infer the image size from the attention-bias tables");
    c.image_size = 16 * r0;
    // Strides: the next stage's grid tells how much a subsample shrank it.
    int r = r0;
    for (int s = 0; s < stages; ++s) {
        if (!c.down_ops[s]) continue;
        const int next = s + 1 < stages && attention_offsets[s + 1] > 0 ? exactSqrt(attention_offsets[s + 1]) : -1;
        for (int stride = 1; next > 0 && stride <= r; ++stride)
            if ((r - 1) / stride + 1 == next) {
                c.down_ops[s]->stride = stride;
                break;
            }
        r = (r - 1) / c.down_ops[s]->stride + 1;
    }
    const int num_labels = dim(w, "classifier.linear.weight", 2, 0, source);
    if (num_labels > limits::kMaxLabels)
        throw Error(source + ": the classifier has " + std::to_string(num_labels) + " classes (at most " +
                    std::to_string(limits::kMaxLabels) + ")");
    c.id2label = num_labels == 1000 ? imagenet1kLabels() : Config::defaultLabels(num_labels);
    c.preprocess.shortest_edge = c.preprocess.crop_height = c.preprocess.crop_width = c.image_size;
    c.name = "custom";
    for (const char* variant : {"128S", "128", "192", "256", "384"}) {
        const Config p = Config::preset(variant, c.numLabels());
        if (p.hidden_sizes == c.hidden_sizes && p.depths == c.depths && p.num_attention_heads == c.num_attention_heads &&
            p.key_dim == c.key_dim && p.image_size == c.image_size)
            c.name = p.name;
    }
    c.validate(source + " (inferred config)");
    return c;
}

namespace {

// The readers check every size against the file before allocating, so running out of memory here means a
// genuinely large checkpoint: the message still names the file instead of a bare "std::bad_alloc".
template <typename F>
auto namingTheFileOnExhaustion(const std::string& path, F&& load) {
    try {
        return load();
    } catch (const std::bad_alloc&) {
        throw Error(path + ": not enough memory to load this checkpoint");
    } catch (const std::length_error&) {
        throw Error(path + ": a size in this checkpoint is too large to allocate");
    }
}

}  // namespace

std::map<std::string, Tensor> loadWeightsFile(const std::string& path) {
    return namingTheFileOnExhaustion(path, [&] {
        std::string format;
        return toHuggingFaceLayout(readWeights(path, &format), path).weights;
    });
}

namespace {

// The weights file of a model folder, in transformers' order of preference: model.safetensors, its shard
// index, pytorch_model.bin, its shard index; else the folder's only .safetensors/.bin/.pth/.pt file.
std::string weightsInFolder(const fs::path& folder) {
    for (const char* name : {"model.safetensors", "model.safetensors.index.json", "pytorch_model.bin", "pytorch_model.bin.index.json"}) {
        const fs::path path = folder / name;
        std::error_code missing, ec;
        if (fs::exists(path, missing)) return path.string();
        // A dangling link (a Hub snapshot whose blob was deleted) is named, not reported as a missing file.
        if (fs::is_symlink(fs::symlink_status(path, ec)))
            throw Error(path.string() + ": a symbolic link to '" + printable(fs::read_symlink(path, ec).string()) +
                        "', which " + (missing ? "cannot be opened (" + missing.message() + ")" : std::string("does not exist")));
    }
    std::vector<std::string> candidates;
    for (const auto& entry : fs::directory_iterator(folder)) {
        const std::string ext = entry.path().extension().string();
        if (entry.is_regular_file() && (ext == ".safetensors" || isTorchExtension(ext)))
            candidates.push_back(entry.path().string());
    }
    if (candidates.size() == 1) return candidates.front();
    if (candidates.empty())
        throw Error(folder.string() + ": no model.safetensors or pytorch_model.bin in this folder (nor a single "
                                      ".safetensors/.bin/.pth/.pt file)");
    throw Error(folder.string() + ": " + std::to_string(candidates.size()) +
                " weight files and none named model.safetensors or pytorch_model.bin; open one of them directly");
}

}  // namespace

namespace {

LoadedCheckpoint loadCheckpointFrom(const std::string& path) {
    const fs::path p(path);
    std::error_code ec;
    if (!fs::exists(p, ec)) throw Error(path + ": no such file or directory");
    LoadedCheckpoint ck;
    fs::path folder;
    if (fs::is_directory(p)) {
        folder = p;
        ck.weights_path = weightsInFolder(p);
    } else {
        folder = p.parent_path().empty() ? fs::path(".") : p.parent_path();
        ck.weights_path = path;
    }
    std::string format;
    MappedWeights mapped = toHuggingFaceLayout(readWeights(ck.weights_path, &format), ck.weights_path);
    ck.weights = std::move(mapped.weights);
    ck.layout = weightLayoutName(mapped.layout);
    const std::string file = fs::path(ck.weights_path).filename().string();
    ck.description = ck.layout + " " + format + " " + file;
    ck.single_head = mapped.single_head;
    if (mapped.single_head) ck.description += " (one classifier, no distillation head)";

    const fs::path config_path = folder / "config.json";
    nlohmann::json config_json;
    std::string config_text;
    if (fs::exists(config_path)) {
        config_text = readTextFileBounded(config_path.string(), kMaxJsonFileBytes, "config file");
        config_json = parseJsonBounded(config_text, config_path.string());
    }
    if (!config_json.is_null() && !isTimmConfig(config_json)) {
        ck.config = Config::fromJson(config_text, config_path.string());
        ck.description += ", config.json";
        if (ck.config.name.empty()) ck.config.name = fs::absolute(folder).lexically_normal().filename().string();
    } else {
        ck.config = inferConfigFromWeights(ck.weights, ck.weights_path);
        ck.description += ", config inferred from tensor shapes";
        if (isTimmConfig(config_json)) applyTimmConfig(config_json, config_path.string(), ck.config, ck.description);
    }
    const fs::path processor = folder / "preprocessor_config.json";
    if (fs::exists(processor)) {
        ck.config.applyPreprocessorJson(
            readTextFileBounded(processor.string(), kMaxJsonFileBytes, "preprocessor config"), processor.string());
        checkPreprocessingFitsModel(ck.config, processor.string());
    }
    return ck;
}

}  // namespace

LoadedCheckpoint loadCheckpoint(const std::string& path) {
    return namingTheFileOnExhaustion(path, [&] { return loadCheckpointFrom(path); });
}

}  // namespace levit
