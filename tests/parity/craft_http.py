#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write pcaps of hand-made HTTP flows that reach p0f's HTTP corner cases.

Each flow is SYN, SYN+ACK, ACK, then request segments and response
segments (a Linux 3.11+ or a Windows 7 SYN, so the TCP OS is known).

edges.pcap: one flow per parsing / raw_sig corner: CRLF and LF endings,
folded and malformed lines, 32 and 33 headers, 32/33-char names, values
over HTTP_MAX_SHOW, '|' and ']' in known and unknown headers, blanks after
':', CR inside a value, non-ASCII, lower-case names, requests and
responses split across segments (p0f loses the cut response line), POST,
absolute URI, bad version, TLS bytes, truncated request, Accept-Language
forms, Via / X-Forwarded-For, dishonest User-Agent, UA vs Windows SYN.
nat.pcap: repeat visits to a few servers and clients: Date drift, server
software change on one port and on another port, known -> unknown server,
UA naming another OS than the SYN (Linux, Mac OS X, iPad).
tiny.pcap + tiny.fp: a five-sig database and requests for the matching
rules: header order, optional present / elsewhere, absent headers, value
substrings, first non-generic vs earlier generic, HTTP version, OS sig.

usage: craft_http.py OUTDIR
"""
import os
import struct
import sys

CR = '\r\n'


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def addr(a):
    return bytes(int(x) for x in a.split('.'))


def frame(src, dst, sp, dp, seq, ack, flags, win, opts=b'', pay=b'',
          ttl=64):
    while len(opts) % 4:
        opts += b'\x01'
    tcp = struct.pack('!HHIIBBHHH', sp, dp, seq, ack,
                      ((20 + len(opts)) // 4) << 4, flags, win, 0, 0) + opts
    pseudo = addr(src) + addr(dst) + struct.pack('!BBH', 0, 6,
                                                 len(tcp) + len(pay))
    tcp = tcp[:16] + struct.pack('!H', csum(pseudo + tcp + pay)) + tcp[18:]
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(tcp) + len(pay), 1,
                     0x4000, ttl, 6, 0, addr(src), addr(dst))
    ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
    return (b'\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\x08\x00' +
            ip + tcp + pay)


MSS = struct.pack('!BBH', 2, 4, 1460)
LINUX_SYN = MSS + b'\x04\x02' + struct.pack('!BBII', 8, 10, 12345, 0) + \
    b'\x01\x03\x03\x0a'
WIN7_SYN = MSS + b'\x01\x03\x03\x08\x01\x01\x04\x02'
SYNACK = MSS + b'\x04\x02' + struct.pack('!BBII', 8, 10, 999, 12345) + \
    b'\x01\x03\x03\x07'


class Capture:
    def __init__(self):
        self.pkts = []
        self.t = 1700000000.0  # Tue, 14 Nov 2023 22:13:20 GMT

    def add(self, pkt):
        self.pkts.append((self.t, pkt))
        self.t += 0.01

    def flow(self, cli, srv, sport, req, resp=(), os_='linux', dport=80):
        cseq, sseq = 1000, 5000
        if os_ == 'win':
            self.add(frame(cli, srv, sport, dport, cseq, 0, 0x02, 8192,
                           WIN7_SYN, ttl=128))
        else:
            self.add(frame(cli, srv, sport, dport, cseq, 0, 0x02, 29200,
                           LINUX_SYN))
        self.add(frame(srv, cli, dport, sport, sseq, cseq + 1, 0x12, 28960,
                       SYNACK))
        cseq += 1
        sseq += 1
        self.add(frame(cli, srv, sport, dport, cseq, sseq, 0x10, 229))
        for s in req:
            b = s.encode('latin1')
            self.add(frame(cli, srv, sport, dport, cseq, sseq, 0x18, 229,
                           pay=b))
            cseq += len(b)
        for s in resp:
            b = s.encode('latin1')
            self.add(frame(srv, cli, dport, sport, sseq, cseq, 0x18, 227,
                           pay=b))
            sseq += len(b)
        self.t += 1

    def write(self, path):
        with open(path, 'wb') as f:
            f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
            for t, p in self.pkts:
                sec = int(t)
                usec = int(round((t - sec) * 1e6))
                f.write(struct.pack('<IIII', sec, usec, len(p), len(p)) + p)


def req(lines, eol=CR, first='GET / HTTP/1.1'):
    return first + eol + eol.join(lines) + eol + eol


def ff_ua(os_text):
    return ('User-Agent: Mozilla/5.0 (%s; rv:38.0) Gecko/20100101 '
            'Firefox/38.0' % os_text)


FF = ['Host: example.com', ff_ua('X11; Linux x86_64'),
      'Accept: text/html,application/xhtml+xml,application/xml;q=0.9,'
      '*/*;q=0.8', 'Accept-Language: en-US,en;q=0.5',
      'Accept-Encoding: gzip, deflate', 'Connection: keep-alive']
CURL = req(['Host: a.b', 'User-Agent: curl/7.81.0', 'Accept: */*'])
APACHE = ('HTTP/1.1 200 OK\r\nDate: Tue, 14 Nov 2023 22:13:20 GMT\r\n'
          'Server: Apache/2.4.6 (CentOS)\r\n'
          'Last-Modified: Mon, 01 Jan 2018 00:00:00 GMT\r\n'
          'Accept-Ranges: bytes\r\nContent-Length: 12\r\n'
          'Keep-Alive: timeout=5, max=100\r\nConnection: Keep-Alive\r\n'
          'Content-Type: text/html; charset=UTF-8\r\n\r\nhello world\n')


def apache(date):
    return ('HTTP/1.1 200 OK\r\nDate: %s\r\nServer: Apache/2.4.6 (CentOS)'
            '\r\nConnection: Keep-Alive\r\nKeep-Alive: timeout=5, max=100'
            '\r\n\r\n' % date)


def nginx(date):
    return ('HTTP/1.1 200 OK\r\nServer: nginx/1.18.0\r\nDate: %s\r\n'
            'Content-Type: text/html\r\nContent-Length: 5\r\n'
            'Connection: close\r\n\r\nhello' % date)


def edges(cap):
    n = [0]

    def one(r, resp=(), **kw):
        n[0] += 1
        i = n[0]
        cap.flow('10.0.1.%d' % i, '192.168.1.%d' % i, 40000 + i,
                 r if isinstance(r, list) else [r], resp, **kw)

    ff = req(FF)
    one(ff, [APACHE])
    one(req(FF, eol='\n'), [APACHE.replace('\r\n', '\n')])
    one(ff, os_='win')
    one(CURL)
    one(req(['User-Agent: Wget/1.21.2', 'Accept: */*',
             'Accept-Encoding: identity', 'Host: a.b',
             'Connection: Keep-Alive']))
    one(req(['Host: a.b', 'X-Thing: a|b]c', 'Cookie: x=1',
             'Referer: http://x/', 'User-Agent: zz|yy]q',
             'Accept-Language: de']))
    one(req(['Host: a.b', 'Accept: ' + 'x' * 250, 'X-Long: ' + 'y' * 250,
             'User-Agent: ' + 'u' * 230]))
    one(req(['Host: a.b', 'User-Agent: foo', ' bar', 'Accept: */*']))
    one(req(['Host: a.b'] + ['X-H%d: v' % i for i in range(32)]))
    one(req(['Host: a.b'] + ['X-H%d: v' % i for i in range(31)]))
    one([ff[:60], ff[60:]])
    one(ff, [APACHE[:70], APACHE[70:]])
    cut = APACHE.index('Server')
    one(ff, [APACHE[:cut], APACHE[cut:]])
    one('\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03' + 'A' * 40)
    one(req(['Host: a.b'], first='POST / HTTP/1.1'))
    one(req(['Host: a.b', 'User-Agent: x'], first='GET /index.html HTTP/1.0'))
    for al in ('EN-us', 'xx-YY', 'eng', 'pl,en;q=0.8', 'e', 'zh-CN'):
        one(req(['Host: a.b', 'Accept-Language: ' + al]))
    one(req(['Host: a.b', 'User-Agent: curl/7.81.0', 'Accept: */*',
             'Via: 1.1 proxy']))
    one(req(['Host: a.b', 'User-Agent: curl/7.81.0', 'Accept: */*',
             'X-Forwarded-For: 1.2.3.4']))
    one(req([h if not h.startswith('User-Agent') else
             'User-Agent: Opera/9.80' for h in FF]))
    one(req(['Host: a.b', 'X-Empty:', 'User-Agent:', 'Accept: */*']))
    one(req(['Host:\ta.b', 'User-Agent:  two spaces', 'Accept:*/*']))
    one(req(['Host: a.b', 'X-Cr: a\rb', 'User-Agent: q']))
    one(req(['Host: a.b', 'X-Hi: caf\xe9 ok', 'User-Agent: \xe9x']))
    one(req(['host: a.b', 'user-agent: curl/7', 'accept: */*']))
    one(req(['Host: a.b', 'X' * 32 + ': v']))
    one(req(['Host: a.b', 'X' * 33 + ': v']))
    one(ff[:100])
    one(req(['Host: a.b', 'Garbage line here', 'Accept: */*']))
    one('GET / HTTP/1.\r\nHost: a\r\n\r\n')
    one(req(['Host: a.b', 'User-Agent: x'], first='HEAD / HTTP/1.1'))
    one(req(['Host: a.b'], first='GET http://a.b/ HTTP/1.1'))
    one(CURL, [nginx('Tue, 14 Nov 2023 22:13:25 GMT')])
    one(CURL, ['HTTP/1.0 404 Not Found\nServer: weird|srv]x\n'
               'X-Odd: p|q]r\nSet-Cookie: a=b\n\n'])
    one(CURL, ['HTTP/1.1 200\r\n\r\n'])
    one(CURL, ['HTTP/1.1 200 \x01K\r\n\r\n'])
    one(CURL, ['SSH-2.0-OpenSSH_8.9\r\n'])
    one(req(['Host: a.b', 'User-Agent: Mozilla/4.0 (compatible; MSIE 8.0; '
             'Windows NT 6.1)', 'Accept: */*']),
        ['HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Type: text/html'
         '\r\nServer: Microsoft-IIS/7.5\r\n'
         'Date: Tue, 14 Nov 2023 22:13:25 GMT\r\n\r\nabc'], os_='win')


def nat(cap):
    day = 'Tue, 14 Nov 2023 %s GMT'
    # one server, its Date: back 60 s, 15 s ahead, an hour ahead, fine
    for i, hms in enumerate(('22:13:20', '22:12:20', '22:12:35', '23:12:35',
                             '23:12:40')):
        cap.flow('10.9.0.1', '192.168.9.1', 41000 + i, [CURL],
                 [apache(day % hms)])
    # another app on the same port; then on another port
    cap.flow('10.9.0.2', '192.168.9.2', 41000, [CURL],
             [apache(day % '22:13:30')])
    cap.flow('10.9.0.2', '192.168.9.2', 41001, [CURL],
             [nginx(day % '22:13:31')])
    cap.flow('10.9.0.3', '192.168.9.3', 41000, [CURL],
             [apache(day % '22:13:33')])
    cap.flow('10.9.0.3', '192.168.9.3', 41001, [CURL],
             [nginx(day % '22:13:34')], dport=8080)
    # known server sig, then an unknown one
    cap.flow('10.9.0.4', '192.168.9.4', 41000, [CURL],
             [apache(day % '22:13:35')])
    cap.flow('10.9.0.4', '192.168.9.4', 41001, [CURL],
             ['HTTP/1.1 200 OK\r\nX-Foo: 1\r\nDate: %s\r\n\r\n' %
              (day % '22:13:36')])
    # User-Agent vs the SYN's OS
    ffr = req([h for h in FF if not h.startswith('User-Agent')][:1] +
              ['%s'] + FF[2:])
    cap.flow('10.9.0.5', '192.168.9.5', 41000,
             [ffr % ff_ua('X11; Linux x86_64')], os_='win')
    cap.flow('10.9.0.5', '192.168.9.5', 41001,
             [ffr % ff_ua('Windows NT 6.1; WOW64')], os_='win')
    cap.flow('10.9.0.6', '192.168.9.6', 41000,
             [ffr % ff_ua('Macintosh; Intel Mac OS X 10.10')])
    cap.flow('10.9.0.7', '192.168.9.7', 41000,
             [ffr % ff_ua('iPad; CPU OS 9_0 like Mac OS X')])


TINY_FP = """classes = win,unix,other

[http:request]
ua_os = Linux,Windows

label = s:unix:Linux:test
sig = *:Host,X-Os-Hint=[linux]::

label = g:!:Gen:
sys = @unix
sig = *:Host::

label = s:!:A:
sys = @unix
sig = *:Host,?Cookie,X-A=[foo]:X-Banned:A-Agent

label = s:!:B:
sys = @unix
sig = *:Host,X-B::

label = s:!:V0:
sys = @unix
sig = 0:Host,X-V::
"""


def tiny(cap):
    rows = [
        ['Host: a', 'X-A: xfoox', 'User-Agent: A-Agent/1'],
        ['Host: a', 'X-A: bar'],
        ['X-A: foo', 'Host: a'],
        ['Host: a', 'Cookie: c', 'X-A: foo'],
        ['Host: a', 'X-A: foo', 'Cookie: c'],
        ['Host: a', 'X-A: foo', 'X-Banned: 1'],
        ['Host: a', 'X-B: 1'],
        ['Host: a', 'X-A: foo', 'User-Agent: Other'],
        ['Host: a', 'X-V: 1'],
        ['Host: a', 'X-Os-Hint: my-linux-box'],
        ['X-B: 1'],
        ['Host: a', 'X-A:'],
    ]
    for i, r in enumerate(rows):
        cap.flow('10.0.3.%d' % (i + 1), '192.168.3.%d' % (i + 1), 40000 + i,
                 [req(r)])
    cap.flow('10.0.3.99', '192.168.3.99', 40099,
             [req(['Host: a', 'X-V: 1'], first='GET / HTTP/1.0')])


def main():
    if len(sys.argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    out = sys.argv[1]
    for name, fn in (('edges', edges), ('nat', nat), ('tiny', tiny)):
        cap = Capture()
        fn(cap)
        cap.write(os.path.join(out, name + '.pcap'))
    with open(os.path.join(out, 'tiny.fp'), 'w') as f:
        f.write(TINY_FP)
    return 0


if __name__ == '__main__':
    sys.exit(main())
