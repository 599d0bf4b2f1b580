#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Compare osprey's -o log lines with Debian p0f 3.09b's, capture by capture.

    parity.py [options] [CAPTURE ...]
    parity.py --manifest ../shared/pcaps/MANIFEST.tsv

For every capture p0f runs --runs times (TZ=UTC p0f -f DB -r X -o A): a log
line every run printed is required, a line only some runs printed is allowed.
osprey runs once on the same file.  Lines are compared as multisets and the
result is printed per module (syn, syn+ack, mtu, uptime, http request,
http response, host change, ip sharing) with the unexplained differences.

Deliberate deviations come from DEVIATIONS.md next to this file (its table
is the only list).  Exit status: 0 when nothing is unexplained, 1 otherwise,
2 on a usage or setup error.
"""

import argparse
import collections
import concurrent.futures
import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
MODULES = ["syn", "syn+ack", "mtu", "uptime", "http request",
           "http response", "host change", "ip sharing"]
VLAN_TPIDS = (0x8100, 0x88A8, 0x9100)
DLT_EN10MB = 1
MAX_STRIP = 4          # tag layers we are prepared to peel off
RUN_TIMEOUT = 300      # seconds per p0f / osprey run
CACHE_VERSION = 3

# osprey's own observations, which p0f has no counterpart for (TLS, and
# the h2c fingerprint in an "http request" line p0f never prints): left
# out of the comparison and counted apart (DEVIATIONS.md, "osprey
# additions")
OSPREY_MODULES = ("tls client", "tls server")
H2C_RE = re.compile(r"\] mod=http request\|[^|]*\|[^|]*\|subj=cli\|h2=")

LINE_RE = re.compile(r"^\[(?P<ts>[^\]]*)\] mod=(?P<mod>[^|]*)\|cli=(?P<cli>[^|]*)"
                     r"\|srv=(?P<srv>[^|]*)\|subj=(?P<subj>[^|]*)")


# ------------------------------------------------------------ deviations
def load_deviations(path):
    """Rows of the DEVIATIONS.md table: id, match, action, reason."""
    rows = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) < 4 or not re.fullmatch(r"`[\w.+-]+`", cells[0]):
                continue
            rid = cells[0].strip("`")
            match = cells[1].strip("`")
            action = cells[2].strip("`")
            reason = "|".join(cells[3:]).strip()
            if action not in ("strip-vlan", "no-reference", "allow-error",
                              "pin-isdst"):
                raise ValueError(f"{path}: row {rid}: unknown action {action}")
            if match not in ("vlan", "all") and \
                    not match.startswith("error~") and \
                    not re.fullmatch(r"linktype=\d+(,\d+)*", match):
                raise ValueError(f"{path}: row {rid}: bad match {match}")
            rows.append({"id": rid, "match": match, "action": action,
                         "reason": reason})
    if not rows:
        raise ValueError(f"{path}: no deviation rows found")
    return rows


def applicable(rows, info):
    """Rows that apply to a capture described by info (linktypes, vlan)."""
    out = []
    for r in rows:
        if r["match"] == "all":
            out.append(r)
        elif r["match"] == "vlan":
            if info["vlan_depth"] > 0:
                out.append(r)
        elif r["match"].startswith("error~"):
            continue  # judged on osprey's exit (see osprey_error_ok)
        else:
            wanted = {int(x) for x in r["match"].split("=")[1].split(",")}
            if wanted & set(info["linktypes"]):
                out.append(r)
    return out


# ------------------------------------------------------------ capture reader
def iter_frames(path):
    """Yield (linktype, frame bytes) for every packet of a pcap/pcapng."""
    with open(path, "rb") as fh:
        data = fh.read()
    if len(data) < 24:
        return
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        end = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        end = ">"
    elif magic == b"\x0a\x0d\x0d\x0a":
        yield from iter_pcapng(data)
        return
    else:
        return
    linktype = struct.unpack(end + "I", data[20:24])[0] & 0xFFFF
    off = 24
    while off + 16 <= len(data):
        incl = struct.unpack(end + "I", data[off + 8:off + 12])[0]
        off += 16
        if incl > len(data) - off:
            break
        yield linktype, data[off:off + incl]
        off += incl


def iter_pcapng(data):
    end = "<"
    ifaces = []
    off = 0
    while off + 12 <= len(data):
        btype = struct.unpack(end + "I", data[off:off + 4])[0]
        if btype == 0x0A0D0D0A:
            bom = data[off + 8:off + 12]
            end = "<" if bom == b"\x4d\x3c\x2b\x1a" else ">"
            ifaces = []
        blen = struct.unpack(end + "I", data[off + 4:off + 8])[0]
        if blen < 12 or off + blen > len(data):
            break
        body = data[off + 8:off + blen - 4]
        if btype == 1 and len(body) >= 2:
            ifaces.append(struct.unpack(end + "H", body[:2])[0])
        elif btype == 6 and len(body) >= 20:
            ifid, _, _, caplen = struct.unpack(end + "IIII", body[:16])
            lt = ifaces[ifid] if ifid < len(ifaces) else -1
            yield lt, body[20:20 + caplen]
        elif btype == 3 and len(body) >= 4 and ifaces:
            yield ifaces[0], body[4:]
        off += blen


def capture_info(path):
    """Link types and the deepest VLAN tag stack of a capture."""
    linktypes = set()
    depth = 0
    for lt, fr in iter_frames(path):
        linktypes.add(lt)
        if lt != DLT_EN10MB:
            continue
        d, off = 0, 12
        while off + 2 <= len(fr) and (fr[off] << 8 | fr[off + 1]) in VLAN_TPIDS:
            d += 1
            off += 4
        depth = max(depth, d)
    return {"linktypes": sorted(linktypes), "vlan_depth": depth}


def osprey_error_ok(rows, err):
    """An osprey failure a DEVIATIONS.md row accepts, or None."""
    for r in rows:
        if r["action"] == "allow-error" and \
                re.search(r["match"][len("error~"):], err):
            return r["id"]
    return None


def file_sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ------------------------------------------------------------ runners
ISDST_SHIM = r"""
/* parity.py: mktime() with tm_isdst pinned to 0 (see DEVIATIONS.md) */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <time.h>
time_t mktime(struct tm *t)
{
	static time_t (*next)(struct tm *);
	if (!next)
		next = (time_t (*)(struct tm *))dlsym(RTLD_NEXT, "mktime");
	t->tm_isdst = 0;
	return next(t);
}
"""


def build_isdst_shim(workdir):
    """Compile the LD_PRELOAD shim; returns its path."""
    src = os.path.join(workdir, "isdst.c")
    out = os.path.join(workdir, "isdst.so")
    with open(src, "w", encoding="utf-8") as fh:
        fh.write(ISDST_SHIM)
    proc = subprocess.run([os.environ.get("CC", "cc"), "-shared", "-fPIC",
                           "-O2", "-o", out, src, "-ldl"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        raise RuntimeError("cannot build the mktime shim: "
                           + proc.stderr.decode(errors="replace").strip())
    return out


def run_logger(binary, db, capture, workdir, tag, preload=None):
    """Run p0f or osprey on capture; return (lines, error text or None)."""
    log = os.path.join(workdir, tag + ".log")
    env = dict(os.environ, TZ="UTC")
    env.pop("LD_PRELOAD", None)
    if preload:
        env["LD_PRELOAD"] = preload
    try:
        proc = subprocess.run([binary, "-f", db, "-r", capture, "-o", log],
                              stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, env=env,
                              timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        return [], f"{os.path.basename(binary)} timed out"
    except OSError as ex:
        return [], f"{os.path.basename(binary)}: {ex.strerror}"
    err = None
    if proc.returncode != 0:
        msg = proc.stderr.decode(errors="replace").strip().splitlines()
        err = (f"{os.path.basename(binary)} exited {proc.returncode}: "
               + (msg[-1] if msg else "(no message)"))
    lines = []
    if os.path.exists(log):
        with open(log, encoding="utf-8", errors="surrogateescape") as fh:
            lines = [ln.rstrip("\n") for ln in fh if ln.strip()]
    return lines, err


def untag(frame):
    """An Ethernet frame without its 802.1Q/802.1ad tags, and the count."""
    n, off = 0, 12
    while off + 4 <= len(frame) and \
            (frame[off] << 8 | frame[off + 1]) in VLAN_TPIDS:
        n += 1
        off += 4
    return (frame[:12] + frame[off:], n) if n else (frame, 0)


def strip_vlan_py(src, dst):
    """Copy src to dst (same format) with every VLAN tag removed from its
    Ethernet frames; nothing else changes (lengths shrink by 4 per tag)."""
    with open(src, "rb") as fh:
        data = fh.read()
    out = bytearray()
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1",
                 b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        end = "<" if magic[0] in (0xD4, 0x4D) else ">"
        lt = struct.unpack(end + "I", data[20:24])[0] & 0xFFFF
        out += data[:24]
        off = 24
        while off + 16 <= len(data):
            sec, usec, incl, orig = struct.unpack(end + "IIII",
                                                  data[off:off + 16])
            fr = data[off + 16:off + 16 + incl]
            n = 0
            if lt == DLT_EN10MB:
                fr, n = untag(fr)
            out += struct.pack(end + "IIII", sec, usec, len(fr),
                               max(orig - 4 * n, len(fr)))
            out += fr
            off += 16 + incl
    elif magic == b"\x0a\x0d\x0d\x0a":
        end, ifaces, off = "<", [], 0
        while off + 12 <= len(data):
            btype = struct.unpack(end + "I", data[off:off + 4])[0]
            if btype == 0x0A0D0D0A:
                end = "<" if data[off + 8:off + 12] == b"\x4d\x3c\x2b\x1a" \
                    else ">"
                ifaces = []
            blen = struct.unpack(end + "I", data[off + 4:off + 8])[0]
            if blen < 12 or off + blen > len(data):
                break
            body = data[off + 8:off + blen - 4]
            if btype == 1:
                ifaces.append(struct.unpack(end + "H", body[:2])[0])
            if btype == 6 and len(body) >= 20:
                ifid, hi, lo, cap, orig = struct.unpack(end + "IIIII",
                                                        body[:20])
                fr = body[20:20 + cap]
                opts = body[20 + ((cap + 3) & ~3):]
                n = 0
                if ifid < len(ifaces) and ifaces[ifid] == DLT_EN10MB:
                    fr, n = untag(fr)
                if n:
                    pad = b"\0" * (-len(fr) % 4)
                    body = struct.pack(end + "IIIII", ifid, hi, lo, len(fr),
                                       max(orig - 4 * n, len(fr))) \
                        + fr + pad + opts
            elif btype == 3 and len(body) >= 4 and ifaces and \
                    ifaces[0] == DLT_EN10MB:
                orig = struct.unpack(end + "I", body[:4])[0]
                fr, n = untag(body[4:4 + min(orig, len(body) - 4)])
                if n:
                    body = struct.pack(end + "I", orig - 4 * n) + fr + \
                        b"\0" * (-len(fr) % 4)
            blen = len(body) + 12
            out += struct.pack(end + "II", btype, blen) + body + \
                struct.pack(end + "I", blen)
            off += struct.unpack(end + "I", data[off + 4:off + 8])[0]
    else:
        raise RuntimeError(f"{src}: not a pcap or pcapng file")
    with open(dst, "wb") as fh:
        fh.write(out)


def strip_vlan(capture, depth, workdir, tool):
    """The reference copy without VLAN tags.  tcprewrite --enet-vlan=del
    removes one layer per pass; but tcprewrite 4.4.3 also rewrites the IP
    total length of padded short frames (seen on whois.pcapng: a 60-byte
    SYN+ACK gains 2 bytes of "payload"), which changes p0f's answer, so the
    default is our own byte-exact copy."""
    if tool == "python":
        dst = os.path.join(workdir, "novlan" + os.path.splitext(capture)[1])
        strip_vlan_py(capture, dst)
        return dst
    src = capture
    for i in range(max(depth, 1)):
        dst = os.path.join(workdir, f"novlan{i}.pcap")
        proc = subprocess.run(["tcprewrite", "--enet-vlan=del", "-i", src,
                               "-o", dst], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, timeout=RUN_TIMEOUT)
        if proc.returncode != 0:
            raise RuntimeError("tcprewrite: "
                               + proc.stderr.decode(errors="replace").strip())
        src = dst
        if capture_info(src)["vlan_depth"] == 0:
            break
    return src


def reference(job):
    """p0f's reference for one capture: list of per-run line lists."""
    cap, info, rows, a = job["capture"], job["info"], job["rows"], job["args"]
    if any(r["action"] == "no-reference" for r in rows):
        return {"runs": [], "error": None}
    cache = None
    if a.cache:
        key = "|".join([job["sha"], a.p0f_id, a.db_id, str(CACHE_VERSION),
                        a.strip_with, str(a.max_runs),
                        str(a.http_runs),
                        ",".join(r["id"] for r in rows)])
        cache = os.path.join(a.cache, hashlib.sha256(key.encode())
                             .hexdigest()[:32] + "-" + job["sha"][:16]
                             + ".json")
        try:
            with open(cache, encoding="utf-8") as fh:
                got = json.load(fh)
            need = a.runs
            if got["runs"] and any("] mod=http response|" in ln
                                   for ln in got["runs"][0]):
                need = max(need, a.http_runs)
            if len(got["runs"]) >= need:
                return got
        except (OSError, ValueError, KeyError):
            pass
    with tempfile.TemporaryDirectory(prefix="parity-ref.") as wd:
        src = cap
        if any(r["action"] == "strip-vlan" for r in rows):
            src = strip_vlan(cap, info["vlan_depth"], wd, a.strip_with)
        runs, error = [], None
        want = a.runs
        while len(runs) < want:
            preload = a.isdst_shim if any(r["action"] == "pin-isdst"
                                          for r in rows) else None
            lines, err = run_logger(a.p0f, a.db, src, wd, f"p0f{len(runs)}",
                                    preload)
            if err:
                error = err
                break
            runs.append(sorted(lines))
            # p0f disagreed with itself: look harder for the optional lines
            if len(runs) > 1 and runs[-1] != runs[0]:
                want = max(want, a.max_runs)
            # HTTP responses carry the Date header p0f parses unreliably
            if any("] mod=http response|" in ln for ln in runs[0][:1] + lines):
                want = max(want, a.http_runs)
    got = {"runs": runs, "error": error}
    if cache and not error:
        os.makedirs(a.cache, exist_ok=True)
        tmp = cache + f".{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(got, fh)
        os.replace(tmp, cache)
    return got


def compare_one(job):
    """Reference + osprey for one capture -> per-module counts and diffs."""
    t0 = time.monotonic()
    a = job["args"]
    try:
        job["info"] = capture_info(job["capture"])
        job["sha"] = file_sha256(job["capture"])
        rows = applicable(a.deviations, job["info"])
        job["rows"] = rows
        ref = reference(job)
    except (RuntimeError, OSError, subprocess.SubprocessError) as ex:
        return {"name": job["name"], "error": f"reference: {ex}",
                "rows": [], "counts": {}, "diffs": [], "excluded": False,
                "secs": time.monotonic() - t0}
    t1 = time.monotonic()
    res = {"name": job["name"], "error": None, "rows": [r["id"] for r in rows],
           "counts": {}, "diffs": [], "excluded": False,
           "ref_secs": t1 - t0, "p0f_runs": len(ref["runs"]),
           "p0f_varied": any(r != ref["runs"][0] for r in ref["runs"])}
    with tempfile.TemporaryDirectory(prefix="parity-osp.") as wd:
        mine, err = run_logger(a.osprey, a.db, job["capture"], wd, "osprey")
    res["osprey_secs"] = time.monotonic() - t1
    res["osprey_own"] = sum(map(osprey_only, mine))
    mine = [ln for ln in mine if not osprey_only(ln)]
    if any(r["action"] == "no-reference" for r in rows):
        res["excluded"] = True
        res["osprey_lines"] = len(mine)
        if err:
            res["error"] = err
        return res
    if ref["error"]:
        res["error"] = "p0f: " + ref["error"]
        return res
    if err:
        rid = osprey_error_ok(a.deviations, err)
        if rid:
            res["rows"].append(rid)
        else:
            res["error"] = err
    runs = [collections.Counter(r) for r in ref["runs"]]
    required = collections.Counter()
    allowed = collections.Counter()
    for ln in set().union(*runs) if runs else set():
        counts = [r[ln] for r in runs]
        if min(counts):
            required[ln] = min(counts)
        allowed[ln] = max(counts)
    got = collections.Counter(mine)
    counts = collections.defaultdict(lambda: [0, 0, 0, 0, 0])
    missing, extra = [], []
    for ln in set(allowed) | set(got):
        mod = module_of(ln)
        c = counts[mod]
        req, alw, o = required[ln], allowed[ln], got[ln]
        c[0] += req
        c[1] += min(o, req)
        c[2] += max(0, req - o)
        c[3] += max(0, o - alw)
        c[4] += max(0, min(o, alw) - req)  # optional lines osprey printed
        missing += [ln] * max(0, req - o)
        extra += [ln] * max(0, o - alw)
    res["counts"] = {m: c for m, c in counts.items()}
    res["diffs"] = pair_diffs(missing, extra)
    return res


def osprey_only(line):
    """Is this one of osprey's own lines (OSPREY_MODULES, h2c)?"""
    m = LINE_RE.match(line)
    return bool(m) and (m.group("mod") in OSPREY_MODULES or
                        bool(H2C_RE.search(line)))


def module_of(line):
    m = LINE_RE.match(line)
    return m.group("mod") if m else "(unparsed)"


def pair_diffs(missing, extra):
    """Pair a missing p0f line with an extra osprey line on the same
    observation (time, module, endpoints, subject) so a reader sees both."""
    def key(ln):
        m = LINE_RE.match(ln)
        return m.group("ts", "mod", "cli", "srv", "subj") if m else (ln,)
    pool = collections.defaultdict(list)
    for ln in extra:
        pool[key(ln)].append(ln)
    out = []
    for ln in sorted(missing):
        k = key(ln)
        if pool.get(k):
            out.append({"mod": module_of(ln), "p0f": ln,
                        "osprey": pool[k].pop(0)})
        else:
            out.append({"mod": module_of(ln), "p0f": ln, "osprey": None})
    for k in pool:
        for ln in pool[k]:
            out.append({"mod": module_of(ln), "p0f": None, "osprey": ln})
    return out


# ------------------------------------------------------------ report
def read_manifest(path):
    base = os.path.dirname(os.path.abspath(path))
    jobs = []
    with open(path, encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        for line in fh:
            row = dict(zip(header, line.rstrip("\n").split("\t")))
            if row.get("file"):
                jobs.append((row["file"], os.path.join(base, row["file"])))
    return jobs


def summarize(results, a, elapsed, out):
    total = {m: [0, 0, 0, 0, 0] for m in MODULES}
    for r in results:
        for m, c in r["counts"].items():
            t = total.setdefault(m, [0, 0, 0, 0, 0])
            for i in range(5):
                t[i] += c[i]
    errors = [r for r in results if r["error"]]
    excluded = [r for r in results if r["excluded"]]
    diffs = [(r["name"], d) for r in results for d in r["diffs"]]
    w = out.write
    nruns = collections.Counter(r.get("p0f_runs", 0) for r in results
                                if not r["excluded"])
    w(f"parity: {len(results)} captures, p0f runs per capture: "
      f"{', '.join(f'{k} x{v}' for k, v in sorted(nruns.items()))}; "
      f"{len(excluded)} excluded by DEVIATIONS.md, {len(errors)} errors, "
      f"{elapsed:.1f} s wall on {a.jobs} workers\n")
    w(f"{'module':<14}{'required':>10}{'matched':>10}{'missing':>9}"
      f"{'extra':>7}{'optional':>10}{'agree':>9}\n")
    grand = [0, 0, 0, 0, 0]
    for m, c in total.items():
        for i in range(5):
            grand[i] += c[i]
        w(f"{m:<14}{c[0]:>10}{c[1]:>10}{c[2]:>9}{c[3]:>7}{c[4]:>10}"
          f"{pct(c):>8.2f}%\n")
    w(f"{'all':<14}{grand[0]:>10}{grand[1]:>10}{grand[2]:>9}{grand[3]:>7}"
      f"{grand[4]:>10}{pct(grand):>8.2f}%\n")
    varied = [r["name"] for r in results if r.get("p0f_varied")]
    if varied:
        w(f"p0f disagreed with itself on {len(varied)} captures (ran up to "
          f"{a.max_runs} times there): {', '.join(varied[:8])}"
          f"{' ...' if len(varied) > 8 else ''}\n")
    if excluded:
        w("excluded captures (no p0f reference, see DEVIATIONS.md):\n")
        for r in excluded:
            w(f"  {r['name']}: {','.join(r['rows'])} "
              f"(osprey printed {r.get('osprey_lines', 0)} lines)\n")
    own = sum(r.get("osprey_own", 0) for r in results)
    if own:
        w(f"osprey additions (tls client/server, h2c; not compared): "
          f"{own} lines on "
          f"{sum(1 for r in results if r.get('osprey_own'))} captures\n")
    applied = collections.Counter(i for r in results for i in r["rows"])
    for rid, n in sorted(applied.items()):
        w(f"deviation {rid}: applied to {n} captures\n")
    for r in errors[:a.show]:
        w(f"ERROR {r['name']}: {r['error']}\n")
    if diffs:
        w(f"unexplained differences: {len(diffs)} "
          f"(first {min(len(diffs), a.show)})\n")
    for name, d in diffs[:a.show]:
        w(f"  {name} [{d['mod']}]\n")
        w(f"    p0f:    {d['p0f'] or '(none)'}\n")
        w(f"    osprey: {d['osprey'] or '(none)'}\n")
    return total, errors, diffs


def pct(c):
    denom = c[0] + c[3]
    return 100.0 * c[1] / denom if denom else 100.0


def tap_lines(total, errors, diffs, suite, out):
    """PASS/FAIL per module for tests/run.sh."""
    for m, c in total.items():
        mine = [f"{n}: p0f={d['p0f']} osprey={d['osprey']}"
                for n, d in diffs if d["mod"] == m]
        name = f"{suite}/{m.replace(' ', '-')}"
        if c[0] == 0 and c[1] == 0 and c[3] == 0 and c[4] == 0:
            out.write(f"SKIPPED: {name}: neither p0f nor osprey printed a "
                      f"line of this module here\n")
        elif c[2] == 0 and c[3] == 0:
            out.write(f"PASS: {name}\n")
        else:
            out.write(f"FAIL: {name}: agreement: expected 100%, got "
                      f"{pct(c):.2f}% ({c[2]} missing, {c[3]} extra of "
                      f"{c[0]} required; first: {mine[0] if mine else ''})\n")
    other = [(n, d) for n, d in diffs if d["mod"] not in total]
    if other:
        out.write(f"FAIL: {suite}/unparsed-lines: expected 0, got "
                  f"{len(other)} ({other[0][0]})\n")
    name = f"{suite}/runs"
    if errors:
        out.write(f"FAIL: {name}: errors: expected 0, got {len(errors)} "
                  f"(first: {errors[0]['name']}: {errors[0]['error']})\n")
    else:
        out.write(f"PASS: {name}\n")


def binary_id(path):
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()[:16]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("captures", nargs="*", help="capture files")
    ap.add_argument("--manifest", help="MANIFEST.tsv (file column)")
    ap.add_argument("--p0f", default="/usr/sbin/p0f")
    ap.add_argument("--osprey", default=os.path.join(TOP, ".output/osprey"))
    ap.add_argument("--db", default="/etc/p0f/p0f.fp")
    ap.add_argument("--runs", type=int, default=3, help="p0f runs per file")
    ap.add_argument("--max-runs", type=int, default=8,
                    help="p0f runs per file when its runs disagree")
    ap.add_argument("--http-runs", type=int, default=8,
                    help="p0f runs per file that has HTTP responses")
    ap.add_argument("--strip-with", choices=("python", "tcprewrite"),
                    default="python", help="VLAN tag remover for p0f's copy")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--cache", default=os.path.join(TOP, ".output/parity-ref"),
                    help="reference cache dir ('' disables)")
    ap.add_argument("--deviations", default=os.path.join(HERE,
                                                         "DEVIATIONS.md"))
    ap.add_argument("--show", type=int, default=40,
                    help="differences to list")
    ap.add_argument("--tap", metavar="SUITE",
                    help="also print PASS/FAIL lines per module")
    ap.add_argument("--details", metavar="FILE",
                    help="write every difference as JSON lines")
    a = ap.parse_args()
    if a.runs < 1 or a.jobs < 1:
        ap.error("--runs and --jobs must be >= 1")
    jobs = [(os.path.basename(c), c) for c in a.captures]
    if a.manifest:
        jobs += read_manifest(a.manifest)
    if not jobs:
        ap.error("no captures (give files or --manifest)")
    for tool in (a.p0f, a.osprey):
        if not os.access(tool, os.X_OK):
            print(f"parity.py: {tool}: not executable", file=sys.stderr)
            return 2
    try:
        a.deviations = load_deviations(a.deviations)
    except (OSError, ValueError) as ex:
        print(f"parity.py: {ex}", file=sys.stderr)
        return 2
    a.p0f_id = binary_id(a.p0f)
    a.db_id = binary_id(a.db)
    t0 = time.monotonic()
    # Work on a snapshot of osprey: a rebuild in the shared tree during a
    # long run must not make some captures fail to start it.
    snap = tempfile.mkdtemp(prefix="parity-bin.")
    try:
        a.isdst_shim = None
        if any(r["action"] == "pin-isdst" for r in a.deviations):
            try:
                a.isdst_shim = build_isdst_shim(snap)
            except (RuntimeError, OSError) as ex:
                print(f"parity.py: {ex}", file=sys.stderr)
                return 2
        shutil.copy2(a.osprey, os.path.join(snap, "osprey"))
        a.osprey = os.path.join(snap, "osprey")
        work = [{"name": n, "capture": c, "args": a} for n, c in jobs]
        with concurrent.futures.ProcessPoolExecutor(a.jobs) as ex:
            results = list(ex.map(compare_one, work))
    finally:
        shutil.rmtree(snap, ignore_errors=True)
    elapsed = time.monotonic() - t0
    total, errors, diffs = summarize(results, a, elapsed, sys.stdout)
    if a.details:
        with open(a.details, "w", encoding="utf-8") as fh:
            for n, d in diffs:
                fh.write(json.dumps(dict(d, file=n)) + "\n")
    if a.tap:
        tap_lines(total, errors, diffs, a.tap, sys.stdout)
    return 0 if not errors and not diffs else 1


if __name__ == "__main__":
    sys.exit(main())
