#!/usr/bin/env python3
"""A TCP server that accepts connections and never sends a byte (a "silent" port for the tests).

usage: silent-server.py ADDRESS PORT   (ADDRESS must be a loopback address)
Reads and discards what clients send; closes a connection when the client closes it or after 120 s.
At most 256 connections are held at once; further ones are accepted and closed at once.
"""

import ipaddress
import selectors
import socket
import sys
import time

MAX_CONNECTIONS = 256
HOLD_SECONDS = 120


def main():
    address, port = sys.argv[1], int(sys.argv[2])
    if not ipaddress.ip_address(address).is_loopback:
        raise SystemExit(f"refusing non-loopback address {address!r}")
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    server = socket.socket(family, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((address, port))
    server.listen(64)
    server.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(server, selectors.EVENT_READ)
    opened = {}
    while True:
        for key, _ in sel.select(timeout=5):
            if key.fileobj is server:
                try:
                    conn, _ = server.accept()
                except BlockingIOError:
                    continue
                if len(opened) >= MAX_CONNECTIONS:
                    conn.close()
                    continue
                conn.setblocking(False)
                sel.register(conn, selectors.EVENT_READ)
                opened[conn] = time.monotonic()
            else:
                conn = key.fileobj
                try:
                    data = conn.recv(4096)
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError:
                    data = b""
                if not data:
                    sel.unregister(conn)
                    opened.pop(conn, None)
                    conn.close()
        now = time.monotonic()
        for conn, since in list(opened.items()):
            if now - since > HOLD_SECONDS:
                sel.unregister(conn)
                del opened[conn]
                conn.close()


if __name__ == "__main__":
    main()
