#pragma once
// Internal structure of a built Model: BN-folded dense layers in the order the forward pass runs them.
// Shared by model.cpp (construction) and session.cpp (the forward pass).
#include <Eigen/Core>

#include <string>
#include <utility>
#include <vector>

#include "attention_bias.h"
#include "gemm.h"
#include "levit/model.h"

namespace levit {

// y = weight * x + bias, with BatchNorm already folded in. weight is out x in, packed once for the GEMM
// kernel (gemm.h) so that no run repacks it.
struct DenseLayer {
    detail::PackedMatrix weight;
    Eigen::VectorXf bias;
    int in() const { return weight.cols; }
    int out() const { return weight.rows; }
};

// 3x3 (in general k x k) convolution as a GEMM over im2col columns ordered (ky, kx, channel).
struct ConvLayer {
    DenseLayer dense;
    int in_channels = 0, out_channels = 0, kernel = 3, stride = 2, padding = 1;
    // Side of the output for an input of side `input` (PyTorch's Conv2d rule).
    int outputSize(int input) const { return (input + 2 * padding - kernel) / stride + 1; }
};

struct AttentionBlock {
    AttentionBlockInfo info;
    DenseLayer qkv;         // Attention: heads*(2*kd+vd) rows, per head [q | k | v]; Subsample: heads*(kd+vd), per head [k | v]
    DenseLayer queries;     // Subsample only: heads*kd
    DenseLayer projection;  // heads*vd -> out channels (applied after hardswish)
    float scale = 1;
    int queries_count = 0, keys_count = 0;
    std::vector<float> bias_expanded;          // [heads][queries][keys]
    BiasColumns bias_columns;                  // the layout the forward pass adds it in
    std::vector<int> bias_index;               // [queries][keys] -> offset index
    std::vector<std::pair<int, int>> offsets;  // offset index -> (|dy|, |dx|)
    Eigen::MatrixXf attention_biases;          // heads x offsets, as in the checkpoint
};

struct MlpBlock {
    DenseLayer up, down;
};

struct LayerPlan {
    BlockKind kind = BlockKind::Mlp;
    int stage = 0;
    int index = 0;            // index within HF's stage.layers
    std::string name;         // golden naming: stage<s>_layer<l>_<Type>
    int attention = -1;       // index into Model::Impl::attention
    MlpBlock mlp;
    int channels_in = 0, channels_out = 0;
    int resolution_in = 0, resolution_out = 0;
};

struct Model::Impl {
    Config config;
    std::string source;
    ConvLayer patch[4];
    std::vector<LayerPlan> layers;
    std::vector<int> stage_last_layer;  // index into layers of each stage's last layer
    std::vector<AttentionBlock> attention;
    std::vector<AttentionBlockInfo> infos;
    DenseLayer cls_head, distill_head;
    int64_t parameter_count = 0;
};

}  // namespace levit
