#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Short TCP connections for SYN/SYN+ACK captures.

  tcpprobe.py serve PORT          accept on [::]:PORT (IPv4 too), read a
                                  line, close; forever
  tcpprobe.py connect PORT ADDR.. one connection to each address in turn
"""
import socket
import sys


def serve(port):
    s = socket.socket(socket.AF_INET6)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", port))
    s.listen(8)
    while True:
        c, _ = s.accept()
        c.recv(64)
        c.close()


def connect(port, addrs):
    for a in addrs:
        c = socket.create_connection((a, port), timeout=5)
        c.sendall(b"probe\n")
        c.recv(64)
        c.close()
        print("connected", a)


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "serve":
        serve(int(sys.argv[2]))
    elif len(sys.argv) >= 4 and sys.argv[1] == "connect":
        connect(int(sys.argv[2]), sys.argv[3:])
    else:
        sys.exit(__doc__)
