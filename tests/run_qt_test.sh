#!/usr/bin/env bash
# Runs one Qt Test executable for CTest and passes its output and exit status through, except that a run
# which passed while some test function called QSKIP exits with 77, CTest's SKIP_RETURN_CODE: the test
# then shows as "Skipped", not "Passed". A failure (non-zero status, e.g. a sanitizer report at exit)
# always stays a failure.
#   run_qt_test.sh EXECUTABLE [ARGUMENTS...]
set -uo pipefail
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if [ "$status" -eq 0 ] && grep -Eq '^Totals: [0-9]+ passed, 0 failed, [1-9][0-9]* skipped' "$log"; then
    exit 77
fi
exit "$status"
