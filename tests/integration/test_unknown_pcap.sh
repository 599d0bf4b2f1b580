#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# --unknown-pcap FILE offline (the live case is in test_db_reload.sh):
#   - the SYNs and SYN+ACKs no signature matched are written, one per
#     distinct signature, an unmatched SYN+ACK after the SYN it answers,
#     as a raw-IP pcap that osprey, p0f and tcpdump read back; matched
#     signatures are not written;
#   - the bounds hold: 1100 distinct unmatched SYNs give 1000 packets and
#     a warning, repeats of one signature give one packet;
#   - the file is created 0600 and never through a symlink.
set -u
. "$(dirname "$0")/../lib.sh"
need_tools tcpdump python3
[ -x "$OSPREY" ] || { skip all "$OSPREY not built"; exit 0; }
W=$(mktemp -d /tmp/osprey-unk.XXXXXX)
on_exit "rm -rf $W"
LAB=$TOP/tests/db/lab/linux-default.pcap
P0F=$TOP/db/p0f.fp

# unmatched FILE: sorted "mod raw_sig" of the syn/syn+ack with no label
unmatched() {
	TZ=UTC "$OSPREY" -f "$P0F" -r "$1" --json 2>/dev/null | python3 -c '
import json, sys
out = set()
for line in sys.stdin:
    o = json.loads(line)
    if o["mod"] in ("syn", "syn_ack") and not o.get("os"):
        out.add("%s %s" % (o["mod"], o["raw_sig"]))
print("|".join(sorted(out)))'
}

# p0f 3.09b's database knows neither this kernel's IPv6 SYN (flow label)
# nor its SYN+ACKs; its IPv4 SYN it calls generic "Linux 2.2.x-3.x"
"$OSPREY" -f "$P0F" -r "$LAB" --unknown-pcap "$W/unk.pcap" --quiet 2>"$W/err"
check_eq offline_status 0 $?
want=$(unmatched "$LAB")
check_eq offline_same_unmatched "$want" "$(unmatched "$W/unk.pcap")"
check_eq offline_packets 4 "$(tcpdump -nr "$W/unk.pcap" 2>/dev/null | wc -l)"
# the IPv4 SYN+ACK comes right after its (matched) SYN
check_eq synack_after_its_syn "Flags [S], Flags [S.]," \
	"$(tcpdump -nr "$W/unk.pcap" 'ip' 2>/dev/null | grep -o 'Flags \[S\.*\],' | tr '\n' ' ' | sed 's/ $//')"
check_eq file_mode 600 "$(stat -c %a "$W/unk.pcap")"
grep -q "4 packets of unmatched signatures written" "$W/err" &&
	pass offline_logged || fail offline_logged "expected the count on stderr, got $(cat "$W/err")"
if command -v p0f >/dev/null; then
	got=$(p0f -f "$P0F" -r "$W/unk.pcap" 2>/dev/null | grep -c '^| os  *= ???')
	check_eq p0f_reads_it 3 "$got"
else
	skip p0f_reads_it "p0f not installed"
fi
# what matches a database is left out
"$OSPREY" -r "$LAB" --unknown-pcap "$W/none.pcap" --quiet 2>/dev/null
check_eq matched_not_written 0 "$(tcpdump -nr "$W/none.pcap" 2>/dev/null | wc -l)"

# ---------------------------------------------------------------- bounds
# 1100 distinct unmatched SYNs (window 1000..2099, no options), then 50
# more of the first signature from other hosts
python3 - "$W/many.pcap" <<'PY'
import struct, sys
out = open(sys.argv[1], "wb")
out.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 101))
def syn(i, win, src):
    tcp = struct.pack("!HHIIBBHHH", 1024 + i % 60000, 80, i + 1, 0, 5 << 4, 2,
                      win, 0, 0)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40, (i & 0x7fff) + 1, 0x4000, 64,
                     6, 0, bytes([10, 1, src >> 8, src & 255]),
                     bytes([10, 2, 0, 1]))
    pkt = ip + tcp
    out.write(struct.pack("<IIII", 1000 + i, 0, len(pkt), len(pkt)) + pkt)
for i in range(1100):
    syn(i, 1000 + i, i)
for i in range(50):
    syn(2000 + i, 1000, 2000 + i)
PY
"$OSPREY" -f "$P0F" -r "$W/many.pcap" --unknown-pcap "$W/b.pcap" --quiet 2>"$W/b.err"
check_eq bound_packets 1000 "$(tcpdump -nr "$W/b.pcap" 2>/dev/null | wc -l)"
if grep -q "limit of 1000 packets" "$W/b.err" &&
	grep -q "1000 packets of unmatched signatures written (50 repeats and 100 over the limit left out)" "$W/b.err"; then
	pass bound_logged
else
	fail bound_logged "expected the limit warning and counts, got $(tr '\n' ' ' <"$W/b.err")"
fi
check_eq bound_one_per_signature 1 \
	"$(tcpdump -nr "$W/b.pcap" 2>/dev/null | grep -c 'win 1000,')"

# -------------------------------------------------------------- the file
ln -s "$W/target" "$W/link.pcap"
"$OSPREY" -f "$P0F" -r "$LAB" --unknown-pcap "$W/link.pcap" --quiet 2>"$W/l.err"
rc=$?
if [ $rc -ne 0 ] && [ ! -e "$W/target" ] && grep -q "unknown-pcap" "$W/l.err"; then
	pass symlink_refused
else
	fail symlink_refused "expected a refusal and no $W/target, got status $rc: $(cat "$W/l.err")"
fi
exit $T_FAILED
