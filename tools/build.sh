#!/usr/bin/env bash
# Configures and builds LeViT Lens into ./build (Release, tuned for this machine's CPU).
# Extra arguments go to the CMake configure step, e.g. ./tools/build.sh -DLEVIT_NATIVE=OFF
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DLEVIT_NATIVE=ON "$@" >/dev/null
cmake --build build -j"$jobs"
