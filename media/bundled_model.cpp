#include "bundled_model.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

#include "levit/error.h"

namespace levit::media {

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

std::vector<fs::path> resourceRoots() {
    return {executableDir() / "../share/levit-lens", fs::path(LEVIT_INSTALLED_DATA_DIR), fs::path(LEVIT_SOURCE_RESOURCES_DIR)};
}
}  // namespace

std::string defaultModelPath() {
    if (const char* env = std::getenv("LEVIT_DEFAULT_MODEL"); env && *env) return env;
    std::string tried;
    for (const fs::path& root : resourceRoots()) {
        const fs::path p = root / "models" / kDefaultModelName;
        if (fs::exists(p / "config.json")) return fs::weakly_canonical(p).string();
        tried += "\n  " + p.lexically_normal().string();
    }
    throw Error("the bundled default model was not found; looked in:" + tried);
}

std::string samplesPath() {
    for (const fs::path& root : resourceRoots())
        if (fs::exists(root / "samples")) return fs::weakly_canonical(root / "samples").string();
    return {};
}

}  // namespace levit::media
