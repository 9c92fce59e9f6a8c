#pragma once
// The model as a graph of operations, top to bottom, for drawing it (the "Model" tab): the image, its
// preprocessing, the four patch-embedding convolutions, every encoder layer in the order Hugging Face's
// LeViT runs them, the pooling, both heads and their average. Each node carries its output shape, its
// parameters (as in the checkpoint, before BatchNorm folding) and FLOPs per image, counted the way
// Model::summary() counts them, so the nodes add up to the summary; and the indices that tie it to the
// rest of the engine (attention blocks, layer names, feature maps, timings).
#include <cstdint>
#include <string>
#include <vector>

#include "levit/model.h"
#include "levit/probe.h"

namespace levit {

enum class GraphNodeKind {
    Image,               // the picture as loaded, any size
    Preprocessing,       // resize (shortest edge), centre crop, rescale and normalise
    PatchConvolution,    // conv 3x3 stride 2 + BatchNorm (+ hardswish after the first three)
    Attention,           // residual attention: x + projection(attention(x))
    Mlp,                 // residual MLP: x + down(hardswish(up(x)))
    AttentionSubsample,  // attention whose queries are every stride-th token: fewer tokens, more channels
    Pooling,             // mean over tokens
    ClassificationHead,  // BatchNorm + linear on the pooled vector
    DistillationHead,    // the same, trained to imitate a teacher network
    Average,             // (classification + distillation logits) / 2
};

// How a node's output is laid out: an image (channels x height x width), tokens on a square grid
// (grid_side^2 tokens x channels), or a plain vector of `channels` numbers.
enum class ShapeLayout { Image, Tokens, Vector, AnySize };

struct NodeShape {
    ShapeLayout layout = ShapeLayout::AnySize;
    int channels = 0;
    int height = 0, width = 0;  // Image: pixels; Tokens: the token grid (height == width)
    int tokens() const { return layout == ShapeLayout::Tokens ? height * width : 0; }
};

struct GraphNode {
    GraphNodeKind kind = GraphNodeKind::Image;
    std::string name;         // technical id: "image", "preprocessing", "conv1".."conv4", the golden layer
                              // name stage<s>_layer<l>_<Type>, "pooling", "classifier", "classifier_distill", "logits"
    std::vector<int> inputs;  // indices of the nodes whose output this one reads (the heads both read pooling)
    NodeShape output;
    int64_t parameters = 0;   // checkpoint tensors of this operation, without BatchNorm running statistics
    double flops = 0;         // per image; multiply-adds count 2; 0 where Model::summary counts none

    // Where the node sits in the engine.
    int stage = -1;           // encoder stage (-1 outside the encoder)
    int layer = -1;           // encoder layer in forward order (StageTimings::layer_ms index); -1 outside the encoder
    int layer_in_stage = -1;  // l of stage<s>_layer<l>_<Type>
    int attention_block = -1; // index into Model::attentionBlocks() for attention nodes
    int patch_conv = -1;      // 0..3 for the patch convolutions (ProbeResult::patch_embed_convs index)
    // Feature maps that show this node's output, as FeatureMapView::selectStage counts them (0 = patch
    // embedding, 1 + s = output of stage s); feature_maps_exact is false when they show the output of the
    // stage the node is part of (the node's own output is an intermediate one the maps do not keep).
    int feature_stage = -1;
    bool feature_maps_exact = false;

    // Details of the operation.
    int heads = 0, key_dim = 0, value_dim = 0;  // attention (value_dim = attention_ratio * key_dim)
    int stride = 1;                             // subsample query stride, patch convolution stride
    int kernel = 0;                             // patch convolution kernel side
    int hidden = 0;                             // MLP hidden width (mlp_ratio * channels)
    int input_channels = 0;
    bool hardswish_after = false;               // patch convolutions 1-3
};

// The graph of `model`, top to bottom (inputs always precede their readers).
std::vector<GraphNode> modelGraph(const Model& model);

// Milliseconds each node took in the forward pass `timings` came from (Probe::timings), one per node of
// `graph`; NaN where nothing was timed (the image, a preprocessing the caller did not time, timings of
// another model or of a pass run without timings).
std::vector<double> nodeTimes(const std::vector<GraphNode>& graph, const StageTimings& timings);

}  // namespace levit
