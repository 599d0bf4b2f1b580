#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A TLS server for the TLS integration tests: python's ssl module, one
listening socket per port given (IPv4 and IPv6), each connection answered
with a short HTTP/1.1 response.  ALPN offers http/1.1 only, so HTTP/2
clients fall back to it.  A port given as plain:PORT is plain TCP: what
the client sends is read for a moment, then the connection is closed (an
h2c client's opening frames need no answer).  Prints "ready" once every
port listens.

  tls_server.py CERT KEY [plain:]PORT...
"""
import socket
import ssl
import sys
import threading


def handle(ctx, conn):
    if ctx is None:
        conn.settimeout(1)
        try:
            while conn.recv(65536):
                pass
        except OSError:
            pass
        conn.close()
        return
    try:
        s = ctx.wrap_socket(conn, server_side=True)
    except (OSError, ssl.SSLError):
        conn.close()
        return
    s.settimeout(3)
    try:
        s.recv(4096)
        s.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n"
                  b"Connection: close\r\n\r\nok\n")
    except (OSError, ssl.SSLError):
        pass
    s.close()


def serve(ctx, sock):
    while True:
        conn, _ = sock.accept()
        threading.Thread(target=handle, args=(ctx, conn), daemon=True).start()


def main():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(sys.argv[1], sys.argv[2])
    ctx.set_alpn_protocols(["http/1.1"])
    for port in sys.argv[3:]:
        plain = port.startswith("plain:")
        port = port.split(":")[-1]
        s = socket.socket(socket.AF_INET6)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        s.bind(("::", int(port)))
        s.listen(16)
        threading.Thread(target=serve, args=(None if plain else ctx, s),
                         daemon=True).start()
    print("ready", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
