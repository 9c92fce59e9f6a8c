// GradientEngine: LeViT's forward pass on the unfolded Hugging Face parameters with the caches of
// backward_layers.h, the cross-entropy loss of both heads, and the backward pass in reverse layer order.
#include "levit/gradients.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <set>

#include "attention_bias.h"
#include "backward_layers.h"
#include "levit/error.h"
#include "levit/training_step.h"

namespace levit {

using backprop::Matrix;

namespace {

std::string stagePrefix(int stage, int index) {
    return "levit.encoder.stages." + std::to_string(stage) + ".layers." + std::to_string(index);
}

void addLinearBatchNormNames(std::vector<std::string>& names, const std::string& prefix) {
    for (const char* suffix : {".linear.weight", ".batch_norm.weight", ".batch_norm.bias"}) names.push_back(prefix + suffix);
}

// Walks the layers of a config in Hugging Face's order: fn(kind, stage, index within the stage's layers).
template <typename Fn>
void forEachLayer(const Config& config, Fn&& fn) {
    for (int s = 0; s < config.numStages(); ++s) {
        int index = 0;
        for (int d = 0; d < config.depths[s]; ++d) {
            fn(BlockKind::Attention, s, index++);
            if (config.mlp_ratio[s] > 0) fn(BlockKind::Mlp, s, index++);
        }
        if (s < static_cast<int>(config.down_ops.size()) && config.down_ops[s]) {
            fn(BlockKind::AttentionSubsample, s, index++);
            if (config.down_ops[s]->mlp_ratio > 0) fn(BlockKind::Mlp, s, index++);
        }
    }
}

std::vector<std::string> layerParameterNames(BlockKind kind, int stage, int index) {
    std::vector<std::string> names;
    const std::string prefix = stagePrefix(stage, index);
    switch (kind) {
        case BlockKind::Attention:
            names.push_back(prefix + ".module.attention_biases");
            addLinearBatchNormNames(names, prefix + ".module.queries_keys_values");
            addLinearBatchNormNames(names, prefix + ".module.projection");
            break;
        case BlockKind::AttentionSubsample:
            names.push_back(prefix + ".attention_biases");
            addLinearBatchNormNames(names, prefix + ".keys_values");
            addLinearBatchNormNames(names, prefix + ".queries");
            addLinearBatchNormNames(names, prefix + ".projection");
            break;
        case BlockKind::Mlp:
            addLinearBatchNormNames(names, prefix + ".module.linear_up");
            addLinearBatchNormNames(names, prefix + ".module.linear_down");
            break;
    }
    return names;
}

std::vector<std::string> headParameterNames() {
    std::vector<std::string> names;
    for (const char* head : {"classifier", "classifier_distill"})
        for (const char* suffix : {".batch_norm.weight", ".batch_norm.bias", ".linear.weight", ".linear.bias"})
            names.push_back(std::string(head) + suffix);
    return names;
}

}  // namespace

std::vector<std::string> parameterNames(const Config& config) {
    std::vector<std::string> names;
    for (int i = 1; i <= 4; ++i) {
        const std::string prefix = "levit.patch_embeddings.embedding_layer_" + std::to_string(i);
        for (const char* suffix : {".convolution.weight", ".batch_norm.weight", ".batch_norm.bias"}) names.push_back(prefix + suffix);
    }
    forEachLayer(config, [&](BlockKind kind, int stage, int index) {
        for (std::string& n : layerParameterNames(kind, stage, index)) names.push_back(std::move(n));
    });
    for (std::string& n : headParameterNames()) names.push_back(std::move(n));
    return names;
}

std::vector<std::string> parameterNamesOf(const Config& config, const std::string& scope) {
    if (scope == "all") return parameterNames(config);
    if (scope != "head" && scope != "last-stage")
        throw Error("unknown training scope '" + scope + "' (expected head, last-stage or all)");
    std::vector<std::string> names;
    if (scope == "last-stage")
        forEachLayer(config, [&](BlockKind kind, int stage, int index) {
            if (stage != config.numStages() - 1) return;
            for (std::string& n : layerParameterNames(kind, stage, index)) names.push_back(std::move(n));
        });
    for (std::string& n : headParameterNames()) names.push_back(std::move(n));
    return names;
}

// The network as layers with backward passes, wired to the tensors of `weights` and, for the parameters
// asked for, to the gradient tensors of `result`. Every buffer is a member that keeps its size from one
// step to the next: repeated steps of one batch size allocate nothing.
struct GradientEngine::Impl {
    Config config;
    std::string source;
    std::map<std::string, Tensor> weights;
    std::map<std::string, int> depth;  // parameter -> position of its layer (0..3 convolutions, then layers, then heads)
    std::vector<std::string> all_parameters;
    std::vector<backprop::Param*> params;    // every parameter of every layer, after build()
    std::vector<std::string> selected;       // the parameters result.parameters holds, in the request's order
    bool selection_made = false;
    detail::ProductWorkspace workspace;      // the products' scratch, shared by all layers

    backprop::ConvBatchNorm convs[4];
    struct Layer {
        BlockKind kind = BlockKind::Mlp;
        backprop::AttentionLayer attention;
        backprop::MlpLayer mlp;
        int position = 0;
        int stream = 0;  // the residual stream the layer reads (a subsample block writes the next one)
    };
    // A residual stream (tokens between two subsample blocks, channels x batch * tokens) and the buffers of
    // the layers on it, which have its shape: each buffer keeps one size from step to step.
    struct Stream {
        Matrix tokens, dtokens;  // the stream (updated in place by residual layers) and its gradient
        Matrix module_output, dmodule_output, dmodule_input;  // a residual module's, consumed at once
    };
    std::vector<Stream> streams;
    std::vector<Layer> layers;
    backprop::ClassifierHead heads[2];
    int head_position = 0;
    Gradients result;

    // Forward and backward buffers of the engine itself (the layers keep their own).
    Matrix pixels_in, conv_out[3], conv_activated[3], pooled, logits[2], dlogits[2], dpooled, conv_dinput[4];

    std::mt19937* initialise = nullptr;  // when set, missing tensors are created as Hugging Face initialises them

    Tensor& tensor(const std::string& name, const std::vector<int64_t>& shape) {
        auto it = weights.find(name);
        if (it == weights.end() && initialise) it = weights.emplace(name, initialTensor(name, shape)).first;
        if (it == weights.end()) throw Error(source + ": tensor '" + name + "' is missing");
        if (it->second.shape != shape)
            throw Error(source + ": tensor '" + name + "' has shape " + shapeToString(it->second.shape) + ", expected " +
                        shapeToString(shape));
        return it->second;
    }
    backprop::Param param(const std::string& name, const std::vector<int64_t>& shape, int position) {
        Tensor& value = tensor(name, shape);
        depth[name] = position;
        return {name, &value, nullptr};
    }
    backprop::BatchNormEval batchNorm(const std::string& prefix, int channels, int position) {
        backprop::BatchNormEval bn;
        bn.gamma = param(prefix + ".weight", {channels}, position);
        bn.beta = param(prefix + ".bias", {channels}, position);
        bn.mean = &tensor(prefix + ".running_mean", {channels});
        bn.var = &tensor(prefix + ".running_var", {channels});
        for (float v : bn.var->values)
            if (!(v >= 0.0f) || !std::isfinite(v)) throw Error(source + ": " + prefix + ".running_var holds a negative or non-finite value");
        return bn;
    }
    backprop::LinearBatchNorm linear(const std::string& prefix, int in, int out, int position) {
        backprop::LinearBatchNorm l;
        l.in = in;
        l.out = out;
        l.weight = param(prefix + ".linear.weight", {out, in}, position);
        l.bn = batchNorm(prefix + ".batch_norm", out, position);
        l.workspace = &workspace;
        return l;
    }

    Tensor initialTensor(const std::string& name, const std::vector<int64_t>& shape) {
        Tensor t;
        t.shape = shape;
        size_t n = 1;
        for (int64_t d : shape) n *= size_t(d);
        auto ends = [&](const char* suffix) {
            const size_t k = std::strlen(suffix);
            return name.size() >= k && name.compare(name.size() - k, k, suffix) == 0;
        };
        const bool ones = ends("running_var") || ends("batch_norm.weight");
        const bool zeros = ends("running_mean") || ends("bias") || ends("attention_biases");
        t.values.assign(n, ones ? 1.0f : 0.0f);
        if (!ones && !zeros) {
            std::normal_distribution<float> normal(0.0f, 0.02f);
            for (float& v : t.values) v = normal(*initialise);
        }
        return t;
    }

    void build();
    void collectParams();
    void selectGradients(const std::vector<std::string>& names);
    void forward(std::span<const float> pixels, int batch);
    void checkInput(std::span<const float> pixels, int batch) const;
    int finalSide() const;
    // From dpooled down: to the layer at position `stop` (whose parameter gradients are wanted), to the
    // pixels (into result.pixels) when `pixels`, and at least far enough to copy the gradient of stream
    // `capture_stream` (-1: none) into result.stage.
    void backward(int batch, int stop, bool pixels, int capture_stream);
    void captureStream(int stream, const Matrix& gradient, int batch);
    double loss(const Matrix& logits, const LossTargets& targets, std::span<const int> labels, double weight,
                Matrix& dlogits) const;
};

void GradientEngine::Impl::build() {
    config.validate(source);
    const int c0 = config.hidden_sizes[0];
    const int channels[5] = {config.num_channels, c0 / 8, c0 / 4, c0 / 2, c0};
    for (int i = 0; i < 4; ++i) {
        const std::string prefix = "levit.patch_embeddings.embedding_layer_" + std::to_string(i + 1);
        backprop::ConvBatchNorm& conv = convs[i];
        conv.in = channels[i];
        conv.out = channels[i + 1];
        conv.kernel = config.kernel_size;
        conv.stride = config.stride;
        conv.padding = config.padding;
        conv.weight = param(prefix + ".convolution.weight", {conv.out, conv.in, conv.kernel, conv.kernel}, i);
        conv.bn = batchNorm(prefix + ".batch_norm", conv.out, i);
        conv.workspace = &workspace;
    }
    int resolution = config.image_size / config.patch_size;
    int position = 4;
    streams.assign(1, Stream{});
    forEachLayer(config, [&](BlockKind kind, int s, int index) {
        Layer layer;
        layer.kind = kind;
        layer.position = position;
        layer.stream = int(streams.size()) - 1;
        const std::string prefix = stagePrefix(s, index);
        const int width = config.hidden_sizes[s];
        if (kind == BlockKind::Mlp) {
            // An MLP after a subsample block works at the next stage's width and resolution.
            const bool follows_subsample = !layers.empty() && layers.back().kind == BlockKind::AttentionSubsample;
            const int w = follows_subsample ? config.hidden_sizes[s + 1] : width;
            const int ratio = follows_subsample ? config.down_ops[s]->mlp_ratio : config.mlp_ratio[s];
            layer.mlp.up = linear(prefix + ".module.linear_up", w, w * ratio, position);
            layer.mlp.down = linear(prefix + ".module.linear_down", w * ratio, w, position);
        } else {
            backprop::AttentionLayer& a = layer.attention;
            a.subsample = kind == BlockKind::AttentionSubsample;
            int out_channels = width;
            std::string module = prefix + ".module";
            if (a.subsample) {
                const DownOp& op = *config.down_ops[s];
                a.heads = op.num_heads;
                a.key_dim = op.key_dim;
                a.value_dim = op.attention_ratio * op.key_dim;
                a.stride = op.stride;
                out_channels = config.hidden_sizes[s + 1];
                module = prefix;
            } else {
                a.heads = config.num_attention_heads[s];
                a.key_dim = config.key_dim[s];
                a.value_dim = config.attention_ratio[s] * config.key_dim[s];
                a.stride = 1;
            }
            a.resolution_in = resolution;
            a.resolution_out = a.subsample ? (resolution - 1) / a.stride + 1 : resolution;
            a.scale = static_cast<float>(std::pow(double(a.key_dim), -0.5));
            const int h = a.heads, kd = a.key_dim, vd = a.value_dim;
            if (a.subsample) {
                a.qkv = linear(module + ".keys_values", width, h * (kd + vd), position);
                a.queries = linear(module + ".queries", width, h * kd, position);
            } else {
                a.qkv = linear(module + ".queries_keys_values", width, h * (2 * kd + vd), position);
            }
            a.projection = linear(module + ".projection", h * vd, out_channels, position);
            // The biases' shape is checked before the index table is built from the config.
            const int offsets = countBiasOffsets(a.resolution_in, a.resolution_out, a.stride);
            a.biases = param(module + ".attention_biases", {h, offsets}, position);
            a.bias_index = buildBiasIndexTable(a.resolution_in, a.resolution_out, a.stride).index;
            a.workspace = &workspace;
            resolution = a.resolution_out;
            if (a.subsample) streams.emplace_back();
        }
        layers.push_back(std::move(layer));
        ++position;
    });
    head_position = position;
    const int last = config.hidden_sizes.back();
    const char* names[2] = {"classifier", "classifier_distill"};
    for (int i = 0; i < 2; ++i) {
        backprop::ClassifierHead& head = heads[i];
        head.in = last;
        head.out = config.numLabels();
        head.bn = batchNorm(std::string(names[i]) + ".batch_norm", last, position);
        head.weight = param(std::string(names[i]) + ".linear.weight", {head.out, last}, position);
        head.bias = param(std::string(names[i]) + ".linear.bias", {head.out}, position);
        head.workspace = &workspace;
    }
    all_parameters = parameterNames(config);
}

// After build(): the layers no longer move, so pointers to their parameters stay valid.
void GradientEngine::Impl::collectParams() {
    params.clear();
    const backprop::ParamVisitor add = [this](backprop::Param& p) { params.push_back(&p); };
    for (backprop::ConvBatchNorm& conv : convs) conv.visit(add);
    for (Layer& layer : layers) {
        if (layer.kind == BlockKind::Mlp) layer.mlp.visit(add);
        else layer.attention.visit(add);
    }
    for (backprop::ClassifierHead& head : heads) head.visit(add);
}

// Points the layers' gradients at result.parameters, which holds exactly `names`: only the gradients asked
// for are computed. Rebuilt only when the set changes; otherwise the tensors are zeroed in place.
void GradientEngine::Impl::selectGradients(const std::vector<std::string>& names) {
    if (selection_made && names == selected) {
        for (auto& [name, grad] : result.parameters) std::fill(grad.values.begin(), grad.values.end(), 0.0f);
        return;
    }
    for (const std::string& name : names)
        if (!depth.count(name)) throw Error("no parameter named '" + name + "' in this model");
    result.parameters.clear();
    for (const std::string& name : names) {
        Tensor& grad = result.parameters[name];
        grad.shape = weights.at(name).shape;
        grad.values.assign(weights.at(name).values.size(), 0.0f);
    }
    for (backprop::Param* p : params) {
        auto it = result.parameters.find(p->name);
        p->grad = it == result.parameters.end() ? nullptr : &it->second;
    }
    selected = names;
    selection_made = true;
}

void GradientEngine::Impl::forward(std::span<const float> pixels, int batch) {
    const int size = config.image_size, c = config.num_channels;
    // NCHW pixels -> channels x (batch * pixels), pixels row-major per image.
    pixels_in.resize(c, Eigen::Index(batch) * size * size);
    for (int b = 0; b < batch; ++b)
        for (int ch = 0; ch < c; ++ch)
            for (int p = 0; p < size * size; ++p)
                pixels_in(ch, Eigen::Index(b) * size * size + p) = pixels[(size_t(b) * c + ch) * size * size + p];
    int side = size;
    // Each layer writes its own buffer, so every buffer keeps one size from step to step.
    const Matrix* x = &pixels_in;
    for (int i = 0; i < 4; ++i) {
        convs[i].forward(*x, batch, side, i < 3 ? conv_out[i] : streams[0].tokens);
        side = convs[i].out_size;
        if (i < 3) {
            backprop::hardswish(conv_out[i], conv_activated[i]);
            x = &conv_activated[i];
        }
    }
    // The residual stream (channels x batch * side * side, token order = HF's flatten(2)).
    for (Layer& layer : layers) {
        Stream& stream = streams[size_t(layer.stream)];
        if (layer.kind == BlockKind::Mlp) {
            layer.mlp.forward(stream.tokens, stream.module_output);
            stream.tokens += stream.module_output;
        } else if (layer.kind == BlockKind::Attention) {
            layer.attention.forward(stream.tokens, batch, stream.module_output);
            stream.tokens += stream.module_output;
        } else {
            layer.attention.forward(stream.tokens, batch, streams[size_t(layer.stream) + 1].tokens);
        }
    }
    const Matrix& last = streams.back().tokens;
    const Eigen::Index tokens = last.cols() / batch;
    pooled.resize(last.rows(), batch);
    for (int b = 0; b < batch; ++b) pooled.col(b) = last.middleCols(Eigen::Index(b) * tokens, tokens).rowwise().mean();
}

// Cross-entropy with label smoothing (torch's definition), mean over the batch, times `weight`; writes
// d loss / d logits.
double GradientEngine::Impl::loss(const Matrix& logits, const LossTargets& targets, std::span<const int> labels,
                                  double weight, Matrix& dlogits) const {
    const Eigen::Index classes = logits.rows(), batch = logits.cols();
    const double eps = targets.label_smoothing;
    dlogits.resize(classes, batch);
    double total = 0;
    for (Eigen::Index b = 0; b < batch; ++b) {
        const int label = labels[size_t(b)];
        if (label < 0 || label >= classes)
            throw Error("label " + std::to_string(label) + " of image " + std::to_string(b) + " is outside the model's " +
                        std::to_string(classes) + " classes");
        const double peak = logits.col(b).maxCoeff();
        double sum = 0;
        for (Eigen::Index i = 0; i < classes; ++i) sum += std::exp(double(logits(i, b)) - peak);
        const double log_sum = std::log(sum) + peak;
        double row_loss = 0;
        for (Eigen::Index i = 0; i < classes; ++i) {
            const double target = (i == label ? 1.0 - eps : 0.0) + eps / double(classes);
            const double log_p = double(logits(i, b)) - log_sum;
            row_loss -= target * log_p;
            dlogits(i, b) = static_cast<float>(weight * (std::exp(log_p) - target) / double(batch));
        }
        total += row_loss;
    }
    return weight * total / double(batch);
}

int GradientEngine::Impl::finalSide() const {
    int side = config.image_size / config.patch_size;
    for (const Layer& l : layers)
        if (l.kind != BlockKind::Mlp) side = l.attention.resolution_out;
    return side;
}

void GradientEngine::Impl::checkInput(std::span<const float> pixel_values, int batch) const {
    if (batch < 1 || batch > Session::kMaxBatch)
        throw Error("batch size must be between 1 and " + std::to_string(Session::kMaxBatch) + " (got " + std::to_string(batch) + ")");
    const size_t expected = size_t(batch) * config.num_channels * config.image_size * config.image_size;
    if (pixel_values.size() != expected)
        throw Error("pixel values hold " + std::to_string(pixel_values.size()) + " floats, but " + std::to_string(batch) +
                    " image(s) need " + std::to_string(expected));
}

// Stream s's final tokens and their gradient, from channels x (batch * tokens) to [batch, tokens, channels]:
// the same memory, since the matrices are column-major.
void GradientEngine::Impl::captureStream(int stream, const Matrix& gradient, int batch) {
    const Matrix& tokens = streams[size_t(stream)].tokens;
    StageGradient& out = result.stage;
    out.stage = stream;
    out.channels = int(tokens.rows());
    out.side = int(std::lround(std::sqrt(double(tokens.cols() / batch))));
    out.tokens.assign(tokens.data(), tokens.data() + tokens.size());
    out.gradient.assign(gradient.data(), gradient.data() + gradient.size());
}

void GradientEngine::Impl::backward(int batch, int stop, bool want_pixels, int capture_stream) {
    const Config& cfg = config;
    Gradients& r = result;
    const int last_stream = int(streams.size()) - 1;
    if (stop >= head_position && !want_pixels && capture_stream < 0) return;
    {
        // Mean pooling: every token of image b gets dpooled[:, b] / tokens.
        const int side = finalSide();
        const Eigen::Index tokens = Eigen::Index(side) * side;
        Matrix& dlast = streams.back().dtokens;
        dlast.resize(pooled.rows(), Eigen::Index(batch) * tokens);
        for (int b = 0; b < batch; ++b)
            for (Eigen::Index t = 0; t < tokens; ++t) dlast.col(Eigen::Index(b) * tokens + t) = dpooled.col(b) / float(tokens);
        if (capture_stream == last_stream) captureStream(last_stream, dlast, batch);
        Matrix* dx = &dlast;  // the gradient of the current residual stream
        bool below = true;    // whether the input gradient of the layers processed so far is needed
        for (auto layer = layers.rbegin(); layer != layers.rend() && below; ++layer) {
            // A subsample block of the captured stream, and every layer after it, must pass its gradient on.
            const bool for_capture = capture_stream >= 0 && (layer->stream > capture_stream ||
                                                             (layer->stream == capture_stream && layer->kind == BlockKind::AttentionSubsample));
            below = want_pixels || layer->position > stop || for_capture;
            if (!below && layer->position < stop) break;  // neither its gradients nor anything below are wanted
            Stream& stream = streams[size_t(layer->stream)];
            if (layer->kind == BlockKind::AttentionSubsample) {
                // The module's output is the next stream (dx), its input the previous one: the gradient moves there.
                Stream& next = streams[size_t(layer->stream) + 1];
                next.dmodule_output = *dx;
                stream.dtokens.setZero(layer->attention.input.rows(), layer->attention.input.cols());
                layer->attention.backward(next.dmodule_output, below ? &stream.dtokens : nullptr);
                dx = &stream.dtokens;
                if (layer->stream == capture_stream) captureStream(capture_stream, *dx, batch);
            } else {
                stream.dmodule_output = *dx;  // the module consumes it; dx goes on along the residual path
                if (layer->kind == BlockKind::Attention) {
                    layer->attention.backward(stream.dmodule_output, below ? dx : nullptr);  // adds to dx
                } else {
                    layer->mlp.backward(stream.dmodule_output, below ? &stream.dmodule_input : nullptr);
                    if (below) *dx += stream.dmodule_input;
                }
            }
        }
        for (int i = 3; i >= 0 && below && stop < 4; --i) {
            below = want_pixels || i > stop;
            if (i < 3) backprop::hardswishBackward(conv_out[i], *dx);
            convs[i].backward(*dx, below ? &conv_dinput[i] : nullptr);
            if (below) dx = &conv_dinput[i];
        }
        if (want_pixels) {
            const int size = cfg.image_size, c = cfg.num_channels;
            r.pixels.resize(size_t(batch) * c * size * size);
            for (int b = 0; b < batch; ++b)
                for (int ch = 0; ch < c; ++ch)
                    for (int p = 0; p < size * size; ++p)
                        r.pixels[(size_t(b) * c + ch) * size * size + p] = (*dx)(ch, Eigen::Index(b) * size * size + p);
        }
    }
}

const Gradients& GradientEngine::computeLogit(std::span<const float> pixel_values, int batch, const LogitRequest& request) {
    Impl& m = *impl_;
    m.checkInput(pixel_values, batch);
    const int classes = m.config.numLabels();
    if (request.classes.size() != size_t(batch)) throw Error("one class per image is needed");
    for (int k : request.classes)
        if (k < 0 || k >= classes)
            throw Error("class " + std::to_string(k) + " is outside the model's classes 0.." + std::to_string(classes - 1));
    const int stages = m.config.numStages();
    if (request.stage >= stages)
        throw Error("stage " + std::to_string(request.stage) + " is outside the model's stages 0.." + std::to_string(stages - 1));
    m.selectGradients({});
    m.forward(pixel_values, batch);
    Gradients& r = m.result;
    r.loss = 0;
    r.class_logits.assign(size_t(batch), 0.0f);
    const float weights[2] = {request.head == Head::Distillation ? 0.0f : request.head == Head::Mean ? 0.5f : 1.0f,
                              request.head == Head::Cls ? 0.0f : request.head == Head::Mean ? 0.5f : 1.0f};
    m.dpooled.setZero(m.pooled.rows(), m.pooled.cols());
    for (int i = 0; i < 2; ++i) {
        m.heads[i].forward(m.pooled, m.logits[i]);
        m.dlogits[i].setZero(m.logits[i].rows(), batch);
        for (int b = 0; b < batch; ++b) {
            m.dlogits[i](request.classes[size_t(b)], b) = weights[i];
            r.class_logits[size_t(b)] += weights[i] * m.logits[i](request.classes[size_t(b)], b);
        }
        if (weights[i] != 0.0f) m.heads[i].backward(m.dlogits[i], &m.dpooled);
    }
    r.stage = {};
    m.backward(batch, request.pixels ? 0 : m.head_position, request.pixels, request.stage);
    if (!request.pixels) r.pixels.clear();
    return r;
}

GradientEngine::GradientEngine(const Config& config, std::map<std::string, Tensor> weights, const std::string& source)
    : impl_(std::make_unique<Impl>()) {
    impl_->config = config;
    impl_->source = source;
    impl_->weights = std::move(weights);
    impl_->build();
    impl_->collectParams();
}

GradientEngine::~GradientEngine() = default;

const Config& GradientEngine::config() const { return impl_->config; }
std::map<std::string, Tensor>& GradientEngine::weights() { return impl_->weights; }
const std::map<std::string, Tensor>& GradientEngine::weights() const { return impl_->weights; }

std::map<std::string, Tensor> initialWeights(const Config& config, unsigned seed) {
    GradientEngine::Impl impl;
    std::mt19937 rng(seed);
    impl.config = config;
    impl.source = "initial weights";
    impl.initialise = &rng;
    impl.build();
    return std::move(impl.weights);
}

std::shared_ptr<const Model> GradientEngine::toModel() const {
    return std::make_shared<const Model>(impl_->config, impl_->weights, impl_->source);
}

const Gradients& GradientEngine::compute(std::span<const float> pixel_values, int batch, const LossTargets& targets,
                                         const GradientRequest& request) {
    Impl& m = *impl_;
    const Config& cfg = m.config;
    m.checkInput(pixel_values, batch);
    if (targets.labels.size() != size_t(batch)) throw Error("one label per image is needed");
    const std::span<const int> distill = targets.distillation_labels.empty() ? targets.labels : targets.distillation_labels;
    if (distill.size() != size_t(batch)) throw Error("one distillation label per image is needed");
    if (!(targets.cls_weight >= 0.0 && targets.cls_weight <= 1.0)) throw Error("cls_weight must be between 0 and 1");
    if (!(targets.label_smoothing >= 0.0 && targets.label_smoothing < 1.0)) throw Error("label smoothing must be in [0, 1)");

    // How deep the backward pass must go: to the earliest layer holding a wanted parameter (positions:
    // 0-3 the convolutions, then the encoder layers, then the heads), or to the pixels.
    int stop = 0;
    if (!request.pixels && !request.parameters.empty()) {
        stop = m.head_position;
        for (const std::string& name : request.parameters) {
            auto it = m.depth.find(name);
            if (it == m.depth.end()) throw Error("no parameter named '" + name + "' in this model");
            stop = std::min(stop, it->second);
        }
    }
    m.selectGradients(request.parameters.empty() ? m.all_parameters : request.parameters);

    m.forward(pixel_values, batch);
    Gradients& r = m.result;
    r.loss = 0;
    const double weights[2] = {targets.cls_weight, 1.0 - targets.cls_weight};
    const std::span<const int> labels[2] = {targets.labels, distill};
    m.dpooled.setZero(m.pooled.rows(), m.pooled.cols());
    for (int i = 0; i < 2; ++i) {
        m.heads[i].forward(m.pooled, m.logits[i]);
        r.loss += m.loss(m.logits[i], targets, labels[i], weights[i], m.dlogits[i]);
        m.heads[i].backward(m.dlogits[i], &m.dpooled);
    }
    const int labels_count = cfg.numLabels();
    r.output.batch = batch;
    r.output.num_labels = labels_count;
    r.output.cls_logits.assign(m.logits[0].data(), m.logits[0].data() + m.logits[0].size());
    r.output.distillation_logits.assign(m.logits[1].data(), m.logits[1].data() + m.logits[1].size());
    r.output.logits.resize(r.output.cls_logits.size());
    for (size_t i = 0; i < r.output.logits.size(); ++i)
        r.output.logits[i] = (r.output.cls_logits[i] + r.output.distillation_logits[i]) / 2.0f;

    m.backward(batch, stop, request.pixels, -1);
    if (!request.pixels) r.pixels.clear();
    return r;
}

}  // namespace levit
