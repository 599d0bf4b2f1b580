#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Check osprey's live TLS records against tshark on a recording of the
same traffic (tests/integration/test_tls_live.sh).

  tls_live_check.py SUITE/PATH JSON PCAP NAME:PORT...

For each client NAME (its connections are the ones to server port PORT):
osprey printed at least one complete "tls client" record (ja4, ja3) there,
and for every ClientHello and ServerHello tshark decodes on those
connections osprey's JA3 / JA3S string and hash are the same; no osprey
hello that tshark lacks.  One PASS/FAIL line per client, a "# " line with
its JA4 and JA3.
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tls"))
import check_tls  # noqa: E402  (tshark_hellos, by_conn)


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
    mine_c = check_tls.by_conn(recs, "tls client", "ja3")
    mine_s = check_tls.by_conn(recs, "tls server", "ja3s")
    errors = [r for r in recs if r.get("mod") == "tls client"
              and "error" in r]
    fails = 0
    for name, port in clients:
        port = int(port)
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
