#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Interfaces coming and going under a running daemon:
#   lifecycle  -i vethA; vethA deleted: the daemon says so and keeps
#              running; vethA created again: it says it is back, XDP is on
#              the new device and its traffic is fingerprinted again
#   any        -i any in a namespace with lo, veths, a bridge with a port,
#              a vlan device on a veth and a tun device: attached to lo,
#              the veths and the bridge port, not to the bridge itself (its
#              port carries its traffic), the vlan (its veth carries it),
#              the tun (no Ethernet header), nor to a device that is down
#              until it comes up; a
#              veth added later is attached and fingerprinted, and its
#              removal is reported
#   forwarded  -i any on a router between two namespaces: a forwarded
#              connection's SYN and SYN+ACK are each reported once
# SYNs come from tools/synflood (one at a time); the forwarded connection
# is a real one (python3).
set -u
. "$(dirname "$0")/../lib.sh"
failm() { local n=$1; shift; fail "$n" "$*"; }
PY=$(command -v /usr/bin/python3 || command -v python3)
need_root ifaces

ID=$T_ID
NS=oiN$ID NS_G=oiG$ID NS_C=oiC$ID NS_S=oiS$ID
PIN=/sys/fs/bpf/osprey-if-$ID
TMPD=$(mktemp -d /tmp/osprey-if.XXXXXX)
on_exit "rm -rf $TMPD"
on_exit "rm -rf $PIN"
FLOOD=$OUTPUT/tools/synflood

need_tools ip nsenter python3
[ -x "$FLOOD" ] || { skip all "$FLOOD not built"; exit 0; }
private_osprey "$TMPD"
need_bpffs

for ns in $NS $NS_G $NS_C $NS_S; do
	on_exit "ip netns del $ns"
	ip netns add $ns || { failm setup "netns $ns"; exit 1; }
done
in_n() { nsenter --net=/run/netns/$NS "$@"; }
# veth_pair NAME: NAME in $NS, gNAME in $NS_G, both up
veth_pair() {
	ip -n $NS_G link add "g$1" type veth peer name "$1" netns $NS &&
		ip -n $NS_G link set "g$1" up && ip -n $NS link set "$1" up
}
# syn_via DEV SRC: one SYN from SRC arriving on DEV (in $NS)
syn_via() {
	nsenter --net=/run/netns/$NS_G "$FLOOD" -i "g$1" -d "$(mac_of $NS "$1")" \
		-t 10.252.0.1 -s "$2" -n 1 >/dev/null
}
xdp_on() { ip -n "$1" link show "$2" 2>/dev/null | grep -q xdp; }
# start TAG ARGS...: osprey in $NS; OPID
start() {
	local tag=$1
	shift
	nsenter --net=/run/netns/$NS "$OSPREY" --pin-dir "$PIN" -o "$TMPD/$tag.log" \
		"$@" >/dev/null 2>"$TMPD/$tag.err" &
	OPID=$!
	track_pid $OPID
	wait_for "$TMPD/$tag.err" "attached in" || {
		failm "start_$tag" "$(tr '\n' ' ' <"$TMPD/$tag.err")"
		return 1
	}
}
stop() { # TAG: SIGTERM, status 0
	kill -TERM $OPID
	{ wait $OPID; } 2>/dev/null
	check_eq "$1_sigterm_status" 0 $?
}

# ------------------------------------------------------------ lifecycle
ip -n $NS link set lo up
veth_pair va$ID || { failm setup "veth"; exit 1; }
if start life -i va$ID; then
	syn_via va$ID 10.64.8.1
	wait_for "$TMPD/life.log" "mod=syn|cli=10.64.8.1/" && pass before_removal ||
		failm before_removal "no syn line"
	ip -n $NS link del va$ID
	if wait_for "$TMPD/life.err" "va$ID: interface removed" && kill -0 $OPID; then
		pass removal_reported
	else
		failm removal_reported "$(tr '\n' ' ' <"$TMPD/life.err")"
	fi
	veth_pair va$ID
	if wait_for "$TMPD/life.err" "va$ID: interface is back, capturing again" &&
		xdp_on $NS va$ID; then
		pass reattached
	else
		failm reattached "$(tr '\n' ' ' <"$TMPD/life.err")"
	fi
	syn_via va$ID 10.64.8.2
	wait_for "$TMPD/life.log" "mod=syn|cli=10.64.8.2/" && pass fingerprinted_after_return ||
		failm fingerprinted_after_return "no syn line for 10.64.8.2"
	stop life
	xdp_on $NS va$ID && failm life_detached "XDP left on va$ID" || pass life_detached
fi
ip -n $NS link del va$ID 2>/dev/null

# ------------------------------------------------------------ any
veth_pair vb$ID && veth_pair vd$ID && ip -n $NS link set vd$ID down &&
	ip -n $NS link add br$ID type bridge && ip -n $NS link set br$ID up &&
	veth_pair vp$ID && ip -n $NS link set vp$ID master br$ID ||
	{ failm setup_any "links"; exit 1; }
have_tun=0 have_vlan=0
ip -n $NS tuntap add dev tu$ID mode tun 2>/dev/null && ip -n $NS link set tu$ID up &&
	have_tun=1
ip -n $NS link add link vb$ID name vl$ID type vlan id 5 2>/dev/null &&
	ip -n $NS link set vl$ID up && have_vlan=1
if start any -i any; then
	sleep 0.5
	got=""
	for d in lo vb$ID vp$ID br$ID vd$ID tu$ID vl$ID; do
		grep -Eq "^osprey: $d: (.* )?attached in" "$TMPD/any.err" && got+="$d "
	done
	check_eq any_attached "lo vb$ID vp$ID " "$got"
	[ $have_tun = 1 ] || skip any_tun_skipped "cannot create a tun device here"
	[ $have_vlan = 1 ] || skip any_vlan_skipped "cannot create a vlan device here"
	ip -n $NS link set vd$ID up
	wait_for "$TMPD/any.err" "vd$ID: attached in" && pass any_attached_when_up ||
		failm any_attached_when_up "$(tr '\n' ' ' <"$TMPD/any.err")"
	veth_pair vn$ID
	wait_for "$TMPD/any.err" "vn$ID: attached in" && pass any_new_interface ||
		failm any_new_interface "$(tr '\n' ' ' <"$TMPD/any.err")"
	syn_via vn$ID 10.64.9.1
	wait_for "$TMPD/any.log" "mod=syn|cli=10.64.9.1/" && pass any_new_fingerprinted ||
		failm any_new_fingerprinted "no syn line for 10.64.9.1"
	ip -n $NS link del vn$ID
	wait_for "$TMPD/any.err" "vn$ID: interface removed" && pass any_removal ||
		failm any_removal "$(tr '\n' ' ' <"$TMPD/any.err")"
	stop any
	left=""
	for d in lo vb$ID vp$ID vd$ID; do xdp_on $NS $d && left+="$d "; done
	check_eq any_detached "" "$left"
fi

# ------------------------------------------------------------ forwarded
ip -n $NS_C link add c$ID type veth peer name rc$ID netns $NS &&
	ip -n $NS_S link add s$ID type veth peer name rs$ID netns $NS &&
	ip -n $NS_C addr add 10.253.1.2/24 dev c$ID &&
	ip -n $NS addr add 10.253.1.1/24 dev rc$ID &&
	ip -n $NS addr add 10.253.2.1/24 dev rs$ID &&
	ip -n $NS_S addr add 10.253.2.2/24 dev s$ID &&
	ip -n $NS_C link set c$ID up && ip -n $NS_S link set s$ID up &&
	ip -n $NS link set rc$ID up && ip -n $NS link set rs$ID up &&
	ip -n $NS_C route add default via 10.253.1.1 &&
	ip -n $NS_S route add default via 10.253.2.1 &&
	in_n sysctl -qw net.ipv4.ip_forward=1 ||
	{ failm setup_forward "router"; exit 1; }
nsenter --net=/run/netns/$NS_S "$PY" -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 8090)); s.listen(8)
while True:
    c, _ = s.accept(); c.close()' >/dev/null 2>&1 &
track_pid $!
if start fwd -i any; then
	sleep 0.3
	nsenter --net=/run/netns/$NS_C "$PY" -c '
import socket, time
for i in range(50):
    try:
        s = socket.create_connection(("10.253.2.2", 8090), 2); s.close(); break
    except OSError:
        time.sleep(0.1)'
	wait_for "$TMPD/fwd.log" "mod=syn+ack|cli=10.253.1.2/"
	sleep 1.2 # the rest of the round, if any
	n_syn=$(grep -c "mod=syn|cli=10.253.1.2/" "$TMPD/fwd.log")
	n_sa=$(grep -c "mod=syn+ack|cli=10.253.1.2/" "$TMPD/fwd.log")
	check_eq forwarded_once "syn 1 syn+ack 1" "syn $n_syn syn+ack $n_sa"
	stop fwd
fi
exit $T_FAILED
