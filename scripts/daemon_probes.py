#!/usr/bin/env python3
"""Protocol payloads for the test daemons, and a port checker (stdlib only).

Every payload here is written from the protocol's own specification (RFC 1035 for DNS, RFC 1157/3416 for
SNMP, RFC 4511 for LDAP, the PostgreSQL frontend/backend protocol, RESP for Redis, the memcached text
protocol, MQTT 3.1.1, RFC 6120 for XMPP, RFC 2812 for IRC). Traffic goes only to loopback addresses.

Used two ways:
  * imported by capture-fixtures.py (payload builders, `exchange`);
  * `python3 scripts/daemon_probes.py check [--wait SECONDS] [TABLE...]` prints one line per row of
    daemon-ports.tsv (or of each TABLE, e.g. proxy-ports.tsv too) with the observed state and exits 1 when any row
    is not in its expected state.
"""

import ipaddress
import os
import select
import socket
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_TABLE = os.path.join(HERE, "daemon-ports.tsv")


def require_loopback(address):
    """Refuse anything that is not a loopback address: the tests talk to this machine only."""
    if not ipaddress.ip_address(address).is_loopback:
        raise SystemExit(f"refusing non-loopback address {address!r}")


def read_table(path=DEFAULT_TABLE):
    """Rows of daemon-ports.tsv as dicts keyed by the header line."""
    with open(path, encoding="utf-8") as handle:
        lines = [line.rstrip("\n") for line in handle if line.strip() and not line.startswith("#")]
    header = lines[0].split("\t")
    rows = []
    for line in lines[1:]:
        cells = line.split("\t")
        cells += [""] * (len(header) - len(cells))
        row = dict(zip(header, cells))
        row["port"] = int(row["port"])
        rows.append(row)
    return rows


# --- BER (ASN.1 basic encoding rules), just what SNMP and LDAP need -----------------------------------

def ber_length(n):
    if n < 0x80:
        return bytes([n])
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def ber(tag, content):
    return bytes([tag]) + ber_length(len(content)) + content


def ber_int(value, tag=0x02):
    raw = value.to_bytes(max(1, (value.bit_length() + 8) // 8), "big", signed=True)
    return ber(tag, raw)


def ber_oid(dotted):
    parts = [int(p) for p in dotted.split(".")]
    body = bytearray([parts[0] * 40 + parts[1]])
    for arc in parts[2:]:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7F))
            arc >>= 7
        body += bytes(reversed(chunk))
    return ber(0x06, bytes(body))


# --- DNS (RFC 1035) ------------------------------------------------------------------------------------

def dns_query(name, qtype, qclass=1, ident=0x1234):
    """A standard query with recursion desired and one question."""
    header = struct.pack(">HHHHHH", ident, 0x0100, 1, 0, 0, 0)
    qname = b"".join(bytes([len(label)]) + label.encode("ascii") for label in name.split(".") if label) + b"\0"
    return header + qname + struct.pack(">HH", qtype, qclass)


def dns_over_tcp(message):
    """RFC 1035 4.2.2: over TCP a message is prefixed by its two-byte length."""
    return struct.pack(">H", len(message)) + message


DNS_TYPE_A, DNS_TYPE_TXT, DNS_CLASS_IN, DNS_CLASS_CHAOS = 1, 16, 1, 3


# --- SNMP (RFC 1157 v1 / RFC 3416 PDUs) ----------------------------------------------------------------

def snmp_get(oid="1.3.6.1.2.1.1.1.0", community="public", version=1, request_id=0x4D41):
    """GetRequest-PDU for one OID; version is the wire value (0 = v1, 1 = v2c)."""
    varbind = ber(0x30, ber_oid(oid) + b"\x05\x00")
    pdu = ber(0xA0, ber_int(request_id) + ber_int(0) + ber_int(0) + ber(0x30, varbind))
    return ber(0x30, ber_int(version) + ber(0x04, community.encode("ascii")) + pdu)


# --- LDAP (RFC 4511) ----------------------------------------------------------------------------------

def ldap_anonymous_bind(message_id=1):
    bind = ber_int(3) + ber(0x04, b"") + ber(0x80, b"")
    return ber(0x30, ber_int(message_id) + ber(0x60, bind))


def ldap_rootdse_search(message_id=2, attributes=("namingContexts", "supportedLDAPVersion", "vendorName")):
    """SearchRequest: base "", scope baseObject, filter (objectClass=*)."""
    attrs = b"".join(ber(0x04, a.encode("ascii")) for a in attributes)
    body = (ber(0x04, b"") + ber_int(0, 0x0A) + ber_int(0, 0x0A) + ber_int(0) + ber_int(0)
            + ber(0x01, b"\x00") + ber(0x87, b"objectClass") + ber(0x30, attrs))
    return ber(0x30, ber_int(message_id) + ber(0x63, body))


def ldap_unbind(message_id=3):
    return ber(0x30, ber_int(message_id) + ber(0x42, b""))


# --- PostgreSQL frontend/backend protocol 3.0 ---------------------------------------------------------

def ntp_client_request():
    """RFC 5905 section 7.3: a 48-byte mode 3 (client) packet, version 4, everything else zero."""
    return b"\x23" + b"\x00" * 47


def kerberos_as_req(realm="AMAP.TEST", user="amap-check"):
    """RFC 4120 section 5.4.1: a minimal AS-REQ for USER@REALM (the KDC answers KRB-ERROR, principal unknown)."""
    def context(n, content):
        return ber(0xA0 + n, content)

    def principal(name_type, *names):
        strings = b"".join(ber(0x1B, n.encode()) for n in names)  # GeneralString
        return ber(0x30, context(0, ber_int(name_type)) + context(1, ber(0x30, strings)))

    body = ber(0x30,
               context(0, ber(0x03, b"\x00\x00\x00\x00\x00"))       # kdc-options: no flags
               + context(1, principal(1, user))                       # cname, NT-PRINCIPAL
               + context(2, ber(0x1B, realm.encode()))                # realm
               + context(3, principal(2, "krbtgt", realm))            # sname, NT-SRV-INST
               + context(5, ber(0x18, b"20370913024805Z"))            # till
               + context(7, ber_int(0x414D4150))                      # nonce
               + context(8, ber(0x30, ber_int(18) + ber_int(17))))    # etype: aes256, aes128
    return ber(0x6A, ber(0x30, context(1, ber_int(5)) + context(2, ber_int(10)) + context(4, body)))


def pg_ssl_request():
    return struct.pack(">II", 8, 80877103)


def pg_startup(user="postgres", database="postgres"):
    params = b"".join(k.encode() + b"\0" + v.encode() + b"\0" for k, v in
                      (("user", user), ("database", database), ("application_name", "amap-fixture")))
    body = struct.pack(">I", 3 << 16) + params + b"\0"
    return struct.pack(">I", len(body) + 4) + body


# --- Redis (RESP) --------------------------------------------------------------------------------------

def resp_command(*words):
    out = b"*%d\r\n" % len(words)
    for word in words:
        raw = word.encode()
        out += b"$%d\r\n%s\r\n" % (len(raw), raw)
    return out


# --- MQTT 3.1.1 ---------------------------------------------------------------------------------------

def mqtt_connect(client_id="amap-fixture", keepalive=30):
    variable = b"\x00\x04MQTT" + bytes([4, 0x02]) + struct.pack(">H", keepalive)
    payload = struct.pack(">H", len(client_id)) + client_id.encode()
    remaining = variable + payload
    return bytes([0x10, len(remaining)]) + remaining


# --- XMPP (RFC 6120) ----------------------------------------------------------------------------------

def xmpp_stream_open(domain="amap.test", namespace="jabber:client"):
    return (f"<?xml version='1.0'?><stream:stream to='{domain}' xmlns='{namespace}' "
            "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>").encode()


# --- Socket helpers -----------------------------------------------------------------------------------

def family_of(address):
    return socket.AF_INET6 if ":" in address else socket.AF_INET


def read_until_idle(sock, first_wait=3.0, idle=1.0, total=6.0, limit=65536):
    """Bytes received: wait up to first_wait for the first byte, then until `idle` passes with nothing new,
    the peer closes, `total` seconds pass, or `limit` bytes arrive."""
    data = bytearray()
    start = time.monotonic()
    deadline_first = start + first_wait
    last = None
    while len(data) < limit:
        now = time.monotonic()
        if now - start > total:
            break
        wait = (deadline_first - now) if last is None else (last + idle - now)
        if wait <= 0:
            break
        ready, _, _ = select.select([sock], [], [], wait)
        if not ready:
            break
        try:
            chunk = sock.recv(limit - len(data))
        except (ConnectionResetError, TimeoutError):
            break
        if not chunk:
            break
        data += chunk
        last = time.monotonic()
    return bytes(data)


def tcp_connect(address, port, timeout=3.0):
    require_loopback(address)
    sock = socket.socket(family_of(address), socket.SOCK_STREAM)
    sock.settimeout(timeout)
    sock.connect((address, port))
    sock.settimeout(None)
    return sock


def udp_exchange(address, port, payload, timeout=3.0, answers_from_another_port=False):
    """Send one datagram; return the reply bytes, None on timeout, or 'refused' on ICMP port unreachable.

    A connected socket sees ICMP port unreachable, but drops datagrams from any other port: TFTP servers answer
    from a new one (RFC 1350), so for them the socket stays unconnected."""
    require_loopback(address)
    with socket.socket(family_of(address), socket.SOCK_DGRAM) as sock:
        sock.settimeout(timeout)
        if answers_from_another_port:
            sock.sendto(payload, (address, port))
        else:
            sock.connect((address, port))
            sock.send(payload)
        try:
            return sock.recv(65536)
        except ConnectionRefusedError:
            return "refused"
        except (TimeoutError, socket.timeout):
            return None


# --- check CLI ----------------------------------------------------------------------------------------

def rpc_null_call(program=100000, version=2, xid=0x616D6170):
    # RFC 5531 section 9: CALL, RPC version 2, procedure 0 (NULL), AUTH_NONE credentials and verifier.
    return struct.pack(">10I", xid, 0, 2, program, version, 0, 0, 0, 0, 0)


def udp_check_payload(row):
    if row["service"] == "domain":
        return dns_query("version.bind", DNS_TYPE_TXT, DNS_CLASS_CHAOS)
    if row["service"] == "snmp":
        return snmp_get()
    if row["service"] == "ntp":
        return ntp_client_request()
    if row["service"] == "kerberos-sec":
        return kerberos_as_req()
    if row["service"] == "tftp":
        return b"\x00\x01amap-check-missing\x00octet\x00"  # RFC 1350 RRQ; the answer is ERROR "File not found"
    if row["service"] == "memcached":
        return b"\x00\x01\x00\x00\x00\x01\x00\x00version\r\n"  # protocol.txt "UDP protocol" frame header
    if row["service"] == "sip":  # a SIP server ignores what does not parse as SIP (RFC 3261 §11 OPTIONS)
        return (b"OPTIONS sip:check@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKamapcheck;rport\r\n"
                b"From: <sip:check@127.0.0.1>;tag=1\r\nTo: <sip:check@127.0.0.1>\r\nCall-ID: amap-check\r\n"
                b"CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n")
    if row["service"] == "rpcbind":
        return rpc_null_call()
    return b"\r\n"


def observe(row):
    """One of 'open', 'closed', 'no-answer', with a short detail."""
    address, port = row["address"], row["port"]
    if row["proto"] == "tcp":
        try:
            tcp_connect(address, port, timeout=2.0).close()
            return "open"
        except ConnectionRefusedError:
            return "closed"
        except OSError:
            return "no-answer"
    reply = udp_exchange(address, port, udp_check_payload(row), timeout=2.0,
                         answers_from_another_port=row["service"] == "tftp")
    if reply == "refused":
        return "closed"
    return "open" if reply else "no-answer"


def expected_of(row):
    return "closed" if row.get("state") == "closed" else "open"


def check(tables, wait_seconds):
    rows = [row for table in tables for row in read_table(table)]
    deadline = time.monotonic() + wait_seconds
    pending = list(rows)
    observed = {}
    while True:
        still = []
        for row in pending:
            observed[row["name"]] = observe(row)
            if observed[row["name"]] != expected_of(row):
                still.append(row)
        pending = still
        if not pending or time.monotonic() >= deadline:
            break
        time.sleep(0.5)
    failures = 0
    for row in rows:
        got = observed[row["name"]]
        ok = got == expected_of(row)
        failures += 0 if ok else 1
        shown = f"[{row['address']}]:{row['port']}" if ":" in row["address"] else f"{row['address']}:{row['port']}"
        print(f"{row['name']:<22} {row['unit'] or '-':<11} {shown:<17} {row['proto']:<4} "
              f"{got:<9} {'ok' if ok else 'FAIL (expected ' + expected_of(row) + ')'}")
    return 1 if failures else 0


def main(argv):
    if len(argv) < 2 or argv[1] != "check":
        print("usage: daemon_probes.py check [--wait SECONDS] [TABLE...]", file=sys.stderr)
        return 2
    wait_seconds, tables = 0.0, []
    args = argv[2:]
    while args:
        if args[0] == "--wait" and len(args) > 1:
            wait_seconds = float(args[1])
            args = args[2:]
        else:
            tables.append(args[0])
            args = args[1:]
    return check(tables or [DEFAULT_TABLE], wait_seconds)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
