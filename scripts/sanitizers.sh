#!/usr/bin/env bash
# Runs the engine and parser suites under AddressSanitizer and ThreadSanitizer (CI runs this after the plain suite).
#
#   scripts/sanitizers.sh [address|thread ...]   (default: both, one after the other)
#
# Each sanitizer builds into its own scratch path (.build-asan, .build-tsan): a full build of the package and its
# dependencies, about 4 to 7 minutes each on 2 cores.
#
# Which tests: the suites where memory and threads are this project's own (the engine and its handlers, the hostile
# peers, the loaders, matchers and importers, the formatters, the in-process command line), by default. The daemon
# end-to-end suites (AmapEndToEndTests, AmapKitTests) run in the plain phase only: under a sanitizer they cost a third
# of CI's time and check the same engine code through a subprocess. SANITIZER_FILTER narrows or widens the choice (a
# `swift test --filter` pattern); when it names a daemon suite, the real daemons are started as scripts/test.sh does.
# The hostile and interrupt tests run the `amap` binary of the same build, so the scanner process is checked too: a
# sanitizer report in it makes it exit 66 (TSan) or 1 (ASan) and the test fails with its stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
kinds=("$@"); [ ${#kinds[@]} -eq 0 ] && kinds=(address thread)
suites="${SANITIZER_FILTER:-^(AmapEngineTests|AmapHostileTests|AmapSignaturesTests|AmapTargetsTests|AmapReportTests|AmapCommandTests)\.}"
filter=(--filter "$suites")

case "$suites" in
    *AmapEndToEndTests*|*AmapKitTests*)
        if [ "$(id -u)" = 0 ] && [ -x scripts/daemons.sh ] && bash scripts/daemons.sh start; then
            export AMAP_REQUIRE_DAEMONS=1
            trap 'bash scripts/daemons.sh stop || true' EXIT
        fi
        ;;
esac

# halt_on_error: the first report ends the process (the test run, or the amap child) with a failure.
# LeakSanitizer is off: the Swift runtime's and Foundation's one-time allocations are reported as leaks at exit, which
# says nothing about this code; use-after-free, overflows and double frees are what ASan is run for here.
# scripts/tsan-suppressions.txt holds the one known false positive of the Swift runtime (see the file); an absolute
# path, because the amap children of the end-to-end tests inherit the variable and run in other directories.
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$PWD/scripts/tsan-suppressions.txt"
export ASAN_OPTIONS="detect_leaks=0 halt_on_error=1"

status=0
for kind in "${kinds[@]}"; do
    case "$kind" in
        thread) scratch=.build-tsan ;;
        address) scratch=.build-asan ;;
        *) echo "unknown sanitizer '$kind': use thread or address" >&2; exit 64 ;;
    esac
    echo "sanitizers: $kind (scratch $scratch, tests matching '$suites')" >&2
    start=$(date +%s)
    if ! swift build --build-tests --sanitize="$kind" --scratch-path "$scratch"; then
        echo "sanitizers: $kind build FAILED after $(( $(date +%s) - start )) s" >&2
        status=1
        continue
    fi
    built=$(date +%s)
    export AMAP_SANITIZER=$kind  # peak-RSS bounds are not asserted under a sanitizer (shadow memory, quarantine)
    # Serial for the same reason as scripts/test.sh: the timing tests need the CPU the floods would take.
    if swift test --skip-build --sanitize="$kind" --scratch-path "$scratch" --no-parallel "${filter[@]}"; then
        echo "sanitizers: $kind passed: build $(( built - start )) s, tests $(( $(date +%s) - built )) s" >&2
    else
        echo "sanitizers: $kind FAILED: build $(( built - start )) s, tests $(( $(date +%s) - built )) s" >&2
        status=1
    fi
done
exit $status
