#!/usr/bin/env bash
# nmap's verdicts with nmap's database, checked against nmap itself (issue 11): starts the daemon suite, runs
# scripts/nmap-differential.py (nmap -sV and `amap --nmap` on the same loopback ports, TCP and, as root, UDP) with
# the debug build, and stops the daemons. Fails on every port where nmap names a service and amap names another
# one or none. About 5 minutes on 2 cores; traffic goes to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product amap
bash scripts/daemons.sh start
trap 'bash scripts/daemons.sh stop || true' EXIT
python3 scripts/nmap-differential.py --amap "$(swift build --show-bin-path)/amap" "$@"
