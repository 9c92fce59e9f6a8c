#pragma once
// The patch-embedding convolutions (3 x 3, stride 2) read straight from a zero-bordered HWC input, on the
// AVX2 kernels. Through the GEMM, every 14-pixel tile of windows is first gathered and transposed into a
// packed tile; for the 27-deep first convolution that cost as much as its multiply-adds, and it made the
// second one slower than ONNX Runtime's direct convolution. Here a block of 16 output channels x 6 pixels
// keeps 12 accumulators in registers and broadcasts each input value from the input itself (a pixel's
// window row is 3 x channels contiguous floats; the next pixel's starts 2 x channels floats on). The
// multiply-adds run in the packed weights' k order (ky, kx, channel) and the epilogue is the GEMM's, so
// the output equals the GEMM path's bit for bit.
#include <cstddef>

namespace levit::detail {

struct DirectConvArgs {
    const float* origin;     // the input at output pixel (0, 0)'s window corner (inside the zero border)
    size_t in_row_stride;    // floats per input row, border included
    int in_channels;
    int out_size;            // output side (pixels)
    int out_channels;        // a multiple of 8
    const float* weights;    // packed (PackedMatrix): panels of 32 output channels, k = (ky, kx, channel)
    size_t panel_stride;     // floats per weight panel (9 * in_channels * 32)
    const float* bias;       // out_channels values
    bool hardswish;
    float* out;              // output pixel (0, 0), channels contiguous
    size_t out_row_stride;   // floats per output row (wider than out_size * out_channels when it has a border)
};

// Whether directConv runs this convolution on this CPU: the AVX2 level (not AVX-512, whose GEMM packs a
// tile once for 32 output channels), a 3 x 3 window, stride 2, and whole 8-channel output vectors.
bool directConvApplies(int in_channels, int kernel, int stride, int out_channels);

// Output rows [row_begin, row_end).
void directConv(const DirectConvArgs& args, int row_begin, int row_end);

}  // namespace levit::detail
