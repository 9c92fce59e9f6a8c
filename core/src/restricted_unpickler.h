#pragma once
// A pickle reader that understands only what torch.save writes for a state dict — dicts, lists, tuples,
// strings, numbers, and tensors rebuilt from storages — and refuses everything else. Nothing is ever
// called or imported: the few allowed globals (collections.OrderedDict, torch._utils._rebuild_tensor_v2,
// torch.*Storage, argparse.Namespace as an inert placeholder, ...) are recognised by name and interpreted here. Any other global (os.system,
// builtins.eval, ...), any other callable and any unknown opcode is an Error naming the source, the
// opcode or global, and its byte offset.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace levit {

enum class StorageDType { Float32, Float16, BFloat16, Float64, Int64, Int32, Int16, Int8, UInt8, Bool };

const char* storageDTypeName(StorageDType t);
size_t storageDTypeBytes(StorageDType t);

// A storage referenced by a persistent id: ('storage', torch.FloatStorage, key, location, numel).
struct StorageRef {
    StorageDType dtype = StorageDType::Float32;
    std::string key;  // the record archive/data/<key>
    int64_t numel = 0;
};

// torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride, ...): a strided view of a storage.
struct TensorRef {
    StorageRef storage;
    int64_t storage_offset = 0;
    std::vector<int64_t> size;
    std::vector<int64_t> stride;
};

struct PickleValue;
// The root of a decoded pickle. It owns every value of the pickle (values refer to each other with plain
// pointers), so freeing a deep or self-referencing structure never recurses.
using PickleValuePtr = std::shared_ptr<const PickleValue>;

struct PickleValue {
    enum class Kind { None, Bool, Int, Float, String, Bytes, Tuple, List, Dict, Global, Storage, Tensor };
    Kind kind = Kind::None;
    bool boolean = false;
    int64_t integer = 0;
    double real = 0;
    std::string text;  // String, Bytes; Global: "module.name"
    std::vector<const PickleValue*> items;                                 // Tuple, List
    std::vector<std::pair<const PickleValue*, const PickleValue*>> entries;  // Dict, in insertion order
    StorageRef storage;
    TensorRef tensor;
    int depth = 0;           // nesting depth, bounded so hostile input cannot exhaust the stack
    bool contained = false;  // inside a list, tuple or dict: may no longer change (keeps depth exact, no cycles)

    // The value stored under a string key of a Dict, or null.
    const PickleValue* find(const std::string& key) const;
};

// Reads one pickle (protocols 2-5 opcodes that a state dict needs). `source` names the file in errors.
PickleValuePtr readRestrictedPickle(std::string_view bytes, const std::string& source);

}  // namespace levit
