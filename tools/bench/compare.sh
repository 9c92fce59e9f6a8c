#!/usr/bin/env bash
# LeViT Lens against ONNX Runtime (onnxruntime-node, ../shared/bench) on identical weights, interleaved case
# by case and round by round so machine noise hits both engines alike. Prints medians and ratios, our
# GFLOP/s next to the machine's measured single-core fp32 peak, load-to-first-result and peak memory.
#   tools/bench/compare.sh [--rounds N] [--runs R] [--build DIR] [--no-variants] [--no-bf16]
# Cases: levit-128S batch 1 and 8 on 1 and 2 threads against ONNX Runtime, in float32 (the default) and,
# on CPUs with AVX-512 BF16, in the optional bfloat16 mode (rows "+bf16", same ONNX Runtime figures);
# levit-256 and levit-384 ours only (random weights of those shapes), or against ONNX Runtime too as soon
# as the kit holds levit-256*.onnx / levit-384*.onnx (then on the matching golden weights when
# ../shared/golden has them).
# Needs a build with the levit CLI (default ./build, e.g. from ./tools/build.sh); the peak comes from
# DIR/bench/bench_peak_flops when Google Benchmark was found, for the kernel level the engine runs (printed:
# AVX-512, or AVX2 + FMA on CPUs without it or with LEVIT_NO_AVX512=1 set; to measure the AVX2 path
# faithfully on an AVX-512 CPU, use a build whose compiler cannot use AVX-512 either, e.g.
# cmake -B build-zen3 -DLEVIT_NATIVE=OFF -DCMAKE_CXX_FLAGS=-march=znver3, then
# LEVIT_NO_AVX512=1 tools/bench/compare.sh --build build-zen3). Installs onnxruntime-node into .ort/.
# With LEVIT_NO_AVX512=1, ONNX Runtime runs its AVX2 kernels too, like for like: it picks its kernels by
# CPUID and XCR0 with no switch, so tools/bench/hide_avx512.c (built here with cc) hides AVX-512 from its
# CPUID through CPUID faulting (CPU flag cpuid_fault), or, on CPUs without it, tools/bench/ort_mask_avx512.py
# runs a copy of the library (in DIR/ort-avx2) whose XGETBV reports no AVX-512 state; --ort-native lets it
# use AVX-512 anyway. The kernel level each engine ran is printed.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=3 runs=60 build=build variants=1 bf16=1 ort_native=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --no-variants) variants=0; shift ;;
    --no-bf16) bf16=0; shift ;;
    --ort-native) ort_native=1; shift ;;
    *) echo "compare.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
shared=${LEVIT_SHARED_DIR:-$(cd .. && pwd)/shared}
onnx="$shared/bench/levit-128S_seed0.onnx"
golden="$shared/golden/levit-128S_seed0"
levit="$build/bin/levit"
[ -f "$onnx" ] || { echo "compare.sh: $onnx not found (set LEVIT_SHARED_DIR)" >&2; exit 1; }
[ -x "$levit" ] || { echo "compare.sh: $levit missing: run ./tools/build.sh first (or pass --build DIR)" >&2; exit 1; }
command -v node >/dev/null || { echo "compare.sh: node is not installed (apt-get install nodejs npm)" >&2; exit 1; }
if [ ! -d .ort/node_modules/onnxruntime-node ]; then
  mkdir -p .ort
  (cd .ort && npm install --no-audit --no-fund onnxruntime-node@1.30.0 --ignore-scripts >/dev/null)
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# ONNX Runtime's kernel level: as the CPU offers, or AVX2 (AVX-512 hidden) when ours are limited to AVX2.
ort_preload="" ort_modules=.ort/node_modules ort_level="as the CPU offers (AVX-512 where present)"
if [ "${LEVIT_NO_AVX512:-}" = 1 ] && [ "$ort_native" = 0 ] && grep -qw avx512f /proc/cpuinfo; then
  if ! grep -qw cpuid_fault /proc/cpuinfo; then
    # No CPUID faulting (e.g. AMD Zen 5 VMs): a copy of the library told by XGETBV that AVX-512 is off.
    python3 tools/bench/ort_mask_avx512.py .ort/node_modules "$build/ort-avx2" >&2
    ort_modules="$build/ort-avx2:.ort/node_modules"
    ort_level="AVX2 (AVX-512 state hidden from its XGETBV by tools/bench/ort_mask_avx512.py)"
  elif ! command -v cc >/dev/null; then
    echo "compare.sh: no C compiler to build tools/bench/hide_avx512.c: ONNX Runtime runs AVX-512" >&2
  else
    ort_preload="$(cd "$build" && pwd)/hide_avx512.so"  # LD_PRELOAD needs an absolute path
    cc -O2 -shared -fPIC -o "$ort_preload" tools/bench/hide_avx512.c -ldl
    # node itself asks CPUID at start-up: the library must have answered.
    answered=$(HIDE_AVX512_VERBOSE=1 LD_PRELOAD="$ort_preload" node -e 0 2>&1 | sed -n 's/^hide_avx512: \([0-9]*\) CPUID.*/\1/p' | head -n 1)
    [ "${answered:-0}" -gt 0 ] || { echo "compare.sh: $ort_preload did not take effect in node" >&2; exit 1; }
    ort_level="AVX2 (AVX-512 hidden from its CPUID by tools/bench/hide_avx512.c)"
  fi
fi

ort() {  # ort ONNX THREADS BATCH RUNS
  LD_PRELOAD="$ort_preload" NODE_PATH="$ort_modules" node "$shared/bench/ort_bench.js" --model "$1" \
    --threads "$2" --batch "$3" --warmup 10 --runs "$4" | sed "s/^{/{\"case\":\"$(basename "$1" .onnx)\",/" >> "$out"
}
ours() {  # ours CASE THREADS BATCH RUNS MODEL-ARGS...
  local name=$1 threads=$2 batch=$3 n=$4; shift 4
  "$levit" bench "$@" --batch "$batch" --threads "$threads" --warmup 10 --runs "$n" --json |
    sed "s/^{/{\"case\":\"$name\",/" >> "$out"
}

if [ "$bf16" = 1 ] && ! "$levit" bench --model "$golden" --bf16 --warmup 0 --runs 1 >/dev/null 2>&1; then
  echo "compare.sh: this CPU has no AVX-512 BF16: float32 only" >&2
  bf16=0
fi

# The larger variants: an ONNX export in the kit if there is one (with its golden weights if present).
declare -a extra_names=() extra_onnx=() extra_args=()
if [ "$variants" = 1 ]; then
  for v in 256 384; do
    file=$(ls "$shared"/bench/levit-"$v"*.onnx 2>/dev/null | head -n 1 || true)
    if [ -n "$file" ]; then
      stem=$(basename "$file" .onnx)
      if [ -d "$shared/golden/$stem" ]; then args="--model $shared/golden/$stem"; else args="--variant $v"; fi
      extra_names+=("$stem"); extra_onnx+=("$file"); extra_args+=("$args")
    else
      extra_names+=("levit-$v"); extra_onnx+=(""); extra_args+=("--variant $v")
    fi
  done
fi

for round in $(seq "$rounds"); do
  echo "round $round of $rounds..." >&2
  for threads in 1 2; do
    for batch in 1 8; do
      ours levit-128S_seed0 "$threads" "$batch" "$runs" --model "$golden"
      ort "$onnx" "$threads" "$batch" "$runs"
      [ "$bf16" = 0 ] || ours levit-128S_seed0+bf16 "$threads" "$batch" "$runs" --model "$golden" --bf16
      for i in "${!extra_names[@]}"; do
        n=$(( runs / 2 > 5 ? runs / 2 : 5 ))
        # shellcheck disable=SC2086  # extra_args holds two words
        ours "${extra_names[$i]}" "$threads" "$batch" "$n" ${extra_args[$i]}
        [ -z "${extra_onnx[$i]}" ] || ort "${extra_onnx[$i]}" "$threads" "$batch" "$n"
      done
    done
  done
done

# The kernel level the engine picks (core/src/cpu_features.h), and the peak of that level's FMA.
if grep -qw avx512f /proc/cpuinfo && [ "${LEVIT_NO_AVX512:-}" != 1 ]; then
  level="AVX-512" peak_filter=Avx512
elif grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo && [ "${LEVIT_NO_AVX2:-}" != 1 ]; then
  level="AVX2 + FMA" peak_filter=Avx2
else
  level="portable C++" peak_filter=Avx2
fi
[ "${LEVIT_NO_AVX512:-}" != 1 ] || level="$level (LEVIT_NO_AVX512=1)"
flags=$(sed -n 's/^CMAKE_CXX_FLAGS:STRING=//p; s/^LEVIT_NATIVE:BOOL=ON$/-march=native/p' "$build/CMakeCache.txt" 2>/dev/null | xargs || true)
peak=""
if [ -x "$build/bench/bench_peak_flops" ]; then
  peak=$("$build/bench/bench_peak_flops" --benchmark_filter="PeakFma$peak_filter\$" --benchmark_repetitions=3 \
    --benchmark_format=json 2>/dev/null |
    python3 -c 'import json,sys
rows=[b for b in json.load(sys.stdin)["benchmarks"] if b.get("aggregate_name")=="median" and "GFLOP/s" in b]
print(max((b["GFLOP/s"] / 1e9 if b["GFLOP/s"] > 1e6 else b["GFLOP/s"]) for b in rows) if rows else "")' || true)
fi
echo "kernels: $level; build: $build (${flags:-default flags}); ONNX Runtime: $ort_level"

python3 - "$out" "$rounds" "$peak" "$(date -u +%Y-%m-%d)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
rounds, peak, day, cpu = sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
peak = float(peak) if peak else None
def med(engine, case, batch, threads, key="median_ms"):
    v = [r[key] for r in rows if r["engine"] == engine and r["case"] == case and r["batch"] == batch and r["threads"] == threads]
    return statistics.median(v) if v else None
cases = sorted({r["case"] for r in rows}, key=lambda c: (not c.startswith("levit-128S"), c))
print(f"{day}, {cpu}; 224x224 fp32; median over {rounds} interleaved rounds of each engine's median "
      f"(last column: the same with each round's 10th percentile)")
print(f"{'model':<22} {'batch':>5} {'threads':>7} {'lens ms':>9} {'ort ms':>9} {'speed-up':>9} {'lens img/s':>11} {'ort img/s':>10} {'lens GFLOP/s':>13} {'p10 speed-up':>13}")
for case in cases:
    for threads in (1, 2):
        for batch in (1, 8):
            ours = med("levit-lens", case, batch, threads)
            if ours is None:
                continue
            ort = med("onnxruntime-node", case.split("+")[0], batch, threads)
            gf = med("levit-lens", case, batch, threads, "achieved_gflops_per_s")
            ratio = f"{ort / ours:>8.2f}x" if ort else f"{'-':>9}"
            ort_ms = f"{ort:>9.2f}" if ort else f"{'-':>9}"
            ort_ips = f"{batch * 1000 / ort:>10.1f}" if ort else f"{'-':>10}"
            # The fastest tenth of each engine's runs: what bursts of load from other processes disturb least.
            ours10, ort10 = med("levit-lens", case, batch, threads, "p10_ms"), med("onnxruntime-node", case.split("+")[0], batch, threads, "p10_ms")
            ratio10 = f"{ort10 / ours10:>12.2f}x" if ort10 and ours10 else f"{'-':>13}"
            print(f"{case:<22} {batch:>5} {threads:>7} {ours:>9.2f} {ort_ms} {ratio} {batch * 1000 / ours:>11.1f} {ort_ips} {gf:>13.1f} {ratio10}")
for case in cases:
    g = [r for r in rows if r["engine"] == "levit-lens" and r["case"] == case]
    if "+" in case:
        continue
    if g:
        print(f"{case}: {g[0]['gflops_per_image']:.3f} GFLOP/image (multiply+add = 2), "
              f"load to first result {statistics.median(r['first_result_ms'] for r in g):.1f} ms, "
              f"peak memory {max(r['peak_rss_mib'] for r in g):.0f} MiB (batch 8: {max((r['peak_rss_mib'] for r in g if r['batch'] == 8), default=0):.0f} MiB)")
if peak:
    best = max(r["achieved_gflops_per_s"] / r["threads"] for r in rows if r["engine"] == "levit-lens" and r.get("precision") == "fp32")
    b1 = med("levit-lens", "levit-128S_seed0", 1, 1, "achieved_gflops_per_s")
    print(f"single-core fp32 peak of these kernels (bench_peak_flops, FMA throughput): {peak:.1f} GFLOP/s; "
          f"levit-128S batch 1, 1 thread reaches {b1:.1f} GFLOP/s = {100 * b1 / peak:.0f}% of it; "
          f"best float32 per-thread figure above {best:.1f} GFLOP/s = {100 * best / peak:.0f}%")
PY
