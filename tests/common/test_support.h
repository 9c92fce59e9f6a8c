#pragma once
// Where test data lives, and the rule for the large golden sets in ../shared: skip with a clear message
// when they are missing, fail when LEVIT_REQUIRE_SHARED=1 (CI).
#include <QtTest/QtTest>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace levit_test {

inline std::string testDataDir() { return LEVIT_TEST_DATA_DIR; }
inline std::string sharedDir() { return LEVIT_SHARED_DIR; }
inline std::string goldenDir(const std::string& set) { return sharedDir() + "/golden/" + set; }
inline bool sharedRequired() {
    const char* v = std::getenv("LEVIT_REQUIRE_SHARED");
    return v && std::string(v) == "1";
}

// Time bounds in tests are written for an optimised build; a sanitizer build runs the same code several
// times slower (ASan about 3-5x, plus its allocator; TSan 5-15x), so bounds scale by this factor there.
#if defined(LEVIT_SANITIZER_THREAD)
constexpr qint64 kSanitizerSlowdown = 15;
#elif defined(LEVIT_SANITIZER_ADDRESS)
constexpr qint64 kSanitizerSlowdown = 8;
#else
constexpr qint64 kSanitizerSlowdown = 1;
#endif

// Largest absolute difference over the largest reference magnitude: how the gradient tests compare ours with
// PyTorch's (infinity when the sizes differ).
inline double relativeDifference(const std::vector<float>& ours, const std::vector<float>& reference) {
    if (ours.size() != reference.size()) return INFINITY;
    double worst = 0, scale = 0;
    for (size_t i = 0; i < ours.size(); ++i) {
        worst = std::max(worst, std::abs(double(ours[i]) - double(reference[i])));
        scale = std::max(scale, std::abs(double(reference[i])));
    }
    return scale > 0 ? worst / scale : worst;
}

}  // namespace levit_test

// Use at the top of a test function that needs `path` from ../shared.
#define LEVIT_REQUIRE_SHARED_PATH(path)                                                                  \
    do {                                                                                                 \
        if (!std::filesystem::exists(path)) {                                                            \
            const std::string levitMsg = std::string("shared data missing: ") + (path) +                 \
                                         " (set -DLEVIT_SHARED_DIR=... to the folder holding golden/)";  \
            if (levit_test::sharedRequired()) QFAIL(levitMsg.c_str());                                  \
            QSKIP(levitMsg.c_str());                                                                     \
        }                                                                                                \
    } while (0)
