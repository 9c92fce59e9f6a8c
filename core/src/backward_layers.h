#pragma once
// The layers of LeViT with their backward passes, for GradientEngine (gradients.cpp). Activations are
// Eigen matrices of channels x (batch * tokens), column-major: each token's channels are contiguous, i.e.
// exactly Hugging Face's [batch, tokens, channels] memory. Each layer keeps what its backward pass needs
// from the last forward pass and accumulates its parameter gradients into tensors it was given.
//
// Steady state without allocation: every intermediate is a member that keeps its size from one step to
// the next (Eigen reallocates only when a matrix's size changes), and products run on the engine's GEMM
// kernels with the engine's one ProductWorkspace (dense_product.h), never on Eigen's product, which
// allocates its blocking buffers on the heap for large operands.
//
// Memory: a layer keeps a pointer to an input that its owner keeps unchanged until the backward pass
// (another layer's output buffer) and copies only the residual stream, which later layers update in place.
#include <Eigen/Core>

#include <functional>
#include <string>
#include <vector>

#include "dense_product.h"
#include "levit/tensor.h"

namespace levit::backprop {

using Matrix = Eigen::MatrixXf;
using detail::ProductWorkspace;

// A parameter and, when its gradient is wanted, where that gradient accumulates (null: not wanted, and
// the layer skips the work).
struct Param {
    std::string name;
    Tensor* value = nullptr;
    Tensor* grad = nullptr;
};
using ParamVisitor = std::function<void(Param&)>;

// BatchNorm in eval mode: y = gamma * (z - mean) / sqrt(var + eps) + beta per channel (row).
struct BatchNormEval {
    Param gamma, beta;
    const Tensor* mean = nullptr;
    const Tensor* var = nullptr;
    // y = bn(z) for the rows of z.
    void forward(const Matrix& z, Matrix& y);
    // Given dy and the z of the forward pass: accumulates dgamma, dbeta; returns dz in place of dy.
    void backward(const Matrix& z, Matrix& dy);
    void visit(const ParamVisitor& fn);

private:
    void computeInverseStd();
    Eigen::VectorXf inv_std_, scale_, shift_, dy_z_, dy_sum_;
};

// Hugging Face's MLPLayerWithBN: Linear(bias=False) then BatchNorm1d.
struct LinearBatchNorm {
    Param weight;  // [out, in]
    BatchNormEval bn;
    int in = 0, out = 0;
    ProductWorkspace* workspace = nullptr;
    const Matrix* x = nullptr;  // the forward pass's input, kept unchanged by the caller until backward()
    Matrix z;                   // the linear output
    void forward(const Matrix& input, Matrix& y);
    // dy: gradient of the output (consumed). dx (when not null) receives the gradient of the input.
    void backward(Matrix& dy, Matrix* dx);
    void visit(const ParamVisitor& fn);
};

// LevitConvEmbeddings: Conv2d(bias=False) then BatchNorm2d, through im2col. Inputs and outputs are
// channels x (batch * height * width), pixels in row-major order per image.
struct ConvBatchNorm {
    Param weight;  // [out, in, k, k]
    BatchNormEval bn;
    int in = 0, out = 0, kernel = 3, stride = 2, padding = 1;
    int in_size = 0, out_size = 0, batch = 0;
    ProductWorkspace* workspace = nullptr;
    Matrix columns, z;
    void forward(const Matrix& input, int batch_size, int input_size, Matrix& y);
    void backward(Matrix& dy, Matrix* dx);
    void visit(const ParamVisitor& fn);

private:
    // fn(im2col column, tap (ky * k + kx), input pixel column) for every tap of the window that lies inside
    // the input; with kWithPadding also for the taps on the padding, with pixel column -1.
    template <bool kWithPadding, typename Fn>
    void forEachTap(Fn&& fn) const;
};

// torch.nn.Hardswish and its derivative (torch's: 0 below -3, x/3 + 1/2 up to 3, 1 above), given the
// forward pass's input x; dy in place.
void hardswish(const Matrix& x, Matrix& y);
void hardswishBackward(const Matrix& x, Matrix& dy);

// LevitAttention (stride 1, queries = keys grid) or LevitAttentionSubsample (queries on every stride-th
// token, from their own projection; no residual). The module output, before any residual.
struct AttentionLayer {
    bool subsample = false;
    int heads = 0, key_dim = 0, value_dim = 0;
    int resolution_in = 0, resolution_out = 0, stride = 1;
    float scale = 1;
    LinearBatchNorm qkv;        // queries_keys_values, or keys_values for subsample
    LinearBatchNorm queries;    // subsample only
    LinearBatchNorm projection;
    Param biases;               // attention_biases [heads, offsets]
    std::vector<int> bias_index;  // [queries][keys] -> offset
    ProductWorkspace* workspace = nullptr;

    int batch = 0;
    Matrix input, qkv_out, queries_out, attended;  // input: a copy of the residual stream
    std::vector<Matrix> probabilities;  // per (image, head): queries x keys

    void forward(const Matrix& x, int batch_size, Matrix& y);
    // dy consumed; the gradient of the input is added to dx (which has x's shape) when dx is not null.
    void backward(Matrix& dy, Matrix* dx);
    void visit(const ParamVisitor& fn);

private:
    Matrix gathered_, activated_, dactivated_, dqkv_, dqueries_, dp_, ds_, dx_part_, dgathered_;
    Eigen::VectorXf row_dot_;
};

// LevitMLPLayer: linear_up, hardswish, linear_down (the residual is the caller's).
struct MlpLayer {
    LinearBatchNorm up, down;
    void forward(const Matrix& x, Matrix& y);
    void backward(Matrix& dy, Matrix* dx);
    void visit(const ParamVisitor& fn);

private:
    Matrix input_, hidden_, activated_, dactivated_;  // input_: a copy of the residual stream
};

// LevitClassificationLayer: BatchNorm1d then Linear (with bias) on the pooled features (channels x batch).
struct ClassifierHead {
    BatchNormEval bn;
    Param weight, bias;
    int in = 0, out = 0;
    ProductWorkspace* workspace = nullptr;
    Matrix x, normalised;
    void forward(const Matrix& pooled, Matrix& logits);
    void backward(const Matrix& dlogits, Matrix* dx);  // dx accumulated (+=) when not null
    void visit(const ParamVisitor& fn);

private:
    Matrix dn_;
};

}  // namespace levit::backprop
