#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Check the community_id of osprey's JSON events against the Community
ID v1 specification (corelight/community-id-spec), computed here apart
from the C code: SHA-1 over the 2-byte seed, the addresses and ports
ordered so the smaller (address, port) comes first, the protocol and a
zero byte, base64, "1:" prefix.

    community_id.py FILE...   prints "N of M" (records that agree, of all)
"""
import base64
import hashlib
import ipaddress
import json
import struct
import sys


def community_id(a, a_port, b, b_port, proto=6, seed=0):
    a, b = ipaddress.ip_address(a).packed, ipaddress.ip_address(b).packed
    if (a, a_port) > (b, b_port):
        a, a_port, b, b_port = b, b_port, a, a_port
    data = (struct.pack("!H", seed) + a + b +
            struct.pack("!BBHH", proto, 0, a_port, b_port))
    return "1:" + base64.b64encode(hashlib.sha1(data).digest()).decode()


def main():
    n = same = 0
    for name in sys.argv[1:]:
        for line in open(name):
            if not line.strip():
                continue
            o = json.loads(line)
            c, s = o["client"], o["server"]
            n += 1
            same += o.get("community_id") == community_id(
                c["addr"], c["port"], s["addr"], s["port"])
    print("%d of %d" % (same, n))
    return 0 if n and same == n else 1


if __name__ == "__main__":
    sys.exit(main())
