#!/usr/bin/env bash
# Configures and builds LeViT Lens into ./build (Release, tuned for this machine's CPU).
# Extra arguments go to the CMake configure step, e.g. ./tools/build.sh -DLEVIT_NATIVE=OFF
# (-DLEVIT_CORE_ONLY=ON builds only the engine library, without Qt and OpenCV). Uses ccache when installed.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DLEVIT_NATIVE=ON "${launcher[@]}" "$@" >/dev/null
cmake --build build -j"$jobs"
