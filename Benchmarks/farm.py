#!/usr/bin/env python3
"""A generated service farm on 127.0.0.1 for scanner benchmarks.

Binds COUNT consecutive loopback ports from BASE with a deterministic mix of behaviours:
  ~40 % banner-first (SSH-, FTP- and SMTP-like greetings),
  ~30 % client-first HTTP (answers a request once it sees the blank line, or 400 for anything else),
  ~5 %  TLS (python ssl with a throw-away self-signed certificate made by openssl; HTTP inside),
  ~15 % silent (accept, read, never answer),
  ~10 % closed (left unbound, so a connect is refused).
Writes the truth table (port, kind, expected service) to --truth, prints "ready" on stdout when every socket is
listening, and serves until killed. Loopback only, by construction: the bind address is fixed.
"""
import argparse
import asyncio
import ctypes
import os
import random
import resource
import signal
import ssl
import subprocess
import sys
import tempfile

ADDRESS = "127.0.0.1"  # never anything else

BANNERS = {
    "ssh": b"SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.6\r\n",
    "ftp": b"220 (vsFTPd 3.0.5)\r\n",
    "smtp": b"220 farm.test ESMTP Postfix (Ubuntu)\r\n",
}
HTTP_OK = (b"HTTP/1.1 200 OK\r\nServer: nginx/1.24.0\r\nContent-Type: text/html\r\nContent-Length: 13\r\n"
           b"Connection: close\r\n\r\n<html></html>")
HTTP_BAD = (b"HTTP/1.1 400 Bad Request\r\nServer: nginx/1.24.0\r\nContent-Type: text/html\r\n"
            b"Content-Length: 0\r\nConnection: close\r\n\r\n")
MIX = [("banner", 40), ("http", 30), ("tls", 5), ("silent", 15), ("closed", 10)]


def plan(base, count, seed):
    """Deterministic kinds per port, in the MIX proportions (exact counts, shuffled)."""
    kinds = []
    for kind, share in MIX:
        kinds += [kind] * round(count * share / 100)
    kinds = (kinds + ["silent"] * count)[:count]
    rng = random.Random(seed)
    rng.shuffle(kinds)
    rows = []
    for offset, kind in enumerate(kinds):
        port = base + offset
        if kind == "banner":
            name = ("ssh", "ftp", "smtp")[rng.randrange(3)]
            rows.append((port, "banner-" + name, name))
        elif kind == "http":
            rows.append((port, "http", "http"))
        elif kind == "tls":
            rows.append((port, "tls-http", "ssl/http"))
        elif kind == "silent":
            rows.append((port, "silent", "-"))
        else:
            rows.append((port, "closed", "closed"))
    return rows


class BannerProtocol(asyncio.Protocol):
    """Greets at once, then ignores what the client sends."""

    def __init__(self, banner):
        self.banner = banner

    def connection_made(self, transport):
        transport.write(self.banner)

    def data_received(self, data):
        pass


class HTTPProtocol(asyncio.Protocol):
    """Answers once it has a blank line (200 for a request line, 400 for anything else), then closes."""

    def connection_made(self, transport):
        self.transport = transport
        self.data = b""

    def data_received(self, data):
        self.data += data
        if b"\r\n\r\n" in self.data or b"\n\n" in self.data or len(self.data) > 65536:
            first = self.data.split(b"\r\n", 1)[0]
            ok = first.split(b" ")[0] in (b"GET", b"HEAD", b"OPTIONS", b"POST") and b"HTTP/" in first
            self.transport.write(HTTP_OK if ok else HTTP_BAD)
            self.transport.close()
        elif b"\n" in self.data and not self.data[:1].isalpha():
            self.transport.write(HTTP_BAD)
            self.transport.close()


class SilentProtocol(asyncio.Protocol):
    """Accepts and reads, never answers."""

    def data_received(self, data):
        pass


def make_tls_context(directory):
    key, cert = os.path.join(directory, "farm.key"), os.path.join(directory, "farm.crt")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "2", "-subj", "/CN=farm.test"], check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", type=int, default=20000)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--truth", required=True)
    parser.add_argument("--workers", type=int, default=2, help="serving processes (default 2)")
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    # Every listening socket and every accepted connection is a descriptor: raise the soft limit to the hard one.
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    rows = plan(args.base, args.count, args.seed)
    with open(args.truth, "w") as out:
        out.write("port\tkind\texpected\n")
        for port, kind, expected in rows:
            out.write(f"{port}\t{kind}\t{expected}\n")
    tls = make_tls_context(tempfile.mkdtemp(prefix="farm-tls-"))
    # Serve from several processes, as real daemons are separate processes: one Python event loop cannot keep up
    # with a scanner's connection rate on its own. Workers die with the parent (PR_SET_PDEATHSIG).
    workers = max(1, args.workers)
    for worker in range(1, workers):
        if os.fork() == 0:
            ctypes.CDLL(None).prctl(1, signal.SIGTERM)
            asyncio.run(serve(rows[worker::workers], tls))
            return
    asyncio.run(serve(rows[0::workers], tls, announce=True))


async def serve(rows, tls, announce=False):
    loop = asyncio.get_running_loop()
    # Resets, TLS handshakes cut short and EMFILE under a connection storm are expected from a scanner; logging a
    # traceback for each would cost the farm more CPU than serving.
    loop.set_exception_handler(lambda loop, context: None)
    servers = []
    for port, kind, _ in rows:
        if kind == "closed":
            continue
        if kind.startswith("banner-"):
            banner = BANNERS[kind[len("banner-"):]]
            factory = lambda b=banner: BannerProtocol(b)
            servers.append(await loop.create_server(factory, ADDRESS, port, backlog=256))
        elif kind == "http":
            servers.append(await loop.create_server(HTTPProtocol, ADDRESS, port, backlog=256))
        elif kind == "tls-http":
            servers.append(await loop.create_server(HTTPProtocol, ADDRESS, port, ssl=tls, backlog=256,
                                                    ssl_handshake_timeout=10))
        else:
            servers.append(await loop.create_server(SilentProtocol, ADDRESS, port, backlog=256))
    if announce:
        await asyncio.sleep(1)  # let the other workers bind
        print("ready", flush=True)
    await asyncio.gather(*(server.serve_forever() for server in servers))


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
