// The model graph, read off the built layers (model_impl.h) so that it follows whatever config the model
// was built from. Parameters are recounted from the layers' shapes as the checkpoint stores them (weights
// before BatchNorm folding, BatchNorm weight and bias, attention biases); FLOPs use Model::summary's rules.
#include "levit/model_graph.h"

#include <cmath>
#include <limits>

#include "model_impl.h"

namespace levit {

namespace {

// Linear(in, out, bias=False) + BatchNorm1d(out) (MLPLayerWithBN): weight plus BatchNorm weight and bias.
int64_t linearBatchNormParameters(const DenseLayer& d) { return int64_t(d.out()) * d.in() + 2 * int64_t(d.out()); }

// BatchNorm1d(in) + Linear(in, out) with bias (LevitClassificationLayer).
int64_t batchNormLinearParameters(const DenseLayer& d) {
    return 2 * int64_t(d.in()) + int64_t(d.out()) * d.in() + d.out();
}

double denseFlops(const DenseLayer& d, double columns) { return 2.0 * columns * d.out() * d.in(); }

NodeShape tokensShape(int channels, int side) { return {ShapeLayout::Tokens, channels, side, side}; }

class GraphBuilder {
public:
    explicit GraphBuilder(const Model::Impl& m) : m_(m) {}

    std::vector<GraphNode> build() {
        addInput();
        addPatchEmbedding();
        for (size_t i = 0; i < m_.layers.size(); ++i) addLayer(int(i));
        addHeads();
        return std::move(nodes_);
    }

private:
    // Appends `node` reading the previous node (unless it says otherwise) and returns its index.
    int add(GraphNode node) {
        if (node.inputs.empty() && !nodes_.empty()) node.inputs.push_back(int(nodes_.size()) - 1);
        nodes_.push_back(std::move(node));
        return int(nodes_.size()) - 1;
    }

    void addInput() {
        GraphNode image;
        image.kind = GraphNodeKind::Image;
        image.name = "image";
        image.output = {ShapeLayout::AnySize, m_.config.num_channels, 0, 0};
        add(image);
        GraphNode pre;
        pre.kind = GraphNodeKind::Preprocessing;
        pre.name = "preprocessing";
        pre.output = {ShapeLayout::Image, m_.config.num_channels, m_.config.image_size, m_.config.image_size};
        add(pre);
    }

    void addPatchEmbedding() {
        int size = m_.config.image_size;
        for (int i = 0; i < 4; ++i) {
            const ConvLayer& conv = m_.patch[i];
            size = conv.outputSize(size);
            GraphNode n;
            n.kind = GraphNodeKind::PatchConvolution;
            n.name = "conv" + std::to_string(i + 1);
            n.patch_conv = i;
            n.output = {ShapeLayout::Image, conv.out_channels, size, size};
            // Conv2d without bias, BatchNorm2d weight and bias.
            n.parameters = int64_t(conv.out_channels) * conv.in_channels * conv.kernel * conv.kernel + 2 * int64_t(conv.out_channels);
            n.flops = denseFlops(conv.dense, double(size) * size);
            n.kernel = conv.kernel;
            n.stride = conv.stride;
            n.input_channels = conv.in_channels;
            n.hardswish_after = i < 3;
            n.feature_stage = 0;
            n.feature_maps_exact = i == 3;  // no activation after the last conv: its output is the embedding
            add(n);
        }
    }

    void addLayer(int index) {
        const LayerPlan& layer = m_.layers[size_t(index)];
        GraphNode n;
        n.name = layer.name;
        n.stage = layer.stage;
        n.layer = index;
        n.layer_in_stage = layer.index;
        n.input_channels = layer.channels_in;
        n.output = tokensShape(layer.channels_out, layer.resolution_out);
        n.feature_stage = 1 + layer.stage;
        n.feature_maps_exact = m_.stage_last_layer[size_t(layer.stage)] == index;
        const double n_in = double(layer.resolution_in) * layer.resolution_in;
        const double n_out = double(layer.resolution_out) * layer.resolution_out;
        if (layer.kind == BlockKind::Mlp) {
            n.kind = GraphNodeKind::Mlp;
            n.hidden = layer.mlp.up.out();
            n.parameters = linearBatchNormParameters(layer.mlp.up) + linearBatchNormParameters(layer.mlp.down);
            n.flops = denseFlops(layer.mlp.up, n_in) + denseFlops(layer.mlp.down, n_in);
            add(n);
            return;
        }
        const AttentionBlock& a = m_.attention[size_t(layer.attention)];
        const bool subsample = layer.kind == BlockKind::AttentionSubsample;
        n.kind = subsample ? GraphNodeKind::AttentionSubsample : GraphNodeKind::Attention;
        n.attention_block = layer.attention;
        n.heads = a.info.heads;
        n.key_dim = a.info.key_dim;
        n.value_dim = a.info.value_dim;
        n.stride = a.info.stride;
        n.parameters = linearBatchNormParameters(a.qkv) + linearBatchNormParameters(a.projection) +
                       int64_t(a.attention_biases.size());
        n.flops = denseFlops(a.qkv, n_in) + denseFlops(a.projection, n_out) +
                  2.0 * a.info.heads * n_out * n_in * (a.info.key_dim + a.info.value_dim);
        if (subsample) {
            n.parameters += linearBatchNormParameters(a.queries);
            n.flops += denseFlops(a.queries, n_out);
        }
        add(n);
    }

    void addHeads() {
        const int channels = m_.config.hidden_sizes.back();
        const int labels = m_.config.numLabels();
        GraphNode pool;
        pool.kind = GraphNodeKind::Pooling;
        pool.name = "pooling";
        pool.output = {ShapeLayout::Vector, channels, 0, 0};
        pool.input_channels = channels;
        pool.feature_stage = m_.config.numStages();  // the maps it averages: the last stage's output
        const int pooling = add(pool);
        auto head = [&](GraphNodeKind kind, const char* name, const DenseLayer& d) {
            GraphNode n;
            n.kind = kind;
            n.name = name;
            n.inputs = {pooling};
            n.output = {ShapeLayout::Vector, labels, 0, 0};
            n.input_channels = channels;
            n.parameters = batchNormLinearParameters(d);
            n.flops = denseFlops(d, 1);
            return add(n);
        };
        const int cls = head(GraphNodeKind::ClassificationHead, "classifier", m_.cls_head);
        const int distill = head(GraphNodeKind::DistillationHead, "classifier_distill", m_.distill_head);
        GraphNode mean;
        mean.kind = GraphNodeKind::Average;
        mean.name = "logits";
        mean.inputs = {cls, distill};
        mean.output = {ShapeLayout::Vector, labels, 0, 0};
        add(mean);
    }

    const Model::Impl& m_;
    std::vector<GraphNode> nodes_;
};

// The time of `node` in `t`, or NaN when `t` does not hold it (NaN is also what an untimed pass leaves).
double nodeTime(const GraphNode& node, const StageTimings& t) {
    constexpr double kNone = std::numeric_limits<double>::quiet_NaN();
    switch (node.kind) {
    case GraphNodeKind::Image: return kNone;
    case GraphNodeKind::Preprocessing: return t.preprocess_ms > 0 ? t.preprocess_ms : kNone;
    case GraphNodeKind::PatchConvolution: return t.patch_conv_ms[node.patch_conv];
    case GraphNodeKind::Attention:
    case GraphNodeKind::Mlp:
    case GraphNodeKind::AttentionSubsample:
        return size_t(node.layer) < t.layer_ms.size() ? t.layer_ms[size_t(node.layer)] : kNone;
    case GraphNodeKind::Pooling: return t.pooling_ms;
    case GraphNodeKind::ClassificationHead: return t.classifier_ms;
    case GraphNodeKind::DistillationHead: return t.distillation_ms;
    case GraphNodeKind::Average: return t.average_ms;
    }
    return kNone;
}

}  // namespace

std::vector<GraphNode> modelGraph(const Model& model) { return GraphBuilder(model.impl()).build(); }

std::vector<double> nodeTimes(const std::vector<GraphNode>& graph, const StageTimings& timings) {
    std::vector<double> times(graph.size(), std::numeric_limits<double>::quiet_NaN());
    // A pass without timings (total 0) or of a model with another number of layers times none of these nodes.
    size_t layers = 0;
    for (const GraphNode& n : graph) layers += n.layer >= 0;
    if (!(timings.total_ms > 0) || timings.layer_ms.size() != layers) return times;
    for (size_t i = 0; i < graph.size(); ++i) times[i] = nodeTime(graph[i], timings);
    return times;
}

}  // namespace levit
