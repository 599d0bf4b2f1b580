#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# TCP corner cases against Debian p0f 3.09b: captures of hand-made packets
# (tests/parity/craft_tcp.py) must give the same -o log lines, byte for
# byte: quirks, option oddities, raw_sig, distances, MTU, NAT scores,
# uptime.
set -u
SUITE=parity-tcp
. "$(dirname "$0")/../lib.sh"

P0F=${P0F:-/usr/sbin/p0f}
DB=${PARITY_DB:-/etc/p0f/p0f.fp}

if [ ! -x "$P0F" ] || [ ! -r "$DB" ]; then
	skip quirks "no reference: $P0F or $DB missing (apt-get install p0f)"
	skip nat "no reference: $P0F or $DB missing (apt-get install p0f)"
	exit 0
fi
if [ ! -x "$OSPREY" ]; then
	fail quirks "osprey binary: expected $OSPREY, got none (run make)"
	exit 1
fi

dir=$(mktemp -d /tmp/osprey-tcpcraft.$$.XXXXXX)
on_exit "rm -rf $dir"
if ! python3 "$TOP/tests/parity/craft_tcp.py" "$dir"; then
	fail quirks "craft_tcp.py: expected exit 0, got $?"
	exit 1
fi

for name in quirks nat; do
	TZ=UTC "$P0F" -f "$DB" -r "$dir/$name.pcap" -o "$dir/$name.p0f" \
		>/dev/null 2>&1
	TZ=UTC "$OSPREY" -f "$DB" -r "$dir/$name.pcap" -o "$dir/$name.osp" \
		>/dev/null 2>"$dir/$name.err"
	want=$(grep -c . "$dir/$name.p0f" 2>/dev/null)
	if [ "${want:-0}" -lt 20 ]; then
		fail $name "p0f log lines: expected at least 20, got ${want:-0}"
	elif cmp -s "$dir/$name.p0f" "$dir/$name.osp"; then
		pass $name
	else
		d=$(diff "$dir/$name.p0f" "$dir/$name.osp" | head -4 | tr '\n' ' ')
		fail $name "log lines: expected p0f's $want lines, got: $d"
	fi
done
exit 0
