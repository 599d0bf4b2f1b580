#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Custom signatures without a rebuild, live:
#
#   cli ns --veth-- rtr ns (osprey -i on both veths) --veth-- srv ns
#
# osprey runs with p0f 3.09b's database and a local overlay (-f twice)
# naming this kernel's SYNs "Local v1"; p0f's database knows none of its
# SYN+ACKs, so --unknown-pcap receives them (each after its SYN).  Then:
#   - the overlay is edited (SYNs "Local v2", SYN+ACKs "Local srv") and
#     SIGHUP reloads it: the next connections get the new labels, the
#     daemon keeps running, and the hosts it knew are still in the map;
#   - the overlay is broken (a bad line 4) and SIGHUP again: the reload is
#     refused with file:line on stderr, the daemon keeps the v2 database
#     and its labels;
#   - the unknown-pcap file holds the first SYN+ACKs (and their SYNs) and
#     nothing that the reloaded database matched.
set -u
. "$(dirname "$0")/../lib.sh"
need_root db_reload
need_tools ip nsenter tcpdump python3
PY=$(command -v /usr/bin/python3 || command -v python3)

PIN=/sys/fs/bpf/osprey-reload-$T_ID
TMPD=$(mktemp -d /tmp/osprey-reload.XXXXXX)
on_exit "rm -rf $TMPD"
private_osprey "$TMPD"
need_bpffs

# labels N: "syn=TEXT syn+ack=TEXT" of the client port of connection N
# (the N-th SYN osprey logged)
labels() {
	"$PY" - "$TMPD/live.json" "$1" <<'PY'
import json, sys
obs = []
for line in open(sys.argv[1]):
    try:
        obs.append(json.loads(line))
    except ValueError:
        pass
syns = [o for o in obs if o.get("mod") == "syn"]
n = int(sys.argv[2])
if len(syns) < n:
    print("missing")
    sys.exit(0)
port = syns[n - 1]["client"]["port"]
out = {}
for o in obs:
    if o.get("mod") in ("syn", "syn_ack") and o["client"]["port"] == port:
        out[o["mod"]] = (o.get("os") or {}).get("text", "???")
print("syn=%s syn+ack=%s" % (out.get("syn"), out.get("syn_ack")))
PY
}

# connect N: one more connection; wait until osprey logged its SYN+ACK
connect() {
	in_ns "$NS_C" "$PY" "$TOP/tests/db/tcpprobe.py" connect 8083 10.243.2.2 \
		>/dev/null || { fail "traffic_$1" "client could not reach the server"; return; }
	for n in $(seq 50); do
		labels "$1" | grep -q "syn+ack=None" || break
		sleep 0.1
	done
}

# wait_log TEXT: until osprey's stderr says it (5 s)
wait_log() {
	for n in $(seq 50); do
		grep -q "$1" "$TMPD/live.err" && return 0
		sleep 0.1
	done
	return 1
}

SYN_SIG='*:64:0:*:*,*:mss,sok,ts,nop,ws:df,id+:0'
SA_SIG='*:64:0:*:*,*:mss,sok,ts,nop,ws:df:0'
printf '[tcp:request]\nlabel = s:unix:Local:v1\nsig = %s\n' "$SYN_SIG" >"$TMPD/local.fp"

netns3 rl 10.243 || { fail setup "namespaces/veths/routes"; exit 1; }
on_exit "rm -rf $PIN"
# nsenter itself in the background (it execs the program), so that the
# PID is the program's: a shell function would leave it running
nsenter --net=/run/netns/"$NS_S" "$PY" "$TOP/tests/db/tcpprobe.py" serve 8083 &
track_pid $!
nsenter --net=/run/netns/"$NS_R" "$OSPREY" -i "$RC" -i "$RS" --pin-dir "$PIN" \
	-f "$TOP/db/p0f.fp" -f "$TMPD/local.fp" \
	--unknown-pcap "$TMPD/unk.pcap" --json >"$TMPD/live.json" 2>"$TMPD/live.err" &
OPID=$!
track_pid $OPID
for n in $(seq 100); do
	[ "$(grep -c 'attached in' "$TMPD/live.err")" -ge 2 ] && break
	kill -0 $OPID 2>/dev/null || break
	sleep 0.1
done
if [ "$(grep -c 'attached in' "$TMPD/live.err")" -lt 2 ]; then
	fail live_attach "osprey on $RC and $RS: $(tr '\n' ' ' <"$TMPD/live.err")"
	exit 1
fi

connect 1
check_eq overlay_live "syn=Local v1 syn+ack=???" "$(labels 1)"

# ------------------------------------------------------- a good reload
printf '[tcp:request]\nlabel = s:unix:Local:v2\nsig = %s\n[tcp:response]\nlabel = s:unix:Local:srv\nsig = %s\n' \
	"$SYN_SIG" "$SA_SIG" >"$TMPD/local.fp"
kill -HUP $OPID
if wait_log "reload: databases reloaded"; then pass reload_logged; else
	fail reload_logged "expected 'databases reloaded', got $(tr '\n' ' ' <"$TMPD/live.err")"
fi
connect 2
check_eq reload_new_labels "syn=Local v2 syn+ack=Local srv" "$(labels 2)"
kill -0 $OPID 2>/dev/null && pass alive_after_reload ||
	fail alive_after_reload "osprey exited: $(tail -3 "$TMPD/live.err")"
got=$("$OSPREY" lookup 10.243.1.2 --pin-dir "$PIN" 2>&1 | grep -c 'Local v2')
check_eq host_map_after_reload 1 "$got"

# -------------------------------------------------------- a bad reload
printf '[tcp:request]\nlabel = s:unix:Local:v3\nsig = %s\nsig = *:64:0:*:bogus\n' \
	"$SYN_SIG" >"$TMPD/local.fp"
kill -HUP $OPID
if wait_log "local.fp:4: " && wait_log "keeping the databases in use"; then
	pass bad_reload_says_where
else
	fail bad_reload_says_where "expected 'local.fp:4: ...' and 'keeping', got $(tr '\n' ' ' <"$TMPD/live.err")"
fi
connect 3
check_eq bad_reload_keeps_db "syn=Local v2 syn+ack=Local srv" "$(labels 3)"
kill -0 $OPID 2>/dev/null && pass alive_after_bad_reload ||
	fail alive_after_bad_reload "osprey exited: $(tail -3 "$TMPD/live.err")"

kill -TERM $OPID 2>/dev/null
wait $OPID 2>/dev/null

# ------------------------------------------------------ --unknown-pcap
# the first connection's SYN+ACK (unknown then), after its SYN; the
# later SYN+ACKs were matched by the reloaded overlay
got=$(tcpdump -nr "$TMPD/unk.pcap" 2>/dev/null | grep -o 'Flags \[S\.*\]' | tr '\n' ' ')
check_eq unknown_pcap_live "Flags [S] Flags [S.] " "$got"
got=$(TZ=UTC "$OSPREY" -f "$TOP/db/p0f.fp" -r "$TMPD/unk.pcap" --json 2>/dev/null |
	grep -c '"mod":"syn_ack".*"os":null')
check_eq unknown_pcap_readable 1 "$got"
exit $T_FAILED
