#pragma once
// Attention's softmax over the keys of each query, with an AVX-512 exponential when the CPU has it: the
// engine's only transcendental hot spot. Scores are stored column-major (one column per key), so a row
// (one query) is strided and 16 queries fill a vector.
#include <cstddef>

namespace levit::detail {

// Softmax along each row of a column-major rows x columns matrix (element (r, c) at data[c * ld + r]),
// left unnormalised: x = exp(x - row max), and inv_sum[r] = 1 / (sum of row r). The caller applies
// inv_sum where it is cheapest (attention: in the epilogue of the values product). Rows sit in vector
// lanes, so no horizontal reductions are needed.
void softmaxRowsUnnormalised(float* data, int rows, int columns, size_t ld, float* inv_sum);

}  // namespace levit::detail
