// The forward pass. Activations are token-major: for a batch, an Eigen column-major matrix of
// channels x (batch * tokens), i.e. exactly HF's [batch, tokens, channels] memory. Every linear layer
// is one GEMM over all tokens of the batch (split by columns across threads); attention runs per
// (image, head). Buffers live in the Workspace and are reused across runs.
#include <Eigen/Core>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>

#include "levit/error.h"
#include "levit/model.h"
#include "model_impl.h"
#include "thread_pool.h"

namespace levit {

namespace {

using Matrix = Eigen::Map<Eigen::MatrixXf>;
using ConstMatrix = Eigen::Map<const Eigen::MatrixXf>;
using Clock = std::chrono::steady_clock;

inline float hardswish(float x) { return x * std::min(std::max(x + 3.0f, 0.0f), 6.0f) / 6.0f; }

void hardswishInPlace(float* v, size_t n) {
    for (size_t i = 0; i < n; ++i) v[i] = hardswish(v[i]);
}

double msSince(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Sizes of the buffers a model needs per image.
struct BufferPlan {
    size_t tokens = 0;      // activations: max channels * tokens
    size_t wide = 0;        // qkv / keys_values / MLP hidden: max rows * tokens
    size_t queries = 0;     // subsample queries and gathered tokens: max rows * query tokens
    size_t attended = 0;    // heads * value_dim * query tokens
    size_t scores = 0;      // keys * queries of one head
    size_t im2col = 0;      // K * output pixels of the largest patch-embedding conv
    size_t conv_out = 0;    // channels * pixels of the largest patch-embedding conv output
    size_t pooled = 0;      // last hidden size
};

BufferPlan planBuffers(const Model::Impl& m) {
    BufferPlan p;
    int size = m.config.image_size;
    for (const ConvLayer& conv : m.patch) {
        size = (size + 2 * conv.padding - conv.kernel) / conv.stride + 1;
        p.im2col = std::max(p.im2col, size_t(conv.dense.in()) * size * size);
        p.conv_out = std::max(p.conv_out, size_t(conv.dense.out()) * size * size);
    }
    for (const LayerPlan& layer : m.layers) {
        const size_t n_in = size_t(layer.resolution_in) * layer.resolution_in;
        const size_t n_out = size_t(layer.resolution_out) * layer.resolution_out;
        p.tokens = std::max({p.tokens, layer.channels_in * n_in, layer.channels_out * n_out});
        if (layer.kind == LayerKind::Mlp) {
            p.wide = std::max(p.wide, size_t(layer.mlp.up.out()) * n_in);
            continue;
        }
        const AttentionBlock& a = m.attention[layer.attention];
        p.wide = std::max(p.wide, size_t(a.qkv.out()) * n_in);
        p.queries = std::max({p.queries, size_t(a.queries.out()) * n_out, size_t(layer.channels_in) * n_out});
        p.attended = std::max(p.attended, size_t(a.info.heads) * a.info.value_dim * n_out);
        p.scores = std::max(p.scores, n_in * n_out);
    }
    p.pooled = m.config.hidden_sizes.back();
    return p;
}

}  // namespace

struct Session::Workspace {
    int batch_capacity = 0;
    int threads = 1;
    BufferPlan plan;
    std::vector<float> x, x_next, wide, queries, gathered, attended;
    std::vector<std::vector<float>> scores, im2col, conv_a, conv_b;  // per thread
    std::vector<float> pooled;
    std::unique_ptr<detail::ThreadPool> pool;

    void ensure(const Model::Impl& m, int batch, int thread_count) {
        if (!pool || pool->size() != thread_count) {
            pool = std::make_unique<detail::ThreadPool>(thread_count);
            threads = thread_count;
            scores.assign(threads, {});
            im2col.assign(threads, {});
            conv_a.assign(threads, {});
            conv_b.assign(threads, {});
            batch_capacity = 0;
            plan = planBuffers(m);
            for (int t = 0; t < threads; ++t) {
                scores[t].resize(plan.scores);
                im2col[t].resize(plan.im2col);
                conv_a[t].resize(plan.conv_out);
                conv_b[t].resize(plan.conv_out);
            }
        }
        if (batch <= batch_capacity) return;
        batch_capacity = batch;
        const size_t b = batch;
        x.resize(plan.tokens * b);
        x_next.resize(plan.tokens * b);
        wide.resize(plan.wide * b);
        queries.resize(plan.queries * b);
        gathered.resize(plan.queries * b);
        attended.resize(plan.attended * b);
        pooled.resize(plan.pooled * b);
    }
};

namespace {

// y[:, cols] = W x[:, cols] + b (optionally y += ...), columns split across the pool.
void denseForward(detail::ThreadPool& pool, const DenseLayer& layer, const float* in, float* out, int columns,
                  bool accumulate, bool activation) {
    pool.parallelFor(columns, [&](int begin, int end, int) {
        const int n = end - begin;
        ConstMatrix x(in + size_t(begin) * layer.in(), layer.in(), n);
        Matrix y(out + size_t(begin) * layer.out(), layer.out(), n);
        if (accumulate) {
            y.noalias() += layer.weight * x;
            y.colwise() += layer.bias;
        } else {
            y.noalias() = layer.weight * x;
            y.colwise() += layer.bias;
        }
        if (activation) hardswishInPlace(y.data(), size_t(y.size()));
    });
}

// Columns (ky, kx, channel) x output pixels for one image. `in` is addressed as
// in[c * c_stride + y * y_stride + x * x_stride] so that both CHW input pixels and HWC activations work.
void im2col(const float* in, int channels, int height, int width, size_t c_stride, size_t y_stride, size_t x_stride,
            const ConvLayer& conv, int out_h, int out_w, float* cols) {
    const int k = conv.kernel;
    const size_t rows = size_t(k) * k * channels;
    for (int oy = 0; oy < out_h; ++oy)
        for (int ox = 0; ox < out_w; ++ox) {
            float* col = cols + (size_t(oy) * out_w + ox) * rows;
            for (int ky = 0; ky < k; ++ky) {
                const int iy = oy * conv.stride - conv.padding + ky;
                for (int kx = 0; kx < k; ++kx) {
                    const int ix = ox * conv.stride - conv.padding + kx;
                    float* dst = col + size_t(ky * k + kx) * channels;
                    if (iy < 0 || iy >= height || ix < 0 || ix >= width) {
                        std::fill(dst, dst + channels, 0.0f);
                    } else if (c_stride == 1) {
                        std::memcpy(dst, in + iy * y_stride + ix * x_stride, sizeof(float) * channels);
                    } else {
                        const float* src = in + iy * y_stride + ix * x_stride;
                        for (int c = 0; c < channels; ++c) dst[c] = src[c * c_stride];
                    }
                }
            }
        }
}

// [batch][tokens][channels] -> [batch][channels][tokens]
void tokensToChannelMaps(const float* tokens, int batch, int n, int channels, float* out) {
    for (int b = 0; b < batch; ++b)
        for (int t = 0; t < n; ++t)
            for (int c = 0; c < channels; ++c)
                out[(size_t(b) * channels + c) * n + t] = tokens[(size_t(b) * n + t) * channels + c];
}

FeatureMaps makeFeatureMaps(const std::string& name, const float* tokens, int batch, int channels, int resolution) {
    FeatureMaps f;
    f.name = name;
    f.batch = batch;
    f.channels = channels;
    f.height = f.width = resolution;
    f.values.resize(size_t(batch) * channels * resolution * resolution);
    tokensToChannelMaps(tokens, batch, resolution * resolution, channels, f.values.data());
    return f;
}

bool wantsAttention(const Probe& probe, int block) {
    if (!probe.attention) return false;
    if (probe.attention_blocks.empty()) return true;
    return std::find(probe.attention_blocks.begin(), probe.attention_blocks.end(), block) != probe.attention_blocks.end();
}

}  // namespace

Session::Session(std::shared_ptr<const Model> model, int threads)
    : model_(std::move(model)), ws_(std::make_unique<Workspace>()) {
    if (!model_) throw Error("Session needs a model");
    setThreads(threads);
}

Session::~Session() = default;

void Session::setThreads(int threads) {
    if (threads < 1 || threads > 256) throw Error("threads must be between 1 and 256 (got " + std::to_string(threads) + ")");
    threads_ = threads;
}

int Session::threads() const { return threads_; }

const Output& Session::run(const float* pixel_values, int batch, const Probe& probe, ProbeResult* result) {
    if (batch < 1) throw Error("batch size must be at least 1 (got " + std::to_string(batch) + ")");
    if (!pixel_values) throw Error("no pixel values given");
    const Model::Impl& m = model_->impl();
    const Config& cfg = m.config;
    Workspace& ws = *ws_;
    ws.ensure(m, batch, threads_);
    detail::ThreadPool& pool = *ws.pool;

    ProbeResult scratch;
    ProbeResult& pr = result ? *result : scratch;
    pr = ProbeResult{};
    const auto run_start = Clock::now();
    auto section_start = run_start;

    // Patch embedding: four conv3x3/s2 + BN, hardswish after the first three; output token-major into x.
    const int image = cfg.image_size;
    const int r0 = image / cfg.patch_size;
    const int c0 = cfg.hidden_sizes[0];
    const size_t n0 = size_t(r0) * r0;
    if (probe.patch_embed_convs) {
        int size = image;
        for (int i = 0; i < 4; ++i) {
            size = (size + 2 * m.patch[i].padding - m.patch[i].kernel) / m.patch[i].stride + 1;
            FeatureMaps f;
            f.name = "conv" + std::to_string(i + 1) + "_bn";
            f.batch = batch;
            f.channels = m.patch[i].out_channels;
            f.height = f.width = size;
            f.values.resize(size_t(batch) * f.channels * size * size);
            pr.patch_embed_convs.push_back(std::move(f));
        }
    }
    pool.parallelFor(batch, [&](int begin, int end, int t) {
        for (int b = begin; b < end; ++b) {
            const float* in = pixel_values + size_t(b) * cfg.num_channels * image * image;
            int size = image, channels = cfg.num_channels;
            size_t c_stride = size_t(image) * image, y_stride = image, x_stride = 1;  // CHW input
            for (int i = 0; i < 4; ++i) {
                const ConvLayer& conv = m.patch[i];
                const int out_size = (size + 2 * conv.padding - conv.kernel) / conv.stride + 1;
                const int pixels = out_size * out_size;
                im2col(in, channels, size, size, c_stride, y_stride, x_stride, conv, out_size, out_size,
                       ws.im2col[t].data());
                float* out = i == 3 ? ws.x.data() + size_t(b) * n0 * c0 : (i % 2 == 0 ? ws.conv_a[t] : ws.conv_b[t]).data();
                ConstMatrix cols(ws.im2col[t].data(), conv.dense.in(), pixels);
                Matrix y(out, conv.dense.out(), pixels);
                y.noalias() = conv.dense.weight * cols;
                y.colwise() += conv.dense.bias;
                if (probe.patch_embed_convs)
                    tokensToChannelMaps(out, 1, pixels, conv.out_channels,
                                        pr.patch_embed_convs[i].values.data() + size_t(b) * conv.out_channels * pixels);
                if (i < 3) hardswishInPlace(out, size_t(pixels) * conv.out_channels);
                in = out;
                size = out_size;
                channels = conv.out_channels;
                c_stride = 1;
                x_stride = channels;
                y_stride = size_t(size) * channels;
            }
        }
    });
    if (probe.hidden_states) pr.hidden_states.push_back(makeFeatureMaps("patch_embedding", ws.x.data(), batch, c0, r0));
    if (probe.timings) {
        pr.timings.patch_embedding_ms = msSince(section_start);
        section_start = Clock::now();
    }

    float* x = ws.x.data();
    float* x_next = ws.x_next.data();
    size_t layer_number = 0;
    for (const LayerPlan& layer : m.layers) {
        const int n_in = layer.resolution_in * layer.resolution_in;
        const int n_out = layer.resolution_out * layer.resolution_out;
        const int columns = batch * n_in;
        if (layer.kind == LayerKind::Mlp) {
            denseForward(pool, layer.mlp.up, x, ws.wide.data(), columns, false, true);
            denseForward(pool, layer.mlp.down, ws.wide.data(), x, columns, true, false);
        } else {
            const AttentionBlock& a = m.attention[layer.attention];
            const bool subsample = layer.kind == LayerKind::AttentionSubsample;
            const int heads = a.info.heads, kd = a.info.key_dim, vd = a.info.value_dim;
            denseForward(pool, a.qkv, x, ws.wide.data(), columns, false, false);
            const int per_head = a.qkv.out() / heads;  // [q|k|v] or [k|v]
            if (subsample) {
                const int ri = layer.resolution_in, ro = layer.resolution_out, stride = a.info.stride;
                for (int b = 0; b < batch; ++b)
                    for (int qy = 0; qy < ro; ++qy)
                        for (int qx = 0; qx < ro; ++qx)
                            std::memcpy(ws.gathered.data() + (size_t(b) * n_out + qy * ro + qx) * layer.channels_in,
                                        x + (size_t(b) * n_in + size_t(qy) * stride * ri + size_t(qx) * stride) *
                                                layer.channels_in,
                                        sizeof(float) * layer.channels_in);
                denseForward(pool, a.queries, ws.gathered.data(), ws.queries.data(), batch * n_out, false, false);
            }
            const bool keep = wantsAttention(probe, layer.attention);
            AttentionMaps* maps = nullptr;
            if (keep) {
                AttentionMaps am;
                am.block = layer.attention;
                am.batch = batch;
                am.heads = heads;
                am.queries = n_out;
                am.keys = n_in;
                am.content.resize(size_t(batch) * heads * n_out * n_in);
                am.probabilities.resize(am.content.size());
                pr.attention.push_back(std::move(am));
                maps = &pr.attention.back();
            }
            const int value_rows = heads * vd;
            ConstMatrix kv(ws.wide.data(), a.qkv.out(), columns);
            pool.parallelFor(batch * heads, [&](int begin, int end, int t) {
                for (int task = begin; task < end; ++task) {
                    const int b = task / heads, h = task % heads;
                    const int key_row = subsample ? h * per_head : h * per_head + kd;
                    const int value_row = key_row + kd;
                    auto keys = kv.block(key_row, size_t(b) * n_in, kd, n_in);
                    auto values = kv.block(value_row, size_t(b) * n_in, vd, n_in);
                    Matrix scores(ws.scores[t].data(), n_in, n_out);  // column q holds the logits of query q
                    if (subsample) {
                        ConstMatrix q(ws.queries.data(), a.queries.out(), size_t(batch) * n_out);
                        scores.noalias() = keys.transpose() * q.block(h * kd, size_t(b) * n_out, kd, n_out);
                    } else {
                        scores.noalias() = keys.transpose() * kv.block(h * per_head, size_t(b) * n_in, kd, n_in);
                    }
                    scores *= a.scale;
                    const size_t plane = size_t(n_in) * n_out;
                    const size_t probe_offset = (size_t(b) * heads + h) * plane;
                    if (maps) std::memcpy(maps->content.data() + probe_offset, scores.data(), sizeof(float) * plane);
                    scores += ConstMatrix(a.bias_expanded.data() + h * plane, n_in, n_out);
                    for (int q = 0; q < n_out; ++q) {
                        float* col = scores.data() + size_t(q) * n_in;
                        const float peak = *std::max_element(col, col + n_in);
                        float sum = 0;
                        for (int k = 0; k < n_in; ++k) {
                            col[k] = std::exp(col[k] - peak);
                            sum += col[k];
                        }
                        const float inv = 1.0f / sum;
                        for (int k = 0; k < n_in; ++k) col[k] *= inv;
                    }
                    if (maps) std::memcpy(maps->probabilities.data() + probe_offset, scores.data(), sizeof(float) * plane);
                    Matrix attended(ws.attended.data(), value_rows, size_t(batch) * n_out);
                    attended.block(h * vd, size_t(b) * n_out, vd, n_out).noalias() = values * scores;
                }
            });
            hardswishInPlace(ws.attended.data(), size_t(value_rows) * batch * n_out);
            if (subsample) {
                denseForward(pool, a.projection, ws.attended.data(), x_next, batch * n_out, false, false);
                std::swap(x, x_next);
            } else {
                denseForward(pool, a.projection, ws.attended.data(), x, columns, true, false);
            }
        }
        if (probe.layer_outputs) {
            TokenTensor t;
            t.name = layer.name;
            t.batch = batch;
            t.tokens = n_out;
            t.channels = layer.channels_out;
            t.values.assign(x, x + size_t(batch) * n_out * layer.channels_out);
            pr.layer_outputs.push_back(std::move(t));
        }
        const int stage = layer.stage;
        if (static_cast<int>(layer_number) == m.stage_last_layer[stage]) {
            if (probe.hidden_states)
                pr.hidden_states.push_back(makeFeatureMaps("stage" + std::to_string(stage), x, batch,
                                                           layer.channels_out, layer.resolution_out));
            if (probe.timings) {
                pr.timings.stage_ms.push_back(msSince(section_start));
                section_start = Clock::now();
            }
        }
        ++layer_number;
    }

    // Heads: mean over tokens, then the two BN+linear classifiers (folded) and their average.
    const LayerPlan& last = m.layers.back();
    const int channels = last.channels_out;
    const int tokens = last.resolution_out * last.resolution_out;
    Matrix pooled(ws.pooled.data(), channels, batch);
    for (int b = 0; b < batch; ++b)
        pooled.col(b) = ConstMatrix(x + size_t(b) * tokens * channels, channels, tokens).rowwise().sum() / float(tokens);
    if (probe.hidden_states) pr.pooled.assign(pooled.data(), pooled.data() + pooled.size());
    const int labels = cfg.numLabels();
    output_.batch = batch;
    output_.num_labels = labels;
    output_.logits.resize(size_t(batch) * labels);
    output_.cls_logits.resize(size_t(batch) * labels);
    output_.distillation_logits.resize(size_t(batch) * labels);
    Matrix cls(output_.cls_logits.data(), labels, batch);
    Matrix distill(output_.distillation_logits.data(), labels, batch);
    cls.noalias() = m.cls_head.weight * pooled;
    cls.colwise() += m.cls_head.bias;
    distill.noalias() = m.distill_head.weight * pooled;
    distill.colwise() += m.distill_head.bias;
    Matrix(output_.logits.data(), labels, batch) = (cls + distill) / 2.0f;
    if (probe.timings) {
        pr.timings.heads_ms = msSince(section_start);
        pr.timings.total_ms = msSince(run_start);
    }
    if (probe.bias_tables)
        for (int i = 0; i < static_cast<int>(m.attention.size()); ++i) pr.bias_tables.push_back(model_->biasTables(i));
    return output_;
}

}  // namespace levit
