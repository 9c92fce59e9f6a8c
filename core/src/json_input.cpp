#include "json_input.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "levit/error.h"

namespace levit {

namespace {

// Thrown by BoundedSax to stop at the first too-deep value.
struct TooDeep {};

// nlohmann's DOM builder with a depth count in front. (The parser-callback variant would do, but it scans
// the enclosing object after every member, which is quadratic for a header of many tensors.)
class BoundedSax {
public:
    using json = nlohmann::json;
    explicit BoundedSax(json& root) : dom_(root, true) {}

    bool null() { return dom_.null(); }
    bool boolean(bool v) { return dom_.boolean(v); }
    bool number_integer(json::number_integer_t v) { return dom_.number_integer(v); }
    bool number_unsigned(json::number_unsigned_t v) { return dom_.number_unsigned(v); }
    bool number_float(json::number_float_t v, const json::string_t& text) { return dom_.number_float(v, text); }
    bool string(json::string_t& v) { return dom_.string(v); }
    bool binary(json::binary_t& v) { return dom_.binary(v); }
    bool key(json::string_t& v) { return dom_.key(v); }
    bool start_object(std::size_t n) {
        enter();
        return dom_.start_object(n);
    }
    bool end_object() {
        --depth_;
        return dom_.end_object();
    }
    bool start_array(std::size_t n) {
        enter();
        return dom_.start_array(n);
    }
    bool end_array() {
        --depth_;
        return dom_.end_array();
    }
    template <class Exception>
    bool parse_error(std::size_t position, const std::string& token, const Exception& e) {
        return dom_.parse_error(position, token, e);  // throws e
    }

private:
    void enter() {
        if (++depth_ > kMaxJsonDepth) throw TooDeep{};
    }
    nlohmann::detail::json_sax_dom_parser<json> dom_;
    int depth_ = 0;
};

// nlohmann's messages start with "[json.exception.parse_error.101] "; the tag means nothing to a user.
std::string withoutTag(const char* what) {
    std::string s(what);
    if (!s.empty() && s[0] == '[') {
        const size_t end = s.find("] ");
        if (end != std::string::npos) s.erase(0, end + 2);
    }
    return s;
}

}  // namespace

nlohmann::json parseJsonBounded(std::string_view text, const std::string& source) {
    nlohmann::json root;
    BoundedSax sax(root);
    try {
        nlohmann::json::sax_parse(text.begin(), text.end(), &sax);
        return root;
    } catch (const TooDeep&) {
        throw Error(source + ": JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    } catch (const nlohmann::json::out_of_range& e) {
        throw Error(source + ": a JSON number is out of range (" + withoutTag(e.what()) + ")");
    } catch (const nlohmann::json::exception& e) {
        throw Error(source + ": not valid JSON (" + withoutTag(e.what()) + ")");
    }
}

std::string readTextFileBounded(const std::string& path, size_t max_bytes, const char* what) {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below as not a regular file.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT) throw Error(path + ": no such file");
        throw Error(path + ": cannot open (" + std::strerror(errno) + ")");
    }
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st{};
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) throw Error(path + ": not a regular file");
    if (uint64_t(st.st_size) > max_bytes)
        throw Error(path + ": " + std::to_string(st.st_size) + " bytes is too large for a " + what + " (at most " +
                    std::to_string(max_bytes) + ")");
    std::string text(size_t(st.st_size), '\0');
    size_t have = 0;
    // Read at most max_bytes + 1: a file that grew since fstat is still caught.
    while (true) {
        if (have == text.size()) text.resize(std::min(max_bytes + 1, text.size() + 65536));
        if (have == text.size()) break;
        const ssize_t n = ::read(fd, text.data() + have, text.size() - have);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw Error(path + ": read failed (" + std::strerror(errno) + ")");
        }
        if (n == 0) break;
        have += size_t(n);
    }
    if (have > max_bytes)
        throw Error(path + ": too large for a " + std::string(what) + " (at most " + std::to_string(max_bytes) + " bytes)");
    text.resize(have);
    return text;
}

nlohmann::json readJsonFile(const std::string& path) {
    return parseJsonBounded(readTextFileBounded(path, kMaxJsonFileBytes, "JSON file"), path);
}

std::string describeJson(const nlohmann::json& value) {
    switch (value.type()) {
        case nlohmann::json::value_t::null: return "null";
        case nlohmann::json::value_t::boolean: return value.get<bool>() ? "true" : "false";
        case nlohmann::json::value_t::object: return "an object";
        case nlohmann::json::value_t::array: return "a list";
        case nlohmann::json::value_t::binary: return "binary data";
        case nlohmann::json::value_t::string: {
            // A flat value: dump() does not recurse; long strings are cut so the message stays one short line.
            const std::string& s = value.get_ref<const std::string&>();
            if (s.size() > 40) return "a string of " + std::to_string(s.size()) + " characters";
            return "the string " + value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        }
        case nlohmann::json::value_t::discarded: return "nothing";
        default: return value.dump();  // a number, printed as in the file
    }
}

}  // namespace levit
