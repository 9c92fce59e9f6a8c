#pragma once
// An image file's format and pixel size, read from its header alone: lets the decoder refuse a
// decompression bomb (a small file that claims a huge image) before any codec allocates for it.
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace levit::media {

struct ImageHeader {
    std::string format;  // "PNG", "JPEG", "BMP", "WebP", "TIFF", "Radiance HDR", "PNM", "PAM", "PFM",
                         // "Sun raster", "OpenEXR", "JPEG 2000"
    int64_t width = 0;
    int64_t height = 0;
};

// The header of every format this program decodes (the OpenCV 4.6 codecs, minus DICOM and GDAL):
// nullopt when the bytes start like none of them. A recognised header that is truncated or claims a
// size of zero or less throws levit::Error naming `name`. Reads only what the header needs (TIFF:
// its first directory, wherever the file puts it); never more than `bytes`.
std::optional<ImageHeader> readImageHeader(std::span<const uint8_t> bytes, const std::string& name);

}  // namespace levit::media
