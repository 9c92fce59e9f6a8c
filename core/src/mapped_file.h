#pragma once
// A whole file mapped read-only into memory: the one place that opens, maps and unmaps weight files
// (safetensors, PyTorch ZIP archives), so their readers only check offsets against size().
#include <cstddef>
#include <string>

namespace levit {

class MappedFile {
public:
    // Throws levit::Error naming `path`: missing, unreadable, not a regular file, or not mappable.
    // An empty file maps to data() == nullptr and size() == 0.
    explicit MappedFile(const std::string& path);
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    const unsigned char* data() const { return data_; }
    size_t size() const { return size_; }

private:
    const unsigned char* data_ = nullptr;
    size_t size_ = 0;
};

}  // namespace levit
