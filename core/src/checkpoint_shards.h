#pragma once
// Sharded checkpoints as transformers saves large models: an index (model.safetensors.index.json or
// pytorch_model.bin.index.json, {"metadata": {...}, "weight_map": {tensor name: shard file}}) next to the
// shards it names (model-00001-of-00003.safetensors, pytorch_model-00001-of-00003.bin, ...). The index
// comes from the checkpoint's author, so it is checked before any shard is opened: shard names are plain
// file names in the index's own folder (no path, no "..") of the index's format, at most kMaxShards of
// them, every one present; and no tensor may be stored in two shards.
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "levit/tensor.h"

namespace levit {

// Far above any LeViT (levit-384 is 156 MB: one shard at transformers' default 5 GB) and large models
// (a few hundred shards), low enough that a hostile index cannot make us open thousands of files.
inline constexpr size_t kMaxShards = 256;

// "model.safetensors.index.json" or "pytorch_model.bin.index.json" (by file name; any folder).
bool isShardIndexFile(const std::string& path);

// The index's shard files, as full paths in the index's folder, in the order first named (tensor names
// sorted). Throws
// levit::Error naming the index for anything the rules above refuse.
std::vector<std::string> shardFiles(const std::string& index_path);

// Reads every shard with `read_shard` (one file's floating-point tensors, as stored) and merges them.
// Throws levit::Error naming the index and the shard when a tensor is in two shards.
std::map<std::string, Tensor> readShardedWeights(
    const std::string& index_path, const std::function<std::map<std::string, Tensor>(const std::string&)>& read_shard);

}  // namespace levit
