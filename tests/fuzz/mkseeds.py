#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the fuzz seed corpora: tests/fuzz/seeds/<target>/*.

Small crafted inputs only (no captures from ../shared): packets built here,
HTTP exchanges, database fragments plus db/osprey.fp, tiny pcap/pcapng
files.  Rerun after changing it; the seeds are committed.
"""
import os
import struct

import mkseeds_tls  # the TLS seeds' hello builders (same directory)

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))


def opts_pad(o):
    return o + b"\x00" * (-len(o) % 4)


def tcp(sport, dport, seq, ack, flags, win, opts=b"", pay=b""):
    o = opts_pad(opts)
    return struct.pack(">HHIIBBHHH", sport, dport, seq, ack,
                       (20 + len(o)) // 4 << 4, flags, win, 0, 0) + o + pay


def ip4(src, dst, seg, ttl=64, df=True, ipid=0x1234, tos=0):
    return struct.pack(">BBHHHBBH4s4s", 0x45, tos, 20 + len(seg), ipid,
                       0x4000 if df else 0, ttl, 6, 0, bytes(src),
                       bytes(dst)) + seg


def ip6(src, dst, seg, hlim=64, flow=0):
    return struct.pack(">IHBB16s16s", 0x60000000 | flow, len(seg), 6, hlim,
                       bytes(src), bytes(dst)) + seg


LINUX = b"\x02\x04\x05\xb4\x04\x02\x08\x0a\x00\x01\x02\x03\x00\x00\x00\x00" \
    b"\x01\x03\x03\x07"
WIN = b"\x02\x04\x05\xb4\x01\x03\x03\x08\x01\x01\x04\x02"
C4, S4 = [10, 0, 0, 1], [192, 168, 1, 2]
C6 = [0x20, 1, 0xd, 0xb8] + [0] * 11 + [1]
S6 = [0x20, 1, 0xd, 0xb8] + [0] * 11 + [2]
REQ = (b"GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: Mozilla/5.0 "
       b"(X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0\r\n"
       b"Accept: */*\r\nAccept-Language: en-US,en;q=0.5\r\n\r\n")
RESP = (b"HTTP/1.1 200 OK\r\nDate: Mon, 23 Nov 2026 10:00:00 GMT\r\n"
        b"Server: Apache/2.4.57 (Debian)\r\nContent-Length: 2\r\n"
        b"Connection: close\r\n\r\nok")


def exchange(v6=False, opts=LINUX, req=REQ, resp=RESP):
    ip, c, s = (ip6, C6, S6) if v6 else (ip4, C4, S4)
    return [
        ip(c, s, tcp(40000, 80, 1000, 0, 0x02, 64240, opts)),
        ip(s, c, tcp(80, 40000, 5000, 1001, 0x12, 65160, opts)),
        ip(c, s, tcp(40000, 80, 1001, 5001, 0x10, 502)),
        ip(c, s, tcp(40000, 80, 1001, 5001, 0x18, 502, pay=req)),
        ip(s, c, tcp(80, 40000, 5001, 1001 + len(req), 0x18, 509, pay=resp)),
        ip(c, s, tcp(40000, 80, 1001 + len(req), 0, 0x04, 0)),
    ]


def tls_exchange(client_stream, server_stream, split):
    """A connection to port 443: the client's stream cut at `split` and
    sent second part first, the server's in one segment, then RST."""
    c, s = C4, S4
    a, b = client_stream[:split], client_stream[split:]
    return [
        ip4(c, s, tcp(40001, 443, 1000, 0, 0x02, 64240, LINUX)),
        ip4(s, c, tcp(443, 40001, 5000, 1001, 0x12, 65160, LINUX)),
        ip4(c, s, tcp(40001, 443, 1001 + len(a), 5001, 0x18, 502, pay=b)),
        ip4(c, s, tcp(40001, 443, 1001, 5001, 0x18, 502, pay=a)),
        ip4(s, c, tcp(443, 40001, 5001, 1001 + len(client_stream), 0x18,
                      509, pay=server_stream)),
        ip4(c, s, tcp(40001, 443, 1001 + len(client_stream), 0, 0x04, 0)),
    ]


def packet_seq(pkts, dt=30):
    return b"".join(struct.pack(">HB", len(p), dt) + p for p in pkts)


def write(target, name, data):
    d = os.path.join(HERE, "seeds", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as fh:
        fh.write(data)


def pcap(linktype, frames):
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, linktype)
    for i, f in enumerate(frames):
        out += struct.pack("<IIII", 1700000000 + i, 1000 * i, len(f), len(f))
        out += f
    return out


def pcapng(linktype, frames):
    def block(t, body):
        body += b"\x00" * (-len(body) % 4)
        n = len(body) + 12
        return struct.pack("<II", t, n) + body + struct.pack("<I", n)
    out = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    out += block(1, struct.pack("<HHI", linktype, 0, 65535))
    for i, f in enumerate(frames):
        ts = (1700000000 + i) * 1000000
        out += block(6, struct.pack("<IIIII", 0, ts >> 32, ts & 0xFFFFFFFF,
                                    len(f), len(f)) + f)
    return out


def eth(p, vlan=0):
    et = b"\x86\xdd" if p[0] >> 4 == 6 else b"\x08\x00"
    tags = b"".join(b"\x81\x00" + struct.pack(">H", 100 + i)
                    for i in range(vlan))
    return b"\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02" + tags + et + p


def main():
    # fuzz_packet: [len16 dt] + packet, repeated
    write("fuzz_packet", "http4", packet_seq(exchange()))
    write("fuzz_packet", "http6", packet_seq(exchange(v6=True)))
    write("fuzz_packet", "win_syn", packet_seq(exchange(opts=WIN)[:2]))
    odd = [ip4(C4, S4, tcp(1, 2, 0, 7, 0x02, 1337,
                           b"\x02\x04\x05\x33\x00\x01\x01")),   # eol+pad
           ip4(C4, S4, tcp(1, 3, 5, 0, 0x02, 512, b"\x08\x03\x01"),
               df=False, ipid=0),                               # bad len
           ip4(C4, S4, tcp(1, 4, 5, 0, 0xC2, 512, b"\x03\x03\x0f"),
               tos=3)]                                          # ecn, exws
    write("fuzz_packet", "odd_opts", packet_seq(odd))
    up = [ip4(C4, S4, tcp(40000 + i, 80, 1000, 0, 0x02, 64240,
                          LINUX[:8] + struct.pack(">I", 1000 + 100 * i) +
                          LINUX[12:])) for i in range(3)]
    write("fuzz_packet", "uptime", packet_seq(up, dt=200))
    # TLS and h2c connections through the engine (tls_conn.c)
    write("fuzz_packet", "tls", packet_seq(tls_exchange(
        mkseeds_tls.records(mkseeds_tls.CHROME, 700),
        mkseeds_tls.SEEDS["server_tls13"][1:], 900)))
    write("fuzz_packet", "h2c", packet_seq(tls_exchange(
        b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" +
        mkseeds_tls.SEEDS["h2_chrome"][1:], b"", 30)))
    # fuzz_http: byte0 bit0 = 1 wire (byte1 split, byte2 segment size)
    split = (len(REQ) * 256 + len(REQ + RESP) - 1) // len(REQ + RESP)
    write("fuzz_http", "wire", b"\x01" + bytes([min(split, 255), 0]) +
          REQ + RESP)
    write("fuzz_http", "wire_seg", b"\x01" + bytes([min(split, 255), 17]) +
          REQ + RESP)
    write("fuzz_http", "grammar", b"\x00Linux,Windows,iOS=[iPad]\n"
          b"*:Host,User-Agent,Accept=[,*/*;q=],?Accept-Language:"
          b"Accept-Charset:Firefox/")
    write("fuzz_http", "grammar_resp", b"\x001:Date,Server,?Content-Length"
          b":Keep-Alive:Apache")
    # fuzz_sigdb: the real database and fragments
    with open(os.path.join(TOP, "db", "osprey.fp"), "rb") as fh:
        write("fuzz_sigdb", "osprey.fp", fh.read())
    write("fuzz_sigdb", "small.fp", b"classes = win,unix,other\n"
          b"ua_os = Linux,Windows\n[mtu]\nlabel = Ethernet or modem\n"
          b"sig = 1500\n[tcp:request]\nlabel = s:unix:Linux:3.x\n"
          b"sig = *:64:0:*:mss*10,7:mss,sok,ts,nop,ws:df,id+:0\n"
          b"label = g:unix:Linux:\nsig = *:64:0:*:%8192,*:mss,nop,ws::0\n"
          b"[tcp:response]\nlabel = s:win:Windows:XP\n"
          b"sig = 4:128-:0:1460:65535,0:mss,nop,nop,sok:df,id+,ecn:+\n"
          b"[http:request]\nlabel = s:!:Firefox:\nsys = Linux\n"
          b"sig = *:Host,User-Agent,?Accept:Accept-Charset:Firefox/\n")
    write("fuzz_sigdb", "bad.fp", b"[tcp:request]\nlabel = s:x:y:\n"
          b"sig = 7:64:0:*:mss*1001,99:eol+3,nop:zz:2\n")
    # fuzz_pcap: tiny captures of the exchange on several link types
    pk = exchange()
    write("fuzz_pcap", "eth.pcap", pcap(1, [eth(p) for p in pk]))
    write("fuzz_pcap", "qinq.pcap", pcap(1, [eth(p, 2) for p in pk]))
    write("fuzz_pcap", "raw.pcap", pcap(101, pk))
    write("fuzz_pcap", "sll.pcap", pcap(113, [b"\x00\x00\x00\x01\x00\x06"
                                              + b"\x00" * 8 + b"\x08\x00" + p
                                              for p in pk]))
    write("fuzz_pcap", "null.pcap", pcap(0, [b"\x02\x00\x00\x00" + p
                                             for p in pk]))
    write("fuzz_pcap", "eth6.pcapng",
          pcapng(1, [eth(p) for p in exchange(v6=True)]))


if __name__ == "__main__":
    main()
