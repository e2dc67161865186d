#!/usr/bin/env python3
"""nmap -sV against amap --nmap on the daemon suite's loopback ports (scripts/daemon-ports.tsv, 127.0.0.1 rows).

Runs `nmap -sV` (TCP connect scan and, as root, UDP) and `amap --nmap --json` (TCP, then -u for UDP) on the same
ports with the same nmap-service-probes, and prints one line per port. Fails (exit 1) on every port where nmap
names a service and amap names another one or none. nmap's `unknown`, `tcpwrapped` and port-table guesses
(method=table) name nothing, so amap is free there.

A port that disagrees is scanned again by both tools, that port alone (`--reruns`, default 1): a server that takes
one client at a time (iperf3) answers a probe only when no other connection holds it, so its answer depends on
what else was being scanned. The port fails only if the tools disagree on every rerun too; each rerun is printed.

Usage: python3 scripts/nmap-differential.py [--amap PATH] [--out DIR] [--reuse-nmap] [--reruns N]
Needs the daemons up (scripts/daemons.sh start), nmap installed; sends traffic to 127.0.0.1 only.
"""
import argparse
import json
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TABLE = os.path.join(ROOT, "scripts", "daemon-ports.tsv")


def daemon_ports():
    ports = {"tcp": set(), "udp": set()}
    with open(TABLE) as handle:
        header = handle.readline().rstrip("\n").split("\t")
        for line in handle:
            row = dict(zip(header, line.rstrip("\n").split("\t")))
            if row.get("address") == "127.0.0.1" and row.get("state") != "closed":
                ports[row["proto"]].add(int(row["port"]))
    return {proto: sorted(values) for proto, values in ports.items()}


def nmap_names(path):
    names = {}
    for port in ET.parse(path).getroot().iter("port"):
        key = (port.get("protocol"), int(port.get("portid")))
        service = port.find("service")
        if service is None or service.get("name") in (None, "unknown", "tcpwrapped") \
                or service.get("method") == "table":
            names[key] = None
        else:
            names[key] = ("ssl/" if service.get("tunnel") == "ssl" else "") + service.get("name")
    return names


def amap_names(path, proto):
    names = {}
    with open(path) as handle:
        for line in handle:
            if not line.strip():
                continue
            record = json.loads(line)
            service = record.get("service")
            names[(proto, record["port"])] = (
                ("ssl/" if record.get("tunnel") == "ssl" else "") + service) if service else None
    return names


def run(command, stdout_path):
    start = time.monotonic()
    with open(stdout_path, "w") as out:
        subprocess.run(command, stdout=out, stderr=subprocess.DEVNULL, check=False)
    return time.monotonic() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--amap", default=os.environ.get("AMAP_BINARY", os.path.join(ROOT, ".build/debug/amap")))
    parser.add_argument("--out", default=os.path.join(os.environ.get("TMPDIR", "/tmp"), "amap-nmap-differential"))
    parser.add_argument("--reuse-nmap", action="store_true", help="keep nmap's XML from an earlier run in --out")
    parser.add_argument("--reruns", type=int, default=1, help="rescans of a disagreeing port alone, both tools")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    ports = daemon_ports()
    udp = ports["udp"] if os.geteuid() == 0 else []

    xml = os.path.join(args.out, "nmap.xml")
    if not (args.reuse_nmap and os.path.exists(xml) and os.path.getsize(xml) > 0):
        spec = "T:" + ",".join(map(str, ports["tcp"])) + ("".join([",U:", ",".join(map(str, udp))]) if udp else "")
        scans = ["-sT"] + (["-sU"] if udp else [])
        seconds = run(["nmap", "-sV", "-Pn", "-n", *scans, "-p", spec, "-oX", xml, "127.0.0.1"], os.devnull)
        print(f"nmap -sV: {seconds:.1f} s", file=sys.stderr)
    expected = nmap_names(xml)

    got = {}
    tcp_out = os.path.join(args.out, "amap-tcp.jsonl")
    seconds = run([args.amap, "--nmap", "--json", "127.0.0.1", *map(str, ports["tcp"])], tcp_out)
    print(f"amap --nmap (TCP): {seconds:.1f} s", file=sys.stderr)
    got.update(amap_names(tcp_out, "tcp"))
    if udp:
        udp_out = os.path.join(args.out, "amap-udp.jsonl")
        seconds = run([args.amap, "--nmap", "-u", "--json", "127.0.0.1", *map(str, udp)], udp_out)
        print(f"amap --nmap (UDP): {seconds:.1f} s", file=sys.stderr)
        got.update(amap_names(udp_out, "udp"))

    disagreements = 0
    for key in sorted(set(expected) | set(got)):
        nmap_says, amap_says = expected.get(key), got.get(key)
        verdict = "ok"
        if nmap_says is not None and amap_says != nmap_says:
            verdict = "DISAGREE"
            for attempt in range(1, args.reruns + 1):
                nmap_says, amap_says = rescan_alone(key, args, attempt)
                agrees = nmap_says is None or amap_says == nmap_says
                print(f"  rerun {attempt} of {key[0]} {key[1]} alone: nmap {nmap_says or '-'}, amap {amap_says or '-'}"
                      f"{' (agree)' if agrees else ''}", file=sys.stderr)
                if agrees:
                    verdict = f"ok on rerun {attempt}"
                    break
            if verdict == "DISAGREE":
                disagreements += 1
        print(f"{key[0]:<4} {key[1]:<6} nmap {nmap_says or '-':<16} amap {amap_says or '-':<16} {verdict}")
    print(f"{disagreements} disagreement(s) on {len(expected)} ports nmap reported")
    return 1 if disagreements else 0


def rescan_alone(key, args, attempt):
    """Both tools on one port alone; returns (nmap's name, amap's name)."""
    proto, port = key
    xml = os.path.join(args.out, f"rerun-{proto}-{port}-{attempt}.xml")
    scan = "-sU" if proto == "udp" else "-sT"
    run(["nmap", "-sV", "-Pn", "-n", scan, "-p", str(port), "-oX", xml, "127.0.0.1"], os.devnull)
    out = os.path.join(args.out, f"rerun-{proto}-{port}-{attempt}.jsonl")
    run([args.amap, "--nmap", "--json"] + (["-u"] if proto == "udp" else []) + ["127.0.0.1", str(port)], out)
    return nmap_names(xml).get(key), amap_names(out, proto).get(key)


if __name__ == "__main__":
    sys.exit(main())
