#pragma once
// The layers of LeViT with their backward passes, for GradientEngine (gradients.cpp). Activations are
// Eigen matrices of channels x (batch * tokens), column-major: each token's channels are contiguous, i.e.
// exactly Hugging Face's [batch, tokens, channels] memory. Each layer keeps what its backward pass needs
// from the last forward pass and accumulates its parameter gradients into tensors it was given.
#include <Eigen/Core>

#include <string>
#include <vector>

#include "levit/tensor.h"

namespace levit::backprop {

using Matrix = Eigen::MatrixXf;
using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// A parameter and, when its gradient is wanted, where that gradient accumulates.
struct Param {
    Tensor* value = nullptr;
    Tensor* grad = nullptr;
};

// BatchNorm in eval mode: y = gamma * (z - mean) / sqrt(var + eps) + beta per channel (row).
struct BatchNormEval {
    Param gamma, beta;
    const Tensor* mean = nullptr;
    const Tensor* var = nullptr;
    Eigen::VectorXf inv_std() const;
    // y = bn(z) for the rows of z.
    void forward(const Matrix& z, Matrix& y) const;
    // Given dy and the z of the forward pass: accumulates dgamma, dbeta; returns dz in place of dy.
    void backward(const Matrix& z, Matrix& dy) const;
};

// Hugging Face's MLPLayerWithBN: Linear(bias=False) then BatchNorm1d.
struct LinearBatchNorm {
    Param weight;  // [out, in]
    BatchNormEval bn;
    int in = 0, out = 0;
    Matrix x, z;  // the forward pass's input and linear output
    void forward(const Matrix& input, Matrix& y);
    // dy: gradient of the output (consumed). dx (when not null) receives the gradient of the input.
    void backward(Matrix& dy, Matrix* dx);
};

// LevitConvEmbeddings: Conv2d(bias=False) then BatchNorm2d, through im2col. Inputs and outputs are
// channels x (batch * height * width), pixels in row-major order per image.
struct ConvBatchNorm {
    Param weight;  // [out, in, k, k]
    BatchNormEval bn;
    int in = 0, out = 0, kernel = 3, stride = 2, padding = 1;
    int in_size = 0, out_size = 0, batch = 0;
    Matrix columns, z;
    void forward(const Matrix& input, int batch_size, int input_size, Matrix& y);
    void backward(Matrix& dy, Matrix* dx);

private:
    // fn(im2col column, tap (ky * k + kx), input pixel column) for every tap of the window that lies inside
    // the input (the padding contributes nothing).
    template <typename Fn>
    void forEachTap(Fn&& fn) const;
};

// torch.nn.Hardswish, keeping its input for the derivative (torch's: 0 below -3, x/3 + 1/2 up to 3, 1 above).
struct Hardswish {
    Matrix x;
    void forward(const Matrix& input, Matrix& y);
    void backward(Matrix& dy) const;  // in place
};

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
    Hardswish activation;
    Param biases;               // attention_biases [heads, offsets]
    std::vector<int> bias_index;  // [queries][keys] -> offset

    int batch = 0;
    Matrix qkv_out, queries_out, attended;
    std::vector<Matrix> probabilities;  // per (image, head): queries x keys

    void forward(const Matrix& x, int batch_size, Matrix& y);
    // dy consumed; the gradient of the input is added to dx (which has x's shape) when dx is not null.
    void backward(Matrix& dy, Matrix* dx);
};

// LevitMLPLayer: linear_up, hardswish, linear_down (the residual is the caller's).
struct MlpLayer {
    LinearBatchNorm up, down;
    Hardswish activation;
    void forward(const Matrix& x, Matrix& y);
    void backward(Matrix& dy, Matrix* dx);
};

// LevitClassificationLayer: BatchNorm1d then Linear (with bias) on the pooled features (channels x batch).
struct ClassifierHead {
    BatchNormEval bn;
    Param weight, bias;
    int in = 0, out = 0;
    Matrix x, normalised;
    void forward(const Matrix& pooled, Matrix& logits);
    void backward(const Matrix& dlogits, Matrix* dx);  // dx accumulated (+=) when not null
};

}  // namespace levit::backprop
