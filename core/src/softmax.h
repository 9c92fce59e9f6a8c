#pragma once
// Softmax over each column of a column-major matrix (the keys of one query are contiguous), with an
// AVX-512 exponential when the CPU has it: attention's softmax is the engine's only transcendental hot spot.
#include <cstddef>

namespace levit::detail {

// For each of `columns` columns of `rows` floats (column j at data + j * ld): x = softmax(x).
void softmaxColumns(float* data, int rows, int columns, size_t ld);

// Softmax along each row of a column-major rows x columns matrix (element (r, c) at data[c * ld + r]),
// left unnormalised: x = exp(x - row max), and inv_sum[r] = 1 / (sum of row r). The caller applies
// inv_sum where it is cheapest (attention: in the epilogue of the values product). Rows sit in vector
// lanes, so no horizontal reductions are needed.
void softmaxRowsUnnormalised(float* data, int rows, int columns, size_t ld, float* inv_sum);

}  // namespace levit::detail
