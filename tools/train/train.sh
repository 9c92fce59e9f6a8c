#!/usr/bin/env bash
# Trains the bundled default model (resources/models/levit-fashion) from Debian's Fashion-MNIST package,
# seeded and reproducible, on the CPU with Debian's PyTorch (2 threads; OpenBLAS single-threaded, see train.py):
# teacher, student, BatchNorm recalibration and export in one go, well under an hour on 2 cores.
#   tools/train/train.sh [--epochs N] [--size S] [--threads T] ...   (see train.py --help)
set -euo pipefail
cd "$(dirname "$0")"
../install-deps.sh --train
/usr/bin/python3 check_against_golden.py ../../tests/data/golden/tiny_seed0 ../../tests/data/golden/tiny_seed1
export OPENBLAS_NUM_THREADS=1
exec /usr/bin/python3 train.py "$@"
