#pragma once
// The input image (CHW pixels) as HWC with a zero border: every row of a 3 x 3 window is then one
// contiguous run of 3 x channels floats, which both the patch embedding's GEMM packer and the direct
// convolutions (direct_conv.h) read.
namespace levit::detail {

// out holds (size + 2 border)^2 x channels floats.
void padImage(const float* chw, int channels, int size, int border, float* out);

// Zeroes the frame, `border` pixels wide, of a side x side HWC buffer (and nothing inside it).
void zeroFrame(float* hwc, int side, int border, int channels);

}  // namespace levit::detail
