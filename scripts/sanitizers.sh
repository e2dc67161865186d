#!/usr/bin/env bash
# Runs the engine and hostile-peer tests under ThreadSanitizer and AddressSanitizer.
#
#   scripts/sanitizers.sh [thread|address ...]   (default: both, one after the other)
#
# Each sanitizer builds into its own scratch path (.build-tsan, .build-asan): a full rebuild of the package and its
# dependencies, about 6-8 minutes each on 2 cores. Set SANITIZER_FILTER to change the test filter.
set -euo pipefail
cd "$(dirname "$0")/.."
filter=${SANITIZER_FILTER:-"AmapEngineTests|AmapHostileTests"}
kinds=("$@"); [ ${#kinds[@]} -eq 0 ] && kinds=(thread address)
status=0
for kind in "${kinds[@]}"; do
    case "$kind" in
        thread) scratch=.build-tsan ;;
        address) scratch=.build-asan ;;
        *) echo "unknown sanitizer '$kind': use thread or address" >&2; exit 64 ;;
    esac
    echo "sanitizers: $kind (scratch $scratch, filter '$filter')" >&2
    start=$(date +%s)
    # halt_on_error: the first report fails the run. TSan's second_deadlock_stack helps read lock-order reports.
    if TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" ASAN_OPTIONS="detect_leaks=0 halt_on_error=1" \
        swift test --sanitize="$kind" --scratch-path "$scratch" --filter "$filter"; then
        echo "sanitizers: $kind passed in $(( $(date +%s) - start )) s" >&2
    else
        echo "sanitizers: $kind FAILED after $(( $(date +%s) - start )) s" >&2
        status=1
    fi
done
exit $status
