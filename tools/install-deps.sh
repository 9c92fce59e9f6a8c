#!/usr/bin/env bash
# Installs the Debian 12 packages LeViT Lens needs to build, run and test. Installs only what is missing;
# uses sudo when not root. clang with libclang-rt-14-dev (libFuzzer's runtime, only recommended by clang,
# so not pulled in here) builds the fuzz harnesses; g++ brings the ASan/UBSan/TSan runtimes.
# Extra package groups: --train (PyTorch tooling for tools/train).
set -euo pipefail

packages=(
  cmake g++ make pkg-config
  clang libclang-rt-14-dev
  qt6-base-dev qt6-charts-dev libqt6opengl6-dev libgl-dev
  qt6-l10n-tools
  libeigen3-dev nlohmann-json3-dev zlib1g-dev
  libopencv-dev libjpeg-dev
  libbenchmark-dev
  dataset-fashion-mnist
  xvfb xauth
  python3
  # The PyTorch reference with Hugging Face's module names: app_test_cli_train loads the folders
  # `levit train` writes into it (strictly, every state-dict key) and compares the logits.
  python3-torch python3-numpy
  # The man pages are written by help2man at build time; tools/check-package.sh validates the desktop
  # entry and the AppStream metainfo and runs lintian on the .deb.
  help2man desktop-file-utils appstream lintian
)
for arg in "$@"; do
  case "$arg" in
    --train) packages+=(python3-pil python3-torchvision libopenblas0-pthread) ;;
    *) echo "install-deps.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "Installing: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
