#pragma once
// Preprocessing identical to Hugging Face's LevitImageProcessor: PIL-compatible bicubic resize of the
// shortest edge to int(256/224 * S) (antialiased when downscaling, 8-bit rounding like PIL), centre crop,
// rescale by 1/255, ImageNet normalisation, CHW float32.
#include <vector>

#include "levit/config.h"
#include "levit/image.h"

namespace levit {

// Output size of the shortest-edge resize, as transformers computes it: (height, width).
struct Size2 { int height = 0; int width = 0; };
Size2 resizeOutputSize(int height, int width, int shortest_edge_target);

// PIL Image.resize(..., BICUBIC) on an RGB uint8 image, bit-exact with Pillow 9.x.
ImageRGB8 resizeBicubicPIL(const ImageRGB8& image, int out_width, int out_height);
// Crop offsets ((H-h)//2, (W-w)//2) like transformers' center_crop; pads with zeros when the image is smaller.
ImageRGB8 centerCrop(const ImageRGB8& image, int crop_width, int crop_height);

// The whole processor for one image: returns 3*crop_height*crop_width floats, CHW.
std::vector<float> preprocess(const ImageRGB8& image, const PreprocessConfig& config);
// Same, writing into `out` (3*crop_height*crop_width floats), so batches can be filled without copies.
void preprocessInto(const ImageRGB8& image, const PreprocessConfig& config, float* out);

}  // namespace levit
