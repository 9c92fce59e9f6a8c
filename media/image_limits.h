#pragma once
// The largest images the decoder accepts, checked from the file size and the header before any codec
// allocates: a small file must not be able to claim gigabytes (a "decompression bomb").
#include <cstdint>
#include <string>

namespace levit::media {

// Files above this are refused before being read: 256 MiB is an uncompressed 8-bit RGB image at the
// pixel limit, far more than any compressed photo needs.
constexpr int64_t kMaxImageFileBytes = int64_t(256) << 20;
// Pillow's MAX_IMAGE_PIXELS (1 GiB / 4 / 3): about 0.25 GiB as 8-bit RGB. Decoding an 8- or 16-bit
// image at this limit peaks at about 0.6 or 0.8 GiB (the codec's image and our RGB copy).
constexpr int64_t kMaxImagePixels = 89'478'485;
// Formats OpenCV decodes through 32-bit samples (Radiance HDR, OpenEXR, PFM: float; JPEG 2000:
// OpenJPEG's int32 planes) need 12 bytes per pixel, twice over for HDR: a quarter of the pixels.
constexpr int64_t kMaxWideSampleImagePixels = kMaxImagePixels / 4;
// The longest side: a 32768-pixel-wide panorama is fine; wider rows only come from forged headers.
constexpr int64_t kMaxImageSide = 32768;
// Long side / short side. The model sees a centre square of the image scaled so its short side fits,
// so a 16384x1 strip would first be scaled to 4 million x 256 pixels (gigabytes) to classify a sliver.
// 32:1 admits every panorama (360° ones are 2:1, phone sweeps about 8:1) and long screenshots
// (about 20:1), and bounds the scaled image to 32 x S² pixels (2 Mpx at the usual S = 256).
constexpr int64_t kMaxAspectRatio = 32;

// The pixel limit for a format named as in ImageHeader::format.
int64_t pixelLimitFor(const std::string& format);

// Throws levit::Error naming `name` and the limit when an image of width x height is not accepted.
void checkImageLimits(int64_t width, int64_t height, const std::string& name, int64_t max_pixels = kMaxImagePixels);

}  // namespace levit::media
