#pragma once
// What the layout mappers (weight_layout.cpp, layout_timm.cpp, layout_official.cpp) share: which buffers no
// layout needs, the error for names that fit no layout, and reading block numbers out of names.
#include <string>
#include <vector>

namespace levit {

// Buffers that no layout needs (we recompute attention-bias indices; batch counts are training state).
bool isIgnoredBuffer(const std::string& name);
// "source: N tensors do not fit the <layout> layout, e.g. 'a', 'b', 'c'". Throws when `unexpected` is not empty.
void throwIfUnexpected(const std::vector<std::string>& unexpected, const std::string& layout, const std::string& source);
// A stage or block number taken from a tensor name (digits only, as the layouts' patterns match): refuses,
// naming the tensor and `source`, numbers above kMaxLayoutIndex instead of letting them size anything.
constexpr int kMaxLayoutIndex = 4096;
// Published names are under 100 bytes. The layouts match names with std::regex, which recurses once per
// character: a name of hundreds of kilobytes would overflow the stack, so longer names are refused first.
constexpr size_t kMaxTensorNameBytes = 1024;
int layoutIndex(const std::string& digits, const std::string& tensor, const std::string& source);

}  // namespace levit
