# SPDX-License-Identifier: GPL-2.0-or-later
"""Shared by tools/db-check.py and tests/accuracy/accuracy.py.

run_osprey() runs osprey on a capture and returns its JSON observations;
pair_connections() joins, per TCP connection, the client's SYN with the
User-Agent of its HTTP requests (and the server's SYN+ACK with the Server
header of its responses); classify_ua() turns a User-Agent into
(stack, product, version), or None when it cannot be trusted.
"""
import json
import os
import re
import subprocess

# Stacks: what a SYN can tell apart.  Products: what a User-Agent names.
STACK_OF = {"Windows": "Windows", "Linux": "Linux", "Android": "Linux",
            "ChromeOS": "Linux", "macOS": "Apple", "iOS": "Apple",
            "Apple": "Apple", "FreeBSD": "FreeBSD", "OpenBSD": "OpenBSD",
            "NetBSD": "NetBSD"}

# Programs whose User-Agent says nothing reliable about the host: they run
# anywhere and are often told to pretend.
TOOL_RE = re.compile(
    r"^(curl|wget|python|go-http-client|libwww|lwp|java/|apache-httpclient|"
    r"okhttp|aria2|httpie|nmap|masscan|zgrab|scrapy|node-fetch|axios|"
    r"powershell|winhttp|uclient-fetch|urlgrabber|pycurl|ruby|php|perl|"
    r"libcurl|http_request|nikto|sqlmap|mozilla/[0-9.]+ \(compatible; ?\)$)",
    re.I)


def _ver(s):
    """'10_15_7' or '10.15' -> (10, 15)"""
    parts = re.split(r"[._]", s)
    out = []
    for p in parts[:2]:
        if not p.isdigit():
            break
        out.append(int(p))
    return tuple(out) if out else None


# Darwin kernel major -> macOS version (Darwin 8 = 10.4 ... 19 = 10.15,
# 20 = 11, 21 = 12 ...); iOS N ships Darwin N+6 from iOS 8 on.
def _darwin_to_macos(d):
    if d <= 19:
        return (10, d - 4)
    return (d - 9, 0)


def classify_ua(ua):
    """(product, version tuple or None, modern bool) or None."""
    if not ua:
        return None
    u = ua.strip()
    if TOOL_RE.match(u):
        return None
    if "Windows Phone" in u or "Xbox" in u:
        return None
    m = re.search(r"Android[ /]?([0-9][0-9._]*)?", u)
    if m:
        v = _ver(m.group(1)) if m.group(1) else None
        return ("Android", v, bool(v and v[0] >= 6))
    m = re.search(r"(?:iPhone|iPad|iPod).*?OS ([0-9_]+)", u)
    if m or re.search(r"\b(iPhone|iPad|iPod)\b", u):
        v = _ver(m.group(1)) if m else None
        return ("iOS", v, bool(v and v[0] >= 9))
    m = re.search(r"Mac OS X ([0-9][0-9._]*)", u)
    if m:
        v = _ver(m.group(1))
        return ("macOS", v, bool(v and (v[0] > 10 or v >= (10, 11))))
    if "Macintosh" in u:
        return ("macOS", None, False)
    m = re.search(r"Darwin/([0-9]+)", u)
    if m or u.startswith(("CaptiveNetworkSupport", "com.apple.")):
        v = _darwin_to_macos(int(m.group(1))) if m else None
        return ("Apple", v, bool(v is None or v >= (10, 11)))
    m = re.search(r"Windows NT ([0-9]+\.[0-9]+)", u)
    if m:
        v = _ver(m.group(1))
        return ("Windows", v, v == (10, 0))
    m = re.match(r"Microsoft-CryptoAPI/([0-9]+\.[0-9]+)", u)
    if m:
        v = _ver(m.group(1))
        return ("Windows", v, v == (10, 0))
    if u.startswith(("Microsoft NCSI", "Microsoft BITS", "Windows-Update")):
        return ("Windows", None, False)
    if "CrOS" in u:
        return ("ChromeOS", None, True)
    for bsd in ("FreeBSD", "OpenBSD", "NetBSD"):
        if bsd in u:
            return (bsd, None, False)
    if re.search(r"Linux|X11; Ubuntu|Ubuntu|Fedora", u):
        return ("Linux", None, _modern_browser(u))
    return None


def _modern_browser(u):
    """A Linux UA carries no kernel version: call it modern when its
    browser was released in 2015 or later."""
    m = re.search(r"Firefox/([0-9]+)", u)
    if m:
        return int(m.group(1)) >= 35
    m = re.search(r"Chrom(?:e|ium)/([0-9]+)", u)
    if m:
        return int(m.group(1)) >= 40
    return False


def split_http_sig(raw):
    """ver:horder:habsent:sw -> the sw part (User-Agent or Server)."""
    depth = 0
    colons = 0
    for i, ch in enumerate(raw):
        if ch == "[":
            depth += 1
        elif ch == "]" and depth:
            depth -= 1
        elif ch == ":" and depth == 0:
            colons += 1
            if colons == 3:
                return raw[i + 1:]
    return ""


def run_osprey(osprey, db, pcap):
    """osprey's JSON observations on one capture ([] if it read nothing)."""
    env = dict(os.environ, TZ="UTC")
    p = subprocess.run([osprey, "-f", db, "-r", pcap, "--json"],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                       env=env, check=False)
    out = []
    for line in p.stdout.decode("utf-8", "replace").splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            continue
    return out


def conn_key(o):
    c, s = o["client"], o["server"]
    return (c["addr"], c["port"], s["addr"], s["port"])


def pair_connections(obs):
    """{conn key: {"syn": o, "synack": o, "ua": str, "server": str}}"""
    conns = {}
    for o in obs:
        mod = o.get("mod")
        if mod not in ("syn", "syn_ack", "http_request", "http_response"):
            continue
        c = conns.setdefault(conn_key(o), {})
        if mod == "syn" and "syn" not in c:
            c["syn"] = o
        elif mod == "syn_ack" and "synack" not in c:
            c["synack"] = o
        elif mod == "http_request" and "ua" not in c:
            ua = split_http_sig(o.get("raw_sig") or "")
            if ua:
                c["ua"] = ua
        elif mod == "http_response" and "server" not in c:
            sw = split_http_sig(o.get("raw_sig") or "")
            if sw:
                c["server"] = sw
    return conns


def is_loopback(addr):
    return addr.startswith("127.") or addr in ("0:0:0:0:0:0:0:1", "::1")


def host_pairs(obs):
    """Trusted (client addr, product, version, modern, syn obs) tuples of
    one capture: loopback, tool UAs and hosts whose UAs disagree on the
    product are left out."""
    conns = pair_connections(obs)
    per_host = {}
    for key, c in conns.items():
        if "syn" not in c or "ua" not in c:
            continue
        if is_loopback(key[0]) or is_loopback(key[2]):
            continue
        cl = classify_ua(c["ua"])
        if cl is None:
            continue
        per_host.setdefault(key[0], []).append((cl, c["syn"], c["ua"]))
    out = []
    for addr, items in per_host.items():
        if len({STACK_OF[cl[0]] for cl, _, _ in items}) > 1:
            continue  # NAT or lying clients: cannot be trusted
        for cl, syn, ua in items:
            out.append((addr, cl[0], cl[1], cl[2], syn, ua))
    return out
