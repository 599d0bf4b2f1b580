#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the seed corpus of fuzz_tls: tests/fuzz/seeds/fuzz_tls/*.

Hellos and h2c frames built here field by field (nothing from captures):
a Chrome-like ClientHello with GREASE and a post-quantum key share, a TLS
1.2 one without extensions, ALPN edge cases, a ServerHello, a
HelloRetryRequest, a multi-record hello, and h2c opening frames.  Byte 0
of each seed selects the harness's target (see fuzz_tls.c).  Rerun after
changing it; the seeds are committed.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "seeds", "fuzz_tls")


def u16(v):
    return struct.pack(">H", v)


def vec(b, width):
    return struct.pack(">I", len(b))[4 - width:] + b


def ext(t, body=b""):
    return u16(t) + vec(body, 2)


def u16list(vals, width=2):
    return vec(b"".join(u16(v) for v in vals), width)


def sni(name):
    return ext(0, vec(b"\x00" + vec(name, 2), 2))


def alpn(*names):
    return ext(16, vec(b"".join(vec(n, 1) for n in names), 2))


def client_hello(version, ciphers, exts, session=b""):
    body = u16(version) + bytes(range(32)) + vec(session, 1) + \
        u16list(ciphers) + b"\x01\x00"
    if exts is not None:
        body += vec(b"".join(exts), 2)
    return b"\x01" + vec(body, 3)


def server_hello(version, cipher, exts, rnd=bytes(32)):
    body = u16(version) + rnd + b"\x00" + u16(cipher) + b"\x00" + \
        vec(b"".join(exts), 2)
    return b"\x02" + vec(body, 3)


def records(msg, frag=16384):
    out = b""
    for i in range(0, len(msg), frag):
        out += b"\x16\x03\x01" + vec(msg[i:i + frag], 2)
    return out


def h2_frame(t, flags, sid, payload):
    return struct.pack(">I", len(payload))[1:] + bytes([t, flags]) + \
        struct.pack(">I", sid) + payload


CHROME = client_hello(0x0303, [0x4a4a, 0x1301, 0x1302, 0x1303, 0xc02b,
                               0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8,
                               0xc013, 0xc014, 0x9c, 0x9d, 0x2f, 0x35], [
    ext(0x0a0a), sni(b"www.example.org"), ext(23), ext(0xff01, b"\x00"),
    ext(10, u16list([0x6a6a, 0x11ec, 29, 23, 24])), ext(11, b"\x01\x00"),
    ext(35), alpn(b"h2", b"http/1.1"), ext(5, b"\x01\x00\x00\x00\x00"),
    ext(13, u16list([0x403, 0x804, 0x401, 0x503, 0x805, 0x501, 0x806,
                     0x601])),
    ext(18), ext(51, vec(u16(0x11ec) + vec(b"\x5c" * 1216, 2), 2)),
    ext(45, b"\x01\x01"), ext(43, u16list([0x2a2a, 0x304, 0x303], 1)),
    ext(27, b"\x02\x00\x02"), ext(0x1a1a, b"\x00")])

SEEDS = {
    "client_chrome": b"\x00" + records(CHROME),
    "client_chrome_records": b"\x00" + records(CHROME, 300),
    "client_tls12_noext": b"\x04" + records(client_hello(
        0x0303, [0x2f, 0x35], None)),
    "client_alpn_odd": b"\x08" + records(client_hello(0x0301, [0x1301], [
        alpn(b"\xab\xcd", b"h2"), sni(b"192.0.2.1")])),
    "client_empty_alpn": b"\x00" + records(client_hello(0x0303, [], [
        alpn(b""), ext(43, u16list([0x7f1c], 1))])),
    "server_tls13": b"\x01" + records(server_hello(0x0303, 0x1301, [
        ext(43, u16(0x304)), ext(51, u16(29) + vec(b"\x11" * 32, 2))])),
    "server_hrr": b"\x01" + records(server_hello(0x0303, 0x1301, [
        ext(43, u16(0x304)), ext(51, u16(29))], bytes.fromhex(
        "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c"))),
    "server_after_alert": b"\x01" + b"\x15\x03\x03\x00\x02\x01\x70" +
    records(server_hello(0x0303, 0xc02f, [ext(0xff01, b"\x00")])),
    "stream_chrome_200": b"\x02\xc8\x07" + records(CHROME, 1000),
    "stream_chrome_37": b"\x02\x25\x01" + records(CHROME),
    "sslv2": b"\x00\x80\x2e\x01\x03\x01\x00\x15\x00\x00\x00\x10",
    "h2_chrome": b"\x07" + h2_frame(4, 0, 0, b"".join(
        struct.pack(">HI", k, v) for k, v in
        [(1, 65536), (2, 0), (4, 6291456), (6, 262144)])) +
    h2_frame(8, 0, 0, struct.pack(">I", 15663105)) +
    h2_frame(1, 0x25, 1, b"\x80\x00\x00\x00\xff\x82\x41\x0bexample.com"
             b"\x87\x84"),
    "h2_firefox": b"\x07" + h2_frame(4, 0, 0, struct.pack(">HI", 1, 65536)) +
    h2_frame(2, 0, 3, b"\x00\x00\x00\x00\xc8") +
    h2_frame(2, 0, 9, b"\x00\x00\x00\x07\x00") +
    h2_frame(1, 0x08, 15, b"\x02\x82\x84\x00\x00") +
    h2_frame(9, 0x04, 15, b"\x41\x03a.b\x87"),
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
    print("wrote %d seeds to %s" % (len(SEEDS), OUT))


if __name__ == "__main__":
    main()
