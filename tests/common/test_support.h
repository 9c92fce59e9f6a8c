#pragma once
// Where test data lives, and the rule for the large golden sets in ../shared: skip with a clear message
// when they are missing, fail when LEVIT_REQUIRE_SHARED=1 (CI).
#include <QtTest/QtTest>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace levit_test {

inline std::string testDataDir() { return LEVIT_TEST_DATA_DIR; }
inline std::string sharedDir() { return LEVIT_SHARED_DIR; }
inline std::string goldenDir(const std::string& set) { return sharedDir() + "/golden/" + set; }
inline bool sharedRequired() {
    const char* v = std::getenv("LEVIT_REQUIRE_SHARED");
    return v && std::string(v) == "1";
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
