#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `osprey sig`: raw_sigs and captures become database lines that load and
# match the packets they came from.
#   - a raw_sig gives the line p0f's README asks for (guessed initial TTL,
#     '*' for a link MSS and an IPv4 SYN's version), the label placeholder
#     and one comment line per option and quirk; a bad raw_sig is refused;
#   - round trip: for every in-tree lab capture (and every development
#     capture of ../shared/pcaps when present) the output of
#     `osprey sig -r CAPTURE` loads as the only database (osprey and p0f
#     3.09b), and every SYN and SYN+ACK of the capture then gets exactly
#     the generated label (fuzzy only where p0f could not count the hops);
#   - --unmatched leaves out what the loaded databases already match.
set -u
. "$(dirname "$0")/../lib.sh"
[ -x "$OSPREY" ] || { skip all "$OSPREY not built"; exit 0; }
W=$(mktemp -d /tmp/osprey-sigtest.XXXXXX)
on_exit "rm -rf $W"

# --------------------------------------------------------------- raw_sig
RAW='4:57+7:0:1460:mss*44,8:mss,nop,ws,nop,nop,sok:df,id+:0'
"$OSPREY" sig "$RAW" >"$W/one.fp" 2>"$W/one.err"
check_eq raw_status 0 $?
check_eq raw_sig_line 'sig   = *:64:0:*:mss*44,8:mss,nop,ws,nop,nop,sok:df,id+:0' \
	"$(grep '^sig' "$W/one.fp")"
check_eq raw_label 'label = s:unix:NAME:FLAVOR' "$(grep '^label' "$W/one.fp")"
check_eq raw_one_line_per_option 6 "$(grep -c '^;   option ' "$W/one.fp")"
check_eq raw_one_line_per_quirk 2 "$(grep -c '^;   quirk ' "$W/one.fp")"
check_eq raw_ittl_128 'sig   = *:128:0:*:65535,3:mss,nop,ws,nop,nop,ts,nop,nop,sok:df,id+,ts1-:0' \
	"$(grep '^sig' <("$OSPREY" sig '4:126+2:0:1332:65535,3:mss,nop,ws,nop,nop,ts,nop,nop,sok:df,id+,ts1-:0'))"
check_eq raw_odd_mss_copied 'sig   = *:64:0:65495:mss*1,7:mss,sok,ts,nop,ws:df,id+:0' \
	"$(grep '^sig' <("$OSPREY" sig '4:64+0:0:65495:mss*1,7:mss,sok,ts,nop,ws:df,id+:0'))"
check_eq raw_ipv6_keeps_6 'sig   = 6:64:0:*:mss*45,10:mss,sok,ts,nop,ws:flow:0' \
	"$(grep '^sig' <("$OSPREY" sig '6:64+0:0:1440:mss*45,10:mss,sok,ts,nop,ws:flow:0'))"
check_eq raw_synack_section '[tcp:response]' \
	"$(grep '^\[' <("$OSPREY" sig --synack '4:64+0:0:1460:mss*45,7:mss,sok,ts,nop,ws:df:0'))"
"$OSPREY" sig '4:64+0:0:1460:mss*44' >/dev/null 2>"$W/bad.err"
rc=$?
if [ $rc -eq 2 ] && grep -q "is not a TCP raw_sig" "$W/bad.err"; then
	pass raw_bad_refused
else
	fail raw_bad_refused "expected status 2 and 'is not a TCP raw_sig', got $rc: $(cat "$W/bad.err")"
fi

# ------------------------------------------------------------ round trip
# An empty database for the generator: with one that names a SYN as a tool
# (nmap), p0f's rules end that flow and its SYN+ACK is never seen, while
# the generated database (OS sigs only) would see it.
printf 'classes = win,unix,other\n' >"$W/empty.fp"

# round_trip NAME FILE...: each capture's generated database, then one
# check over all of them; prints "ok CAPTURES PACKETS" or the first miss.
round_trip() {
	local name=$1 cap i=0
	shift
	mkdir -p "$W/$name"
	for cap in "$@"; do
		i=$((i + 1))
		"$OSPREY" sig -f "$W/empty.fp" -r "$cap" >"$W/$name/$i.fp" 2>"$W/$name/$i.err" || {
			echo "$(basename "$cap"): osprey sig failed: $(head -1 "$W/$name/$i.err")"
			return; }
		# a capture damaged part-way is read up to the damage (status 1)
		TZ=UTC "$OSPREY" -f "$W/$name/$i.fp" -r "$cap" --json \
			>"$W/$name/$i.json" 2>"$W/$name/$i.err" ||
			grep -q "capture damaged" "$W/$name/$i.err" || {
			echo "$(basename "$cap"): generated db refused: $(head -1 "$W/$name/$i.err")"
			return; }
		echo "$i $cap" >>"$W/$name/index"
	done
	python3 - "$W/$name" <<'PY'
import json, os, sys
d = sys.argv[1]
n = caps = 0
for entry in open(os.path.join(d, "index")):
    i, cap = entry.rstrip("\n").split(" ", 1)
    caps += 1
    for line in open(os.path.join(d, i + ".json")):
        o = json.loads(line)
        if o["mod"] not in ("syn", "syn_ack"):
            continue
        n += 1
        os_ = o.get("os") or {}
        fuzzy_ok = "+?:" in o["raw_sig"]
        if (os_.get("name"), os_.get("flavor")) != ("NAME", "FLAVOR") or \
                os_.get("generic") or (os_.get("fuzzy") and not fuzzy_ok):
            print("%s: %s %s got %s" % (os.path.basename(cap), o["mod"],
                                        o["raw_sig"], os_.get("text")))
            sys.exit(0)
print("ok %d %d" % (caps, n))
PY
}

r=$(round_trip lab "$TOP"/tests/db/lab/*.pcap)
case $r in
ok\ *)
	set -- $r
	if [ "$3" -gt 0 ]; then
		pass round_trip_lab
		echo "# lab: $2 captures, $3 SYN/SYN+ACKs matched their generated line"
	else
		fail round_trip_lab "expected SYN/SYN+ACKs in the lab captures, got none"
	fi ;;
*) fail round_trip_lab "expected every SYN/SYN+ACK labelled NAME FLAVOR, got $r" ;;
esac

gen=$W/lab.fp
"$OSPREY" sig -r "$TOP/tests/db/lab/linux-default.pcap" >"$gen"
if command -v p0f >/dev/null; then
	got=$(p0f -f "$gen" -r "$TOP/tests/db/lab/linux-default.pcap" 2>&1 |
		grep -c '| os  *= NAME FLAVOR')
	check_eq p0f_loads_generated 4 "$got"
else
	skip p0f_loads_generated "p0f not installed"
fi

# --unmatched: the default database knows this kernel, so nothing is left
got=$("$OSPREY" sig --unmatched -r "$TOP/tests/db/lab/linux-default.pcap" | grep -c '^sig')
check_eq unmatched_skips_known 0 "$got"
got=$("$OSPREY" sig -f "$W/one.fp" --unmatched -r "$TOP/tests/db/lab/linux-default.pcap" | grep -c '^sig')
check_eq unmatched_with_other_db 4 "$got"

if [ -d "$SHARED/pcaps" ]; then
	mapfile -t caps < <(find "$SHARED/pcaps" -type f \( -name '*.pcap' -o \
		-name '*.pcapng' -o -name '*.cap' \) | sort)
	r=$(round_trip dev "${caps[@]}")
	case $r in
	ok\ *)
		set -- $r
		pass round_trip_dev_captures
		echo "# development captures: $2, $3 SYN/SYN+ACKs matched their generated line" ;;
	*) fail round_trip_dev_captures "expected every SYN/SYN+ACK labelled NAME FLAVOR, got $r" ;;
	esac
else
	skip round_trip_dev_captures "no $SHARED/pcaps"
fi
exit $T_FAILED
