#!/usr/bin/env bash
# Builds the libFuzzer harnesses of tests/fuzz with clang (ASan + UBSan) and runs each of them in turn.
#
#   tools/fuzz.sh [SECONDS] [HARNESS...]     each harness for SECONDS (default 30; 0 = until interrupted),
#                                            all harnesses by default
#   LEVIT_FUZZ_RUNS=1000000 tools/fuzz.sh 0  a fixed number of executions per harness (with SECONDS > 0:
#                                            whichever comes first)
#
# Harnesses: safetensors zip pickle torch_checkpoint config_json npy image checkpoint.
# Build folder: $LEVIT_FUZZ_BUILD_DIR (default build-fuzz). Each harness keeps its growing corpus in
# <build>/corpus/<harness>, starts from the seeds (tests/fuzz/make_seed_corpus.py) and the saved reproducers
# (tests/fuzz/regressions/<harness>, so a regression fails at once), and writes what it finds to
# <build>/artifacts/<harness>/. Inputs are bounded like the application's: 2 GiB of memory, 10 s each.
# Exits 1 when any harness found a crash, leak, timeout or out-of-memory.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
seconds=${1:-30}
shift || true
all=(safetensors zip pickle torch_checkpoint config_json npy image checkpoint)
harnesses=("$@")
[ ${#harnesses[@]} -eq 0 ] && harnesses=("${all[@]}")
build=${LEVIT_FUZZ_BUILD_DIR:-$root/build-fuzz}
shared=${LEVIT_SHARED_DIR:-$(cd .. && pwd)/shared}

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# clang and its libFuzzer runtime (Debian: clang + libclang-rt-<version>-dev).
runtime_present() {
    command -v clang++ >/dev/null &&
        [ -f "$(clang++ -print-resource-dir)/lib/linux/libclang_rt.fuzzer-x86_64.a" ]
}
if ! runtime_present; then
    echo "fuzz.sh: installing clang and the libFuzzer runtime" >&2
    as_root apt-get update -qq
    as_root apt-get install -y -qq clang
    version=$(clang++ --version | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -n1)
    as_root apt-get install -y -qq "libclang-rt-$version-dev" || as_root apt-get install -y -qq "libclang-common-$version-dev"
    runtime_present || { echo "fuzz.sh: libFuzzer runtime still missing after installing clang" >&2; exit 1; }
fi

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$root" -B "$build" -DLEVIT_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "${launcher[@]}" >/dev/null
targets=()
for h in "${harnesses[@]}"; do targets+=("fuzz_$h"); done
cmake --build "$build" --target "${targets[@]}" -j"$(nproc 2>/dev/null || echo 2)"

seed_args=("$build/seeds")
[ -d "$shared/golden" ] && seed_args+=("$shared")
python3 "$root/tests/fuzz/make_seed_corpus.py" "${seed_args[@]}" >/dev/null

limit=(-max_total_time="$seconds")
budget="$seconds s"
if [ -n "${LEVIT_FUZZ_RUNS:-}" ]; then  # runs, and at most SECONDS when that is not 0
    limit=(-runs="$LEVIT_FUZZ_RUNS")
    budget="$LEVIT_FUZZ_RUNS runs"
    if [ "$seconds" != 0 ]; then
        limit+=(-max_total_time="$seconds")
        budget+=" or $seconds s"
    fi
fi
failed=()
for h in "${harnesses[@]}"; do
    mkdir -p "$build/corpus/$h" "$build/artifacts/$h" "$build/logs"
    corpora=("$build/corpus/$h" "$build/seeds/$h")
    [ -d "$root/tests/fuzz/regressions/$h" ] && corpora+=("$root/tests/fuzz/regressions/$h")
    log="$build/logs/$h.log"
    echo "== fuzz_$h ($budget), log: $log"
    status=0
    # One process (the machine is shared); the first corpus folder receives the new inputs.
    "$build/fuzz/fuzz_$h" "${limit[@]}" -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=10 \
        -print_final_stats=1 -artifact_prefix="$build/artifacts/$h/" "${corpora[@]}" >"$log" 2>&1 || status=$?
    grep -E '^#[0-9]+ *DONE|^Done [0-9]+ runs|stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb' "$log" | sed 's/^/   /' || true
    if [ "$status" -ne 0 ]; then
        failed+=("$h")
        echo "   FOUND A PROBLEM (exit $status): $(grep -m1 -E 'ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer)|runtime error|SUMMARY' "$log" || echo 'see the log')"
        echo "   reproducer(s): $(ls "$build/artifacts/$h" | tr '\n' ' ')"
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz.sh: findings in: ${failed[*]} (minimise with: $build/fuzz/fuzz_<harness> -minimize_crash=1 -runs=10000 <reproducer>;" \
         "save it under tests/fuzz/regressions/<harness>/)" >&2
    exit 1
fi
echo "fuzz.sh: all ${#harnesses[@]} harnesses ran clean"
