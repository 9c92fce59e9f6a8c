// ZIP reading for PyTorch checkpoints: the central directory (found through the end record, or the ZIP64
// end record torch always writes) is the only source of truth for sizes and offsets, because torch's writer
// leaves them zero in the local headers (data-descriptor flag). Each entry's CRC-32 is checked when it is
// read, so a corrupted file fails with a message instead of feeding garbage weights to the model.
#include "zip_archive.h"

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "levit/error.h"
#include "printable.h"

namespace levit {

namespace {

constexpr uint32_t kLocalHeader = 0x04034b50;
constexpr uint32_t kCentralHeader = 0x02014b50;
constexpr uint32_t kEndRecord = 0x06054b50;
constexpr uint32_t kZip64EndRecord = 0x06064b50;
constexpr uint32_t kZip64Locator = 0x07064b50;

uint64_t readLE(const unsigned char* p, int bytes) {
    uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}

uint32_t crc32(const unsigned char* data, size_t n) {
    static const std::array<uint32_t, 256> table = [] {
        std::array<uint32_t, 256> t{};
        for (uint32_t i = 0; i < 256; ++i) {
            uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; ++i) c = table[(c ^ data[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

}  // namespace

bool ZipArchive::looksLikeZip(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    unsigned char magic[4] = {};
    if (!in.read(reinterpret_cast<char*>(magic), 4)) return false;
    return readLE(magic, 4) == kLocalHeader;
}

ZipArchive::ZipArchive(const std::string& path) : path_(path), map_(path), data_(map_.data()), size_(map_.size()) {
    if (size_ < 22) throw Error(path + ": not a ZIP archive (only " + std::to_string(size_) + " bytes)");
    // The end record sits in the last 22 + 65535 (comment) bytes.
    size_t end = size_;
    const size_t lowest = size_ > 22 + 65535 ? size_ - 22 - 65535 : 0;
    for (size_t at = size_ - 22 + 1; at-- > lowest;)
        if (readLE(data_ + at, 4) == kEndRecord) {
            end = at;
            break;
        }
    if (end == size_)
        throw Error(path + ": ZIP end-of-central-directory record not found (file truncated or not a ZIP archive)");
    uint64_t count = readLE(data_ + end + 10, 2);
    uint64_t dir_size = readLE(data_ + end + 12, 4);
    uint64_t dir_offset = readLE(data_ + end + 16, 4);
    if (end >= 20 && readLE(data_ + end - 20, 4) == kZip64Locator) {
        const uint64_t z64 = readLE(data_ + end - 20 + 8, 8);
        if (z64 > size_ || size_ - z64 < 56 || readLE(data_ + z64, 4) != kZip64EndRecord)
            throw Error(path + ": the ZIP64 end record is missing or out of the file (corrupt archive)");
        count = readLE(data_ + z64 + 32, 8);
        dir_size = readLE(data_ + z64 + 40, 8);
        dir_offset = readLE(data_ + z64 + 48, 8);
    }
    if (dir_offset > size_ || dir_size > size_ - dir_offset)
        throw Error(path + ": the ZIP central directory (offset " + std::to_string(dir_offset) + ", " +
                    std::to_string(dir_size) + " bytes) lies outside the " + std::to_string(size_) +
                    "-byte file (truncated or corrupt archive)");
    const unsigned char* p = data_ + dir_offset;
    const unsigned char* dir_end = p + dir_size;
    for (uint64_t i = 0; i < count; ++i) {
        if (dir_end - p < 46 || readLE(p, 4) != kCentralHeader)
            throw Error(path + ": ZIP central directory entry " + std::to_string(i) + " is truncated or corrupt");
        const uint64_t flags = readLE(p + 8, 2);
        const uint64_t method = readLE(p + 10, 2);
        const uint32_t crc = static_cast<uint32_t>(readLE(p + 16, 4));
        uint64_t compressed = readLE(p + 20, 4);
        uint64_t uncompressed = readLE(p + 24, 4);
        const size_t name_len = readLE(p + 28, 2), extra_len = readLE(p + 30, 2), comment_len = readLE(p + 32, 2);
        uint64_t local = readLE(p + 42, 4);
        if (size_t(dir_end - p) < 46 + name_len + extra_len + comment_len)
            throw Error(path + ": ZIP central directory entry " + std::to_string(i) + " is truncated");
        const std::string name(reinterpret_cast<const char*>(p + 46), name_len);
        // ZIP64 extended information: 64-bit values for the fields saturated at 0xFFFFFFFF, in this order.
        for (const unsigned char* e = p + 46 + name_len; e + 4 <= p + 46 + name_len + extra_len;) {
            const uint64_t id = readLE(e, 2), len = readLE(e + 2, 2);
            const unsigned char* v = e + 4;
            const unsigned char* v_end = v + len;
            if (v_end > p + 46 + name_len + extra_len) break;
            if (id == 1) {
                for (uint64_t* field : {&uncompressed, &compressed, &local})
                    if (*field == 0xFFFFFFFFu && v + 8 <= v_end) {
                        *field = readLE(v, 8);
                        v += 8;
                    }
            }
            e = v_end;
        }
        const std::string where = path + ": ZIP entry '" + printable(name) + "'";
        if (flags & 1) throw Error(where + " is encrypted");
        if (method != 0)
            throw Error(where + " is compressed (method " + std::to_string(method) +
                        "); PyTorch checkpoints store their entries uncompressed — was the file re-zipped? "
                        "Save it again with torch.save");
        if (compressed != uncompressed) throw Error(where + " has inconsistent sizes (corrupt archive)");
        if (local > size_ || size_ - local < 30 || readLE(data_ + local, 4) != kLocalHeader)
            throw Error(where + ": its local header is missing or outside the file (corrupt archive)");
        const uint64_t data_offset = local + 30 + readLE(data_ + local + 26, 2) + readLE(data_ + local + 28, 2);
        if (data_offset > size_ || uncompressed > size_ - data_offset)
            throw Error(where + " (" + std::to_string(uncompressed) + " bytes at offset " +
                        std::to_string(data_offset) + ") runs past the end of the " + std::to_string(size_) +
                        "-byte file (truncated archive)");
        entries_[name] = Entry{data_offset, uncompressed, crc};
        p += 46 + name_len + extra_len + comment_len;
    }
}

std::vector<std::string> ZipArchive::names() const {
    std::vector<std::string> out;
    out.reserve(entries_.size());
    for (const auto& [name, e] : entries_) out.push_back(name);
    return out;
}

std::string_view ZipArchive::entry(const std::string& name) const {
    auto it = entries_.find(name);
    if (it == entries_.end()) throw Error(path_ + ": the archive has no entry '" + printable(name) + "'");
    const unsigned char* bytes = data_ + it->second.data_offset;
    if (!it->second.crc_checked) {
        if (crc32(bytes, it->second.size) != it->second.crc)
            throw Error(path_ + ": ZIP entry '" + printable(name) + "' fails its CRC-32 check (the file is corrupt)");
        it->second.crc_checked = true;
    }
    return std::string_view(reinterpret_cast<const char*>(bytes), it->second.size);
}

}  // namespace levit
