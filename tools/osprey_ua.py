# SPDX-License-Identifier: GPL-2.0-or-later
"""Shared by tools/db-check.py and tests/accuracy/accuracy.py.

run_osprey() runs osprey on a capture and returns its JSON observations;
tshark_uas() reads every HTTP request's User-Agent of a capture with
tshark; pair_connections() joins, per TCP connection, the client's SYN
with the User-Agents of its HTTP requests (and the server's SYN+ACK with
the Server header of its responses); classify_ua() turns a User-Agent
into (product, version, modern), or None when it cannot be trusted;
sort_pairs() keeps the trustworthy pairs and counts what it leaves out.

Why tshark as well as osprey's own HTTP observations: p0f's HTTP module
(and so osprey's) reads only a GET or HEAD request at the start of a
connection, unsplit, so POSTs, CONNECTs through proxies, later requests on
a kept-alive connection and headers split over segments give no
User-Agent.  The User-Agent is the ground truth here, not the thing under
test, so it is taken from every request tshark decodes (any method, any
port its HTTP heuristics recognise, reassembled).
"""
import hashlib
import ipaddress
import json
import os
import re
import subprocess
from collections import Counter

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
    # Windows' own agents: the version they carry is the OS's (10.0 is
    # Windows 10 and 11), or none at all
    m = re.match(r"(?:Microsoft-Delivery-Optimization|Windows-Update-Agent)"
                 r"/([0-9]+\.[0-9]+)", u)
    if m:
        v = _ver(m.group(1))
        return ("Windows", v, v == (10, 0))
    if u.startswith(("Microsoft NCSI", "Microsoft BITS", "Windows-Update",
                     "WinHTTP")):
        return ("Windows", None, False)
    if u.startswith("AppleTV/"):
        return ("Apple", None, False)
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


def norm_addr(a):
    """One spelling of an address for osprey's and tshark's output."""
    try:
        return str(ipaddress.ip_address(a))
    except ValueError:
        return a


def conn_key(o):
    c, s = o["client"], o["server"]
    return (norm_addr(c["addr"]), c["port"], norm_addr(s["addr"]), s["port"])


_TSHARK_FIELDS = ("ip.src", "ipv6.src", "tcp.srcport", "ip.dst", "ipv6.dst",
                  "tcp.dstport", "http.user_agent")


def _tshark_run(pcap):
    argv = ["tshark", "-n", "-r", pcap, "-Y", "http.request and "
            "http.user_agent", "-T", "fields", "-E", "separator=\t"]
    for f in _TSHARK_FIELDS:
        argv += ["-e", f]
    try:
        p = subprocess.run(argv, stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, check=False)
    except OSError:
        return None
    out = []
    for line in p.stdout.decode("utf-8", "replace").splitlines():
        r = line.split("\t")
        if len(r) != len(_TSHARK_FIELDS):
            continue
        src, dst = r[0] or r[1], r[3] or r[4]
        # a tunnelled packet lists several addresses: not what the SYN
        # osprey saw was sent with
        if not src or not dst or not r[2] or not r[5] or \
                "," in src + dst + r[2] + r[5]:
            continue
        out.append([norm_addr(src), int(r[2]), norm_addr(dst), int(r[5]),
                    r[6]])
    return out


def tshark_uas(pcap, cache_dir=None):
    """{conn key: [User-Agent, ...]} of every HTTP request tshark decodes
    in a capture, or None without tshark.  Cached in cache_dir by the
    file's path, size and time."""
    cache = None
    if cache_dir:
        st = os.stat(pcap)
        h = hashlib.sha1(("%s|%d|%d" % (os.path.realpath(pcap), st.st_size,
                                        st.st_mtime_ns)).encode())
        cache = os.path.join(cache_dir, h.hexdigest() + ".json")
        if os.path.isfile(cache):
            with open(cache, encoding="utf-8") as f:
                rows = json.load(f)
            return _by_conn(rows)
    rows = _tshark_run(pcap)
    if rows is None:
        return None
    if cache:
        os.makedirs(cache_dir, exist_ok=True)
        with open(cache + ".tmp", "w", encoding="utf-8") as f:
            json.dump(rows, f)
        os.replace(cache + ".tmp", cache)
    return _by_conn(rows)


def _by_conn(rows):
    out = {}
    for src, sport, dst, dport, ua in rows:
        out.setdefault((src, sport, dst, dport), []).append(ua)
    return out


def pair_connections(obs, uas=None):
    """{conn key: {"syn": o, "synack": o, "uas": [str], "server": str}};
    uas: more User-Agents by connection (tshark_uas())."""
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
        elif mod == "http_request":
            ua = split_http_sig(o.get("raw_sig") or "")
            if ua:
                c.setdefault("uas", []).append(ua)
        elif mod == "http_response" and "server" not in c:
            sw = split_http_sig(o.get("raw_sig") or "")
            if sw:
                c["server"] = sw
    for key, more in (uas or {}).items():
        if key in conns:
            conns[key].setdefault("uas", []).extend(more)
    return conns


# MSS of loopback interfaces: Linux lo (MTU 65536), macOS lo0 (16384)
LOOPBACK_MSS = (65495, 65476, 16344, 16324)


def is_loopback(addr):
    return addr.startswith("127.") or addr in ("0:0:0:0:0:0:0:1", "::1")


def _syn_mss(syn):
    try:
        return int(syn["raw_sig"].split(":")[3])
    except (KeyError, IndexError, ValueError):
        return -1


def _judge(key, c):
    """(classification, None) or (None, why it is left out)."""
    if is_loopback(key[0]) or is_loopback(key[2]) or \
            _syn_mss(c["syn"]) in LOOPBACK_MSS:
        return None, "loopback"
    cls = [classify_ua(u) for u in c["uas"]]
    good = [cl for cl in cls if cl]
    if not good:
        return None, ("tool UA" if any(TOOL_RE.match(u.strip())
                                        for u in c["uas"])
                      else "UA names no OS")
    if len({STACK_OF[cl[0]] for cl in good}) > 1:
        return None, "UAs of one connection disagree"
    # the most specific claim: a versioned one if any
    good.sort(key=lambda cl: cl[1] is None)
    return good[0], None


def sort_pairs(obs, uas=None):
    """(pairs, left_out): the trusted (client addr, product, version,
    modern, syn obs, ua) tuples of one capture, one per connection, and a
    Counter of the connections with a SYN and a User-Agent that were left
    out, by reason: loopback (addresses, or a loopback MTU), tool UA, UA
    names no OS, UAs of one connection disagree, and host's UAs disagree
    (NAT, or a lying client: the host's connections name two stacks)."""
    left = Counter()
    per_host = {}
    for key, c in pair_connections(obs, uas).items():
        if "syn" not in c or not c.get("uas"):
            continue
        cl, why = _judge(key, c)
        if why:
            left[why] += 1
            continue
        per_host.setdefault(key[0], []).append((cl, c["syn"], c["uas"][0]))
    out = []
    for addr, items in per_host.items():
        if len({STACK_OF[cl[0]] for cl, _, _ in items}) > 1:
            left["host's UAs disagree"] += len(items)
            continue
        for cl, syn, ua in items:
            out.append((addr, cl[0], cl[1], cl[2], syn, ua))
    return out, left


def host_pairs(obs, uas=None):
    """sort_pairs() without the count of what was left out."""
    return sort_pairs(obs, uas)[0]
