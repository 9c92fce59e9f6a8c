#pragma once
// Attention-bias index tables exactly as Hugging Face builds them: offsets (|dy|, |dx|) numbered in the
// order they are first met while walking queries (outer) and keys (inner); never read from disk.
#include <cstdint>
#include <utility>
#include <vector>

namespace levit {

struct BiasIndexTable {
    int queries = 0, keys = 0;
    std::vector<int> index;                    // [queries][keys] -> offset number
    std::vector<std::pair<int, int>> offsets;  // offset number -> (|dy|, |dx|)
};

// Queries sit on a resolution_out grid with `stride` on the resolution_in key grid (stride 1 and equal
// resolutions for plain attention).
BiasIndexTable buildBiasIndexTable(int resolution_in, int resolution_out, int stride);

// offsets.size() of that table, computed without building it: an offset is a pair of per-axis distances,
// and both axes have the same set of distances.
int countBiasOffsets(int resolution_in, int resolution_out, int stride);

// The attention bias as the forward pass adds it, key by key: for each head and key, the column of its
// values over all queries (query-major within the column). Spelt out that is heads x keys x queries floats
// (154 KB per head for a 14 x 14 grid), which a batch-1 pass reads from memory; but the bias depends only
// on (|dy|, |dx|), so the columns are windows into a far smaller array. For a key (ky, kx) = (s*m + p, kx)
// the query (qy, qx) sees the offsets (|s*(qy - m) - p|, |s*qx - kx|): with rows u = qy - m of ro values
// each, the column is ro consecutive rows starting at u = -m of the block (kx, p). 21 KB per head on the
// 14 x 14 grid, 10 KB for the subsampling layer on it.
struct BiasColumns {
    std::vector<float> values;
    std::vector<uint32_t> columns;  // [head][key] -> index in values of that column's first query
};

// `biases` is heads x table.offsets.size(), row-major (the checkpoint's attention_biases).
BiasColumns buildBiasColumns(const BiasIndexTable& table, int resolution_in, int resolution_out, int stride,
                             const float* biases, int heads);

}  // namespace levit
