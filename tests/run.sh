#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Run test tiers and print one summary line:  N passed, N failed, N skipped
#   tests/run.sh [unit] [asan] [bpf] [integration] [parity] [tls]
# Every test prints PASS:/FAIL:/SKIPPED: lines; a test program that exits
# non-zero without printing a FAIL line is counted as one failure, and so
# is one that prints nothing at all.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
OUTPUT=${OUTPUT:-$TOP/.output}
export TOP OUTPUT
cd "$TOP"

passed=0 failed=0 skipped=0
LOG=$(mktemp /tmp/osprey-test.XXXXXX)
# libxdp keeps its state under /sys/fs/bpf/xdp and leaves the directory
# behind when the last program goes: removed at the end if the tests made
# it and it is empty (rmdir fails on anything in use)
XDP_STATE=/sys/fs/bpf/xdp
[ -e "$XDP_STATE" ] && XDP_STATE=
trap 'rm -f "$LOG"; [ -n "$XDP_STATE" ] && rmdir "$XDP_STATE" 2>/dev/null' EXIT

# run_one NAME CMD...: run, stream output, count its lines
run_one() {
	local name=$1 rc p f s
	shift
	"$@" >"$LOG" 2>&1 </dev/null
	rc=$?
	cat "$LOG"
	p=$(grep -c '^PASS: ' "$LOG")
	f=$(grep -c '^FAIL: ' "$LOG")
	s=$(grep -c '^SKIPPED: ' "$LOG")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL: $name: exited with status $rc"
		f=1
	elif [ "$rc" -eq 0 ] && [ $((p + f + s)) -eq 0 ]; then
		echo "FAIL: $name: ran no test case"
		f=1
	fi
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
}

skip_tier() { echo "SKIPPED: $1: $2"; skipped=$((skipped + 1)); }

have_bpf() {
	[ "$(id -u)" -eq 0 ] || { echo "needs root"; return 1; }
	[ -r /sys/kernel/btf/vmlinux ] || { echo "no kernel BTF"; return 1; }
	return 0
}

# On a machine that has just booted nothing may have mounted bpffs yet
# (systemd does; other inits may not): mount it where systemd would, as
# the daemon does, so the tests that pin find it.  Never over another mount.
mount_bpffs() {
	findmnt -n -t bpf -M /sys/fs/bpf >/dev/null 2>&1 && return 0
	if mount -t bpf -o mode=0700 bpf /sys/fs/bpf 2>/dev/null; then
		echo "# mounted bpffs at /sys/fs/bpf (it was not mounted)"
	else
		echo "# bpffs is not mounted at /sys/fs/bpf and mounting it failed"
	fi
}

tier_bins() { # tier dir: every built test_* binary
	local b
	for b in "$1"/test_*; do
		[ -x "$b" ] && echo "$b"
	done
}

run_tier() {
	local tier=$1 t why
	echo "== tier: $tier"
	case $tier in
	unit)
		for t in $(tier_bins "$OUTPUT/tests/unit"); do
			run_one "unit/$(basename "$t")" "$t"
		done ;;
	asan)
		for t in $(tier_bins "$OUTPUT/asan/tests/unit"); do
			ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
				run_one "asan/$(basename "$t")" "$t"
		done ;;
	bpf)
		if ! why=$(have_bpf); then skip_tier bpf "$why"; return; fi
		mount_bpffs
		for t in $(tier_bins "$OUTPUT/tests/bpf"); do
			run_one "bpf/$(basename "$t")" "$t"
		done ;;
	integration)
		if ! why=$(have_bpf); then skip_tier integration "$why"; return; fi
		mount_bpffs
		for t in tests/integration/test_*.sh; do
			[ -f "$t" ] || continue
			run_one "integration/$(basename "$t" .sh)" bash "$t"
		done ;;
	parity)
		for t in tests/parity/test_*.sh; do
			[ -f "$t" ] || continue
			run_one "parity/$(basename "$t" .sh)" bash "$t"
		done ;;
	tls)
		for t in tests/tls/test_*.sh; do
			[ -f "$t" ] || continue
			run_one "tls/$(basename "$t" .sh)" bash "$t"
		done ;;
	*)
		echo "run.sh: unknown tier '$tier'" >&2
		failed=$((failed + 1)) ;;
	esac
}

[ $# -gt 0 ] || set -- unit asan bpf integration parity tls
for tier in "$@"; do
	run_tier "$tier"
done

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
