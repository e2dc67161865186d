#!/usr/bin/env bash
# Debian packages the tests use: nmap's database (read at run time, never shipped) and the real daemons.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
packages=(nmap nmap-common)
if [ -f scripts/daemon-packages.txt ]; then
    mapfile -t extra < <(grep -v '^#' scripts/daemon-packages.txt | grep -v '^$')
    packages+=("${extra[@]}")
fi
missing=()
for p in "${packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq
    # policy-rc.d keeps apt from starting the daemons on their standard ports; the tests start their own.
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    rm -f /usr/sbin/policy-rc.d
fi
