#include "levit/checkpoint.h"

namespace levit {

std::shared_ptr<const Model> loadModel(const std::string& path) {
    LoadedCheckpoint ck = loadCheckpoint(path);
    return std::make_shared<const Model>(ck.config, ck.weights, ck.weights_path);
}

}  // namespace levit
