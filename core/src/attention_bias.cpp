#include "attention_bias.h"

#include <cstdlib>
#include <map>

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

}  // namespace levit
