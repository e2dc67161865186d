#!/usr/bin/env bash
# Runs nmap -sV against the test daemons (loopback only) and writes our own captured reference output:
#   docs/reference/nmap-sV-daemons.txt   nmap's normal output of each run, with its wall time noted on top
#   docs/reference/nmap-sV-daemons.xml   the TCP IPv4 run as nmap XML (product/version fields, machine-readable)
# Needs the daemons running (bash scripts/daemons.sh start) and root (for -sU). Takes about 3-5 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
TABLE=scripts/daemon-ports.tsv
OUT=docs/reference
mkdir -p "$OUT"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

ports() { # ports of rows matching address $1 and proto $2, comma-separated
    awk -F'\t' -v a="$1" -v p="$2" 'NR > 1 && $2 == a && $4 == p { print $3 }' "$TABLE" | sort -un | paste -sd, -
}
tcp4="$(ports 127.0.0.1 tcp)"
tcp6="$(ports ::1 tcp)"
udp4="$(ports 127.0.0.1 udp)"
udp6="$(ports ::1 udp)"

run() { # run NAME ARGS...: nmap with ARGS, normal output to $tmp/NAME.txt, wall time to $tmp/NAME.secs
    local name="$1"
    shift
    local start end
    start="$(date +%s.%N)"
    nmap "$@" -oN "$tmp/$name.txt" >/dev/null
    end="$(date +%s.%N)"
    echo "$start $end" | awk '{ printf "%.1f", $2 - $1 }' >"$tmp/$name.secs"
    echo "$name: $(cat "$tmp/$name.secs") s" >&2
}

run tcp4 -sV -Pn -n -p "$tcp4" -oX "$tmp/tcp4.xml" 127.0.0.1
run tcp6 -6 -sV -Pn -n -p "$tcp6" ::1
run udp4 -sU -sV -Pn -n -p "$udp4" 127.0.0.1
run udp6 -6 -sU -sV -Pn -n -p "$udp6" ::1

{
    echo "# nmap -sV against the swift-amap test daemons (scripts/daemons.sh), captured by scripts/nmap-reference.sh"
    echo "# $(nmap --version | head -n1); Debian $(cat /etc/debian_version); $(nproc) cores; $(date -u +%Y-%m-%d)"
    echo "# Wall time of each nmap run (date before/after):"
    echo "#   TCP IPv4  nmap -sV -Pn -n -p $tcp4 127.0.0.1            $(cat "$tmp/tcp4.secs") s"
    echo "#   TCP IPv6  nmap -6 -sV -Pn -n -p $tcp6 ::1               $(cat "$tmp/tcp6.secs") s"
    echo "#   UDP IPv4  nmap -sU -sV -Pn -n -p $udp4 127.0.0.1        $(cat "$tmp/udp4.secs") s"
    echo "#   UDP IPv6  nmap -6 -sU -sV -Pn -n -p $udp6 ::1           $(cat "$tmp/udp6.secs") s"
    for name in tcp4 tcp6 udp4 udp6; do
        echo
        echo "######## $name"
        cat "$tmp/$name.txt"
    done
} >"$OUT/nmap-sV-daemons.txt"
cp "$tmp/tcp4.xml" "$OUT/nmap-sV-daemons.xml"
echo "wrote $OUT/nmap-sV-daemons.txt and $OUT/nmap-sV-daemons.xml" >&2
