#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Lint db/osprey.fp: every signature that is not p0f 3.09b's own, under
p0f's own label, must carry checked provenance.

  tools/db-check.py [--db db/osprey.fp] [--base db/p0f.fp] [--pcaps DIR]
  tools/db-check.py --find 'SECTION|LABEL|SIG' [--pcaps DIR]

Provenance is one comment line directly above the `sig =` line:

  ; prov: lab=FILE[,FILE...] src=FACT
        a capture under tests/ of a real stack producing the signature (the
        lab generator tests/db/mklab.sh re-records them) and the source-code
        fact it rests on (src=linux:<commit>, src=xnu:<file>, ...).  Checked:
        every FILE exists and at least one holds a SYN (tcp:request), a
        SYN+ACK (tcp:response) or an MTU (mtu) that this signature alone
        matches exactly, run through osprey.
  ; prov: ua-pairs=CAPTURE[,CAPTURE...] family=STACK
        at least two client addresses in those captures (paths under
        ../shared/pcaps) whose SYN this signature alone matches exactly and
        whose HTTP User-Agents (osprey's HTTP observations and tshark's
        decode of every request, tools/osprey_ua.py) name an OS of STACK
        (Windows, Linux, Apple, ...), and none naming another stack.
        Checked when the captures are present, SKIPPED otherwise.
  ; prov: p0f=relabel why=TEXT [ua-pairs=... family=...] [lab=... src=...]
        the signature text is p0f 3.09b's (it is in --base, same section);
        only its label changed, for the reason given.  Any lab= or ua-pairs=
        given as well is checked as above.

Keys are space-separated key=value pairs; why= and note= take the rest of
the line.  The whole database must also load in osprey (which refuses
duplicate and shadowed signatures as p0f does).  Exit status 0 when every
check passed or was skipped, 1 otherwise.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import osprey_ua as U  # noqa: E402

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
# tshark's User-Agents per capture (osprey_ua.tshark_uas), shared with
# tests/accuracy
CACHE = os.path.join(TOP, ".output", "accuracy-cache")
MOD_OF = {"tcp:request": "syn", "tcp:response": "syn_ack", "mtu": "mtu"}


class Sig:
    def __init__(self, section, label, sig, lineno, prov):
        self.section, self.label, self.sig = section, label, sig
        self.lineno, self.prov = lineno, prov


def parse_prov(text):
    out = {}
    words = text.split()
    i = 0
    while i < len(words):
        k, _, v = words[i].partition("=")
        if k in ("why", "note"):
            out[k] = " ".join([v] + words[i + 1:])
            break
        out[k] = v
        i += 1
    return out


def parse_db(path):
    """Signatures of the mtu and tcp sections, with their provenance."""
    sigs = []
    section = label = None
    prov = None
    with open(path, encoding="utf-8", errors="replace") as f:
        for n, raw in enumerate(f, 1):
            line = raw.strip()
            if line.startswith("; prov:"):
                prov = parse_prov(line[len("; prov:"):])
                continue
            if line.startswith("["):
                section = line.strip("[]")
            elif line.startswith("label"):
                label = line.split("=", 1)[1].strip()
            elif line.startswith("sig") and section in MOD_OF:
                sigs.append(Sig(section, label,
                                line.split("=", 1)[1].strip(), n, prov))
            prov = None  # provenance belongs to the very next line only
    return sigs


def one_sig_db(s, tmpdir):
    """A database holding only signature s (and what the grammar needs)."""
    path = os.path.join(tmpdir, "one.fp")
    with open(path, "w", encoding="utf-8") as f:
        f.write("classes = win,unix,other\n\n[%s]\n\nlabel = %s\n"
                "sig = %s\n" % (s.section, s.label, s.sig))
    return path


def exact_hits(osprey, s, pcap, tmpdir):
    """osprey observations of pcap that signature s alone matches exactly"""
    db = one_sig_db(s, tmpdir)
    want = MOD_OF[s.section]
    out = []
    for o in U.run_osprey(osprey, db, pcap):
        if o.get("mod") != want:
            continue
        if want == "mtu":
            if o.get("link") and str(o.get("mtu")) == s.sig:
                out.append(o)
        elif o.get("os") and not o["os"].get("fuzzy"):
            out.append(o)
    return out


class Checker:
    def __init__(self, a):
        self.a = a
        self.failed = self.passed = self.skipped = 0
        self.tmp = tempfile.mkdtemp(prefix="osprey-dbcheck.")

    def fail(self, s, why):
        self.failed += 1
        print("FAIL: %s:%d: %s: %s" % (self.a.db, s.lineno, s.sig, why))

    def skip(self, s, why):
        self.skipped += 1
        print("SKIPPED: %s:%d: %s: %s" % (self.a.db, s.lineno, s.sig, why))

    def lab(self, s, p):
        files = [f for f in p.get("lab", "").split(",") if f]
        if not p.get("src"):
            return "lab provenance without src= (the source-code fact)"
        hit = False
        for f in files:
            path = os.path.join(TOP, f)
            if not f.startswith("tests/") or not os.path.isfile(path):
                return "lab capture %s is not a file under tests/" % f
            if exact_hits(self.a.osprey, s, path, self.tmp):
                hit = True
        if not hit:
            return "no %s in %s matches it exactly" % (MOD_OF[s.section],
                                                      ",".join(files))
        return None

    def ua_pairs(self, s, p):
        """None (ok), 'skip: why' or an error"""
        if s.section != "tcp:request":
            return "ua-pairs only backs SYN (tcp:request) signatures"
        fam = p.get("family")
        if fam not in set(U.STACK_OF.values()):
            return "family=%s is not one of %s" % (
                fam, ",".join(sorted(set(U.STACK_OF.values()))))
        if not os.path.isdir(self.a.pcaps):
            return "skip: %s not present" % self.a.pcaps
        good, bad = set(), set()
        for cap in p.get("ua-pairs", "").split(","):
            path = os.path.join(self.a.pcaps, cap)
            if not os.path.isfile(path):
                return "capture %s not in %s" % (cap, self.a.pcaps)
            obs = U.run_osprey(self.a.osprey, one_sig_db(s, self.tmp), path)
            uas = U.tshark_uas(path, CACHE)
            for addr, prod, _, _, syn, _ in U.host_pairs(obs, uas):
                if not syn.get("os") or syn["os"].get("fuzzy"):
                    continue
                (good if U.STACK_OF[prod] == fam else bad).add((cap, addr))
        if bad:
            return "User-Agents of another stack on %s" % sorted(bad)[:3]
        if len(good) < 2:
            return "%d User-Agent-paired %s host(s), need 2" % (len(good),
                                                               fam)
        return None

    def check(self, s, base):
        key = (s.section, s.sig)
        if base.get(key) == s.label and s.prov is None:
            return  # p0f's own signature under p0f's own label
        p = s.prov
        if p is None:
            self.fail(s, "no '; prov:' line above a signature that is not "
                      "p0f 3.09b's (label %s)" % s.label)
            return
        checks = []
        if "p0f" in p:
            if key not in base:
                self.fail(s, "p0f=relabel but the signature is not in %s"
                          % self.a.base)
                return
            if not p.get("why"):
                self.fail(s, "p0f=relabel without why=")
                return
        if "lab" in p:
            checks.append(self.lab)
        if "ua-pairs" in p:
            checks.append(self.ua_pairs)
        if not checks and "p0f" not in p:
            self.fail(s, "provenance names neither lab= nor ua-pairs= "
                      "nor p0f=")
            return
        for c in checks:
            why = c(s, p)
            if why and why.startswith("skip: "):
                self.skip(s, why[6:])
            elif why:
                self.fail(s, why)
                return
        self.passed += 1

    def loads(self):
        """osprey loads the whole file (grammar, duplicates, shadowing)"""
        pcap = os.path.join(TOP, "tests", "db", "lab", "linux-default.pcap")
        p = subprocess.run([self.a.osprey, "-f", self.a.db, "-r", pcap],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           check=False)
        if p.returncode != 0:
            print("FAIL: %s does not load in osprey: %s" % (
                self.a.db, p.stderr.decode(errors="replace").strip()))
            self.failed += 1


def find(a):
    """--find: the UA-paired hosts of the corpus one signature matches"""
    sec, label, sig = a.find.split("|")
    s = Sig(sec, label, sig, 0, None)
    tmp = tempfile.mkdtemp(prefix="osprey-dbfind.")
    try:
        find_in(a, s, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def find_in(a, s, tmp):
    for root, _, files in os.walk(a.pcaps):
        for fn in sorted(files):
            path = os.path.join(root, fn)
            if not fn.endswith((".pcap", ".pcapng", ".cap")):
                continue
            obs = U.run_osprey(a.osprey, one_sig_db(s, tmp), path)
            uas = U.tshark_uas(path, CACHE)
            for addr, prod, ver, _, syn, ua in U.host_pairs(obs, uas):
                if syn.get("os") and not syn["os"].get("fuzzy"):
                    print("%s\t%s\t%s\t%s\t%s" % (
                        os.path.relpath(path, a.pcaps), addr, prod, ver,
                        ua[:70]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", default=os.path.join(TOP, "db", "osprey.fp"))
    ap.add_argument("--base", default=os.path.join(TOP, "db", "p0f.fp"))
    ap.add_argument("--pcaps", default=os.path.join(TOP, "..", "shared",
                                                    "pcaps"))
    ap.add_argument("--osprey", default=os.path.join(TOP, ".output",
                                                     "osprey"))
    ap.add_argument("--find")
    a = ap.parse_args()
    if not os.access(a.osprey, os.X_OK):
        sys.exit("db-check: %s not built (make)" % a.osprey)
    if a.find:
        find(a)
        return 0
    base = {}
    for s in parse_db(a.base):
        base.setdefault((s.section, s.sig), s.label)
    c = Checker(a)
    try:
        c.loads()
        sigs = parse_db(a.db)
        for s in sigs:
            c.check(s, base)
    finally:
        shutil.rmtree(c.tmp, ignore_errors=True)
    new = sum(1 for s in sigs if s.prov is not None)
    print("db-check: %s: %d signatures, %d with provenance: %d checked, "
          "%d skipped, %d failed" % (os.path.relpath(a.db, TOP), len(sigs),
                                     new, c.passed, c.skipped, c.failed))
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
