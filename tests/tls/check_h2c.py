#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""h2c fingerprints of real clients against tshark's HTTP/2 dissector.

  check_h2c.py [--h2-file TOOL]

Runs each available client with HTTP/2 prior knowledge against a local
listener that records the client's bytes (no server reply is needed: the
client sends its preface, SETTINGS, WINDOW_UPDATE and first HEADERS at
once), computes the fingerprint with osprey's module (tests/tls/h2_file)
and, independently, from tshark's decode of the same bytes (text2pcap
wraps them in a TCP packet; tshark decodes the frames and HPACK), and
compares.  Prints PASS/FAIL/SKIPPED lines.
"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading

TOP = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
OUTPUT = os.environ.get("OUTPUT", os.path.join(TOP, ".output"))
PSEUDO = {":method": "m", ":authority": "a", ":scheme": "s", ":path": "p"}

# name, argv (URL appended)
CLIENTS = [
    ("curl-get", ["curl", "-s", "--http2-prior-knowledge", "-m", "3",
                  "-o", "/dev/null"]),
    ("curl-post", ["curl", "-s", "--http2-prior-knowledge", "-m", "3",
                   "-o", "/dev/null", "-d", "x=1", "-H", "X-Test: 1"]),
]


def record(argv):
    """Runs the client against a listener; returns the bytes it sent."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    srv.settimeout(5)
    port = srv.getsockname()[1]
    got = bytearray()

    def serve():
        try:
            c, _ = srv.accept()
        except socket.timeout:
            return
        c.settimeout(1)
        try:
            while True:
                d = c.recv(65536)
                if not d:
                    break
                got.extend(d)
        except socket.timeout:
            pass
        c.close()

    t = threading.Thread(target=serve)
    t.start()
    subprocess.run(argv + ["http://127.0.0.1:%d/a/path?q=1" % port],
                   capture_output=True, timeout=10)
    t.join()
    srv.close()
    return bytes(got)


def as_list(v):
    return v if isinstance(v, list) else [v]


def tshark_fp(data, tmp):
    """The fingerprint from tshark's decode of the client's bytes."""
    hexf, pcap = os.path.join(tmp, "c.hex"), os.path.join(tmp, "c.pcap")
    with open(hexf, "w") as f:
        for i in range(0, len(data), 16):
            f.write("%06x %s\n" % (i, " ".join(
                "%02x" % b for b in data[i:i + 16])))
    subprocess.run(["text2pcap", "-q", "-T", "40000,80", hexf, pcap],
                   check=True, capture_output=True)
    out = subprocess.run(["tshark", "-r", pcap, "-d", "tcp.port==80,http2",
                          "-T", "json", "--no-duplicate-keys"],
                         capture_output=True, text=True, check=True).stdout
    frames = []
    for pkt in json.loads(out):
        for h in as_list(pkt["_source"]["layers"].get("http2", [])):
            frames += [s["http2.stream"] for s in as_list(h)
                       if "http2.stream" in s]
    settings, wu, prio, pseudo = None, None, [], []
    for fr in frames:
        t = fr.get("http2.type")
        if t == "4" and settings is None and \
                fr.get("http2.flags") == "0x00":
            settings = []
            for s in as_list(fr.get("http2.settings", [])):
                val = [v for k, v in s.items() if k != "http2.settings.id"]
                settings.append("%s:%s" % (s["http2.settings.id"], val[0]))
        elif t == "8" and fr.get("http2.streamid") == "0" and wu is None:
            wu = fr["http2.window_update.window_size_increment"]
        elif t == "2":
            prio.append("%s:%s:%s:%d" % (
                fr["http2.streamid"], fr["http2.exclusive"],
                fr["http2.stream_dependency"], int(fr["http2.weight"]) + 1))
        elif t == "1":
            for h in as_list(fr.get("http2.header", [])):
                n = h.get("http2.header.name", "")
                if not n.startswith(":"):
                    break
                if n in PSEUDO:
                    pseudo.append(PSEUDO[n])
            break
    return "%s|%s|%s|%s" % (";".join(settings or []), wu or "00",
                            ",".join(prio) or "0", ",".join(pseudo))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--h2-file", default=os.path.join(
        OUTPUT, "tests/tls/h2_file"))
    args = ap.parse_args()
    if not os.access(args.h2_file, os.X_OK):
        print("FAIL: tls/h2c: %s not built (make tests)" % args.h2_file)
        return 1
    for tool in ("tshark", "text2pcap", "curl"):
        if not shutil.which(tool):
            print("SKIPPED: tls/h2c: %s not installed" % tool)
            return 0
    fails = 0
    with tempfile.TemporaryDirectory(prefix="osprey-h2c.") as tmp:
        for name, argv in CLIENTS:
            data = record(argv)
            if not data.startswith(b"PRI * HTTP/2.0"):
                print("SKIPPED: tls/h2c/%s: client sent no h2c preface "
                      "(%r)" % (name, data[:16]))
                continue
            path = os.path.join(tmp, name + ".bin")
            with open(path, "wb") as f:
                f.write(data)
            mine = subprocess.run([args.h2_file, path], capture_output=True,
                                  text=True).stdout.strip()
            ref = tshark_fp(data, tmp)
            if mine == ref:
                print("PASS: tls/h2c/%s: %s" % (name, mine))
            else:
                print("FAIL: tls/h2c/%s: expected %s (tshark), got %s"
                      % (name, ref, mine))
                fails += 1
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
