#include "checkpoint_shards.h"

#include <filesystem>
#include <set>

#include "json_input.h"
#include "levit/error.h"
#include "printable.h"

namespace levit {

namespace fs = std::filesystem;

namespace {

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The extension every shard of this index must have: the index's own format.
std::string shardExtension(const std::string& index_name) {
    return index_name == "model.safetensors.index.json" ? ".safetensors" : ".bin";
}

// A file name in the index's folder, never a path: no separators, not "." or "..", no control characters.
bool isPlainFileName(const std::string& name) {
    if (name.empty() || name == "." || name == "..") return false;
    for (const unsigned char c : name)
        if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f) return false;
    return true;
}

}  // namespace

bool isShardIndexFile(const std::string& path) {
    const std::string name = fs::path(path).filename().string();
    return name == "model.safetensors.index.json" || name == "pytorch_model.bin.index.json";
}

std::vector<std::string> shardFiles(const std::string& index_path) {
    const nlohmann::json index = readJsonFile(index_path);
    if (!index.is_object() || !index.contains("weight_map") || !index["weight_map"].is_object())
        throw Error(index_path + ": not a shard index: expected an object with a \"weight_map\" object (tensor name -> shard file)");
    const nlohmann::json& weight_map = index["weight_map"];
    if (weight_map.empty()) throw Error(index_path + ": the \"weight_map\" names no tensor");
    const fs::path folder = fs::path(index_path).parent_path();
    const std::string extension = shardExtension(fs::path(index_path).filename().string());
    // Every name is checked, and counted, before any file is looked at.
    std::vector<std::pair<std::string, std::string>> named;  // shard, the first tensor naming it
    std::set<std::string> seen;
    for (const auto& [tensor, file] : weight_map.items()) {
        if (!file.is_string())
            throw Error(index_path + ": the shard of tensor '" + printable(tensor) + "' is " + describeJson(file) + ", not a file name");
        const std::string name = file.get<std::string>();
        if (!seen.insert(name).second) continue;
        if (!isPlainFileName(name))
            throw Error(index_path + ": shard '" + printable(name) + "' (tensor '" + printable(tensor) +
                        "') is not a plain file name; shards must be files in the index's own folder");
        if (!endsWith(name, extension) || name.size() == extension.size())
            throw Error(index_path + ": shard '" + printable(name) + "' is not a " + extension + " file, as the index's format requires");
        if (seen.size() > kMaxShards)
            throw Error(index_path + ": more than " + std::to_string(kMaxShards) + " shards; refused");
        named.emplace_back(name, tensor);
    }
    std::vector<std::string> shards;
    for (const auto& [name, tensor] : named) {
        const fs::path shard = folder / name;
        std::error_code ec;
        if (!fs::is_regular_file(shard, ec))
            throw Error(index_path + ": shard " + name + " (tensor '" + printable(tensor) + "') is missing: " + shard.string() +
                        (fs::exists(shard, ec) ? " is not a regular file" : " does not exist"));
        shards.push_back(shard.string());
    }
    return shards;
}

std::map<std::string, Tensor> readShardedWeights(
    const std::string& index_path, const std::function<std::map<std::string, Tensor>(const std::string&)>& read_shard) {
    std::map<std::string, Tensor> merged;
    std::map<std::string, std::string> origin;  // tensor -> the shard it came from, for the message
    for (const std::string& shard : shardFiles(index_path)) {
        for (auto& [name, tensor] : read_shard(shard)) {
            const auto [it, inserted] = origin.emplace(name, shard);
            if (!inserted)
                throw Error(index_path + ": tensor '" + printable(name) + "' is stored in two shards, " +
                            fs::path(it->second).filename().string() + " and " + fs::path(shard).filename().string());
            merged.emplace(name, std::move(tensor));
        }
    }
    if (merged.empty()) throw Error(index_path + ": its shards hold no floating-point tensors");
    return merged;
}

}  // namespace levit
