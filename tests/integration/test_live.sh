#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Live capture end to end, in namespaces of our own:
#
#   cli ns  --veth--  rtr ns (osprey, p0f, tcpdump)  --veth--  srv ns
#   curl, wget,       forwards IPv4 + IPv6            "$PY" -m http.server
#   python3
#
# XDP sees what an interface *receives*, so osprey attaches to both router
# veths: rc (client -> server packets) and rs (server -> client packets)
# and sees each connection whole.  Debian's p0f listens on rc at the same
# time (pcap sees both directions there) and tcpdump records what XDP saw
# (-i any -Q in).  Checked:
#   - osprey's observations equal p0f's for the same connections (syn
#     labels and distance, syn+ack labels, mtu, HTTP apps), IPv4 and IPv6
#   - the hosts map via `osprey lookup` (text, JSON) and bpftool, the p0f
#     API socket (OK, no match, bad query), and `osprey stats`
#   - every download arrives byte for byte (sha256)
#   - the tcpdump capture replayed with `osprey -r` gives the live output
#   - SIGTERM: exit 0, nothing attached, lookup still answers; restart
#     keeps the map and picks up new traffic; the same after SIGKILL
#   - generic XDP mode, with --precise-clock (the log's times are right)
# Each check group is a case (test_NAME below); `test_live.sh CASE...`
# runs only those, with the setup they need (fixture_*).
set -u
. "$(dirname "$0")/../lib.sh"
failm() { local n=$1; shift; fail "$n" "$*"; }
# /usr/bin/python3 when present: a pyenv shim costs seconds per call
PY=$(command -v /usr/bin/python3 || command -v python3)
need_root live

ID=$T_ID
NS_C=olC$ID NS_R=olR$ID NS_S=olS$ID
RC=rc$ID RS=rs$ID
PIN=/sys/fs/bpf/osprey-live-$ID
TMPD=$(mktemp -d /tmp/osprey-live.XXXXXX)
on_exit "rm -rf $TMPD"
SOCK=$TMPD/api.sock
PORT=8081
CLI4=10.241.1.2 CLI4B=10.241.1.3 RTR4C=10.241.1.1
SRV4=10.241.2.2 RTR4S=10.241.2.1
CLI6=fd41:1::2 RTR6C=fd41:1::1 SRV6=fd41:2::2 RTR6S=fd41:2::1
CLI6L=fd41:1:0:0:0:0:0:2 # as p0f's log prints it

need_tools ip nsenter curl wget python3 bpftool p0f tcpdump sha256sum
private_osprey "$TMPD"
need_bpffs

# in_ns (lib.sh): nsenter, not `ip netns exec`, which would hide bpffs.
in_r() { in_ns "$NS_R" "$@"; }
in_c() { in_ns "$NS_C" "$@"; }
in_s() { in_ns "$NS_S" "$@"; }
# Background jobs: nsenter execs the command, so $! is its pid.  (A
# function or subshell in the background would be another process, and
# would ignore SIGINT as non-interactive background jobs do.)
bg_r() { nsenter --net=/run/netns/$NS_R "$@" & }

setup_net() {
	on_exit "ip netns del $NS_C"
	on_exit "ip netns del $NS_R"
	on_exit "ip netns del $NS_S"
	ip netns add "$NS_C" && ip netns add "$NS_R" && ip netns add "$NS_S" &&
		ip link add "c$ID" netns "$NS_C" type veth peer name "$RC" \
			netns "$NS_R" &&
		ip link add "s$ID" netns "$NS_S" type veth peer name "$RS" \
			netns "$NS_R" || return 1
	in_c ip addr add $CLI4/24 dev "c$ID"
	in_c ip addr add $CLI4B/24 dev "c$ID"
	in_c ip addr add $CLI6/64 dev "c$ID" nodad
	in_r ip addr add $RTR4C/24 dev "$RC"
	in_r ip addr add $RTR6C/64 dev "$RC" nodad
	in_r ip addr add $RTR4S/24 dev "$RS"
	in_r ip addr add $RTR6S/64 dev "$RS" nodad
	in_s ip addr add $SRV4/24 dev "s$ID"
	in_s ip addr add $SRV6/64 dev "s$ID" nodad
	local ns
	for ns in "$NS_C" "$NS_R" "$NS_S"; do
		in_ns "$ns" ip link set lo up
	done
	in_c ip link set "c$ID" up && in_s ip link set "s$ID" up &&
		in_r ip link set "$RC" up && in_r ip link set "$RS" up || return 1
	in_c ip route add default via $RTR4C && in_c ip -6 route add default via $RTR6C &&
		in_s ip route add default via $RTR4S &&
		in_s ip -6 route add default via $RTR6S || return 1
	in_r sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
}

start_server() {
	mkdir -p "$TMPD/www"
	head -c 300000 /dev/urandom >"$TMPD/www/blob.bin"
	SUM=$(sha256sum <"$TMPD/www/blob.bin" | cut -d' ' -f1)
	nsenter --net=/run/netns/$NS_S "$PY" -m http.server -b :: \
		-d "$TMPD/www" $PORT >/dev/null 2>&1 &
	track_pid $!
	local n
	for n in $(seq 50); do
		in_s bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT" 2>/dev/null &&
			return 0
		sleep 0.1
	done
	return 1
}

# start_osprey MODE TAG [ARGS]: osprey in the router ns on both veths;
# waits until it attached to both (or died).  Sets OPID.
start_osprey() {
	local mode=$1 tag=$2 n
	shift 2
	bg_r "$OSPREY" -f "$TOP/db/p0f.fp" -i "$RC" -i "$RS" --xdp-mode "$mode" --pin-dir "$PIN" \
		-s "$SOCK" -o "$TMPD/$tag.log" "$@" >"$TMPD/$tag.out" \
		2>"$TMPD/$tag.err"
	OPID=$!
	track_pid $OPID
	for n in $(seq 100); do
		[ "$(grep -c 'attached in' "$TMPD/$tag.err")" -ge 2 ] && return 0
		alive $OPID || return 1
		sleep 0.1
	done
	return 1
}

# stop_osprey SIG: signal it, wait for exit (10 s); status in STOP_RC.
stop_osprey() {
	local n
	kill -"$1" $OPID 2>/dev/null
	for n in $(seq 100); do alive $OPID || break; sleep 0.1; done
	{ wait $OPID; } 2>/dev/null
	STOP_RC=$?
}

xdp_attached() { in_r ip link show "$1" | grep -q 'xdp'; }
detached_both() { ! xdp_attached "$RC" && ! xdp_attached "$RS"; }

# Observations of a p0f-format log, without dates, one line each:
# mod|cli|srv|subj|label (+ dist for syn).  Labels only: p0f on rc sees
# the server's packets after forwarding (TTL - 1), osprey before.
obs_keys() {
	sed -e 's/^\[[^]]*\] //' "$1" | awk -F'|' '
	{
		split($1, m, "="); mod = m[2]; k = $1
		if (mod != "syn" && mod != "syn+ack" && mod != "mtu" &&
		    mod != "http request" && mod != "http response") next
		for (i = 2; i <= NF; i++) {
			split($i, a, "=")
			if (a[1] == "cli" || a[1] == "srv" || a[1] == "subj" ||
			    a[1] == "os" || a[1] == "app" || a[1] == "link" ||
			    (a[1] == "dist" && mod == "syn"))
				k = k "|" $i
		}
		print k
	}' | sort
}
# Full lines without dates (for live vs replay).
obs_full() {
	sed -e 's/^\[[^]]*\] //' "$1" | grep -v '^mod=uptime|' | sort
}
# field MOD CLIPREFIX KEY FILE: value of KEY in the first MOD line whose
# cli= starts with CLIPREFIX.
field() {
	sed -e 's/^\[[^]]*\] //' "$4" | awk -F'|' -v mod="$1" -v cli="$2" \
		-v key="$3" '
	$1 == "mod=" mod && index($2, "cli=" cli) == 1 {
		for (i = 2; i <= NF; i++) {
			n = index($i, "=")
			if (substr($i, 1, n - 1) == key) { print substr($i, n + 1); exit }
		}
	}'
}

# osprey lookup's "Detected OS" without p0f-client's quality tags
lookup_os() {
	"$OSPREY" lookup --pin-dir "$PIN" "$1" 2>&1 |
		sed -n 's/^Detected OS   = //p' |
		sed -e 's/ \[generic\]//; s/ \[fuzzy\]//; s/ *$//'
}

api_query() { # ADDR [MAGIC]: status|os|flavor|http|link|dist|conns|len
	"$PY" - "$SOCK" "$@" <<'EOF'
import socket, struct, sys
path, addr = sys.argv[1], sys.argv[2]
magic = int(sys.argv[3], 0) if len(sys.argv) > 3 else 0x50304601
if ":" in addr:
    t, a = 6, socket.inet_pton(socket.AF_INET6, addr)
else:
    t, a = 4, socket.inet_aton(addr) + bytes(12)
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(5)
s.connect(path)
s.sendall(struct.pack("=IB16s", magic, t, a))
r = b""
while len(r) < 232:
    c = s.recv(232 - len(r))
    if not c:
        break
    r += c
if len(r) != 232:
    print("short|%d" % len(r)); sys.exit(0)
f = struct.unpack("=9IhBB32s32s32s32s32s32s", r)
z = lambda b: b.split(b"\0")[0].decode()
print("%s|0x%02x|%s|%s|%s|%s|%d|%d|%d" % (hex(f[0]), f[1], z(f[12]), z(f[13]),
      z(f[14]), z(f[16]), f[9], f[4], len(r)))
EOF
}
# The same questions to Debian's p0f API socket: the same answers, but
# for the times (each counts its own) and uptime (clock sources differ).
api_fields() { # SOCKET ADDR
	"$PY" - "$@" <<'EOF'
import socket, struct, sys
path, addr = sys.argv[1], sys.argv[2]
if ":" in addr:
    t, a = 6, socket.inet_pton(socket.AF_INET6, addr)
else:
    t, a = 4, socket.inet_aton(addr) + bytes(12)
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(5)
s.connect(path)
s.sendall(struct.pack("=IB16s", 0x50304601, t, a))
r = b""
while len(r) < 232:
    c = s.recv(232 - len(r))
    if not c:
        break
    r += c
f = struct.unpack("=9IhBB32s32s32s32s32s32s", r)
z = lambda b: b.split(b"\0")[0].decode()
print("status=0x%02x conns=%d dist=%d bad_sw=%d q=%d nat=%d chg=%d os=%s/%s "
      "http=%s/%s link=%s lang=%s" % (f[1], f[4], f[9], f[10], f[11],
      f[7] != 0, f[8] != 0, z(f[12]), z(f[13]), z(f[14]), z(f[15]),
      z(f[16]), z(f[17])))
EOF
}

# HTTP application of each client, by client port, as p0f names it.
http_apps() {
	sed -e 's/^\[[^]]*\] //' "$1" | awk -F'|' '
	$1 == "mod=http request" {
		app = "-"
		for (i = 2; i <= NF; i++) if ($i ~ /^app=/) app = substr($i, 5)
		print substr($2, 5), app
	}' | sort
}
app_of() { field "http request" "$CLI4/$1" app "$TMPD/live.log"; }

# Requests with the header order of the curl and wget versions p0f's
# database knows (today's curl and wget send others, which p0f names ???).
raw_get() { # NAME REQUEST-HEADERS: GET blob.bin over IPv4, prints the port
	in_c "$PY" - "$SRV4" $PORT "$TMPD/$1.bin" "$2" <<'EOF'
import socket, sys
host, port, out, hdrs = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
s = socket.create_connection((host, port), timeout=10)
req = "GET /blob.bin HTTP/1.1|" + hdrs.replace("HOST", "%s:%d" % (host, port))
s.sendall(req.replace("|", "\r\n").encode() + b"\r\n\r\n")
data = b""
while True:
    c = s.recv(65536)
    if not c:
        break
    data += c
open(out, "wb").write(data.split(b"\r\n\r\n", 1)[1])
print(s.getsockname()[1])
EOF
}

# curl TO IP [ARGS]: one request from the client namespace
req() { in_c curl -s -o /dev/null -m 5 "$@"; }
conns() { "$OSPREY" lookup --json --pin-dir "$PIN" "$1" 2>/dev/null |
	"$PY" -c 'import json, sys; print(json.load(sys.stdin)["total_conn"])' 2>/dev/null; }
wait_conns() { # ADDR N: until the map shows >= N connections (3 s)
	local n
	for n in $(seq 30); do
		[ "$(conns "$1")" -ge "$2" ] 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
last_seen() { "$OSPREY" lookup --json --pin-dir "$PIN" "$1" 2>/dev/null |
	"$PY" -c 'import datetime, json, sys
t = json.load(sys.stdin)["last_seen"].replace("Z", "+00:00")
print(int(datetime.datetime.fromisoformat(t).timestamp()))' 2>/dev/null; }
# restart NAME: start again; the map still answers for the known host
# and traffic from a new address is picked up (a fresh record: the new
# engine starts counting connections anew).
restart() {
	local c=$1 t0 n
	if ! start_osprey native "$c"; then
		failm "$c" "restart: $(tr '\n' ' ' <"$TMPD/$c.err")"
		return 1
	fi
	check_eq "${c}_lookup" "$LABEL4" "$(lookup_os $CLI4)"
	sleep 1 # seconds resolution: make the new record's time tell
	t0=$(date +%s)
	req --interface $CLI4B "http://$SRV4:$PORT/"
	for n in $(seq 30); do
		[ "$(last_seen $CLI4B)" -ge "$t0" ] 2>/dev/null && break
		sleep 0.1
	done
	if [ "$(last_seen $CLI4B)" -ge "$t0" ] 2>/dev/null; then
		pass "${c}_new_traffic"
	else
		failm "${c}_new_traffic" "$CLI4B record last_seen: expected" \
			">= $t0, got '$(last_seen $CLI4B)'"
	fi
}

# --------------------------------------------------------------- fixtures
fixture_net() {
	setup_net || { failm setup "namespaces/veths/routes"; return 1; }
	start_server || { failm setup "http server did not start"; return 1; }
	on_exit "rm -rf $PIN"
}

# osprey on both router veths in native mode (log live.log, live.err)
fixture_daemon() {
	need net || return 1
	start_osprey native live && return 0
	failm native_attach "attach to $RC and $RS (native):" \
		"$(tr '\n' ' ' <"$TMPD/live.err")"
	return 1
}

# p0f and tcpdump beside osprey, then every client's downloads
fixture_traffic() {
	local a f n
	need daemon || return 1
	bg_r p0f -i "$RC" -o "$TMPD/p0f.log" -s "$TMPD/p0f.sock" 'tcp' \
		>"$TMPD/p0f.out" 2>&1
	P0F_PID=$!
	track_pid $P0F_PID
	bg_r tcpdump -i any -Q in -U -s 0 -w "$TMPD/live.pcap" 'tcp' \
		>/dev/null 2>"$TMPD/tcpdump.err"
	TD_PID=$!
	track_pid $TD_PID
	for n in $(seq 50); do
		grep -q 'listening on' "$TMPD/tcpdump.err" 2>/dev/null &&
			grep -q 'main event loop' "$TMPD/p0f.out" 2>/dev/null && break
		sleep 0.1
	done
	URL4="http://$SRV4:$PORT/blob.bin" URL6="http://[$SRV6]:$PORT/blob.bin"
	in_c curl -s -4 -o "$TMPD/curl4.bin" "$URL4"
	in_c curl -s -6 -o "$TMPD/curl6.bin" "$URL6"
	in_c wget -q -4 -O "$TMPD/wget4.bin" "$URL4"
	in_c wget -q -6 -O "$TMPD/wget6.bin" "$URL6"
	for a in "$SRV4" "$SRV6"; do
		f=$TMPD/py$([ "$a" = "$SRV4" ] && echo 4 || echo 6).bin
		in_c "$PY" - "$a" $PORT "$f" <<'EOF'
import http.client, sys
c = http.client.HTTPConnection(sys.argv[1], int(sys.argv[2]), timeout=10)
c.request("GET", "/blob.bin", headers={"Accept-Language": "de-DE,de;q=0.9"})
open(sys.argv[3], "wb").write(c.getresponse().read())
EOF
	done
	PORT_CURL=$(raw_get oldcurl "User-Agent: curl/7.19.7 (x86_64-pc-linux-gnu)|Host: HOST|Accept: */*")
	PORT_WGET=$(raw_get oldwget "User-Agent: Wget/1.12 (linux-gnu)|Accept: */*|Host: HOST|Connection: Keep-Alive")
	sleep 2 # p0f and osprey flush their logs when idle
	LABEL4=$(field syn "$CLI4/" os "$TMPD/live.log")
}

# the capture is over: p0f, tcpdump and osprey (SIGTERM) stopped
fixture_stopped() {
	need traffic || return 1
	kill -TERM $TD_PID $P0F_PID 2>/dev/null
	wait $TD_PID 2>/dev/null
	stop_osprey TERM
	SIGTERM_RC=$STOP_RC
}

# ------------------------------------------------------------------ cases
test_native_attach() {
	need daemon || return
	if grep -q "$RC: attached in native XDP mode" "$TMPD/live.err" &&
		grep -q "$RS: attached in native XDP mode" "$TMPD/live.err"; then
		pass native_attach
	else
		failm native_attach "expected 'attached in native XDP mode' twice, got" \
			"$(tr '\n' ' ' <"$TMPD/live.err")"
	fi
}

test_traffic() {
	local f got
	need traffic || return
	for f in curl4 curl6 wget4 wget6 py4 py6 oldcurl oldwget; do
		got=$(sha256sum <"$TMPD/$f.bin" 2>/dev/null | cut -d' ' -f1)
		check_eq "traffic_unchanged_$f" "$SUM" "$got"
	done
}

# live vs Debian p0f
test_p0f_parity() {
	local n_p0f v cli want got n_req
	need traffic || return
	obs_keys "$TMPD/live.log" >"$TMPD/live.keys"
	obs_keys "$TMPD/p0f.log" >"$TMPD/p0f.keys"
	n_p0f=$(wc -l <"$TMPD/p0f.keys")
	if [ "$n_p0f" -lt 6 ]; then
		failm p0f_parity "p0f logged too little to compare: expected >= 6" \
			"observations, got $n_p0f ($(tail -2 "$TMPD/p0f.out" | tr '\n' ' '))"
	elif diff -u "$TMPD/p0f.keys" "$TMPD/live.keys" >"$TMPD/keys.diff"; then
		pass p0f_parity
	else
		failm p0f_parity "osprey vs p0f ($n_p0f observations), diff:" \
			"$(grep '^[-+][^-+]' "$TMPD/keys.diff" | head -6 | tr '\n' ' ')"
	fi
	for v in 4 6; do
		[ $v = 4 ] && cli=$CLI4/ || cli=$CLI6L/
		want=$(field syn "$cli" os "$TMPD/p0f.log")
		got=$(field syn "$cli" os "$TMPD/live.log")
		# p0f 3.09b knows this kernel's IPv4 SYN as a (generic) Linux; what
		# it says for IPv6 (often ???) is the expected value there.
		if [ -n "$want" ] && [ "$want" = "$got" ] &&
			{ [ $v = 6 ] || [ "${got#Linux}" != "$got" ]; }; then
			pass "syn_label_ipv$v"
			echo "# IPv$v client SYN: os=$got"
		else
			failm "syn_label_ipv$v" "client SYN label: p0f says '$want'," \
				"osprey says '$got'"
		fi
		want=$(field mtu "$cli" link "$TMPD/p0f.log")
		got=$(field mtu "$cli" link "$TMPD/live.log")
		if [ -n "$want" ] && [ "$want" = "$got" ]; then pass "mtu_ipv$v"; else
			failm "mtu_ipv$v" "mtu link: p0f says '$want', osprey '$got'"
		fi
	done
	http_apps "$TMPD/p0f.log" >"$TMPD/p0f.apps"
	http_apps "$TMPD/live.log" >"$TMPD/live.apps"
	n_req=$(wc -l <"$TMPD/live.apps")
	if [ "$n_req" -eq 8 ] && cmp -s "$TMPD/p0f.apps" "$TMPD/live.apps"; then
		pass http_apps_as_p0f
	else
		failm http_apps_as_p0f "8 HTTP requests named as p0f names them; p0f:" \
			"$(tr '\n' ';' <"$TMPD/p0f.apps") osprey: $(tr '\n' ';' <"$TMPD/live.apps")"
	fi
	echo "# HTTP apps (client app): $(cut -d' ' -f2- "$TMPD/live.apps" | tr '\n' ';')"
	got=$(app_of "$PORT_CURL")
	check_eq http_app_curl curl "${got%% *}"
	got=$(app_of "$PORT_WGET")
	check_eq http_app_wget wget "${got%% *}"
}

# the hosts map through `osprey lookup` and bpftool
test_lookup() {
	local os_line json got dump name LABEL6 LINK6
	need traffic || return
	os_line=$(lookup_os $CLI4)
	if [ -n "$LABEL4" ] && [ "$os_line" = "$LABEL4" ]; then pass lookup_text; else
		failm lookup_text "Detected OS: expected '$LABEL4', got '$os_line'"
	fi
	json=$("$OSPREY" lookup --json --pin-dir "$PIN" $CLI6 2>&1)
	got=$(echo "$json" | "$PY" -c 'import json, sys
d = json.load(sys.stdin); o = d["os"] or {}
print("%s|%s|%d" % (("%s %s" % (o.get("name"), o.get("flavor") or "")).strip(), d["link"], d["total_conn"]))' 2>&1)
	LABEL6=$(field syn "$CLI6L/" os "$TMPD/live.log")
	LINK6=$(field mtu "$CLI6L/" link "$TMPD/live.log")
	[ "$LABEL6" = "???" ] && LABEL6=None
	check_eq lookup_json "$LABEL6|$LINK6|3" "$got"
	echo "$json" >"$TMPD/lookup.json"
	"$OSPREY" lookup --json --pin-dir "$PIN" $CLI4 >>"$TMPD/lookup.json" 2>&1
	check_json lookup_json_schema lookup "$TMPD/lookup.json"
	"$OSPREY" lookup --pin-dir "$PIN" 10.241.9.9 >/dev/null 2>&1
	check_eq lookup_unknown_exit1 1 $?
	"$OSPREY" lookup --pin-dir "$PIN" 10.241.9 >/dev/null 2>&1
	check_eq lookup_bad_addr_exit2 2 $?

	dump=$(bpftool map dump pinned "$PIN/hosts" 2>&1)
	name=${LABEL4%% *}
	if echo "$dump" | grep -q "\"os_name\": \"$name\"" &&
		echo "$dump" | grep -q '"link_type": "'; then
		pass bpftool_dump
	else
		failm bpftool_dump "bpftool dump with os_name \"$name\" and link_type:" \
			"$(echo "$dump" | head -c 300 | tr '\n' ' ')"
	fi
}

# the p0f API socket, also against Debian's p0f
test_api() {
	local api want got a
	need traffic || return
	api=$(api_query $CLI4)
	want="0x50304602|0x10|${LABEL4%% *}|${LABEL4#* }"
	check_eq api_ok "$want" "$(echo "$api" | cut -d'|' -f1-4)"
	check_eq api_len 232 "$(echo "$api" | cut -d'|' -f9)"
	# the host's HTTP app is the last one identified: the wget-style request
	check_eq api_http_app wget "$(echo "$api" | cut -d'|' -f5)"
	check_eq api_nomatch "0x20" "$(api_query 10.241.9.9 | cut -d'|' -f2)"
	check_eq api_badquery "0x00" "$(api_query $CLI4 0x12345678 | cut -d'|' -f2)"
	for a in $CLI4 $CLI6 10.241.9.9; do
		want=$(api_fields "$TMPD/p0f.sock" $a 2>&1)
		got=$(api_fields "$SOCK" $a 2>&1)
		check_eq "api_as_p0f_$a" "$want" "$got"
		echo "# API $a: $got"
	done
	check_eq api_socket_mode 600 "$(stat -c %a "$SOCK" 2>/dev/null)"
	check_eq pin_dir_mode 700 "$(stat -c %a "$PIN")"
}

# `osprey stats` while the daemon runs
test_stats() {
	local n stats got
	need traffic || return
	# three answered queries, so the count holds when this case runs alone
	for n in 1 2 3; do api_query 10.241.9.9 >/dev/null; done
	# a connection while the daemon is stopped: read 0.3 s after its
	# tick stamp, its events are timed from the tick (counted)
	kill -STOP $OPID
	req -4 "http://$SRV4:$PORT/"
	sleep 0.3
	kill -CONT $OPID
	sleep 1.2 # the daemon publishes its counters every second
	stats=$("$OSPREY" stats --json --pin-dir "$PIN" 2>&1)
	got=$(echo "$stats" | "$PY" -c 'import json, sys
d = json.load(sys.stdin)
print(d["daemon"]["state"], d["daemon"]["obs_syn"] >= 6,
      d["kernel"]["syn"] >= 6, d["daemon"]["events"] > 0,
      d["daemon"]["api_queries"] >= 3,
      d["daemon"]["event_times_estimated"] >= 1)' 2>&1)
	check_eq stats_running "running True True True True True" "$got"
	echo "$stats" >"$TMPD/stats.json"
	check_json stats_json_schema stats "$TMPD/stats.json"
}

# SIGTERM: exit 0, nothing left attached, the map still answers
test_sigterm() {
	need stopped || return
	check_eq sigterm_exit0 0 "$SIGTERM_RC"
	if detached_both; then pass sigterm_detached; else
		failm sigterm_detached "no XDP on $RC/$RS after exit: still attached"
	fi
	[ -e "$SOCK" ] && failm sigterm_socket_removed "$SOCK still exists" ||
		pass sigterm_socket_removed
	check_eq lookup_after_stop "$LABEL4" "$(lookup_os $CLI4)"
	check_eq stats_after_stop stopped "$("$OSPREY" stats --json --pin-dir "$PIN" |
		"$PY" -c 'import json, sys; print(json.load(sys.stdin)["daemon"]["state"])')"
}

# the tcpdump capture replayed with -r gives the live output
test_replay() {
	need stopped || return
	"$OSPREY" -f "$TOP/db/p0f.fp" -r "$TMPD/live.pcap" -o "$TMPD/replay.log" >/dev/null 2>"$TMPD/replay.err"
	obs_full "$TMPD/live.log" >"$TMPD/live.full"
	obs_full "$TMPD/replay.log" >"$TMPD/replay.full"
	if [ -s "$TMPD/live.full" ] && diff -u "$TMPD/live.full" "$TMPD/replay.full" \
		>"$TMPD/replay.diff"; then
		pass replay_matches_live
	else
		failm replay_matches_live "$(wc -l <"$TMPD/live.full") live lines," \
			"replay differs: $(grep '^[-+][^-+]' "$TMPD/replay.diff" | head -4 | tr '\n' ' ')"
	fi
}

# a restart after SIGTERM keeps the map and picks up new traffic
test_restart() {
	need stopped || return
	restart restart_after_sigterm
	stop_osprey TERM
}

# SIGKILL: the kernel detaches (bpf_link), the map stays; restart again
test_sigkill() {
	local n
	need stopped || return
	if ! alive "${OPID:-0}" && ! start_osprey native sigkill0; then
		failm sigkill_status "start: $(tr '\n' ' ' <"$TMPD/sigkill0.err")"
		return 1
	fi
	stop_osprey KILL 2>/dev/null
	check_eq sigkill_status 137 "$STOP_RC"
	if grep -q 'libxdp dispatcher' "$TMPD/sigkill0.err"; then
		# libxdp pins its programs' links: ours stays in the
		# dispatcher until the next start takes it out
		if xdp_attached "$RC"; then pass sigkill_dispatcher_keeps_program
		else failm sigkill_dispatcher_keeps_program "no XDP on $RC"; fi
	else
		for n in $(seq 20); do detached_both && break; sleep 0.1; done
		if detached_both; then pass sigkill_detached; else
			failm sigkill_detached "XDP still attached after SIGKILL"
		fi
	fi
	check_eq sigkill_lookup "$LABEL4" "$(lookup_os $CLI4)"
	restart restart_after_sigkill
	# one capture program on the interface, whichever way it attached
	if command -v xdp-loader >/dev/null; then
		check_eq sigkill_restart_one_program 1 \
			"$(in_r xdp-loader status "$RC" 2>/dev/null | grep -c osprey_capture)"
	else
		skip sigkill_restart_one_program "xdp-loader not installed"
	fi
	stop_osprey TERM
}

test_generic() {
	local before got t0 t1 at
	need stopped || return
	if ! start_osprey generic gen --precise-clock -v; then
		failm generic_attach "$(tr '\n' ' ' <"$TMPD/gen.err")"
		return 1
	fi
	if grep -q "$RC: attached in generic XDP mode" "$TMPD/gen.err"; then
		pass generic_attach
	else
		failm generic_attach "$(tr '\n' ' ' <"$TMPD/gen.err")"
	fi
	if grep -q "event times: the kernel's precise clock" "$TMPD/gen.err"; then
		pass precise_clock_in_use
	else
		failm precise_clock_in_use "no 'event times: the kernel's precise" \
			"clock' line with -v"
	fi
	before=$(conns $CLI4)
	t0=$(date +%s)
	req -4 "http://$SRV4:$PORT/"
	t1=$(date +%s)
	wait_conns $CLI4 $((before + 1))
	sleep 1.2
	got=$(grep -c "^\[.*\] mod=syn|cli=$CLI4/" "$TMPD/gen.log")
	check_eq generic_syn_label "1 $LABEL4" "$got $(field syn "$CLI4/" os "$TMPD/gen.log")"
	# the kernel's monotonic stamp on the wall clock: the second of the
	# request (the log prints local time)
	at=$(grep -m1 "^\[.*\] mod=syn|cli=$CLI4/" "$TMPD/gen.log" |
		sed -e 's/^\[\([^]]*\)\].*/\1/')
	at=$(date -d "$at" +%s 2>/dev/null)
	if [ -n "$at" ] && [ "$at" -ge "$t0" ] && [ "$at" -le "$t1" ]; then
		pass precise_clock_log_time
	else
		failm precise_clock_log_time "syn line at ${at:-?}, request" \
			"between $t0 and $t1"
	fi
	stop_osprey TERM
	check_eq generic_sigterm 0 "$STOP_RC"
}

ALL_TESTS=(native_attach traffic p0f_parity lookup api stats sigterm replay
	restart sigkill generic)
run_tests "$@"
