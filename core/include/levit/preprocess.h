#pragma once
// Preprocessing identical to Hugging Face's LevitImageProcessor: PIL-compatible resize (bicubic by default;
// every PIL filter; antialiased when downscaling, 8-bit rounding like PIL) of the shortest edge to
// int(256/224 * S) or to a fixed height x width, centre crop, rescale, normalisation, CHW float32.
// Every option combination is supported the way transformers applies it; the output size follows from the
// options and the image (preprocessedSize), and writers check the buffer they are given against it.
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "levit/config.h"
#include "levit/image.h"

namespace levit {

struct Size2 {
    int height = 0;
    int width = 0;
    bool operator==(const Size2&) const = default;
};

// Largest side an image may be resized to, and largest resized image (pixels): far above any real use
// (the published models resize to 256), low enough that a hostile preprocessor config or a needle-shaped
// image cannot ask for gigabytes.
constexpr int kMaxResizedSide = 16384;
constexpr long long kMaxResizedPixels = 1LL << 25;  // 33.5 M pixels, 100 MB as RGB8

// Output size of the shortest-edge resize, as transformers computes it: (height, width).
Size2 resizeOutputSize(int height, int width, int shortest_edge_target);
// Size after the resize step for an image of height x width (unchanged without do_resize).
Size2 resizedSize(int height, int width, const PreprocessConfig& config);
// Size of the preprocessed image (after resize and crop): what the model is handed.
Size2 preprocessedSize(int height, int width, const PreprocessConfig& config);

// PIL Image.resize(..., filter) on an RGB uint8 image, bit-exact with Pillow 9.x. `filter` is PIL's id
// (PreprocessConfig::resample). Throws levit::Error for sizes beyond the limits above.
ImageRGB8 resizePIL(const ImageRGB8& image, int out_width, int out_height, int filter);
inline ImageRGB8 resizeBicubicPIL(const ImageRGB8& image, int out_width, int out_height) {
    return resizePIL(image, out_width, out_height, 3);
}
// Crop offsets ((H-h)//2, (W-w)//2) like transformers' center_crop; pads with zeros when the image is smaller.
ImageRGB8 centerCrop(const ImageRGB8& image, int crop_width, int crop_height);

// The resize and crop steps: the 8-bit image the model sees (for overlays and as the input of normalizeInto).
ImageRGB8 resizeAndCrop(const ImageRGB8& image, const PreprocessConfig& config);
// Rescale and normalisation of an already resized and cropped image into `out` (3 * height * width floats,
// CHW). Throws levit::Error when `out` has another size.
void normalizeInto(const ImageRGB8& image, const PreprocessConfig& config, std::span<float> out);

// Refuses, naming `source`, options that can never give the model's input (image_size x image_size): a crop,
// or a fixed resize without a crop, of another size. With do_center_crop false and a shortest-edge resize
// the size depends on each image's aspect ratio and is checked per image (Classifier).
void checkPreprocessingFitsModel(const Config& config, const std::string& source);

// The whole processor for one image, CHW float32 of preprocessedSize().
std::vector<float> preprocess(const ImageRGB8& image, const PreprocessConfig& config);
// Same, writing into `out`, which must hold exactly 3 * preprocessedSize() floats (checked: levit::Error).
void preprocessInto(const ImageRGB8& image, const PreprocessConfig& config, std::span<float> out);

}  // namespace levit
