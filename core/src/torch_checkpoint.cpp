// torch.save's archive: <prefix>/data.pkl (the pickled object; tensors refer to storages by key) and
// <prefix>/data/<key> (each storage's raw little-endian bytes). Tensors are strided views of storages,
// gathered here element by element into dense float32.
#include "torch_checkpoint.h"

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

#include "half_float.h"
#include "levit/error.h"
#include "printable.h"
#include "restricted_unpickler.h"
#include "zip_archive.h"

namespace levit {

namespace {

float elementAsFloat(const unsigned char* p, StorageDType dtype) {
    switch (dtype) {
        case StorageDType::Float32: {
            float f;
            std::memcpy(&f, p, 4);
            return f;
        }
        case StorageDType::Float64: {
            double d;
            std::memcpy(&d, p, 8);
            return static_cast<float>(d);
        }
        case StorageDType::Float16: return halfToFloat(uint16_t(p[0] | (p[1] << 8)));
        case StorageDType::BFloat16: return bf16ToFloat(uint16_t(p[0] | (p[1] << 8)));
        default: return 0;
    }
}

bool isFloating(StorageDType t) {
    return t == StorageDType::Float32 || t == StorageDType::Float16 || t == StorageDType::BFloat16 ||
           t == StorageDType::Float64;
}

// The pre-1.6 format is a pickle stream that starts with torch's magic number 0x1950a86a20f9469cfc6c
// (pickled as LONG1); it is not read (its tensors follow in later pickles) but gets a message that says
// what to do.
bool isLegacyTorchFile(const std::string& path) {
    static const unsigned char magic[] = {0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19};
    std::ifstream in(path, std::ios::binary);
    unsigned char head[sizeof magic] = {};
    return in.read(reinterpret_cast<char*>(head), sizeof head) && std::memcmp(head, magic, sizeof magic) == 0;
}

std::string findPickle(const ZipArchive& zip) {
    std::string found;
    for (const std::string& name : zip.names()) {
        const size_t slash = name.find('/');
        if (slash != std::string::npos && name.compare(slash, std::string::npos, "/data.pkl") == 0) {
            if (!found.empty())
                throw Error(zip.path() + ": the archive holds two pickles ('" + printable(found) + "', '" + printable(name) +
                            "')");
            found = name;
        }
    }
    if (found.empty())
        throw Error(zip.path() + ": a ZIP archive without <name>/data.pkl: not a PyTorch checkpoint");
    return found;
}

Tensor gather(const ZipArchive& zip, const std::string& prefix, const std::string& name, const TensorRef& t) {
    const std::string record = prefix + "data/" + t.storage.key;
    if (!zip.contains(record))
        throw Error(zip.path() + ": tensor '" + name + "' refers to storage record '" + printable(record) +
                    "', which the archive does not hold");
    const std::string_view bytes = zip.entry(record);
    const size_t elem = storageDTypeBytes(t.storage.dtype);
    // numel is compared by division first: a hostile numel must not wrap the multiplication around.
    if (uint64_t(t.storage.numel) > bytes.size() / elem || bytes.size() != uint64_t(t.storage.numel) * elem)
        throw Error(zip.path() + ": storage record '" + printable(record) + "' of tensor '" + name + "' holds " +
                    std::to_string(bytes.size()) + " bytes, but its " + std::to_string(t.storage.numel) + " " +
                    storageDTypeName(t.storage.dtype) + " elements need " +
                    (uint64_t(t.storage.numel) > bytes.size() / elem && t.storage.numel > (int64_t(1) << 40)
                         ? std::string("more")
                         : std::to_string(uint64_t(t.storage.numel) * elem)));
    Tensor out;
    out.shape = t.size;
    out.values.resize(static_cast<size_t>(out.numel()));
    const auto* base = reinterpret_cast<const unsigned char*>(bytes.data());
    // Walk the view in C order with an index odometer; strides may be anything the unpickler accepted.
    const size_t rank = t.size.size();
    std::vector<int64_t> index(rank, 0);
    int64_t offset = t.storage_offset;
    for (float& v : out.values) {
        v = elementAsFloat(base + size_t(offset) * elem, t.storage.dtype);
        for (size_t d = rank; d-- > 0;) {
            if (++index[d] < t.size[d]) {
                offset += t.stride[d];
                break;
            }
            offset -= (t.size[d] - 1) * t.stride[d];
            index[d] = 0;
        }
    }
    return out;
}

}  // namespace

TorchCheckpoint readTorchCheckpoint(const std::string& path) {
    // The format probes below read with std::ifstream, which would wait forever on a FIFO.
    std::error_code ec;
    if (std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec))
        throw Error(path + ": not a regular file");
    if (!ZipArchive::looksLikeZip(path)) {
        std::ifstream probe(path, std::ios::binary);
        if (!probe) throw Error(path + ": cannot open file");
        if (isLegacyTorchFile(path))
            throw Error(path + ": a legacy (PyTorch < 1.6) torch.save file, which LeViT Lens does not read; "
                               "load it with torch.load and save it again with a current PyTorch, or convert it to "
                               ".safetensors");
        throw Error(path + ": not a PyTorch checkpoint (no ZIP archive signature at the start of the file)");
    }
    const ZipArchive zip(path);
    const std::string pickle_name = findPickle(zip);
    const std::string prefix = pickle_name.substr(0, pickle_name.size() - std::string("data.pkl").size());
    if (zip.contains(prefix + "byteorder")) {
        const std::string_view order = zip.entry(prefix + "byteorder");
        if (order != "little")
            throw Error(path + ": tensors were saved in '" + std::string(order) + "' byte order; only little-endian is supported");
    }
    const PickleValuePtr root = readRestrictedPickle(zip.entry(pickle_name), path);
    if (root->kind != PickleValue::Kind::Dict)
        throw Error(path + ": the checkpoint does not hold a dict of tensors (a whole pickled model, perhaps? "
                           "save model.state_dict() instead)");
    TorchCheckpoint ck;
    const PickleValue* state = root.get();
    for (const char* key : {"model", "state_dict"}) {
        const PickleValue* inner = root->find(key);
        if (inner && inner->kind == PickleValue::Kind::Dict) {
            state = inner;
            ck.wrapper_key = key;
            break;
        }
    }
    uint64_t gathered = 0;  // elements of all tensors so far
    for (const auto& [key, value] : state->entries) {
        if (key->kind != PickleValue::Kind::String) throw Error(path + ": the state dict has a key that is not a string");
        if (value->kind != PickleValue::Kind::Tensor) continue;  // e.g. training metadata next to tensors
        // Names go into messages and model lookups; no checkpoint names a tensor with a control character.
        if (hasControlCharacter(key->text))
            throw Error(path + ": tensor '" + printable(key->text) + "': the name holds a control character");
        if (!isFloating(value->tensor.storage.dtype)) {
            ++ck.integer_tensors;
            continue;
        }
        // Views may share a storage, so the tensors could add up to far more than the file holds. Floats
        // take at least 2 bytes in a storage: more elements than the file has bytes means many tensors view
        // the same bytes, which a state dict does not do, and would otherwise multiply the memory needed.
        uint64_t elements = 1;
        for (int64_t d : value->tensor.size) elements *= uint64_t(d);  // bounded by the storage (checkExtent)
        gathered += elements;
        if (gathered > zip.fileSize())
            throw Error(path + ": its tensors add up to more than " + std::to_string(zip.fileSize()) +
                        " elements, more than the file can hold; tensor '" + key->text +
                        "' and others view the same storage bytes over and over");
        ck.floating[key->text] = gather(zip, prefix, key->text, value->tensor);
    }
    if (ck.floating.empty())
        throw Error(path + ": holds no floating-point tensors" +
                    (ck.wrapper_key.empty() ? std::string() : " under '" + ck.wrapper_key + "'"));
    return ck;
}

}  // namespace levit
