#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# This machine's kernel, live and offline, with osprey's default database:
#
#   cli ns --veth-- rtr ns (osprey -i on both veths, tcpdump) --veth-- srv ns
#
# The client opens one IPv4 and one IPv6 connection to the server.  osprey
# (no -f: the build tree's db/osprey.fp) must name the client's SYN and
# the server's SYN+ACK "Linux" with the 4.20+ flavor, over both IP
# versions, live; and the same again offline, from tcpdump's recording of
# that traffic (on the client's veth) replayed with `osprey -r`.  Skipped on kernels older than
# 4.20, whose SYNs are not 4.20+ ones.
set -u
. "$(dirname "$0")/../lib.sh"
need_root db_live
need_tools ip nsenter tcpdump python3
PY=$(command -v /usr/bin/python3 || command -v python3)
kv=$(uname -r | awk -F. '{ printf "%d%03d", $1, $2 }')
[ "$kv" -ge 4020 ] || { skip all "kernel $(uname -r) is older than 4.20"; exit 0; }

PIN=/sys/fs/bpf/osprey-dblive-$T_ID
TMPD=$(mktemp -d /tmp/osprey-dblive.XXXXXX)
on_exit "rm -rf $TMPD"
private_osprey "$TMPD"
need_bpffs

# labels FILE: "mod/vN=name:flavor" of each syn and syn+ack, sorted
labels() {
	"$PY" - "$1" <<'PY'
import json, sys
seen = set()
for line in open(sys.argv[1]):
    try:
        o = json.loads(line)
    except ValueError:
        continue
    if o.get("mod") in ("syn", "syn_ack"):
        os_ = o["os"] or {}
        seen.add("%s/v%s=%s:%s%s" % (o["mod"], o["raw_sig"][0], os_.get("name"),
                 os_.get("flavor"), "~" if os_.get("fuzzy") or os_.get("generic") else ""))
print(" ".join(sorted(seen)))
PY
}
WANT="syn/v4=Linux:4.20+ syn/v6=Linux:4.20+ syn_ack/v4=Linux:4.20+ syn_ack/v6=Linux:4.20+"

netns3 dl 10.242 fd42 || { fail setup "namespaces/veths/routes"; exit 1; }
on_exit "rm -rf $PIN"
nsenter --net=/run/netns/"$NS_S" "$PY" "$TOP/tests/db/tcpprobe.py" serve 8082 &
track_pid $!
nsenter --net=/run/netns/"$NS_R" "$OSPREY" -i "$RC" -i "$RS" --pin-dir "$PIN" \
	--json >"$TMPD/live.json" 2>"$TMPD/live.err" &
OPID=$!
track_pid $OPID
# Recorded on the client's veth: one interface keeps the packets in order
# ("-i any" on the router may write a SYN+ACK ahead of its SYN).
nsenter --net=/run/netns/"$NS_C" tcpdump -i "cdl$T_ID" -U --immediate-mode \
	-s 0 -w "$TMPD/live.pcap" 'tcp' 2>"$TMPD/td.err" &
TD=$!
track_pid $TD
for n in $(seq 100); do
	[ "$(grep -c 'attached in' "$TMPD/live.err")" -ge 2 ] &&
		grep -q 'listening on' "$TMPD/td.err" && break
	kill -0 $OPID 2>/dev/null || break
	sleep 0.1
done
if [ "$(grep -c 'attached in' "$TMPD/live.err")" -lt 2 ]; then
	fail live_attach "osprey on $RC and $RS: $(tr '\n' ' ' <"$TMPD/live.err")"
	exit 1
fi
in_ns "$NS_C" "$PY" "$TOP/tests/db/tcpprobe.py" connect 8082 >/dev/null 10.242.2.2 fd42:2::2 ||
	fail traffic "client could not reach the server"
for n in $(seq 50); do # until osprey logged all four (5 s)
	[ "$(labels "$TMPD/live.json" | wc -w)" -ge 4 ] && break
	sleep 0.1
done
sleep 1 # tcpdump writes what it has on SIGINT
kill -INT $TD 2>/dev/null; wait $TD 2>/dev/null
kill -TERM $OPID 2>/dev/null; wait $OPID 2>/dev/null

got=$(labels "$TMPD/live.json")
check_eq live_linux_420 "$WANT" "$got"
TZ=UTC "$OSPREY" -r "$TMPD/live.pcap" --json >"$TMPD/replay.json" 2>/dev/null
check_eq offline_linux_420 "$WANT" "$(labels "$TMPD/replay.json")"
exit $T_FAILED
