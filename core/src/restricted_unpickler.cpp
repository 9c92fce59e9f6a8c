// The restricted unpickler. A pickle is a small stack-machine program; Python's own unpickler imports and
// calls whatever the program names, which is why loading an untrusted .pth with torch.load can run code.
// Here the machine is re-implemented with only the opcodes a state dict uses, GLOBAL resolves against a
// fixed allow-list of names (never importing anything), and REDUCE is interpreted for those names only.
#include "restricted_unpickler.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>

#include "levit/error.h"

namespace levit {

namespace {

constexpr int kMaxDepth = 256;

struct StorageClass {
    const char* name;
    StorageDType dtype;
};

constexpr StorageClass kStorageClasses[] = {
    {"torch.FloatStorage", StorageDType::Float32}, {"torch.HalfStorage", StorageDType::Float16},
    {"torch.BFloat16Storage", StorageDType::BFloat16}, {"torch.DoubleStorage", StorageDType::Float64},
    {"torch.LongStorage", StorageDType::Int64},    {"torch.IntStorage", StorageDType::Int32},
    {"torch.ShortStorage", StorageDType::Int16},   {"torch.CharStorage", StorageDType::Int8},
    {"torch.ByteStorage", StorageDType::UInt8},    {"torch.BoolStorage", StorageDType::Bool},
};

// Callables whose REDUCE is interpreted below; together with the storage classes, the whole allow-list.
constexpr const char* kCallables[] = {
    "collections.OrderedDict",
    "torch._utils._rebuild_tensor_v2",
    "torch._utils._rebuild_tensor",
    "torch._utils._rebuild_parameter",
    "torch._utils._rebuild_parameter_with_state",
};

// Classes that may be instantiated with NEWOBJ as inert placeholders: training scripts (LeViT's and
// DeiT's main.py) save their command-line arguments next to the weights. Nothing of them is used.
constexpr const char* kInertClasses[] = {"argparse.Namespace"};

const char* opcodeName(unsigned char op) {
    static const std::map<unsigned char, const char*> names = {
        {'(', "MARK"}, {'.', "STOP"}, {'0', "POP"}, {'1', "POP_MARK"}, {'2', "DUP"}, {'F', "FLOAT"},
        {'I', "INT"}, {'J', "BININT"}, {'K', "BININT1"}, {'L', "LONG"}, {'M', "BININT2"}, {'N', "NONE"},
        {'P', "PERSID"}, {'Q', "BINPERSID"}, {'R', "REDUCE"}, {'S', "STRING"}, {'T', "BINSTRING"},
        {'U', "SHORT_BINSTRING"}, {'V', "UNICODE"}, {'X', "BINUNICODE"}, {'a', "APPEND"}, {'b', "BUILD"},
        {'c', "GLOBAL"}, {'d', "DICT"}, {'}', "EMPTY_DICT"}, {'e', "APPENDS"}, {'g', "GET"}, {'h', "BINGET"},
        {'i', "INST"}, {'j', "LONG_BINGET"}, {'l', "LIST"}, {']', "EMPTY_LIST"}, {'o', "OBJ"}, {'p', "PUT"},
        {'q', "BINPUT"}, {'r', "LONG_BINPUT"}, {'s', "SETITEM"}, {'t', "TUPLE"}, {')', "EMPTY_TUPLE"},
        {'u', "SETITEMS"}, {'G', "BINFLOAT"}, {0x80, "PROTO"}, {0x81, "NEWOBJ"}, {0x82, "EXT1"}, {0x83, "EXT2"},
        {0x84, "EXT4"}, {0x85, "TUPLE1"}, {0x86, "TUPLE2"}, {0x87, "TUPLE3"}, {0x88, "NEWTRUE"},
        {0x89, "NEWFALSE"}, {0x8a, "LONG1"}, {0x8b, "LONG4"}, {'B', "BINBYTES"}, {'C', "SHORT_BINBYTES"},
        {0x8c, "SHORT_BINUNICODE"}, {0x8d, "BINUNICODE8"}, {0x8e, "BINBYTES8"}, {0x8f, "EMPTY_SET"},
        {0x90, "ADDITEMS"}, {0x91, "FROZENSET"}, {0x92, "NEWOBJ_EX"}, {0x93, "STACK_GLOBAL"},
        {0x94, "MEMOIZE"}, {0x95, "FRAME"}, {0x96, "BYTEARRAY8"}, {0x97, "NEXT_BUFFER"},
        {0x98, "READONLY_BUFFER"}};
    auto it = names.find(op);
    return it == names.end() ? "unknown" : it->second;
}

std::string hexByte(unsigned char b) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02x", b);
    return buf;
}

PickleValuePtr make(PickleValue::Kind kind) {
    auto v = std::make_shared<PickleValue>();
    v->kind = kind;
    return v;
}

class Machine {
public:
    Machine(std::string_view bytes, const std::string& source) : in_(bytes), source_(source) {}

    PickleValuePtr run() {
        while (true) {
            if (pos_ >= in_.size()) fail("the pickle ends without a STOP opcode (truncated data.pkl)");
            op_offset_ = pos_;
            op_ = static_cast<unsigned char>(in_[pos_++]);
            switch (op_) {
                case 0x80: {  // PROTO
                    const unsigned proto = byte();
                    if (proto < 2 || proto > 5) fail("pickle protocol " + std::to_string(proto) + " is not supported");
                    break;
                }
                case 0x95: take(8); break;  // FRAME: a length hint only
                case '.':                   // STOP
                    if (stack_.size() != 1 || !marks_.empty()) fail("STOP with " + std::to_string(stack_.size()) + " values on the stack");
                    return stack_.back();
                case '(': marks_.push_back(stack_.size()); break;
                case '0': pop(); break;
                case '1': popMark(); break;
                case '2': push(top()); break;
                case 'N': push(make(PickleValue::Kind::None)); break;
                case 0x88:
                case 0x89: {
                    auto v = make(PickleValue::Kind::Bool);
                    v->boolean = op_ == 0x88;
                    push(v);
                    break;
                }
                case 'J': pushInt(int32_t(uint32_t(le(4)))); break;
                case 'K': pushInt(int64_t(le(1))); break;
                case 'M': pushInt(int64_t(le(2))); break;
                case 0x8a: {  // LONG1: little-endian two's complement of n bytes
                    const size_t n = byte();
                    if (n > 8) fail("integer of " + std::to_string(n) + " bytes is too large");
                    uint64_t v = le(n);
                    if (n > 0 && n < 8 && (v >> (8 * n - 1)) & 1) v |= ~uint64_t(0) << (8 * n);
                    pushInt(int64_t(v));
                    break;
                }
                case 'G': {  // BINFLOAT, big-endian
                    const std::string_view b = take(8);
                    uint64_t bits = 0;
                    for (char c : b) bits = (bits << 8) | static_cast<unsigned char>(c);
                    auto v = make(PickleValue::Kind::Float);
                    std::memcpy(&v->real, &bits, 8);
                    push(v);
                    break;
                }
                case 'X': pushText(PickleValue::Kind::String, le(4)); break;
                case 0x8c: pushText(PickleValue::Kind::String, le(1)); break;
                case 0x8d: pushText(PickleValue::Kind::String, le(8)); break;
                case 'B': pushText(PickleValue::Kind::Bytes, le(4)); break;
                case 'C': pushText(PickleValue::Kind::Bytes, le(1)); break;
                case 0x8e: pushText(PickleValue::Kind::Bytes, le(8)); break;
                case '}': push(make(PickleValue::Kind::Dict)); break;
                case ']': push(make(PickleValue::Kind::List)); break;
                case ')': push(make(PickleValue::Kind::Tuple)); break;
                case 'd': {
                    auto d = make(PickleValue::Kind::Dict);
                    setItems(*d, popMark());
                    push(d);
                    break;
                }
                case 'l': {
                    auto l = make(PickleValue::Kind::List);
                    for (auto& v : popMark()) addChild(*l, v);
                    push(l);
                    break;
                }
                case 't': pushTuple(popMark()); break;
                case 0x85:
                case 0x86:
                case 0x87: {
                    const size_t n = op_ - 0x84;
                    if (stack_.size() < n + base()) fail("stack underflow");
                    std::vector<PickleValuePtr> items(stack_.end() - n, stack_.end());
                    stack_.resize(stack_.size() - n);
                    pushTuple(std::move(items));
                    break;
                }
                case 'a': {
                    auto v = pop();
                    auto list = top();
                    if (list->kind != PickleValue::Kind::List) fail("APPEND to a non-list");
                    addChild(*list, v);
                    break;
                }
                case 'e': {
                    auto items = popMark();
                    auto list = top();
                    if (list->kind != PickleValue::Kind::List) fail("APPENDS to a non-list");
                    for (auto& v : items) addChild(*list, v);
                    break;
                }
                case 's': {
                    auto value = pop();
                    auto key = pop();
                    auto dict = top();
                    if (dict->kind != PickleValue::Kind::Dict) fail("SETITEM on a non-dict");
                    setItems(*dict, {key, value});
                    break;
                }
                case 'u': {
                    auto items = popMark();
                    auto dict = top();
                    if (dict->kind != PickleValue::Kind::Dict) fail("SETITEMS on a non-dict");
                    setItems(*dict, items);
                    break;
                }
                case 'q': memo_[le(1)] = top(); break;
                case 'r': memo_[le(4)] = top(); break;
                case 0x94: memo_[memo_.size()] = top(); break;
                case 'h': push(memo(le(1))); break;
                case 'j': push(memo(le(4))); break;
                case 'c': {  // GLOBAL "module\nname\n"
                    const std::string module = line();
                    const std::string name = line();
                    pushGlobal(module, name);
                    break;
                }
                case 0x93: {  // STACK_GLOBAL
                    auto name = pop();
                    auto module = pop();
                    if (module->kind != PickleValue::Kind::String || name->kind != PickleValue::Kind::String)
                        fail("STACK_GLOBAL needs two strings");
                    pushGlobal(module->text, name->text);
                    break;
                }
                case 'Q': push(persistentLoad(pop())); break;
                case 'R': {
                    auto args = pop();
                    auto callable = pop();
                    push(reduce(*callable, *args));
                    break;
                }
                case 0x81: {  // NEWOBJ cls args: only inert classes, which become an empty dict
                    auto args = pop();
                    auto cls = pop();
                    bool inert = false;
                    for (const char* c : kInertClasses) inert = inert || (cls->kind == PickleValue::Kind::Global && cls->text == c);
                    if (!inert) fail("NEWOBJ of a value that is not argparse.Namespace");
                    push(make(PickleValue::Kind::Dict));
                    break;
                }
                case 'b': {  // BUILD: sets an object's state; only state dicts' _metadata is expected
                    auto state = pop();
                    auto object = top();
                    if (object->kind != PickleValue::Kind::Dict && object->kind != PickleValue::Kind::Tensor)
                        fail("BUILD on a value that is neither a dict nor a tensor");
                    break;
                }
                default:
                    fail(std::string("opcode ") + hexByte(op_) + " (" + opcodeName(op_) +
                         ") is not allowed in a checkpoint");
            }
        }
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw Error(source_ + ": refused pickle: " + what + " (opcode " + opcodeName(op_) + " at byte " +
                    std::to_string(op_offset_) + ")");
    }

    std::string_view take(size_t n) {
        if (n > in_.size() - pos_) fail("the pickle ends inside an opcode's argument (truncated data.pkl)");
        const std::string_view s = in_.substr(pos_, n);
        pos_ += n;
        return s;
    }
    unsigned byte() { return static_cast<unsigned char>(take(1)[0]); }
    uint64_t le(size_t n) {
        const std::string_view b = take(n);
        uint64_t v = 0;
        for (size_t i = n; i-- > 0;) v = (v << 8) | static_cast<unsigned char>(b[i]);
        return v;
    }
    std::string line() {
        const size_t end = in_.find('\n', pos_);
        if (end == std::string_view::npos || end - pos_ > 256) fail("GLOBAL name is not terminated");
        std::string s(in_.substr(pos_, end - pos_));
        pos_ = end + 1;
        return s;
    }

    size_t base() const { return marks_.empty() ? 0 : marks_.back(); }
    void push(PickleValuePtr v) { stack_.push_back(std::move(v)); }
    PickleValuePtr top() {
        if (stack_.size() <= base()) fail("stack underflow");
        return stack_.back();
    }
    PickleValuePtr pop() {
        auto v = top();
        stack_.pop_back();
        return v;
    }
    std::vector<PickleValuePtr> popMark() {
        if (marks_.empty()) fail("no MARK to pop to");
        const size_t mark = marks_.back();
        marks_.pop_back();
        std::vector<PickleValuePtr> items(stack_.begin() + mark, stack_.end());
        stack_.resize(mark);
        return items;
    }
    PickleValuePtr memo(uint64_t index) {
        auto it = memo_.find(index);
        if (it == memo_.end()) fail("memo entry " + std::to_string(index) + " was never stored");
        return it->second;
    }

    void addChild(PickleValue& parent, const PickleValuePtr& child) {
        if (child->depth + 1 > kMaxDepth) fail("values nested deeper than " + std::to_string(kMaxDepth) + " levels");
        parent.depth = std::max(parent.depth, child->depth + 1);
        parent.items.push_back(child);
    }
    void setItems(PickleValue& dict, const std::vector<PickleValuePtr>& kv) {
        if (kv.size() % 2) fail("odd number of values for a dict");
        for (size_t i = 0; i < kv.size(); i += 2) {
            const int d = std::max(kv[i]->depth, kv[i + 1]->depth) + 1;
            if (d > kMaxDepth) fail("values nested deeper than " + std::to_string(kMaxDepth) + " levels");
            dict.depth = std::max(dict.depth, d);
            // A later SETITEM for an existing string key replaces it, as in Python.
            bool replaced = false;
            if (kv[i]->kind == PickleValue::Kind::String)
                for (auto& e : dict.entries)
                    if (e.first->kind == PickleValue::Kind::String && e.first->text == kv[i]->text) {
                        e.second = kv[i + 1];
                        replaced = true;
                    }
            if (!replaced) dict.entries.emplace_back(kv[i], kv[i + 1]);
        }
    }
    void pushInt(int64_t v) {
        auto p = make(PickleValue::Kind::Int);
        p->integer = v;
        push(p);
    }
    void pushText(PickleValue::Kind kind, uint64_t n) {
        auto p = make(kind);
        p->text = std::string(take(n));
        push(p);
    }
    void pushTuple(std::vector<PickleValuePtr> items) {
        auto t = make(PickleValue::Kind::Tuple);
        for (auto& v : items) addChild(*t, v);
        push(t);
    }

    void pushGlobal(const std::string& module, const std::string& name) {
        const std::string full = module + "." + name;
        bool allowed = false;
        for (const StorageClass& s : kStorageClasses) allowed = allowed || full == s.name;
        for (const char* c : kCallables) allowed = allowed || full == c;
        for (const char* c : kInertClasses) allowed = allowed || full == c;
        if (!allowed)
            fail("global '" + full +
                 "' is not allowed: a checkpoint may only name collections.OrderedDict, torch._utils tensor "
                 "rebuilders, torch storage types and argparse.Namespace (loading never imports or calls anything)");
        auto g = make(PickleValue::Kind::Global);
        g->text = full;
        push(g);
    }

    PickleValuePtr persistentLoad(const PickleValuePtr& pid) {
        // ('storage', torch.FloatStorage, key, location, numel)
        const auto& t = pid->items;
        if (pid->kind != PickleValue::Kind::Tuple || t.size() != 5 || t[0]->kind != PickleValue::Kind::String ||
            t[0]->text != "storage" || t[1]->kind != PickleValue::Kind::Global ||
            t[2]->kind != PickleValue::Kind::String || t[3]->kind != PickleValue::Kind::String ||
            t[4]->kind != PickleValue::Kind::Int)
            fail("persistent id is not ('storage', type, key, location, numel)");
        auto s = make(PickleValue::Kind::Storage);
        bool known = false;
        for (const StorageClass& c : kStorageClasses)
            if (t[1]->text == c.name) {
                s->storage.dtype = c.dtype;
                known = true;
            }
        if (!known) fail("persistent id names '" + t[1]->text + "', not a storage type");
        if (t[4]->integer < 0) fail("storage '" + t[2]->text + "' has a negative size");
        s->storage.key = t[2]->text;
        s->storage.numel = t[4]->integer;
        return s;
    }

    std::vector<int64_t> intTuple(const PickleValue& v, const char* what) {
        if (v.kind != PickleValue::Kind::Tuple) fail(std::string("tensor ") + what + " is not a tuple");
        std::vector<int64_t> out;
        for (const auto& x : v.items) {
            if (x->kind != PickleValue::Kind::Int || x->integer < 0)
                fail(std::string("tensor ") + what + " holds a value that is not a non-negative integer");
            out.push_back(x->integer);
        }
        return out;
    }

    PickleValuePtr reduce(const PickleValue& callable, const PickleValue& args) {
        if (callable.kind != PickleValue::Kind::Global) fail("REDUCE of a value that is not an allowed callable");
        if (args.kind != PickleValue::Kind::Tuple) fail("REDUCE arguments are not a tuple");
        const std::string& f = callable.text;
        const auto& a = args.items;
        if (f == "collections.OrderedDict") {
            if (!a.empty()) fail("collections.OrderedDict called with arguments");
            return make(PickleValue::Kind::Dict);
        }
        if (f == "torch._utils._rebuild_tensor_v2" || f == "torch._utils._rebuild_tensor") {
            if (a.size() < 4 || a[0]->kind != PickleValue::Kind::Storage || a[1]->kind != PickleValue::Kind::Int)
                fail(f + " needs (storage, storage_offset, size, stride, ...)");
            auto t = make(PickleValue::Kind::Tensor);
            t->tensor.storage = a[0]->storage;
            t->tensor.storage_offset = a[1]->integer;
            t->tensor.size = intTuple(*a[2], "size");
            t->tensor.stride = intTuple(*a[3], "stride");
            if (t->tensor.size.size() != t->tensor.stride.size()) fail("tensor size and stride differ in rank");
            if (t->tensor.size.size() > 16) fail("tensor of rank " + std::to_string(t->tensor.size.size()) + " (at most 16 supported)");
            checkExtent(t->tensor);
            return t;
        }
        if (f == "torch._utils._rebuild_parameter" || f == "torch._utils._rebuild_parameter_with_state") {
            if (a.empty() || a[0]->kind != PickleValue::Kind::Tensor) fail(f + " needs a tensor");
            return a[0];
        }
        fail("REDUCE of '" + f + "' is not allowed (only tensor rebuilders and OrderedDict may be called)");
    }

    void checkExtent(const TensorRef& t) {
        if (t.storage_offset < 0) fail("negative storage offset");
        // The largest element index the view touches must lie inside the storage (empty views touch none).
        __int128 last = t.storage_offset;
        for (size_t i = 0; i < t.size.size(); ++i) {
            if (t.size[i] == 0) return;
            last += __int128(t.size[i] - 1) * t.stride[i];
        }
        // A state dict holds no broadcast views; refusing views larger than their storage also bounds
        // the memory a hostile size tuple could ask for.
        __int128 count = 1;
        for (int64_t d : t.size) count = std::min<__int128>(count * d, __int128(1) << 62);
        if (count > t.storage.numel)
            fail("tensor view of " + std::to_string(int64_t(count)) + " elements is larger than its storage '" +
                 t.storage.key + "' of " + std::to_string(t.storage.numel) + " elements");
        if (last >= t.storage.numel)
            fail("tensor view (offset " + std::to_string(t.storage_offset) + ") reaches past the end of storage '" +
                 t.storage.key + "' of " + std::to_string(t.storage.numel) + " elements");
    }

    std::string_view in_;
    const std::string& source_;
    size_t pos_ = 0;
    size_t op_offset_ = 0;
    unsigned char op_ = 0;
    std::vector<PickleValuePtr> stack_;
    std::vector<size_t> marks_;
    std::map<uint64_t, PickleValuePtr> memo_;
};

}  // namespace

const char* storageDTypeName(StorageDType t) {
    switch (t) {
        case StorageDType::Float32: return "float32";
        case StorageDType::Float16: return "float16";
        case StorageDType::BFloat16: return "bfloat16";
        case StorageDType::Float64: return "float64";
        case StorageDType::Int64: return "int64";
        case StorageDType::Int32: return "int32";
        case StorageDType::Int16: return "int16";
        case StorageDType::Int8: return "int8";
        case StorageDType::UInt8: return "uint8";
        case StorageDType::Bool: return "bool";
    }
    return "?";
}

size_t storageDTypeBytes(StorageDType t) {
    switch (t) {
        case StorageDType::Float64:
        case StorageDType::Int64: return 8;
        case StorageDType::Float32:
        case StorageDType::Int32: return 4;
        case StorageDType::Float16:
        case StorageDType::BFloat16:
        case StorageDType::Int16: return 2;
        default: return 1;
    }
}

PickleValuePtr PickleValue::find(const std::string& key) const {
    for (const auto& [k, v] : entries)
        if (k->kind == Kind::String && k->text == key) return v;
    return nullptr;
}

PickleValuePtr readRestrictedPickle(std::string_view bytes, const std::string& source) {
    return Machine(bytes, source).run();
}

}  // namespace levit
