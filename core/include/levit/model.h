#pragma once
// The LevitForImageClassificationWithTeacher forward pass. A Model holds the (BN-folded) weights and
// never changes after construction; a Session owns the buffers for a batch size and runs the model.
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "levit/config.h"
#include "levit/probe.h"
#include "levit/tensor.h"

namespace levit {

// The kinds of encoder block, in Hugging Face's naming (LevitAttention, LevitAttentionSubsample, LevitMLPLayer).
enum class BlockKind { Attention, AttentionSubsample, Mlp };

// Static description of one attention block (for views and probes).
struct AttentionBlockInfo {
    std::string name;  // "stage0_layer0_LevitAttention" (the golden data's naming)
    int stage = 0;
    int layer = 0;     // index within HF's stage.layers
    BlockKind kind = BlockKind::Attention;
    int heads = 0;
    int key_dim = 0;
    int value_dim = 0;        // attention_ratio * key_dim
    int resolution_in = 0;    // key grid side
    int resolution_out = 0;   // query grid side (== resolution_in for plain attention)
    int stride = 1;           // query stride on the key grid (subsample)
    int in_channels = 0, out_channels = 0;
};

struct Output {
    int batch = 0;
    int num_labels = 0;
    std::vector<float> logits;               // [batch, num_labels] = (cls + distillation) / 2
    std::vector<float> cls_logits;           // [batch, num_labels]
    std::vector<float> distillation_logits;  // [batch, num_labels]
};

struct ModelSummary {
    int64_t parameters = 0;                 // as in the checkpoint (before BN folding), without buffers
    std::vector<double> stage_gflops;       // per image: [patch embedding, stage 0, ..., heads]
    double total_gflops = 0;                // per image (multiply-adds counted as 2 FLOPs)
};

class WeightReader;

class Model {
public:
    // Builds from a validated config and HF-named float tensors (names with the "levit." prefix etc.).
    // Throws levit::Error naming the missing tensor or the shape mismatch ("config does not match weights").
    // `source` names the file in messages.
    Model(const Config& config, const std::map<std::string, Tensor>& weights, const std::string& source);
    // A model of this shape with made-up weights (seeded, deterministic): for benchmarking variants whose
    // checkpoints are not at hand, e.g. Config::preset("256").
    static std::shared_ptr<const Model> withRandomWeights(const Config& config, unsigned seed = 0);
    ~Model();
    Model(const Model&) = delete;
    Model& operator=(const Model&) = delete;

    const Config& config() const;
    const std::vector<AttentionBlockInfo>& attentionBlocks() const;
    BiasTables biasTables(int block) const;
    ModelSummary summary() const;

    struct Impl;
    const Impl& impl() const { return *impl_; }

private:
    Model(const Config& config, unsigned seed, const std::string& source);
    void build(const Config& config, const std::string& source, WeightReader& reader);
    std::unique_ptr<Impl> impl_;
};

// Arithmetic of a Session's linear layers and convolutions. Float32 is the default and matches Hugging Face
// within 1e-4; BFloat16 rounds weights and inputs of those products to bfloat16 (accumulating in float32)
// for about twice the speed on CPUs with AVX-512 BF16, at the cost of accuracy (attention, softmax and
// everything else stay float32).
enum class Precision { Float32, BFloat16 };

// Runs a Model. Buffers are allocated for the largest batch seen and reused: no allocation in the
// steady state without probes. Not thread-safe; use one Session per thread (they can share a Model).
class Session {
public:
    // Images one run may take: bounds the buffers a caller can make a Session allocate.
    static constexpr int kMaxBatch = 1024;

    explicit Session(std::shared_ptr<const Model> model, int threads = 1);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    void setThreads(int threads);
    int threads() const;
    // Throws levit::Error for BFloat16 when the CPU lacks AVX-512 BF16 (see bfloat16Supported()).
    void setPrecision(Precision precision);
    Precision precision() const { return precision_; }
    static bool bfloat16Supported();
    const Model& model() const { return *model_; }

    // pixel_values: [batch, num_channels, S, S] float32 as produced by preprocess(), S = config().image_size;
    // the span must hold exactly that many floats (levit::Error otherwise, before anything is read). The
    // returned reference stays valid until the next run. `probe_result` is filled with what `probe` asks for
    // (may be null when the probe is empty).
    const Output& run(std::span<const float> pixel_values, int batch, const Probe& probe = {},
                      ProbeResult* probe_result = nullptr);
    // Floats one image takes: num_channels * S * S.
    size_t inputSize() const;

    struct Workspace;

private:
    std::shared_ptr<const Model> model_;
    std::unique_ptr<Workspace> ws_;
    Output output_;
    int threads_ = 1;
    Precision precision_ = Precision::Float32;
};

}  // namespace levit
