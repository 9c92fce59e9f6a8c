#pragma once
// General matrix products C (+)= alpha * A * B on the engine's GEMM kernels (gemm.h), for the training
// path: operands are strided views (any layout, transposed or not), inner dimensions of any length are
// split into blocks that stay in cache, and all scratch comes from a ProductWorkspace that only grows, so
// products in the steady state allocate nothing. Run-time kernel choice (AVX-512, AVX2 + FMA, portable)
// is the GEMM's; a portable build's Eigen products would be SSE2 only.
#include <cstddef>
#include <vector>

namespace levit::detail {

// Element (r, c) of a rows x cols matrix is data[r * row_stride + c * col_stride].
struct MatrixView {
    const float* data = nullptr;
    int rows = 0, cols = 0;
    std::ptrdiff_t row_stride = 1, col_stride = 0;
    MatrixView transposed() const { return {data, cols, rows, col_stride, row_stride}; }
};

// Scratch for products: grows to the largest product seen and is kept.
class ProductWorkspace {
public:
    float* packedA(size_t floats) { return reserve(packed_a_, floats); }
    float* tile(size_t floats) { return reserve(tile_, floats); }
    // A short-lived product result that the caller consumes at once (the convolutions' column gradients):
    // one buffer for all layers instead of one per layer.
    float* result(size_t floats) { return reserve(result_, floats); }

private:
    static float* reserve(std::vector<float>& buffer, size_t floats) {
        if (buffer.size() < floats) buffer.resize(floats);
        return buffer.data();
    }
    std::vector<float> packed_a_, tile_, result_;
};

// C = alpha * A * B (accumulate: C += alpha * A * B) for A (m x k), B (k x n) and C m x n, column-major
// with leading dimension ldc >= m. C must not overlap A or B.
void multiply(const MatrixView& a, const MatrixView& b, float* c, size_t ldc, float alpha, bool accumulate,
              ProductWorkspace& workspace);

}  // namespace levit::detail
