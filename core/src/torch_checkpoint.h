#pragma once
// PyTorch checkpoints (torch.save since 1.6: a ZIP archive holding data.pkl and one record per storage),
// read without Python through the restricted unpickler. The state dict may be the top-level object or
// wrapped as {'model': ...} / {'state_dict': ...} (facebookresearch/LeViT, training scripts).
#include <map>
#include <string>

#include "levit/tensor.h"

namespace levit {

struct TorchCheckpoint {
    std::map<std::string, Tensor> floating;  // float32/float16/bfloat16/float64 tensors as float32, file names
    int integer_tensors = 0;                 // skipped buffers (num_batches_tracked, attention_bias_idxs)
    std::string wrapper_key;                 // "model", "state_dict" or empty for a bare state dict
};

// Throws levit::Error naming `path` and the problem: legacy (pre-1.6) or non-ZIP files, refused pickles,
// missing or wrongly sized storage records, views outside their storage, big-endian data...
TorchCheckpoint readTorchCheckpoint(const std::string& path);

}  // namespace levit
