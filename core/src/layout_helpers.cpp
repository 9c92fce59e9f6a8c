#include "layout_helpers.h"

#include <charconv>

#include "levit/error.h"
#include "printable.h"

namespace levit {

bool isIgnoredBuffer(const std::string& name) {
    auto endsWith = [&](const std::string& s) {
        return name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
    };
    return endsWith("num_batches_tracked") || endsWith("attention_bias_idxs");
}

void throwIfUnexpected(const std::vector<std::string>& unexpected, const std::string& layout, const std::string& source) {
    if (unexpected.empty()) return;
    std::string list;
    for (size_t i = 0; i < unexpected.size() && i < 4; ++i) list += (i ? ", '" : "'") + printable(unexpected[i]) + "'";
    if (unexpected.size() > 4) list += ", ...";
    throw Error(source + ": " + std::to_string(unexpected.size()) + " tensor" + (unexpected.size() > 1 ? "s do" : " does") +
                " not fit the " + layout + " LeViT layout, e.g. " + list);
}

int layoutIndex(const std::string& digits, const std::string& tensor, const std::string& source) {
    int value = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error != std::errc() || end != digits.data() + digits.size() || value < 0 || value > kMaxLayoutIndex)
        throw Error(source + ": tensor '" + printable(tensor) + "' has the block or stage number " +
                    (digits.size() > 12 ? digits.substr(0, 12) + "..." : digits) + " (at most " +
                    std::to_string(kMaxLayoutIndex) + ")");
    return value;
}

}  // namespace levit
