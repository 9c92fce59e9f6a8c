#pragma once
// A message as one line of stderr: file names may contain newlines or terminal escapes, and a reader (or
// a script reading "the last line") must see one line naming the file, so control characters are written
// as \n, \r, \t or \xNN. Bytes of UTF-8 text pass unchanged.
#include <cstdio>
#include <string>
#include <string_view>

namespace levit::cli {

inline std::string oneLine(std::string_view message) {
    std::string out;
    out.reserve(message.size());
    for (const char ch : message) {
        const unsigned char c = static_cast<unsigned char>(ch);
        if (c == '\n') out += "\\n";
        else if (c == '\r') out += "\\r";
        else if (c == '\t') out += "\\t";
        else if (c < 0x20 || c == 0x7f) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
            out += escaped;
        } else {
            out += ch;
        }
    }
    return out;
}

}  // namespace levit::cli
