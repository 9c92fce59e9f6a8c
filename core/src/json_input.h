#pragma once
// The one way core reads JSON from files it did not write (config.json, preprocessor_config.json, timm
// configs, safetensors headers): bounded in size and nesting depth, every failure one line naming the
// source. Untrusted JSON is never dumped into a message (nlohmann's dump() recurses per nesting level);
// describeJson() names a value's type, or prints it when that is short and flat.
#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace levit {

// A config.json with ImageNet-21k's 21,841 labels (id2label and label2id) is about 2 MB; 8 MiB leaves
// room while keeping the parsed document (roughly 10x the text) far from the memory a machine has.
inline constexpr size_t kMaxJsonFileBytes = size_t(8) << 20;
// Real configs nest 3 levels (down_ops), safetensors headers 3; 64 keeps a deliberately deep document
// far from exhausting the stack of the code that walks it.
inline constexpr int kMaxJsonDepth = 64;

// Parses `text`; throws levit::Error "<source>: ..." for invalid JSON, nesting deeper than kMaxJsonDepth,
// or a number out of the double range (1e400).
nlohmann::json parseJsonBounded(std::string_view text, const std::string& source);

// Reads a whole regular file of at most `max_bytes` (a FIFO or /dev/zero is refused before reading).
// Throws levit::Error naming `path`; `what` describes the file in the size message ("config file").
std::string readTextFileBounded(const std::string& path, size_t max_bytes, const char* what);

// readTextFileBounded(path, kMaxJsonFileBytes) + parseJsonBounded.
nlohmann::json readJsonFile(const std::string& path);

// "a list", "an object", "the string \"abc\"", "1.5", ... for error messages.
std::string describeJson(const nlohmann::json& value);

}  // namespace levit
