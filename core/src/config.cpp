// LevitConfig (config.json) and LevitImageProcessor (preprocessor_config.json) as Hugging Face writes them.
#include "levit/config.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>

#include "json_input.h"
#include "levit/error.h"
#include "levit/preprocess.h"

namespace levit {

namespace {

using nlohmann::json;

// A number for an error message ("0.001", "1e+30").
std::string formatNumber(double v) {
    char text[32];
    std::snprintf(text, sizeof(text), "%g", v);
    return text;
}

json parseObject(const std::string& text, const std::string& source) {
    json j = parseJsonBounded(text, source);
    if (!j.is_object()) throw Error(source + ": expected a JSON object at the top level");
    return j;
}

// A JSON whole number that fits an int (also written as 2.0); empty otherwise. Values beyond int are refused
// here, before any cast could wrap them (4294967392 must not become 96).
std::optional<int> asInt(const json& v) {
    constexpr int64_t lo = std::numeric_limits<int>::min(), hi = std::numeric_limits<int>::max();
    if (v.is_number_unsigned()) {
        const uint64_t u = v.get<uint64_t>();
        if (u <= uint64_t(hi)) return int(u);
    } else if (v.is_number_integer()) {
        const int64_t i = v.get<int64_t>();
        if (i >= lo && i <= hi) return int(i);
    } else if (v.is_number_float()) {
        const double d = v.get<double>();
        if (std::isfinite(d) && d == std::floor(d) && d >= double(lo) && d <= double(hi)) return int(d);
    }
    return std::nullopt;
}

int readInt(const json& j, const char* field, int fallback, const std::string& source) {
    if (!j.contains(field) || j[field].is_null()) return fallback;
    const json& v = j[field];
    if (const std::optional<int> i = asInt(v)) return *i;
    if (v.is_number())
        throw Error(source + ": field '" + field + "' is out of range (got " + describeJson(v) + ")");
    throw Error(source + ": field '" + field + "' must be a whole number (got " + describeJson(v) + ")");
}

std::vector<int> readIntList(const json& j, const char* field, const std::vector<int>& fallback,
                             const std::string& source) {
    if (!j.contains(field) || j[field].is_null()) return fallback;
    const json& v = j[field];
    if (!v.is_array()) throw Error(source + ": field '" + field + "' must be a list of whole numbers");
    if (v.size() > size_t(limits::kMaxStages))
        throw Error(source + ": field '" + field + "' has " + std::to_string(v.size()) + " entries (at most " +
                    std::to_string(limits::kMaxStages) + " stages)");
    std::vector<int> out;
    for (const json& e : v) {
        const std::optional<int> i = e.is_number_integer() ? asInt(e) : std::nullopt;
        if (!i)
            throw Error(source + ": field '" + field + "' must be a list of whole numbers (found " + describeJson(e) +
                        ")");
        out.push_back(*i);
    }
    return out;
}

std::optional<DownOp> parseDownOp(const json& e, size_t index, const std::string& source) {
    const std::string where = source + ": down_ops[" + std::to_string(index) + "]";
    if (!e.is_array() || e.empty() || !e[0].is_string())
        throw Error(where + " must be [\"Subsample\", key_dim, num_heads, attention_ratio, mlp_ratio, stride] or [\"\"]");
    const std::string kind = e[0].get<std::string>();
    if (kind.empty()) return std::nullopt;
    if (kind != "Subsample") throw Error(where + ": unknown operation '" + kind + "' (only \"Subsample\" exists)");
    if (e.size() != 6) throw Error(where + ": \"Subsample\" needs 5 numbers (got " + std::to_string(e.size() - 1) + ")");
    int values[5];
    for (int i = 0; i < 5; ++i) {
        const std::optional<int> v = e[i + 1].is_number_integer() ? asInt(e[i + 1]) : std::nullopt;
        if (!v)
            throw Error(where + ": entry " + std::to_string(i + 1) + " must be a whole number (got " +
                        describeJson(e[i + 1]) + ")");
        values[i] = *v;
    }
    return DownOp{values[0], values[1], values[2], values[3], values[4]};
}

// Mirrors LevitConfig's defaults (the levit-128 shape).
Config defaultConfig() {
    Config c;
    c.hidden_sizes = {128, 256, 384};
    c.num_attention_heads = {4, 8, 12};
    c.depths = {4, 4, 4};
    c.key_dim = {16, 16, 16};
    c.attention_ratio = {2, 2, 2};
    c.mlp_ratio = {2, 2, 2};
    c.down_ops = {DownOp{16, 128 / 16, 4, 2, 2}, DownOp{16, 256 / 16, 4, 2, 2}, std::nullopt};
    return c;
}

}  // namespace

std::vector<std::string> Config::defaultLabels(int n) {
    if (n < 0 || n > limits::kMaxLabels)
        throw Error("the number of labels must be between 0 and " + std::to_string(limits::kMaxLabels) + " (got " +
                    std::to_string(n) + ")");
    std::vector<std::string> labels;
    labels.reserve(n);
    for (int i = 0; i < n; ++i) labels.push_back("LABEL_" + std::to_string(i));
    return labels;
}

bool Config::hasGenericLabels() const {
    if (id2label.empty()) return false;
    for (size_t i = 0; i < id2label.size(); ++i)
        if (id2label[i] != "LABEL_" + std::to_string(i)) return false;
    return true;
}

std::vector<int> Config::stageResolutions() const {
    std::vector<int> r;
    int resolution = image_size / patch_size;
    for (int s = 0; s < numStages(); ++s) {
        r.push_back(resolution);
        if (s < static_cast<int>(down_ops.size()) && down_ops[s]) resolution = (resolution - 1) / down_ops[s]->stride + 1;
    }
    r.push_back(resolution);
    return r;
}

void Config::validate(const std::string& source) const {
    auto fail = [&](const std::string& what) { throw Error(source + ": " + what); };
    const int stages = numStages();
    if (stages < 1) fail("field 'hidden_sizes' must list at least one stage");
    if (stages > limits::kMaxStages)
        fail("field 'hidden_sizes' lists " + std::to_string(stages) + " stages (at most " +
             std::to_string(limits::kMaxStages) + ")");
    auto checkList = [&](const std::vector<int>& v, const char* name) {
        if (static_cast<int>(v.size()) != stages)
            fail(std::string("field '") + name + "' has " + std::to_string(v.size()) + " entries, but hidden_sizes has " +
                 std::to_string(stages) + " stages");
    };
    checkList(num_attention_heads, "num_attention_heads");
    checkList(depths, "depths");
    checkList(key_dim, "key_dim");
    checkList(attention_ratio, "attention_ratio");
    checkList(mlp_ratio, "mlp_ratio");
    auto inRange = [&](const std::vector<int>& v, const char* name, int min, int max) {
        for (size_t i = 0; i < v.size(); ++i) {
            if (v[i] < min)
                fail(std::string("field '") + name + "[" + std::to_string(i) + "]' must be at least " +
                     std::to_string(min) + " (got " + std::to_string(v[i]) + ")");
            if (v[i] > max)
                fail(std::string("field '") + name + "[" + std::to_string(i) + "]' is too large (got " +
                     std::to_string(v[i]) + ", at most " + std::to_string(max) + ")");
        }
    };
    inRange(hidden_sizes, "hidden_sizes", 1, limits::kMaxHiddenSize);
    inRange(num_attention_heads, "num_attention_heads", 1, limits::kMaxHeads);
    inRange(depths, "depths", 0, limits::kMaxStageDepth);
    inRange(key_dim, "key_dim", 1, limits::kMaxKeyDim);
    inRange(attention_ratio, "attention_ratio", 1, limits::kMaxRatio);
    inRange(mlp_ratio, "mlp_ratio", 0, limits::kMaxRatio);
    if (num_channels != 3) fail("field 'num_channels' must be 3 (RGB input; got " + std::to_string(num_channels) + ")");
    if (patch_size != 16 || kernel_size != 3 || stride != 2 || padding != 1)
        fail("the patch embedding must be four 3x3 convolutions with stride 2 and padding 1 (patch_size 16, kernel_size 3, "
             "stride 2, padding 1); got patch_size " + std::to_string(patch_size) + ", kernel_size " +
             std::to_string(kernel_size) + ", stride " + std::to_string(stride) + ", padding " + std::to_string(padding));
    if (image_size < 16 || image_size % 16 != 0)
        fail("field 'image_size' must be a positive multiple of 16 (got " + std::to_string(image_size) + ")");
    if (image_size > limits::kMaxImageSize)
        fail("field 'image_size' is too large (got " + std::to_string(image_size) + ", at most " +
             std::to_string(limits::kMaxImageSize) + ")");
    if (hidden_sizes[0] % 8 != 0)
        fail("field 'hidden_sizes[0]' must be divisible by 8 (the patch embedding widths are C/8, C/4, C/2, C; got " +
             std::to_string(hidden_sizes[0]) + ")");
    if (static_cast<int>(down_ops.size()) > stages) fail("field 'down_ops' has more entries than there are stages");
    for (int s = 0; s < stages; ++s) {
        const bool has = s < static_cast<int>(down_ops.size()) && down_ops[s];
        if (s == stages - 1) {
            if (has) fail("down_ops[" + std::to_string(s) + "]: the last stage cannot have a subsample");
            continue;
        }
        if (!has) {
            if (hidden_sizes[s] != hidden_sizes[s + 1])
                fail("stage " + std::to_string(s + 1) + " has " + std::to_string(hidden_sizes[s + 1]) +
                     " channels but stage " + std::to_string(s) + " ends with " + std::to_string(hidden_sizes[s]) +
                     " and no subsample in down_ops[" + std::to_string(s) + "] changes them");
            continue;
        }
        const DownOp& op = *down_ops[s];
        const std::string where = "down_ops[" + std::to_string(s) + "]";
        if (op.key_dim < 1 || op.num_heads < 1 || op.attention_ratio < 1 || op.mlp_ratio < 0 || op.stride < 1)
            fail(where + ": key_dim, num_heads, attention_ratio and stride must be positive, mlp_ratio not negative");
        if (op.key_dim > limits::kMaxKeyDim || op.num_heads > limits::kMaxHeads || op.attention_ratio > limits::kMaxRatio ||
            op.mlp_ratio > limits::kMaxRatio || op.stride > limits::kMaxSubsampleStride)
            fail(where + ": too large (at most key_dim " + std::to_string(limits::kMaxKeyDim) + ", num_heads " +
                 std::to_string(limits::kMaxHeads) + ", attention_ratio and mlp_ratio " + std::to_string(limits::kMaxRatio) +
                 ", stride " + std::to_string(limits::kMaxSubsampleStride) + ")");
    }
    if (id2label.empty()) fail("the model needs at least one label (id2label is empty)");
    if (id2label.size() > size_t(limits::kMaxLabels))
        fail("the model has " + std::to_string(id2label.size()) + " labels (at most " +
             std::to_string(limits::kMaxLabels) + ")");
    // Expanded attention biases: heads x queries x keys per block, summed before the model allocates them.
    const std::vector<int> res = stageResolutions();
    long long bias_entries = 0;
    for (int s = 0; s < stages; ++s) {
        const long long grid = static_cast<long long>(res[s]) * res[s];
        bias_entries += static_cast<long long>(depths[s]) * num_attention_heads[s] * grid * grid;
        if (s < static_cast<int>(down_ops.size()) && down_ops[s])
            bias_entries += static_cast<long long>(down_ops[s]->num_heads) * grid * res[s + 1] * res[s + 1];
    }
    if (bias_entries > limits::kMaxAttentionBiasEntries)
        fail("image_size " + std::to_string(image_size) + " with these stages needs " + std::to_string(bias_entries) +
             " attention-bias entries (at most " + std::to_string(limits::kMaxAttentionBiasEntries) +
             "); use a smaller image_size");
}

Config Config::fromJson(const std::string& json_text, const std::string& source) {
    const json j = parseObject(json_text, source);
    if (j.contains("model_type") && j["model_type"].is_string() && j["model_type"] != "levit")
        throw Error(source + ": model_type is '" + j["model_type"].get<std::string>() + "', not 'levit'");
    Config c = defaultConfig();
    c.image_size = readInt(j, "image_size", c.image_size, source);
    c.num_channels = readInt(j, "num_channels", c.num_channels, source);
    c.kernel_size = readInt(j, "kernel_size", c.kernel_size, source);
    c.stride = readInt(j, "stride", c.stride, source);
    c.padding = readInt(j, "padding", c.padding, source);
    c.patch_size = readInt(j, "patch_size", c.patch_size, source);
    c.hidden_sizes = readIntList(j, "hidden_sizes", c.hidden_sizes, source);
    c.num_attention_heads = readIntList(j, "num_attention_heads", c.num_attention_heads, source);
    c.depths = readIntList(j, "depths", c.depths, source);
    c.key_dim = readIntList(j, "key_dim", c.key_dim, source);
    c.attention_ratio = readIntList(j, "attention_ratio", c.attention_ratio, source);
    c.mlp_ratio = readIntList(j, "mlp_ratio", c.mlp_ratio, source);
    if (j.contains("down_ops")) {
        if (!j["down_ops"].is_array()) throw Error(source + ": field 'down_ops' must be a list");
        c.down_ops.clear();
        for (size_t i = 0; i < j["down_ops"].size(); ++i) c.down_ops.push_back(parseDownOp(j["down_ops"][i], i, source));
    }
    // HF appends [""] for the last stage when it saves; configs from the Hub have one entry less.
    while (static_cast<int>(c.down_ops.size()) < c.numStages()) c.down_ops.push_back(std::nullopt);
    while (static_cast<int>(c.down_ops.size()) > c.numStages() && !c.down_ops.back()) c.down_ops.pop_back();

    if (j.contains("id2label") && !j["id2label"].is_null()) {
        const json& labels = j["id2label"];
        if (!labels.is_object()) throw Error(source + ": field 'id2label' must be an object {\"0\": \"label\", ...}");
        if (labels.size() > size_t(limits::kMaxLabels))
            throw Error(source + ": field 'id2label' has " + std::to_string(labels.size()) + " labels (at most " +
                        std::to_string(limits::kMaxLabels) + ")");
        std::vector<std::string> out(labels.size());
        std::vector<bool> seen(labels.size(), false);
        for (auto it = labels.begin(); it != labels.end(); ++it) {
            const std::string& key = it.key();
            size_t used = 0;
            long index = -1;
            try {
                index = std::stol(key, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (used != key.size() || index < 0 || index >= static_cast<long>(labels.size()))
                throw Error(source + ": id2label key '" + key + "' is not an index from 0 to " +
                            std::to_string(labels.size() - 1));
            if (!it.value().is_string()) throw Error(source + ": id2label[\"" + key + "\"] must be a string");
            out[index] = it.value().get<std::string>();
            seen[index] = true;
        }
        for (size_t i = 0; i < seen.size(); ++i)
            if (!seen[i]) throw Error(source + ": id2label has no entry for index " + std::to_string(i));
        c.id2label = std::move(out);
    } else {
        const int num_labels = readInt(j, "num_labels", 1000, source);
        if (num_labels < 1 || num_labels > limits::kMaxLabels)
            throw Error(source + ": field 'num_labels' must be between 1 and " + std::to_string(limits::kMaxLabels) +
                        " (got " + std::to_string(num_labels) + ")");
        c.id2label = defaultLabels(num_labels);
    }
    if (j.contains("_name_or_path") && j["_name_or_path"].is_string()) c.name = j["_name_or_path"].get<std::string>();
    c.preprocess.shortest_edge = c.preprocess.crop_height = c.preprocess.crop_width = c.image_size;
    c.validate(source);
    return c;
}

Config Config::fromFile(const std::string& path) {
    return fromJson(readTextFileBounded(path, kMaxJsonFileBytes, "config file"), path);
}

void Config::applyPreprocessorJson(const std::string& json_text, const std::string& source) {
    const json j = parseObject(json_text, source);
    PreprocessConfig p = preprocess;  // assigned back only when everything is valid
    auto boolean = [&](const char* field, bool& target) {
        if (!j.contains(field)) return;
        if (!j[field].is_boolean()) throw Error(source + ": field '" + std::string(field) + "' must be true or false");
        target = j[field].get<bool>();
    };
    // A side length: a whole number from 1 to kMaxResizedSide (checked before any cast).
    auto side = [&](const json& v, const std::string& field) {
        const bool whole = v.is_number_integer() || (v.is_number_float() && std::floor(v.get<double>()) == v.get<double>());
        if (!whole) throw Error(source + ": field '" + field + "' must be a whole number of pixels");
        const double d = v.get<double>();
        if (d < 1 || d > kMaxResizedSide)
            throw Error(source + ": field '" + field + "' must be between 1 and " + std::to_string(kMaxResizedSide) +
                        " pixels (got " + (std::fabs(d) < 1e12 ? std::to_string(static_cast<long long>(d)) : "a huge number") + ")");
        return static_cast<int>(d);
    };
    auto number = [&](const json& v, const std::string& field, double low, double high) {
        if (!v.is_number()) throw Error(source + ": field '" + field + "' must be a number");
        const double d = v.get<double>();
        if (!std::isfinite(d) || d < low || d > high)
            throw Error(source + ": field '" + field + "' must be between " + formatNumber(low) + " and " +
                        formatNumber(high) + " (got " + formatNumber(d) + ")");
        return d;
    };
    boolean("do_resize", p.do_resize);
    boolean("do_center_crop", p.do_center_crop);
    boolean("do_rescale", p.do_rescale);
    boolean("do_normalize", p.do_normalize);
    if (j.contains("size")) {
        // As transformers' get_size_dict(size, default_to_square=False): an int means the shortest edge.
        const json& s = j["size"];
        if (s.is_object() && s.contains("shortest_edge")) {
            p.shortest_edge = side(s["shortest_edge"], "size.shortest_edge");
            p.resize_height = p.resize_width = 0;
        } else if (s.is_object() && s.contains("height") && s.contains("width")) {
            p.resize_height = side(s["height"], "size.height");
            p.resize_width = side(s["width"], "size.width");
        } else if (s.is_number()) {
            p.shortest_edge = side(s, "size");
            p.resize_height = p.resize_width = 0;
        } else {
            throw Error(source + ": field 'size' must be {\"shortest_edge\": N} or {\"height\": H, \"width\": W}");
        }
        // The shortest-edge rule resizes to int(256/224 * N): that too must stay within the limit.
        if (p.resize_height == 0 && static_cast<int>((256.0 / 224.0) * p.shortest_edge) > kMaxResizedSide)
            throw Error(source + ": size.shortest_edge " + std::to_string(p.shortest_edge) + " resizes to more than " +
                        std::to_string(kMaxResizedSide) + " pixels");
    }
    if (j.contains("crop_size")) {
        const json& s = j["crop_size"];
        if (s.is_object() && s.contains("height") && s.contains("width")) {
            p.crop_height = side(s["height"], "crop_size.height");
            p.crop_width = side(s["width"], "crop_size.width");
        } else if (s.is_number()) {
            p.crop_height = p.crop_width = side(s, "crop_size");
        } else {
            throw Error(source + ": field 'crop_size' must be {\"height\": H, \"width\": W}");
        }
    }
    if (j.contains("resample") && !j["resample"].is_null()) {
        const double r = number(j["resample"], "resample", 0, 5);
        if (r != std::floor(r)) throw Error(source + ": field 'resample' must be one of PIL's filter ids 0 to 5");
        p.resample = static_cast<int>(r);
    }
    if (j.contains("rescale_factor")) p.rescale_factor = number(j["rescale_factor"], "rescale_factor", 1e-6, 1.0);
    // A standard deviation near 0 would turn every pixel into inf/NaN; real ones are about 0.2-0.5 (or ~60 for
    // unscaled pixels).
    auto triple = [&](const char* field, float* target, double low, double high) {
        if (!j.contains(field)) return;
        const json& v = j[field];
        if (v.is_number()) {  // transformers accepts one number for all channels
            const double d = number(v, field, low, high);
            for (int i = 0; i < 3; ++i) target[i] = static_cast<float>(d);
            return;
        }
        if (!v.is_array() || v.size() != 3) throw Error(source + ": field '" + std::string(field) + "' must be a list of 3 numbers");
        for (int i = 0; i < 3; ++i) target[i] = static_cast<float>(number(v[i], std::string(field) + "[" + std::to_string(i) + "]", low, high));
    };
    triple("image_mean", p.image_mean, -1e4, 1e4);
    triple("image_std", p.image_std, 1e-3, 1e4);
    preprocess = p;
}

Config Config::preset(std::string_view variant, int num_labels) {
    std::string v(variant);
    std::transform(v.begin(), v.end(), v.begin(), [](unsigned char ch) { return std::tolower(ch); });
    if (v.rfind("facebook/", 0) == 0) v = v.substr(9);
    if (v.rfind("levit-", 0) == 0 || v.rfind("levit_", 0) == 0) v = v.substr(6);
    Config c = defaultConfig();
    if (v == "128s") {
        c.hidden_sizes = {128, 256, 384}; c.num_attention_heads = {4, 6, 8}; c.depths = {2, 3, 4}; c.name = "levit-128S";
    } else if (v == "128") {
        c.hidden_sizes = {128, 256, 384}; c.num_attention_heads = {4, 8, 12}; c.depths = {4, 4, 4}; c.name = "levit-128";
    } else if (v == "192") {
        c.hidden_sizes = {192, 288, 384}; c.num_attention_heads = {3, 5, 6}; c.depths = {4, 4, 4}; c.key_dim = {32, 32, 32}; c.name = "levit-192";
    } else if (v == "256") {
        c.hidden_sizes = {256, 384, 512}; c.num_attention_heads = {4, 6, 8}; c.depths = {4, 4, 4}; c.key_dim = {32, 32, 32}; c.name = "levit-256";
    } else if (v == "384") {
        c.hidden_sizes = {384, 512, 768}; c.num_attention_heads = {6, 9, 12}; c.depths = {4, 4, 4}; c.key_dim = {32, 32, 32}; c.name = "levit-384";
    } else {
        throw Error("unknown LeViT variant '" + std::string(variant) + "' (known: 128S, 128, 192, 256, 384)");
    }
    // As LevitConfig builds them (and the published checkpoints have them): the first stage's key_dim, and
    // as many heads as it divides the stage's width into.
    const int k = c.key_dim[0];
    c.down_ops = {DownOp{k, c.hidden_sizes[0] / k, 4, 2, 2}, DownOp{k, c.hidden_sizes[1] / k, 4, 2, 2}, std::nullopt};
    c.id2label = defaultLabels(num_labels);
    c.validate("preset " + c.name);
    return c;
}

std::string Config::toJson() const {
    json down = json::array();
    for (const auto& op : down_ops) {
        if (op) down.push_back({"Subsample", op->key_dim, op->num_heads, op->attention_ratio, op->mlp_ratio, op->stride});
        else down.push_back({""});
    }
    json id2 = json::object(), label2 = json::object();
    for (size_t i = 0; i < id2label.size(); ++i) {
        id2[std::to_string(i)] = id2label[i];
        label2[id2label[i]] = i;
    }
    const json j = {{"architectures", {"LevitForImageClassificationWithTeacher"}},
                    {"model_type", "levit"},
                    {"image_size", image_size},
                    {"num_channels", num_channels},
                    {"kernel_size", kernel_size},
                    {"stride", stride},
                    {"padding", padding},
                    {"patch_size", patch_size},
                    {"hidden_sizes", hidden_sizes},
                    {"num_attention_heads", num_attention_heads},
                    {"depths", depths},
                    {"key_dim", key_dim},
                    {"attention_ratio", attention_ratio},
                    {"mlp_ratio", mlp_ratio},
                    {"down_ops", down},
                    {"drop_path_rate", 0},
                    {"initializer_range", 0.02},
                    {"id2label", id2},
                    {"label2id", label2},
                    {"torch_dtype", "float32"}};
    return j.dump(2);
}

}  // namespace levit
