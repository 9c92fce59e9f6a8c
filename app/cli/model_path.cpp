#include "commands.h"
#include "imageio/bundled_model.h"

namespace levit::cli {

std::string resolveModelPath(const std::string& model_arg) {
    if (model_arg.empty()) return imageio::defaultModelPath();
    return model_arg;
}

}  // namespace levit::cli
