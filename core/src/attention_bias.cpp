#include "attention_bias.h"

#include <cstdlib>
#include <map>
#include <vector>

namespace levit {

BiasIndexTable buildBiasIndexTable(int resolution_in, int resolution_out, int stride) {
    BiasIndexTable table;
    table.queries = resolution_out * resolution_out;
    table.keys = resolution_in * resolution_in;
    table.index.reserve(static_cast<size_t>(table.queries) * table.keys);
    std::map<std::pair<int, int>, int> numbered;
    for (int qy = 0; qy < resolution_out; ++qy)
        for (int qx = 0; qx < resolution_out; ++qx)
            for (int ky = 0; ky < resolution_in; ++ky)
                for (int kx = 0; kx < resolution_in; ++kx) {
                    const std::pair<int, int> offset{std::abs(qy * stride - ky), std::abs(qx * stride - kx)};
                    auto [it, inserted] = numbered.emplace(offset, static_cast<int>(table.offsets.size()));
                    if (inserted) table.offsets.push_back(offset);
                    table.index.push_back(it->second);
                }
    return table;
}

int countBiasOffsets(int resolution_in, int resolution_out, int stride) {
    std::vector<bool> seen(static_cast<size_t>(resolution_out) * stride + resolution_in + 1, false);
    int distinct = 0;
    for (int q = 0; q < resolution_out; ++q)
        for (int k = 0; k < resolution_in; ++k) {
            const int d = std::abs(q * stride - k);
            if (!seen[size_t(d)]) {
                seen[size_t(d)] = true;
                ++distinct;
            }
        }
    return distinct * distinct;
}

}  // namespace levit
