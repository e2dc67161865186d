#!/usr/bin/env bash
# Builds one libFuzzer target per parser (Fuzz/Targets/*.swift) and runs them.
#
#   scripts/fuzz.sh --build                build only, into .build-fuzz/
#   scripts/fuzz.sh --short [TARGET...]    20 s per target (CI): replays Fuzz/corpus/<target>/ first
#   scripts/fuzz.sh --runs N [TARGET...]   N inputs per target, one target at a time
#   scripts/fuzz.sh --time S [TARGET...]   S seconds per target
#
# The modules are compiled straight from Sources/ with swiftc (-sanitize=fuzzer,address), so the main Package.swift
# carries no unsafe flags. New interesting inputs go to .build-fuzz/corpus/<target>/ (scratch); crashes to
# .build-fuzz/crashes/<target>/. Copy a crash input into Fuzz/corpus/<target>/ once it is fixed, as a regression case.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/.build-fuzz
targets_all=(appdefs serviceprobes templates targetspecs importers tlssniffer starttls)
mode=short; amount=20
case "${1:-}" in
    --build) mode=build; shift ;;
    --short) mode=time; amount=20; shift ;;
    --runs) mode=runs; amount=$2; shift 2 ;;
    --time) mode=time; amount=$2; shift 2 ;;
    "") mode=time ;;
    *) echo "usage: $0 [--build | --short | --runs N | --time S] [TARGET...]" >&2; exit 64 ;;
esac
targets=("$@"); [ ${#targets[@]} -eq 0 ] && targets=("${targets_all[@]}")
mkdir -p "$out/modules"
flags=(-parse-as-library -O -g -sanitize=fuzzer,address -swift-version 6)

# A module is rebuilt when one of its sources is newer than its library; AmapModel first, as the others import it.
build_module() { # name, sources dir, extra files...
    local name=$1 dir=$2; shift 2
    local lib=$out/modules/lib$name.a
    if [ -f "$lib" ] && [ -z "$(find "$dir" "$@" -newer "$lib" -name '*.swift' | head -1)" ]; then return; fi
    echo "fuzz: compiling $name" >&2
    swiftc "${flags[@]}" -module-name "$name" -I "$out/modules" -emit-module -emit-module-path "$out/modules/$name.swiftmodule" \
        -emit-library -static -o "$lib" $(find "$dir" -name '*.swift' | sort) "$@" 2>&1 | grep -v 'Cannot export local symbol' >&2 || true
    [ -f "$lib" ] || { echo "fuzz: $name did not compile" >&2; exit 1; }
}
build_module AmapModel Sources/AmapModel
build_module AmapSignatures Sources/AmapSignatures Fuzz/Support/BundleModule.swift
build_module AmapTargets Sources/AmapTargets

build_target() {
    local target=$1 exe=$out/bin/$1
    mkdir -p "$out/bin"
    local extra=()
    # The TLS recogniser lives in the NIO engine module but is pure: compile its one file into the target.
    [ "$target" = tlssniffer ] && extra=(Sources/AmapEngine/TLS/TLSRecordSniffer.swift)
    # The upgrade dialogues and the ServerHello reader are pure too (no NIO import): their files only.
    [ "$target" = starttls ] && extra=(Sources/AmapEngine/StartTLS/StartTLSProtocol.swift
        Sources/AmapEngine/StartTLS/StartTLSDialogue.swift Sources/AmapEngine/StartTLS/TextReply.swift
        Sources/AmapEngine/StartTLS/BinaryUpgradeMessages.swift Sources/AmapEngine/TLS/ServerHelloCipher.swift)
    if [ -f "$exe" ] && [ -z "$(find Fuzz/Targets/$target.swift "${extra[@]}" "$out/modules" -newer "$exe" | head -1)" ]; then
        return
    fi
    echo "fuzz: linking $target" >&2
    swiftc -parse-as-library -O -g -sanitize=fuzzer,address -swift-version 6 -module-name "Fuzz_$target" \
        -I "$out/modules" "Fuzz/Targets/$target.swift" "${extra[@]}" \
        "$out/modules/libAmapTargets.a" "$out/modules/libAmapSignatures.a" "$out/modules/libAmapModel.a" -o "$exe" 2>&1 \
        | grep -v 'Cannot export local symbol' >&2 || true
    [ -x "$exe" ] || { echo "fuzz: $target did not link" >&2; exit 1; }
}

status=0
for target in "${targets[@]}"; do
    build_target "$target"
    [ "$mode" = build ] && continue
    mkdir -p "$out/corpus/$target" "$out/crashes/$target" "Fuzz/corpus/$target"
    limit=(-max_total_time="$amount"); [ "$mode" = runs ] && limit=(-runs="$amount")
    dict=(); [ -f "Fuzz/dictionaries/$target.dict" ] && dict=(-dict="Fuzz/dictionaries/$target.dict")
    echo "fuzz: running $target (${limit[*]})" >&2
    start=$(date +%s)
    if ! "$out/bin/$target" "${limit[@]}" "${dict[@]}" -max_len=4096 -rss_limit_mb=2048 -timeout=10 \
        -print_final_stats=1 -artifact_prefix="$out/crashes/$target/" \
        "$out/corpus/$target" "Fuzz/corpus/$target" > "$out/$target.log" 2>&1; then
        echo "fuzz: $target FAILED, see $out/$target.log and $out/crashes/$target/" >&2
        status=1
    fi
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$out/$target.log" | grep -o '[0-9]*$' || echo '?')
    echo "fuzz: $target: $execs inputs in $(( $(date +%s) - start )) s" >&2
done
exit $status
