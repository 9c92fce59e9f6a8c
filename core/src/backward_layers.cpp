#include "backward_layers.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace levit::backprop {

namespace {

constexpr double kBatchNormEps = 1e-5;  // torch's BatchNorm default, as Hugging Face's LeViT uses

using ConstRowMap = Eigen::Map<const RowMatrix>;
using RowMap = Eigen::Map<RowMatrix>;
using ConstVectorMap = Eigen::Map<const Eigen::VectorXf>;
using VectorMap = Eigen::Map<Eigen::VectorXf>;

ConstRowMap asRows(const Tensor& t, int rows, int cols) { return ConstRowMap(t.values.data(), rows, cols); }

}  // namespace

Eigen::VectorXf BatchNormEval::inv_std() const {
    Eigen::VectorXf v(var->values.size());
    for (Eigen::Index i = 0; i < v.size(); ++i) v(i) = static_cast<float>(1.0 / std::sqrt(double(var->values[i]) + kBatchNormEps));
    return v;
}

void BatchNormEval::forward(const Matrix& z, Matrix& y) const {
    const Eigen::VectorXf scale = ConstVectorMap(gamma.value->values.data(), z.rows()).cwiseProduct(inv_std());
    const Eigen::VectorXf shift = ConstVectorMap(beta.value->values.data(), z.rows()) -
                                  ConstVectorMap(mean->values.data(), z.rows()).cwiseProduct(scale);
    y = (scale.asDiagonal() * z).colwise() + shift;
}

void BatchNormEval::backward(const Matrix& z, Matrix& dy) const {
    const Eigen::Index n = z.rows();
    const Eigen::VectorXf istd = inv_std();
    if (gamma.grad) {
        // d gamma = sum over positions of dy * (z - mean) / sqrt(var + eps)
        const Eigen::VectorXf dy_z = dy.cwiseProduct(z).rowwise().sum();
        const Eigen::VectorXf dy_sum = dy.rowwise().sum();
        VectorMap(gamma.grad->values.data(), n) +=
            (dy_z - dy_sum.cwiseProduct(ConstVectorMap(mean->values.data(), n))).cwiseProduct(istd);
    }
    if (beta.grad) VectorMap(beta.grad->values.data(), n) += dy.rowwise().sum();
    dy = ConstVectorMap(gamma.value->values.data(), n).cwiseProduct(istd).asDiagonal() * dy;
}

void LinearBatchNorm::forward(const Matrix& input, Matrix& y) {
    assert(input.rows() == in);
    x = input;
    z.noalias() = asRows(*weight.value, out, in) * x;
    bn.forward(z, y);
}

void LinearBatchNorm::backward(Matrix& dy, Matrix* dx) {
    bn.backward(z, dy);  // dy is now dz
    if (weight.grad) RowMap(weight.grad->values.data(), out, in).noalias() += dy * x.transpose();
    if (dx) dx->noalias() = asRows(*weight.value, out, in).transpose() * dy;
}

template <typename Fn>
void ConvBatchNorm::forEachTap(Fn&& fn) const {
    const int k = kernel, pixels = out_size * out_size;
    for (int b = 0; b < batch; ++b)
        for (int oy = 0; oy < out_size; ++oy)
            for (int ox = 0; ox < out_size; ++ox) {
                const Eigen::Index column = Eigen::Index(b) * pixels + oy * out_size + ox;
                for (int ky = 0; ky < k; ++ky) {
                    const int iy = oy * stride - padding + ky;
                    if (iy < 0 || iy >= in_size) continue;
                    for (int kx = 0; kx < k; ++kx) {
                        const int ix = ox * stride - padding + kx;
                        if (ix < 0 || ix >= in_size) continue;
                        fn(column, Eigen::Index(ky * k + kx), Eigen::Index(b) * in_size * in_size + iy * in_size + ix);
                    }
                }
            }
}

void ConvBatchNorm::forward(const Matrix& input, int batch_size, int input_size, Matrix& y) {
    batch = batch_size;
    in_size = input_size;
    out_size = (in_size + 2 * padding - kernel) / stride + 1;
    const int pixels = out_size * out_size, k = kernel;
    assert(input.rows() == in && input.cols() == Eigen::Index(batch) * in_size * in_size);
    // im2col with rows ordered (channel, ky, kx): the order of the weight's [in, k, k] flattening.
    columns.setZero(Eigen::Index(in) * k * k, Eigen::Index(batch) * pixels);
    forEachTap([&](Eigen::Index column, Eigen::Index row, Eigen::Index pixel) {
        const float* src = input.col(pixel).data();
        for (int c = 0; c < in; ++c) columns((c * k) * k + row, column) = src[c];
    });
    z.noalias() = asRows(*weight.value, out, in * k * k) * columns;
    bn.forward(z, y);
}

void ConvBatchNorm::backward(Matrix& dy, Matrix* dx) {
    const int k = kernel;
    bn.backward(z, dy);
    if (weight.grad) RowMap(weight.grad->values.data(), out, in * k * k).noalias() += dy * columns.transpose();
    if (!dx) return;
    const Matrix dcolumns = asRows(*weight.value, out, in * k * k).transpose() * dy;
    dx->setZero(in, Eigen::Index(batch) * in_size * in_size);
    forEachTap([&](Eigen::Index column, Eigen::Index row, Eigen::Index pixel) {  // col2im
        float* dst = dx->col(pixel).data();
        for (int c = 0; c < in; ++c) dst[c] += dcolumns((c * k) * k + row, column);
    });
}

void Hardswish::forward(const Matrix& input, Matrix& y) {
    x = input;
    y = x.unaryExpr([](float v) { return v * std::min(std::max(v + 3.0f, 0.0f), 6.0f) / 6.0f; });
}

void Hardswish::backward(Matrix& dy) const {
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
    qkv.forward(x, qkv_out);
    if (subsample) {
        // LevitSubsample: every stride-th token of the grid, in both directions.
        Matrix gathered(x.rows(), Eigen::Index(batch) * n_out);
        for (int b = 0; b < batch; ++b)
            for (int qy = 0; qy < resolution_out; ++qy)
                for (int qx = 0; qx < resolution_out; ++qx)
                    gathered.col(Eigen::Index(b) * n_out + qy * resolution_out + qx) =
                        x.col(Eigen::Index(b) * n_in + qy * stride * resolution_in + qx * stride);
        queries.forward(gathered, queries_out);
    }
    attended.resize(Eigen::Index(heads) * value_dim, Eigen::Index(batch) * n_out);
    probabilities.resize(size_t(batch) * heads);
    const int key_offset = subsample ? 0 : key_dim;
    for (int b = 0; b < batch; ++b)
        for (int h = 0; h < heads; ++h) {
            const auto q = subsample ? queries_out.block(Eigen::Index(h) * key_dim, Eigen::Index(b) * n_out, key_dim, n_out)
                                     : qkv_out.block(Eigen::Index(h) * per_head, Eigen::Index(b) * n_in, key_dim, n_in);
            const auto k = qkv_out.block(Eigen::Index(h) * per_head + key_offset, Eigen::Index(b) * n_in, key_dim, n_in);
            const auto v = qkv_out.block(Eigen::Index(h) * per_head + key_offset + key_dim, Eigen::Index(b) * n_in, value_dim, n_in);
            Matrix& p = probabilities[size_t(b) * heads + h];
            p.noalias() = scale * (q.transpose() * k);
            const float* bias = biases.value->values.data() + size_t(h) * (biases.value->values.size() / heads);
            for (int qi = 0; qi < n_out; ++qi)
                for (int ki = 0; ki < n_in; ++ki) p(qi, ki) += bias[bias_index[size_t(qi) * n_in + ki]];
            for (int qi = 0; qi < n_out; ++qi) {  // softmax over keys
                const float peak = p.row(qi).maxCoeff();
                p.row(qi) = (p.row(qi).array() - peak).exp();
                p.row(qi) /= p.row(qi).sum();
            }
            attended.block(Eigen::Index(h) * value_dim, Eigen::Index(b) * n_out, value_dim, n_out).noalias() = v * p.transpose();
        }
    Matrix activated;
    activation.forward(attended, activated);
    projection.forward(activated, y);
}

void AttentionLayer::backward(Matrix& dy, Matrix* dx) {
    const int n_in = resolution_in * resolution_in, n_out = resolution_out * resolution_out;
    const int per_head = subsample ? key_dim + value_dim : 2 * key_dim + value_dim;
    const int key_offset = subsample ? 0 : key_dim;
    Matrix dactivated;
    projection.backward(dy, &dactivated);
    activation.backward(dactivated);  // now d attended
    Matrix dqkv = Matrix::Zero(qkv_out.rows(), qkv_out.cols());
    Matrix dqueries = subsample ? Matrix::Zero(queries_out.rows(), queries_out.cols()) : Matrix();
    const size_t offsets = biases.value->values.size() / heads;
    Matrix dp, ds;
    for (int b = 0; b < batch; ++b)
        for (int h = 0; h < heads; ++h) {
            const Matrix& p = probabilities[size_t(b) * heads + h];
            const Eigen::Index q_row = subsample ? Eigen::Index(h) * key_dim : Eigen::Index(h) * per_head;
            const Eigen::Index q_col = subsample ? Eigen::Index(b) * n_out : Eigen::Index(b) * n_in;
            const Matrix& q_source = subsample ? queries_out : qkv_out;
            const auto q = q_source.block(q_row, q_col, key_dim, n_out);
            const Eigen::Index k_row = Eigen::Index(h) * per_head + key_offset, v_row = k_row + key_dim;
            const auto k = qkv_out.block(k_row, Eigen::Index(b) * n_in, key_dim, n_in);
            const auto v = qkv_out.block(v_row, Eigen::Index(b) * n_in, value_dim, n_in);
            const auto g = dactivated.block(Eigen::Index(h) * value_dim, Eigen::Index(b) * n_out, value_dim, n_out);
            // attended = v p^T: d v = g p, d p = g^T v; softmax: d s = p * (d p - rowsum(p * d p)).
            dqkv.block(v_row, Eigen::Index(b) * n_in, value_dim, n_in).noalias() += g * p;
            dp.noalias() = g.transpose() * v;
            const Eigen::VectorXf row_dot = p.cwiseProduct(dp).rowwise().sum();
            ds = p.cwiseProduct(dp.colwise() - row_dot);
            if (biases.grad) {
                float* dbias = biases.grad->values.data() + size_t(h) * offsets;
                for (int qi = 0; qi < n_out; ++qi)
                    for (int ki = 0; ki < n_in; ++ki) dbias[bias_index[size_t(qi) * n_in + ki]] += ds(qi, ki);
            }
            // s = scale q^T k: d q = scale k d s^T, d k = scale q d s.
            Matrix& dq_target = subsample ? dqueries : dqkv;
            dq_target.block(q_row, q_col, key_dim, n_out).noalias() += scale * (k * ds.transpose());
            dqkv.block(k_row, Eigen::Index(b) * n_in, key_dim, n_in).noalias() += scale * (q * ds);
        }
    Matrix dx_qkv;
    qkv.backward(dqkv, dx ? &dx_qkv : nullptr);
    if (dx) *dx += dx_qkv;
    if (subsample) {
        Matrix dgathered;
        queries.backward(dqueries, dx ? &dgathered : nullptr);
        if (dx)
            for (int b = 0; b < batch; ++b)
                for (int qy = 0; qy < resolution_out; ++qy)
                    for (int qx = 0; qx < resolution_out; ++qx)
                        dx->col(Eigen::Index(b) * n_in + qy * stride * resolution_in + qx * stride) +=
                            dgathered.col(Eigen::Index(b) * n_out + qy * resolution_out + qx);
    }
}

void MlpLayer::forward(const Matrix& x, Matrix& y) {
    Matrix hidden, activated;
    up.forward(x, hidden);
    activation.forward(hidden, activated);
    down.forward(activated, y);
}

void MlpLayer::backward(Matrix& dy, Matrix* dx) {
    Matrix dactivated;
    down.backward(dy, &dactivated);
    activation.backward(dactivated);
    up.backward(dactivated, dx);
}

void ClassifierHead::forward(const Matrix& pooled, Matrix& logits) {
    x = pooled;
    bn.forward(x, normalised);
    logits = (asRows(*weight.value, out, in) * normalised).colwise() + ConstVectorMap(bias.value->values.data(), out);
}

void ClassifierHead::backward(const Matrix& dlogits, Matrix* dx) {
    if (weight.grad) RowMap(weight.grad->values.data(), out, in).noalias() += dlogits * normalised.transpose();
    if (bias.grad) VectorMap(bias.grad->values.data(), out) += dlogits.rowwise().sum();
    Matrix dn = asRows(*weight.value, out, in).transpose() * dlogits;
    bn.backward(x, dn);
    if (dx) *dx += dn;
}

}  // namespace levit::backprop
