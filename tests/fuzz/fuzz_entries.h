#pragma once
// The entry functions of the fuzz harnesses, shared by the libFuzzer drivers (fuzz_main.cpp, clang) and
// the regression test that replays tests/fuzz/regressions in the normal build (test_fuzz_regressions.cpp).
// Each feeds one input to a reader the way the application would. Returning normally or throwing
// levit::Error are the only acceptable outcomes; any other exception, a crash, a sanitizer report, a hang
// or unbounded memory is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace levit::fuzz {

using EntryFunction = void (*)(const uint8_t* data, size_t size);

struct Harness {
    const char* name;  // also the folder of its reproducers: tests/fuzz/regressions/<name>/
    EntryFunction run;
};

// Every harness, in the order tools/fuzz.sh runs them.
const std::vector<Harness>& harnesses();
// The harness called `name`, or null.
const Harness* findHarness(std::string_view name);

}  // namespace levit::fuzz
