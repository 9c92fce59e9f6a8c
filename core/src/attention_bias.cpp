#include "attention_bias.h"

#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "levit/error.h"

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

BiasColumns buildBiasColumns(const BiasIndexTable& table, int resolution_in, int resolution_out, int stride,
                             const float* biases, int heads) {
    const int ri = resolution_in, ro = resolution_out, s = stride;
    const int m_max = (ri - 1) / s;  // largest key row block m = ky / s
    const int rows = ro + m_max;     // u = qy - m from -m_max to ro - 1
    const size_t block = size_t(rows) * ro, per_head = size_t(ri) * s * block;
    if (double(heads) * double(per_head) > double(UINT32_MAX))
        throw Error("attention bias of " + std::to_string(heads) + " heads on a " + std::to_string(ri) + " x " +
                    std::to_string(ri) + " grid is too large");
    BiasColumns out;
    out.columns.resize(size_t(heads) * ri * ri);
    for (int h = 0; h < heads; ++h)
        for (int ky = 0; ky < ri; ++ky)
            for (int kx = 0; kx < ri; ++kx) {
                const int m = ky / s, p = ky % s;
                out.columns[(size_t(h) * ri + ky) * ri + kx] = static_cast<uint32_t>(
                    size_t(h) * per_head + (size_t(kx) * s + p) * block + size_t(m_max - m) * ro);
            }
    // Each value from the index table itself (windows that overlap receive the same offset's bias); block
    // entries that no window reaches stay 0.
    out.values.assign(size_t(heads) * per_head, 0.0f);
    const size_t n_offsets = table.offsets.size();
    for (int h = 0; h < heads; ++h)
        for (int q = 0; q < table.queries; ++q)
            for (int k = 0; k < table.keys; ++k)
                out.values[out.columns[size_t(h) * table.keys + k] + q] =
                    biases[h * n_offsets + size_t(table.index[size_t(q) * table.keys + k])];
    return out;
}

}  // namespace levit
