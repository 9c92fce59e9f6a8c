#pragma once
// Memory-mapped reader of the safetensors format. Every header field, offset and shape is validated
// against the file before any tensor data is touched. F32/F16/BF16 convert to float; other dtypes
// (I64 buffers such as num_batches_tracked or attention_bias_idxs) are listed but never converted.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "levit/tensor.h"

namespace levit {

class MappedFile;

enum class DType { F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL, Other };

struct TensorInfo {
    std::string name;
    DType dtype = DType::Other;
    std::string dtype_name;  // as written in the header, e.g. "F32"
    std::vector<int64_t> shape;
    size_t begin = 0;  // byte offsets into the data section
    size_t end = 0;
    bool isFloating() const { return dtype == DType::F32 || dtype == DType::F16 || dtype == DType::BF16; }
};

class SafeTensorsFile {
public:
    // Throws levit::Error naming the path and the problem (missing, too short, bad header JSON,
    // out-of-range or overlapping offsets, size not matching shape*dtype, ...).
    static std::unique_ptr<SafeTensorsFile> open(const std::string& path);
    ~SafeTensorsFile();
    SafeTensorsFile(const SafeTensorsFile&) = delete;
    SafeTensorsFile& operator=(const SafeTensorsFile&) = delete;

    const std::string& path() const { return path_; }
    const std::vector<TensorInfo>& tensors() const { return tensors_; }
    const TensorInfo* find(const std::string& name) const;
    const std::map<std::string, std::string>& metadata() const { return metadata_; }
    // Converts a floating tensor to float32. Throws for non-floating dtypes.
    Tensor read(const std::string& name) const;
    // All floating tensors by name (I64 and other buffers skipped).
    std::map<std::string, Tensor> readAllFloating() const;

private:
    SafeTensorsFile();
    std::string path_;
    std::unique_ptr<MappedFile> map_;
    const unsigned char* data_ = nullptr;  // start of the data section, inside map_
    std::vector<TensorInfo> tensors_;
    std::map<std::string, std::string> metadata_;
};

// Writes float32 tensors (sorted by name) with optional metadata. Used by tools and tests.
void writeSafeTensors(const std::string& path, const std::map<std::string, Tensor>& tensors,
                      const std::map<std::string, std::string>& metadata = {{"format", "pt"}});

}  // namespace levit
