#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write pcaps of hand-made TCP packets that reach p0f's corner cases.

quirks.pcap: one SYN per quirk / option oddity (ack+ on an odd first ACK
byte, EOL padding with a non-zero byte last or inside, bad option lengths,
40 NOPs, exws, ts1-/ts2+, urg, push, seq-, IP options, ECN, MBZ, id-, far
TTL, MSS/MTU window multiples, payload on SYN, IPv6 flow label / ECN) plus
SYN/SYN+ACK pairs (sendsyn MSS echo, ack-, peer MSS multiples).
nat.pcap: one client and one server across 15 connections whose TTL, MSS,
ports, timestamps and OS change, with ACKs carrying later timestamps: the
NAT score (host change / ip sharing) and uptime paths.

usage: craft_tcp.py OUTDIR
"""
import struct
import sys


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return (~s) & 0xffff


def ip4(src, dst, payload, ttl=64, tos=0, ident=0x1234, flags=0x4000,
        opts=b''):
    ihl = 5 + len(opts) // 4
    h = struct.pack('!BBHHHBBH4s4s', 0x40 | ihl, tos, ihl * 4 + len(payload),
                    ident, flags, ttl, 6, 0, bytes(src), bytes(dst)) + opts
    h = h[:10] + struct.pack('!H', csum(h)) + h[12:]
    return h + payload


def ip6(src, dst, payload, hlim=64, flow=0, tc=0):
    vt = (6 << 28) | (tc << 20) | flow
    return struct.pack('!IHBB16s16s', vt, len(payload), 6, hlim, bytes(src),
                       bytes(dst)) + payload


def tcp(sport, dport, seq, ack, flags, win, opts=b'', urg=0, data=b'',
        rsv=0):
    while len(opts) % 4:
        opts += b'\0'
    doff = 5 + len(opts) // 4
    return struct.pack('!HHIIBBHHH', sport, dport, seq, ack, (doff << 4) | rsv,
                       flags, win, 0, urg) + opts + data


def MSS(v, ln=4):
    return bytes([2, ln]) + struct.pack('!H', v)


def WS(v):
    return bytes([3, 3, v])


def TS(a, b):
    return bytes([8, 10]) + struct.pack('!II', a, b)


SOK = bytes([4, 2])
NOP = b'\x01'
SYN, ACK, URG, PSH, ECE, CWR = 2, 0x10, 0x20, 8, 0x40, 0x80
ETH = b'\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb'


def write_pcap(path, pkts):
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for ts, ip in pkts:
            p = ETH + (b'\x08\x00' if ip[0] >> 4 == 4 else b'\x86\xdd') + ip
            f.write(struct.pack('<IIII', int(ts), int(round((ts % 1) * 1e6)),
                                len(p), len(p)) + p)


def quirks():
    pk = []
    t = [1600000000.0]

    def add(ip):
        t[0] += 0.5
        pk.append((t[0], ip))

    lnx = MSS(1460) + SOK + TS(1000, 0) + NOP + WS(7)
    cases = [
        dict(ack=0x01000000), dict(ack=0x00000001), dict(ack=0x02000000),
        dict(ack=0x03000000, flags=SYN | 0x04),
        dict(opts=MSS(1460) + b'\x00\x00\x00\x01'),
        dict(opts=MSS(1460) + b'\x00\x00\x01\x00'),
        dict(opts=MSS(1460, 5) + NOP * 3),
        dict(opts=MSS(1460) + b'\x22\x01'),
        dict(opts=MSS(1460) + bytes([5, 8, 0, 0, 0, 0, 0, 0])),
        dict(opts=NOP * 40), dict(opts=MSS(1460) + WS(15) + NOP),
        dict(opts=MSS(1460) + TS(0, 5) + NOP + NOP),
        dict(flags=SYN | URG, urg=5), dict(urg=7), dict(flags=SYN | PSH),
        dict(seq=0), dict(ipopts=b'\x01\x01\x01\x00'), dict(tos=0x2b),
        dict(ipflags=0xc000), dict(ipflags=0, ident=0), dict(ttl=200),
        dict(win=1460 * 4), dict(win=1500 * 3),
        dict(win=1448 * 2, opts=MSS(1460) + TS(5, 0) + NOP + NOP),
        dict(data=b'hello'), dict(flags=SYN | ECE | CWR), dict(rsv=1),
        dict(opts=MSS(1460) + bytes([30, 3, 1]) + NOP),
        dict(opts=MSS(80)), dict(opts=MSS(1460) + bytes([4, 3]) + NOP * 2),
        dict(opts=MSS(1460) + bytes([8, 10, 0, 0, 0, 1, 0, 0])),
        dict(opts=MSS(1460) + bytes([3])), dict(opts=MSS(1460) + bytes([99])),
        dict(opts=bytes([2, 4, 5])),
        dict(v6=True, flow=0x12345), dict(v6=True, tc=0x01),
        dict(v6=True, win=1440 * 2), dict(opts=lnx, win=29200),
        dict(ttl=128, win=8192,
             opts=MSS(1460) + NOP + WS(8) + NOP + NOP + SOK),
        dict(ttl=50, ipflags=0, ident=7, win=1024, opts=MSS(1460)),
    ]
    for n, kw in enumerate(cases, 1):
        o = kw.get('opts', MSS(1460) + NOP + NOP + SOK)
        seg = tcp(40000 + n, 80, kw.get('seq', 1000 + n), kw.get('ack', 0),
                  kw.get('flags', SYN), kw.get('win', 65535), o,
                  kw.get('urg', 0), kw.get('data', b''), kw.get('rsv', 0))
        if kw.get('v6'):
            s6 = bytes([0x20, 1, 0xd, 0xb8] + [0] * 10 + [0, n])
            d6 = bytes([0x20, 1, 0xd, 0xb8] + [0] * 10 + [1, 1])
            add(ip6(s6, d6, seg, 64, kw.get('flow', 0), kw.get('tc', 0)))
        else:
            add(ip4([10, 1, 0, n], [10, 2, 0, 1], seg, kw.get('ttl', 64),
                    kw.get('tos', 0), kw.get('ident', 0x1234),
                    kw.get('ipflags', 0x4000), kw.get('ipopts', b'')))

    def pair(n, sa_opts, sa_win, ack, syn_mss=1460):
        c, s = [10, 3, 0, n], [10, 4, 0, 1]
        add(ip4(c, s, tcp(50000 + n, 80, 5000, 0, SYN, 65535,
                          MSS(syn_mss) + NOP + NOP + SOK)))
        add(ip4(s, c, tcp(80, 50000 + n, 9000, ack, SYN | ACK, sa_win,
                          sa_opts)))

    pair(1, MSS(1331) + NOP + NOP + SOK, 5840, 5001)
    pair(2, MSS(1460) + NOP + NOP + SOK, 5840, 0)
    pair(3, MSS(1400) + NOP + NOP + SOK, 1200 * 3, 5001, syn_mss=1200)
    pair(4, MSS(1400) + NOP + NOP + SOK, 1188 * 2, 5001, syn_mss=1200)
    pair(5, MSS(1460) + SOK + TS(1000, 77) + NOP + WS(7), 28960, 5001)
    return pk


def nat():
    pk = []

    def lnx(ts, mss=1460):
        return MSS(mss) + SOK + TS(ts, 0) + NOP + WS(7)

    win = MSS(1460) + NOP + WS(8) + NOP + NOP + SOK
    c, s = [10, 9, 0, 1], [10, 9, 0, 2]
    # (time, client port, client ttl, SYN options, window, server ttl,
    #  server ts1)
    seq = [
        (0.0, 40000, 64, lnx(100000), 29200, 64, 500000),
        (1.0, 40100, 60, lnx(101000), 29200, 64, 501000),
        (2.0, 39000, 60, lnx(102000, 1400), 28000, 64, 502000),
        (3.0, 39100, 60, lnx(103000), 29200, 60, 503000),
        (4.0, 39200, 60, lnx(903000), 29200, 64, 9503000),
        (5.0, 39300, 125, win, 8192, 64, 505000),
        (6.0, 39400, 64, lnx(106000), 29200, 64, 506000),
        (6.5, 39500, 61, lnx(106500), 29200, 61, 506500),
        (7.0, 39600, 64, MSS(1460) + NOP + NOP + SOK, 65535, 64, 507000),
        (7.5, 39700, 64, lnx(0), 29200, 64, 0),
        (8.0, 39800, 62, lnx(108000), 29200, 128, 508000),
        (8.5, 39900, 64, lnx(108500), 29200, 64, 508500),
        (9.0, 40900, 57, lnx(109000), 29200, 64, 509000),
        (9.5, 41900, 64, win, 8192, 64, 509500),
        (10.0, 42900, 64, lnx(110000), 29200, 64, 510000),
    ]
    sa = MSS(1460) + SOK
    for i, (t, port, ttl, opts, w, sttl, sts) in enumerate(seq):
        t0 = 1600000000 + t
        pk.append((t0, ip4(c, s, tcp(port, 443, 1000 + i, 0, SYN, w, opts),
                           ttl=ttl)))
        pk.append((t0 + 0.01, ip4(s, c, tcp(
            443, port, 7000 + i, 1001 + i, SYN | ACK, 28960,
            sa + TS(sts, 1) + NOP + WS(7)), ttl=sttl)))
        cts = 100000 + int(t * 1000) + 200
        pk.append((t0 + 0.2, ip4(c, s, tcp(
            port, 443, 1001 + i, 7001 + i, ACK, 229,
            NOP + NOP + TS(cts, sts)), ttl=ttl)))
        pk.append((t0 + 0.3, ip4(s, c, tcp(
            443, port, 7001 + i, 1001 + i, ACK, 227,
            NOP + NOP + TS(sts + 300, 1)), ttl=sttl)))
    return pk


if __name__ == '__main__':
    out = sys.argv[1]
    write_pcap(out + '/quirks.pcap', quirks())
    write_pcap(out + '/nat.pcap', nat())
