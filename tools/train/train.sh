#!/usr/bin/env bash
# Trains the bundled default model (resources/models/levit-fashion) from Debian's Fashion-MNIST package,
# seeded and reproducible, on the CPU with Debian's PyTorch. About 40 minutes on 2 cores (Debian PyTorch with OpenBLAS).
#   tools/train/train.sh [--epochs N] [--size S] [--threads T] ...   (see train.py --help)
set -euo pipefail
cd "$(dirname "$0")"
../install-deps.sh --train
/usr/bin/python3 check_against_golden.py ../../tests/data/golden/tiny_seed0
exec /usr/bin/python3 train.py "$@"
