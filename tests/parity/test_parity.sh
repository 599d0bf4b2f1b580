#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Parity tier: osprey's -o log lines must equal Debian p0f 3.09b's.
#  (a) every capture in ../shared/pcaps/MANIFEST.tsv, one PASS/FAIL per
#      module (100% agreement, no unexplained difference, or FAIL);
#  (b) traffic this test records itself: two network namespaces joined by a
#      veth pair, python3 http.server on one side, curl / wget /
#      http.client from the other over IPv4 and IPv6, tcpdump on the wire.
# Deliberate deviations: tests/parity/DEVIATIONS.md (read by parity.py).
set -u
export SUITE=parity
. "$(dirname "$0")/../lib.sh"

PARITY="$TOP/tests/parity/parity.py"
P0F=${P0F:-/usr/sbin/p0f}
DB=${PARITY_DB:-/etc/p0f/p0f.fp}
JOBS=${PARITY_JOBS:-2}

if [ ! -x "$P0F" ] || [ ! -r "$DB" ]; then
	skip shared "no reference: $P0F or $DB missing (apt-get install p0f)"
	skip selfrec "no reference: $P0F or $DB missing (apt-get install p0f)"
	exit 0
fi
if [ ! -x "$OSPREY" ]; then
	fail shared "osprey binary: expected $OSPREY, got none (run make)"
	exit 1
fi

# ---------------------------------------------------------------- (a)
MANIFEST="$SHARED/pcaps/MANIFEST.tsv"
if [ -r "$MANIFEST" ]; then
	start=$(date +%s)
	python3 "$PARITY" --manifest "$MANIFEST" --osprey "$OSPREY" \
		--p0f "$P0F" --db "$DB" --jobs "$JOBS" --tap parity/shared \
		--show 20
	rc=$?
	[ $rc -le 1 ] || fail shared "parity.py: expected status 0 or 1, got $rc"
	echo "parity-shared: $(($(date +%s) - start)) s"
else
	skip shared "$MANIFEST not found (captures live outside the repo)"
fi

# ---------------------------------------------------------------- (b)
selfrec() {
	local ns_s="ospps$T_ID" ns_c="osppc$T_ID" dir pcap i rc
	local v_s="ospvs$T_ID" v_c="ospvc$T_ID" port=8080
	if [ "$(id -u)" -ne 0 ]; then
		skip selfrec "needs root (network namespaces)"
		return
	fi
	for t in ip tcpdump curl wget; do
		if ! command -v $t >/dev/null; then
			skip selfrec "$t not installed"
			return
		fi
	done
	dir=$(mktemp -d /tmp/osprey-parity.XXXXXX)
	on_exit "rm -rf '$dir'"
	pcap="$dir/selfrec.pcap"

	ip netns add "$ns_s" || { fail selfrec "ip netns add $ns_s failed"; return; }
	on_exit "ip netns del '$ns_s'"
	ip netns add "$ns_c" || { fail selfrec "ip netns add $ns_c failed"; return; }
	on_exit "ip netns del '$ns_c'"
	ip link add "$v_s" netns "$ns_s" type veth peer name "$v_c" \
		netns "$ns_c" || { fail selfrec "veth pair failed"; return; }
	ip -n "$ns_s" addr add 10.77.0.1/24 dev "$v_s"
	ip -n "$ns_c" addr add 10.77.0.2/24 dev "$v_c"
	ip -n "$ns_s" -6 addr add fd77::1/64 dev "$v_s" nodad
	ip -n "$ns_c" -6 addr add fd77::2/64 dev "$v_c" nodad
	for n in "$ns_s" "$ns_c"; do
		ip -n "$n" link set lo up
	done
	ip -n "$ns_s" link set "$v_s" up
	ip -n "$ns_c" link set "$v_c" up

	mkdir -p "$dir/www"
	echo "osprey parity page" >"$dir/www/index.html"
	ip netns exec "$ns_s" tcpdump -i "$v_s" -U -n -s 0 -w "$pcap" tcp \
		2>"$dir/tcpdump.err" &
	local tdpid=$!
	track_pid $tdpid
	for i in $(seq 50); do
		grep -q "listening on" "$dir/tcpdump.err" && break
		sleep 0.1
	done
	(cd "$dir/www" && exec ip netns exec "$ns_s" python3 -m http.server \
		--bind :: $port >"$dir/http.log" 2>&1) &
	local srvpid=$!
	track_pid $srvpid
	for i in $(seq 50); do
		ip netns exec "$ns_c" curl -s -o /dev/null \
			"http://10.77.0.1:$port/" && break
		sleep 0.1
	done

	# A mix of clients, each several times (uptime needs two SYNs of one
	# host at least 25 ms apart), over both address families.
	local ok=0 total=0
	for i in 1 2 3; do
		for url in "http://10.77.0.1:$port/" "http://[fd77::1]:$port/"; do
			total=$((total + 3))
			ip netns exec "$ns_c" curl -s -o /dev/null \
				-H "Accept-Language: en-US,en;q=0.5" "$url" && ok=$((ok + 1))
			ip netns exec "$ns_c" wget -q -O /dev/null "$url" && ok=$((ok + 1))
			ip netns exec "$ns_c" python3 -c '
import http.client, sys, urllib.parse
u = urllib.parse.urlsplit(sys.argv[1])
c = http.client.HTTPConnection(u.hostname, u.port, timeout=5)
c.request("GET", "/", headers={"User-Agent": "osprey-parity/1.0"})
c.getresponse().read()
' "$url" && ok=$((ok + 1))
			sleep 0.05
		done
	done
	sleep 0.3
	kill -INT $tdpid 2>/dev/null
	wait $tdpid 2>/dev/null
	kill $srvpid 2>/dev/null
	wait $srvpid 2>/dev/null
	check_eq selfrec/requests "$total" "$ok"
	if [ ! -s "$pcap" ]; then
		fail selfrec/capture "recording: expected packets in $pcap, got none"
		return
	fi
	python3 "$PARITY" "$pcap" --osprey "$OSPREY" --p0f "$P0F" --db "$DB" \
		--cache '' --jobs 1 --tap parity/selfrec --show 20
	rc=$?
	[ $rc -le 1 ] || fail selfrec "parity.py: expected status 0 or 1, got $rc"
	# The recording must have exercised the modules local traffic can
	# reach, or the comparison above proved little.
	TZ=UTC "$P0F" -f "$DB" -r "$pcap" -o "$dir/p0f.log" >/dev/null 2>&1
	local mod missing=""
	for mod in syn syn+ack mtu "http request" "http response"; do
		grep -qF "] mod=$mod|" "$dir/p0f.log" || missing="${missing}[$mod]"
	done
	check_eq selfrec/modules-seen "" "$missing"
	return $rc
}
selfrec
exit $T_FAILED
