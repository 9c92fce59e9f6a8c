#pragma once
// The first patch-embedding convolution (3 x 3, stride 2, on the image's 3 colour channels) read straight
// from the zero-bordered HWC image, on the AVX2 kernels. Through the GEMM, every 14-pixel tile was first
// gathered and transposed into a packed tile: for a 27-deep product that packing cost as much as the
// multiply-adds. Here a block of 16 output channels x 6 pixels keeps 12 accumulators in registers and
// broadcasts each input value from the image itself (a pixel's window row is 9 contiguous floats, the next
// pixel's 6 floats on). The multiply-adds run in the packed weights' k order (ky, kx, channel) and the
// epilogue is the GEMM's, so the result equals the GEMM path's bit for bit.
#include <cstddef>

namespace levit::detail {

struct FirstConvArgs {
    const float* origin;    // the padded image at the first output pixel's window corner
    size_t y_stride;        // floats per padded image row
    int out_size;           // output side (pixels)
    int out_channels;       // a multiple of 8
    const float* weights;   // packed (PackedMatrix): panels of 32 output channels, k = (ky, kx, channel)
    size_t panel_stride;    // floats per weight panel (27 * 32)
    const float* bias;      // out_channels values
    bool hardswish;
    float* out;             // [pixel][out_channels]
};

// Whether firstConvDirect can run this convolution on this CPU: the AVX2 level (not AVX-512, whose GEMM
// packs a tile once for 32 rows), 3 input channels, 3 x 3, stride 2, and whole 8-channel output vectors.
bool firstConvDirectApplies(int in_channels, int kernel, int stride, int out_channels);

// Output rows [row_begin, row_end) of the convolution.
void firstConvDirect(const FirstConvArgs& args, int row_begin, int row_end);

}  // namespace levit::detail
