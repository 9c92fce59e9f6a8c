#pragma once
// The engine's matrix product C = epilogue(A * B) for activations stored column by column (token-major):
// B(k, j) = b[j * ldb + k], C(i, j) = c[j * ldc + i]. A comes either packed once at load time (weights)
// or straight from an activation buffer (attention values). Columns are processed in tiles of
// kTileColumns: each tile of B is first packed (k-major, the tile's columns interleaved) into a small
// per-thread buffer, which is also how a convolution gathers its input without a separate im2col pass.
// The micro-kernel is chosen at run time (cpu_features.h): AVX-512, else AVX2 + FMA, else portable C++;
// bfloat16 products need AVX-512 BF16.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "aligned_allocator.h"
#include "function_ref.h"

namespace levit::detail {

constexpr int kPanelRows = 32;    // rows of A per micro-kernel call (two AVX-512 vectors)
constexpr int kTileColumns = 14;  // columns of B per tile (28 accumulators + A + broadcast = 31 registers)

// A rows x cols matrix packed for the kernel: panels of kPanelRows rows; in a panel, column k's rows are
// contiguous (kPanelRows floats, the last panel zero-padded).
struct PackedMatrix {
    int rows = 0, cols = 0;
    AlignedVector<float> data;  // panels start on cache lines (kPanelRows floats = two lines per column)
};

// Packs A(r, c) = a[r * row_stride + c * col_stride].
PackedMatrix packMatrix(const float* a, int rows, int cols, size_t row_stride, size_t col_stride);
// The same into dst (packedSize(rows, cols) floats), without allocating: for operands made during a run.
void packPanels(const float* a, int rows, int cols, size_t row_stride, size_t col_stride, float* dst);
inline size_t packedSize(int rows, int cols) {
    return size_t((rows + kPanelRows - 1) / kPanelRows) * cols * kPanelRows;
}

// Where A comes from: panel p starts at data + p * panel_stride; inside, column k starts k_stride floats
// after column k-1 and holds the panel's rows contiguously (packed: k_stride = kPanelRows; an activation
// buffer's row block: k_stride = its column length).
struct OperandA {
    const float* data = nullptr;
    size_t panel_stride = 0, k_stride = 0;
    int rows = 0, cols = 0;
    // Optional bfloat16 copy of a packed A (packBf16): when set and the CPU has AVX-512 BF16, the product
    // runs in bfloat16 with float accumulation, B being rounded to bfloat16 tile by tile.
    const uint16_t* bf16 = nullptr;
    static OperandA packed(const float* data, int rows, int cols) {
        return {data, size_t(cols) * kPanelRows, kPanelRows, rows, cols};
    }
    static OperandA packed(const PackedMatrix& m) { return packed(m.data.data(), m.rows, m.cols); }
    int panels() const { return (rows + kPanelRows - 1) / kPanelRows; }
    // Panels [begin, end) only (rows shift by begin * kPanelRows).
    OperandA panelRange(int begin, int end) const {
        return {data + size_t(begin) * panel_stride, panel_stride, k_stride,
                std::min(rows, end * kPanelRows) - begin * kPanelRows, cols,
                bf16 ? bf16 + size_t(begin) * bf16PanelSize(cols) : nullptr};
    }
    // uint16 values per bfloat16 panel: k in pairs, each pair kPanelRows x 2.
    static size_t bf16PanelSize(int cols) { return size_t((cols + 1) / 2) * kPanelRows * 2; }
    static OperandA inPlace(const float* rows_begin, size_t column_stride, int rows, int cols) {
        return {rows_begin, kPanelRows, column_stride, rows, cols};
    }
};

// What happens to A*B before it is stored: optionally scaled (globally and per row), plus a per-row bias, plus a full matrix
// (the attention bias), then hardswish, and either stored or added to C (residual).
struct Epilogue {
    float scale = 1;
    const float* row_scale = nullptr;  // per-row factor (attention's 1 / softmax denominator), or null
    const float* row_bias = nullptr;
    // addend(i, j) = addend[addend_columns[j] + i]: each column of the matrix a run of rows somewhere in one
    // array, so that columns may overlap (the attention bias repeats itself: see attention_bias.h). A dense
    // matrix has addend_columns[j] = j * ld. Indexed by C's column, from column 0 of the whole product.
    const float* addend = nullptr;
    const uint32_t* addend_columns = nullptr;
    bool hardswish = false;
    bool accumulate = false;
};

// A packed matrix in bfloat16 (round to nearest even), pairs of k interleaved per row: what the AVX-512
// BF16 dot-product instruction consumes.
std::vector<uint16_t> packBf16(const PackedMatrix& m);
// Whether this CPU runs bfloat16 products (AVX-512 BF16).
bool cpuHasBf16();

// Fills dst[k * kTileColumns + j] = B(k, first + j) for j < count (count <= kTileColumns).
using PackB = FunctionRef<void(int first, int count, float* dst)>;

// dst[k * kTileColumns + j] = columns[j][k] for j < count: a tile from columns anywhere in memory.
void packColumnPointers(const float* const* columns, int count, int rows, float* dst);
// dst[kk * kTileColumns + j] = rows[kk * row_stride + j] for kk < k, j < count: a tile from rows that hold
// its columns contiguously (B row-major, e.g. attention values, the concatenated heads).
void packRows(const float* rows, size_t row_stride, int k, int count, float* dst);
// Packer for a plain column-major B with leading dimension ldb (k contiguous within a column).
void packColumns(const float* b, size_t ldb, int rows, int first, int count, float* dst);

// gemm() packs several B tiles at once (a group) and runs each panel of A against all of them, so that a
// panel is fetched once per group instead of once per tile: streaming the small packed tiles from L2 costs
// less than streaming the weights (from L3 or memory when a layer's weights do not fit the core's L2).
// A group holds at most kTileGroupFloats floats of B (or two tiles, whatever k) and at most
// kMaxGroupTiles tiles. Two at least, because a batch-1 layer of 16 tokens runs as 14 + 2 columns: with
// one tile per group its weights were streamed twice (a 384 x 768 layer, weights from memory: 150 -> 139 us
// with the AVX2 kernels, 73 -> 66 us with AVX-512).
constexpr int kTileGroupFloats = 16384;  // 64 KB
constexpr int kMaxGroupTiles = 16;
constexpr int kMinGroupTiles = 2;
inline int tileGroupSize(int k) {
    return std::clamp(kTileGroupFloats / (std::max(k, 1) * kTileColumns), kMinGroupTiles, kMaxGroupTiles);
}

// Floats of scratch gemm() needs for an inner dimension of at most k: a group of float tiles and their
// bfloat16 copies (half as many floats, rounded up per tile).
inline size_t tileScratchFloats(int k) {
    const size_t floats =
        std::max<size_t>(kTileGroupFloats, size_t(kMinGroupTiles) * size_t(std::max(k, 1)) * kTileColumns);
    return floats + floats / 2 + size_t(kMaxGroupTiles) * kTileColumns + 16;
}

// C(:, col_begin..col_end) for A (m x k) times B (k x n); `scratch` holds tileScratchFloats(k) floats.
void gemm(const OperandA& a, PackB pack_b, int col_begin, int col_end, float* c, size_t ldc, const Epilogue& ep,
          float* scratch);

// Number of column tiles of n columns (the unit to split across threads).
inline int columnTiles(int n) { return (n + kTileColumns - 1) / kTileColumns; }

}  // namespace levit::detail
