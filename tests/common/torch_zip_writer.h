#pragma once
// Builds PyTorch-style checkpoints byte by byte for tests: a pickle assembler (the opcodes torch.save
// emits, and any hostile byte sequence a test wants) and a ZIP writer with stored entries. Lets tests
// write small good, broken and malicious .pth files without Python.
#include <cstdint>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace levit_test {

inline uint32_t zipCrc32(const std::string& data) {
    uint32_t c = 0xFFFFFFFFu;
    for (unsigned char byte : data) {
        c ^= byte;
        for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    }
    return c ^ 0xFFFFFFFFu;
}

inline void putLE(std::string& out, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

struct ZipEntry {
    std::string name;
    std::string data;
    uint16_t method = 0;  // 0 = stored; anything else is only written into the headers
};

// A classic (non-ZIP64) archive with correct CRCs; tests corrupt the bytes afterwards when they need to.
inline std::string makeZip(const std::vector<ZipEntry>& entries) {
    std::string out, directory;
    for (const ZipEntry& e : entries) {
        const uint32_t crc = zipCrc32(e.data);
        const size_t local = out.size();
        putLE(out, 0x04034b50, 4);
        putLE(out, 20, 2);
        putLE(out, 0, 2);
        putLE(out, e.method, 2);
        putLE(out, 0, 4);  // time, date
        putLE(out, crc, 4);
        putLE(out, e.data.size(), 4);
        putLE(out, e.data.size(), 4);
        putLE(out, e.name.size(), 2);
        putLE(out, 0, 2);
        out += e.name;
        out += e.data;
        putLE(directory, 0x02014b50, 4);
        putLE(directory, 20, 2);
        putLE(directory, 20, 2);
        putLE(directory, 0, 2);
        putLE(directory, e.method, 2);
        putLE(directory, 0, 4);
        putLE(directory, crc, 4);
        putLE(directory, e.data.size(), 4);
        putLE(directory, e.data.size(), 4);
        putLE(directory, e.name.size(), 2);
        putLE(directory, 0, 2);
        putLE(directory, 0, 2);
        putLE(directory, 0, 2);
        putLE(directory, 0, 2);
        putLE(directory, 0, 4);
        putLE(directory, local, 4);
        directory += e.name;
    }
    const size_t dir_offset = out.size();
    out += directory;
    putLE(out, 0x06054b50, 4);
    putLE(out, 0, 4);
    putLE(out, entries.size(), 2);
    putLE(out, entries.size(), 2);
    putLE(out, directory.size(), 4);
    putLE(out, dir_offset, 4);
    putLE(out, 0, 2);
    return out;
}

inline void writeFile(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
}

// Pickle assembler: each call appends one opcode with its argument.
struct Pickle {
    std::string b;
    Pickle& raw(const std::string& bytes) { b += bytes; return *this; }
    Pickle& proto(int p) { b += '\x80'; b += char(p); return *this; }
    Pickle& global(const std::string& module, const std::string& name) { b += 'c' + module + '\n' + name + '\n'; return *this; }
    Pickle& str(const std::string& s) { b += 'X'; putLE(b, s.size(), 4); b += s; return *this; }
    Pickle& integer(int32_t v) { b += 'J'; putLE(b, uint32_t(v), 4); return *this; }
    Pickle& mark() { b += '('; return *this; }
    Pickle& tuple() { b += 't'; return *this; }
    Pickle& emptyTuple() { b += ')'; return *this; }
    Pickle& emptyDict() { b += '}'; return *this; }
    Pickle& reduce() { b += 'R'; return *this; }
    Pickle& setItems() { b += 'u'; return *this; }
    Pickle& binPersId() { b += 'Q'; return *this; }
    Pickle& newFalse() { b += '\x89'; return *this; }
    Pickle& stop() { b += '.'; return *this; }
    Pickle& intTuple(const std::vector<int32_t>& values) {
        mark();
        for (int32_t v : values) integer(v);
        return tuple();
    }
    // torch._utils._rebuild_tensor_v2(('storage', torch.<type>, key, 'cpu', numel), offset, size, stride,
    // False, OrderedDict()) — exactly what torch.save writes for a tensor.
    Pickle& tensor(const std::string& storage_type, const std::string& key, int32_t numel, int32_t offset,
                   const std::vector<int32_t>& size, const std::vector<int32_t>& stride) {
        global("torch._utils", "_rebuild_tensor_v2").mark();
        mark().str("storage").global("torch", storage_type).str(key).str("cpu").integer(numel).tuple().binPersId();
        integer(offset).intTuple(size).intTuple(stride).newFalse();
        global("collections", "OrderedDict").emptyTuple().reduce();
        return tuple().reduce();
    }
};

// A torch.save-style archive: <prefix>/data.pkl, <prefix>/data/<key> for each storage, <prefix>/version.
inline std::string makeTorchZip(const std::string& pickle, const std::vector<std::pair<std::string, std::string>>& storages,
                                const std::string& prefix = "archive") {
    std::vector<ZipEntry> entries{{prefix + "/data.pkl", pickle}};
    for (const auto& [key, bytes] : storages) entries.push_back({prefix + "/data/" + key, bytes});
    entries.push_back({prefix + "/version", "3\n"});
    return makeZip(entries);
}

inline std::string floatBytes(const std::vector<float>& values) {
    return std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float));
}

}  // namespace levit_test
