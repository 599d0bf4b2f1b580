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

pass() { echo "PASS: $SUITE/$1"; }
fail() { # NAME WHAT...: the words after NAME make the message
	local n=$1
	shift
	echo "FAIL: $SUITE/$n: $*"
	T_FAILED=1
}
skip() { echo "SKIPPED: $SUITE/$1: $2"; }

# check NAME EXPECTED ACTUAL: equality with both values on failure
check_eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "expected '$2', got '$3'"; fi
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
