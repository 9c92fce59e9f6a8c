#pragma once
// What a caller wants kept from a forward pass. Nothing by default: the fast path pays nothing.
#include <string>
#include <vector>

namespace levit {

struct Probe {
    bool hidden_states = false;      // patch embedding output and each stage's output, as C x H x W maps
    bool layer_outputs = false;      // every encoder layer's output [tokens, C] (golden tests, dumps)
    bool patch_embed_convs = false;  // each patch-embedding conv+BN output before hardswish [C, H, W]
    bool attention = false;          // content term (q.k * scale) and softmaxed probabilities per block/head
    std::vector<int> attention_blocks;  // with attention: which blocks (indices into Model::attentionBlocks()); empty = all
    bool bias_tables = false;        // copy every block's expanded and compact bias tables into the result
    bool timings = false;            // wall times of the parts of the pass (StageTimings)
};

// Everything either probe asks for (the window merges what its visible views need).
Probe mergeProbes(const Probe& a, const Probe& b);

// A [batch, channels, height, width] activation map (height == width == 1 never happens; tokens map to a grid).
struct FeatureMaps {
    std::string name;  // "patch_embedding", "stage0", ... or "stage0_layer2_LevitAttentionSubsample"
    int batch = 0, channels = 0, height = 0, width = 0;
    std::vector<float> values;  // NCHW
};

// A [batch, tokens, channels] layer output (token-major like Hugging Face's hidden states).
struct TokenTensor {
    std::string name;
    int batch = 0, tokens = 0, channels = 0;
    std::vector<float> values;
};

struct AttentionMaps {
    int block = 0;  // index into Model::attentionBlocks()
    int batch = 0, heads = 0, queries = 0, keys = 0;
    std::vector<float> content;        // [batch, heads, queries, keys]: q.k * scale, before the bias
    std::vector<float> probabilities;  // [batch, heads, queries, keys]: softmax(content + bias)
};

struct BiasTables {
    int block = 0;
    int heads = 0, queries = 0, keys = 0;
    std::vector<float> expanded;      // [heads, queries, keys] = attention_biases[:, attention_bias_idxs]
    std::vector<int> offset_index;    // [queries, keys] = attention_bias_idxs (HF's numbering of offsets)
    int offset_rows = 0, offset_cols = 0;
    std::vector<float> by_offset;     // [heads, offset_rows (|dy|), offset_cols (|dx|)]; NaN where no pair has that offset
};

// Wall times of one forward pass in milliseconds (levit/model_graph.h: nodeTimes maps them onto the graph).
// The finer fields add up to the coarse ones: patch_conv_ms to patch_embedding_ms, a stage's layer_ms to its
// stage_ms, pooling + both heads + average to heads_ms. Time spent copying what other probes ask for counts
// toward the part it follows.
struct StageTimings {
    double patch_embedding_ms = 0;
    std::vector<double> stage_ms;  // one per stage (incl. its subsample block)
    double heads_ms = 0;
    double total_ms = 0;
    // Each patch-embedding conv+BN (+hardswish). With several images spread over threads, each conv's
    // measured time summed over the images, scaled so the four add up to patch_embedding_ms.
    double patch_conv_ms[4] = {0, 0, 0, 0};
    std::vector<double> layer_ms;  // each encoder layer in forward order (stage<s>_layer<l>, all stages)
    double pooling_ms = 0, classifier_ms = 0, distillation_ms = 0, average_ms = 0;
    double preprocess_ms = 0;      // resize, crop and normalise, when the Classifier prepared the image (0 otherwise)
};

struct ProbeResult {
    std::vector<FeatureMaps> hidden_states;  // [0] = patch embedding, [1 + s] = output of stage s
    std::vector<TokenTensor> layer_outputs;  // named like the golden files: stage<s>_layer<l>_<Type>
    std::vector<FeatureMaps> patch_embed_convs;  // conv1..conv4 (+BN), before hardswish
    std::vector<AttentionMaps> attention;
    std::vector<BiasTables> bias_tables;
    std::vector<float> pooled;  // [batch, C]; filled with hidden_states
    StageTimings timings;
};

}  // namespace levit
