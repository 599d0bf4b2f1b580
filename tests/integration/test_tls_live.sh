#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# TLS fingerprints of real clients through the live path (XDP + tc egress
# -> ring buffer -> engine), in namespaces of our own:
#
#   cli ns  --veth--  srv ns: tests/integration/tls_server.py (python ssl),
#                             osprey -i (JSON), tcpdump
#
# Clients: openssl s_client, curl (OpenSSL), wget and gnutls-cli (GnuTLS),
# python ssl, headless Chromium (its ClientHello carries a post-quantum
# key share and spans two segments on the veth), each to a port of its
# own; curl and python over IPv6 too.  For every client osprey must print
# a complete "tls_client" record whose JA3 (and the server's JA3S) equals
# tshark's on a tcpdump recording of the same traffic
# (tls_live_check.py).  curl with HTTP/2 prior knowledge (h2c, plain TCP)
# must give an "http request" whose h2= equals the fingerprint of
# tshark's HTTP/2 decode of its bytes.  The same again on the server namespace's
# loopback, where each hello comes in one large frame.  Then:
#   - old_hosts_map: a hosts map of the previous record layout pinned
#     where osprey starts is replaced, and records are written;
#   - policy_ja4: `osprey policy set --ja4` with curl's JA4 marks (tc) the
#     SYN of a client's next connection once its first hello was seen,
#     not the first one, and never a client with another JA4.
set -u
. "$(dirname "$0")/../lib.sh"
failm() { local n=$1; shift; fail "$n" "$*"; }
PY=$(command -v /usr/bin/python3 || command -v python3)
need_root all
need_tools ip nsenter tcpdump tshark openssl curl python3 bpftool nft

ID=$T_ID
NS_C=otC$ID NS_S=otS$ID
TMPD=$(mktemp -d /tmp/osprey-tlslive.XXXXXX)
on_exit "rm -rf $TMPD"
CLI4=10.244.1.1 SRV4=10.244.1.2 CLI6=fd44:1::1 SRV6=fd44:1::2
POL_A=10.244.1.3 POL_B=10.244.1.4 # policy: curl and python clients
PIN=/sys/fs/bpf/osprey-tlslive-$ID
MARK=0x20
private_osprey "$TMPD"
need_bpffs

# one server port per client, so tshark's and osprey's records are told
# apart by it
declare -A PORT=([openssl]=9441 [curl]=9442 [wget]=9443 [gnutls]=9444
	[python]=9445 [chromium]=9446 [curl6]=9447 [python6]=9448
	[policy]=9449 [h2c]=9450)

# ------------------------------------------------------------- clients
# Each CLIENT ADDR [HOST]: one connection to the client's port on ADDR
# (run in the current namespace); HOST is the SNI where the client can
# send one for an address.
c_openssl() { timeout 20 openssl s_client -connect "$1:${PORT[openssl]}" \
	-servername tls.test </dev/null >/dev/null 2>&1; }
c_curl() { timeout 20 curl -sk -o /dev/null --resolve \
	"tls.test:${3:-${PORT[curl]}}:$1" "https://tls.test:${3:-${PORT[curl]}}/" \
	${4:+--interface "$4"}; }
c_wget() { timeout 20 wget -q -O /dev/null --no-check-certificate \
	"https://$1:${PORT[wget]}/"; }
c_gnutls() { timeout 20 gnutls-cli --insecure --sni-hostname tls.test \
	-p "${PORT[gnutls]}" "$1" </dev/null >/dev/null 2>&1; }
c_python() {
	timeout 20 "$PY" - "$1" "${2:-${PORT[python]}}" "${3:-}" <<'EOF'
import socket, ssl, sys
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
ctx.set_alpn_protocols(["http/1.1"])
src = (sys.argv[3], 0) if sys.argv[3] else None
with socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10,
                              source_address=src) as raw:
    with ctx.wrap_socket(raw, server_hostname="tls.test") as s:
        s.sendall(b"GET / HTTP/1.1\r\nHost: tls.test\r\n\r\n")
        s.recv(100)
EOF
}
# h2c with prior knowledge (a plain port): the fingerprint in "http request";
# the port answers nothing, so curl's failure is expected
c_h2c() { timeout 20 curl -s -o /dev/null -m 3 --http2-prior-knowledge \
	"http://$1:${PORT[h2c]}/a/path?q=1"; return 0; }
c_chromium() {
	local ud
	ud=$(mktemp -d "$TMPD/chromium.XXXXXX")
	timeout 60 chromium --headless --no-sandbox --disable-gpu \
		--disable-quic --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --user-data-dir="$ud" \
		--ignore-certificate-errors \
		--host-resolver-rules="MAP tls.test $1" \
		--dump-dom "https://tls.test:${PORT[chromium]}/" >/dev/null 2>&1
}
# which clients this machine has (install-deps.sh installs them all)
CLIENTS="openssl curl python h2c"
for c in wget:wget gnutls:gnutls-cli chromium:chromium; do
	if command -v "${c#*:}" >/dev/null; then
		CLIENTS="$CLIENTS ${c%%:*}"
	else
		skip "${c%%:*}" "${c#*:} not installed"
	fi
done

# run_clients NS ADDR4 ADDR6: every client once (IPv6: curl, python)
run_clients() {
	local ns=$1 c
	for c in $CLIENTS; do
		in_ns "$ns" bash -c "$(declare -f c_$c); $(declare -p PORT); \
			PY=$PY TMPD=$TMPD c_$c $2" ||
			echo "# $c to $2 exited non-zero"
	done
	in_ns "$ns" bash -c "$(declare -f c_curl); $(declare -p PORT); \
		c_curl '[$3]' '' ${PORT[curl6]}" || echo "# curl6 failed"
	c_python6 "$ns" "$3"
}
c_python6() {
	in_ns "$1" bash -c "$(declare -f c_python); PY=$PY c_python $2 \
		${PORT[python6]}" || echo "# python6 failed"
}

# ------------------------------------------------------------ osprey
# start_osprey TAG ARGS...: osprey in the server ns with JSON on stdout
# and the pins under $PIN; waits for its attach lines.  Sets OPID.
start_osprey() {
	local tag=$1 n
	shift
	nsenter --net=/run/netns/$NS_S "$OSPREY" --json --pin-dir "$PIN" \
		-o "$TMPD/$tag.log" "$@" >"$TMPD/$tag.json" \
		2>"$TMPD/$tag.err" &
	OPID=$!
	track_pid $OPID
	for n in $(seq 100); do
		grep -q 'attached in' "$TMPD/$tag.err" && return 0
		alive $OPID || return 1
		sleep 0.1
	done
	return 1
}
# start_dump TAG IFACE: tcpdump in the server ns.  Sets DPID.
start_dump() {
	nsenter --net=/run/netns/$NS_S tcpdump -i "$2" -s 0 -U -w \
		"$TMPD/$1.pcap" tcp >/dev/null 2>"$TMPD/$1.dump.err" &
	DPID=$!
	track_pid $DPID
	local n
	for n in $(seq 50); do
		grep -q 'listening on' "$TMPD/$1.dump.err" && return 0
		sleep 0.1
	done
	return 1
}
# check TAG: each client's records against tshark's on the recording
check() {
	local a=() c
	for c in $CLIENTS curl6 python6; do a+=("$c:${PORT[$c]}"); done
	"$PY" "$TOP/tests/integration/tls_live_check.py" "$SUITE/$1" \
		"$TMPD/$1.json" "$TMPD/$1.pcap" "${a[@]}" || true
}

# ------------------------------------------------------------- setup
on_exit "rm -rf $PIN"
on_exit "ip netns del $NS_C"
on_exit "ip netns del $NS_S"
ip netns add "$NS_C" && ip netns add "$NS_S" &&
	in_ns "$NS_C" ip link set lo up && in_ns "$NS_S" ip link set lo up &&
	ip link add "c$ID" netns "$NS_C" type veth peer name "s$ID" \
		netns "$NS_S" &&
	in_ns "$NS_C" ip link set "c$ID" up && in_ns "$NS_S" ip link set "s$ID" up &&
	in_ns "$NS_C" ip addr add $CLI4/24 dev "c$ID" &&
	in_ns "$NS_C" ip addr add $POL_A/24 dev "c$ID" &&
	in_ns "$NS_C" ip addr add $POL_B/24 dev "c$ID" &&
	in_ns "$NS_C" ip addr add $CLI6/64 dev "c$ID" nodad &&
	in_ns "$NS_S" ip addr add $SRV4/24 dev "s$ID" &&
	in_ns "$NS_S" ip addr add $SRV6/64 dev "s$ID" nodad ||
	{ failm setup "namespaces and veth"; exit 1; }
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
	-keyout "$TMPD/key.pem" -out "$TMPD/cert.pem" -days 2 \
	-subj /CN=tls.test -addext subjectAltName=DNS:tls.test \
	>/dev/null 2>&1 || { failm setup "openssl req"; exit 1; }
nsenter --net=/run/netns/$NS_S "$PY" "$TOP/tests/integration/tls_server.py" \
	"$TMPD/cert.pem" "$TMPD/key.pem" $(for c in "${!PORT[@]}"; do
		[ $c = h2c ] && echo "plain:${PORT[$c]}" || echo "${PORT[$c]}"
	done) >"$TMPD/srv.out" 2>&1 &
track_pid $!
for n in $(seq 50); do grep -q ready "$TMPD/srv.out" && break; sleep 0.1; done
grep -q ready "$TMPD/srv.out" || { failm setup "tls_server.py: $(cat "$TMPD/srv.out")"; exit 1; }

# a hosts map of ABI 2 (288-byte records) left by an older osprey
mkdir -p "$PIN"
bpftool map create "$PIN/hosts" type lru_hash key 20 value 288 entries 64 \
	name hosts 2>/dev/null || failm old_hosts_map "bpftool map create"

# -------------------------------------------------------------- veth
if ! start_osprey veth -i "s$ID" || ! start_dump veth "s$ID"; then
	failm veth/attach "$(tr '\n' ' ' <"$TMPD/veth.err")"
	exit 1
fi
if grep -q 'older record layout: replaced' "$TMPD/veth.err"; then
	pass old_hosts_map/replaced
else
	failm old_hosts_map/replaced "no replacement message: $(head -c 300 "$TMPD/veth.err")"
fi
run_clients "$NS_C" $SRV4 $SRV6
sleep 1
if "$OSPREY" lookup --pin-dir "$PIN" $CLI4 2>&1 | grep -q '^TLS JA4 '; then
	pass old_hosts_map/records_written
else
	failm old_hosts_map/records_written "osprey lookup $CLI4: $("$OSPREY" lookup --pin-dir "$PIN" $CLI4 2>&1 | tr '\n' ' ')"
fi

# ---------------------------------------------------------- policy_ja4
# curl's JA4 from the veth run; a client at POL_A sends it, one at POL_B
# (python) another.  The tc classifier marks packets on s$ID ingress;
# nft counts marked SYNs.
policy_ja4() {
	local ja4 syn0 syn1 syn2 b n
	ja4=$("$PY" -c 'import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r.get("mod") == "tls_client" and r["server"]["port"] == int(sys.argv[2]) and "ja4" in r:
        print(r["ja4"]); break' "$TMPD/veth.json" "${PORT[curl]}")
	[ -n "$ja4" ] || { failm policy_ja4 "no curl JA4 from the veth run"; return; }
	in_ns "$NS_S" nft -f - <<EOF || { failm policy_ja4 "nft"; return; }
table inet ot$ID {
	chain input {
		type filter hook input priority 0;
		ip saddr $POL_A tcp flags syn meta mark $MARK counter comment "a"
		ip saddr $POL_B meta mark $MARK counter comment "b"
	}
}
EOF
	on_exit "in_ns $NS_S nft delete table inet ot$ID"
	if ! in_ns "$NS_S" "$OSPREY" policy --pin-dir "$PIN" set --ja4 "$ja4" \
		--mark $MARK >/dev/null ||
		! in_ns "$NS_S" "$OSPREY" policy --pin-dir "$PIN" attach-tc "s$ID" \
			>/dev/null; then
		failm policy_ja4 "osprey policy set / attach-tc"
		return
	fi
	on_exit "in_ns $NS_S $OSPREY policy --pin-dir $PIN detach-tc s$ID"
	counter() { in_ns "$NS_S" nft list table inet ot$ID |
		sed -n "s/.*packets \([0-9]*\).*comment \"$1\".*/\1/p"; }
	syn0=$(counter a)
	in_ns "$NS_C" bash -c "$(declare -f c_curl); c_curl $SRV4 '' ${PORT[policy]} $POL_A"
	sleep 0.5 # the daemon writes the hosts map after the hello
	syn1=$(counter a)
	in_ns "$NS_C" bash -c "$(declare -f c_curl); c_curl $SRV4 '' ${PORT[policy]} $POL_A"
	syn2=$(counter a)
	echo "# policy_ja4: $ja4 marked SYNs from $POL_A: $syn0 $syn1 $syn2"
	check_eq policy_ja4/first_connection_not_marked "$syn0" "$syn1"
	check_eq policy_ja4/next_connection_marked "$((syn1 + 1))" "$syn2"
	for n in 1 2; do c_python6 "$NS_C" "$SRV4 ${PORT[policy]} $POL_B"; done
	b=$(counter b)
	check_eq policy_ja4/other_ja4_not_marked 0 "$b"
	if "$OSPREY" lookup --pin-dir "$PIN" $POL_A 2>&1 | grep -q "^TLS JA4 *= $ja4"; then
		pass policy_ja4/lookup_shows_ja4
	else
		failm policy_ja4/lookup_shows_ja4 "$("$OSPREY" lookup --pin-dir "$PIN" $POL_A 2>&1 | tr '\n' ' ')"
	fi
}
policy_ja4
stop $DPID
stop $OPID
check veth
# Chromium's hello on the veth: in more than one segment
n=$(tshark -r "$TMPD/veth.pcap" -Y "tls.handshake.type == 1 && tcp.port == ${PORT[chromium]}" \
	-T fields -e tcp.segment.count 2>/dev/null | head -1)
case " $CLIENTS " in *" chromium "*)
	if [ "${n:-1}" -ge 2 ]; then pass veth/chromium_two_segments; else
		failm veth/chromium_two_segments "tshark's segment count: '${n}'"
	fi ;;
esac

# ---------------------------------------------------------- loopback
if ! start_osprey lo -i lo || ! start_dump lo lo; then
	failm lo/attach "$(tr '\n' ' ' <"$TMPD/lo.err")"
	exit $T_FAILED
fi
run_clients "$NS_S" 127.0.0.1 ::1
sleep 1
stop $DPID
stop $OPID
check lo
# on lo a hello is one frame: Chromium's is larger than any veth frame
n=$(tshark -r "$TMPD/lo.pcap" -Y "tls.handshake.type == 1 && tcp.port == ${PORT[chromium]}" \
	-T fields -e frame.len 2>/dev/null | head -1)
case " $CLIENTS " in *" chromium "*)
	if [ "${n:-0}" -gt 1514 ]; then pass lo/chromium_one_large_frame; else
		failm lo/chromium_one_large_frame "frame length '${n}'"
	fi ;;
esac
exit $T_FAILED
