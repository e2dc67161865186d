#!/usr/bin/env bash
# swift-amap vs nmap -sV, in one run, on loopback only:
#   (a) the real-daemon suite (127.0.0.1 TCP ports of scripts/daemon-ports.tsv; start them with scripts/daemons.sh),
#   (b) a generated farm of FARM_COUNT ports (Benchmarks/farm.py): banner-first, client-first HTTP, TLS, silent,
#       closed. nmap scans a deterministic random sample of NMAP_SAMPLE farm ports (it would take hours on all);
#       its throughput is extrapolated from the sample and labelled so.
# Prints wall time, ports identified, peak RSS, CPU seconds and the ratios; raw outputs go to $OUT. Also times
# swift-amap alone on the suite's UDP ports (built-in and nmap's database) and TCP ports (built-in database).
#
# Environment: SKIP_BUILD=1 reuses the release binary; SKIP_DAEMONS=1 / SKIP_FARM=1 skip a part; REUSE_NMAP=1
# keeps nmap's results from an earlier run in $OUT when they exist (nmap's figures do not depend on amap's build);
# FARM_COUNT (2000), FARM_BASE (20000), NMAP_SAMPLE (200), SEED (5), OUT (/tmp/amap-benchmark).
set -euo pipefail
cd "$(dirname "$0")/.."

SCRATCH=${SCRATCH:-.build-release}
FARM_COUNT=${FARM_COUNT:-2000}
FARM_BASE=${FARM_BASE:-20000}
NMAP_SAMPLE=${NMAP_SAMPLE:-200}
SEED=${SEED:-5}
OUT=${OUT:-${TMPDIR:-/tmp}/amap-benchmark}
AMAP="$SCRATCH/release/amap"
mkdir -p "$OUT"

command -v nmap >/dev/null || { echo "benchmark: nmap is not installed (apt-get install nmap)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "benchmark: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    echo "building the release binary (once; several minutes on 2 cores)…"
    swift build -c release --product amap --scratch-path "$SCRATCH" >"$OUT/build.log" 2>&1 \
        || { tail -20 "$OUT/build.log"; exit 1; }
fi
[ -x "$AMAP" ] || { echo "benchmark: $AMAP not found; run without SKIP_BUILD" >&2; exit 2; }

# The open-file limit matters to both tools and to the farm: raise the soft limit to the hard one.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "machine: $(nproc) cores, $(uname -sr), RLIMIT_NOFILE soft $(ulimit -n); loopback only"
echo "nmap: $(nmap --version | head -1)"

measure() { # measure NAME COMMAND... : stdout to $OUT/NAME.out, /usr/bin/time -v to $OUT/NAME.time
    local name=$1; shift
    /usr/bin/time -v -o "$OUT/$name.time" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" || true
}

if [ "${SKIP_DAEMONS:-0}" != 1 ]; then
    ports=$(awk -F'\t' 'NR>1 && $2=="127.0.0.1" && $4=="tcp" {print $3}' scripts/daemon-ports.tsv | sort -un)
    reachable=0
    for p in $ports; do (exec 3<>/dev/tcp/127.0.0.1/"$p") 2>/dev/null && reachable=$((reachable + 1)); done
    if [ "$reachable" -lt 5 ]; then
        echo "daemon suite: only $reachable ports answer; start scripts/daemons.sh first (skipped)"
    else
        list=$(echo $ports | tr ' ' ',')
        echo "daemon suite: $(echo $ports | wc -w) TCP ports on 127.0.0.1; running swift-amap, then nmap -sV (~3 min)…"
        measure daemons-amap "$AMAP" --nmap --json 127.0.0.1 $ports
        cp "$OUT/daemons-amap.out" "$OUT/daemons-amap.jsonl"
        [ "${REUSE_NMAP:-0}" = 1 ] && [ -s "$OUT/daemons-nmap.xml" ] && [ -s "$OUT/daemons-nmap.time" ] \
            || measure daemons-nmap nmap -sV -Pn -n -p "$list" -oX "$OUT/daemons-nmap.xml" 127.0.0.1
        python3 Benchmarks/score.py --title "real daemons (nmap's database for both)" \
            --truth scripts/daemon-ports.tsv --expected-column service \
            --amap "$OUT/daemons-amap.jsonl" --amap-time "$OUT/daemons-amap.time" \
            --nmap "$OUT/daemons-nmap.xml" --nmap-time "$OUT/daemons-nmap.time" | tee "$OUT/daemons.txt"
        # swift-amap alone (nmap's UDP figures need -sU as root and minutes): the suite's UDP ports with both
        # databases, and its TCP ports with the built-in database; wall time and ports named.
        udp=$(awk -F'\t' 'NR>1 && $2=="127.0.0.1" && $4=="udp" {print $3}' scripts/daemon-ports.tsv | sort -un)
        measure daemons-amap-udp-builtin "$AMAP" -u --json 127.0.0.1 $udp
        measure daemons-amap-udp-nmap "$AMAP" --nmap -u --json 127.0.0.1 $udp
        measure daemons-amap-tcp-builtin "$AMAP" --json 127.0.0.1 $ports
        for run in udp-builtin udp-nmap tcp-builtin; do
            python3 - "$OUT/daemons-amap-$run" "$run" <<'PY'
import json, sys
sys.path.insert(0, "Benchmarks")
from score import time_figures
base, run = sys.argv[1], sys.argv[2]
records = [json.loads(line) for line in open(base + ".out") if line.strip()]
named = [r for r in records if r.get("service")]
figures = time_figures(base + ".time")
print(f"swift-amap {run}: {len(records)} ports, {figures['wall']:.1f} s wall, {len(named)} named, "
      f"{figures['cpu']:.1f} s CPU, {figures['rss_mb']:.0f} MB peak RSS")
PY
        done | tee "$OUT/daemons-alone.txt"
    fi
fi

if [ "${SKIP_FARM:-0}" != 1 ]; then
    truth="$OUT/farm-truth.tsv"
    python3 Benchmarks/farm.py --base "$FARM_BASE" --count "$FARM_COUNT" --seed "$SEED" --truth "$truth" \
        >"$OUT/farm.log" 2>&1 &
    farm=$!
    trap 'kill $farm 2>/dev/null || true' EXIT
    for _ in $(seq 1 120); do grep -q ready "$OUT/farm.log" 2>/dev/null && break; sleep 0.5; done
    grep -q ready "$OUT/farm.log" || { echo "farm did not start:"; cat "$OUT/farm.log"; exit 1; }
    last=$((FARM_BASE + FARM_COUNT - 1))
    echo "farm: $FARM_COUNT ports $FARM_BASE-$last; running swift-amap on all of them…"
    measure farm-amap "$AMAP" --nmap --json 127.0.0.1 "$FARM_BASE-$last"
    cp "$OUT/farm-amap.out" "$OUT/farm-amap.jsonl"
    sample=$(python3 -c "import random,sys; r=random.Random($SEED); \
print(','.join(map(str, sorted(r.sample(range($FARM_BASE, $last + 1), min($NMAP_SAMPLE, $FARM_COUNT))))))")
    if [ "${REUSE_NMAP:-0}" = 1 ] && [ -s "$OUT/farm-nmap.xml" ] && [ -s "$OUT/farm-nmap.time" ] \
        && [ "$(cat "$OUT/farm-nmap-sample.txt" 2>/dev/null)" = "$sample" ]; then
        echo "farm: reusing nmap's results from $OUT"
    else
        echo "$sample" >"$OUT/farm-nmap-sample.txt"
        echo "farm: nmap -sV on a sample of $NMAP_SAMPLE ports (several minutes)…"
        measure farm-nmap nmap -sV -Pn -n -p "$sample" -oX "$OUT/farm-nmap.xml" 127.0.0.1
    fi
    python3 Benchmarks/score.py --title "generated farm, $FARM_COUNT loopback ports" --truth "$truth" \
        --amap "$OUT/farm-amap.jsonl" --amap-time "$OUT/farm-amap.time" \
        --nmap "$OUT/farm-nmap.xml" --nmap-time "$OUT/farm-nmap.time" \
        --nmap-sample "$OUT/farm-nmap-sample.txt" | tee "$OUT/farm.txt"
    kill $farm 2>/dev/null || true
fi
