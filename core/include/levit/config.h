#pragma once
// The fields of Hugging Face's LevitConfig (config.json) plus the LevitImageProcessor settings
// (preprocessor_config.json), presets for the published variants, and validation with clear errors.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace levit {

// One entry of LevitConfig.down_ops: ["Subsample", key_dim, num_heads, attention_ratio, mlp_ratio, stride].
struct DownOp {
    int key_dim = 16;
    int num_heads = 8;
    int attention_ratio = 4;
    int mlp_ratio = 2;
    int stride = 2;
};

// LevitImageProcessor settings (preprocessor_config.json). Defaults are those of the published checkpoints for
// a given image size. Every combination of options means what it means in transformers; whether the result fits
// the model is decided per image (levit/preprocess.h: preprocessedSize).
struct PreprocessConfig {
    bool do_resize = true;
    // size: {"shortest_edge": S} resizes the shorter side to int(256/224 * S), keeping the aspect ratio;
    // {"height": H, "width": W} resizes to exactly H x W (then resize_height/resize_width are > 0).
    int shortest_edge = 224;
    int resize_height = 0;
    int resize_width = 0;
    int resample = 3;  // PIL filter id: 0 nearest, 1 lanczos, 2 bilinear, 3 bicubic (default), 4 box, 5 hamming
    bool do_center_crop = true;
    int crop_height = 224;
    int crop_width = 224;
    bool do_rescale = true;
    double rescale_factor = 1.0 / 255.0;
    bool do_normalize = true;
    float image_mean[3] = {0.485f, 0.456f, 0.406f};
    float image_std[3] = {0.229f, 0.224f, 0.225f};
};

// Limits Config::validate enforces before anything is sized from a config. They lie far above every
// published LeViT (levit-384: 768 channels, 12 heads, 4 blocks per stage, 224 pixels, 1000 labels;
// ImageNet-21k has 21,841 labels), so only broken or hostile configs meet them.
namespace limits {
inline constexpr int kMaxImageSize = 1024;
inline constexpr int kMaxLabels = 100000;
inline constexpr int kMaxStages = 16;
inline constexpr int kMaxStageDepth = 64;     // attention blocks per stage
inline constexpr int kMaxHiddenSize = 8192;   // channels of a stage
inline constexpr int kMaxHeads = 256;
inline constexpr int kMaxKeyDim = 1024;
inline constexpr int kMaxRatio = 64;          // attention_ratio and mlp_ratio
inline constexpr int kMaxSubsampleStride = 16;
// The model expands each block's attention biases to heads x queries x keys floats (twice, for the two
// memory orders the kernels read). 64 M entries in all (512 MB) fits every variant at image_size 512;
// larger images need more than that and are refused up front instead of after minutes of allocation.
inline constexpr long long kMaxAttentionBiasEntries = 1LL << 26;
}  // namespace limits

struct Config {
    int image_size = 224;
    int num_channels = 3;
    int kernel_size = 3;
    int stride = 2;
    int padding = 1;
    int patch_size = 16;
    std::vector<int> hidden_sizes;
    std::vector<int> num_attention_heads;
    std::vector<int> depths;
    std::vector<int> key_dim;
    std::vector<int> attention_ratio;
    std::vector<int> mlp_ratio;
    // One entry per stage; std::nullopt where the stage has no subsample (HF writes [""] for those).
    std::vector<std::optional<DownOp>> down_ops;
    std::vector<std::string> id2label;  // index -> label, size == number of labels
    std::string name;                   // e.g. "levit-128S" or the folder name; informational
    PreprocessConfig preprocess;

    int numStages() const { return static_cast<int>(hidden_sizes.size()); }
    int numLabels() const { return static_cast<int>(id2label.size()); }

    // Token grid side at the input of each stage (image_size/patch_size, then shrunk by each subsample),
    // plus one more entry: the grid side of the final hidden state.
    std::vector<int> stageResolutions() const;

    // Throws levit::Error naming `source` and the offending field; enforces levit::limits.
    void validate(const std::string& source) const;

    // Parse config.json text. `source` names the file in error messages. Validates.
    static Config fromJson(const std::string& json_text, const std::string& source);
    static Config fromFile(const std::string& path);
    // Parse preprocessor_config.json text into `preprocess` (fields not present keep their defaults).
    void applyPreprocessorJson(const std::string& json_text, const std::string& source);
    // "128S", "128", "192", "256", "384" (also accepted with a "levit-" prefix, any case).
    static Config preset(std::string_view variant, int num_labels = 1000);
    // config.json as Hugging Face writes it (incl. the trailing [""] down_ops entry, id2label, label2id).
    std::string toJson() const;
    // Default labels "LABEL_0"... like HF when a checkpoint has no id2label.
    static std::vector<std::string> defaultLabels(int n);
    // True when id2label names no class: every entry is its default "LABEL_<index>" (HF writes these when a
    // model was saved without names). False for an empty id2label.
    bool hasGenericLabels() const;
};

}  // namespace levit
