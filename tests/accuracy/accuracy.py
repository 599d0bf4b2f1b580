#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""How right are a signature database's SYN labels?  Measured against the
User-Agents that the same connections sent.

  tests/accuracy/accuracy.py [--osprey BIN] [--db A.fp --db B.fp]
                             [--check] [-v] CAPTURE_DIR_OR_FILE...

For every capture, osprey runs once per database (`osprey -f DB -r FILE
--json`), and tshark once (cached in .output/accuracy-cache) for the
User-Agents of every HTTP request it decodes: p0f's HTTP module, and so
osprey's, only reads an unsplit GET or HEAD at the start of a connection,
which misses POSTs, proxied CONNECTs and later requests of a connection
(tools/osprey_ua.py).  Each connection whose client sent a SYN and at
least one User-Agent is one sample (not each request: a kept-alive
connection is one SYN).  Left out, as untrustworthy, and counted: captures
marked synthetic in a MANIFEST.tsv beside them, loopback (addresses, or
the MSS of a loopback interface's MTU), tool User-Agents (curl, wget,
python, Go, ...; they run anywhere and are told to pretend), User-Agents
naming no OS, connections whose User-Agents name two stacks, and every
sample of a client address whose User-Agents name more than one TCP stack
(NAT, or a lying client).

The User-Agent gives a product (Windows, Linux, Android, ChromeOS, macOS,
iOS, Apple = macOS or iOS unsaid) and maybe a version; the product's stack
is what a SYN can show (Linux for Linux/Android/ChromeOS, Apple for
macOS/iOS).  Each database label claims a stack, the products it names and
possibly versions (label_claims() below).  Each sample is exactly one of:

  unlabelled       no signature matched (p0f's "???").
  wrong            the label's stack is not the UA's stack; or the label is
                   an exact, non-generic one whose version claim excludes
                   the UA's OS version (e.g. "Windows 7 or 8" for
                   "Windows NT 10.0").
  generic          right stack, but the match is generic (a `g:` label) or
                   fuzzy (p0f's nearest-match fallback).  Versions are not
                   judged: such a label only names a family.
  coarse           right stack, exact and non-generic, but the label does
                   not name the UA's product (e.g. "Linux 4.20+" for an
                   Android phone, "Mac OS X" for an iPhone).
  specific-correct right stack, exact and non-generic, names the product,
                   and any version it claims holds for the UA's version.

"modern" samples are those whose UA names an OS from 2015 on (Windows NT
10.0, macOS 10.11+, iOS 9+, Android 6+, ChromeOS, Apple system agents,
Linux with a 2015+ browser).  IPv6: every IPv6 SYN of the set is counted
with whether it got a label, and, separately, those paired with a Linux
or Apple User-Agent.  The "done" bars of issue 10 are printed; --check
makes the exit status say whether they hold for the first database.
"""
import argparse
import os
import re
import shutil
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "tools"))
import osprey_ua as U  # noqa: E402

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
VERDICTS = ("specific", "coarse", "generic", "wrong", "unlabelled")
PRODUCTS = ("Windows", "Linux", "Android", "ChromeOS", "macOS", "iOS",
            "Apple", "FreeBSD", "OpenBSD", "NetBSD")
APPLE_NAMES = ("Mac OS X", "MacOS X", "iOS", "macOS/iOS")


def _winver(flavor):
    """Windows versions (NT major, minor) a flavor claims; None = any."""
    table = {
        "XP": {(5, 0), (5, 1), (5, 2)},
        "7 or 8": {(6, 1), (6, 2), (6, 3)},
        "7 (Websense crawler)": {(6, 1)},
        "7-10": {(6, 1), (6, 2), (6, 3), (10, 0)},
        "10/11": {(10, 0)},
        "NT kernel 5.x": {(5, 0), (5, 1), (5, 2)},
        "NT kernel 6.x": {(6, 0), (6, 1), (6, 2), (6, 3)},
    }
    return table.get(flavor)


def _applever(flavor):
    """{product: (lo, hi)} version bounds an Apple flavor claims."""
    if flavor == "10.x":
        return {"macOS": ((10, 0), (10, 99))}
    if flavor.startswith("10.9 or newer"):
        return {"macOS": ((10, 9), (99, 0))}
    m = re.match(r"up to 10\.12 / iOS 10", flavor)
    if m:
        return {"macOS": ((0, 0), (10, 12)), "iOS": ((0, 0), (10, 99))}
    if flavor.startswith("10.13+ / iOS 11+"):
        return {"macOS": ((10, 13), (99, 0)), "iOS": ((11, 0), (99, 0))}
    return {}


def label_claims(name, flavor):
    """(stack, products, version check fn(product, version) -> bool)"""
    flavor = flavor or ""
    if name == "Linux":
        if flavor == "(Android)":
            prods = {"Android"}
        elif "Android" in flavor:
            prods = {"Android", "Linux", "ChromeOS"}
        else:
            prods = {"Linux", "ChromeOS"}
        return "Linux", prods, None
    if name == "Windows":
        vers = _winver(flavor)
        return "Windows", {"Windows"}, (
            None if vers is None else lambda p, v: v is None or v in vers)
    if name in APPLE_NAMES:
        if name in ("Mac OS X", "MacOS X"):
            prods = {"macOS", "iOS"} if "iPhone" in flavor else {"macOS"}
        elif name == "iOS" or "iPhone" in flavor:
            prods = {"iOS"}
        else:
            prods = {"macOS", "iOS"}
        prods.add("Apple")
        bounds = _applever(flavor)

        def ok(p, v):
            if v is None or p not in bounds:
                return True
            lo, hi = bounds[p]
            return lo <= v <= hi
        return "Apple", prods, ok if bounds else None
    return name, {name}, None


def verdict(syn, product, version):
    os_ = syn.get("os")
    if not os_:
        return "unlabelled"
    stack, prods, vcheck = label_claims(os_.get("name"), os_.get("flavor"))
    if stack != U.STACK_OF[product]:
        return "wrong"
    if os_.get("generic") or os_.get("fuzzy"):
        return "generic"
    if vcheck is not None and not vcheck(product, version):
        return "wrong"
    # UAs that only say "Apple" name no product the label could miss
    if product not in prods and not (product == "Apple"):
        return "coarse"
    return "specific"


def synthetic_set(paths):
    """Captures a MANIFEST.tsv beside them marks synthetic."""
    out = set()
    for root in paths:
        man = os.path.join(root, "MANIFEST.tsv")
        if not os.path.isfile(man):
            continue
        with open(man, encoding="utf-8") as f:
            head = f.readline().rstrip("\n").split("\t")
            if "synthetic" not in head:
                continue
            si = head.index("synthetic")
            for line in f:
                row = line.rstrip("\n").split("\t")
                if len(row) > si and row[si] not in ("0", ""):
                    out.add(os.path.realpath(os.path.join(root, row[0])))
    return out


def captures(paths):
    synth = synthetic_set([p for p in paths if os.path.isdir(p)])
    out = []
    for p in paths:
        if os.path.isfile(p):
            out.append(p)
            continue
        for root, _, files in os.walk(p):
            for fn in sorted(files):
                if re.search(r"\.(pcap|pcapng|cap)$", fn):
                    full = os.path.join(root, fn)
                    if os.path.realpath(full) not in synth:
                        out.append(full)
    return sorted(out)


class Tally:
    def __init__(self):
        self.rows = {}       # (modern, product) -> {verdict: n}
        self.v6 = [0, 0]     # all IPv6 SYNs: total, labelled
        self.v6ua = [0, 0]   # IPv6 SYNs paired with a Linux/Apple UA
        self.samples = []    # (product, modern, verdict, raw_sig, label, ua)
        self.left = Counter()  # connections left out, by reason

    def add_capture(self, obs, uas):
        for o in obs:
            if o.get("mod") == "syn" and o["raw_sig"].startswith("6:"):
                self.v6[0] += 1
                self.v6[1] += bool(o.get("os"))
        pairs, left = U.sort_pairs(obs, uas)
        self.left.update(left)
        for addr, prod, ver, modern, syn, ua in pairs:
            v = verdict(syn, prod, ver)
            r = self.rows.setdefault((modern, prod), dict.fromkeys(
                VERDICTS, 0))
            r[v] += 1
            self.samples.append((prod, modern, v, syn["raw_sig"],
                                 (syn.get("os") or {}).get("text", "???"),
                                 ua))
            if syn["raw_sig"].startswith("6:") and \
                    U.STACK_OF[prod] in ("Linux", "Apple"):
                self.v6ua[0] += 1
                self.v6ua[1] += bool(syn.get("os"))

    def total(self, modern_only):
        t = dict.fromkeys(VERDICTS, 0)
        for (modern, _), r in self.rows.items():
            if modern or not modern_only:
                for k in VERDICTS:
                    t[k] += r[k]
        return t


def fmt_row(r):
    n = sum(r.values())
    return "%5d %5d %5d %5d %5d %5d" % ((n,) + tuple(r[k] for k in VERDICTS))


def pct(a, n):
    return "%.1f%%" % (100.0 * a / n) if n else "n/a"


def report(dbs, tallies, verbose, ua_source):
    names = [os.path.relpath(d, TOP) if d.startswith(TOP) else d
             for d in dbs]
    t0 = tallies[0]
    kept = sum(sum(r.values()) for r in t0.rows.values())
    print("# connections with a SYN and a User-Agent (%s): %d kept, %d left "
          "out: %s" % (ua_source, kept, sum(t0.left.values()),
                       ", ".join("%s %d" % kv for kv in
                                 sorted(t0.left.items(),
                                        key=lambda kv: -kv[1]))))
    head = "conns  spec coarse gener wrong unlab"
    print("%-22s" % "" + "   ".join("%-35s" % n for n in names))
    print("%-22s" % "product" + "   ".join("%-35s" % head for _ in dbs))
    for modern, title in ((True, "modern"), (False, "older")):
        for p in PRODUCTS:
            if all((modern, p) not in t.rows for t in tallies):
                continue
            cells = []
            for t in tallies:
                r = t.rows.get((modern, p), dict.fromkeys(VERDICTS, 0))
                cells.append("%-35s" % fmt_row(r))
            print("%-22s" % ("%s %s" % (title, p)) + "   ".join(cells))
    for modern_only, title in ((True, "TOTAL modern"), (False, "TOTAL all")):
        cells = ["%-35s" % fmt_row(t.total(modern_only)) for t in tallies]
        print("%-22s" % title + "   ".join(cells))
    print()
    for name, t in zip(names, tallies):
        m = t.total(True)
        n = sum(m.values())
        print("%s: modern specific-correct %s, wrong %s (of %d); "
              "IPv6 SYNs labelled %d/%d; IPv6 Linux/Apple-UA SYNs labelled "
              "%d/%d" % (name, pct(m["specific"], n), pct(m["wrong"], n), n,
                         t.v6[1], t.v6[0], t.v6ua[1], t.v6ua[0]))
    if verbose:
        for name, t in zip(names, tallies):
            print("\n# %s: samples not specific-correct (count, product, "
                  "verdict, raw_sig, label, UA)" % name)
            seen = {}
            for prod, modern, v, raw, label, ua in t.samples:
                if v == "specific":
                    continue
                raw = re.sub(r":[0-9]+\+[0-9?]+:", ":T:", raw, count=1)
                k = (prod, v, raw, label)
                seen.setdefault(k, [0, ua])[0] += 1
            for (prod, v, raw, label), (n, ua) in sorted(
                    seen.items(), key=lambda x: -x[1][0]):
                print("%4d %-8s %-10s %s  [%s]  %s" % (n, prod, v, raw,
                                                       label, ua[:60]))


def bars_hold(t):
    m = t.total(True)
    n = sum(m.values())
    return (n > 0 and m["specific"] >= 0.9 * n and m["wrong"] <= 0.02 * n
            and t.v6ua[1] == t.v6ua[0])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--osprey", default=os.path.join(TOP, ".output",
                                                     "osprey"))
    ap.add_argument("--db", action="append")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--check", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--no-tshark", action="store_true",
                    help="User-Agents from osprey's HTTP module only")
    ap.add_argument("paths", nargs="+")
    a = ap.parse_args()
    dbs = a.db or [os.path.join(TOP, "db", "osprey.fp"), "/etc/p0f/p0f.fp"]
    if not os.access(a.osprey, os.X_OK):
        sys.exit("accuracy: %s not built" % a.osprey)
    for d in dbs:
        if not os.path.isfile(d):
            sys.exit("accuracy: no database %s" % d)
    files = captures(a.paths)
    if not files:
        sys.exit("accuracy: no captures in %s" % " ".join(a.paths))
    use_tshark = not a.no_tshark and shutil.which("tshark")
    cache = os.path.join(TOP, ".output", "accuracy-cache")
    with ThreadPoolExecutor(max_workers=a.jobs) as ex:
        uas = list(ex.map(lambda f: U.tshark_uas(f, cache), files)) \
            if use_tshark else [None] * len(files)
    tallies = [Tally() for _ in dbs]
    with ThreadPoolExecutor(max_workers=a.jobs) as ex:
        for i, d in enumerate(dbs):
            for obs, u in zip(ex.map(lambda f, d=d: U.run_osprey(a.osprey,
                                                                d, f),
                                     files), uas):
                tallies[i].add_capture(obs, u)
    print("# %d captures, osprey %s" % (len(files), a.osprey))
    report(dbs, tallies, a.verbose,
           "tshark and osprey's HTTP" if use_tshark else
           "osprey's HTTP only")
    if a.check:
        ok = bars_hold(tallies[0])
        print("bars (modern specific >= 90%%, wrong <= 2%%, every IPv6 "
              "Linux/Apple SYN labelled) for %s: %s" %
              (dbs[0], "hold" if ok else "NOT met"))
        return 0 if ok else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
