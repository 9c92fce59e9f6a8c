#pragma once
// Mutes what native decoders (libpng, libjpeg) print on stderr by themselves while a block runs, so a
// bad file produces exactly one error line: ours. Only for the single-threaded CLI.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

namespace levit::cli {

class QuietStderr {
public:
    QuietStderr() {
        std::fflush(stderr);
        saved_ = dup(STDERR_FILENO);
        const int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
        if (saved_ >= 0 && null >= 0) dup2(null, STDERR_FILENO);
        if (null >= 0) close(null);
    }
    ~QuietStderr() {
        std::fflush(stderr);
        if (saved_ >= 0) {
            dup2(saved_, STDERR_FILENO);
            close(saved_);
        }
    }
    QuietStderr(const QuietStderr&) = delete;
    QuietStderr& operator=(const QuietStderr&) = delete;

private:
    int saved_ = -1;
};

}  // namespace levit::cli
