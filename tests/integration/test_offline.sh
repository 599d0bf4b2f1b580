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

# JSON: one valid object per log line.
TZ=UTC "$OSPREY" -f "$DB" -r "$CAP" --json >"$W/out.json" 2>/dev/null
n=$(python3 -c '
import json, sys
n = 0
for line in open(sys.argv[1]):
    o = json.loads(line)
    assert {"ts", "ts_ms", "mod", "client", "server", "subj"} <= set(o)
    n += 1
print(n)' "$W/out.json" 2>&1)
check_eq json_lines "$full" "$n"

out=$("$OSPREY" -f "$DB" -r "$CAP" --quiet 2>/dev/null | wc -c)
check_eq quiet 0 "$out"

# The box and the log carry the same observations.
boxes=$(grep -c '^`----' "$W/full.box")
check_eq log_vs_box "$full" "$boxes"

exit $T_FAILED
