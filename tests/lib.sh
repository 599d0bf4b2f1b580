# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers for shell test scripts.  Source it; then:
#   pass NAME | fail NAME "what: expected X, got Y" | skip NAME "reason"
#   (fail joins any further words into its message)
#   on_exit "command"   -- registered cleanups run in reverse order on exit,
#                          also when the test fails or is interrupted.
#   track_pid PID       -- the process is killed (by PID) at exit.
# tests/run.sh counts the PASS:/FAIL:/SKIPPED: lines.

TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
OUTPUT=${OUTPUT:-$TOP/.output}
OSPREY=${OSPREY:-$OUTPUT/osprey}
SHARED=${SHARED:-$TOP/../shared}
SUITE=${SUITE:-$(basename "$0" .sh)}
T_FAILED=0

T_NFAIL=0 T_NLINES=0 # FAIL lines and all result lines so far (run_tests)
pass() { echo "PASS: $SUITE/$1"; T_NLINES=$((T_NLINES + 1)); }
fail() { # NAME WHAT...: the words after NAME make the message
	local n=$1
	shift
	echo "FAIL: $SUITE/$n: $*"
	T_FAILED=1 T_NFAIL=$((T_NFAIL + 1)) T_NLINES=$((T_NLINES + 1))
}
skip() { echo "SKIPPED: $SUITE/$1: $2"; T_NLINES=$((T_NLINES + 1)); }

# check NAME EXPECTED ACTUAL: equality with both values on failure
check_eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "expected '$2', got '$3'"; fi
}

# check_json NAME KIND FILE: every line of FILE is a valid KIND record
# (event, lookup, stats) of tools/osprey.schema.json (tests/schema_check.py,
# Debian's python3-jsonschema; SKIPPED without it).
check_json() {
	local py out
	py=$(command -v /usr/bin/python3 || command -v python3)
	if ! "$py" -c 'import jsonschema' 2>/dev/null; then
		skip "$1" "python3-jsonschema not installed"
		return 0
	fi
	if out=$("$py" "$TOP/tests/schema_check.py" --kind "$2" "$3" 2>&1); then
		pass "$1"
	else
		fail "$1" "schema: $(echo "$out" | head -4 | tr '\n' ' ')"
	fi
}

_cleanups=()
on_exit() { _cleanups+=("$1"); }
track_pid() { on_exit "kill $1 2>/dev/null; wait $1 2>/dev/null"; }
_run_cleanups() {
	local i
	for ((i = ${#_cleanups[@]} - 1; i >= 0; i--)); do
		eval "${_cleanups[$i]}" >/dev/null 2>&1 || true
	done
	_cleanups=()
}
trap _run_cleanups EXIT
trap 'exit 130' INT TERM

need_root() {
	[ "$(id -u)" -eq 0 ] || { skip "${1:-all}" "needs root"; exit 0; }
}

# Unique short names for namespaces and links of this run.
T_ID=${T_ID:-$$}

# in_ns NS CMD...: run CMD in network namespace NS.  nsenter, not `ip
# netns exec`: that remounts /sys and would hide bpffs.
in_ns() { local ns=$1; shift; nsenter --net=/run/netns/$ns "$@"; }
# alive PID: running and not a zombie waiting to be reaped
alive() {
	local s
	s=$(ps -o stat= -p "$1" 2>/dev/null)
	[ -n "$s" ] && [ "${s#Z}" = "$s" ]
}
# stop PID: SIGTERM, wait up to 10 s
stop() {
	local n
	kill -TERM "$1" 2>/dev/null
	for n in $(seq 100); do alive "$1" || break; sleep 0.1; done
	wait "$1" 2>/dev/null
}

# need_tools T...: skip the whole script when a tool is missing.
need_tools() {
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null || { skip all "$t not installed"; exit 0; }
	done
}

# private_osprey DIR: run a private copy of the binary, since the build tree
# may be relinked mid-test; DIR/db lets it find db/osprey.fp beside itself
# as the built one does.  Sets OSPREY.
private_osprey() {
	[ -x "$OSPREY" ] || { skip all "$OSPREY not built"; exit 0; }
	mkdir -p "$1/bin" && cp "$OSPREY" "$1/bin/osprey" &&
		chmod 0755 "$1/bin/osprey" && ln -sfn "$TOP/db" "$1/db" ||
		{ fail setup "copy $OSPREY"; exit 1; }
	OSPREY=$1/bin/osprey
}

# mount_bpffs: mount bpffs at /sys/fs/bpf (as systemd does) unless it is
# there; tests/run.sh does the same before the bpf and integration tiers.
# need_bpffs: skip the whole script when that fails.
mount_bpffs() {
	findmnt -n -t bpf -M /sys/fs/bpf >/dev/null 2>&1 ||
		mount -t bpf -o mode=0700 bpf /sys/fs/bpf
}
need_bpffs() { mount_bpffs || { skip all "cannot mount bpffs"; exit 0; }; }
# keep_bpffs_mode: /sys/fs/bpf's mode now is put back at exit (a daemon
# run with --group may open it for searching)
keep_bpffs_mode() { on_exit "chmod $(stat -c %a /sys/fs/bpf) /sys/fs/bpf"; }

# ------------------------------------------------- two namespaces, a veth
# netns_pair NS_D NS_C DEV_D DEV_C ADDR_D ADDR_C [MORE_C...]: namespaces
# NS_D and NS_C joined by a veth (DEV_D in NS_D with ADDR_D/24, DEV_C in
# NS_C with ADDR_C/24 and any more addresses), lo up in NS_D; both
# namespaces are removed at exit.  0, or 1 after a FAIL line.
netns_pair() {
	local nd=$1 nc=$2 dd=$3 dc=$4 a
	shift 4
	on_exit "ip netns del $nd"
	on_exit "ip netns del $nc"
	ip netns add "$nd" && ip netns add "$nc" &&
		ip link add "$dd" netns "$nd" type veth peer name "$dc" \
			netns "$nc" &&
		ip -n "$nd" addr add "$1/24" dev "$dd" || {
		fail setup "namespaces and veth $dd/$dc"
		return 1
	}
	shift
	for a in "$@"; do
		ip -n "$nc" addr add "$a/24" dev "$dc" || {
			fail setup "address $a"
			return 1
		}
	done
	ip -n "$nd" link set lo up && ip -n "$nd" link set "$dd" up &&
		ip -n "$nc" link set "$dc" up || {
		fail setup "links up"
		return 1
	}
}

# tcp_sink NS PORT: a listener in NS that accepts and closes every
# connection (killed at exit).  nsenter execs python: $! is its pid.
tcp_sink() {
	nsenter --net="/run/netns/$1" "$(command -v /usr/bin/python3 ||
		command -v python3)" -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", int(sys.argv[1]))); s.listen(64)
while True:
    c, _ = s.accept(); c.close()
' "$2" >/dev/null 2>&1 &
	track_pid $!
}

# tcp_connect NS ADDR PORT [FROM]: one TCP connection from NS (0 if it
# was accepted within 3 s).
tcp_connect() {
	nsenter --net="/run/netns/$1" "$(command -v /usr/bin/python3 ||
		command -v python3)" -c '
import socket, sys
s = socket.socket(); s.settimeout(3)
if len(sys.argv) > 3:
    s.bind((sys.argv[3], 0))
s.connect((sys.argv[1], int(sys.argv[2]))); s.close()' "$2" "$3" ${4:+"$4"}
}

# mac_of NS DEV: the MAC address of DEV in network namespace NS
mac_of() {
	ip -n "$1" -o link show "$2" | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p'
}

# wait_for FILE PATTERN [TENTHS]: until FILE has a line matching PATTERN
# (grep), at most TENTHS tenths of a second (default 50); status 0 if so.
wait_for() {
	local n
	for n in $(seq "${3:-50}"); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# osprey_stats PIN KEY...: those kernel or daemon counters of
# `osprey stats --json --pin-dir PIN`, space-separated ("?" if absent).
osprey_stats() {
	local pin=$1
	shift
	"$OSPREY" stats --json --pin-dir "$pin" | python3 -c '
import json, sys
d = json.load(sys.stdin)
k, m = d.get("kernel") or {}, d.get("daemon") or {}
print(" ".join(str(k.get(a, m.get(a, "?"))) for a in sys.argv[1:]))' "$@"
}

# netns3 TAG NET4 [NET6]: three namespaces joined by two veths, a router
# between a client and a server, removed at exit:
#   $NS_C (c$TAG$T_ID NET4.1.2) -- ($RC NET4.1.1) $NS_R ($RS NET4.2.1)
#     -- (s$TAG$T_ID NET4.2.2) $NS_S
# with NET6:1::2 ... NET6:2::2 too when NET6 (e.g. fd42) is given, routes
# through the router and forwarding on.  Sets NS_C NS_R NS_S RC RS.
netns3() {
	local tag=$1 n4=$2 n6=${3:-} ns n
	NS_C=o${tag}C$T_ID NS_R=o${tag}R$T_ID NS_S=o${tag}S$T_ID
	RC=${tag}c$T_ID RS=${tag}s$T_ID
	on_exit "ip netns del $NS_C"
	on_exit "ip netns del $NS_R"
	on_exit "ip netns del $NS_S"
	ip netns add "$NS_C" && ip netns add "$NS_R" && ip netns add "$NS_S" &&
		ip link add "c$tag$T_ID" netns "$NS_C" type veth peer name "$RC" netns "$NS_R" &&
		ip link add "s$tag$T_ID" netns "$NS_S" type veth peer name "$RS" netns "$NS_R" ||
		return 1
	in_ns "$NS_C" ip addr add "$n4.1.2/24" dev "c$tag$T_ID" &&
		in_ns "$NS_R" ip addr add "$n4.1.1/24" dev "$RC" &&
		in_ns "$NS_R" ip addr add "$n4.2.1/24" dev "$RS" &&
		in_ns "$NS_S" ip addr add "$n4.2.2/24" dev "s$tag$T_ID" || return 1
	if [ -n "$n6" ]; then
		in_ns "$NS_C" ip addr add "$n6:1::2/64" dev "c$tag$T_ID" nodad &&
			in_ns "$NS_R" ip addr add "$n6:1::1/64" dev "$RC" nodad &&
			in_ns "$NS_R" ip addr add "$n6:2::1/64" dev "$RS" nodad &&
			in_ns "$NS_S" ip addr add "$n6:2::2/64" dev "s$tag$T_ID" nodad ||
			return 1
	fi
	for ns in "$NS_C" "$NS_R" "$NS_S"; do in_ns "$ns" ip link set lo up; done
	in_ns "$NS_C" ip link set "c$tag$T_ID" up &&
		in_ns "$NS_S" ip link set "s$tag$T_ID" up &&
		in_ns "$NS_R" ip link set "$RC" up && in_ns "$NS_R" ip link set "$RS" up &&
		in_ns "$NS_C" ip route add default via "$n4.1.1" &&
		in_ns "$NS_S" ip route add default via "$n4.2.1" || return 1
	in_ns "$NS_R" sysctl -qw net.ipv4.ip_forward=1 || return 1
	[ -n "$n6" ] || return 0
	in_ns "$NS_C" ip -6 route add default via "$n6:1::1" &&
		in_ns "$NS_S" ip -6 route add default via "$n6:2::1" &&
		in_ns "$NS_R" sysctl -qw net.ipv6.conf.all.forwarding=1 || return 1
	for n in $(seq 50); do # IPv6 neighbour discovery waits for DAD
		[ -z "$(in_ns "$NS_R" ip -6 addr show tentative)" ] &&
			[ -z "$(in_ns "$NS_C" ip -6 addr show tentative)" ] &&
			[ -z "$(in_ns "$NS_S" ip -6 addr show tentative)" ] && return 0
		sleep 0.1
	done
}

# ------------------------------------------------------------ test cases
# A script made of named cases (the xdp-tools test_runner idea): each case
# is a function test_NAME that checks with pass/fail/check_eq; the script
# lists them in order in ALL_TESTS and ends with `run_tests "$@"`:
#   script.sh            every case, in order
#   script.sh NAME...    only these cases (each with the setup it needs)
# Shared setup lives in functions fixture_NAME; a case calls `need NAME...`
# and each fixture runs once per script run, the first time a case needs
# it (its cleanups, registered with on_exit, run at exit).  `forget NAME`
# makes the next `need NAME` run the fixture again (after a case undid it).
# A fixture reports its own failure (fail) and returns non-zero; cases
# needing it later are SKIPPED, naming it.  A case that ends non-zero
# without a FAIL line, or that reported nothing, gets a FAIL line.
_fixtures_ok=" " _fixtures_failed=" "
need() {
	local f nfail
	for f in "$@"; do
		[[ $_fixtures_ok == *" $f "* ]] && continue
		if [[ $_fixtures_failed == *" $f "* ]]; then
			skip "$T_CASE" "its setup '$f' failed"
			return 77
		fi
		nfail=$T_NFAIL
		if ! "fixture_$f"; then
			_fixtures_failed+="$f "
			[ "$T_NFAIL" -gt "$nfail" ] ||
				fail "setup_$f" "fixture_$f failed"
			return 77
		fi
		_fixtures_ok+="$f "
	done
}
forget() { _fixtures_ok=${_fixtures_ok/ $1 / }; }

run_tests() {
	local t rc lines
	[ $# -gt 0 ] || set -- "${ALL_TESTS[@]}"
	for t in "$@"; do
		declare -F "test_$t" >/dev/null && continue
		echo "usage: $0 [CASE...]; cases: ${ALL_TESTS[*]}" >&2
		exit 2
	done
	for t in "$@"; do
		T_CASE=$t _case_nfail=$T_NFAIL lines=$T_NLINES
		"test_$t"
		rc=$?
		if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ] &&
			[ "$T_NFAIL" -eq "$_case_nfail" ]; then
			fail "$t" "case ended with status $rc"
		elif [ "$T_NLINES" -eq "$lines" ]; then
			fail "$t" "case reported nothing"
		fi
	done
	exit "$T_FAILED"
}
