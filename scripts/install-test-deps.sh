#!/usr/bin/env bash
# Debian packages the tests use: nmap's database (read at run time, never shipped) and the real daemons
# listed in scripts/daemon-packages.txt. Idempotent: installs only what is missing. Run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
packages=(nmap nmap-common)
if [ -f scripts/daemon-packages.txt ]; then
    mapfile -t extra < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' scripts/daemon-packages.txt | grep -v '^$')
    packages+=("${extra[@]}")
fi
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}" >&2
    apt-get update -qq
    # policy-rc.d keeps apt from starting the daemons on their standard ports; the tests start their own
    # (scripts/daemons.sh). An existing policy-rc.d is kept and put back afterwards.
    saved=""
    if [ -e /usr/sbin/policy-rc.d ]; then
        saved="$(mktemp)"
        cp -p /usr/sbin/policy-rc.d "$saved"
    fi
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    status=0
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || status=$?
    if [ -n "$saved" ]; then mv "$saved" /usr/sbin/policy-rc.d; else rm -f /usr/sbin/policy-rc.d; fi
    [ "$status" = 0 ] || exit "$status"
fi

# Packages that conflict with an installed one are unpacked beside the system, not installed (the list says why).
UNPACKED=/opt/swift-amap-daemons
if [ -f scripts/daemon-unpack-packages.txt ]; then
    mapfile -t unpack < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' scripts/daemon-unpack-packages.txt | grep -v '^$')
    for p in "${unpack[@]}"; do
        [ -f "$UNPACKED/$p/.unpacked" ] && continue
        work="$(mktemp -d)"
        if ! (cd "$work" && apt-get download -qq "$p" 2>/dev/null); then
            apt-get update -qq
            (cd "$work" && apt-get download -qq "$p")
        fi
        rm -rf "${UNPACKED:?}/$p"
        mkdir -p "$UNPACKED/$p"
        dpkg -x "$work"/"$p"_*.deb "$UNPACKED/$p"
        touch "$UNPACKED/$p/.unpacked"
        rm -rf "$work"
        echo "unpacked $p into $UNPACKED/$p" >&2
    done
fi
