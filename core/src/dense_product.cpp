#include "dense_product.h"

#include <algorithm>
#include <cassert>

#include "gemm.h"

namespace levit::detail {

namespace {

// Inner-dimension block: a 32-row panel of A (32 KiB) and a packed tile of B (14 KiB) stay in L1/L2
// while the kernel runs over them; longer products accumulate block by block.
constexpr int kInnerBlock = 256;

}  // namespace

void multiply(const MatrixView& a, const MatrixView& b, float* c, size_t ldc, float alpha, bool accumulate,
              ProductWorkspace& workspace) {
    assert(a.cols == b.rows);
    assert(ldc >= size_t(std::max(a.rows, 1)));
    const int m = a.rows, n = b.cols, k = a.cols;
    if (m == 0 || n == 0) return;
    if (k == 0) {  // an empty sum
        if (!accumulate)
            for (int j = 0; j < n; ++j) std::fill_n(c + size_t(j) * ldc, m, 0.0f);
        return;
    }
    // A's rows contiguous within a column: the kernels read it where it is; otherwise it is packed.
    const bool a_in_place = a.row_stride == 1 && a.col_stride >= m;
    float* packed = a_in_place ? nullptr : workspace.packedA(packedSize(m, std::min(k, kInnerBlock)));
    float* scratch = workspace.tile(tileScratchFloats(std::min(k, kInnerBlock)));
    Epilogue epilogue;
    epilogue.scale = alpha;
    for (int k0 = 0; k0 < k; k0 += kInnerBlock) {
        const int kc = std::min(kInnerBlock, k - k0);
        const float* a_block = a.data + std::ptrdiff_t(k0) * a.col_stride;
        OperandA operand;
        if (a_in_place) {
            operand = OperandA::inPlace(a_block, size_t(a.col_stride), m, kc);
        } else {
            // packPanels takes unsigned strides: start from the block's lowest address when a stride is negative
            // (never the case for the views the training layers make).
            assert(a.row_stride > 0 && a.col_stride > 0);
            packPanels(a_block, m, kc, size_t(a.row_stride), size_t(a.col_stride), packed);
            operand = OperandA::packed(packed, m, kc);
        }
        const float* b_block = b.data + std::ptrdiff_t(k0) * b.row_stride;
        auto pack_b = [&](int first, int count, float* dst) {
            if (b.row_stride == 1) {  // B's columns contiguous: the transposing packer
                const float* columns[kTileColumns];
                for (int j = 0; j < count; ++j) columns[j] = b_block + std::ptrdiff_t(first + j) * b.col_stride;
                packColumnPointers(columns, count, kc, dst);
            } else if (b.col_stride == 1 && b.row_stride > 0) {  // B's rows contiguous: a copy per k
                packRows(b_block + first, size_t(b.row_stride), kc, count, dst);
            } else {
                for (int kk = 0; kk < kc; ++kk)
                    for (int j = 0; j < count; ++j)
                        dst[size_t(kk) * kTileColumns + j] = b_block[std::ptrdiff_t(kk) * b.row_stride + std::ptrdiff_t(first + j) * b.col_stride];
            }
        };
        epilogue.accumulate = accumulate || k0 > 0;
        gemm(operand, pack_b, 0, n, c, ldc, epilogue, scratch);
    }
}

}  // namespace levit::detail
