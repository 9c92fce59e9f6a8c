#pragma once
// Softmax over each column of a column-major matrix (the keys of one query are contiguous), with an
// AVX-512 exponential when the CPU has it: attention's softmax is the engine's only transcendental hot spot.
#include <cstddef>

namespace levit::detail {

// For each of `columns` columns of `rows` floats (column j at data + j * ld): x = softmax(x).
void softmaxColumns(float* data, int rows, int columns, size_t ld);

}  // namespace levit::detail
