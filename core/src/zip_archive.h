#pragma once
// Read-only view of a ZIP archive as torch.save writes it (stored entries, 64-byte aligned data, ZIP64
// end records). The file is memory-mapped; every offset and size in the central directory and the local
// headers is checked against the file before an entry's bytes are handed out.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "mapped_file.h"

namespace levit {

class ZipArchive {
public:
    // Throws levit::Error naming `path` (missing end record, truncated directory, compressed or encrypted
    // entries, offsets outside the file...).
    explicit ZipArchive(const std::string& path);
    ZipArchive(const ZipArchive&) = delete;
    ZipArchive& operator=(const ZipArchive&) = delete;

    // True when the file starts with a ZIP local-file signature ("PK\3\4"). Does not throw for missing files.
    static bool looksLikeZip(const std::string& path);

    const std::string& path() const { return path_; }
    size_t fileSize() const { return size_; }
    std::vector<std::string> names() const;
    bool contains(const std::string& name) const { return entries_.count(name) != 0; }
    // The stored bytes of an entry; valid while the archive lives. Throws when missing or when the bytes fail
    // their CRC-32, which is computed once per entry (many tensors may share one storage record). Not safe
    // to call from several threads at once.
    std::string_view entry(const std::string& name) const;

private:
    struct Entry {
        uint64_t data_offset = 0;
        uint64_t size = 0;
        uint32_t crc = 0;
        mutable bool crc_checked = false;
    };
    std::string path_;
    MappedFile map_;
    const unsigned char* data_;  // map_'s bytes
    size_t size_;
    std::map<std::string, Entry> entries_;
};

}  // namespace levit
