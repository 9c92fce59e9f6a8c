#!/usr/bin/env bash
# Builds the engine alone (-DLEVIT_CORE_ONLY=ON: no Qt, no OpenCV), installs it into a temporary prefix,
# then builds tests/consumer against the installed package twice, with find_package(LevitLens) and with
# pkg-config (levit-core.pc), and runs both on the tiny golden set. Then builds the Debian package the
# way a release is built (portable, no tests), validates its desktop entry (desktop-file-validate) and
# AppStream metainfo (appstreamcli), and runs lintian on the .deb (installer/lintian-overrides lists
# what is accepted, each with its reason). Exits non-zero on the first failure.
# Usage: tools/check-package.sh [WORK_DIR]   (default: a fresh temporary folder, removed afterwards)
set -euo pipefail
cd "$(dirname "$0")/.."
src=$(pwd)
if [ $# -ge 1 ]; then
    work=$1
    mkdir -p "$work"
else
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
fi
jobs=$(nproc 2>/dev/null || echo 2)
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
prefix="$work/prefix"

cmake -S "$src" -B "$work/core" -DCMAKE_BUILD_TYPE=Release -DLEVIT_CORE_ONLY=ON \
      -DCMAKE_INSTALL_PREFIX="$prefix" "${launcher[@]}" >/dev/null
# The point of the option: the configure must not even look for Qt or OpenCV.
if grep -E '^(Qt6[A-Za-z]*|OpenCV)_DIR:' "$work/core/CMakeCache.txt"; then
    echo "check-package.sh: the core-only configure looked for Qt or OpenCV (see the lines above)" >&2
    exit 1
fi
cmake --build "$work/core" -j"$jobs"
cmake --install "$work/core" >/dev/null
echo "installed into $prefix:"
(cd "$prefix" && find . -type f | sort | sed 's/^\.\//  /')

golden="$src/tests/data/golden/tiny_seed0"
cmake -S "$src/tests/consumer" -B "$work/consumer-cmake" -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/consumer-cmake" -j"$jobs"
"$work/consumer-cmake/levit_consumer" "$golden"

pcdir=$(dirname "$(find "$prefix" -name levit-core.pc | head -n1)")
PKG_CONFIG_PATH="$pcdir" cmake -S "$src/tests/consumer" -B "$work/consumer-pkgconfig" \
      -DCMAKE_BUILD_TYPE=Release -DLEVIT_CONSUMER_USE_PKGCONFIG=ON >/dev/null
cmake --build "$work/consumer-pkgconfig" -j"$jobs"
"$work/consumer-pkgconfig/levit_consumer" "$golden"
echo "check-package.sh: the installed package works with find_package and with pkg-config"

# The .deb: the desktop-file-utils, appstream and lintian packages come from tools/install-deps.sh. A full
# build takes far longer than this stage may (12 minutes), so the package is made from the build the test
# stage left in ./build (brought up to date first, normally a no-op); only without one is a portable build
# made here, in build/package-deb (kept between runs). Either way the same install rules are packaged, and
# those are what desktop-file-validate, appstreamcli and lintian judge; release packages are built portable.
if grep -qs '^LEVIT_CORE_ONLY:BOOL=OFF' "$src/build/CMakeCache.txt"; then
    debdir="$src/build"
else
    debdir="$src/build/package-deb"
    cmake -S "$src" -B "$debdir" -DCMAKE_BUILD_TYPE=Release -DLEVIT_NATIVE=OFF -DLEVIT_BUILD_TESTS=OFF \
          "${launcher[@]}" >/dev/null
fi
cmake --build "$debdir" -j"$jobs" --target levit levit-lens levit_man_pages levit_changelog
cpack --config "$debdir/CPackConfig.cmake" -G DEB -B "$work/deb" >/dev/null
deb=$(find "$work/deb" -maxdepth 1 -name '*.deb' | head -n1)
echo "built $deb"
"$src/tools/check-deb.sh" "$deb"
