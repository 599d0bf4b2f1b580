#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Link layers of offline captures: one TCP handshake (SYN, SYN+ACK) wrapped
# in each link type osprey reads, written as a pcap by the python below.
# Every capture must give the syn line; where p0f 3.09b reads the link type
# too, osprey's log must equal p0f's.
. "$(dirname "$0")/../lib.sh"

W=$(mktemp -d /tmp/osprey-link.$$.XXXXXX)
on_exit "rm -rf '$W'"
DB=$TOP/db/osprey.fp

if [ ! -x "$OSPREY" ]; then
	skip all "$OSPREY not built"
	exit 0
fi
if ! command -v python3 >/dev/null; then
	skip all "python3 not installed"
	exit 0
fi

# make_pcap NAME: writes $W/NAME.pcap
python3 - "$W" <<'EOF'
import struct, sys

out = sys.argv[1]

# checksums stay zero: neither p0f nor osprey checks them
def tcp(sport, dport, seq, ack, flags, opts):
    doff = (20 + len(opts)) // 4
    return struct.pack("!HHIIBBHHH", sport, dport, seq, ack, doff << 4,
                       flags, 64240, 0, 0) + opts

# Linux-like SYN options: MSS 1460, SACK OK, TS, NOP, WS 7
SYN_OPTS = bytes([2, 4, 5, 180, 4, 2, 8, 10, 0, 0, 1, 0, 0, 0, 0, 0, 1, 3, 3, 7])
SA_OPTS = bytes([2, 4, 5, 180, 4, 2, 8, 10, 0, 0, 2, 0, 0, 0, 1, 0, 1, 3, 3, 7])

def ip4(src, dst, seg):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(seg), 0x1234, 0x4000,
                      64, 6, 0, bytes(src), bytes(dst))
    return hdr + seg

def ip6(src, dst, seg):
    return struct.pack("!IHBB16s16s", 6 << 28, len(seg), 6, 64, bytes(src),
                       bytes(dst)) + seg

A4, B4 = [10, 1, 1, 1], [10, 1, 1, 2]
A6 = [0x20, 0x01, 0x0d, 0xb8] + [0] * 11 + [1]
B6 = [0x20, 0x01, 0x0d, 0xb8] + [0] * 11 + [2]

def handshake(ipf, a, b):
    syn = ipf(a, b, tcp(40000, 80, 1000, 0, 0x02, SYN_OPTS))
    sa = ipf(b, a, tcp(80, 40000, 5000, 1001, 0x12, SA_OPTS))
    return [syn, sa]

MAC = bytes([0, 1, 2, 3, 4, 5]) + bytes([0, 1, 2, 3, 4, 6])

def eth(p, et=0x0800):
    return MAC + struct.pack("!H", et) + p

def vlan(p, et=0x0800):
    return MAC + struct.pack("!HHH", 0x8100, 5, et) + p

def qinq(p, et=0x0800):
    return MAC + struct.pack("!HHHHH", 0x88a8, 7, 0x8100, 5, et) + p

def tags(n, p, et=0x0800):  # n stacked tags, as a real capture had 3
    t = b"".join(struct.pack("!HH", 0x88a8 if i == 0 else 0x8100, 10 + i)
                 for i in range(n))
    return MAC + t + struct.pack("!H", et) + p

def sll(p, proto=0x0800):
    return struct.pack("!HHH8sH", 0, 1, 6, bytes(8), proto) + p

def sll2(p, proto=0x0800):
    return struct.pack("!HHIHBB8s", proto, 0, 1, 1, 0, 6, bytes(8)) + p

def null(p):
    return struct.pack("<I", 2) + p

def loop(p):
    return struct.pack("!I", 2) + p

def ppp(p):
    return bytes([0xff, 0x03, 0x00, 0x21]) + p

def nflog(p):
    tlv_len = 4 + len(p)
    pad = (4 - tlv_len % 4) % 4
    prefix = struct.pack("<HH", 8, 1) + b"\x08\x00\x00\x00"  # hw proto TLV
    return (bytes([2, 0, 0, 0]) + prefix + struct.pack("<HH", tlv_len, 9) +
            p + bytes(pad))

def write(name, linktype, frames):
    with open(f"{out}/{name}.pcap", "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535,
                            linktype))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", 1700000000, 1000 * i, len(fr),
                                len(fr)))
            f.write(fr)

hs4, hs6 = handshake(ip4, A4, B4), handshake(ip6, A6, B6)
write("ether", 1, [eth(p) for p in hs4])
write("ether6", 1, [eth(p, 0x86dd) for p in hs6])
write("vlan", 1, [vlan(p) for p in hs4])
write("qinq", 1, [qinq(p) for p in hs4])
write("vlan3", 1, [tags(3, p) for p in hs4])
write("vlan8", 1, [tags(8, p) for p in hs4])
write("vlan8v6", 1, [tags(8, p, 0x86dd) for p in hs6])
write("sll", 113, [sll(p) for p in hs4])
write("sll2", 276, [sll2(p) for p in hs4])
write("raw", 101, hs4)
write("ipv4", 228, hs4)
write("ipv6", 229, hs6)
write("null", 0, [null(p) for p in hs4])
write("loop", 108, [loop(p) for p in hs4])
write("ppp", 9, [ppp(p) for p in hs4])
write("nflog", 239, [nflog(p) for p in hs4])
EOF

SYN4="mod=syn|cli=10.1.1.1/40000|srv=10.1.1.2/80|subj=cli|"
SA4="mod=syn+ack|cli=10.1.1.1/40000|srv=10.1.1.2/80|subj=srv|"
SYN6="mod=syn|cli=2001:db8:0:0:0:0:0:1/40000|srv=2001:db8:0:0:0:0:0:2/80|subj=cli|"

# p0f reads these link types correctly (the others it cannot: VLAN, SLL2,
# LOOP and NFLOG; see tests/parity/DEVIATIONS.md)
P0F_OK=" ether ether6 sll raw ipv4 ipv6 null ppp "
have_p0f=0
command -v p0f >/dev/null && [ -r /etc/p0f/p0f.fp ] && have_p0f=1

for name in ether ether6 vlan qinq vlan3 vlan8 vlan8v6 sll sll2 raw ipv4 ipv6 null \
	loop ppp nflog; do
	rm -f "$W/$name.log"
	TZ=UTC "$OSPREY" -f "$DB" -r "$W/$name.pcap" -o "$W/$name.log" \
		>/dev/null 2>"$W/$name.err"
	rc=$?
	# the plain-pcap fast path and libpcap must read every record alike
	TZ=UTC OSPREY_PCAP_NO_FASTPATH=1 "$OSPREY" -f "$DB" -r "$W/$name.pcap" \
		-o "$W/$name.lib.log" >/dev/null 2>"$W/$name.lib.err"
	if cmp -s "$W/$name.log" "$W/$name.lib.log" &&
		cmp -s "$W/$name.err" "$W/$name.lib.err"; then
		pass "$name/fastpath_eq_libpcap"
	else
		fail "$name/fastpath_eq_libpcap" "expected the libpcap-only \
log and stderr, got: $(diff "$W/$name.lib.log" "$W/$name.log" | head -3)"
	fi
	want=$SYN4
	case $name in ether6 | ipv6 | vlan8v6) want=$SYN6 ;; esac
	if [ "$rc" -eq 0 ] && grep -qF "$want" "$W/$name.log"; then
		pass "$name"
	else
		fail "$name" "expected rc 0 and a line with '$want', got rc=$rc: \
$(cat "$W/$name.log" "$W/$name.err" 2>/dev/null | head -3)"
	fi
	case $name in
	ether6 | ipv6 | vlan8v6) ;;
	*)
		if grep -qF "$SA4" "$W/$name.log"; then
			pass "$name:synack"
		else
			fail "$name:synack" "no syn+ack line"
		fi ;;
	esac
	case $P0F_OK in *" $name "*) ;; *) continue ;; esac
	if [ "$have_p0f" -ne 1 ]; then
		skip "$name:p0f" "p0f or /etc/p0f/p0f.fp not installed"
		continue
	fi
	rm -f "$W/$name.p0f" "$W/$name.osp"
	TZ=UTC p0f -f /etc/p0f/p0f.fp -r "$W/$name.pcap" -o "$W/$name.p0f" \
		>/dev/null 2>&1
	TZ=UTC "$OSPREY" -f /etc/p0f/p0f.fp -r "$W/$name.pcap" \
		-o "$W/$name.osp" >/dev/null 2>&1
	if [ -s "$W/$name.p0f" ] && cmp -s "$W/$name.p0f" "$W/$name.osp"; then
		pass "$name:p0f"
	else
		fail "$name:p0f" "log differs from p0f's: $(diff "$W/$name.p0f" \
"$W/$name.osp" | head -4)"
	fi
done

# A filter expression reaches frames behind any number of VLAN tags.
for name in ether vlan qinq vlan3 vlan8; do
	for flt in "port 80:2" "port 81:0"; do
		rm -f "$W/f.log"
		"$OSPREY" -f "$DB" -r "$W/$name.pcap" -o "$W/f.log" "${flt%:*}" \
			>/dev/null 2>&1
		n=$(grep -c "mod=syn" "$W/f.log" 2>/dev/null)
		t=${flt%:*}
		check_eq "filter:$name:${t// /_}" "${flt#*:}" "${n:-0}"
	done
done

exit $T_FAILED
