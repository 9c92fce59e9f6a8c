#pragma once
// NumPy .npy v1/v2 reader and writer (little-endian, C order) for golden data, dumps and the CLI.
#include <cstdint>
#include <string>
#include <vector>

namespace levit {

struct NpyArray {
    std::string dtype;  // numpy descr without byte order: "f4", "f8", "u1", "i8", ...
    std::vector<int64_t> shape;
    std::vector<unsigned char> bytes;  // raw little-endian data, C order

    int64_t numel() const;  // throws levit::Error when the shape's product overflows
    // Converts f4/f8/u1/i8/i4 data to float (f8 and i8 are narrowed). Throws on other dtypes.
    std::vector<float> toFloat() const;
    std::vector<int64_t> toInt64() const;  // i8/i4/u1 only
};

// Throws levit::Error naming the file; refuses non-regular files, headers over 64 KiB and data over 1 GiB.
NpyArray readNpy(const std::string& path);
void writeNpy(const std::string& path, const std::vector<int64_t>& shape, const float* values);

}  // namespace levit
