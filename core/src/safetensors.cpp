// safetensors: 8-byte little-endian header length, a JSON header, then the raw tensor bytes.
// Everything the header claims is checked against the file before a byte of tensor data is read.
#include "levit/safetensors.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>

#include "half_float.h"
#include "json_input.h"
#include "levit/error.h"
#include "mapped_file.h"
#include "printable.h"

namespace levit {

namespace {

// The safetensors format allows 100 MB headers; a LeViT's header is under 100 KB (a few hundred tensors).
// 16 MiB keeps the parsed header (about 10x its text) small while accepting any real checkpoint.
constexpr uint64_t kMaxHeaderBytes = 16ull << 20;
// Rank of a tensor: LeViT's are at most 4-dimensional.
constexpr size_t kMaxRank = 16;
// Elements of one tensor, 2^48 (beyond any file): bounds the product of the non-zero dimensions, so an
// empty tensor cannot carry dimensions whose product overflows later (shape [0, 2^40, 2^40]).
constexpr uint64_t kMaxElements = uint64_t(1) << 48;

struct DTypeSpec {
    const char* name;
    DType dtype;
    size_t bytes;
};

constexpr DTypeSpec kDTypes[] = {
    {"F32", DType::F32, 4}, {"F16", DType::F16, 2}, {"BF16", DType::BF16, 2}, {"F64", DType::F64, 8},
    {"I64", DType::I64, 8}, {"I32", DType::I32, 4}, {"I16", DType::I16, 2},   {"I8", DType::I8, 1},
    {"U8", DType::U8, 1},   {"BOOL", DType::BOOL, 1}, {"U16", DType::Other, 2}, {"U32", DType::Other, 4},
    {"U64", DType::Other, 8}, {"F8_E4M3", DType::Other, 1}, {"F8_E5M2", DType::Other, 1},
};

}  // namespace

std::unique_ptr<SafeTensorsFile> SafeTensorsFile::open(const std::string& path) {
    std::unique_ptr<SafeTensorsFile> file(new SafeTensorsFile());
    file->path_ = path;
    file->map_ = std::make_unique<MappedFile>(path);
    const uint64_t file_size = file->map_->size();
    if (file_size < 8)
        throw Error(path + ": not a safetensors file (only " + std::to_string(file_size) +
                    " bytes; the 8-byte header length is missing)");
    const unsigned char* bytes = file->map_->data();
    uint64_t header_len = 0;
    for (int i = 7; i >= 0; --i) header_len = (header_len << 8) | bytes[i];
    if (header_len > kMaxHeaderBytes && header_len <= file_size - 8)
        throw Error(path + ": the " + std::to_string(header_len) + "-byte header is larger than the " +
                    std::to_string(kMaxHeaderBytes) + " bytes accepted (a LeViT's header is under 100 KB)");
    if (header_len > file_size - 8)
        throw Error(path + ": header length " + std::to_string(header_len) + " does not fit in the " +
                    std::to_string(file_size) + "-byte file (truncated or not a safetensors file)");
    const size_t data_size = file_size - 8 - header_len;
    file->data_ = bytes + 8 + header_len;

    const nlohmann::json header =
        parseJsonBounded(std::string_view(reinterpret_cast<const char*>(bytes) + 8, header_len), path + ": header");
    if (!header.is_object()) throw Error(path + ": the header is not a JSON object");
    file->tensors_.reserve(header.size());

    for (auto it = header.begin(); it != header.end(); ++it) {
        const std::string& name = it.key();
        const nlohmann::json& entry = it.value();
        if (name == "__metadata__") {
            if (!entry.is_object()) throw Error(path + ": __metadata__ must be an object of strings");
            for (auto m = entry.begin(); m != entry.end(); ++m) {
                if (!m.value().is_string())
                    throw Error(path + ": __metadata__ value '" + printable(m.key()) + "' is not a string");
                file->metadata_[m.key()] = m.value().get<std::string>();
            }
            continue;
        }
        const std::string where = path + ": tensor '" + printable(name) + "'";
        // Names go into messages and model lookups; no checkpoint names a tensor with a control character.
        if (hasControlCharacter(name)) throw Error(where + ": the name holds a control character");
        if (!entry.is_object() || !entry.contains("dtype") || !entry.contains("shape") || !entry.contains("data_offsets"))
            throw Error(where + " needs dtype, shape and data_offsets");
        if (!entry["dtype"].is_string()) throw Error(where + ": dtype must be a string");
        if (!entry["shape"].is_array()) throw Error(where + ": shape must be a list");
        if (entry["shape"].size() > kMaxRank)
            throw Error(where + ": shape has " + std::to_string(entry["shape"].size()) + " dimensions (at most " +
                        std::to_string(kMaxRank) + ")");
        const auto& offsets = entry["data_offsets"];
        if (!offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned() || !offsets[1].is_number_unsigned())
            throw Error(where + ": data_offsets must be [begin, end] with non-negative integers");
        TensorInfo info;
        info.name = name;
        info.dtype_name = entry["dtype"].get<std::string>();
        const DTypeSpec* spec = nullptr;
        for (const DTypeSpec& d : kDTypes)
            if (info.dtype_name == d.name) spec = &d;
        if (!spec) throw Error(where + ": unknown dtype '" + printable(info.dtype_name) + "'");
        info.dtype = spec->dtype;
        uint64_t nonzero_product = 1;  // of the non-zero dimensions, bounded by kMaxElements
        bool empty = false;
        for (const auto& d : entry["shape"]) {
            if (!d.is_number_unsigned())
                throw Error(where + ": shape has a dimension that is not a non-negative integer (" + describeJson(d) + ")");
            const uint64_t dim = d.get<uint64_t>();
            if (dim > kMaxElements || (dim != 0 && nonzero_product > kMaxElements / dim))
                throw Error(where + ": shape has more than " + std::to_string(kMaxElements) + " elements");
            if (dim == 0) empty = true;
            else nonzero_product *= dim;
            info.shape.push_back(static_cast<int64_t>(dim));
        }
        const uint64_t numel = empty ? 0 : nonzero_product;
        const uint64_t begin = offsets[0].get<uint64_t>(), end = offsets[1].get<uint64_t>();
        if (begin > end) throw Error(where + ": data_offsets begin " + std::to_string(begin) + " is after end " + std::to_string(end));
        if (end > data_size)
            throw Error(where + ": data ends at byte " + std::to_string(end) + " but the file has only " +
                        std::to_string(data_size) + " bytes of tensor data (truncated file?)");
        if (end - begin != numel * spec->bytes)
            throw Error(where + ": " + std::to_string(end - begin) + " bytes of data, but " + info.dtype_name +
                        " of shape " + shapeToString(info.shape) + " needs " + std::to_string(numel * spec->bytes));
        info.begin = begin;
        info.end = end;
        file->tensors_.push_back(std::move(info));
    }
    // nlohmann's objects iterate in key order, so tensors_ is sorted by name: find() bisects.
    // Tensors must not share bytes.
    std::vector<const TensorInfo*> sorted;
    sorted.reserve(file->tensors_.size());
    for (const TensorInfo& t : file->tensors_) sorted.push_back(&t);
    std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->begin < b->begin; });
    for (size_t i = 1; i < sorted.size(); ++i)
        if (sorted[i]->begin < sorted[i - 1]->end && sorted[i]->begin != sorted[i]->end)
            throw Error(path + ": tensors '" + sorted[i - 1]->name + "' and '" + sorted[i]->name + "' overlap in the file");
    return file;
}

SafeTensorsFile::SafeTensorsFile() = default;
SafeTensorsFile::~SafeTensorsFile() = default;

const TensorInfo* SafeTensorsFile::find(const std::string& name) const {
    // Bisection keeps reading all tensors of a file linear-logarithmic (300k empty tensors must not take minutes).
    auto it = std::lower_bound(tensors_.begin(), tensors_.end(), name,
                               [](const TensorInfo& t, const std::string& n) { return t.name < n; });
    return it != tensors_.end() && it->name == name ? &*it : nullptr;
}

Tensor SafeTensorsFile::read(const std::string& name) const {
    const TensorInfo* info = find(name);
    if (!info) throw Error(path_ + ": no tensor named '" + name + "'");
    if (!info->isFloating())
        throw Error(path_ + ": tensor '" + name + "' is " + info->dtype_name + ", not a floating tensor");
    Tensor t;
    t.shape = info->shape;
    const unsigned char* src = data_ + info->begin;
    const size_t n = static_cast<size_t>(t.numel());
    t.values.resize(n);
    if (n == 0) return t;  // an empty tensor may sit at the very end of the data: no byte is read
    if (info->dtype == DType::F32) {
        std::memcpy(t.values.data(), src, n * 4);
    } else {
        for (size_t i = 0; i < n; ++i) {
            const uint16_t v = uint16_t(src[2 * i]) | uint16_t(src[2 * i + 1]) << 8;
            t.values[i] = info->dtype == DType::F16 ? halfToFloat(v) : bf16ToFloat(v);
        }
    }
    return t;
}

std::map<std::string, Tensor> SafeTensorsFile::readAllFloating() const {
    std::map<std::string, Tensor> out;
    for (const TensorInfo& t : tensors_)
        if (t.isFloating()) out.emplace(t.name, read(t.name));
    return out;
}

void writeSafeTensors(const std::string& path, const std::map<std::string, Tensor>& tensors,
                      const std::map<std::string, std::string>& metadata) {
    nlohmann::ordered_json header;
    if (!metadata.empty()) header["__metadata__"] = metadata;
    size_t offset = 0;
    for (const auto& [name, t] : tensors) {
        if (static_cast<int64_t>(t.values.size()) != t.numel())
            throw Error(path + ": tensor '" + name + "' has " + std::to_string(t.values.size()) + " values for shape " +
                        shapeToString(t.shape));
        const size_t bytes = t.values.size() * 4;
        header[name] = {{"dtype", "F32"}, {"shape", t.shape}, {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
    }
    std::string text = header.dump();
    while (text.size() % 8) text += ' ';
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw Error(path + ": cannot write");
        unsigned char len[8];
        uint64_t n = text.size();
        for (int i = 0; i < 8; ++i) len[i] = static_cast<unsigned char>(n >> (8 * i));
        out.write(reinterpret_cast<const char*>(len), 8);
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        for (const auto& [name, t] : tensors)
            out.write(reinterpret_cast<const char*>(t.values.data()), static_cast<std::streamsize>(t.values.size() * 4));
        if (!out) throw Error(path + ": write failed");
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) throw Error(path + ": cannot replace the file");
}

}  // namespace levit
