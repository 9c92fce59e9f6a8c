#!/usr/bin/env bash
# One command from a fresh clone: install what is missing, build, and run the whole test suite.
# Tests that need the large golden sets read them from ../shared (LEVIT_SHARED_DIR); they skip with a
# message when it is missing, and fail instead when LEVIT_REQUIRE_SHARED=1 (CI).
set -euo pipefail
cd "$(dirname "$0")/.."
./tools/install-deps.sh
shared_dir=${LEVIT_SHARED_DIR:-$(cd .. && pwd)/shared}
./tools/build.sh -DLEVIT_SHARED_DIR="$shared_dir"
cd build
ctest --output-on-failure -j"$(nproc 2>/dev/null || echo 2)" "$@"
