#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# osprey beside another XDP program on one interface: xdp-filter from
# Debian's xdp-tools, which loads through libxdp as osprey does.
#   - xdp-filter first, then osprey: both attached, traffic fingerprinted;
#     osprey stops, xdp-filter is still attached
#   - osprey first, then xdp-filter: the same the other way round
#   - SIGKILL leaves osprey's program in libxdp's dispatcher (libxdp pins
#     it); the next start takes it out: one osprey program, not two
#   - --xdp-link: a plain bpf_link, exclusive, as before libxdp
# On a kernel that cannot run libxdp's dispatcher (freplace refused),
# xdp-filter itself falls back to a program alone; then the cases check
# the fallback instead: osprey attaches by a plain link on a free
# interface, refuses clearly (and leaves xdp-filter alone) on a taken one,
# and keeps capturing when xdp-filter is refused; the sharing checks are
# SKIPPED, naming the reason.
set -u
. "$(dirname "$0")/../lib.sh"
failm() { local n=$1; shift; fail "$n" "$*"; }
PY=$(command -v /usr/bin/python3 || command -v python3)
need_root xdp_share

ID=$T_ID
NS_D=oxsD$ID NS_C=oxsC$ID
DEV=xd$ID
PIN=/sys/fs/bpf/osprey-xs-$ID
SRV=10.246.0.1 CLI=10.246.0.2 PORT=8085

need_tools ip nsenter python3 xdp-filter xdp-loader
TMPD=$(mktemp -d /tmp/osprey-xs.XXXXXX)
on_exit "rm -rf $TMPD"
private_osprey "$TMPD"
need_bpffs
on_exit "rm -rf $PIN"
# libxdp and xdp-filter leave their (empty) state directories in bpffs:
# remove the ones this test made, once everything is unloaded (cleanups
# run last first: the subdirectory goes before its parent)
for d in /sys/fs/bpf/xdp /sys/fs/bpf/xdp-filter /sys/fs/bpf/xdp-filter/programs; do
	[ -e "$d" ] || on_exit "rmdir $d"
done

in_d() { nsenter --net=/run/netns/$NS_D "$@"; }
netns_pair "$NS_D" "$NS_C" "$DEV" "c$ID" $SRV $CLI || exit 1
# whatever a failure left on the interface, libxdp's pins included
on_exit "in_d xdp-loader unload $DEV --all"
on_exit "in_d xdp-filter unload $DEV"
tcp_sink "$NS_D" $PORT
connect() { tcp_connect "$NS_C" $SRV $PORT; }
# fingerprinted: a new connection's SYN reaches the running daemon's log
counted() {
	local log=$TMPD/$TAG.log before n
	before=$(grep -c "mod=syn|cli=$CLI/" "$log" 2>/dev/null)
	connect
	for n in $(seq 30); do
		[ "$(grep -c "mod=syn|cli=$CLI/" "$log" 2>/dev/null)" -gt \
			"${before:-0}" ] && return 0
		sleep 0.1
	done
	return 1
}
# programs on the interface as xdp-loader lists them
progs() { in_d xdp-loader status "$DEV" 2>/dev/null |
	awk -v d="$DEV" '$1 == d || $1 == "=>" { print ($1 == "=>" ? $3 : $2) }' |
	sort | tr '\n' ' '; }
has() { case " $(progs)" in *" $1"*) return 0 ;; esac; return 1; }
nothing_attached() { ! in_d ip link show "$DEV" | grep -q xdp; }

# start_osprey TAG [ARGS]: 0 once attached; 1 if it exited (OPID, TAG.err)
start_osprey() {
	local tag=$1 n
	shift
	TAG=$tag
	# nsenter execs osprey: $! is osprey's own pid
	nsenter --net=/run/netns/$NS_D "$OSPREY" -i "$DEV" --pin-dir "$PIN" \
		-d -o "$TMPD/$tag.log" "$@" 2>"$TMPD/$tag.err" &
	OPID=$!
	track_pid $OPID
	for n in $(seq 100); do
		grep -q 'attached in' "$TMPD/$tag.err" && return 0
		kill -0 $OPID 2>/dev/null || break
		sleep 0.1
	done
	{ wait $OPID; } 2>/dev/null
	START_RC=$?
	return 1
}
stop_osprey() { kill -"${1:-TERM}" $OPID; { wait $OPID; } 2>/dev/null; }
filter_load() { in_d xdp-filter load "$DEV" >"$TMPD/filter.out" 2>&1; }
filter_unload() { in_d xdp-filter unload "$DEV" >/dev/null 2>&1; }

# Can this kernel run libxdp's dispatcher?  xdp-filter tells: with it, a
# dispatcher heads the interface's program list.
DISPATCH=0
if in_d xdp-filter load -v "$DEV" >"$TMPD/filter.out" 2>&1 &&
	in_d xdp-loader status "$DEV" 2>/dev/null | grep -q xdp_dispatcher; then
	DISPATCH=1
fi
WHY=$(grep -o 'Compatibility check for dispatcher program failed: .*' \
	"$TMPD/filter.out" | head -1)
filter_unload
echo "# libxdp dispatcher on $(uname -r): $([ $DISPATCH = 1 ] && echo yes || echo "no (${WHY:-xdp-filter loaded alone})")"
no_dispatcher() { skip "$1" "this kernel cannot run libxdp's dispatcher (${WHY:-freplace refused}); the fallback is checked instead"; }

# ------------------------------------------------------------------ cases
test_filter_first() {
	filter_load || { failm filter_first "xdp-filter load: $(tail -1 "$TMPD/filter.out")"; return 1; }
	if [ $DISPATCH = 0 ]; then
		no_dispatcher filter_first_shared
		if start_osprey ff0; then
			failm filter_first_refused "osprey attached over xdp-filter's program"
			stop_osprey
		else
			check_eq filter_first_refused_status 1 "$START_RC"
			case $(cat "$TMPD/ff0.err") in
			*"another XDP program is attached"*) pass filter_first_refused_message ;;
			*) failm filter_first_refused_message "$(tr '\n' ' ' <"$TMPD/ff0.err")" ;;
			esac
		fi
		if has xdpfilt; then pass filter_first_filter_kept; else
			failm filter_first_filter_kept "programs: $(progs)"; fi
		filter_unload
		return 0
	fi
	if ! start_osprey ff; then
		failm filter_first_attach "$(tr '\n' ' ' <"$TMPD/ff.err")"
		filter_unload
		return 1
	fi
	if grep -q 'libxdp dispatcher' "$TMPD/ff.err" && has osprey_capture &&
		has xdpfilt; then pass filter_first_both_attached
	else failm filter_first_both_attached "programs: $(progs)"; fi
	if counted; then pass filter_first_fingerprinted; else
		failm filter_first_fingerprinted "no new connection for $CLI"; fi
	stop_osprey
	if has xdpfilt && ! has osprey_capture; then pass filter_first_filter_stays
	else failm filter_first_filter_stays "after osprey stopped: $(progs)"; fi
	filter_unload
}

test_osprey_first() {
	if ! start_osprey of; then
		failm osprey_first_attach "$(tr '\n' ' ' <"$TMPD/of.err")"
		return 1
	fi
	if [ $DISPATCH = 0 ]; then
		no_dispatcher osprey_first_shared
		if grep -q 'plain link' "$TMPD/of.err"; then
			pass osprey_first_plain_link_fallback
		else
			failm osprey_first_plain_link_fallback "$(tr '\n' ' ' <"$TMPD/of.err")"
		fi
		if filter_load; then
			failm osprey_first_filter_refused "xdp-filter replaced osprey's link"
			filter_unload
		else
			pass osprey_first_filter_refused
		fi
		if counted; then pass osprey_first_still_capturing; else
			failm osprey_first_still_capturing "no new connection for $CLI"; fi
		stop_osprey
		if nothing_attached; then pass osprey_first_nothing_left; else
			failm osprey_first_nothing_left "$(in_d ip link show "$DEV" | tr '\n' ' ')"; fi
		return 0
	fi
	if ! filter_load; then
		failm osprey_first_filter_joins "xdp-filter load: $(tail -2 "$TMPD/filter.out" | tr '\n' ' ')"
		stop_osprey
		return 1
	fi
	if has osprey_capture && has xdpfilt; then pass osprey_first_both_attached
	else failm osprey_first_both_attached "programs: $(progs)"; fi
	if counted; then pass osprey_first_fingerprinted; else
		failm osprey_first_fingerprinted "no new connection for $CLI"; fi
	filter_unload
	if has osprey_capture && counted; then pass osprey_first_filter_gone_osprey_stays
	else failm osprey_first_filter_gone_osprey_stays "programs: $(progs)"; fi
	stop_osprey
	if nothing_attached; then pass osprey_first_nothing_left; else
		failm osprey_first_nothing_left "programs: $(progs)"; fi
}

test_sigkill() {
	local n
	if [ $DISPATCH = 0 ]; then
		no_dispatcher sigkill_stale_program_removed
		return 0
	fi
	start_osprey k1 || { failm sigkill_start "$(tr '\n' ' ' <"$TMPD/k1.err")"; return 1; }
	stop_osprey KILL
	if has osprey_capture; then pass sigkill_program_stays_pinned; else
		failm sigkill_program_stays_pinned "programs: $(progs)"; fi
	start_osprey k2 || { failm sigkill_restart "$(tr '\n' ' ' <"$TMPD/k2.err")"; return 1; }
	n=$(progs | tr ' ' '\n' | grep -c '^osprey_capture$')
	check_eq sigkill_restart_one_program 1 "$n"
	if counted; then pass sigkill_restart_fingerprints; else
		failm sigkill_restart_fingerprints "no new connection for $CLI"; fi
	stop_osprey
	if nothing_attached; then pass sigkill_nothing_left; else
		failm sigkill_nothing_left "programs: $(progs)"; fi
}

test_xdp_link() {
	start_osprey xl --xdp-link || { failm xdp_link_attach "$(tr '\n' ' ' <"$TMPD/xl.err")"; return 1; }
	if grep -q 'libxdp dispatcher' "$TMPD/xl.err"; then
		failm xdp_link_plain "$(tr '\n' ' ' <"$TMPD/xl.err")"
	else
		pass xdp_link_plain
	fi
	if filter_load; then
		failm xdp_link_exclusive "xdp-filter loaded beside a plain link"
		filter_unload
	else
		pass xdp_link_exclusive
	fi
	if counted; then pass xdp_link_capturing; else
		failm xdp_link_capturing "no new connection for $CLI"; fi
	stop_osprey KILL
	for n in $(seq 20); do nothing_attached && break; sleep 0.1; done
	if nothing_attached; then pass xdp_link_gone_with_process; else
		failm xdp_link_gone_with_process "$(in_d ip link show "$DEV" | tr '\n' ' ')"; fi
}

ALL_TESTS=(filter_first osprey_first sigkill xdp_link)
run_tests "$@"
