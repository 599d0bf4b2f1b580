#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# HTTP corner cases against Debian p0f 3.09b: captures of hand-made flows
# (tests/parity/craft_http.py) must give the same -o log lines, byte for
# byte: http request/response app, lang, params, raw_sig; parse limits;
# Date drift, srv_sig_lb, x_known, via and ua_vs_os host changes; match
# rules on a five-sig database.
#
# p0f's Date check reads an uninitialised tm_isdst, so a run may print an
# extra or a missing "reason=date" line.  p0f runs twice: when the runs
# agree the comparison is exact, otherwise every line both runs print is
# required and no line neither run printed is allowed.
set -u
SUITE=parity-http
. "$(dirname "$0")/../lib.sh"

P0F=${P0F:-/usr/sbin/p0f}
DB=${PARITY_DB:-/etc/p0f/p0f.fp}
NAMES="edges nat tiny"

if [ ! -x "$P0F" ] || [ ! -r "$DB" ]; then
	for name in $NAMES; do
		skip $name "no reference: $P0F or $DB missing (apt-get install p0f)"
	done
	exit 0
fi
if [ ! -x "$OSPREY" ]; then
	fail edges "osprey binary: expected $OSPREY, got none (run make)"
	exit 1
fi

dir=$(mktemp -d /tmp/osprey-httpcraft.$$.XXXXXX)
on_exit "rm -rf $dir"
if ! python3 "$TOP/tests/parity/craft_http.py" "$dir"; then
	fail edges "craft_http.py: expected exit 0, got $?"
	exit 1
fi

for name in $NAMES; do
	db=$DB
	[ $name = tiny ] && db=$dir/tiny.fp
	for run in 1 2; do
		TZ=UTC "$P0F" -f "$db" -r "$dir/$name.pcap" \
			-o "$dir/$name.p0f$run" >/dev/null 2>&1
	done
	TZ=UTC "$OSPREY" -f "$db" -r "$dir/$name.pcap" -o "$dir/$name.all" \
		>/dev/null 2>"$dir/$name.err"
	# osprey's own TLS / h2c lines have no p0f counterpart (parity.py)
	grep -v -E '\] mod=tls (client|server)\||\|subj=cli\|h2=' \
		"$dir/$name.all" >"$dir/$name.osp"
	want=$(grep -c 'mod=http' "$dir/$name.p0f1" 2>/dev/null)
	if [ "${want:-0}" -lt 10 ]; then
		fail $name "p0f http lines: expected at least 10, got ${want:-0}"
		continue
	fi
	if cmp -s "$dir/$name.p0f1" "$dir/$name.p0f2"; then
		if cmp -s "$dir/$name.p0f1" "$dir/$name.osp"; then
			pass $name
		else
			d=$(diff "$dir/$name.p0f1" "$dir/$name.osp" | head -4 |
				tr '\n' ' ')
			fail $name "log lines: expected p0f's, got: $d"
		fi
		continue
	fi
	sort "$dir/$name.p0f1" >"$dir/a"
	sort "$dir/$name.p0f2" >"$dir/b"
	sort "$dir/$name.osp" >"$dir/o"
	comm -12 "$dir/a" "$dir/b" >"$dir/both"
	sort -u "$dir/a" "$dir/b" >"$dir/either"
	missing=$(comm -23 "$dir/both" "$dir/o" | head -2 | tr '\n' ' ')
	extra=$(comm -13 "$dir/either" "$dir/o" | head -2 | tr '\n' ' ')
	if [ -z "$missing$extra" ]; then
		pass $name
	else
		fail $name "lines: expected p0f's, got missing: $missing extra: $extra"
	fi
done
exit 0
