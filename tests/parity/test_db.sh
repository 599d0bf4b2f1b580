#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The modern database db/osprey.fp, without root:
#   - `tools/db-check.py` passes on it, and fails on a signature without
#     provenance and on provenance its lab capture does not bear out
#     (fixtures in tests/db/fixtures/);
#   - p0f 3.09b itself loads it and names this kernel's lab SYN "Linux 4.20+";
#   - osprey with its default database (no -f) names the 6.18 lab capture's
#     SYN and SYN+ACK, IPv4 and IPv6, "Linux" with the 4.20+ flavor;
#   - db/p0f.fp is p0f 3.09b's file unchanged (Debian's /etc/p0f/p0f.fp).
set -u
. "$(dirname "$0")/../lib.sh"
LAB=$TOP/tests/db/lab/linux-default.pcap
[ -x "$OSPREY" ] || { skip all "$OSPREY not built"; exit 0; }
W=$(mktemp -d /tmp/osprey-dbtest.XXXXXX)
on_exit "rm -rf $W"

out=$(python3 "$TOP/tools/db-check.py" 2>&1); rc=$?
if [ $rc -eq 0 ] && ! echo "$out" | grep -q '^FAIL'; then
	pass db_check
	echo "# $(echo "$out" | tail -1)"
else
	fail db_check "expected status 0, got $rc: $(echo "$out" | grep FAIL | head -3)"
fi

for fx in noprov badlab; do
	out=$(python3 "$TOP/tools/db-check.py" --db "$TOP/tests/db/fixtures/$fx.fp" 2>&1)
	rc=$?
	case $fx in
	noprov) want="no '; prov:' line" ;;
	badlab) want="matches it exactly" ;;
	esac
	if [ $rc -eq 1 ] && echo "$out" | grep -q "^FAIL: .*$fx.fp:[0-9]*: .*$want"; then
		pass "db_check_rejects_$fx"
	else
		fail "db_check_rejects_$fx" "expected status 1 and '$want', got $rc: $out"
	fi
done

# the default database of a built tree is db/osprey.fp
TZ=UTC "$OSPREY" -r "$LAB" --json >"$W/lab.json" 2>"$W/lab.err"
check_eq default_db_reads_lab 0 $?
got=$(python3 - "$W/lab.json" <<'PY'
import json, sys
seen = []
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o["mod"] in ("syn", "syn_ack"):
        os_ = o["os"] or {}
        seen.append("%s/v%s=%s:%s%s" % (o["mod"], o["raw_sig"][0],
                    os_.get("name"), os_.get("flavor"),
                    "~" if os_.get("fuzzy") or os_.get("generic") else ""))
print(" ".join(sorted(seen)))
PY
)
check_eq default_db_linux_420 \
	"syn/v4=Linux:4.20+ syn/v6=Linux:4.20+ syn_ack/v4=Linux:4.20+ syn_ack/v6=Linux:4.20+" \
	"$got"

if command -v p0f >/dev/null; then
	rm -f "$W/p0f.log"
	TZ=UTC timeout 30 p0f -f "$TOP/db/osprey.fp" -r "$LAB" -o "$W/p0f.log" \
		>"$W/p0f.out" 2>&1
	rc=$?
	n=$(grep -c 'mod=syn|.*os=Linux 4.20+|' "$W/p0f.log" 2>/dev/null)
	if [ $rc -eq 0 ] && [ "${n:-0}" -ge 2 ] &&
		! grep -qE '^\[!\]|FATAL|ERROR' "$W/p0f.out"; then
		pass p0f_loads_osprey_fp
	else
		fail p0f_loads_osprey_fp "expected status 0, no warning and 2 SYNs as" \
			"Linux 4.20+, got rc=$rc, $n: $(grep -E '\[!\]|\[-\]' "$W/p0f.out" | head -2)"
	fi
else
	skip p0f_loads_osprey_fp "p0f not installed"
fi

if [ -r /etc/p0f/p0f.fp ]; then
	if cmp -s /etc/p0f/p0f.fp "$TOP/db/p0f.fp"; then pass p0f_fp_unchanged
	else fail p0f_fp_unchanged "db/p0f.fp differs from /etc/p0f/p0f.fp"; fi
else
	skip p0f_fp_unchanged "/etc/p0f/p0f.fp not installed"
fi
exit $T_FAILED
