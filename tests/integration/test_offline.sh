#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Offline runs (osprey -r): command line, exit statuses, damaged captures,
# output sinks.  Captures come from ../shared/pcaps (skipped when absent).
. "$(dirname "$0")/../lib.sh"

W=$(mktemp -d /tmp/osprey-offline.$$.XXXXXX)
on_exit "rm -rf '$W'"
PCAPS=$SHARED/pcaps
DB=$TOP/db/osprey.fp

if [ ! -x "$OSPREY" ]; then
	skip all "$OSPREY not built"
	exit 0
fi

# ---------------------------------------------------------------- help
out=$("$OSPREY" --help 2>&1); rc=$?
missing=""
for flag in -f -i -r -o -s -S -m -t -L -p -u -d -v --json --quiet \
	--xdp-mode --pin-dir --config --group --xdp-policy --flow-entries \
	--flow-budget --flow-age --ringbuf --port-allow --port-deny \
	--net-allow --net-deny EXAMPLES:; do
	grep -q -- "$flag" <<<"$out" || missing="$missing $flag"
done
check_eq help_status 0 "$rc"
check_eq help_documents_every_flag "" "$missing"

# ------------------------------------------------------- bad arguments
for args in "-m 0,10" "-m 10" "-m x,y" "-t 5,0" "-S 101" "--ringbuf 5000" \
	"--flow-entries 1" "--xdp-mode fast" "-r a -i b" "--nosuch"; do
	# shellcheck disable=SC2086
	"$OSPREY" $args -r /dev/null >/dev/null 2>&1
	rc=$?
	check_eq "bad_args:${args// /_}" 2 "$rc"
done

# ------------------------------------------------------- bad database
printf 'classes = win,unix\n[tcp:request]\nlabel = s:unix:Linux:x\nsig = bogus\n' \
	>"$W/bad.fp"
err=$("$OSPREY" -f "$W/bad.fp" -r /dev/null 2>&1 >/dev/null); rc=$?
check_eq bad_db_status 2 "$rc"
if grep -q "bad.fp:[0-9]*:" <<<"$err"; then
	pass bad_db_message
else
	fail bad_db_message "expected 'bad.fp:LINE: what', got '$err'"
fi

# ------------------------------------------------------- bad captures
err=$("$OSPREY" -f "$DB" -r "$W/none.pcap" 2>&1 >/dev/null); rc=$?
check_eq missing_capture_status 2 "$rc"
echo "not a capture" >"$W/junk.pcap"
"$OSPREY" -f "$DB" -r "$W/junk.pcap" >/dev/null 2>&1; rc=$?
check_eq junk_capture_status 2 "$rc"

# A capture with observations: the largest ether file p0f has syns for.
CAP=""
if [ -r "$PCAPS/MANIFEST.tsv" ]; then
	CAP=$(awk -F'\t' 'NR > 1 && $5 == "ether" && $8 > 5 && $13 == 0 &&
		$4 > 20000 && $4 < 400000 { print $1; exit }' \
		"$PCAPS/MANIFEST.tsv")
fi
if [ -z "$CAP" ] || [ ! -r "$PCAPS/$CAP" ]; then
	for c in truncated_capture bad_filter json_lines quiet log_vs_box; do
		skip "$c" "no development captures in $PCAPS"
	done
	exit $T_FAILED
fi
CAP=$PCAPS/$CAP

TZ=UTC "$OSPREY" -f "$DB" -r "$CAP" -o "$W/full.log" >"$W/full.box" 2>&1
rc=$?
check_eq full_capture_status 0 "$rc"
full=$(wc -l <"$W/full.log")

# Cut the file in the middle of a record: what came before must be kept.
size=$(stat -c %s "$CAP")
head -c $((size * 2 / 3 + 7)) "$CAP" >"$W/cut.pcap"
TZ=UTC "$OSPREY" -f "$DB" -r "$W/cut.pcap" -o "$W/cut.log" \
	>/dev/null 2>"$W/cut.err"
rc=$?
cut=$(wc -l <"$W/cut.log")
if [ "$rc" -ne 0 ] && [ "$cut" -gt 0 ] && [ "$cut" -le "$full" ] &&
	[ -s "$W/cut.err" ] &&
	[ -z "$(comm -23 <(sort "$W/cut.log") <(sort "$W/full.log"))" ]; then
	pass truncated_capture
else
	fail truncated_capture "expected non-zero exit, 1..$full lines from \
the full run and an error; got rc=$rc, $cut lines, '$(cat "$W/cut.err")'"
fi

"$OSPREY" -f "$DB" -r "$CAP" 'port and' >/dev/null 2>&1; rc=$?
check_eq bad_filter 2 "$rc"

# JSON: one valid object per log line, each valid against the schema.
TZ=UTC "$OSPREY" -f "$DB" -r "$CAP" --json >"$W/out.json" 2>/dev/null
n=$(python3 -c '
import json, sys
n = 0
for line in open(sys.argv[1]):
    o = json.loads(line)
    assert {"ts", "sensor", "mod", "community_id", "client", "server",
            "subj"} <= set(o)
    n += 1
print(n)' "$W/out.json" 2>&1)
check_eq json_lines "$full" "$n"
check_json json_schema event "$W/out.json"
# the sensor is the hostname unless named; no interface in a capture file
check_eq json_sensor_default "$(hostname)|absent" "$(python3 -c '
import json, sys
o = json.loads(open(sys.argv[1]).readline())
print(o["sensor"] + "|" + o.get("iface", "absent"))' "$W/out.json")"
check_eq json_sensor_named 'probe "7"' "$("$OSPREY" -f "$DB" -r "$CAP" --json \
	--sensor 'probe "7"' 2>/dev/null | head -1 | python3 -c '
import json, sys; print(json.load(sys.stdin)["sensor"])')"

# community_id: the specification's formula, written here apart from the
# C code (SHA-1 over seed, ordered addresses, proto, 0, ordered ports),
# for every line ...
if got=$(python3 "$TOP/tests/community_id.py" "$W/out.json" 2>&1); then
	pass community_id_spec
else
	fail community_id_spec "records agreeing with the spec: $got"
fi
# ... and Wireshark's own implementation on the SYNs of the capture
if command -v tshark >/dev/null; then
	tshark -r "$CAP" --enable-protocol communityid -Y 'tcp.flags.syn == 1' \
		-T fields -e ip.src -e ipv6.src -e tcp.srcport -e ip.dst \
		-e ipv6.dst -e tcp.dstport -e communityid 2>/dev/null >"$W/cid.tsv"
	got=$(python3 -c '
import ipaddress, json, sys
ws = {}
for line in open(sys.argv[2]):
    f = line.rstrip("\n").split("\t")
    if len(f) != 7 or not f[6]:
        continue
    a = ipaddress.ip_address(f[0] or f[1]); b = ipaddress.ip_address(f[3] or f[4])
    ws[(str(a), int(f[2]), str(b), int(f[5]))] = f[6]
n = same = 0
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o["mod"] != "syn":
        continue
    k = (o["client"]["addr"], o["client"]["port"], o["server"]["addr"],
         o["server"]["port"])
    if k in ws:
        n += 1
        same += ws[k] == o["community_id"]
print("%d of %d" % (same, n) if n else "no flows compared")' "$W/out.json" "$W/cid.tsv" 2>&1)
	echo "# community_id: $got SYN flows agree with tshark's"
	case $got in
	"no flows compared" | *" of 0") fail community_id_tshark "$got" ;;
	*) check_eq community_id_tshark "${got##* of } of ${got##* of }" "$got" ;;
	esac
else
	skip community_id_tshark "tshark not installed"
fi

# --port-*, --net-*, --flow-budget with -r: checked like live (exit 2
# on a bad list) and applied as the kernel applies them (offline_sel.h)
for args in "--port-allow 99999" "--port-deny x" "--net-deny 300.1.1.1/8" \
	"--net-allow 10.0.0.0/33"; do
	# shellcheck disable=SC2086
	"$OSPREY" -f "$DB" -r "$CAP" $args >/dev/null 2>&1
	check_eq "offline_bad_filter:${args// /_}" 2 "$?"
done
# The lists judge handshakes: with a port or a network left out, the
# output is the unfiltered one without the connections it names (their
# syn, syn_ack and mtu lines, which depend on those packets alone), and
# nothing of theirs is left.
sel_check() { # NAME PREDICATE ARGS...: lines kept as the predicate says
	local name=$1 pred=$2
	shift 2
	TZ=UTC "$OSPREY" -f "$DB" -r "$CAP" --json "$@" >"$W/sel.json" 2>/dev/null
	check_eq "$name" "equal" "$(python3 - "$W/out.json" "$W/sel.json" "$pred" <<'PYEOF'
import ipaddress, json, sys
def key(o):
    return (o["mod"], o["client"]["addr"], o["client"]["port"],
            o["server"]["addr"], o["server"]["port"], o.get("raw_sig"),
            o.get("mtu"))
pred = eval("lambda c, s: " + sys.argv[3])
full = [json.loads(l) for l in open(sys.argv[1])]
sel = [json.loads(l) for l in open(sys.argv[2])]
local = {"syn", "syn_ack", "mtu"}
want = sorted(key(o) for o in full if o["mod"] in local and
              pred(o["client"], o["server"]))
got = sorted(key(o) for o in sel if o["mod"] in local)
stray = [o for o in sel if not pred(o["client"], o["server"])]
print("equal" if want == got and not stray and got else
      "%d lines expected, %d got, %d not selected" % (len(want), len(got),
                                                      len(stray)))
PYEOF
)"
}
PORT1=$(python3 -c 'import json, sys
print(json.loads(open(sys.argv[1]).readline())["server"]["port"])' "$W/out.json")
HOST1=$(python3 -c 'import json, sys
print(json.loads(open(sys.argv[1]).readline())["client"]["addr"])' "$W/out.json")
CPORT1=$(python3 -c 'import json, sys
print(json.loads(open(sys.argv[1]).readline())["client"]["port"])' "$W/out.json")
sel_check offline_port_deny "c['port'] != $CPORT1 and s['port'] != $CPORT1" \
	--port-deny "$CPORT1"
sel_check offline_port_allow "$PORT1 in (c['port'], s['port'])" \
	--port-allow "$PORT1"
sel_check offline_net_allow "'$HOST1' in (c['addr'], s['addr'])" \
	--net-allow "$HOST1"
sel_check offline_net_deny "'$HOST1' not in (c['addr'], s['addr'])" \
	--net-deny "$HOST1/32"
# The flow budget: a few bytes cannot hold an HTTP header, plenty can
# (and the handshakes are examined either way); on a capture with HTTP.
CAPH=$(awk -F'\t' 'NR > 1 && $5 == "ether" && $11 > 2 && $13 == 0 &&
	$4 < 400000 { print $1; exit }' "$PCAPS/MANIFEST.tsv")
n_mod() { grep -c "\"mod\":\"$1\"" "$2"; }
if [ -n "$CAPH" ] && [ -r "$PCAPS/$CAPH" ]; then
	for b in 0 16 1m; do
		if [ $b = 0 ]; then set --; else set -- --flow-budget $b; fi
		TZ=UTC "$OSPREY" -f "$DB" -r "$PCAPS/$CAPH" --json "$@" \
			>"$W/b$b.json" 2>/dev/null
	done
	echo "# flow budget on $CAPH: $(n_mod http_request "$W/b0.json") http_request lines without"
	if [ "$(n_mod http_request "$W/b0.json")" -gt 0 ]; then
		check_eq offline_budget_small "$(n_mod syn "$W/b0.json") 0" \
			"$(n_mod syn "$W/b16.json") $(n_mod http_request "$W/b16.json")"
		check_eq offline_budget_large \
			"$(n_mod syn "$W/b0.json") $(n_mod http_request "$W/b0.json")" \
			"$(n_mod syn "$W/b1m.json") $(n_mod http_request "$W/b1m.json")"
	else
		fail offline_budget "$CAPH: no http_request line to cut"
	fi
else
	skip offline_budget "no capture with HTTP requests in $PCAPS"
fi

out=$("$OSPREY" -f "$DB" -r "$CAP" --quiet 2>/dev/null | wc -c)
check_eq quiet 0 "$out"

# The box and the log carry the same observations.
boxes=$(grep -c '^`----' "$W/full.box")
check_eq log_vs_box "$full" "$boxes"

exit $T_FAILED
