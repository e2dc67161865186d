#!/usr/bin/env python3
"""Scores amap (JSON Lines) and nmap (-oX) results against a truth table and prints the benchmark figures.

Truth table: TSV with columns port, expected ("ssh", "ssl/http", "closed", "-" for a port nobody can name).
A port counts as identified when the tool names the expected service (with the ssl/ tunnel when expected).
"""
import argparse
import json
import re
import sys
import xml.etree.ElementTree as ET


def read_truth(path, port_column, expected_column, only_ports=None):
    truth = {}
    with open(path) as handle:
        header = handle.readline().rstrip("\n").split("\t")
        pi, ei = header.index(port_column), header.index(expected_column)
        extra = {name: header.index(name) for name in ("address", "proto") if name in header}
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue  # the daemon table's comment lines
            cells = line.rstrip("\n").split("\t")
            if "address" in extra and cells[extra["address"]] != "127.0.0.1":
                continue
            if "proto" in extra and cells[extra["proto"]] != "tcp":
                continue
            port = int(cells[pi])
            if only_ports is not None and port not in only_ports:
                continue
            expected = cells[ei] or "-"
            if "state" in header and cells[header.index("state")] == "closed":
                expected = "closed"
            truth[port] = expected
    return truth


def amap_names(path):
    names = {}
    with open(path) as handle:
        for line in handle:
            line = line.strip()
            if not line:
                continue
            record = json.loads(line)
            if record["state"] == "closed":
                names[record["port"]] = "closed"
            elif record["service"]:
                # A soft match names the service as nmap's report does (nmap prints soft matches as the service).
                names[record["port"]] = ("ssl/" if record["tunnel"] == "ssl" else "") + record["service"]
            else:
                names[record["port"]] = "-"
    return names


def nmap_names(path):
    names = {}
    root = ET.parse(path).getroot()
    for port in root.iter("port"):
        number = int(port.get("portid"))
        state = port.find("state").get("state")
        service = port.find("service")
        if state == "closed":
            names[number] = "closed"
        elif service is None or service.get("name") in (None, "unknown", "tcpwrapped") or (
                service.get("method") == "table"):
            names[number] = "-"
        else:
            names[number] = ("ssl/" if service.get("tunnel") == "ssl" else "") + service.get("name")
    return names


def time_figures(path):
    text = open(path).read()
    def grab(label):
        match = re.search(r"^\s*" + re.escape(label) + r"[^:]*:\s*(\S+)", text, re.M)
        return match.group(1) if match else None
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\):\s*(\S+)", text).group(1)
    seconds = 0.0
    for part in wall.split(":"):
        seconds = seconds * 60 + float(part)
    return {"wall": seconds, "cpu": float(grab("User time")) + float(grab("System time")),
            "rss_mb": int(grab("Maximum resident set size")) / 1024}


def correct(name, expected):
    if expected == "-":
        return False
    return name == expected


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--title", required=True)
    parser.add_argument("--truth", required=True)
    parser.add_argument("--port-column", default="port")
    parser.add_argument("--expected-column", default="expected")
    parser.add_argument("--amap", required=True)
    parser.add_argument("--amap-time", required=True)
    parser.add_argument("--nmap", required=True)
    parser.add_argument("--nmap-time", required=True)
    parser.add_argument("--nmap-sample", help="file with the ports nmap scanned, when it scanned a sample")
    args = parser.parse_args()

    truth = read_truth(args.truth, args.port_column, args.expected_column)
    amap, nmap = amap_names(args.amap), nmap_names(args.nmap)
    sample = None
    if args.nmap_sample:
        sample = {int(p) for p in open(args.nmap_sample).read().split(",") if p.strip()}
    at, nt = time_figures(args.amap_time), time_figures(args.nmap_time)
    nmap_ports = sample if sample is not None else set(truth)
    nameable = [p for p in truth if truth[p] != "-"]
    amap_ok = [p for p in nameable if correct(amap.get(p), truth[p])]
    nmap_ok = [p for p in nameable if p in nmap_ports and correct(nmap.get(p), truth[p])]
    amap_on_sample = [p for p in amap_ok if p in nmap_ports]
    nameable_sample = [p for p in nameable if p in nmap_ports]
    missed = sorted(p for p in nmap_ok if p not in amap_ok)

    amap_rate = len(truth) / at["wall"]
    nmap_rate = len(nmap_ports) / nt["wall"]
    print(f"== {args.title}")
    print(f"   ports: {len(truth)} ({len(nameable)} nameable: open and answering or closed)")
    print(f"   {'tool':<10}{'ports':>7}{'wall s':>10}{'ports/s':>10}{'identified':>16}{'CPU s':>9}{'peak RSS MB':>13}")
    print(f"   {'swift-amap':<10}{len(truth):>7}{at['wall']:>10.1f}{amap_rate:>10.1f}"
          f"{f'{len(amap_ok)}/{len(nameable)}':>16}{at['cpu']:>9.1f}{at['rss_mb']:>13.0f}")
    label = "nmap -sV" + ("*" if sample is not None else "")
    print(f"   {label:<10}{len(nmap_ports):>7}{nt['wall']:>10.1f}{nmap_rate:>10.2f}"
          f"{f'{len(nmap_ok)}/{len(nameable_sample)}':>16}{nt['cpu']:>9.1f}{nt['rss_mb']:>13.0f}")
    if sample is not None:
        print(f"   * nmap scanned a deterministic random sample of {len(nmap_ports)} of the {len(truth)} ports; its "
              f"ports/s is extrapolated to the farm. swift-amap on the same sample: "
              f"{len(amap_on_sample)}/{len(nameable_sample)} identified.")
        print(f"   throughput ratio (ports/s, amap / nmap): {amap_rate / nmap_rate:.1f}x")
    else:
        print(f"   wall-time ratio (amap / nmap): {100 * at['wall'] / nt['wall']:.1f} % "
              f"({nt['wall'] / at['wall']:.1f}x faster)")
    print(f"   CPU ratio (amap / nmap, per port): "
          f"{(at['cpu'] / len(truth)) / max(1e-9, nt['cpu'] / len(nmap_ports)):.2f}")
    print(f"   ports nmap named correctly and swift-amap did not: {missed if missed else 'none'}")
    for port in missed:
        print(f"     {port}: expected {truth[port]}, nmap {nmap.get(port)}, amap {amap.get(port)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
