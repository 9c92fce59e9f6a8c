// The forward pass. Activations are token-major: for a batch, a column-major matrix of
// channels x (batch * tokens), i.e. exactly HF's [batch, tokens, channels] memory. Every linear layer and
// patch-embedding convolution is one GEMM over all tokens of the batch (gemm.h: weights packed at load,
// bias / hardswish / residual fused into the store), split across threads by column tiles, or by rows
// when there are few tokens. Attention runs per (image, head): scores with the scale and the attention
// bias fused, a vectorised softmax, then probabilities x values with the normalisation and the hardswish
// fused. Buffers live in the Workspace and are reused across runs.
#include <Eigen/Core>

#include <algorithm>
#include <cassert>
#include <chrono>
#include <cmath>
#include <unordered_map>

#include "direct_conv.h"
#include "gemm.h"
#include "pad_image.h"
#include "levit/error.h"
#include "levit/model.h"
#include "model_impl.h"
#include "softmax.h"
#include "thread_pool.h"

namespace levit {

namespace {

using Matrix = Eigen::Map<Eigen::MatrixXf>;
using ConstMatrix = Eigen::Map<const Eigen::MatrixXf>;
using Clock = std::chrono::steady_clock;

// Sizes of the buffers a model needs per image (activations) or per thread (scratch).
struct BufferPlan {
    size_t tokens = 0;       // activations: max channels * tokens
    size_t wide = 0;         // qkv / keys_values / MLP hidden: max rows * tokens
    size_t queries = 0;      // subsample queries: max rows * query tokens
    size_t attended = 0;     // heads * value_dim * query tokens
    size_t scores = 0;          // keys * queries of one head
    size_t packed_queries = 0;  // one head's queries packed as the GEMM's A operand
    size_t query_rows = 0;      // queries of one head (softmax denominators)
    size_t conv_out = 0;     // channels * pixels of the largest patch-embedding conv output
    size_t padded_image = 0; // the input image, HWC with the first convolution's zero border
    size_t tile = 0;         // a packed B tile: largest inner dimension * kTileColumns
    size_t pooled = 0;       // last hidden size
};

BufferPlan planBuffers(const Model::Impl& m) {
    BufferPlan p;
    size_t inner = 0;
    int size = m.config.image_size;
    const int padded = size + 2 * m.patch[0].padding;
    p.padded_image = size_t(padded) * padded * m.config.num_channels;
    for (size_t i = 0; i < std::size(m.patch); ++i) {
        const ConvLayer& conv = m.patch[i];
        size = conv.outputSize(size);
        // With the next convolution's zero border, which the direct convolutions read (directPatchEmbedding).
        const size_t side = size_t(size) + (i + 1 < std::size(m.patch) ? 2 * m.patch[i + 1].padding : 0);
        p.conv_out = std::max(p.conv_out, size_t(conv.dense.out()) * side * side);
        inner = std::max<size_t>(inner, conv.dense.in());
    }
    for (const LayerPlan& layer : m.layers) {
        const size_t n_in = size_t(layer.resolution_in) * layer.resolution_in;
        const size_t n_out = size_t(layer.resolution_out) * layer.resolution_out;
        p.tokens = std::max({p.tokens, layer.channels_in * n_in, layer.channels_out * n_out});
        if (layer.kind == BlockKind::Mlp) {
            p.wide = std::max(p.wide, size_t(layer.mlp.up.out()) * n_in);
            inner = std::max({inner, size_t(layer.mlp.up.in()), size_t(layer.mlp.down.in())});
            continue;
        }
        const AttentionBlock& a = m.attention[layer.attention];
        p.wide = std::max(p.wide, size_t(a.qkv.out()) * n_in);
        p.queries = std::max(p.queries, size_t(a.queries.out()) * n_out);
        p.attended = std::max(p.attended, size_t(a.info.heads) * a.info.value_dim * n_out);
        p.scores = std::max(p.scores, n_in * n_out);
        p.packed_queries = std::max(p.packed_queries, detail::packedSize(int(n_out), a.info.key_dim));
        p.query_rows = std::max(p.query_rows, n_out);
        inner = std::max({inner, size_t(a.qkv.in()), size_t(a.projection.in()), n_in, size_t(a.info.key_dim)});
    }
    inner = std::max<size_t>(inner, m.cls_head.in());
    p.tile = detail::tileScratchFloats(int(inner));
    p.pooled = m.config.hidden_sizes.back();
    return p;
}

}  // namespace

struct Session::Workspace {
    int batch_capacity = 0;
    int threads = 1;
    BufferPlan plan;
    // Cache-line aligned, like the packed weights (aligned_allocator.h): the kernels' C and in-place A.
    detail::AlignedVector<float> x, x_next, wide, queries, attended, conv_a, conv_b;
    detail::AlignedVector<float> padded_image;  // per slot: the input image HWC with a zero border (see padImage)
    std::vector<float> zeros;  // the convolutions' padding, as long as the widest conv input
    std::vector<detail::AlignedVector<float>> scores, packed_queries, inv_sums, tile;  // per thread
    detail::AlignedVector<float> pooled;
    std::unique_ptr<detail::ThreadPool> pool;
    std::unordered_map<const DenseLayer*, std::vector<uint16_t>> bf16;  // per layer, with Precision::BFloat16

    // A layer's weights as the GEMM's A operand, in bfloat16 when the session asked for it.
    detail::OperandA weights(const DenseLayer& layer) const {
        detail::OperandA a = detail::OperandA::packed(layer.weight);
        if (!bf16.empty()) a.bf16 = bf16.at(&layer).data();
        return a;
    }

    void setBf16(const Model::Impl& m, bool on) {
        bf16.clear();
        if (!on) return;
        auto add = [&](const DenseLayer& d) { bf16[&d] = detail::packBf16(d.weight); };
        for (const ConvLayer& conv : m.patch) add(conv.dense);
        for (const LayerPlan& layer : m.layers)
            if (layer.kind == BlockKind::Mlp) {
                add(layer.mlp.up);
                add(layer.mlp.down);
            }
        for (const AttentionBlock& a : m.attention) {
            add(a.qkv);
            add(a.projection);
            if (a.queries.out() > 0) add(a.queries);
        }
        add(m.cls_head);
        add(m.distill_head);
    }

    void ensure(const Model::Impl& m, int batch, int thread_count) {
        if (!pool || pool->size() != thread_count) {
            pool = std::make_unique<detail::ThreadPool>(thread_count);
            threads = thread_count;
            plan = planBuffers(m);
            int widest = 0;
            for (const ConvLayer& conv : m.patch) widest = std::max(widest, conv.in_channels);
            zeros.assign(size_t(widest), 0.0f);
            scores.assign(threads, detail::AlignedVector<float>(plan.scores));
            packed_queries.assign(threads, detail::AlignedVector<float>(plan.packed_queries));
            inv_sums.assign(threads, detail::AlignedVector<float>(plan.query_rows));
            tile.assign(threads, detail::AlignedVector<float>(plan.tile));  // the float tile and its bfloat16 copy
            batch_capacity = 0;
        }
        if (batch <= batch_capacity) return;
        batch_capacity = batch;
        const size_t b = batch;
        x.resize(plan.tokens * b);
        x_next.resize(plan.tokens * b);
        wide.resize(plan.wide * b);
        queries.resize(plan.queries * b);
        attended.resize(plan.attended * b);
        pooled.resize(plan.pooled * b);
        // The patch embedding runs image by image on each thread, or one image at a time with all threads.
        const size_t images = size_t(std::min(batch, threads));
        conv_a.resize(plan.conv_out * images);
        conv_b.resize(plan.conv_out * images);
        padded_image.resize(plan.padded_image * images);
    }
};

namespace {

inline float hardswish(float x) { return x * std::min(std::max(x + 3.0f, 0.0f), 6.0f) / 6.0f; }

void hardswishInPlace(float* v, size_t n) {
    for (size_t i = 0; i < n; ++i) v[i] = hardswish(v[i]);
}

double msSince(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// C = epilogue(A * B) over `columns` columns on the pool. Column tiles are the unit of work; when there
// are too few of them to keep every thread busy (the late stages at batch 1), row panels are split too.
void parallelGemm(detail::ThreadPool& pool, Session::Workspace& ws, const detail::OperandA& a, detail::PackB pack_b,
                  int columns, float* c, size_t ldc, const detail::Epilogue& ep) {
    const int tiles = detail::columnTiles(columns);
    const int threads = pool.size();
    const int groups = threads > 1 && tiles < 4 * threads ? std::min(a.panels(), threads) : 1;
    pool.parallelFor(tiles * groups, [&](int begin, int end, int t) {
        for (int u = begin; u < end;) {
            const int g = u / tiles;
            const int last = std::min(end, (g + 1) * tiles);
            const int p0 = g * a.panels() / groups, p1 = (g + 1) * a.panels() / groups;
            const int row0 = p0 * detail::kPanelRows;
            detail::Epilogue e = ep;
            if (e.row_bias) e.row_bias += row0;
            if (e.row_scale) e.row_scale += row0;
            if (e.addend) e.addend += row0;
            detail::gemm(a.panelRange(p0, p1), pack_b, (u % tiles) * detail::kTileColumns,
                         std::min(columns, (last - 1 - g * tiles + 1) * detail::kTileColumns), c + row0, ldc, e,
                         ws.tile[t].data());
            u = last;
        }
    });
}

// y = act(W x + b) (or y += W x + b) for token-major x and y.
void denseForward(detail::ThreadPool& pool, Session::Workspace& ws, const DenseLayer& layer, const float* in,
                  float* out, int columns, bool accumulate, bool activation) {
    const int k = layer.in();
    auto pack = [&](int first, int count, float* dst) { detail::packColumns(in, k, k, first, count, dst); };
    detail::Epilogue ep;
    ep.row_bias = layer.bias.data();
    ep.hardswish = activation;
    ep.accumulate = accumulate;
    parallelGemm(pool, ws, ws.weights(layer), pack, columns, out, layer.out(), ep);
}

// One patch-embedding convolution of one image: the B tile is gathered straight from the input, rows
// ordered (ky, kx, channel) like the packed weights. `in` is addressed as
// in[c * c_stride + y * y_stride + x * x_stride], so both the CHW pixels and HWC activations work.
struct ConvInput {
    const float* data;
    int channels, size;
    size_t c_stride, y_stride, x_stride;
    const float* zeros;  // at least `channels` zeros: the padding
    int border = 0;      // > 0: `data` is HWC with this many zero pixels around it (padImage), y_stride included
};

void packConvTile(const ConvInput& in, const ConvLayer& conv, int out_size, int first, int count, float* dst) {
    const int k = conv.kernel;
    if (in.border >= conv.padding) {  // padded HWC: one run of k * channels per window row
        const int shift = in.border - conv.padding;
        // Each output pixel's window corner, found once per tile (no division per window row).
        const float* corner[detail::kTileColumns];
        for (int j = 0, oy = first / out_size, ox = first % out_size; j < count; ++j) {
            corner[j] = in.data + size_t(oy * conv.stride + shift) * in.y_stride + size_t(ox * conv.stride + shift) * in.x_stride;
            if (++ox == out_size) ox = 0, ++oy;
        }
        for (int ky = 0; ky < k; ++ky) {
            const float* columns[detail::kTileColumns];
            for (int j = 0; j < count; ++j) columns[j] = corner[j] + size_t(ky) * in.y_stride;
            detail::packColumnPointers(columns, count, k * in.channels,
                                       dst + size_t(ky) * k * in.channels * detail::kTileColumns);
        }
        return;
    }
    // Each output pixel's window corner (top-left input pixel, possibly in the padding), found once per tile:
    // a division per column and window position made the second convolution 8% slower (0.55 -> 0.51 ms, AVX2).
    int corner_y[detail::kTileColumns], corner_x[detail::kTileColumns];
    for (int j = 0, oy = first / out_size, ox = first % out_size; j < count; ++j) {
        corner_y[j] = oy * conv.stride - conv.padding;
        corner_x[j] = ox * conv.stride - conv.padding;
        if (++ox == out_size) ox = 0, ++oy;
    }
    for (int ky = 0; ky < k; ++ky)
        for (int kx = 0; kx < k; ++kx) {
            float* d = dst + size_t(ky * k + kx) * in.channels * detail::kTileColumns;
            const float* columns[detail::kTileColumns];
            for (int j = 0; j < count; ++j) {
                const int iy = corner_y[j] + ky, ix = corner_x[j] + kx;
                columns[j] = iy < 0 || iy >= in.size || ix < 0 || ix >= in.size ? in.zeros
                                                                                 : in.data + iy * in.y_stride + ix * in.x_stride;
            }
            if (in.c_stride == 1) {  // HWC activations: each pixel's channels are contiguous
                detail::packColumnPointers(columns, count, in.channels, d);
            } else {  // CHW pixels (the first convolution, 3 channels)
                for (int j = 0; j < count; ++j)
                    for (int c = 0; c < in.channels; ++c)
                        d[size_t(c) * detail::kTileColumns + j] = columns[j] == in.zeros ? 0.0f : columns[j][c * in.c_stride];
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

// Whether the whole patch embedding runs on the direct convolutions (direct_conv.h). Each then writes its
// output with the next one's zero border, so all four take that path or none.
bool directPatchEmbedding(const Model::Impl& m) {
    for (const ConvLayer& conv : m.patch)
        if (!detail::directConvApplies(conv.in_channels, conv.kernel, conv.stride, conv.out_channels)) return false;
    return true;
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

bool Session::bfloat16Supported() { return detail::cpuHasBf16(); }

void Session::setPrecision(Precision precision) {
    if (precision == Precision::BFloat16 && !bfloat16Supported())
        throw Error("bfloat16 precision needs a CPU with AVX-512 BF16; this one runs float32 only");
    precision_ = precision;
    ws_->setBf16(model_->impl(), precision == Precision::BFloat16);
}

size_t Session::inputSize() const {
    const Config& c = model_->config();
    return size_t(c.num_channels) * c.image_size * c.image_size;
}

namespace {

// One forward pass over a batch: the stages in order, each in its own function, with what the probe asks
// for recorded beside them. Lives only for the duration of Session::run.
class ForwardPass {
public:
    ForwardPass(const Model::Impl& m, Session::Workspace& ws, int batch, const Probe& probe, ProbeResult& pr)
        : m_(m), ws_(ws), pool_(*ws.pool), batch_(batch), probe_(probe), pr_(pr) {
        pr_ = ProbeResult{};
        if (probe_.timings) {
            pr_.timings.layer_ms.reserve(m_.layers.size());
            conv_thread_ms_.assign(size_t(pool_.size()) * 4, 0.0);
        }
        run_start_ = section_start_ = Clock::now();
    }

    void patchEmbedding(const float* pixels);
    // Runs every encoder layer; returns the final hidden state (token-major, in a workspace buffer).
    const float* encoder();
    void heads(const float* x, Output& out);
    void recordBiasTables(const Model& model);

private:
    void embedImage(const float* pixels, int b, int slot, int thread, bool whole_pool);
    void mlpBlock(const LayerPlan& layer, float* x);
    // Attention or subsample attention; a subsample block writes its output to x_next (then swapped in).
    void attentionBlock(const LayerPlan& layer, float*& x, float*& x_next);
    void subsampleQueries(const LayerPlan& layer, const AttentionBlock& a, const float* x);
    void attentionHead(const LayerPlan& layer, const AttentionBlock& a, int b, int h, int thread, AttentionMaps* maps);
    AttentionMaps* startAttentionProbe(const LayerPlan& layer, const AttentionBlock& a);
    void recordLayer(const LayerPlan& layer, size_t layer_number, const float* x);
    void timeLayer(const LayerPlan& layer, bool stage_ends);
    void splitPatchEmbeddingTime();
    void lap(double& into) {
        if (!probe_.timings) return;
        into = msSince(section_start_);
        section_start_ = Clock::now();
    }

    const Model::Impl& m_;
    Session::Workspace& ws_;
    detail::ThreadPool& pool_;
    const int batch_;
    const Probe& probe_;
    ProbeResult& pr_;
    Clock::time_point run_start_, section_start_;
    std::vector<double> conv_thread_ms_;  // with timings: [thread][conv] milliseconds spent in each patch conv
    // The patch embedding on the direct convolutions; the probe of the convolutions' outputs reads them
    // unbordered, as the GEMM writes them (both paths give the same values).
    const bool direct_ = !probe_.patch_embed_convs && directPatchEmbedding(m_);
};

// One image through the four convolutions; `slot` picks its intermediate buffers. With `whole_pool` each
// convolution's GEMM is split over the pool (batches smaller than the pool), otherwise it runs on `thread`.
void ForwardPass::embedImage(const float* pixels, int b, int slot, int thread, bool whole_pool) {
    const Config& cfg = m_.config;
    const int image = cfg.image_size;
    const int c0 = cfg.hidden_sizes[0];
    const size_t n0 = size_t(image / cfg.patch_size) * (image / cfg.patch_size);
    const int border = m_.patch[0].padding, padded = image + 2 * border;
    float* hwc = ws_.padded_image.data() + size_t(slot) * ws_.plan.padded_image;
    Clock::time_point conv_start = probe_.timings ? Clock::now() : Clock::time_point{};
    detail::padImage(pixels + size_t(b) * cfg.num_channels * image * image, cfg.num_channels, image, border, hwc);
    ConvInput in{hwc, cfg.num_channels, image, 1, size_t(padded) * cfg.num_channels, size_t(cfg.num_channels),
                 ws_.zeros.data(), border};
    for (int i = 0; i < 4; ++i) {
        const ConvLayer& conv = m_.patch[i];
        const int out_size = conv.outputSize(in.size);
        const int pixel_count = out_size * out_size;
        const int out_border = direct_ && i < 3 ? m_.patch[size_t(i) + 1].padding : 0;
        const int out_side = out_size + 2 * out_border;
        float* out_frame = i == 3 ? ws_.x.data() + size_t(b) * n0 * c0
                                  : (i % 2 == 0 ? ws_.conv_a : ws_.conv_b).data() + size_t(slot) * ws_.plan.conv_out;
        assert(size_t(out_side) * out_side * conv.out_channels <= (i == 3 ? ws_.plan.tokens : ws_.plan.conv_out));
        float* out = out_frame + (size_t(out_border) * out_side + out_border) * conv.out_channels;  // pixel (0, 0)
        detail::Epilogue ep;
        ep.row_bias = conv.dense.bias.data();
        ep.hardswish = i < 3 && !probe_.patch_embed_convs;
        if (direct_) {
            assert(in.border >= conv.padding && in.c_stride == 1 && in.x_stride == size_t(in.channels));
            if (out_border > 0) detail::zeroFrame(out_frame, out_side, out_border, conv.out_channels);
            const detail::OperandA w = ws_.weights(conv.dense);
            const int shift = in.border - conv.padding;
            const detail::DirectConvArgs args{in.data + size_t(shift) * (in.y_stride + in.x_stride),
                                              in.y_stride,
                                              in.channels,
                                              out_size,
                                              conv.out_channels,
                                              w.data,
                                              w.panel_stride,
                                              ep.row_bias,
                                              ep.hardswish,
                                              out,
                                              size_t(out_side) * conv.out_channels};
            if (whole_pool)
                pool_.parallelFor(out_size, [&](int begin, int end, int) { detail::directConv(args, begin, end); });
            else
                detail::directConv(args, 0, out_size);
        } else {
            auto pack = [&](int first, int count, float* dst) { packConvTile(in, conv, out_size, first, count, dst); };
            if (whole_pool)
                parallelGemm(pool_, ws_, ws_.weights(conv.dense), detail::PackB(pack), pixel_count, out,
                             size_t(conv.out_channels), ep);
            else
                detail::gemm(ws_.weights(conv.dense), detail::PackB(pack), 0, pixel_count, out, size_t(conv.out_channels),
                             ep, ws_.tile[thread].data());
        }
        if (probe_.patch_embed_convs) {
            tokensToChannelMaps(out, 1, pixel_count, conv.out_channels,
                                pr_.patch_embed_convs[i].values.data() + size_t(b) * conv.out_channels * pixel_count);
            if (i < 3) hardswishInPlace(out, size_t(pixel_count) * conv.out_channels);
        }
        in = ConvInput{out_frame, conv.out_channels, out_size, 1, size_t(out_side) * conv.out_channels,
                       size_t(conv.out_channels), ws_.zeros.data(), out_border};
        if (probe_.timings) {
            const Clock::time_point now = Clock::now();
            conv_thread_ms_[size_t(thread) * 4 + i] += std::chrono::duration<double, std::milli>(now - conv_start).count();
            conv_start = now;
        }
    }
}

// Each conv's time summed over threads and images, scaled to the patch embedding's wall time: with images
// spread over threads the per-conv times overlap, and their shares are what the graph shows.
void ForwardPass::splitPatchEmbeddingTime() {
    double measured[4] = {0, 0, 0, 0}, sum = 0;
    for (size_t t = 0; t < conv_thread_ms_.size() / 4; ++t)
        for (int i = 0; i < 4; ++i) measured[i] += conv_thread_ms_[t * 4 + i];
    for (double v : measured) sum += v;
    for (int i = 0; i < 4; ++i)
        pr_.timings.patch_conv_ms[i] = sum > 0 ? pr_.timings.patch_embedding_ms * measured[i] / sum : 0.0;
}

// Four conv3x3/s2 + BN, hardswish after the first three; output token-major into ws.x. Images are spread
// over the threads, or, when there are fewer images than threads, each convolution is split instead.
void ForwardPass::patchEmbedding(const float* pixels) {
    const Config& cfg = m_.config;
    if (probe_.patch_embed_convs) {
        int size = cfg.image_size;
        for (int i = 0; i < 4; ++i) {
            size = m_.patch[i].outputSize(size);
            FeatureMaps f;
            f.name = "conv" + std::to_string(i + 1) + "_bn";
            f.batch = batch_;
            f.channels = m_.patch[i].out_channels;
            f.height = f.width = size;
            f.values.resize(size_t(batch_) * f.channels * size * size);
            pr_.patch_embed_convs.push_back(std::move(f));
        }
    }
    if (batch_ >= pool_.size()) {
        pool_.parallelFor(batch_, [&](int begin, int end, int t) {
            for (int b = begin; b < end; ++b) embedImage(pixels, b, t, t, false);
        });
    } else {
        for (int b = 0; b < batch_; ++b) embedImage(pixels, b, 0, 0, true);
    }
    if (probe_.hidden_states)
        pr_.hidden_states.push_back(makeFeatureMaps("patch_embedding", ws_.x.data(), batch_, cfg.hidden_sizes[0],
                                                    cfg.image_size / cfg.patch_size));
    lap(pr_.timings.patch_embedding_ms);
    if (probe_.timings) splitPatchEmbeddingTime();
}

void ForwardPass::mlpBlock(const LayerPlan& layer, float* x) {
    const int columns = batch_ * layer.resolution_in * layer.resolution_in;
    denseForward(pool_, ws_, layer.mlp.up, x, ws_.wide.data(), columns, false, true);
    denseForward(pool_, ws_, layer.mlp.down, ws_.wide.data(), x, columns, true, false);
}

// Subsample blocks take their queries from every stride-th token of the grid, gathered while packing.
void ForwardPass::subsampleQueries(const LayerPlan& layer, const AttentionBlock& a, const float* x) {
    const int n_in = layer.resolution_in * layer.resolution_in;
    const int n_out = layer.resolution_out * layer.resolution_out;
    const int ri = layer.resolution_in, ro = layer.resolution_out, stride = a.info.stride;
    const int cin = layer.channels_in;
    auto pack = [&](int first, int count, float* dst) {
        for (int j = 0; j < count; ++j) {
            const int q = first + j, b = q / n_out, qy = (q % n_out) / ro, qx = q % ro;
            const float* src = x + (size_t(b) * n_in + size_t(qy) * stride * ri + size_t(qx) * stride) * cin;
            for (int k = 0; k < cin; ++k) dst[size_t(k) * detail::kTileColumns + j] = src[k];
        }
    };
    detail::Epilogue ep;
    ep.row_bias = a.queries.bias.data();
    parallelGemm(pool_, ws_, ws_.weights(a.queries), pack, batch_ * n_out, ws_.queries.data(), size_t(a.queries.out()), ep);
}

AttentionMaps* ForwardPass::startAttentionProbe(const LayerPlan& layer, const AttentionBlock& a) {
    if (!wantsAttention(probe_, layer.attention)) return nullptr;
    AttentionMaps am;
    am.block = layer.attention;
    am.batch = batch_;
    am.heads = a.info.heads;
    am.queries = layer.resolution_out * layer.resolution_out;
    am.keys = layer.resolution_in * layer.resolution_in;
    am.content.resize(size_t(batch_) * am.heads * am.queries * am.keys);
    am.probabilities.resize(am.content.size());
    pr_.attention.push_back(std::move(am));
    return &pr_.attention.back();
}

// One (image, head), with queries as rows: scores(q, k) = scale * q.k + bias(q, k), stored key by key
// (scores[k * n_out + q]) so that the softmax over keys runs with queries in vector lanes and the values
// product reads the probabilities in place. attended is kept channel-major ([head * vd + v][token]) so that
// the projection packs its tiles with plain copies.
void ForwardPass::attentionHead(const LayerPlan& layer, const AttentionBlock& a, int b, int h, int t, AttentionMaps* maps) {
    const bool subsample = layer.kind == BlockKind::AttentionSubsample;
    const int n_in = layer.resolution_in * layer.resolution_in;
    const int n_out = layer.resolution_out * layer.resolution_out;
    const int kd = a.info.key_dim, vd = a.info.value_dim, heads = a.info.heads;
    const int per_head = a.qkv.out() / heads;  // [q|k|v] or [k|v]
    const size_t ld = size_t(a.qkv.out());
    const size_t all_queries = size_t(batch_) * n_out;
    const int key_row = subsample ? h * per_head : h * per_head + kd;
    const int value_row = key_row + kd;
    const float* image_kv = ws_.wide.data() + size_t(b) * n_in * ld;
    float* scores = ws_.scores[t].data();
    float* inv_sum = ws_.inv_sums[t].data();
    const size_t plane = size_t(n_in) * n_out;
    assert(plane <= ws_.plan.scores && size_t(n_out) <= ws_.plan.query_rows);
    const float* bias = a.bias_columns.values.data();
    const uint32_t* bias_columns = a.bias_columns.columns.data() + size_t(h) * n_in;

    const float* q_base = subsample ? ws_.queries.data() + size_t(b) * n_out * a.queries.out() + h * kd : image_kv + h * per_head;
    const size_t q_ld = subsample ? size_t(a.queries.out()) : ld;
    detail::packPanels(q_base, n_out, kd, q_ld, 1, ws_.packed_queries[t].data());
    auto pack_keys = [&](int first, int count, float* dst) {
        detail::packColumns(image_kv + key_row, ld, kd, first, count, dst);
    };
    detail::Epilogue score_ep;
    score_ep.scale = a.scale;
    if (!maps) {
        score_ep.addend = bias;
        score_ep.addend_columns = bias_columns;
    }
    detail::gemm(detail::OperandA::packed(ws_.packed_queries[t].data(), n_out, kd), pack_keys, 0, n_in, scores,
                 size_t(n_out), score_ep, ws_.tile[t].data());
    const size_t probe_offset = (size_t(b) * heads + h) * plane;
    if (maps) {  // probes are [query][key]
        for (int q = 0; q < n_out; ++q)
            for (int k = 0; k < n_in; ++k) maps->content[probe_offset + size_t(q) * n_in + k] = scores[size_t(k) * n_out + q];
        for (int k = 0; k < n_in; ++k)
            for (int q = 0; q < n_out; ++q) scores[size_t(k) * n_out + q] += bias[bias_columns[k] + q];
    }
    detail::softmaxRowsUnnormalised(scores, n_out, n_in, size_t(n_out), inv_sum);
    if (maps)
        for (int q = 0; q < n_out; ++q)
            for (int k = 0; k < n_in; ++k)
                maps->probabilities[probe_offset + size_t(q) * n_in + k] = scores[size_t(k) * n_out + q] * inv_sum[q];

    // attended(v, q) = hardswish(sum_k p(q, k) v(k)): probabilities in place as A (normalised in the
    // epilogue), the head's values as B, each tile row a contiguous run of the qkv buffer.
    auto pack_values = [&](int first, int count, float* dst) {
        detail::packRows(image_kv + value_row + first, ld, n_in, count, dst);
    };
    detail::Epilogue value_ep;
    value_ep.row_scale = inv_sum;
    value_ep.hardswish = true;
    detail::gemm(detail::OperandA::inPlace(scores, size_t(n_out), n_out, n_in), pack_values, 0, vd,
                 ws_.attended.data() + size_t(h) * vd * all_queries + size_t(b) * n_out, all_queries, value_ep,
                 ws_.tile[t].data());
}

void ForwardPass::attentionBlock(const LayerPlan& layer, float*& x, float*& x_next) {
    const AttentionBlock& a = m_.attention[layer.attention];
    const bool subsample = layer.kind == BlockKind::AttentionSubsample;
    const int n_in = layer.resolution_in * layer.resolution_in;
    const int n_out = layer.resolution_out * layer.resolution_out;
    const int heads = a.info.heads;
    denseForward(pool_, ws_, a.qkv, x, ws_.wide.data(), batch_ * n_in, false, false);
    if (subsample) subsampleQueries(layer, a, x);
    AttentionMaps* maps = startAttentionProbe(layer, a);
    pool_.parallelFor(batch_ * heads, [&](int begin, int end, int t) {
        for (int task = begin; task < end; ++task) attentionHead(layer, a, task / heads, task % heads, t, maps);
    });
    // Projection of the concatenated heads; plain attention adds it to the residual in place.
    const int value_rows = heads * a.info.value_dim;
    const size_t all_queries = size_t(batch_) * n_out;
    const float* attended = ws_.attended.data();
    auto pack_attended = [&](int first, int count, float* dst) {
        detail::packRows(attended + first, all_queries, value_rows, count, dst);
    };
    detail::Epilogue proj_ep;
    proj_ep.row_bias = a.projection.bias.data();
    proj_ep.accumulate = !subsample;
    parallelGemm(pool_, ws_, ws_.weights(a.projection), pack_attended, int(all_queries), subsample ? x_next : x,
                 size_t(a.projection.out()), proj_ep);
    if (subsample) std::swap(x, x_next);
}

void ForwardPass::recordLayer(const LayerPlan& layer, size_t layer_number, const float* x) {
    const int n_out = layer.resolution_out * layer.resolution_out;
    if (probe_.layer_outputs) {
        TokenTensor t;
        t.name = layer.name;
        t.batch = batch_;
        t.tokens = n_out;
        t.channels = layer.channels_out;
        t.values.assign(x, x + size_t(batch_) * n_out * layer.channels_out);
        pr_.layer_outputs.push_back(std::move(t));
    }
    const int stage = layer.stage;
    const bool stage_ends = static_cast<int>(layer_number) == m_.stage_last_layer[stage];
    if (stage_ends && probe_.hidden_states)
        pr_.hidden_states.push_back(
            makeFeatureMaps("stage" + std::to_string(stage), x, batch_, layer.channels_out, layer.resolution_out));
    if (probe_.timings) timeLayer(layer, stage_ends);
}

// One lap per layer; a stage's time is the sum of its layers'.
void ForwardPass::timeLayer(const LayerPlan& layer, bool stage_ends) {
    lap(pr_.timings.layer_ms.emplace_back());
    if (!stage_ends) return;
    const size_t first = layer.stage == 0 ? 0 : size_t(m_.stage_last_layer[size_t(layer.stage) - 1]) + 1;
    double stage_ms = 0;
    for (size_t i = first; i < pr_.timings.layer_ms.size(); ++i) stage_ms += pr_.timings.layer_ms[i];
    pr_.timings.stage_ms.push_back(stage_ms);
}

const float* ForwardPass::encoder() {
    float* x = ws_.x.data();
    float* x_next = ws_.x_next.data();
    size_t layer_number = 0;
    for (const LayerPlan& layer : m_.layers) {
        if (layer.kind == BlockKind::Mlp) mlpBlock(layer, x);
        else attentionBlock(layer, x, x_next);
        recordLayer(layer, layer_number++, x);
    }
    return x;
}

// Mean over tokens, then the two BN+linear classifiers (folded) and their average.
void ForwardPass::heads(const float* x, Output& out) {
    const LayerPlan& last = m_.layers.back();
    const int channels = last.channels_out;
    const int tokens = last.resolution_out * last.resolution_out;
    Matrix pooled(ws_.pooled.data(), channels, batch_);
    for (int b = 0; b < batch_; ++b)
        pooled.col(b) = ConstMatrix(x + size_t(b) * tokens * channels, channels, tokens).rowwise().sum() / float(tokens);
    if (probe_.hidden_states) pr_.pooled.assign(pooled.data(), pooled.data() + pooled.size());
    StageTimings& t = pr_.timings;
    lap(t.pooling_ms);
    const int labels = m_.config.numLabels();
    out.batch = batch_;
    out.num_labels = labels;
    out.logits.resize(size_t(batch_) * labels);
    out.cls_logits.resize(size_t(batch_) * labels);
    out.distillation_logits.resize(size_t(batch_) * labels);
    denseForward(pool_, ws_, m_.cls_head, ws_.pooled.data(), out.cls_logits.data(), batch_, false, false);
    lap(t.classifier_ms);
    denseForward(pool_, ws_, m_.distill_head, ws_.pooled.data(), out.distillation_logits.data(), batch_, false, false);
    lap(t.distillation_ms);
    Matrix(out.logits.data(), labels, batch_) =
        (ConstMatrix(out.cls_logits.data(), labels, batch_) + ConstMatrix(out.distillation_logits.data(), labels, batch_)) / 2.0f;
    lap(t.average_ms);
    if (!probe_.timings) return;
    t.heads_ms = t.pooling_ms + t.classifier_ms + t.distillation_ms + t.average_ms;
    t.total_ms = msSince(run_start_);
}

void ForwardPass::recordBiasTables(const Model& model) {
    if (!probe_.bias_tables) return;
    for (int i = 0; i < static_cast<int>(m_.attention.size()); ++i) pr_.bias_tables.push_back(model.biasTables(i));
}

}  // namespace

const Output& Session::run(std::span<const float> pixel_values, int batch, const Probe& probe, ProbeResult* result) {
    if (batch < 1) throw Error("batch size must be at least 1 (got " + std::to_string(batch) + ")");
    const Config& cfg = model_->config();
    if (batch > kMaxBatch)
        throw Error("batch size " + std::to_string(batch) + " is above the limit of " + std::to_string(kMaxBatch));
    const size_t expected = inputSize() * size_t(batch);
    if (pixel_values.size() != expected)
        throw Error("pixel values hold " + std::to_string(pixel_values.size()) + " floats, but " + std::to_string(batch) +
                    " image(s) of " + std::to_string(cfg.num_channels) + "x" + std::to_string(cfg.image_size) + "x" +
                    std::to_string(cfg.image_size) + " need " + std::to_string(expected));
    const Model::Impl& m = model_->impl();
    ws_->ensure(m, batch, threads_);
    ProbeResult scratch;
    ForwardPass pass(m, *ws_, batch, probe, result ? *result : scratch);
    pass.patchEmbedding(pixel_values.data());
    pass.heads(pass.encoder(), output_);
    pass.recordBiasTables(*model_);
    return output_;
}

}  // namespace levit
