#pragma once
// For tests of broken or hostile checkpoint files: what loadCheckpoint says about a file.
#include <QString>

#include <string>

#include "levit/checkpoint.h"
#include "levit/error.h"

namespace levit_test {

// The first weight of every LeViT in Hugging Face names: tests build one-tensor checkpoints with it.
inline const std::string kFirstConvWeight = "levit.patch_embeddings.embedding_layer_1.convolution.weight";

// The levit::Error message loadCheckpoint(path) throws; empty when the file loads.
inline QString checkpointLoadError(const std::string& path) {
    try {
        levit::loadCheckpoint(path);
    } catch (const levit::Error& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

}  // namespace levit_test
