#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Check osprey's TLS fingerprints against peers, capture by capture.

  check_tls.py [--producer CMD] [--show N] foxio  [PCAP_DIR SNAP_DIR]
  check_tls.py [--producer CMD] [--show N] tshark [CAPTURE|DIR ...]

Without paths: ../shared/tls/foxio/{pcap,expected}, and for tshark
../shared/pcaps and ../shared/tls/foxio/pcap (SHARED overrides ../shared).

foxio:  JA4 of every TCP stream against FoxIO-LLC/ja4's expected values
        (rust/ja4/src/snapshots/ja4__insta@<capture>.snap).
tshark: JA3 / JA3S strings and hashes against Debian tshark's
        tls.handshake.ja3_full / ja3 / ja3s_full / ja3s, for every
        handshake both see.

The producer is a command that prints one JSON record per line for a
capture ("{}" is replaced by its path); by default osprey itself,
`osprey -r {} --json`: records with "mod" "tls_client" (ja4, ja3,
ja3_string, alpn), "tls_server" (ja3s, ja3s_string), or either with
"error" for a hello osprey began and did not fingerprint (incomplete,
malformed, too-large, sslv2).

Where a peer has a hello and osprey none, the capture itself says why
(from tshark's view of the TCP streams): the stream does not start with
a TLS record and the hello does not start a segment (tls-tunnel), or
the connection's SYN is not in the capture and no payload opens with a
hello (no-handshake).

Differences the JA4 specification asks for (tests/parity/DEVIATIONS.md):
  tls-alpn-hex  FoxIO prints "99" for a non-ASCII ALPN byte; the
                specification's hex rule gives the hex digits.
  tls-tunnel    a ClientHello inside another protocol's framing (OpenVPN
                over TCP) or sharing a segment with the bytes before it
                is not fingerprinted; peers find it.
  tls-refused   a hello osprey refuses (SSLv2 form, malformed) is
                reported with "error", not fingerprinted.
Each is applied only where the records or the capture show it holds.

Output: one line per capture, a summary, and PASS/FAIL lines for
tests/run.sh (one per capture with anything to compare).
"""
import argparse
import concurrent.futures
import ipaddress
import json
import os
import re
import shlex
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
TOOL = os.path.join(os.environ.get("OUTPUT", os.path.join(TOP, ".output")),
                    "osprey")
DEF_PRODUCER = TOOL + " -r {} --json"
SHARED = os.environ.get("SHARED", os.path.join(TOP, "..", "shared"))
CAPTURE_EXT = (".pcap", ".pcapng", ".cap", ".pcap.gz")


def norm(addr, port):
    return (str(ipaddress.ip_address(addr)), int(port))


def produce(cmd, path):
    """Runs the producer on a capture; returns its records."""
    argv = [a.replace("{}", path) for a in shlex.split(cmd)]
    p = subprocess.run(argv, capture_output=True, text=True,
                       errors="replace")
    # a damaged capture: osprey prints what it read, then exits 1 (the
    # `damaged` row of DEVIATIONS.md); those records count
    damaged = p.returncode == 1 and "capture damaged" in p.stderr
    if p.returncode and not damaged:
        raise RuntimeError("%s: exit %d: %s" % (
            argv[0], p.returncode, p.stderr.strip()[-300:]))
    recs = []
    for line in p.stdout.splitlines():
        if line.startswith("{"):
            recs.append(json.loads(line))
    return recs


def ends(rec, a="client", b="server"):
    return (norm(rec[a]["addr"], rec[a]["port"]),
            norm(rec[b]["addr"], rec[b]["port"]))


def by_conn(recs, mod, key):
    """{(client, server): [records]} of the fingerprinted hellos."""
    out = {}
    for r in recs:
        if r["mod"] == mod and key in r:
            out.setdefault(ends(r), []).append(r)
    return out


def failed(recs):
    """{(client, server, "client"|"server"): error} of hellos osprey began
    and did not fingerprint."""
    return {ends(r) + (r["mod"].split("_")[-1],): r["error"] for r in recs
            if r["mod"] in ("tls_client", "tls_server") and "error" in r}


TSHARK_STREAM_FIELDS = ["ip.src", "ipv6.src", "tcp.srcport", "ip.dst",
                        "ipv6.dst", "tcp.dstport", "tcp.flags.syn",
                        "tcp.flags.ack", "tcp.seq_raw", "tcp.len",
                        "tcp.payload"]


def stream_facts(path):
    """From tshark's view of the capture: {(sender, receiver): facts} with
    "syn" (the sender's SYN or SYN+ACK is in the capture) and "first"
    (hex of the first bytes of its stream: from its SYN's sequence number
    + 1, else from its first payload)."""
    argv = ["tshark", "-n", "-r", path, "-Y", "tcp", "-T", "fields",
            "-E", "separator=\t", "-E", "occurrence=l"]
    for f in TSHARK_STREAM_FIELDS:
        argv += ["-e", f]
    p = subprocess.run(argv, capture_output=True, text=True,
                       errors="replace")
    facts = {}
    for line in p.stdout.splitlines():
        v = line.split("\t")
        if len(v) < len(TSHARK_STREAM_FIELDS) or not v[2] or not v[5]:
            continue
        try:
            a = norm(v[1] or v[0], v[2])
            b = norm(v[4] or v[3], v[5])
            seq, n = int(v[8] or 0), int(v[9] or 0)
        except ValueError:
            continue
        st = facts.setdefault((a, b), {"syn": False, "isn": None,
                                       "first": None})
        if v[6] == "1":
            st["syn"] = True
            st["isn"] = (seq + 1) & 0xffffffff
        if n and st["first"] is None and st["isn"] in (None, seq):
            st["first"] = v[10][:16]
    return facts


def why_none(facts, stream, err):
    """Why osprey has no fingerprint for the hello of `stream`
    (sender, receiver): "tls-refused: ...", "tls-tunnel: ...",
    "no-handshake: ..." or None when nothing explains it."""
    if err:
        return "tls-refused: osprey: %s" % err
    st = facts.get(stream)
    if st is None:
        return None
    if not st["syn"]:
        return "no-handshake: the capture has no SYN of this connection"
    if st["first"] and not st["first"].startswith("16"):
        return "tls-tunnel: stream starts %s" % st["first"]
    return None


# ------------------------------------------------------------- foxio
def read_snap(path):
    """The TCP entries with a ja4 of an insta snapshot (YAML subset)."""
    entries, cur = [], None
    for line in open(path, encoding="utf-8"):
        m = re.match(r"^- stream: (\d+)", line)
        if m:
            cur = {"stream": int(m.group(1))}
            entries.append(cur)
            continue
        m = re.match(r"^  (\w+): (.*)$", line)
        if m and cur is not None:
            cur[m.group(1)] = m.group(2).strip()
    return [e for e in entries if e.get("transport") == "tcp" and "ja4" in e]


def alpn_hex_ok(exp, got, rec):
    """FoxIO's "99" against the specification's hex rule, where the first
    ALPN value's first or last byte is outside ASCII."""
    if exp[:8] != got[:8] or exp[10:] != got[10:] or exp[8:10] == got[8:10]:
        return False
    if not rec.get("alpn"):
        return False
    name = rec["alpn"][0]
    return bool(name) and (ord(name[0]) > 0x7f or ord(name[-1]) > 0x7f)


def foxio_capture(args, pcap, snap):
    exp = read_snap(snap)
    recs = produce(args.producer, pcap)
    mine = by_conn(recs, "tls_client", "ja4")
    errs = failed(recs)
    facts = None
    st = {"expected": len(exp), "agree": 0, "tls-alpn-hex": 0,
          "tls-tunnel": 0, "tls-refused": 0, "no-handshake": 0,
          "disagree": 0, "missing": 0}
    seen, notes = {}, []
    for e in exp:
        key = (norm(e["src"], e["src_port"]), norm(e["dst"], e["dst_port"]))
        i = seen.get(key, 0)
        seen[key] = i + 1
        got = mine.get(key, [])
        if i < len(got):
            g = got[i]["ja4"]
            if g == e["ja4"]:
                st["agree"] += 1
            elif alpn_hex_ok(e["ja4"], g, got[i]):
                st["tls-alpn-hex"] += 1
                notes.append("stream %d: tls-alpn-hex: FoxIO %s, spec %s"
                             % (e["stream"], e["ja4"], g))
            else:
                st["disagree"] += 1
                notes.append("stream %d: expected %s, got %s"
                             % (e["stream"], e["ja4"], g))
            continue
        if facts is None:
            facts = stream_facts(pcap)
        why = why_none(facts, key, errs.get(key + ("client",)))
        kind = why.split(":")[0] if why else "missing"
        st[kind] += 1
        notes.append("stream %d: %s, FoxIO %s" % (
            e["stream"], why or "expected, got nothing", e["ja4"]))
    extra = sum(max(0, len(v) - seen.get(k, 0)) for k, v in mine.items())
    st["extra"] = extra
    return st, notes


def cmd_foxio(args):
    if not os.path.isdir(args.pcaps) or not os.path.isdir(args.snaps):
        print("SKIPPED: tls/foxio: %s or %s absent" % (args.pcaps, args.snaps))
        return 0
    tot, fails = {}, 0
    for name in sorted(os.listdir(args.pcaps)):
        snap = os.path.join(args.snaps, "ja4__insta@%s.snap" % name)
        if not os.path.exists(snap):
            continue
        try:
            st, notes = foxio_capture(args, os.path.join(args.pcaps, name),
                                      snap)
        except RuntimeError as ex:
            print("FAIL: tls/foxio/%s: %s" % (name, ex))
            fails += 1
            continue
        for k, v in st.items():
            tot[k] = tot.get(k, 0) + v
        if not st["expected"] and not st["extra"]:
            continue
        line = ", ".join("%s %d" % kv for kv in st.items())
        bad = st["disagree"] + st["missing"]
        print("%s: tls/foxio/%s: %s" % ("FAIL" if bad else "PASS", name, line))
        for n in notes[:args.show]:
            print("      " + n)
        fails += bool(bad)
    print("foxio summary: " + ", ".join("%s %d" % kv for kv in tot.items()))
    return 1 if fails else 0


# ------------------------------------------------------------ tshark
TSHARK_FIELDS = ["ip.src", "ipv6.src", "tcp.srcport", "ip.dst", "ipv6.dst",
                 "tcp.dstport", "tls.handshake.ja3_full", "tls.handshake.ja3",
                 "tls.handshake.ja3s_full", "tls.handshake.ja3s"]


def tshark_hellos(path, ports):
    """{(client, server): [ja3_full, ja3]} and likewise for ja3s, first
    hello of each connection, from tshark's TLS dissector.  tshark finds
    TLS by port: `ports` (where osprey saw hellos) are decoded as TLS."""
    # out-of-order segments are reassembled, as osprey does
    argv = ["tshark", "-n", "-o", "tcp.reassemble_out_of_order:TRUE", "-r",
            path]
    for p in sorted(ports):
        argv += ["-d", "tcp.port==%d,tls" % p]
    argv += ["-Y",
            "tls.handshake.ja3_full || tls.handshake.ja3s_full",
            "-T", "fields", "-E", "separator=\t", "-E", "occurrence=a",
            "-E", "aggregator=\x1f"]
    for f in TSHARK_FIELDS:
        argv += ["-e", f]
    p = subprocess.run(argv, capture_output=True, text=True,
                       errors="replace")
    cli, srv = {}, {}
    for line in p.stdout.splitlines():
        v = [x.split("\x1f") for x in line.split("\t")]
        if len(v) < len(TSHARK_FIELDS):
            continue
        # tunnels (GRE, VXLAN...): the innermost header is the last one
        src = (v[1][-1] or v[0][-1], v[2][-1])
        dst = (v[4][-1] or v[3][-1], v[5][-1])
        if not src[0] or not dst[0] or not src[1]:
            continue
        a, b = norm(*src), norm(*dst)
        if v[6][0]:
            for full, h in zip(v[6], v[7]):
                cli.setdefault((a, b), []).append((full, h))
        if v[8][0]:
            for full, h in zip(v[8], v[9]):
                srv.setdefault((b, a), []).append((full, h))
    return cli, srv


def compare_kind(mine, theirs, skey, hkey, st, notes, kind, explain):
    for key, lst in theirs.items():
        full, h = lst[0]
        got = mine.get(key)
        if not got:
            why = explain(key, kind)
            which = why.split(":")[0] if why else "only_tshark"
            st[which] = st.get(which, 0) + 1
            notes.append("%s %s: only tshark (%s): %s" % (
                kind, key, why or "osprey has no hello", full))
            continue
        g = got[0]
        if g[skey] == full and g[hkey] == h:
            st["agree"] += 1
        else:
            st["disagree"] += 1
            notes.append("%s %s: tshark %s %s, osprey %s %s" % (
                kind, key, h, full, g[hkey], g[skey]))
    for key, got in mine.items():
        if key not in theirs:
            st["only_osprey"] += 1
            notes.append("%s %s: only osprey: %s" % (kind, key,
                                                     got[0][skey]))


def tshark_capture(args, path):
    recs = produce(args.producer, path)
    ports = {r["server"]["port"] for r in recs
             if r["mod"] in ("tls_client", "tls_server")}
    cli, srv = tshark_hellos(path, ports)
    st = {"agree": 0, "disagree": 0, "only_tshark": 0, "only_osprey": 0}
    notes = []
    errs = failed(recs)
    facts = {}

    def explain(key, kind):
        side = "client" if kind == "ja3" else "server"
        stream = key if side == "client" else (key[1], key[0])
        if not facts:
            facts.update(stream_facts(path) or {None: None})
        return why_none(facts, stream, errs.get(key + (side,)))

    compare_kind(by_conn(recs, "tls_client", "ja3"), cli, "ja3_string",
                 "ja3", st, notes, "ja3", explain)
    compare_kind(by_conn(recs, "tls_server", "ja3s"), srv, "ja3s_string",
                 "ja3s", st, notes, "ja3s", explain)
    return st, notes


def captures(paths):
    for p in paths:
        if os.path.isdir(p):
            for d, _, files in sorted(os.walk(p)):
                for f in sorted(files):
                    if f.endswith(CAPTURE_EXT):
                        yield os.path.join(d, f)
        elif os.path.exists(p):
            yield p


def cmd_tshark(args):
    if subprocess.run(["sh", "-c", "command -v tshark"],
                      capture_output=True).returncode:
        print("SKIPPED: tls/tshark: tshark not installed")
        return 0
    files = list(captures(args.paths))
    if not files:
        print("SKIPPED: tls/tshark: no captures in %s" % " ".join(args.paths))
        return 0
    tot = {"captures": 0}
    fails = 0

    def one(path):
        try:
            return tshark_capture(args, path)
        except RuntimeError as ex:
            return ex

    # tshark and the producer are separate processes: run a few at once,
    # print in capture order
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(one, files))
    for path, res in zip(files, results):
        name = os.path.relpath(path, args.rel) if args.rel else path
        if isinstance(res, Exception):
            print("FAIL: tls/tshark/%s: %s" % (name, res))
            fails += 1
            continue
        st, notes = res
        tot["captures"] += 1
        for k, v in st.items():
            tot[k] = tot.get(k, 0) + v
        if not any(st.values()):
            continue
        line = ", ".join("%s %d" % kv for kv in st.items())
        print("%s: tls/tshark/%s: %s" % (
            "FAIL" if st["disagree"] else "PASS", name, line))
        for n in notes[:args.show]:
            print("      " + n)
        fails += bool(st["disagree"])
    print("tshark summary: " + ", ".join("%s %d" % kv for kv in tot.items()))
    return 1 if fails else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--producer", default=DEF_PRODUCER)
    ap.add_argument("--show", type=int, default=5,
                    help="notes shown per capture")
    sub = ap.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("foxio")
    f.add_argument("pcaps", nargs="?",
                   default=os.path.join(SHARED, "tls", "foxio", "pcap"))
    f.add_argument("snaps", nargs="?",
                   default=os.path.join(SHARED, "tls", "foxio", "expected"))
    t = sub.add_parser("tshark")
    t.add_argument("--rel", help="print capture names relative to this")
    t.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    t.add_argument("paths", nargs="*")
    args = ap.parse_args()
    if args.producer == DEF_PRODUCER and not os.access(TOOL, os.X_OK):
        print("FAIL: tls/%s: %s not built (make tests)" % (args.cmd, TOOL))
        return 1
    if args.cmd == "foxio":
        return cmd_foxio(args)
    if not args.paths:
        args.paths = [os.path.join(SHARED, "pcaps"),
                      os.path.join(SHARED, "tls", "foxio", "pcap")]
        args.rel = args.rel or SHARED
    return cmd_tshark(args)


if __name__ == "__main__":
    sys.exit(main())
