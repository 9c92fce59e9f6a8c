// NumPy .npy files (format versions 1-3), little-endian, C order.
#include "levit/npy.h"

#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <new>
#include <optional>
#include <string_view>

#include "levit/error.h"
#include "levit/tensor.h"
#include "mapped_file.h"
#include "printable.h"

namespace levit {

namespace {

// numpy itself refuses headers over 10,000 bytes by default; a shape and a dtype need well under 200.
constexpr size_t kMaxNpyHeaderBytes = 65536;
// Arrays this reader returns are copied into memory: image batches and golden tensors are megabytes.
constexpr uint64_t kMaxNpyDataBytes = uint64_t(1) << 30;
// NumPy's own limit (NPY_MAXDIMS in NumPy 1.x).
constexpr size_t kMaxNpyRank = 32;

size_t itemSize(const std::string& dtype) {
    if (dtype == "f4" || dtype == "i4" || dtype == "u4") return 4;
    if (dtype == "f8" || dtype == "i8" || dtype == "u8") return 8;
    if (dtype == "u1" || dtype == "i1" || dtype == "b1") return 1;
    if (dtype == "f2" || dtype == "i2" || dtype == "u2") return 2;
    return 0;
}

// The header is a Python dict literal, parsed by hand: std::regex recurses once per character it matches,
// so a long header (up to kMaxNpyHeaderBytes) overflowed the stack.
bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }

// 'descr': '<f4' -> "<f4" (byte order, one letter, digits).
std::optional<std::string_view> parseDescr(std::string_view v) {
    if (v.size() < 4 || v[0] != '\'' || std::string_view("<>|=").find(v[1]) == std::string_view::npos) return {};
    if (v[2] < 'a' || v[2] > 'z' || !isDigit(v[3])) return {};
    size_t end = 4;
    while (end < v.size() && isDigit(v[end])) ++end;
    if (end >= v.size() || v[end] != '\'') return {};
    return v.substr(1, end - 1);
}

std::optional<std::string_view> parseTrue(std::string_view v) {
    if (v.substr(0, 4) != "True") return {};
    return v.substr(0, 4);
}

// 'shape': (3, 224, 224) -> "3, 224, 224".
std::optional<std::string_view> parseTuple(std::string_view v) {
    if (v.empty() || v[0] != '(') return {};
    const size_t close = v.find(')');
    if (close == std::string_view::npos) return {};
    return v.substr(1, close - 1);
}

// The first value after `key` and a colon (blanks allowed around it) that `parse` accepts.
template <typename Parse>
std::optional<std::string_view> headerValue(std::string_view header, std::string_view key, Parse parse) {
    for (size_t at = header.find(key); at != std::string_view::npos; at = header.find(key, at + 1)) {
        size_t i = at + key.size();
        while (i < header.size() && isBlank(header[i])) ++i;
        if (i >= header.size() || header[i] != ':') continue;
        ++i;
        while (i < header.size() && isBlank(header[i])) ++i;
        if (auto value = parse(header.substr(i))) return value;
    }
    return std::nullopt;
}

template <typename T>
T load(const unsigned char* p) {
    T v;
    std::memcpy(&v, p, sizeof(T));
    return v;
}

void writeArray(const std::string& path, const std::vector<int64_t>& shape, const char* descr, const void* data,
                size_t bytes) {
    std::string shape_text = "(";
    for (size_t i = 0; i < shape.size(); ++i) shape_text += std::to_string(shape[i]) + (shape.size() == 1 || i + 1 < shape.size() ? "," : "");
    shape_text += ")";
    std::string header = std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': " + shape_text + ", }";
    const size_t unpadded = 10 + header.size() + 1;
    header.append((64 - unpadded % 64) % 64, ' ');
    header += '\n';
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(path + ": cannot write");
    const unsigned char magic[8] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    out.write(reinterpret_cast<const char*>(magic), 8);
    const uint16_t len = static_cast<uint16_t>(header.size());
    const unsigned char len_bytes[2] = {static_cast<unsigned char>(len & 0xff), static_cast<unsigned char>(len >> 8)};
    out.write(reinterpret_cast<const char*>(len_bytes), 2);
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    out.write(static_cast<const char*>(data), static_cast<std::streamsize>(bytes));
    if (!out) throw Error(path + ": write failed");
}

// The bytes of a regular file (a FIFO or /dev/zero is refused, not read until memory runs out), checked
// field by field before anything is sized from them.
NpyArray readNpyFile(const std::string& path) {
    const MappedFile file(path);
    const unsigned char* bytes = file.data();
    const size_t size = file.size();
    if (size < 10 || std::memcmp(bytes, "\x93NUMPY", 6) != 0)
        throw Error(path + ": not a .npy file (missing the \\x93NUMPY magic)");
    const int major = bytes[6];
    size_t header_len, header_start;
    if (major == 1) {
        header_len = bytes[8] | (size_t(bytes[9]) << 8);
        header_start = 10;
    } else if (major == 2 || major == 3) {
        if (size < 12) throw Error(path + ": truncated .npy header");
        header_len = bytes[8] | (size_t(bytes[9]) << 8) | (size_t(bytes[10]) << 16) | (size_t(bytes[11]) << 24);
        header_start = 12;
    } else {
        throw Error(path + ": unsupported .npy format version " + std::to_string(major));
    }
    if (header_len > kMaxNpyHeaderBytes)
        throw Error(path + ": .npy header of " + std::to_string(header_len) + " bytes is too long (at most " +
                    std::to_string(kMaxNpyHeaderBytes) + ")");
    if (header_len > size - header_start) throw Error(path + ": truncated .npy header");
    const std::string_view header(reinterpret_cast<const char*>(bytes) + header_start, header_len);
    NpyArray a;
    const std::optional<std::string_view> descr = headerValue(header, "'descr'", parseDescr);
    if (!descr) throw Error(path + ": .npy header has no descr");
    const char order = descr->front();
    a.dtype = std::string(descr->substr(1));
    if (order == '>' && itemSize(a.dtype) > 1) throw Error(path + ": big-endian .npy data is not supported");
    if (itemSize(a.dtype) == 0) throw Error(path + ": unsupported .npy dtype '" + a.dtype + "'");
    if (headerValue(header, "'fortran_order'", parseTrue))
        throw Error(path + ": Fortran-ordered .npy data is not supported");
    const std::optional<std::string_view> dims = headerValue(header, "'shape'", parseTuple);
    if (!dims) throw Error(path + ": .npy header has no shape");
    // Each dimension and their product stay below kMaxNpyDataBytes, so nothing overflows on the way.
    uint64_t elements = 1;
    for (size_t i = 0; i < dims->size();) {
        if (!isDigit((*dims)[i])) {
            ++i;
            continue;
        }
        size_t end = i;
        while (end < dims->size() && isDigit((*dims)[end])) ++end;
        const std::string_view text = dims->substr(i, end - i);
        i = end;
        uint64_t d = 0;
        const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
        if (ec != std::errc() || d > kMaxNpyDataBytes)
            throw Error(path + ": .npy shape dimension " + printable(text) + " is too large");
        elements = d == 0 || elements == 0 ? 0 : elements * d;
        if (elements > kMaxNpyDataBytes) throw Error(path + ": .npy shape has too many elements");
        a.shape.push_back(int64_t(d));
    }
    if (a.shape.size() > kMaxNpyRank)
        throw Error(path + ": .npy shape has " + std::to_string(a.shape.size()) + " dimensions (at most " +
                    std::to_string(kMaxNpyRank) + ")");
    const uint64_t expected = elements * itemSize(a.dtype);
    if (expected > kMaxNpyDataBytes)
        throw Error(path + ": .npy data of " + std::to_string(expected) + " bytes is too large (at most " +
                    std::to_string(kMaxNpyDataBytes) + ")");
    const size_t data_start = header_start + header_len;
    if (size - data_start < expected)
        throw Error(path + ": truncated .npy data (" + std::to_string(size - data_start) + " bytes, shape " +
                    shapeToString(a.shape) + " needs " + std::to_string(expected) + ")");
    a.bytes.assign(bytes + data_start, bytes + data_start + expected);
    return a;
}

}  // namespace

int64_t NpyArray::numel() const {
    Tensor as_tensor;  // one rule for shapes: Tensor::numel checks signs and overflow
    as_tensor.shape = shape;
    return as_tensor.numel();
}

std::vector<float> NpyArray::toFloat() const {
    const size_t n = static_cast<size_t>(numel());
    std::vector<float> out(n);
    const unsigned char* p = bytes.data();
    for (size_t i = 0; i < n; ++i) {
        if (dtype == "f4") out[i] = load<float>(p + 4 * i);
        else if (dtype == "f8") out[i] = static_cast<float>(load<double>(p + 8 * i));
        else if (dtype == "u1") out[i] = p[i];
        else if (dtype == "i8") out[i] = static_cast<float>(load<int64_t>(p + 8 * i));
        else if (dtype == "i4") out[i] = static_cast<float>(load<int32_t>(p + 4 * i));
        else throw Error("npy dtype '" + dtype + "' cannot be converted to float");
    }
    return out;
}

std::vector<int64_t> NpyArray::toInt64() const {
    const size_t n = static_cast<size_t>(numel());
    std::vector<int64_t> out(n);
    for (size_t i = 0; i < n; ++i) {
        if (dtype == "i8") out[i] = load<int64_t>(bytes.data() + 8 * i);
        else if (dtype == "i4") out[i] = load<int32_t>(bytes.data() + 4 * i);
        else if (dtype == "u1") out[i] = bytes[i];
        else throw Error("npy dtype '" + dtype + "' is not an integer type");
    }
    return out;
}

NpyArray readNpy(const std::string& path) {
    try {
        return readNpyFile(path);
    } catch (const std::bad_alloc&) {
        throw Error(path + ": not enough memory to read this .npy file");
    }
}

void writeNpy(const std::string& path, const std::vector<int64_t>& shape, const float* values) {
    size_t n = 1;
    for (int64_t d : shape) n *= static_cast<size_t>(d);
    writeArray(path, shape, "<f4", values, n * sizeof(float));
}

}  // namespace levit
