#!/usr/bin/env bash
# LeViT Lens against ONNX Runtime (onnxruntime-node, ../shared/bench) on identical levit-128S weights,
# interleaved case by case so machine noise hits both engines alike. Prints medians and ratios.
#   tools/bench/compare.sh [--rounds N] [--runs R]      (needs ./build; installs onnxruntime-node into .ort/)
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=3 runs=60
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    *) echo "compare.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
shared=${LEVIT_SHARED_DIR:-$(cd .. && pwd)/shared}
onnx="$shared/bench/levit-128S_seed0.onnx"
golden="$shared/golden/levit-128S_seed0"
[ -f "$onnx" ] || { echo "compare.sh: $onnx not found (set LEVIT_SHARED_DIR)" >&2; exit 1; }
[ -x build/bin/levit ] || { echo "compare.sh: build/bin/levit missing: run ./tools/build.sh first" >&2; exit 1; }
command -v node >/dev/null || { echo "compare.sh: node is not installed (apt-get install nodejs npm)" >&2; exit 1; }
if [ ! -d .ort/node_modules/onnxruntime-node ]; then
  mkdir -p .ort
  (cd .ort && npm install --no-audit --no-fund onnxruntime-node@1.30.0 --ignore-scripts >/dev/null)
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for round in $(seq "$rounds"); do
  for threads in 1 2; do
    for batch in 1 8; do
      build/bin/levit bench --model "$golden" --batch "$batch" --threads "$threads" --warmup 10 --runs "$runs" --json >> "$out"
      NODE_PATH=.ort/node_modules node "$shared/bench/ort_bench.js" --model "$onnx" --threads "$threads" --batch "$batch" \
        --warmup 10 --runs "$runs" >> "$out"
    done
  done
done
python3 - "$out" "$rounds" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
print(f"levit-128S, 224x224 fp32, same weights; median of {sys.argv[2]} interleaved rounds of each engine's median")
print(f"{'batch':>5} {'threads':>7} {'levit-lens ms':>14} {'onnxruntime ms':>15} {'speed-up':>9} {'lens img/s':>11} {'ort img/s':>10}")
for threads in (1, 2):
    for batch in (1, 8):
        pick = lambda e: statistics.median(r["median_ms"] for r in rows if r["engine"] == e and r["batch"] == batch and r["threads"] == threads)
        ours, ort = pick("levit-lens"), pick("onnxruntime-node")
        print(f"{batch:>5} {threads:>7} {ours:>14.2f} {ort:>15.2f} {ort / ours:>8.2f}x {batch * 1000 / ours:>11.1f} {batch * 1000 / ort:>10.1f}")
PY
