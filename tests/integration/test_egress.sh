#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Egress capture end to end: osprey on the interface of a host that is
# itself the server, beside Debian's p0f on the same interface at the same
# time (both with /etc/p0f/p0f.fp), in namespaces of our own:
#
#   cli ns  --veth--  srv ns: python3 -m http.server, osprey -i, p0f -i
#   curl, wget, python3 over IPv4 and IPv6
#
# XDP sees what the server receives, the tc egress program what it sends
# (its SYN+ACKs, HTTP responses), so for every module p0f prints there
# (syn, syn+ack, mtu, http request, http response) osprey's lines must
# equal p0f's.  Uptime lines, from a second client address that sends
# SYNs 50 ms apart with a 1000 Hz timestamp clock, must be the same lines
# with raw_freq within 5% of p0f's: the two read different clocks (the
# kernel's receive stamp for pcap; osprey's tick count made precise by the
# daemon), and a tick-resolution time alone would be off by up to 16%.
# Then:
#   - loopback: osprey -i lo reports each connection once, as p0f on lo
#     does, and a request whose headers come in one 6 KB frame (lo's MTU
#     is 64 KiB; the old 1536-byte capture lost its end) is read whole;
#   - a router with both interfaces monitored reports every forwarded SYN
#     and SYN+ACK exactly once; with one interface monitored the SYN+ACK
#     that arrives on the other is reported on its way out, once;
#   - the tc filter and the clsact qdisc osprey added are gone after exit;
#     a clsact qdisc someone else made stays, and sharing it prints no
#     kernel notice.
set -u
. "$(dirname "$0")/../lib.sh"
failm() { local n=$1; shift; fail "$n" "$*"; }
PY=$(command -v /usr/bin/python3 || command -v python3)
need_root all
need_tools ip nsenter tc curl wget python3 p0f
[ -r /etc/p0f/p0f.fp ] || { skip all "/etc/p0f/p0f.fp not installed"; exit 0; }
DB=/etc/p0f/p0f.fp

ID=$T_ID
NS_C=oeC$ID NS_S=oeS$ID NS_R=oeR$ID NS_T=oeT$ID
TMPD=$(mktemp -d /tmp/osprey-egress.XXXXXX)
on_exit "rm -rf $TMPD"
PORT=8080
CLI4=10.243.1.1 SRV4=10.243.1.2 CLI6=fd43:1::1 SRV6=fd43:1::2
CLI4T=10.243.1.3 # the timestamp series' source
private_osprey "$TMPD"
need_bpffs


# new_ns NAME...: namespaces removed at exit, lo up
new_ns() {
	local ns
	for ns in "$@"; do
		on_exit "ip netns del $ns"
		ip netns add "$ns" && in_ns "$ns" ip link set lo up || return 1
	done
}
# link NS1 IF1 NS2 IF2: a veth pair between two namespaces, both up
link() {
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$3" &&
		in_ns "$1" ip link set "$2" up && in_ns "$3" ip link set "$4" up
}

# serve NS DIR: python's HTTP server on every address of NS
serve() {
	nsenter --net=/run/netns/$1 "$PY" -m http.server -b :: -d "$2" $PORT \
		>/dev/null 2>&1 &
	track_pid $!
	local n
	for n in $(seq 50); do
		in_ns "$1" bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT" 2>/dev/null &&
			return 0
		sleep 0.1
	done
	return 1
}

# start_osprey NS TAG ARGS...: osprey in NS; waits for its XDP attach
# lines (one per -i).  Sets OPID.
start_osprey() {
	local ns=$1 tag=$2 n want
	shift 2
	want=$(printf '%s\n' "$@" | grep -c '^-i$')
	nsenter --net=/run/netns/$ns "$OSPREY" -f "$DB" --pin-dir \
		"/sys/fs/bpf/osprey-egress-$ID-$tag" -o "$TMPD/$tag.log" "$@" \
		>"$TMPD/$tag.out" 2>"$TMPD/$tag.err" &
	OPID=$!
	track_pid $OPID
	on_exit "rm -rf /sys/fs/bpf/osprey-egress-$ID-$tag"
	for n in $(seq 100); do
		[ "$(grep -c 'attached in' "$TMPD/$tag.err")" -ge "$want" ] &&
			return 0
		alive $OPID || return 1
		sleep 0.1
	done
	return 1
}

# start_p0f NS TAG IFACE: Debian's p0f beside it.  Sets PPID_P0F.
start_p0f() {
	nsenter --net=/run/netns/$1 p0f -f "$DB" -i "$3" -o "$TMPD/$2.p0f" \
		'tcp' >"$TMPD/$2.p0f.out" 2>&1 &
	PPID_P0F=$!
	track_pid $PPID_P0F
	local n
	for n in $(seq 50); do
		grep -q 'main event loop' "$TMPD/$2.p0f.out" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# lines MOD FILE: that module's lines of a p0f-format log, dates removed
lines() {
	sed -e 's/^\[[^]]*\] //' "$2" | awk -F'|' -v m="mod=$1" '$1 == m' | sort
}

# same_as_p0f NAME MOD MIN: osprey's MOD lines equal p0f's, at least MIN
same_as_p0f() {
	local name=$1 mod=$2 min=$3 n
	lines "$mod" "$TMPD/$name.p0f" >"$TMPD/$name.$mod.p0f"
	lines "$mod" "$TMPD/$name.log" >"$TMPD/$name.$mod.osp"
	n=$(wc -l <"$TMPD/$name.$mod.p0f")
	if [ "$n" -lt "$min" ]; then
		failm "$name/${mod// /_}_as_p0f" "p0f logged $n '$mod' lines," \
			"expected >= $min (osprey: $(wc -l <"$TMPD/$name.$mod.osp"))"
	elif diff -u "$TMPD/$name.$mod.p0f" "$TMPD/$name.$mod.osp" \
		>"$TMPD/$name.$mod.diff"; then
		pass "$name/${mod// /_}_as_p0f"
		echo "# $name: $n '$mod' lines, equal"
	else
		failm "$name/${mod// /_}_as_p0f" "$n p0f lines; diff:" \
			"$(grep '^[-+][^-+]' "$TMPD/$name.$mod.diff" | head -4 | tr '\n' ' ')"
	fi
}

# clients NS ADDR4 ADDR6: curl, wget and python over both families
clients() {
	local ns=$1 a
	for a in "$2" "[$3]"; do
		in_ns "$ns" curl -s -o /dev/null -m 10 "http://$a:$PORT/index.html"
		in_ns "$ns" wget -q -O /dev/null -T 10 "http://$a:$PORT/index.html"
	done
	for a in "$2" "$3"; do
		in_ns "$ns" "$PY" - "$a" $PORT <<'EOF'
import http.client, sys
c = http.client.HTTPConnection(sys.argv[1], int(sys.argv[2]), timeout=10)
c.request("GET", "/index.html", headers={"Accept-Language": "de-DE,de;q=0.9"})
c.getresponse().read()
EOF
	done
}

# syn_series NS SRC DST N: N SYNs from SRC to DST (a closed port), 50 ms
# apart, each from a new port, with a TCP timestamp that counts ms from
# the first (raw socket; the source's kernel never sees a connection)
syn_series() {
	in_ns "$1" "$PY" - "$2" "$3" "$4" <<'EOF'
import socket, struct, sys, time
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])

def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
s.bind((src, 0))
t0, base = time.monotonic(), 5000000
for i in range(n):
    ts = base + int((time.monotonic() - t0) * 1000)
    # mss 1460, sackOK, timestamps, nop, wscale 7: Linux's SYN options
    opts = (struct.pack("!BBH", 2, 4, 1460) + b"\x04\x02" +
            struct.pack("!BBII", 8, 10, ts, 0) + b"\x01" +
            struct.pack("!BBB", 3, 3, 7))
    hdr = struct.pack("!HHIIBBHHH", 41000 + i, 9, 1000 + i, 0,
                      (20 + len(opts)) // 4 << 4, 0x02, 64240, 0, 0)
    seg = hdr + opts
    pseudo = (socket.inet_aton(src) + socket.inet_aton(dst) +
              struct.pack("!BBH", 0, 6, len(seg)))
    c = csum(pseudo + seg)
    seg = seg[:16] + struct.pack("!H", c) + seg[18:]
    s.sendto(seg, (dst, 0))
    time.sleep(0.05)
EOF
}

# uptime_near_p0f NAME MIN: the same uptime lines (client, server, subject)
# as p0f's, at least MIN, each raw_freq within 5% of p0f's
uptime_near_p0f() {
	local name=$1 min=$2 out
	lines uptime "$TMPD/$name.p0f" >"$TMPD/$name.uptime.p0f"
	lines uptime "$TMPD/$name.log" >"$TMPD/$name.uptime.osp"
	out=$("$PY" - "$TMPD/$name.uptime.p0f" "$TMPD/$name.uptime.osp" \
		"$min" 2>&1 <<'EOF'
import sys
def read(path):
    d = {}
    for line in open(path):
        f = line.rstrip("\n").split("|")
        kv = dict(x.split("=", 1) for x in f if "=" in x)
        d[(kv["cli"], kv["srv"], kv["subj"])] = float(kv["raw_freq"].split()[0])
    return d
p, o, need = read(sys.argv[1]), read(sys.argv[2]), int(sys.argv[3])
if len(p) < need:
    sys.exit("p0f logged %d uptime lines, expected >= %d (osprey: %d)" % (len(p), need, len(o)))
if set(p) != set(o):
    sys.exit("lines differ: p0f only %s; osprey only %s" % (sorted(set(p) - set(o))[:2], sorted(set(o) - set(p))[:2]))
worst = max(abs(o[k] - p[k]) / p[k] for k in p)
far = [(k[0], p[k], o[k]) for k in p if abs(o[k] - p[k]) > 0.05 * p[k]]
if far:
    sys.exit("raw_freq beyond 5%% of p0f's: %s" % far[:3])
print("%d uptime lines, raw_freq at most %.2f%% from p0f's" % (len(p), 100 * worst))
EOF
	) && { pass "$name/uptime_near_p0f"; echo "# $name: $out"; } ||
		failm "$name/uptime_near_p0f" "$out"
}

# ------------------------------------------------------ the server host
mkdir -p "$TMPD/www" && echo "hello from osprey's egress test" \
	>"$TMPD/www/index.html"
new_ns "$NS_C" "$NS_S" && link "$NS_C" "c$ID" "$NS_S" "s$ID" &&
	in_ns "$NS_C" ip addr add $CLI4/24 dev "c$ID" &&
	in_ns "$NS_C" ip addr add $CLI4T/24 dev "c$ID" &&
	in_ns "$NS_C" ip addr add $CLI6/64 dev "c$ID" nodad &&
	in_ns "$NS_S" ip addr add $SRV4/24 dev "s$ID" &&
	in_ns "$NS_S" ip addr add $SRV6/64 dev "s$ID" nodad ||
	{ failm setup "namespaces and veth"; exit 1; }
serve "$NS_S" "$TMPD/www" || { failm setup "http server did not start"; exit 1; }

if ! start_osprey "$NS_S" host -i "s$ID"; then
	failm host/attach "$(tr '\n' ' ' <"$TMPD/host.err")"
	exit 1
fi
if in_ns "$NS_S" tc filter show dev "s$ID" egress | grep -q osprey_egress; then
	pass host/tc_egress_attached
else
	failm host/tc_egress_attached "no osprey_egress filter on s$ID egress"
fi
start_p0f "$NS_S" host "s$ID" || failm host/p0f "p0f did not start"
clients "$NS_C" $SRV4 $SRV6
syn_series "$NS_C" $CLI4T $SRV4 12
sleep 1
stop $PPID_P0F
stop $OPID
for mod in syn syn+ack mtu "http request" "http response"; do
	same_as_p0f host "$mod" 6
done
uptime_near_p0f host 11
if in_ns "$NS_S" tc filter show dev "s$ID" egress | grep -q . ||
	in_ns "$NS_S" tc qdisc show dev "s$ID" | grep -q clsact; then
	failm host/tc_detached "a filter or clsact qdisc left on s$ID:" \
		"$(in_ns "$NS_S" tc qdisc show dev "s$ID" | tr '\n' ' ')"
else
	pass host/tc_detached
fi

# ------------------------------------------------------- shared clsact
# An interface with a clsact qdisc someone else made: osprey adds its
# filter beside it without the kernel's "Exclusivity flag on" notice on
# stderr (libbpf prints it as a warning; it is the normal case), and
# leaves the qdisc there when it exits.
if in_ns "$NS_S" ip link add "x$ID" type veth peer name "y$ID" &&
	in_ns "$NS_S" ip link set "x$ID" up && in_ns "$NS_S" ip link set "y$ID" up &&
	in_ns "$NS_S" tc qdisc add dev "x$ID" clsact; then
	if start_osprey "$NS_S" shared -i "x$ID"; then
		stop $OPID
		if grep -q 'Exclusivity' "$TMPD/shared.err"; then
			failm shared/no_extack_notice "stderr:" \
				"$(tr '\n' ' ' <"$TMPD/shared.err")"
		else
			pass shared/no_extack_notice
		fi
		if in_ns "$NS_S" tc qdisc show dev "x$ID" | grep -q clsact; then
			pass shared/their_clsact_kept
		else
			failm shared/their_clsact_kept "no clsact on x$ID after exit"
		fi
	else
		failm shared/attach "$(tr '\n' ' ' <"$TMPD/shared.err")"
	fi
else
	failm shared/setup "veth with a clsact qdisc in $NS_S"
fi

# ------------------------------------------------------------- loopback
# The server's namespace has its own lo: osprey and p0f on it, clients
# in the same namespace.  Each connection once; a 6 KB header block in
# one frame read whole (p0f reads it whole).
big_request() { # ADDR: a GET whose headers fill one ~6 KB write
	in_ns "$NS_S" "$PY" - "$1" $PORT <<'EOF'
import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10)
# p0f takes 32 headers at most: few, long ones
pad = "".join("X-Pad-%d: %s\r\n" % (i, "a" * 700) for i in range(8))
req = ("GET /index.html HTTP/1.1\r\nHost: osprey\r\n%sUser-Agent: curl/7.19.7 "
       "(x86_64-pc-linux-gnu)\r\nAccept: */*\r\n\r\n" % pad)
s.sendall(req.encode())
while s.recv(65536):
    pass
EOF
}
if start_osprey "$NS_S" lo -i lo; then
	start_p0f "$NS_S" lo lo || failm lo/p0f "p0f did not start"
	for a in 127.0.0.1 "[::1]"; do
		in_ns "$NS_S" curl -s -o /dev/null -m 10 "http://$a:$PORT/index.html"
	done
	big_request 127.0.0.1
	sleep 1
	stop $PPID_P0F
	stop $OPID
	for mod in syn syn+ack mtu "http request" "http response"; do
		same_as_p0f lo "$mod" 3
	done
	n=$(lines syn "$TMPD/lo.log" | cut -d'|' -f2 | sort | uniq -d | wc -l)
	check_eq lo/each_syn_once 0 "$n"
	# the 6 KB request's line: its header names end with User-Agent
	if lines "http request" "$TMPD/lo.log" | grep -q 'X-Pad-7'; then
		pass lo/big_frame_request_whole
	else
		failm lo/big_frame_request_whole "no http request line with" \
			"all 8 padding headers after 6 KB in one frame"
	fi
else
	failm lo/attach "$(tr '\n' ' ' <"$TMPD/lo.err")"
fi

# --------------------------------------------------------------- router
#   cli ns (T) --veth-- rtr ns (R: osprey) --veth-- srv ns (S, again)
# forwarding both ways, routes through R
R4C=10.243.2.1 T4=10.243.2.2 R4S=10.243.3.1 S4B=10.243.3.2
R6C=fd43:2::1 T6=fd43:2::2 R6S=fd43:3::1 S6B=fd43:3::2
new_ns "$NS_R" "$NS_T" && link "$NS_T" "t$ID" "$NS_R" "ra$ID" &&
	link "$NS_S" "u$ID" "$NS_R" "rb$ID" &&
	in_ns "$NS_T" ip addr add $T4/24 dev "t$ID" &&
	in_ns "$NS_T" ip addr add $T6/64 dev "t$ID" nodad &&
	in_ns "$NS_R" ip addr add $R4C/24 dev "ra$ID" &&
	in_ns "$NS_R" ip addr add $R6C/64 dev "ra$ID" nodad &&
	in_ns "$NS_R" ip addr add $R4S/24 dev "rb$ID" &&
	in_ns "$NS_R" ip addr add $R6S/64 dev "rb$ID" nodad &&
	in_ns "$NS_S" ip addr add $S4B/24 dev "u$ID" &&
	in_ns "$NS_S" ip addr add $S6B/64 dev "u$ID" nodad &&
	in_ns "$NS_T" ip route add default via $R4C &&
	in_ns "$NS_T" ip -6 route add default via $R6C &&
	in_ns "$NS_S" ip route add 10.243.2.0/24 via $R4S &&
	in_ns "$NS_S" ip -6 route add fd43:2::/64 via $R6S &&
	in_ns "$NS_R" sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv6.conf.all.forwarding=1 ||
	{ failm router/setup "namespaces, veths, routes"; exit $T_FAILED; }
sleep 1 # IPv6 neighbours

# once TAG: every forwarded connection's SYN and SYN+ACK once; as many
# connections as p0f saw on the client side
once() {
	local tag=$1 mod n dup
	for mod in syn syn+ack; do
		n=$(lines "$mod" "$TMPD/$tag.log" | wc -l)
		dup=$(lines "$mod" "$TMPD/$tag.log" | cut -d'|' -f2,3 | sort |
			uniq -d | wc -l)
		want=$(lines "$mod" "$TMPD/$tag.p0f" | wc -l)
		if [ "$n" -ge 6 ] && [ "$n" = "$want" ] && [ "$dup" = 0 ]; then
			pass "$tag/each_${mod}_once"
		else
			failm "$tag/each_${mod}_once" "expected $want lines" \
				"(p0f on ra$ID), no repeats; got $n, $dup repeated"
		fi
	done
}
for variant in both one; do
	tag=router-$variant
	args=(-i "ra$ID")
	[ $variant = both ] && args+=(-i "rb$ID")
	if ! start_osprey "$NS_R" $tag "${args[@]}"; then
		failm $tag/attach "$(tr '\n' ' ' <"$TMPD/$tag.err")"
		continue
	fi
	start_p0f "$NS_R" $tag "ra$ID" || failm $tag/p0f "p0f did not start"
	clients "$NS_T" $S4B $S6B
	sleep 1
	st=$("$OSPREY" stats --json --pin-dir "/sys/fs/bpf/osprey-egress-$ID-$tag" \
		2>/dev/null | "$PY" -c 'import json, sys
k = json.load(sys.stdin)["kernel"]
print(k["egress_forwarded_skipped"] > 0)' 2>&1)
	stop $PPID_P0F
	stop $OPID
	once $tag
	# both: what XDP saw arrive is skipped on the way out; one: nothing
	# leaves ra that XDP saw arrive (SYN+ACKs arrive on the unwatched rb
	# and are reported by the egress program: once() counted them)
	check_eq $tag/egress_skipped_forwarded \
		"$([ $variant = both ] && echo True || echo False)" "$st"
done
exit $T_FAILED
