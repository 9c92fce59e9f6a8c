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
status=0
ctest --output-on-failure -j"$(nproc 2>/dev/null || echo 2)" "$@" || status=$?
# A test executable in which any test function skipped shows as "Skipped" in ctest's summary; name the
# functions and their reasons here, since ctest does not print the output of skipped tests.
if grep -q '^SKIP   :' Testing/Temporary/LastTest.log 2>/dev/null; then
    echo "Skipped test functions:"
    grep '^SKIP   :' Testing/Temporary/LastTest.log | sed 's/^SKIP   : /  /' | sort -u
fi
# ctest hides the output of passing tests, so say here that the large golden sets were not compared.
if [ ! -d "$shared_dir/golden" ]; then
    echo "note: $shared_dir/golden not found: the tests on the large golden sets and the real photos skipped." >&2
    echo "      Point LEVIT_SHARED_DIR at the folder that holds golden/ to run them." >&2
fi
exit "$status"
