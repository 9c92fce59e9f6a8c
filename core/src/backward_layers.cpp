#include "backward_layers.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace levit::backprop {

namespace {

constexpr double kBatchNormEps = 1e-5;  // torch's BatchNorm default, as Hugging Face's LeViT uses

using ConstVectorMap = Eigen::Map<const Eigen::VectorXf>;
using VectorMap = Eigen::Map<Eigen::VectorXf>;
using detail::MatrixView;
using detail::multiply;

// A row-major [rows, cols] parameter (Linear and flattened Conv2d weights).
MatrixView rowMajor(const Tensor& t, int rows, int cols) { return {t.values.data(), rows, cols, cols, 1}; }
// A column-major matrix, or the block of it at (row, col).
MatrixView view(const Matrix& m) { return {m.data(), int(m.rows()), int(m.cols()), 1, m.outerStride()}; }
MatrixView view(const Matrix& m, Eigen::Index row, Eigen::Index col, int rows, int cols) {
    return {m.data() + col * m.outerStride() + row, rows, cols, 1, m.outerStride()};
}
float* at(Matrix& m, Eigen::Index row, Eigen::Index col) { return m.data() + col * m.outerStride() + row; }

}  // namespace

void BatchNormEval::computeInverseStd() {
    const Eigen::Index n = Eigen::Index(var->values.size());
    inv_std_.resize(n);
    for (Eigen::Index i = 0; i < n; ++i) inv_std_(i) = static_cast<float>(1.0 / std::sqrt(double(var->values[size_t(i)]) + kBatchNormEps));
}

void BatchNormEval::forward(const Matrix& z, Matrix& y) {
    computeInverseStd();
    scale_ = ConstVectorMap(gamma.value->values.data(), z.rows()).cwiseProduct(inv_std_);
    shift_ = ConstVectorMap(beta.value->values.data(), z.rows()) - ConstVectorMap(mean->values.data(), z.rows()).cwiseProduct(scale_);
    y.resize(z.rows(), z.cols());
    y.array() = (z.array().colwise() * scale_.array()).colwise() + shift_.array();
}

void BatchNormEval::backward(const Matrix& z, Matrix& dy) {
    const Eigen::Index n = z.rows();
    computeInverseStd();
    // Sums over positions, column by column (each column's channels are contiguous).
    dy_sum_.setZero(n);
    for (Eigen::Index j = 0; j < dy.cols(); ++j) dy_sum_ += dy.col(j);
    if (gamma.grad) {
        // d gamma = sum over positions of dy * (z - mean) / sqrt(var + eps)
        dy_z_.setZero(n);
        for (Eigen::Index j = 0; j < dy.cols(); ++j) dy_z_ += dy.col(j).cwiseProduct(z.col(j));
        VectorMap(gamma.grad->values.data(), n) +=
            (dy_z_ - dy_sum_.cwiseProduct(ConstVectorMap(mean->values.data(), n))).cwiseProduct(inv_std_);
    }
    if (beta.grad) VectorMap(beta.grad->values.data(), n) += dy_sum_;
    scale_ = ConstVectorMap(gamma.value->values.data(), n).cwiseProduct(inv_std_);
    dy.array().colwise() *= scale_.array();
}

void BatchNormEval::visit(const ParamVisitor& fn) {
    fn(gamma);
    fn(beta);
}

void LinearBatchNorm::forward(const Matrix& input, Matrix& y) {
    assert(input.rows() == in);
    x = &input;
    z.resize(out, input.cols());
    multiply(rowMajor(*weight.value, out, in), view(input), z.data(), size_t(out), 1.0f, false, *workspace);
    bn.forward(z, y);
}

void LinearBatchNorm::backward(Matrix& dy, Matrix* dx) {
    bn.backward(z, dy);  // dy is now dz
    // d W = dz x^T, computed as its transpose (in x out, column-major) = W's row-major memory.
    if (weight.grad) multiply(view(*x), view(dy).transposed(), weight.grad->values.data(), size_t(in), 1.0f, true, *workspace);
    if (dx) {
        dx->resize(in, dy.cols());
        multiply(rowMajor(*weight.value, out, in).transposed(), view(dy), dx->data(), size_t(in), 1.0f, false, *workspace);
    }
}

void LinearBatchNorm::visit(const ParamVisitor& fn) {
    fn(weight);
    bn.visit(fn);
}

template <bool kWithPadding, typename Fn>
void ConvBatchNorm::forEachTap(Fn&& fn) const {
    const int k = kernel, pixels = out_size * out_size;
    for (int b = 0; b < batch; ++b)
        for (int oy = 0; oy < out_size; ++oy)
            for (int ox = 0; ox < out_size; ++ox) {
                const Eigen::Index column = Eigen::Index(b) * pixels + oy * out_size + ox;
                for (int ky = 0; ky < k; ++ky) {
                    const int iy = oy * stride - padding + ky;
                    const bool row_inside = iy >= 0 && iy < in_size;
                    for (int kx = 0; kx < k; ++kx) {
                        const int ix = ox * stride - padding + kx;
                        if (row_inside && ix >= 0 && ix < in_size)
                            fn(column, Eigen::Index(ky * k + kx), Eigen::Index(b) * in_size * in_size + iy * in_size + ix);
                        else if constexpr (kWithPadding)
                            fn(column, Eigen::Index(ky * k + kx), Eigen::Index(-1));
                    }
                }
            }
}

void ConvBatchNorm::forward(const Matrix& input, int batch_size, int input_size, Matrix& y) {
    batch = batch_size;
    in_size = input_size;
    out_size = (in_size + 2 * padding - kernel) / stride + 1;
    const int pixels = out_size * out_size, k = kernel, taps = in * k * k;
    assert(input.rows() == in && input.cols() == Eigen::Index(batch) * in_size * in_size);
    // im2col with rows ordered (channel, ky, kx): the order of the weight's [in, k, k] flattening.
    // Every entry is written once (padding taps as zeros): no separate clearing pass.
    columns.resize(taps, Eigen::Index(batch) * pixels);
    forEachTap<true>([&](Eigen::Index column, Eigen::Index row, Eigen::Index pixel) {
        float* dst = columns.col(column).data() + row;
        if (pixel < 0) {
            for (int c = 0; c < in; ++c) dst[c * k * k] = 0.0f;
            return;
        }
        const float* src = input.col(pixel).data();
        for (int c = 0; c < in; ++c) dst[c * k * k] = src[c];
    });
    z.resize(out, columns.cols());
    multiply(rowMajor(*weight.value, out, taps), view(columns), z.data(), size_t(out), 1.0f, false, *workspace);
    bn.forward(z, y);
}

void ConvBatchNorm::backward(Matrix& dy, Matrix* dx) {
    const int k = kernel, taps = in * k * k;
    bn.backward(z, dy);
    if (weight.grad) multiply(view(columns), view(dy).transposed(), weight.grad->values.data(), size_t(taps), 1.0f, true, *workspace);
    if (!dx) return;
    Eigen::Map<Matrix> dcolumns(workspace->result(size_t(taps) * size_t(dy.cols())), taps, dy.cols());
    multiply(rowMajor(*weight.value, out, taps).transposed(), view(dy), dcolumns.data(), size_t(taps), 1.0f, false, *workspace);
    dx->setZero(in, Eigen::Index(batch) * in_size * in_size);
    forEachTap<false>([&](Eigen::Index column, Eigen::Index row, Eigen::Index pixel) {  // col2im
        float* dst = dx->col(pixel).data();
        for (int c = 0; c < in; ++c) dst[c] += dcolumns((c * k) * k + row, column);
    });
}

void ConvBatchNorm::visit(const ParamVisitor& fn) {
    fn(weight);
    bn.visit(fn);
}

void hardswish(const Matrix& x, Matrix& y) {
    y = x.unaryExpr([](float v) { return v * std::min(std::max(v + 3.0f, 0.0f), 6.0f) / 6.0f; });
}

void hardswishBackward(const Matrix& x, Matrix& dy) {
    dy = dy.binaryExpr(x, [](float g, float v) {
        if (v < -3.0f) return 0.0f;
        if (v <= 3.0f) return g * (v / 3.0f + 0.5f);
        return g;
    });
}

void AttentionLayer::forward(const Matrix& x, int batch_size, Matrix& y) {
    batch = batch_size;
    const int n_in = resolution_in * resolution_in, n_out = resolution_out * resolution_out;
    const int per_head = subsample ? key_dim + value_dim : 2 * key_dim + value_dim;
    input = x;  // the caller updates its residual stream in place
    qkv.forward(input, qkv_out);
    if (subsample) {
        // LevitSubsample: every stride-th token of the grid, in both directions.
        gathered_.resize(x.rows(), Eigen::Index(batch) * n_out);
        for (int b = 0; b < batch; ++b)
            for (int qy = 0; qy < resolution_out; ++qy)
                for (int qx = 0; qx < resolution_out; ++qx)
                    gathered_.col(Eigen::Index(b) * n_out + qy * resolution_out + qx) =
                        x.col(Eigen::Index(b) * n_in + qy * stride * resolution_in + qx * stride);
        queries.forward(gathered_, queries_out);
    }
    attended.resize(Eigen::Index(heads) * value_dim, Eigen::Index(batch) * n_out);
    probabilities.resize(size_t(batch) * heads);
    const int key_offset = subsample ? 0 : key_dim;
    const size_t offsets = biases.value->values.size() / size_t(heads);
    for (int b = 0; b < batch; ++b)
        for (int h = 0; h < heads; ++h) {
            const MatrixView q = subsample ? view(queries_out, Eigen::Index(h) * key_dim, Eigen::Index(b) * n_out, key_dim, n_out)
                                           : view(qkv_out, Eigen::Index(h) * per_head, Eigen::Index(b) * n_in, key_dim, n_in);
            const MatrixView k = view(qkv_out, Eigen::Index(h) * per_head + key_offset, Eigen::Index(b) * n_in, key_dim, n_in);
            const MatrixView v = view(qkv_out, Eigen::Index(h) * per_head + key_offset + key_dim, Eigen::Index(b) * n_in, value_dim, n_in);
            Matrix& p = probabilities[size_t(b) * heads + h];
            p.resize(n_out, n_in);
            multiply(q.transposed(), k, p.data(), size_t(n_out), scale, false, *workspace);  // scale q^T k
            const float* bias = biases.value->values.data() + size_t(h) * offsets;
            for (int ki = 0; ki < n_in; ++ki)
                for (int qi = 0; qi < n_out; ++qi) p(qi, ki) += bias[bias_index[size_t(qi) * n_in + ki]];
            for (int qi = 0; qi < n_out; ++qi) {  // softmax over keys
                const float peak = p.row(qi).maxCoeff();
                p.row(qi) = (p.row(qi).array() - peak).exp();
                p.row(qi) /= p.row(qi).sum();
            }
            multiply(v, view(p).transposed(), at(attended, Eigen::Index(h) * value_dim, Eigen::Index(b) * n_out),
                     size_t(attended.rows()), 1.0f, false, *workspace);  // v p^T
        }
    hardswish(attended, activated_);
    projection.forward(activated_, y);
}

void AttentionLayer::backward(Matrix& dy, Matrix* dx) {
    const int n_in = resolution_in * resolution_in, n_out = resolution_out * resolution_out;
    const int per_head = subsample ? key_dim + value_dim : 2 * key_dim + value_dim;
    const int key_offset = subsample ? 0 : key_dim;
    projection.backward(dy, &dactivated_);
    hardswishBackward(attended, dactivated_);  // now d attended
    dqkv_.setZero(qkv_out.rows(), qkv_out.cols());
    if (subsample) dqueries_.setZero(queries_out.rows(), queries_out.cols());
    const size_t offsets = biases.value->values.size() / size_t(heads);
    for (int b = 0; b < batch; ++b)
        for (int h = 0; h < heads; ++h) {
            const Matrix& p = probabilities[size_t(b) * heads + h];
            const Eigen::Index q_row = subsample ? Eigen::Index(h) * key_dim : Eigen::Index(h) * per_head;
            const Eigen::Index q_col = subsample ? Eigen::Index(b) * n_out : Eigen::Index(b) * n_in;
            const Matrix& q_source = subsample ? queries_out : qkv_out;
            const MatrixView q = view(q_source, q_row, q_col, key_dim, n_out);
            const Eigen::Index k_row = Eigen::Index(h) * per_head + key_offset, v_row = k_row + key_dim;
            const Eigen::Index kv_col = Eigen::Index(b) * n_in;
            const MatrixView k = view(qkv_out, k_row, kv_col, key_dim, n_in);
            const MatrixView v = view(qkv_out, v_row, kv_col, value_dim, n_in);
            const MatrixView g = view(dactivated_, Eigen::Index(h) * value_dim, Eigen::Index(b) * n_out, value_dim, n_out);
            // attended = v p^T: d v = g p, d p = g^T v; softmax: d s = p * (d p - rowsum(p * d p)).
            multiply(g, view(p), at(dqkv_, v_row, kv_col), size_t(dqkv_.rows()), 1.0f, true, *workspace);
            dp_.resize(n_out, n_in);
            multiply(g.transposed(), v, dp_.data(), size_t(n_out), 1.0f, false, *workspace);
            row_dot_ = p.cwiseProduct(dp_).rowwise().sum();
            ds_ = p.cwiseProduct(dp_.colwise() - row_dot_);
            if (biases.grad) {
                float* dbias = biases.grad->values.data() + size_t(h) * offsets;
                for (int ki = 0; ki < n_in; ++ki)
                    for (int qi = 0; qi < n_out; ++qi) dbias[bias_index[size_t(qi) * n_in + ki]] += ds_(qi, ki);
            }
            // s = scale q^T k: d q = scale k d s^T, d k = scale q d s.
            Matrix& dq_target = subsample ? dqueries_ : dqkv_;
            multiply(k, view(ds_).transposed(), at(dq_target, q_row, q_col), size_t(dq_target.rows()), scale, true, *workspace);
            multiply(q, view(ds_), at(dqkv_, k_row, kv_col), size_t(dqkv_.rows()), scale, true, *workspace);
        }
    qkv.backward(dqkv_, dx ? &dx_part_ : nullptr);
    if (dx) *dx += dx_part_;
    if (subsample) {
        queries.backward(dqueries_, dx ? &dgathered_ : nullptr);
        if (dx)
            for (int b = 0; b < batch; ++b)
                for (int qy = 0; qy < resolution_out; ++qy)
                    for (int qx = 0; qx < resolution_out; ++qx)
                        dx->col(Eigen::Index(b) * n_in + qy * stride * resolution_in + qx * stride) +=
                            dgathered_.col(Eigen::Index(b) * n_out + qy * resolution_out + qx);
    }
}

void AttentionLayer::visit(const ParamVisitor& fn) {
    fn(biases);
    qkv.visit(fn);
    if (subsample) queries.visit(fn);
    projection.visit(fn);
}

void MlpLayer::forward(const Matrix& x, Matrix& y) {
    input_ = x;  // the caller updates its residual stream in place
    up.forward(input_, hidden_);
    hardswish(hidden_, activated_);
    down.forward(activated_, y);
}

void MlpLayer::backward(Matrix& dy, Matrix* dx) {
    down.backward(dy, &dactivated_);
    hardswishBackward(hidden_, dactivated_);
    up.backward(dactivated_, dx);
}

void MlpLayer::visit(const ParamVisitor& fn) {
    up.visit(fn);
    down.visit(fn);
}

void ClassifierHead::forward(const Matrix& pooled, Matrix& logits) {
    x = pooled;
    bn.forward(x, normalised);
    logits.resize(out, x.cols());
    multiply(rowMajor(*weight.value, out, in), view(normalised), logits.data(), size_t(out), 1.0f, false, *workspace);
    logits.colwise() += ConstVectorMap(bias.value->values.data(), out);
}

void ClassifierHead::backward(const Matrix& dlogits, Matrix* dx) {
    if (weight.grad) multiply(view(normalised), view(dlogits).transposed(), weight.grad->values.data(), size_t(in), 1.0f, true, *workspace);
    if (bias.grad) VectorMap(bias.grad->values.data(), out) += dlogits.rowwise().sum();
    dn_.resize(in, dlogits.cols());
    multiply(rowMajor(*weight.value, out, in).transposed(), view(dlogits), dn_.data(), size_t(in), 1.0f, false, *workspace);
    bn.backward(x, dn_);
    if (dx) *dx += dn_;
}

void ClassifierHead::visit(const ParamVisitor& fn) {
    bn.visit(fn);
    fn(weight);
    fn(bias);
}

}  // namespace levit::backprop
