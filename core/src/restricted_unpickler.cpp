// The restricted unpickler. A pickle is a small stack-machine program; Python's own unpickler imports and
// calls whatever the program names, which is why loading an untrusted .pth with torch.load can run code.
// Here the machine is re-implemented with only the opcodes a state dict uses, GLOBAL resolves against a
// fixed allow-list of names (never importing anything), and REDUCE is interpreted for those names only.
#include "restricted_unpickler.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <deque>
#include <map>
#include <unordered_map>

#include "levit/error.h"
#include "printable.h"

namespace levit {

namespace {

// Lists, tuples and dicts nested deeper than this are refused; a state dict nests 4 levels.
constexpr int kMaxDepth = 256;
// Values one pickle may create. A state dict needs about 20 per tensor, so a LeViT-384 training checkpoint
// with its optimizer state holds some 35,000; a value takes about 300 bytes, so this bounds what a hostile
// data.pkl can make us allocate to about 150 MB however it is built.
constexpr size_t kMaxValues = size_t(1) << 19;
// Rank of a tensor view; LeViT's tensors have at most 4 dimensions.
constexpr size_t kMaxRank = 16;

// Every opcode of pickle protocols 0-5; only some are interpreted, the others are named in the refusal.
enum class Op : unsigned char {
    Mark = '(', Stop = '.', Pop = '0', PopMark = '1', Dup = '2', Float = 'F', Int = 'I', BinInt = 'J',
    BinInt1 = 'K', Long = 'L', BinInt2 = 'M', None = 'N', PersId = 'P', BinPersId = 'Q', Reduce = 'R',
    String = 'S', BinString = 'T', ShortBinString = 'U', Unicode = 'V', BinUnicode = 'X', Append = 'a',
    Build = 'b', Global = 'c', Dict = 'd', EmptyDict = '}', Appends = 'e', Get = 'g', BinGet = 'h', Inst = 'i',
    LongBinGet = 'j', List = 'l', EmptyList = ']', Obj = 'o', Put = 'p', BinPut = 'q', LongBinPut = 'r',
    SetItem = 's', Tuple = 't', EmptyTuple = ')', SetItems = 'u', BinFloat = 'G', Proto = 0x80, NewObj = 0x81,
    Ext1 = 0x82, Ext2 = 0x83, Ext4 = 0x84, Tuple1 = 0x85, Tuple2 = 0x86, Tuple3 = 0x87, NewTrue = 0x88,
    NewFalse = 0x89, Long1 = 0x8a, Long4 = 0x8b, BinBytes = 'B', ShortBinBytes = 'C', ShortBinUnicode = 0x8c,
    BinUnicode8 = 0x8d, BinBytes8 = 0x8e, EmptySet = 0x8f, AddItems = 0x90, FrozenSet = 0x91, NewObjEx = 0x92,
    StackGlobal = 0x93, Memoize = 0x94, Frame = 0x95, ByteArray8 = 0x96, NextBuffer = 0x97, ReadonlyBuffer = 0x98,
};

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

// Owns every value of one pickle. std::deque keeps their addresses stable; destroying it frees the values
// one after another, whatever points to what.
struct PickleArena {
    std::deque<PickleValue> values;
};

class Machine {
public:
    Machine(std::string_view bytes, const std::string& source)
        : in_(bytes), source_(source), arena_(std::make_shared<PickleArena>()) {}

    PickleValuePtr run() {
        while (!stopped_) {
            if (pos_ >= in_.size()) fail("the pickle ends without a STOP opcode (truncated data.pkl)");
            op_offset_ = pos_;
            op_ = static_cast<unsigned char>(in_[pos_++]);
            step(static_cast<Op>(op_));
        }
        // The root shares ownership of the whole arena: the values it points to live as long as it does.
        return PickleValuePtr(arena_, stack_.back());
    }

private:
    void step(Op op) {
        switch (op) {
            case Op::Proto: proto(); break;
            case Op::Frame: take(8); break;  // a length hint only
            case Op::Stop: stop(); break;
            case Op::Mark: marks_.push_back(stack_.size()); break;
            case Op::Pop: pop(); break;
            case Op::PopMark: popMark(); break;
            case Op::Dup: push(top()); break;
            case Op::None: push(make(PickleValue::Kind::None)); break;
            case Op::NewTrue:
            case Op::NewFalse: pushBool(op == Op::NewTrue); break;
            case Op::BinInt: pushInt(int32_t(uint32_t(le(4)))); break;
            case Op::BinInt1: pushInt(int64_t(le(1))); break;
            case Op::BinInt2: pushInt(int64_t(le(2))); break;
            case Op::Long1: long1(); break;
            case Op::BinFloat: binFloat(); break;
            case Op::BinUnicode: pushText(PickleValue::Kind::String, le(4)); break;
            case Op::ShortBinUnicode: pushText(PickleValue::Kind::String, le(1)); break;
            case Op::BinUnicode8: pushText(PickleValue::Kind::String, le(8)); break;
            case Op::BinBytes: pushText(PickleValue::Kind::Bytes, le(4)); break;
            case Op::ShortBinBytes: pushText(PickleValue::Kind::Bytes, le(1)); break;
            case Op::BinBytes8: pushText(PickleValue::Kind::Bytes, le(8)); break;
            case Op::EmptyDict: push(make(PickleValue::Kind::Dict)); break;
            case Op::EmptyList: push(make(PickleValue::Kind::List)); break;
            case Op::EmptyTuple: push(make(PickleValue::Kind::Tuple)); break;
            case Op::Dict: dictFromMark(); break;
            case Op::List: listFromMark(); break;
            case Op::Tuple: pushTuple(popMark()); break;
            case Op::Tuple1:
            case Op::Tuple2:
            case Op::Tuple3: smallTuple(size_t(op_) - 0x84); break;
            case Op::Append: append(); break;
            case Op::Appends: appends(); break;
            case Op::SetItem: setItem(); break;
            case Op::SetItems: setItemsFromMark(); break;
            case Op::BinPut: memo_[le(1)] = top(); break;
            case Op::LongBinPut: memo_[le(4)] = top(); break;
            case Op::Memoize: memo_[memo_.size()] = top(); break;
            case Op::BinGet: push(memo(le(1))); break;
            case Op::LongBinGet: push(memo(le(4))); break;
            case Op::Global: global(); break;
            case Op::StackGlobal: stackGlobal(); break;
            case Op::BinPersId: push(persistentLoad(*pop())); break;
            case Op::Reduce: reduceOp(); break;
            case Op::NewObj: newObj(); break;
            case Op::Build: build(); break;
            default:
                fail(std::string("opcode ") + hexByte(op_) + " (" + opcodeName(op_) + ") is not allowed in a checkpoint");
        }
    }

    [[noreturn]] void fail(const std::string& what) const {
        throw Error(source_ + ": refused pickle: " + what + " (opcode " + opcodeName(op_) + " at byte " +
                    std::to_string(op_offset_) + ")");
    }

    // --- reading the opcode stream ---
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

    // --- the stack, marks and memo ---
    PickleValue* make(PickleValue::Kind kind) {
        if (arena_->values.size() >= kMaxValues)
            fail("more than " + std::to_string(kMaxValues) + " values (not a state dict)");
        PickleValue& v = arena_->values.emplace_back();
        v.kind = kind;
        return &v;
    }
    size_t base() const { return marks_.empty() ? 0 : marks_.back(); }
    void push(PickleValue* v) { stack_.push_back(v); }
    PickleValue* top() {
        if (stack_.size() <= base()) fail("stack underflow");
        return stack_.back();
    }
    PickleValue* pop() {
        PickleValue* v = top();
        stack_.pop_back();
        return v;
    }
    std::vector<PickleValue*> popMark() {
        if (marks_.empty()) fail("no MARK to pop to");
        const size_t mark = marks_.back();
        marks_.pop_back();
        std::vector<PickleValue*> items(stack_.begin() + std::ptrdiff_t(mark), stack_.end());
        stack_.resize(mark);
        return items;
    }
    PickleValue* memo(uint64_t index) {
        auto it = memo_.find(index);
        if (it == memo_.end()) fail("memo entry " + std::to_string(index) + " was never stored");
        return it->second;
    }

    // --- containers ---
    // A container only grows while it is on its own, as Python's pickler writes them (filled, then placed).
    // Refusing to change one that already sits inside another keeps every depth exact (a memo reference
    // cannot deepen a value behind its parent's back) and makes cycles impossible: a container that is
    // not inside anything can only be inside itself, which is refused too.
    PickleValue* growable(const char* what, PickleValue::Kind kind) {
        PickleValue* c = top();
        if (c->kind != kind) fail(std::string(what) + " to a non-" + (kind == PickleValue::Kind::List ? "list" : "dict"));
        if (c->contained) fail(std::string(what) + " changes a value that already sits inside another one");
        return c;
    }
    void adopt(PickleValue& parent, PickleValue& child) {
        if (&parent == &child) fail("a value would contain itself");
        if (child.depth + 1 > kMaxDepth) fail("values nested deeper than " + std::to_string(kMaxDepth) + " levels");
        parent.depth = std::max(parent.depth, child.depth + 1);
        child.contained = true;
    }
    void addChild(PickleValue& parent, PickleValue* child) {
        adopt(parent, *child);
        parent.items.push_back(child);
    }
    void setItems(PickleValue& dict, const std::vector<PickleValue*>& kv) {
        if (kv.size() % 2) fail("odd number of values for a dict");
        auto& index = string_keys_[&dict];
        for (size_t i = 0; i < kv.size(); i += 2) {
            adopt(dict, *kv[i]);
            adopt(dict, *kv[i + 1]);
            // A later SETITEM for an existing string key replaces it, as in Python.
            if (kv[i]->kind == PickleValue::Kind::String) {
                const auto [it, inserted] = index.emplace(kv[i]->text, dict.entries.size());
                if (!inserted) {
                    dict.entries[it->second].second = kv[i + 1];
                    continue;
                }
            }
            dict.entries.emplace_back(kv[i], kv[i + 1]);
        }
    }
    void pushTuple(const std::vector<PickleValue*>& items) {
        PickleValue* t = make(PickleValue::Kind::Tuple);
        for (PickleValue* v : items) addChild(*t, v);
        push(t);
    }

    // --- opcodes ---
    void proto() {
        const unsigned proto = byte();
        if (proto < 2 || proto > 5) fail("pickle protocol " + std::to_string(proto) + " is not supported");
    }
    void stop() {
        if (stack_.size() != 1 || !marks_.empty()) fail("STOP with " + std::to_string(stack_.size()) + " values on the stack");
        stopped_ = true;
    }
    void pushBool(bool b) {
        PickleValue* v = make(PickleValue::Kind::Bool);
        v->boolean = b;
        push(v);
    }
    void pushInt(int64_t i) {
        PickleValue* v = make(PickleValue::Kind::Int);
        v->integer = i;
        push(v);
    }
    void long1() {  // little-endian two's complement of n bytes
        const size_t n = byte();
        if (n > 8) fail("integer of " + std::to_string(n) + " bytes is too large");
        uint64_t v = le(n);
        if (n > 0 && n < 8 && (v >> (8 * n - 1)) & 1) v |= ~uint64_t(0) << (8 * n);
        pushInt(int64_t(v));
    }
    void binFloat() {  // big-endian IEEE double
        const std::string_view b = take(8);
        uint64_t bits = 0;
        for (char c : b) bits = (bits << 8) | static_cast<unsigned char>(c);
        PickleValue* v = make(PickleValue::Kind::Float);
        std::memcpy(&v->real, &bits, 8);
        push(v);
    }
    void pushText(PickleValue::Kind kind, uint64_t n) {
        const std::string_view text = take(n);  // checked against the input before anything is allocated
        PickleValue* v = make(kind);
        v->text = std::string(text);
        push(v);
    }
    void dictFromMark() {
        const std::vector<PickleValue*> items = popMark();
        PickleValue* d = make(PickleValue::Kind::Dict);
        setItems(*d, items);
        push(d);
    }
    void listFromMark() {
        const std::vector<PickleValue*> items = popMark();
        PickleValue* l = make(PickleValue::Kind::List);
        for (PickleValue* v : items) addChild(*l, v);
        push(l);
    }
    void smallTuple(size_t n) {
        if (stack_.size() < n + base()) fail("stack underflow");
        std::vector<PickleValue*> items(stack_.end() - std::ptrdiff_t(n), stack_.end());
        stack_.resize(stack_.size() - n);
        pushTuple(items);
    }
    void append() {
        PickleValue* v = pop();
        addChild(*growable("APPEND", PickleValue::Kind::List), v);
    }
    void appends() {
        const std::vector<PickleValue*> items = popMark();
        PickleValue* list = growable("APPENDS", PickleValue::Kind::List);
        for (PickleValue* v : items) addChild(*list, v);
    }
    void setItem() {
        PickleValue* value = pop();
        PickleValue* key = pop();
        setItems(*growable("SETITEM", PickleValue::Kind::Dict), {key, value});
    }
    void setItemsFromMark() {
        const std::vector<PickleValue*> items = popMark();
        setItems(*growable("SETITEMS", PickleValue::Kind::Dict), items);
    }
    void global() {  // GLOBAL "module\nname\n"
        const std::string module = line();
        const std::string name = line();
        pushGlobal(module, name);
    }
    void stackGlobal() {
        PickleValue* name = pop();
        PickleValue* module = pop();
        if (module->kind != PickleValue::Kind::String || name->kind != PickleValue::Kind::String)
            fail("STACK_GLOBAL needs two strings");
        pushGlobal(module->text, name->text);
    }
    void reduceOp() {
        PickleValue* args = pop();
        PickleValue* callable = pop();
        push(reduce(*callable, *args));
    }
    void newObj() {  // NEWOBJ cls args: only inert classes, which become an empty dict
        pop();  // args
        const PickleValue* cls = pop();
        bool inert = false;
        for (const char* c : kInertClasses) inert = inert || (cls->kind == PickleValue::Kind::Global && cls->text == c);
        if (!inert) fail("NEWOBJ of a value that is not argparse.Namespace");
        push(make(PickleValue::Kind::Dict));
    }
    void build() {  // sets an object's state; only state dicts' _metadata is expected, and it is not kept
        pop();  // state
        const PickleValue* object = top();
        if (object->kind != PickleValue::Kind::Dict && object->kind != PickleValue::Kind::Tensor)
            fail("BUILD on a value that is neither a dict nor a tensor");
    }

    // --- the allow-list ---
    void pushGlobal(const std::string& module, const std::string& name) {
        const std::string full = module + "." + name;
        bool allowed = false;
        for (const StorageClass& s : kStorageClasses) allowed = allowed || full == s.name;
        for (const char* c : kCallables) allowed = allowed || full == c;
        for (const char* c : kInertClasses) allowed = allowed || full == c;
        if (!allowed)
            fail("global '" + printable(full) +
                 "' is not allowed: a checkpoint may only name collections.OrderedDict, torch._utils tensor "
                 "rebuilders, torch storage types and argparse.Namespace (loading never imports or calls anything)");
        PickleValue* g = make(PickleValue::Kind::Global);
        g->text = full;
        push(g);
    }

    PickleValue* persistentLoad(const PickleValue& pid) {
        // ('storage', torch.FloatStorage, key, location, numel)
        const auto& t = pid.items;
        if (pid.kind != PickleValue::Kind::Tuple || t.size() != 5 || t[0]->kind != PickleValue::Kind::String ||
            t[0]->text != "storage" || t[1]->kind != PickleValue::Kind::Global ||
            t[2]->kind != PickleValue::Kind::String || t[3]->kind != PickleValue::Kind::String ||
            t[4]->kind != PickleValue::Kind::Int)
            fail("persistent id is not ('storage', type, key, location, numel)");
        PickleValue* s = make(PickleValue::Kind::Storage);
        bool known = false;
        for (const StorageClass& c : kStorageClasses)
            if (t[1]->text == c.name) {
                s->storage.dtype = c.dtype;
                known = true;
            }
        if (!known) fail("persistent id names '" + printable(t[1]->text) + "', not a storage type");
        if (t[4]->integer < 0) fail("storage '" + printable(t[2]->text) + "' has a negative size");
        s->storage.key = t[2]->text;
        s->storage.numel = t[4]->integer;
        return s;
    }

    std::vector<int64_t> intTuple(const PickleValue& v, const char* what) {
        if (v.kind != PickleValue::Kind::Tuple) fail(std::string("tensor ") + what + " is not a tuple");
        std::vector<int64_t> out;
        for (const PickleValue* x : v.items) {
            if (x->kind != PickleValue::Kind::Int || x->integer < 0)
                fail(std::string("tensor ") + what + " holds a value that is not a non-negative integer");
            out.push_back(x->integer);
        }
        return out;
    }

    PickleValue* reduce(const PickleValue& callable, const PickleValue& args) {
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
            PickleValue* t = make(PickleValue::Kind::Tensor);
            t->tensor.storage = a[0]->storage;
            t->tensor.storage_offset = a[1]->integer;
            t->tensor.size = intTuple(*a[2], "size");
            t->tensor.stride = intTuple(*a[3], "stride");
            if (t->tensor.size.size() != t->tensor.stride.size()) fail("tensor size and stride differ in rank");
            if (t->tensor.size.size() > kMaxRank)
                fail("tensor of rank " + std::to_string(t->tensor.size.size()) + " (at most " + std::to_string(kMaxRank) +
                     " supported)");
            checkExtent(t->tensor);
            return t;
        }
        if (f == "torch._utils._rebuild_parameter" || f == "torch._utils._rebuild_parameter_with_state") {
            if (a.empty() || a[0]->kind != PickleValue::Kind::Tensor) fail(f + " needs a tensor");
            return const_cast<PickleValue*>(a[0]);  // the arena's own value, held const only inside tuples
        }
        fail("REDUCE of '" + f + "' is not allowed (only tensor rebuilders and OrderedDict may be called)");
    }

    void checkExtent(const TensorRef& t) {
        if (t.storage_offset < 0) fail("negative storage offset");
        // A state dict holds no broadcast views; refusing views larger than their storage also bounds
        // the memory a hostile size tuple could ask for. Sizes and strides are below 2^63 and there are at
        // most kMaxRank of them, so neither product nor sum leaves the 128-bit range.
        __int128 count = 1;
        for (int64_t d : t.size) count = std::min<__int128>(count * d, __int128(1) << 62);
        if (count > t.storage.numel)
            fail("tensor view of " + std::to_string(int64_t(count)) + " elements is larger than its storage '" +
                 printable(t.storage.key) + "' of " + std::to_string(t.storage.numel) + " elements");
        if (count == 0) return;  // an empty view touches no element
        // The largest element index the view touches must lie inside the storage; stop adding as soon as it
        // is past the end, so the sum stays below 2^63 + 2^126.
        __int128 last = t.storage_offset;
        for (size_t i = 0; i < t.size.size() && last < t.storage.numel; ++i)
            last += __int128(t.size[i] - 1) * t.stride[i];
        if (last >= t.storage.numel)
            fail("tensor view (offset " + std::to_string(t.storage_offset) + ") reaches past the end of storage '" +
                 printable(t.storage.key) + "' of " + std::to_string(t.storage.numel) + " elements");
    }

    std::string_view in_;
    const std::string& source_;
    size_t pos_ = 0;
    size_t op_offset_ = 0;
    unsigned char op_ = 0;
    bool stopped_ = false;
    std::shared_ptr<PickleArena> arena_;
    std::vector<PickleValue*> stack_;
    std::vector<size_t> marks_;
    std::map<uint64_t, PickleValue*> memo_;
    std::unordered_map<const PickleValue*, std::unordered_map<std::string, size_t>> string_keys_;  // per dict
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

const PickleValue* PickleValue::find(const std::string& key) const {
    for (const auto& [k, v] : entries)
        if (k->kind == Kind::String && k->text == key) return v;
    return nullptr;
}

PickleValuePtr readRestrictedPickle(std::string_view bytes, const std::string& source) {
    return Machine(bytes, source).run();
}

}  // namespace levit
