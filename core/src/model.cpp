// Building a Model: reads Hugging Face-named tensors, checks every shape against the config, folds each
// BatchNorm into its neighbouring conv/linear (in double precision), and expands the attention biases.
#include "levit/model.h"

#include <cmath>
#include <limits>
#include <random>
#include <set>

#include "attention_bias.h"
#include "levit/error.h"
#include "model_impl.h"

namespace levit {

namespace {
constexpr double kBatchNormEps = 1e-5;
}  // namespace

// Hands out the tensors the model asks for by name, checking shapes and counting parameters.
class WeightReader {
public:
    WeightReader(const std::map<std::string, Tensor>& weights, const std::string& source)
        : weights_(weights), source_(source) {}
    // Generating reader: every tensor asked for is made up on the spot (Model::withRandomWeights).
    WeightReader(unsigned seed, const std::string& source) : weights_(generated_), source_(source), rng_(seed), generate_(true) {}

    const Tensor& get(const std::string& name, const std::vector<int64_t>& shape) {
        if (generate_ && !generated_.count(name)) generated_[name] = randomTensor(name, shape);
        auto it = weights_.find(name);
        if (it == weights_.end())
            throw Error(source_ + ": missing tensor '" + name + "' (expected shape " + shapeToString(shape) +
                        "; config does not match weights)");
        if (it->second.shape != shape)
            throw Error(source_ + ": tensor '" + name + "' has shape " + shapeToString(it->second.shape) +
                        ", but the config implies " + shapeToString(shape) + " (config does not match weights)");
        if (!generate_) requireFinite(name, it->second);
        used_.insert(name);
        if (name.find("running_") == std::string::npos) parameters_ += it->second.numel();
        return it->second;
    }

    // Names the reader never asked for: the weights describe a bigger or different model.
    void checkAllUsed() const {
        if (generate_) return;
        for (const auto& [name, tensor] : weights_) {
            if (used_.count(name)) continue;
            if (name.find("num_batches_tracked") != std::string::npos ||
                name.find("attention_bias_idxs") != std::string::npos)
                continue;
            throw Error(source_ + ": tensor '" + name + "' " + shapeToString(tensor.shape) +
                        " is not part of the model the config describes (config does not match weights)");
        }
    }

    int64_t parameters() const { return parameters_; }

private:
    // A NaN or infinite weight would make every output NaN ("-nan%"): refused at load, naming the tensor.
    void requireFinite(const std::string& name, const Tensor& t) const {
        for (size_t i = 0; i < t.values.size(); ++i)
            if (!std::isfinite(t.values[i]))
                throw Error(source_ + ": tensor '" + name + "' holds a non-finite value (" +
                            (std::isnan(t.values[i]) ? "NaN" : "infinity") + ") at index " + std::to_string(i));
    }

    // Values that keep activations in a sane range: weights ~ U(-1, 1) * sqrt(3 / fan_in) (unit variance
    // out for unit variance in), BatchNorm close to identity, attention biases ~ U(-1, 1).
    Tensor randomTensor(const std::string& name, const std::vector<int64_t>& shape) {
        Tensor t;
        t.shape = shape;
        t.values.resize(size_t(t.numel()));
        auto ends = [&](const char* suffix) {
            const std::string s(suffix);
            return name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
        };
        float low = -1, high = 1;
        if (ends("running_var") || ends("batch_norm.weight")) {
            low = 0.5f, high = 1.5f;
        } else if (ends("running_mean") || ends(".bias")) {
            low = -0.1f, high = 0.1f;
        } else if (!ends("attention_biases")) {
            const double fan_in = double(t.numel()) / double(shape[0]);
            high = float(std::sqrt(3.0 / fan_in));
            low = -high;
        }
        std::uniform_real_distribution<float> dist(low, high);
        for (float& v : t.values) v = dist(rng_);
        return t;
    }

    std::map<std::string, Tensor> generated_;
    const std::map<std::string, Tensor>& weights_;
    const std::string& source_;
    std::set<std::string> used_;
    int64_t parameters_ = 0;
    std::mt19937 rng_;
    bool generate_ = false;
};

namespace {

// Packs a folded row-major (out x in) weight matrix for the GEMM kernel.
DenseLayer makeDense(const std::vector<float>& weight, int out, int in, Eigen::VectorXf bias) {
    DenseLayer layer;
    layer.weight = detail::packMatrix(weight.data(), out, in, size_t(in), 1);
    layer.bias = std::move(bias);
    return layer;
}

struct BatchNormScale {
    std::vector<double> scale, shift;  // y = scale * x + shift
};

BatchNormScale readBatchNorm(WeightReader& reader, const std::string& prefix, int channels) {
    const std::vector<int64_t> shape{channels};
    const Tensor& gamma = reader.get(prefix + ".weight", shape);
    const Tensor& beta = reader.get(prefix + ".bias", shape);
    const Tensor& mean = reader.get(prefix + ".running_mean", shape);
    const Tensor& var = reader.get(prefix + ".running_var", shape);
    BatchNormScale bn;
    bn.scale.resize(channels);
    bn.shift.resize(channels);
    for (int c = 0; c < channels; ++c) {
        const double s = double(gamma.values[c]) / std::sqrt(double(var.values[c]) + kBatchNormEps);
        bn.scale[c] = s;
        bn.shift[c] = double(beta.values[c]) - double(mean.values[c]) * s;
    }
    return bn;
}

// MLPLayerWithBN: Linear(in, out, bias=False) followed by BatchNorm1d(out).
DenseLayer readLinearBatchNorm(WeightReader& reader, const std::string& prefix, int in, int out) {
    const Tensor& w = reader.get(prefix + ".linear.weight", {out, in});
    const BatchNormScale bn = readBatchNorm(reader, prefix + ".batch_norm", out);
    std::vector<float> weight(size_t(out) * in);
    Eigen::VectorXf bias(out);
    for (int o = 0; o < out; ++o) {
        for (int i = 0; i < in; ++i)
            weight[size_t(o) * in + i] = static_cast<float>(double(w.values[size_t(o) * in + i]) * bn.scale[o]);
        bias(o) = static_cast<float>(bn.shift[o]);
    }
    return makeDense(weight, out, in, std::move(bias));
}

// LevitClassificationLayer: BatchNorm1d(in) followed by Linear(in, out) with bias.
DenseLayer readBatchNormLinear(WeightReader& reader, const std::string& prefix, int in, int out) {
    const BatchNormScale bn = readBatchNorm(reader, prefix + ".batch_norm", in);
    const Tensor& w = reader.get(prefix + ".linear.weight", {out, in});
    const Tensor& b = reader.get(prefix + ".linear.bias", {out});
    std::vector<float> weight(size_t(out) * in);
    Eigen::VectorXf bias(out);
    for (int o = 0; o < out; ++o) {
        double sum = b.values[o];
        for (int i = 0; i < in; ++i) {
            const double wi = w.values[size_t(o) * in + i];
            weight[size_t(o) * in + i] = static_cast<float>(wi * bn.scale[i]);
            sum += wi * bn.shift[i];
        }
        bias(o) = static_cast<float>(sum);
    }
    return makeDense(weight, out, in, std::move(bias));
}

// LevitConvEmbeddings: Conv2d(bias=False) + BatchNorm2d, as a GEMM with columns ordered (ky, kx, channel).
ConvLayer readConvBatchNorm(WeightReader& reader, const std::string& prefix, const Config& config, int in, int out) {
    const int k = config.kernel_size;
    const Tensor& w = reader.get(prefix + ".convolution.weight", {out, in, k, k});
    const BatchNormScale bn = readBatchNorm(reader, prefix + ".batch_norm", out);
    ConvLayer conv;
    conv.in_channels = in;
    conv.out_channels = out;
    conv.kernel = k;
    conv.stride = config.stride;
    conv.padding = config.padding;
    const int cols = k * k * in;
    std::vector<float> weight(size_t(out) * cols);
    Eigen::VectorXf bias(out);
    for (int o = 0; o < out; ++o) {
        for (int c = 0; c < in; ++c)
            for (int ky = 0; ky < k; ++ky)
                for (int kx = 0; kx < k; ++kx) {
                    const double v = w.values[((size_t(o) * in + c) * k + ky) * k + kx];
                    weight[size_t(o) * cols + (ky * k + kx) * in + c] = static_cast<float>(v * bn.scale[o]);
                }
        bias(o) = static_cast<float>(bn.shift[o]);
    }
    conv.dense = makeDense(weight, out, cols, std::move(bias));
    return conv;
}

AttentionBlock readAttention(WeightReader& reader, const std::string& prefix, AttentionBlockInfo info) {
    AttentionBlock block;
    const int h = info.heads, kd = info.key_dim, vd = info.value_dim;
    const bool subsample = info.kind == BlockKind::AttentionSubsample;
    if (subsample) {
        block.qkv = readLinearBatchNorm(reader, prefix + ".keys_values", info.in_channels, h * (kd + vd));
        block.queries = readLinearBatchNorm(reader, prefix + ".queries", info.in_channels, h * kd);
    } else {
        block.qkv = readLinearBatchNorm(reader, prefix + ".queries_keys_values", info.in_channels, h * (2 * kd + vd));
    }
    block.projection = readLinearBatchNorm(reader, prefix + ".projection", h * vd, info.out_channels);
    block.scale = static_cast<float>(std::pow(double(kd), -0.5));

    // The biases' shape is checked before the index table (queries x keys entries) is built from the config.
    const int n_offsets = countBiasOffsets(info.resolution_in, info.resolution_out, info.stride);
    const Tensor& biases = reader.get(prefix + ".attention_biases", {h, n_offsets});
    const BiasIndexTable table = buildBiasIndexTable(info.resolution_in, info.resolution_out, info.stride);
    block.queries_count = table.queries;
    block.keys_count = table.keys;
    block.bias_index = table.index;
    block.offsets = table.offsets;
    block.attention_biases.resize(h, n_offsets);
    for (int i = 0; i < h; ++i)
        for (int j = 0; j < n_offsets; ++j) block.attention_biases(i, j) = biases.values[size_t(i) * n_offsets + j];
    const size_t per_head = size_t(table.queries) * table.keys;
    block.bias_expanded.resize(size_t(h) * per_head);
    for (int i = 0; i < h; ++i)
        for (size_t qk = 0; qk < per_head; ++qk)
            block.bias_expanded[i * per_head + qk] = block.attention_biases(i, table.index[qk]);
    block.bias_columns = buildBiasColumns(table, info.resolution_in, info.resolution_out, info.stride,
                                          biases.values.data(), h);
    block.info = std::move(info);
    return block;
}

}  // namespace

Model::Model(const Config& config, const std::map<std::string, Tensor>& weights, const std::string& source)
    : impl_(std::make_unique<Impl>()) {
    WeightReader reader(weights, source);
    build(config, source, reader);
}

Model::Model(const Config& config, unsigned seed, const std::string& source) : impl_(std::make_unique<Impl>()) {
    WeightReader reader(seed, source);
    build(config, source, reader);
}

std::shared_ptr<const Model> Model::withRandomWeights(const Config& config, unsigned seed) {
    return std::shared_ptr<const Model>(new Model(config, seed, "random weights for " + config.name));
}

void Model::build(const Config& config, const std::string& source, WeightReader& reader) {
    config.validate(source);
    Impl& m = *impl_;
    m.config = config;
    m.source = source;

    const int c0 = config.hidden_sizes[0];
    const int patch_channels[5] = {config.num_channels, c0 / 8, c0 / 4, c0 / 2, c0};
    for (int i = 0; i < 4; ++i)
        m.patch[i] = readConvBatchNorm(reader, "levit.patch_embeddings.embedding_layer_" + std::to_string(i + 1), config,
                                       patch_channels[i], patch_channels[i + 1]);

    int resolution = config.image_size / config.patch_size;
    for (int s = 0; s < config.numStages(); ++s) {
        const int channels = config.hidden_sizes[s];
        const std::string stage_prefix = "levit.encoder.stages." + std::to_string(s) + ".layers.";
        int index = 0;
        auto addAttention = [&](BlockKind kind, int heads, int key_dim, int ratio, int channels_out, int stride) {
            AttentionBlockInfo info;
            const bool subsample = kind == BlockKind::AttentionSubsample;
            info.name = "stage" + std::to_string(s) + "_layer" + std::to_string(index) +
                        (subsample ? "_LevitAttentionSubsample" : "_LevitAttention");
            info.stage = s;
            info.layer = index;
            info.kind = kind;
            info.heads = heads;
            info.key_dim = key_dim;
            info.value_dim = ratio * key_dim;
            info.resolution_in = resolution;
            info.stride = stride;
            info.resolution_out = subsample ? (resolution - 1) / stride + 1 : resolution;
            info.in_channels = channels;
            info.out_channels = channels_out;
            LayerPlan layer;
            layer.kind = subsample ? BlockKind::AttentionSubsample : BlockKind::Attention;
            layer.stage = s;
            layer.index = index;
            layer.name = info.name;
            layer.channels_in = channels;
            layer.channels_out = channels_out;
            layer.resolution_in = info.resolution_in;
            layer.resolution_out = info.resolution_out;
            layer.attention = static_cast<int>(m.attention.size());
            const std::string prefix = stage_prefix + std::to_string(index) + (subsample ? "" : ".module");
            m.infos.push_back(info);
            m.attention.push_back(readAttention(reader, prefix, info));
            m.layers.push_back(std::move(layer));
            ++index;
        };
        auto addMlp = [&](int width, int ratio) {
            LayerPlan layer;
            layer.kind = BlockKind::Mlp;
            layer.stage = s;
            layer.index = index;
            layer.name = "stage" + std::to_string(s) + "_layer" + std::to_string(index) + "_LevitMLPLayer";
            layer.channels_in = layer.channels_out = width;
            layer.resolution_in = layer.resolution_out = resolution;
            const std::string prefix = stage_prefix + std::to_string(index) + ".module";
            layer.mlp.up = readLinearBatchNorm(reader, prefix + ".linear_up", width, width * ratio);
            layer.mlp.down = readLinearBatchNorm(reader, prefix + ".linear_down", width * ratio, width);
            m.layers.push_back(std::move(layer));
            ++index;
        };
        for (int d = 0; d < config.depths[s]; ++d) {
            addAttention(BlockKind::Attention, config.num_attention_heads[s], config.key_dim[s],
                         config.attention_ratio[s], channels, 1);
            if (config.mlp_ratio[s] > 0) addMlp(channels, config.mlp_ratio[s]);
        }
        if (s < static_cast<int>(config.down_ops.size()) && config.down_ops[s]) {
            const DownOp& op = *config.down_ops[s];
            const int channels_out = config.hidden_sizes[s + 1];
            addAttention(BlockKind::AttentionSubsample, op.num_heads, op.key_dim, op.attention_ratio, channels_out,
                         op.stride);
            resolution = (resolution - 1) / op.stride + 1;
            if (op.mlp_ratio > 0) addMlp(channels_out, op.mlp_ratio);
        }
        m.stage_last_layer.push_back(static_cast<int>(m.layers.size()) - 1);
    }

    const int last = config.hidden_sizes.back();
    m.cls_head = readBatchNormLinear(reader, "classifier", last, config.numLabels());
    m.distill_head = readBatchNormLinear(reader, "classifier_distill", last, config.numLabels());
    reader.checkAllUsed();
    m.parameter_count = reader.parameters();
}

Model::~Model() = default;

const Config& Model::config() const { return impl_->config; }

const std::vector<AttentionBlockInfo>& Model::attentionBlocks() const { return impl_->infos; }

BiasTables Model::biasTables(int block) const {
    if (block < 0 || block >= static_cast<int>(impl_->attention.size()))
        throw Error("attention block " + std::to_string(block) + " does not exist (the model has " +
                    std::to_string(impl_->attention.size()) + ")");
    const AttentionBlock& a = impl_->attention[block];
    BiasTables t;
    t.block = block;
    t.heads = a.info.heads;
    t.queries = a.queries_count;
    t.keys = a.keys_count;
    t.expanded = a.bias_expanded;
    t.offset_index = a.bias_index;
    for (const auto& [dy, dx] : a.offsets) {
        t.offset_rows = std::max(t.offset_rows, dy + 1);
        t.offset_cols = std::max(t.offset_cols, dx + 1);
    }
    t.by_offset.assign(size_t(t.heads) * t.offset_rows * t.offset_cols, std::numeric_limits<float>::quiet_NaN());
    for (int h = 0; h < t.heads; ++h)
        for (size_t o = 0; o < a.offsets.size(); ++o) {
            const auto [dy, dx] = a.offsets[o];
            t.by_offset[(size_t(h) * t.offset_rows + dy) * t.offset_cols + dx] = a.attention_biases(h, o);
        }
    return t;
}

ModelSummary Model::summary() const {
    const Impl& m = *impl_;
    ModelSummary s;
    s.parameters = m.parameter_count;
    s.stage_gflops.assign(m.config.numStages() + 2, 0.0);
    int size = m.config.image_size;
    for (const ConvLayer& conv : m.patch) {
        size = conv.outputSize(size);
        s.stage_gflops[0] += 2.0 * conv.dense.out() * conv.dense.in() * size * size;
    }
    for (const LayerPlan& layer : m.layers) {
        double& f = s.stage_gflops[1 + layer.stage];
        const double n_in = double(layer.resolution_in) * layer.resolution_in;
        const double n_out = double(layer.resolution_out) * layer.resolution_out;
        if (layer.kind == BlockKind::Mlp) {
            f += 2.0 * n_in * (layer.mlp.up.out() * layer.mlp.up.in() + layer.mlp.down.out() * layer.mlp.down.in());
            continue;
        }
        const AttentionBlock& a = m.attention[layer.attention];
        f += 2.0 * n_in * a.qkv.out() * a.qkv.in();
        if (layer.kind == BlockKind::AttentionSubsample) f += 2.0 * n_out * a.queries.out() * a.queries.in();
        f += 2.0 * a.info.heads * n_out * n_in * (a.info.key_dim + a.info.value_dim);
        f += 2.0 * n_out * a.projection.out() * a.projection.in();
    }
    s.stage_gflops.back() = 2.0 * 2.0 * m.cls_head.out() * m.cls_head.in();
    for (double& f : s.stage_gflops) {
        f /= 1e9;
        s.total_gflops += f;
    }
    return s;
}

}  // namespace levit
