#!/usr/bin/env bash
# LeViT Lens's fine-tuning step against PyTorch (Debian's python3-torch) on the same LeViT shapes: one step
# = forward with eval-mode BatchNorm, 0.5 CE per head, backward through every parameter (--train all), AdamW.
# Interleaved round by round so machine noise hits both alike; prints medians, images/s, the ratio and peak memory.
#   tools/bench/compare_train.sh [--variant 128S] [--batch 32] [--rounds 2] [--runs 5] [--build DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
variant=128S batch=32 rounds=2 runs=5 build=build
while [ $# -gt 0 ]; do
  case "$1" in
    --variant) variant=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    *) echo "compare_train.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
levit="$build/bin/levit"
[ -x "$levit" ] || { echo "compare_train.sh: $levit missing: run ./tools/build.sh first (or pass --build DIR)" >&2; exit 1; }
/usr/bin/python3 -c "import torch" 2>/dev/null || { echo "compare_train.sh: python3-torch missing: ./tools/install-deps.sh --train" >&2; exit 1; }
field() { /usr/bin/python3 -c "import json,sys; print(json.loads(sys.stdin.read())['$1'])"; }
printf "%-30s %10s %10s %12s %10s\n" "levit-$variant batch $batch" "ours ms" "torch ms" "ours/torch" "peak MiB"
for threads in 1 2; do
  ours=() theirs=() mem=""
  for ((r = 0; r < rounds; r++)); do
    o=$("$levit" bench --train --variant "$variant" --batch "$batch" --threads "$threads" --warmup 1 --runs "$runs" --json)
    t=$(/usr/bin/python3 tools/bench/torch_train_step.py --variant "$variant" --batch "$batch" --threads "$threads" --runs "$runs" --warmup 1)
    ours+=("$(echo "$o" | field median_ms)")
    theirs+=("$(echo "$t" | field median_ms)")
    mem="$(echo "$o" | field peak_rss_mib) / $(echo "$t" | field peak_rss_mib)"
  done
  best_ours=$(printf "%s\n" "${ours[@]}" | sort -g | head -1)
  best_theirs=$(printf "%s\n" "${theirs[@]}" | sort -g | head -1)
  ratio=$(/usr/bin/python3 -c "print(f'{$best_theirs / $best_ours:.2f}x faster')")
  printf "%-30s %10.1f %10.1f %12s %10s\n" "$threads thread(s), best of $rounds" "$best_ours" "$best_theirs" "$ratio" "$mem"
done
