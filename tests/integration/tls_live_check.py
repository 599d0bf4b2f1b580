#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Check osprey's live TLS records against tshark on a recording of the
same traffic (tests/integration/test_tls_live.sh).

  tls_live_check.py SUITE/PATH JSON PCAP NAME:PORT...

For each client NAME (its connections are the ones to server port PORT):
osprey printed at least one complete "tls_client" record (ja4, ja3) there,
and for every ClientHello and ServerHello tshark decodes on those
connections osprey's JA3 / JA3S string and hash are the same; no osprey
hello that tshark lacks.  A NAME starting with h2c is an h2c client
instead: osprey's "http request" record there carries h2=, equal to the
fingerprint tests/tls/check_h2c.py derives from tshark's HTTP/2 decode of
the client's bytes in the recording.  One PASS/FAIL line per client, a
"# " line with what osprey printed.
"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tls"))
import check_h2c  # noqa: E402  (tshark_fp)
import check_tls  # noqa: E402  (tshark_hellos, by_conn)


def client_bytes(pcap, port):
    """The client's bytes of the first connection to `port`, as tshark
    reassembles them (follow,tcp,raw: client lines are not indented)."""
    idx = subprocess.run(
        ["tshark", "-r", pcap, "-Y", "tcp.dstport == %d && tcp.flags.syn "
         "== 1 && tcp.flags.ack == 0" % port, "-T", "fields", "-e",
         "tcp.stream"], capture_output=True, text=True).stdout.split()
    if not idx:
        return b""
    out = subprocess.run(["tshark", "-r", pcap, "-q", "-z",
                          "follow,tcp,raw,%s" % idx[0]],
                         capture_output=True, text=True).stdout
    data = b""
    for line in out.splitlines():
        if line and not line.startswith(("\t", "=", "Follow", "Filter",
                                          "Node")):
            try:
                data += bytes.fromhex(line.strip())
            except ValueError:
                pass
    return data


def check_h2c_client(suite, name, port, recs, pcap):
    """0 when osprey's h2 equals tshark's decode, else 1 (lines printed)."""
    got = [r["h2"] for r in recs if r.get("mod") == "http_request"
           and "h2" in r and r["server"]["port"] == port]
    data = client_bytes(pcap, port)
    with tempfile.TemporaryDirectory(prefix="osprey-h2live.") as tmp:
        want = check_h2c.tshark_fp(data, tmp) if data else None
    print("# %s %s: osprey %s, tshark %s (%d client bytes)" % (
        suite, name, got[:1], want, len(data)))
    if got and want and got[0] == want:
        print("PASS: %s/%s" % (suite, name))
        return 0
    print("FAIL: %s/%s: h2 as tshark's: expected %s, got %s" % (
        suite, name, want, got[:1]))
    return 1


def compare(mine, theirs, skey, hkey, port):
    """Differences between osprey's and tshark's hellos to `port`."""
    bad = []
    mine = {k: v for k, v in mine.items() if k[1][1] == port}
    theirs = {k: v for k, v in theirs.items() if k[1][1] == port}
    for key, lst in theirs.items():
        got = mine.get(key)
        full, h = lst[0]
        if not got:
            bad.append("%s: tshark %s, osprey none" % (hkey, h))
        elif (got[0][skey], got[0][hkey]) != (full, h):
            bad.append("%s: tshark %s, osprey %s" % (hkey, h,
                                                     got[0][hkey]))
    for key in mine:
        if key not in theirs:
            bad.append("%s: osprey %s, tshark none" % (hkey,
                                                       mine[key][0][hkey]))
    return bad, len(theirs)


def main():
    suite, jpath, pcap = sys.argv[1:4]
    clients = [a.split(":") for a in sys.argv[4:]]
    recs = []
    for line in open(jpath, encoding="utf-8", errors="replace"):
        if line.startswith("{"):
            recs.append(json.loads(line))
    cli, srv = check_tls.tshark_hellos(pcap, {int(p) for _, p in clients})
    mine_c = check_tls.by_conn(recs, "tls_client", "ja3")
    mine_s = check_tls.by_conn(recs, "tls_server", "ja3s")
    errors = [r for r in recs if r.get("mod") == "tls_client"
              and "error" in r]
    fails = 0
    for name, port in clients:
        port = int(port)
        if name.startswith("h2c"):
            fails += check_h2c_client(suite, name, port, recs, pcap)
            continue
        mine = [r for k, v in mine_c.items() if k[1][1] == port for r in v]
        bad, n_c = compare(mine_c, cli, "ja3_string", "ja3", port)
        bad2, n_s = compare(mine_s, srv, "ja3s_string", "ja3s", port)
        bad += bad2
        bad += ["osprey: error=%s" % r["error"] for r in errors
                if r["server"]["port"] == port]
        if not mine or not n_c:
            bad.insert(0, "complete tls client records: osprey %d, "
                       "tshark hellos %d" % (len(mine), n_c))
        if mine:
            print("# %s %s: ja4 %s ja3 %s sni %s alpn %s ver %s (%d "
                  "hellos, %d server hellos)" % (
                      suite, name, mine[0]["ja4"], mine[0]["ja3"],
                      mine[0]["sni"], mine[0]["alpn"], mine[0]["version"],
                      n_c, n_s))
        if bad:
            fails += 1
            print("FAIL: %s/%s: JA3 as tshark's: %s" % (suite, name,
                                                        "; ".join(bad[:4])))
        else:
            print("PASS: %s/%s" % (suite, name))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
