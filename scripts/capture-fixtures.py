#!/usr/bin/env python3
"""Capture what the real test daemons send, as fixtures for the signature tests (stdlib only).

For every row of scripts/daemon-ports.tsv that the table marks open or silent, connect to its loopback
address only, record the banner (up to ~3 s of waiting) and the answers to a few requests written from the
protocols' specifications (see daemon_probes.py). Writes the raw bytes to
Tests/AmapSignaturesTests/Fixtures/daemons/<name>-<probe>.bin and a manifest.tsv describing each file:
file, daemon, probe, payload_hex (exactly what was sent), transport, package (Debian package=version),
then address, port, bytes (length of the answer) and mode.

Modes: banner (send nothing), send (send at once), after-banner (read the banner first, then send; only the
answer after sending is saved), tls-* (the same inside TLS, verification off; the saved bytes are the
plaintext from inside TLS), tls-handshake (the raw bytes the server answers to a TLS ClientHello).

usage: python3 scripts/capture-fixtures.py [--out DIR] [--only NAME,NAME]
Run `bash scripts/daemons.sh start` first.
"""

import os
import socket
import ssl
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import daemon_probes as dp  # noqa: E402  (sibling module, path set just above)

DEFAULT_OUT = os.path.join(os.path.dirname(HERE), "Tests", "AmapSignaturesTests", "Fixtures", "daemons")

HTTP_GET = b"GET / HTTP/1.0\r\n\r\n"

# The executable of each daemons.sh unit, to name the Debian package (and its version) that answered.
UNIT_BINARY = {
    "sshd": "/usr/sbin/sshd", "vsftpd": "/usr/sbin/vsftpd", "exim": "/usr/sbin/exim4",
    "nginx": "/usr/sbin/nginx", "apache2": "/usr/sbin/apache2", "dovecot": "/usr/sbin/dovecot",
    "redis": "/usr/bin/redis-server", "postgresql": None, "mariadb": "/usr/sbin/mariadbd",
    "slapd": "/usr/sbin/slapd", "dnsmasq": "/usr/sbin/dnsmasq", "snmpd": "/usr/sbin/snmpd",
    "memcached": "/usr/bin/memcached", "mosquitto": "/usr/sbin/mosquitto", "rsyncd": "/usr/bin/rsync",
    "ngircd": "/usr/sbin/ngircd", "lighttpd": "/usr/sbin/lighttpd", "squid": "/usr/sbin/squid",
    "prosody": "/usr/bin/prosody", "silent": "/usr/bin/python3",
}


def probes_for(row):
    """(probe name, mode, payload) triples for one table row."""
    name, service = row["name"], row["service"]
    if row["proto"] == "udp":
        if service == "domain":
            return [("dns-version-bind", "send", dp.dns_query("version.bind", dp.DNS_TYPE_TXT, dp.DNS_CLASS_CHAOS)),
                    ("dns-a", "send", dp.dns_query("www.amap.test", dp.DNS_TYPE_A, dp.DNS_CLASS_IN, 0x2345))]
        if service == "snmp":
            return [("snmp-v1-get-sysdescr", "send", dp.snmp_get(version=0)),
                    ("snmp-v2c-get-sysdescr", "send", dp.snmp_get(version=1, request_id=0x4D42))]
        return []
    probes = [("banner", "banner", b"")]
    if name.startswith("openssh"):
        probes.append(("ssh-ident", "after-banner", b"SSH-2.0-amap_fixture\r\n"))
        if name == "openssh-on-http-port":
            probes.append(("http-get", "send", HTTP_GET))
    elif name == "vsftpd":
        probes += [("ftp-syst", "after-banner", b"SYST\r\n"), ("ftp-feat", "after-banner", b"FEAT\r\n")]
    elif name.startswith("exim"):
        probes.append(("smtp-ehlo", "after-banner", b"EHLO fixture.amap.test\r\n"))
    elif name == "nginx-https":
        probes += [("http-get", "send", HTTP_GET),
                   ("tls-handshake", "tls-handshake", b""),
                   ("tls-http-get", "tls-send", HTTP_GET)]
    elif service in ("http", "http-proxy"):
        probes.append(("http-get", "send", HTTP_GET))
    elif name.startswith("dovecot-imaps"):
        probes += [("tls-banner", "tls-banner", b""),
                   ("tls-imap-capability", "tls-after-banner", b"a001 CAPABILITY\r\n")]
    elif name.startswith("dovecot-pop3s"):
        probes += [("tls-banner", "tls-banner", b""), ("tls-pop3-capa", "tls-after-banner", b"CAPA\r\n")]
    elif name.startswith("dovecot-imap"):
        probes.append(("imap-capability", "after-banner", b"a001 CAPABILITY\r\n"))
    elif name.startswith("dovecot-pop3"):
        probes.append(("pop3-capa", "after-banner", b"CAPA\r\n"))
    elif name.startswith("redis"):
        probes += [("resp-ping", "send", dp.resp_command("PING")),
                   ("resp-info-server", "send", dp.resp_command("INFO", "server")),
                   ("inline-ping", "send", b"PING\r\n"),
                   ("http-get", "send", HTTP_GET)]
    elif name == "postgresql":
        probes += [("pg-sslrequest", "send", dp.pg_ssl_request()),
                   ("pg-startup", "send", dp.pg_startup()),
                   ("pg-startup-unknown-user", "send", dp.pg_startup(user="amap_nobody", database="amap_nobody"))]
    elif name == "mariadb":
        probes.append(("http-get", "send", HTTP_GET))
    elif name.startswith("slapd"):
        probes += [("ldap-bind", "send", dp.ldap_anonymous_bind()),
                   ("ldap-search-rootdse", "send", dp.ldap_rootdse_search())]
    elif name == "dnsmasq-tcp":
        probes += [("dns-version-bind", "send",
                    dp.dns_over_tcp(dp.dns_query("version.bind", dp.DNS_TYPE_TXT, dp.DNS_CLASS_CHAOS))),
                   ("dns-a", "send", dp.dns_over_tcp(dp.dns_query("www.amap.test", dp.DNS_TYPE_A,
                                                                  dp.DNS_CLASS_IN, 0x2345)))]
    elif name == "memcached":
        probes += [("memcached-version", "send", b"version\r\n"), ("memcached-stats", "send", b"stats\r\n")]
    elif name == "mosquitto":
        probes.append(("mqtt-connect", "send", dp.mqtt_connect()))
    elif name == "rsyncd":
        probes.append(("rsync-list", "after-banner", b"@RSYNCD: 31.0\n#list\n"))
    elif name == "ngircd":
        probes.append(("irc-register", "send", b"NICK amapfx\r\nUSER amapfx 0 * :amap fixture\r\n"))
    elif name == "prosody-c2s":
        probes.append(("xmpp-stream", "send", dp.xmpp_stream_open()))
    elif name == "prosody-s2s":
        probes.append(("xmpp-stream", "send", dp.xmpp_stream_open(namespace="jabber:server")))
    elif name == "silent-tcp":
        probes.append(("http-get", "send", HTTP_GET))
    return probes


def plain_exchange(row, mode, payload):
    sock = dp.tcp_connect(row["address"], row["port"])
    try:
        if mode == "banner":
            return dp.read_until_idle(sock, first_wait=3.0, idle=1.0, total=6.0)
        if mode == "after-banner":
            dp.read_until_idle(sock, first_wait=3.0, idle=0.5, total=5.0)
        sock.sendall(payload)
        return dp.read_until_idle(sock, first_wait=3.0, idle=1.0, total=8.0)
    finally:
        sock.close()


def client_context():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def tls_exchange(row, mode, payload):
    """Plaintext from inside TLS (verification off)."""
    raw = dp.tcp_connect(row["address"], row["port"])
    with client_context().wrap_socket(raw, server_hostname="localhost") as sock:
        if mode == "tls-banner":
            return dp.read_until_idle(sock, first_wait=3.0, idle=1.0, total=6.0)
        if mode == "tls-after-banner":
            dp.read_until_idle(sock, first_wait=3.0, idle=0.5, total=5.0)
        sock.sendall(payload)
        return dp.read_until_idle(sock, first_wait=3.0, idle=1.0, total=8.0)


def tls_handshake_bytes(row):
    """(ClientHello sent, raw bytes the server answered) using a memory BIO, so both sides are on record."""
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = client_context().wrap_bio(incoming, outgoing, server_hostname="localhost")
    try:
        obj.do_handshake()
    except ssl.SSLWantReadError:
        pass
    hello = outgoing.read()
    sock = dp.tcp_connect(row["address"], row["port"])
    try:
        sock.sendall(hello)
        return hello, dp.read_until_idle(sock, first_wait=3.0, idle=1.0, total=6.0)
    finally:
        sock.close()


def udp_exchange(row, payload):
    reply = dp.udp_exchange(row["address"], row["port"], payload, timeout=3.0)
    return reply if isinstance(reply, bytes) else b""


def package_of(unit, cache={}):
    if unit in cache:
        return cache[unit]
    binary = UNIT_BINARY.get(unit)
    if unit == "postgresql":
        found = sorted(p for p in os.listdir("/usr/lib/postgresql") if p.isdigit())
        binary = f"/usr/lib/postgresql/{found[-1]}/bin/postgres" if found else None
    result = ""
    if binary:
        try:
            owner = subprocess.run(["dpkg", "-S", os.path.realpath(binary)], capture_output=True, text=True,
                                   check=True).stdout.split(":")[0].strip()
            version = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", owner], capture_output=True,
                                     text=True, check=True).stdout.strip()
            result = f"{owner}={version}"
        except (subprocess.CalledProcessError, OSError):
            result = ""
    cache[unit] = result
    return result


def main(argv):
    out, only = DEFAULT_OUT, None
    args = argv[1:]
    while args:
        if args[0] == "--out" and len(args) > 1:
            out, args = args[1], args[2:]
        elif args[0] == "--only" and len(args) > 1:
            only, args = set(args[1].split(",")), args[2:]
        else:
            print(__doc__, file=sys.stderr)
            return 2
    os.makedirs(out, exist_ok=True)
    manifest_path = os.path.join(out, "manifest.tsv")
    kept = {}
    if only and os.path.exists(manifest_path):
        with open(manifest_path, encoding="utf-8") as handle:
            for line in handle.read().splitlines()[1:]:
                kept[line.split("\t")[0]] = line
    failures = 0
    started = time.monotonic()
    for row in dp.read_table():
        if row.get("state") == "closed" or (only and row["name"] not in only):
            continue
        for probe, mode, payload in probes_for(row):
            file = f"{row['name']}-{probe}.bin"
            transport = row["proto"]
            try:
                if row["proto"] == "udp":
                    data = udp_exchange(row, payload)
                elif mode == "tls-handshake":
                    payload, data = tls_handshake_bytes(row)
                    transport = "tcp"
                elif mode.startswith("tls-"):
                    data = tls_exchange(row, mode, payload)
                    transport = "tls"
                else:
                    data = plain_exchange(row, mode, payload)
            except (OSError, ssl.SSLError) as error:
                print(f"FAIL {file}: {error}", file=sys.stderr)
                failures += 1
                continue
            with open(os.path.join(out, file), "wb") as handle:
                handle.write(data)
            kept[file] = "\t".join([file, row["name"], probe, payload.hex(), transport, package_of(row["unit"]),
                                    row["address"], str(row["port"]), str(len(data)), mode])
            print(f"{file:<45} {len(data):>6} bytes", file=sys.stderr)
    header = "file\tdaemon\tprobe\tpayload_hex\ttransport\tpackage\taddress\tport\tbytes\tmode"
    with open(manifest_path, "w", encoding="utf-8") as handle:
        handle.write(header + "\n")
        for file in sorted(kept):
            handle.write(kept[file] + "\n")
    print(f"{len(kept)} fixtures in {out} ({time.monotonic() - started:.1f} s), {failures} failures",
          file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
