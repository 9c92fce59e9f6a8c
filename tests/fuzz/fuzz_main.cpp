// libFuzzer driver for one harness of fuzz_entries.h, chosen at build time (LEVIT_FUZZ_HARNESS). A
// levit::Error is the reader refusing bad input, which is the expected outcome; anything else escapes
// and libFuzzer reports it (an uncaught exception aborts).
#include <cstdio>
#include <cstdlib>

#include "fuzz_entries.h"
#include "levit/error.h"

namespace {

const levit::fuzz::Harness& harness() {
    static const levit::fuzz::Harness* h = levit::fuzz::findHarness(LEVIT_FUZZ_HARNESS);
    if (!h) {
        std::fprintf(stderr, "no fuzz harness named %s\n", LEVIT_FUZZ_HARNESS);
        std::abort();
    }
    return *h;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        harness().run(data, size);
    } catch (const levit::Error&) {
    }
    return 0;
}
