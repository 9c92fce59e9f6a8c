#!/usr/bin/env bash
# Runs the tests under the sanitizers, each in a build folder of its own:
#   address  the whole test suite under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan)
#   thread   the thread pool, session, classifier and worker tests under ThreadSanitizer (build-tsan)
# Usage: tools/sanitize.sh [address|thread]...   (default: both). Extra ctest arguments go in CTEST_ARGS.
# Any sanitizer report fails its test (halt_on_error); suppressions are in tools/sanitizers/, with reasons.
# Exits non-zero when a build or a test failed.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
read -ra ctest_args <<< "${CTEST_ARGS:-}"
shared_dir=${LEVIT_SHARED_DIR:-$(cd .. && pwd)/shared}
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
# The tests ThreadSanitizer runs: those that start threads of ours (pool, sessions, Qt workers, loaders).
tsan_tests='core_test_thread_pool|ui_test_pool_task|core_test_training_parts|core_test_model_golden$|session|classifier|worker|image_loader|folder_loading|results_table|window_states|explain_view|ui_test_live_throughput|ui_test_main_window'

configure() {  # build folder, sanitizer
    cmake -S . -B "$1" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLEVIT_NATIVE=ON -DLEVIT_SANITIZE="$2" \
          -DLEVIT_SHARED_DIR="$shared_dir" "${launcher[@]}" >/dev/null
}

run_address() {
    configure build-asan address
    cmake --build build-asan -j"$jobs"
    ctest --test-dir build-asan --output-on-failure -j"$jobs" "${ctest_args[@]}"
}

run_thread() {
    configure build-tsan thread
    # Build only what the selected tests need: their executables (a test name without a variant suffix
    # is its target) plus the programs the app tests drive.
    mapfile -t targets < <(ctest --test-dir build-tsan -N -R "$tsan_tests" |
        sed -n 's/^ *Test *#[0-9]*: \([A-Za-z0-9_]*\)$/\1/p')
    if [ ${#targets[@]} -eq 0 ]; then
        echo "sanitize.sh: no test matches '$tsan_tests'" >&2
        return 1
    fi
    cmake --build build-tsan -j"$jobs" --target "${targets[@]}"
    ctest --test-dir build-tsan --output-on-failure -j"$jobs" -R "$tsan_tests" "${ctest_args[@]}"
}

kinds=("$@")
[ ${#kinds[@]} -eq 0 ] && kinds=(address thread)
status=0
for kind in "${kinds[@]}"; do
    start=$(date +%s)
    case "$kind" in
        address) run_address || status=1 ;;
        thread) run_thread || status=1 ;;
        *) echo "sanitize.sh: unknown sanitizer '$kind' (address or thread)" >&2; exit 2 ;;
    esac
    echo "sanitize.sh: $kind: $(( $(date +%s) - start )) s"
done
exit "$status"
