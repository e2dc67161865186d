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
import os
import random
import resource
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


async def serve_banner(banner, reader, writer):
    try:
        writer.write(banner)
        await writer.drain()
        while await reader.read(4096):
            pass
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


async def serve_http(reader, writer):
    data = b""
    try:
        while len(data) < 65536:
            chunk = await reader.read(4096)
            if not chunk:
                break
            data += chunk
            if b"\r\n\r\n" in data or b"\n\n" in data:
                first = data.split(b"\r\n", 1)[0]
                ok = first.split(b" ")[0] in (b"GET", b"HEAD", b"OPTIONS", b"POST") and b"HTTP/" in first
                writer.write(HTTP_OK if ok else HTTP_BAD)
                await writer.drain()
                break
            if len(data) > 2 and b"\n" in data and not data[:1].isalpha():
                writer.write(HTTP_BAD)
                await writer.drain()
                break
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


async def serve_silent(reader, writer):
    try:
        while await reader.read(4096):
            pass
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


def make_tls_context(directory):
    key, cert = os.path.join(directory, "farm.key"), os.path.join(directory, "farm.crt")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "2", "-subj", "/CN=farm.test"], check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


async def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", type=int, default=20000)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--truth", required=True)
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
    servers = []
    for port, kind, _ in rows:
        if kind == "closed":
            continue
        if kind.startswith("banner-"):
            banner = BANNERS[kind[len("banner-"):]]
            handler = lambda r, w, b=banner: serve_banner(b, r, w)
            servers.append(await asyncio.start_server(handler, ADDRESS, port, backlog=256))
        elif kind == "http":
            servers.append(await asyncio.start_server(serve_http, ADDRESS, port, backlog=256))
        elif kind == "tls-http":
            servers.append(await asyncio.start_server(serve_http, ADDRESS, port, ssl=tls, backlog=256,
                                                      ssl_handshake_timeout=10))
        else:
            servers.append(await asyncio.start_server(serve_silent, ADDRESS, port, backlog=256))
    print("ready", flush=True)
    await asyncio.gather(*(server.serve_forever() for server in servers))


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
