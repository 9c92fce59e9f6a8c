#pragma once
// Names taken from a file (tensor names, ZIP entry names, pickle globals) as they may appear in an error
// message: control characters escaped as \xNN so the message stays one line, and long names cut.
#include <cstdio>
#include <string>
#include <string_view>

namespace levit {

// Longer names are cut with "..."; real tensor names are under 100 characters.
inline constexpr size_t kMaxPrintedNameLength = 200;

inline bool hasControlCharacter(std::string_view name) {
    for (unsigned char c : name)
        if (c < 0x20 || c == 0x7f) return true;
    return false;
}

inline std::string printable(std::string_view name) {
    std::string out;
    for (size_t i = 0; i < name.size() && out.size() < kMaxPrintedNameLength; ++i) {
        const unsigned char c = static_cast<unsigned char>(name[i]);
        if (c < 0x20 || c == 0x7f) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
            out += escaped;
        } else {
            out += static_cast<char>(c);
        }
    }
    if (out.size() >= kMaxPrintedNameLength) out += "...";
    return out;
}

}  // namespace levit
