#pragma once
// Attention-bias index tables exactly as Hugging Face builds them: offsets (|dy|, |dx|) numbered in the
// order they are first met while walking queries (outer) and keys (inner); never read from disk.
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

}  // namespace levit
