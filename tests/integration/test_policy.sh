#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Policy enforcement end to end, in namespaces of our own:
#
#   cl1 (Linux SYNs, default stack)  --veth-- srv  --veth--  cl2 (odd SYNs)
#
# srv runs a TCP server and osprey's tc classifier on both veths.  The
# hosts map learns cl1 as Linux, either from osprey running live on srv's
# veths (when the binary can) or from a record written with bpftool; cl2
# stays unknown or differently fingerprinted.  Then, for iptables and
# nftables alike: a rule marking Linux marks cl1's packets (mark counters),
# a drop on that mark / on the -m bpf match stops cl1's connections while
# cl2's pass, and clearing the rule lets cl1 in again.
# Each check group is a case (test_NAME below); `test_policy.sh CASE...`
# runs only those, with the setup they need (fixture_*).
set -u
. "$(dirname "$0")/../lib.sh"
# fail with a message made of several words
failm() { local n=$1; shift; fail "$n" "$*"; }
need_root policy

ID=$T_ID
NS_S=ospS$ID NS_1=ospA$ID NS_2=ospB$ID
PIN=/sys/fs/bpf/osprey-test-$ID
PORT=8080
SRV1=10.231.1.1 CL1=10.231.1.2 SRV2=10.231.2.1 CL2=10.231.2.2
SRV1_6=fd31:1::1 CL1_6=fd31:1::2 SRV2_6=fd31:2::1
MARK=0x10

for t in ip nft iptables bpftool curl python3 nsenter; do
	command -v "$t" >/dev/null || { skip all "$t not installed"; exit 0; }
done
if [ ! -x "$OSPREY" ]; then
	skip all "$OSPREY not built"
	exit 0
fi
# Run a private copy: the shared build tree may be relinked meanwhile.
OSPREY_COPY=$(mktemp /tmp/osprey-policy-bin.XXXXXX)
on_exit "rm -f $OSPREY_COPY"
cp "$OSPREY" "$OSPREY_COPY" && chmod 0755 "$OSPREY_COPY" && OSPREY=$OSPREY_COPY
if ! "$OSPREY" policy --help >/dev/null 2>&1; then
	skip all "$OSPREY has no policy subcommand"
	exit 0
fi

# Run in srv's network namespace only: `ip netns exec` would remount /sys
# and hide bpffs, where the pins live.
in_srv() { nsenter --net="/run/netns/$NS_S" "$@"; }
in_ns() { local ns=$1; shift; nsenter --net="/run/netns/$ns" "$@"; }
DB=$TOP/db/osprey.fp
TMPP=$(mktemp -d /tmp/osprey-policy.XXXXXX)
on_exit "rm -rf $TMPP"
pol() { in_srv "$OSPREY" policy --pin-dir "$PIN" -f "$DB" "$@"; }
# polq ARGS: run `osprey policy ARGS` quietly; a failure is a FAIL line.
polq() {
	local out
	out=$(pol "$@" 2>&1) && return 0
	failm "policy_$1" "osprey policy $*: expected status 0, got: $out"
	return 1
}

# bpffs: the pins live there.  Mount it when the system has not.
if ! mount | grep -q ' /sys/fs/bpf type bpf'; then
	mount -t bpf bpf /sys/fs/bpf || { skip all "cannot mount bpffs"; exit 0; }
fi

setup_net() {
	local i
	on_exit "ip netns del $NS_S"
	on_exit "ip netns del $NS_1"
	on_exit "ip netns del $NS_2"
	ip netns add "$NS_S" && ip netns add "$NS_1" && ip netns add "$NS_2" ||
		return 1
	for i in 1 2; do
		local ns=ospA$ID
		[ $i = 2 ] && ns=ospB$ID
		ip link add "os$i$ID" netns "$NS_S" type veth peer name "oc$i$ID" \
			netns "$ns" || return 1
		in_srv ip addr add "10.231.$i.1/24" dev "os$i$ID"
		in_srv ip addr add "fd31:$i::1/64" dev "os$i$ID" nodad
		in_ns "$ns" ip addr add "fd31:$i::2/64" dev "oc$i$ID" nodad
		in_srv ip link set "os$i$ID" up
		in_ns "$ns" ip addr add "10.231.$i.2/24" dev "oc$i$ID"
		in_ns "$ns" ip link set "oc$i$ID" up
		in_ns "$ns" ip link set lo up
	done
	in_srv ip link set lo up
	# cl2's SYNs look unlike any Linux signature (TTL 128, no options
	# but MSS), so it is fingerprinted as something else or unknown.
	in_ns "$NS_2" sysctl -qw net.ipv4.tcp_timestamps=0 \
		net.ipv4.tcp_sack=0 net.ipv4.tcp_window_scaling=0 \
		net.ipv4.ip_default_ttl=128
}

start_server() {
	# nsenter execs python3 (no fork), so $! is the server's own PID;
	# a shell function put in the background would not be.
	nsenter --net="/run/netns/$NS_S" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET6)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.bind(("::", int(sys.argv[1]))); s.listen(64)
while True:
    c, _ = s.accept()
    c.sendall(b"HTTP/1.0 200 OK\r\nServer: t\r\nContent-Length: 2\r\n\r\nok")
    c.close()
' "$PORT" >/dev/null 2>&1 &
	SERVER_PID=$!
	track_pid "$SERVER_PID"
	local n
	for n in $(seq 50); do
		in_ns "$NS_1" bash -c "exec 3<>/dev/tcp/$SRV1/$PORT" 2>/dev/null &&
			return 0
		sleep 0.1
	done
	return 1
}

# connect NS ADDR: 0 if a request got its answer within 2 s.
connect() {
	[ "$(in_ns "$1" curl -s -m 2 -A 'Mozilla/5.0 (X11; Linux x86_64)' \
		"http://$2:$PORT/" 2>/dev/null)" = ok ]
}
ok_or_blocked() { if connect "$1" "$2"; then echo ok; else echo blocked; fi; }

host_key_hex() { # IP address -> osprey_host_key as bpftool hex bytes
	python3 -c '
import sys, socket
a = sys.argv[1]
if ":" in a:
    k = bytes([6, 0, 0, 0]) + socket.inet_pton(socket.AF_INET6, a)
else:
    k = bytes([4, 0, 0, 0]) + socket.inet_aton(a) + bytes(12)
print(" ".join("%02x" % b for b in k))' "$1"
}

# Write a host record "unix:Linux:3.11 and newer" for ADDR with bpftool.
put_linux_host() {
	local val
	val=$(python3 -c '
import struct, time
def fnv(s):
    h = 2166136261
    for b in s.encode():
        h = ((h ^ b) * 16777619) & 0xffffffff
    return h
c, n, f = "unix", "Linux", "3.11 and newer"
now = int(time.time())
v = struct.pack("<QQIIIIIBBhHHiIIII", now, now, 1, 1, fnv(c), fnv(n),
                fnv(c + ":" + n + ":" + f), 0, 0, 0, 1500, 0, -1, 0, 0, 0, 0)
for s in (c, n, f, "Ethernet or modem", "", "", ""):
    v += s.encode().ljust(32, b"\0")
v += bytes(8 + 40 + 64)  # ABI 3: no ClientHello seen
assert len(v) == 400
print(" ".join("%02x" % b for b in v))')
	# shellcheck disable=SC2046,SC2086 # one argument per byte wanted
	bpftool map update pinned "$PIN/hosts" key hex $(host_key_hex "$1") \
		value hex $val
}

# host_os ADDR: the OS name its hosts map record holds, with "~" after
# it for a fuzzy match; "?" for a record without an OS, "-" for none.  Decodes the raw value bytes, so it
# works whether or not the map carries BTF.
host_os() {
	# shellcheck disable=SC2046
	bpftool -j map lookup pinned "$PIN/hosts" key hex $(host_key_hex "$1") \
		2>/dev/null | python3 -c '
import json, sys
try:
    b = bytes(int(x, 16) for x in json.load(sys.stdin)["value"])
except Exception:
    print("-"); sys.exit()
flags = int.from_bytes(b[20:24], "little")
name = b[96:128].split(b"\0")[0].decode()
print((name + ("~" if b[36] & 1 else "")) if flags & 1 else "?")'
}

# Try osprey live on srv's veths; 0 once it fingerprinted cl1 as Linux
# and has seen cl2.  The daemon is stopped afterwards (the pinned map and
# what it learned stay).
learn_live() {
	local log=/tmp/osprey-policy-live-$ID.log n rc=1
	on_exit "rm -f $log $log.p0f"
	nsenter --net="/run/netns/$NS_S" \
		"$OSPREY" -i "os1$ID" -i "os2$ID" --pin-dir "$PIN" -d \
		-o "$log.p0f" >"$log" 2>&1 &
	LIVE_PID=$!
	track_pid "$LIVE_PID"
	for n in $(seq 30); do
		kill -0 "$LIVE_PID" 2>/dev/null || break
		connect "$NS_1" "$SRV1"
		connect "$NS_2" "$SRV2"
		if [ "$(host_os "$CL1")" = Linux ] &&
			[ "$(host_os "$CL2")" != - ]; then
			rc=0
			break
		fi
		sleep 0.2
	done
	kill "$LIVE_PID" 2>/dev/null
	{ wait "$LIVE_PID"; } 2>/dev/null
	[ $rc -eq 0 ] || echo "# live learning unavailable: $(tail -1 "$log")"
	return $rc
}

nft_counter() { # packets of the counter rule with comment $1
	in_srv nft -a list chain inet "osp$ID" input 2>/dev/null |
		sed -n "s/.*counter packets \([0-9]*\).*comment \"$1\".*/\1/p"
}
ipt_counter() { # packets of the INPUT rule with comment $1
	in_srv iptables -vnxL INPUT 2>/dev/null |
		awk -v c="$1" '$0 ~ "/\\* " c " \\*/" { print $1 }'
}

# nft_del_rule COMMENT: delete the rule with that comment from our chain
nft_del_rule() {
	local h
	h=$(in_srv nft -a list chain inet "osp$ID" input 2>/dev/null |
		sed -n "s/.*comment \"$1\".*# handle \([0-9]*\)$/\1/p")
	[ -n "$h" ] && in_srv nft delete rule inet "osp$ID" input handle "$h"
}

# --------------------------------------------------------------- fixtures
fixture_net() {
	if ! setup_net; then
		failm setup "creating namespaces and veths failed"
		return 1
	fi
	on_exit "rm -rf $PIN"
	on_exit "in_srv $OSPREY policy --pin-dir $PIN detach-tc os1$ID"
	on_exit "in_srv $OSPREY policy --pin-dir $PIN detach-tc os2$ID"
	if ! start_server; then
		failm setup "server in $NS_S did not start"
		return 1
	fi
}

# Attach first: this pins the hosts and policy maps the daemon will share.
fixture_tc() {
	local out out2 rc
	need net || return 1
	out=$(pol attach-tc "os1$ID" 2>&1) && out2=$(pol attach-tc "os2$ID" 2>&1)
	rc=$?
	if [ $rc -ne 0 ]; then
		failm attach_tc "attach-tc: expected status 0, got $rc: $out $out2"
		return 1
	fi
}

# cl1 known as Linux in the hosts map (live, else written with bpftool)
fixture_hosts() {
	need tc || return 1
	# POLICY_TEST_BPFTOOL=1 skips live learning (to exercise the other path).
	HOW=bpftool
	if [ -z "${POLICY_TEST_BPFTOOL:-}" ] && learn_live; then
		HOW=live
	else
		put_linux_host "$CL1"
	fi
	# This kernel's IPv6 SYNs have no match in p0f's database, so cl1's IPv6
	# record is always written by hand.
	put_linux_host "$CL1_6"
	echo "# hosts map populated by: $HOW (IPv6 record: bpftool);" \
		"cl1 $(host_os "$CL1"), cl2 $(host_os "$CL2")"
}

# counters of marked packets: an nft chain and an iptables rule
fixture_counters() {
	need hosts || return 1
	in_srv nft -f - <<EOF || return 1
table inet osp$ID {
	chain input {
		type filter hook input priority 10; policy accept;
		meta mark $MARK counter comment "marked"
	}
}
EOF
	on_exit "in_srv nft delete table inet osp$ID"
	in_srv iptables -A INPUT -m mark --mark "$MARK" -m comment --comment marked ||
		return 1
	on_exit "in_srv iptables -D INPUT -m mark --mark $MARK -m comment --comment marked"
}

# ------------------------------------------------------------------ cases
test_attach_tc() {
	need tc || return
	pass attach_tc
	check_eq tc_filter_present 2 \
		"$( (in_srv tc filter show dev "os1$ID" ingress
			in_srv tc filter show dev "os2$ID" ingress) |
			grep -c 'osprey_policy_t')"
}

test_hosts_map() {
	need hosts || return
	check_eq "hosts_map_cl1_linux_$HOW" Linux "$(host_os "$CL1")"
	check_eq hosts_map_cl1_v6_linux Linux "$(host_os "$CL1_6")"
	if [ "$(host_os "$CL2")" != Linux ]; then pass "hosts_map_cl2_not_linux_$HOW"
	else
		failm "hosts_map_cl2_not_linux_$HOW" "cl2: expected not Linux, got Linux"
	fi
}

# Baseline: both clients reach the server.
test_baseline() {
	need hosts || return
	check_eq baseline_cl1 ok "$(ok_or_blocked "$NS_1" "$SRV1")"
	check_eq baseline_cl2 ok "$(ok_or_blocked "$NS_2" "$SRV2")"
	check_eq baseline_cl1_v6 ok "$(ok_or_blocked "$NS_1" "[$SRV1_6]")"
}

# A rule marking Linux marks cl1's packets, not cl2's.
test_mark() {
	local nft0 ipt0 nft1 ipt1 nft2 ipt2
	need counters || return
	# not-fuzzy: a Linux stack with odd settings (cl2) matches Linux only
	# fuzzily, and must not be caught.
	polq set --name Linux --mark "$MARK" --quality not-fuzzy
	check_eq list_shows_name "name:Linux mark=0x10 quality=not-fuzzy" \
		"$(pol list | grep 'name:Linux' | tr -s ' ')"

	nft0=$(nft_counter marked) ipt0=$(ipt_counter marked)
	connect "$NS_2" "$SRV2"
	nft1=$(nft_counter marked) ipt1=$(ipt_counter marked)
	echo "# mark counters before/after cl2: nft $nft0/$nft1 iptables $ipt0/$ipt1"
	if [ -z "$nft0$nft1" ] || [ -z "$ipt0$ipt1" ]; then
		failm read_counters "counter values: expected numbers, got" \
			"nft '$nft0' '$nft1' iptables '$ipt0' '$ipt1'"
	fi
	check_eq nft_cl2_not_marked "$nft0" "$nft1"
	check_eq ipt_cl2_not_marked "$ipt0" "$ipt1"
	connect "$NS_1" "$SRV1"
	nft2=$(nft_counter marked) ipt2=$(ipt_counter marked)
	if [ "${nft2:-0}" -gt "${nft1:-0}" ]; then pass nft_cl1_marked; else
		failm nft_cl1_marked "nft meta mark counter: expected > $nft1, got $nft2"
	fi
	if [ "${ipt2:-0}" -gt "${ipt1:-0}" ]; then pass ipt_cl1_marked; else
		failm ipt_cl1_marked "iptables -m mark counter: expected > $ipt1, got $ipt2"
	fi
}

# A fuzzy Linux match (cl2, when learned live) is marked once the rule
# accepts any quality.
test_quality_any() {
	local n0 n1
	need counters || return
	if [ "$(host_os "$CL2")" != "Linux~" ]; then
		skip quality_any_marks_fuzzy "cl2 is '$(host_os "$CL2")', not a fuzzy Linux match"
		return 0
	fi
	polq set --name Linux --mark "$MARK" --quality any
	n0=$(nft_counter marked)
	connect "$NS_2" "$SRV2"
	n1=$(nft_counter marked)
	if [ "${n1:-0}" -gt "${n0:-0}" ]; then pass quality_any_marks_fuzzy
	else
		failm quality_any_marks_fuzzy "nft counter: expected > $n0, got $n1"
	fi
	polq set --name Linux --mark "$MARK" --quality not-fuzzy
}

# nftables drops on the mark: cl1 blocked, cl2 passes, clear lets cl1 in.
test_nft_drop() {
	need counters || return
	polq set --name Linux --mark "$MARK" --quality not-fuzzy || return
	in_srv nft add rule inet "osp$ID" input meta mark "$MARK" \
		tcp flags \& \(syn \| ack\) == syn counter drop comment \"dropsyn\"
	check_eq nft_drop_cl1_blocked blocked "$(ok_or_blocked "$NS_1" "$SRV1")"
	check_eq nft_drop_cl2_passes ok "$(ok_or_blocked "$NS_2" "$SRV2")"
	polq clear --name Linux
	check_eq nft_drop_cleared_cl1_ok ok "$(ok_or_blocked "$NS_1" "$SRV1")"
	nft_del_rule dropsyn
}

# iptables -m bpf on the pinned match program
test_ipt_bpf() {
	local d
	need hosts || return
	polq set --name Linux --match --quality not-fuzzy
	polq pin-ipt
	if ! in_srv iptables -I INPUT -p tcp --syn -m bpf --object-pinned \
		"$PIN/policy_ipt" -m comment --comment bpfdrop -j DROP; then
		failm ipt_bpf_rule "iptables -m bpf --object-pinned was refused"
		return 1
	fi
	on_exit "in_srv iptables -D INPUT -p tcp --syn -m bpf --object-pinned $PIN/policy_ipt -m comment --comment bpfdrop -j DROP"
	check_eq ipt_bpf_cl1_blocked blocked "$(ok_or_blocked "$NS_1" "$SRV1")"
	check_eq ipt_bpf_cl2_passes ok "$(ok_or_blocked "$NS_2" "$SRV2")"
	d=$(ipt_counter bpfdrop)
	if [ "${d:-0}" -gt 0 ]; then pass ipt_bpf_drop_counted; else
		failm ipt_bpf_drop_counted "DROP rule packets: expected > 0, got $d"
	fi
	polq clear --name Linux
	check_eq ipt_bpf_cleared_cl1_ok ok "$(ok_or_blocked "$NS_1" "$SRV1")"
}

# the same with ip6tables (attach-tc pinned the match program)
test_ip6t_bpf() {
	need hosts || return
	polq set --name Linux --match --quality not-fuzzy
	if ! in_srv ip6tables -I INPUT -p tcp --syn -m bpf --object-pinned \
		"$PIN/policy_ipt" -m comment --comment bpfdrop6 -j DROP; then
		failm ip6t_bpf_rule "ip6tables -m bpf --object-pinned was refused"
		return 1
	fi
	on_exit "in_srv ip6tables -D INPUT -p tcp --syn -m bpf --object-pinned $PIN/policy_ipt -m comment --comment bpfdrop6 -j DROP"
	check_eq ip6t_bpf_cl1_blocked blocked \
		"$(ok_or_blocked "$NS_1" "[$SRV1_6]")"
	check_eq ip6t_bpf_cl2_passes ok "$(ok_or_blocked "$NS_2" "[$SRV2_6]")"
	polq clear --name Linux
	check_eq ip6t_bpf_cleared_cl1_ok ok \
		"$(ok_or_blocked "$NS_1" "[$SRV1_6]")"
}

# detach-tc removes the classifier; a second detach and a bad set fail
test_detach() {
	need tc || return
	pol detach-tc "os1$ID" >/dev/null 2>&1
	check_eq detach_tc_status 0 "$?"
	check_eq detach_tc_gone 0 "$(in_srv tc filter show dev "os1$ID" ingress |
		grep -c osprey_policy_t)"
	check_eq detach_again_status 1 "$(pol detach-tc "os1$ID" >/dev/null 2>&1; echo $?)"
	check_eq usage_status 2 "$(pol set --name Linux >/dev/null 2>&1; echo $?)"
	forget tc # os1 has no classifier now: a later case attaches again
}

# `policy set` adds actions to a rule; --replace replaces it; names are
# the database's, matched without regard to case.
test_set_merge() {
	need tc || return
	polq clear --all
	polq set --name Linux --mark 0x10
	polq set --name linux --match
	check_eq set_adds_actions "name:Linux mark=0x10 match quality=any" \
		"$(pol list | tr -s ' ')"
	polq set --name LINUX --drop-syn --replace
	check_eq set_replace "name:Linux drop-syn quality=any" \
		"$(pol list | tr -s ' ')"
	polq clear --name linux
	check_eq clear_any_case "" "$(pol list)"
}

# Selectors the database does not know are refused, naming what it has.
test_bad_selector() {
	local out rc classes
	need tc || return
	classes=$(sed -n 's/^classes *= *//p' "$DB" | sed 's/,/, /g')
	out=$(pol set --class nosuchclass --mark 1 2>&1)
	rc=$?
	check_eq bad_class_status 2 "$rc"
	check_eq bad_class_message \
		"osprey policy: set: class 'nosuchclass' is not in the signature database (classes: $classes)" \
		"$out"
	out=$(pol set --name Lunix --mark 1 2>&1)
	check_eq bad_name_status 2 "$?"
	case $out in
	*"name 'Lunix' is not in the signature database (names: "*)
		pass bad_name_message ;;
	*) failm bad_name_message "got: $out" ;;
	esac
	check_eq bad_selector_no_rule "" "$(pol list)"
	printf 'policy = class:nosuchclass mark=1\n' >"$TMPP/bad.conf"
	check_eq bad_config_rule_status 2 \
		"$(pol load --config "$TMPP/bad.conf" >/dev/null 2>&1; echo $?)"
}

# The config file's rules replace the rule set: a rule deleted from it
# stops acting after `policy load`, after a daemon restart, and after
# SIGHUP to a running daemon (a bad rule there keeps the rules in force).
test_config_truth() {
	local conf=$TMPP/osprey.conf n0 n1 n2 out
	need counters || return
	printf 'pin_dir = %s\npolicy = name:Linux mark=%s\n' "$PIN" "$MARK" >"$conf"
	polq load --config "$conf"
	n0=$(nft_counter marked)
	connect "$NS_1" "$SRV1"
	n1=$(nft_counter marked)
	if [ "${n1:-0}" -gt "${n0:-0}" ]; then pass config_rule_acts; else
		failm config_rule_acts "nft counter: expected > $n0, got $n1"
	fi
	# the Linux rule leaves the file: it must stop marking
	printf 'pin_dir = %s\npolicy = class:win mark=%s\n' "$PIN" "$MARK" >"$conf"
	polq load --config "$conf"
	check_eq config_load_replaces "class:win mark=0x10 quality=any" \
		"$(pol list | tr -s ' ')"
	connect "$NS_1" "$SRV1"
	n2=$(nft_counter marked)
	check_eq config_deleted_rule_stops "$n1" "$n2"
	# a daemon started with a config file without rules: none remain
	printf 'pin_dir = %s\ninterface = os1%s\n' "$PIN" "$ID" >"$conf"
	# nsenter execs osprey: $! is its own pid
	nsenter --net="/run/netns/$NS_S" "$OSPREY" --config "$conf" -d \
		-o "$TMPP/log" -f "$DB" >/dev/null 2>"$TMPP/err" &
	local dpid=$! i
	track_pid $dpid
	for i in $(seq 100); do grep -q attached "$TMPP/err" && break; sleep 0.1; done
	out=$(pol list)
	check_eq restart_clears_deleted_rules "" "$out"
	# SIGHUP (systemctl reload): the file's rules are the rule set again
	printf 'pin_dir = %s\ninterface = os1%s\npolicy = class:win mark=%s\n' \
		"$PIN" "$ID" "$MARK" >"$conf"
	kill -HUP $dpid
	for i in $(seq 30); do
		out=$(pol list | tr -s ' ')
		[ -n "$out" ] && break
		sleep 0.1
	done
	check_eq sighup_applies_rules "class:win mark=0x10 quality=any" "$out"
	# a rule that does not check: the rules in force stay, and it says why
	printf 'pin_dir = %s\ninterface = os1%s\npolicy = class:nosuch mark=%s\n' \
		"$PIN" "$ID" "$MARK" >"$conf"
	kill -HUP $dpid
	for i in $(seq 30); do
		grep -q 'reload: policy' "$TMPP/err" && break
		sleep 0.1
	done
	if grep -q 'reload: policy.*keeping the rules in force' "$TMPP/err"; then
		pass sighup_bad_rule_reported
	else
		failm sighup_bad_rule_reported "no 'reload: policy ... keeping'" \
			"line: $(tail -3 "$TMPP/err" | tr '\n' ' ')"
	fi
	check_eq sighup_bad_rule_keeps_rules "class:win mark=0x10 quality=any" \
		"$(pol list | tr -s ' ')"
	if alive $dpid; then pass sighup_daemon_alive; else
		failm sighup_daemon_alive "the daemon exited after SIGHUP"
	fi
	kill $dpid; wait $dpid 2>/dev/null
}

ALL_TESTS=(attach_tc hosts_map baseline mark quality_any nft_drop ipt_bpf
	ip6t_bpf set_merge bad_selector config_truth detach)
run_tests "$@"
