#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Overload and recovery.  osprey with default settings on a veth; a SYN
# flood from a million source addresses at this machine's top speed
# (tools/synflood) for 10 s, with the daemon stopped (SIGSTOP) for the
# first 4 s so that the ring buffer certainly overflows.  Then:
#   - the flood's drops were counted, by kind, and every event is either
#     consumed or counted as dropped (events == syn - drops_syn +
#     synack - drops_synack + flow_packets)
#   - traffic was not altered: a real connection made right after the
#     flood succeeds
#   - the daemon recovers: that connection's SYN is fingerprinted (a
#     generous 30 s bound; the time it took is printed)
#   - the legitimate client is in the pinned hosts map after the flood
#     (hosts are written at most every 100 ms while the ring is backlogged)
#   - the daemon's peak memory stayed under osprey(8)'s bound for the
#     default -m 1000,10000 (99 MiB + the 8 MiB ring buffer)
set -u
. "$(dirname "$0")/../lib.sh"
failm() { local n=$1; shift; fail "$n" "$*"; }
PY=$(command -v /usr/bin/python3 || command -v python3)
need_root flood_recovery

ID=$T_ID
NS_G=ofG$ID NS_O=ofO$ID VG=fg$ID VO=fo$ID
PIN=/sys/fs/bpf/osprey-flood-$ID
TMPD=$(mktemp -d /tmp/osprey-flood.XXXXXX)
on_exit "rm -rf $TMPD"
on_exit "rm -rf $PIN"
FLOOD=$OUTPUT/tools/synflood
SRV=10.254.0.1 CLI=10.254.0.2 PORT=8095

need_tools ip nsenter python3
[ -x "$FLOOD" ] || { skip all "$FLOOD not built"; exit 0; }
private_osprey "$TMPD"
need_bpffs

on_exit "ip netns del $NS_G"
on_exit "ip netns del $NS_O"
ip netns add $NS_G && ip netns add $NS_O &&
	ip link add $VG netns $NS_G type veth peer name $VO netns $NS_O &&
	ip -n $NS_G addr add $CLI/24 dev $VG && ip -n $NS_O addr add $SRV/24 dev $VO &&
	ip -n $NS_G link set $VG up && ip -n $NS_O link set $VO up ||
	{ failm setup "namespaces"; exit 1; }
MAC=$(mac_of $NS_O $VO)

nsenter --net=/run/netns/$NS_O "$PY" -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", int(sys.argv[1]))); s.listen(64)
while True:
    c, _ = s.accept(); c.close()' $PORT >/dev/null 2>&1 &
track_pid $!

nsenter --net=/run/netns/$NS_O "$OSPREY" -i $VO --pin-dir "$PIN" -d \
	-o "$TMPD/log" 2>"$TMPD/err" &
OPID=$!
on_exit "kill -CONT $OPID"
track_pid $OPID
wait_for "$TMPD/err" "attached in" 100 || { failm start "$(cat "$TMPD/err")"; exit 1; }
stats() { osprey_stats "$PIN" "$@"; }

# flood 10 s toward an address nobody has (the stack drops the SYNs after
# XDP saw them), daemon stopped for the first 4 s
kill -STOP $OPID
nsenter --net=/run/netns/$NS_G "$FLOOD" -i $VG -d "$MAC" -t 10.254.0.99 \
	-T 10 -H 1000000 >"$TMPD/flood.out" &
FPID=$!
track_pid $FPID
sleep 4
kill -CONT $OPID
wait $FPID
t_end=$(date +%s%N)
echo "# flood: $(cat "$TMPD/flood.out")"

# a real connection right after the flood
if nsenter --net=/run/netns/$NS_G "$PY" -c '
import socket, sys
s = socket.socket(); s.settimeout(5)
s.connect((sys.argv[1], int(sys.argv[2]))); s.close()' $SRV $PORT; then
	pass connection_after_flood
else
	failm connection_after_flood "connect to $SRV:$PORT failed"
fi
got=""
for n in $(seq 300); do
	if grep -q "mod=syn|cli=$CLI/" "$TMPD/log"; then
		got=$((($(date +%s%N) - t_end) / 1000000))
		break
	fi
	sleep 0.1
done
if [ -n "$got" ]; then
	echo "# legitimate SYN fingerprinted ${got} ms after the flood ended (bar: 1000 ms)"
	pass fingerprinted_after_flood
else
	failm fingerprinted_after_flood "no syn line for $CLI 30 s after the flood"
fi

# counters: wait until the daemon published a quiet state
prev=""
for n in $(seq 30); do
	sleep 1.1
	cur=$(stats events)
	[ "$cur" = "$prev" ] && break
	prev=$cur
done
read -r syn sa fp drops dsyn dsa dfl ev < <(stats syn synack flow_packets \
	ringbuf_drops ringbuf_drops_syn ringbuf_drops_synack ringbuf_drops_flow events)
echo "# kernel syn $syn synack $sa flow $fp; drops $drops (syn $dsyn synack $dsa flow $dfl); daemon events $ev"
if [ "$dsyn" -gt 0 ] 2>/dev/null; then pass overflow_happened; else
	failm overflow_happened "expected SYN drops while the daemon was stopped, got '$dsyn'"
fi
check_eq drops_by_kind_add_up "$drops" "$((dsyn + dsa + dfl))"
check_eq every_event_consumed_or_counted "$ev" "$((syn - dsyn + sa - dsa + fp))"

read -r hwr < <(stats host_map_updates)
echo "# hosts map: $hwr records written for $ev events"
out=$("$OSPREY" lookup --pin-dir "$PIN" $CLI 2>&1)
if echo "$out" | grep -q '^Detected OS   = Linux'; then pass client_in_map_after_flood; else
	failm client_in_map_after_flood "osprey lookup $CLI: $out"
fi

hwm=$(awk '/^VmHWM:/ {print $2}' /proc/$OPID/status)
bound=$(((99 + 8) * 1024))
echo "# daemon peak resident memory ${hwm} kB (bound ${bound} kB)"
if [ -n "$hwm" ] && [ "$hwm" -le "$bound" ]; then pass memory_bounded; else
	failm memory_bounded "VmHWM ${hwm} kB over ${bound} kB"
fi
kill -TERM $OPID
{ wait $OPID; } 2>/dev/null
check_eq sigterm_status 0 $?
exit $T_FAILED
