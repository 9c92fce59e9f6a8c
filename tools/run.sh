#!/usr/bin/env bash
# One command from a fresh clone: install what is missing, build, and open LeViT Lens on the bundled
# default model with a sample image classified. Without a display it classifies the sample on the CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
./tools/install-deps.sh
./tools/build.sh
sample=$(ls resources/samples/sample_00_*.png 2>/dev/null | head -n 1 || true)
if [ -x build/bin/levit-lens ] && [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec build/bin/levit-lens "$@"
fi
if [ -x build/bin/levit-lens ]; then
  echo "No display found (DISPLAY is not set): classifying the sample on the command line instead." >&2
  echo "Run 'build/bin/levit-lens' on a desktop, or 'xvfb-run -a build/bin/levit-lens' for a virtual one." >&2
fi
if [ -n "$sample" ]; then
  exec build/bin/levit classify "$sample"
fi
exec build/bin/levit classify --model tests/data/golden/tiny_seed0 tests/data/golden/tiny_seed0/images/gradient_300x200.png
