#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Record the lab captures behind db/osprey.fp's Linux signatures.
#
#   tests/db/mklab.sh [-o DIR] [VARIANT...]     (root; default DIR tests/db/lab)
#
# Each variant is a pair of fresh network namespaces (client, server) joined
# by a veth, with the variant's per-namespace sysctls (tcp_rmem,
# tcp_timestamps, tcp_sack, tcp_window_scaling, tcp_ecn), link MTU and route
# options applied to both ends.  The client opens one IPv4 and one IPv6
# connection to a listening socket in the server namespace; tcpdump on the
# server's veth writes DIR/linux-VARIANT.pcap (SYN, SYN+ACK and the rest of
# the two short connections, 128-byte snaplen; below an MTU of 1280, where
# a link has no IPv6, the IPv4 one only).  DIR/MANIFEST.tsv records
# the kernel release and settings of every capture written.  Nothing global
# is changed: net.core.rmem_max is not per-namespace, so window scales below
# log2(rmem_max) - 15 cannot be made here.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$TOP/tests/db/lab
if [ "${1:-}" = -o ]; then OUT=$2; shift 2; fi
PY=$(command -v /usr/bin/python3 || command -v python3)
ID=$$
NS_C=odbC$ID NS_S=odbS$ID VC=dbc$ID VS=dbs$ID
CLI4=10.250.0.1 SRV4=10.250.0.2 CLI6=fd50::1 SRV6=fd50::2
RMEM_DEF="4096 131072 33554432" # Linux 6.16+ default (tcp_rmem[2] 32 MB)

# name | sysctls (k=v, space separated) | mtu | route options
VARIANTS="
default|net.ipv4.tcp_rmem=$RMEM_DEF|1500|
rmem6m|net.ipv4.tcp_rmem=4096 131072 6291456|1500|
rmem8m|net.ipv4.tcp_rmem=4096 131072 8388608|1500|
rmem16m|net.ipv4.tcp_rmem=4096 131072 16777216|1500|
rmem87380|net.ipv4.tcp_rmem=4096 87380 6291456|1500|
rmem65536|net.ipv4.tcp_rmem=4096 65536 6291456|1500|
bigrmem6m|net.ipv4.tcp_rmem=524288 1048576 6291456|1500|
bigrmem8m|net.ipv4.tcp_rmem=524288 1048576 8388608|1500|
bigrmem16m|net.ipv4.tcp_rmem=524288 1048576 16777216|1500|
bigrmem32m|net.ipv4.tcp_rmem=524288 1048576 33554432|1500|
nots|net.ipv4.tcp_rmem=$RMEM_DEF net.ipv4.tcp_timestamps=0|1500|
nosack|net.ipv4.tcp_rmem=$RMEM_DEF net.ipv4.tcp_sack=0|1500|
nows|net.ipv4.tcp_rmem=$RMEM_DEF net.ipv4.tcp_window_scaling=0|1500|
nots-nosack|net.ipv4.tcp_rmem=$RMEM_DEF net.ipv4.tcp_timestamps=0 net.ipv4.tcp_sack=0|1500|
ecn|net.ipv4.tcp_rmem=$RMEM_DEF net.ipv4.tcp_ecn=1|1500|
initrwnd20|net.ipv4.tcp_rmem=4096 87380 6291456|1500|initrwnd 20
initrwnd10|net.ipv4.tcp_rmem=4096 87380 6291456|1500|initrwnd 10
mtu1492|net.ipv4.tcp_rmem=$RMEM_DEF|1492|
mtu1480|net.ipv4.tcp_rmem=$RMEM_DEF|1480|
mtu1460|net.ipv4.tcp_rmem=$RMEM_DEF|1460|
mtu1450|net.ipv4.tcp_rmem=$RMEM_DEF|1450|
mtu1420|net.ipv4.tcp_rmem=$RMEM_DEF|1420|
mtu1400|net.ipv4.tcp_rmem=$RMEM_DEF|1400|
mtu1380|net.ipv4.tcp_rmem=$RMEM_DEF|1380|
mtu1360|net.ipv4.tcp_rmem=$RMEM_DEF|1360|
mtu1340|net.ipv4.tcp_rmem=$RMEM_DEF|1340|
mtu1320|net.ipv4.tcp_rmem=$RMEM_DEF|1320|
mtu1300|net.ipv4.tcp_rmem=$RMEM_DEF|1300|
mtu1280|net.ipv4.tcp_rmem=$RMEM_DEF|1280|
mtu1260|net.ipv4.tcp_rmem=$RMEM_DEF|1260|
mtu1240|net.ipv4.tcp_rmem=$RMEM_DEF|1240|
mtu9001|net.ipv4.tcp_rmem=$RMEM_DEF|9001|
"

die() { echo "mklab: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "needs root (network namespaces)"
for t in ip nsenter tcpdump; do command -v $t >/dev/null || die "$t missing"; done

in_ns() { local ns=$1; shift; nsenter --net=/run/netns/"$ns" "$@"; }
SRV_PID="" TD_PID=""
cleanup() {
	[ -n "$TD_PID" ] && kill "$TD_PID" 2>/dev/null && wait "$TD_PID" 2>/dev/null
	[ -n "$SRV_PID" ] && kill "$SRV_PID" 2>/dev/null && wait "$SRV_PID" 2>/dev/null
	TD_PID="" SRV_PID=""
	ip netns del "$NS_C" 2>/dev/null
	ip netns del "$NS_S" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# setup SYSCTLS MTU ROUTEOPTS
setup() {
	local kv ns
	ip netns add "$NS_C" && ip netns add "$NS_S" &&
		ip link add "$VC" netns "$NS_C" mtu "$2" type veth peer name "$VS" \
			netns "$NS_S" mtu "$2" || return 1
	for ns in "$NS_C" "$NS_S"; do
		in_ns "$ns" ip link set lo up
		# word splitting on spaces between k=v pairs, not inside values
		while read -r kv; do
			[ -n "$kv" ] || continue
			in_ns "$ns" sysctl -qw "$kv" || return 1
		done < <(echo "$1" | sed 's/ \(net\.\)/\n\1/g')
	done
	in_ns "$NS_C" ip addr add $CLI4/24 dev "$VC" &&
		in_ns "$NS_S" ip addr add $SRV4/24 dev "$VS" || return 1
	if [ "$2" -ge 1280 ]; then
		in_ns "$NS_C" ip addr add $CLI6/64 dev "$VC" nodad &&
			in_ns "$NS_S" ip addr add $SRV6/64 dev "$VS" nodad || return 1
	fi
	in_ns "$NS_C" ip link set "$VC" up && in_ns "$NS_S" ip link set "$VS" up ||
		return 1
	# IPv6 neighbour discovery waits for link-local DAD: let it finish
	local n
	for n in $(seq 50); do
		[ -z "$(in_ns "$NS_C" ip -6 addr show tentative)" ] &&
			[ -z "$(in_ns "$NS_S" ip -6 addr show tentative)" ] && break
		sleep 0.1
	done
	if [ -n "$3" ] && [ "$2" -ge 1280 ]; then
		# shellcheck disable=SC2086
		in_ns "$NS_C" ip route replace 10.250.0.0/24 dev "$VC" $3 &&
			in_ns "$NS_C" ip -6 route replace fd50::/64 dev "$VC" metric 256 $3 &&
			in_ns "$NS_S" ip route replace 10.250.0.0/24 dev "$VS" $3 &&
			in_ns "$NS_S" ip -6 route replace fd50::/64 dev "$VS" metric 256 $3 || return 1
	fi
}

record() { # NAME FILE MTU
	in_ns "$NS_S" "$PY" "$TOP/tests/db/tcpprobe.py" serve 80 &
	SRV_PID=$!
	in_ns "$NS_S" tcpdump -Z root -i "$VS" -s 128 --immediate-mode -U -w "$2" 'tcp port 80' \
		2>"$2.err" &
	TD_PID=$!
	local n
	for n in $(seq 50); do
		grep -q 'listening on' "$2.err" 2>/dev/null &&
			in_ns "$NS_S" ss -ltn 2>/dev/null | grep -q ':80 ' && break
		sleep 0.1
	done
	local dst="$SRV4 $SRV6"
	[ "$3" -ge 1280 ] || dst=$SRV4
	# shellcheck disable=SC2086
	in_ns "$NS_C" "$PY" "$TOP/tests/db/tcpprobe.py" connect 80 $dst || return 1
	sleep 0.3
	kill "$TD_PID" && wait "$TD_PID" 2>/dev/null
	kill "$SRV_PID" && wait "$SRV_PID" 2>/dev/null
	TD_PID="" SRV_PID=""
	rm -f "$2.err"
}

mkdir -p "$OUT" || die "cannot create $OUT"
[ -f "$OUT/MANIFEST.tsv" ] ||
	printf 'file\tkernel\tsysctls\tmtu\troute\n' >"$OUT/MANIFEST.tsv"
kernel=$(uname -r)
echo "$VARIANTS" | while IFS='|' read -r name sysctls mtu route; do
	[ -n "$name" ] || continue
	if [ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "$name"; then continue; fi
	f=linux-$name.pcap
	setup "$sysctls" "$mtu" "$route" || die "$name: namespace setup failed"
	record "$name" "$OUT/$f" "$mtu" || die "$name: recording failed"
	cleanup
	grep -v "^$f	" "$OUT/MANIFEST.tsv" >"$OUT/MANIFEST.tsv.new"
	printf '%s\t%s\t%s\t%s\t%s\n' "$f" "$kernel" "$sysctls" "$mtu" "$route" \
		>>"$OUT/MANIFEST.tsv.new"
	mv "$OUT/MANIFEST.tsv.new" "$OUT/MANIFEST.tsv"
	echo "mklab: $f"
done
