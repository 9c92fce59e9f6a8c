// Where the bundled default model lives: next to an installed binary (share/levit-lens/models), the
// install prefix baked in at build time, or the source tree when running from a build folder.
#include <unistd.h>

#include <filesystem>

#include "commands.h"
#include "levit/error.h"

namespace levit::cli {

namespace fs = std::filesystem;

namespace {
constexpr const char* kDefaultModelName = "levit-fashion";

fs::path executableDir() {
    char buf[4096];
    const ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
    if (n <= 0) return {};
    buf[n] = '\0';
    return fs::path(buf).parent_path();
}
}  // namespace

std::string defaultModelPath() {
    if (const char* env = std::getenv("LEVIT_DEFAULT_MODEL"); env && *env) return env;
    const std::vector<fs::path> candidates = {
        executableDir() / "../share/levit-lens/models" / kDefaultModelName,
        fs::path(LEVIT_INSTALLED_MODEL_DIR) / kDefaultModelName,
        fs::path(LEVIT_SOURCE_MODEL_DIR) / kDefaultModelName,
    };
    for (const fs::path& p : candidates)
        if (fs::exists(p / "config.json")) return fs::weakly_canonical(p).string();
    std::string tried;
    for (const fs::path& p : candidates) tried += "\n  " + p.lexically_normal().string();
    throw Error("no --model given and the bundled default model was not found; looked in:" + tried);
}

std::string resolveModelPath(const std::string& model_arg) {
    if (model_arg.empty()) return defaultModelPath();
    return model_arg;
}

}  // namespace levit::cli
