#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The daemon's files and messages as a service has them:
#   - with -u USER, the -o log is created owned by USER, and after a
#     logrotate-style move SIGHUP makes USER's daemon create the next one
#     (owned by USER) and write new observations there
#   - with stderr being the journal's stream (JOURNAL_STREAM=DEV:INO of
#     stderr, as systemd sets it), every line starts with its sd-daemon
#     priority: <3> for an error, <6> for info; a JOURNAL_STREAM that is
#     not our stderr adds nothing
# SYNs come from tools/synflood (one at a time) over a veth pair.
set -u
. "$(dirname "$0")/../lib.sh"
failm() { local n=$1; shift; fail "$n" "$*"; }
need_root log_journal

ID=$T_ID
NS=ojN$ID VE=lj$ID
PIN=/sys/fs/bpf/osprey-lj-$ID
TMPD=$(mktemp -d /tmp/osprey-lj.XXXXXX)
on_exit "rm -rf $TMPD"
on_exit "rm -rf $PIN"
chmod 755 "$TMPD"
FLOOD=$OUTPUT/tools/synflood
USR=nobody
UID_N=$(id -u $USR 2>/dev/null) || { skip all "no user $USR"; exit 0; }

need_tools ip nsenter stat
[ -x "$FLOOD" ] || { skip all "$FLOOD not built"; exit 0; }
private_osprey "$TMPD"
need_bpffs

on_exit "ip netns del $NS"
ip netns add "$NS" &&
	ip -n "$NS" link add "$VE" type veth peer name "p$VE" &&
	ip -n "$NS" link set "$VE" up && ip -n "$NS" link set "p$VE" up ||
	{ failm setup "namespace with a veth"; exit 1; }
MAC=$(mac_of "$NS" "$VE")
# one SYN from SRC into the monitored veth
syn_from() {
	nsenter --net=/run/netns/$NS "$FLOOD" -i "p$VE" -d "$MAC" \
		-t 10.251.0.1 -s "$1" -n 1 >/dev/null
}

# ------------------------------------------------------------ -u and -o
mkdir -m 0755 "$TMPD/logs" && chown $USR "$TMPD/logs"
nsenter --net=/run/netns/$NS "$OSPREY" -i "$VE" --pin-dir "$PIN" -u $USR \
	-o "$TMPD/logs/o.log" >/dev/null 2>"$TMPD/u.err" &
OPID=$!
track_pid $OPID
wait_for "$TMPD/u.err" "attached in" ||
	failm user_start "$(tr '\n' ' ' <"$TMPD/u.err")"
check_eq log_owned_by_user "$USR 600" "$(stat -c '%U %a' "$TMPD/logs/o.log")"
syn_from 10.64.7.1
if wait_for "$TMPD/logs/o.log" "mod=syn|cli=10.64.7.1/"; then
	pass log_written
else
	failm log_written "no syn line for 10.64.7.1"
fi
mv "$TMPD/logs/o.log" "$TMPD/logs/o.log.1"
kill -HUP $OPID
sleep 0.3
syn_from 10.64.7.2
if wait_for "$TMPD/logs/o.log" "mod=syn|cli=10.64.7.2/" &&
	[ "$(stat -c %U "$TMPD/logs/o.log")" = $USR ] && kill -0 $OPID; then
	pass sighup_after_rotation_as_user
else
	failm sighup_after_rotation_as_user "new log: $(stat -c '%U %a' "$TMPD/logs/o.log" 2>&1)," \
		"lines: $(grep -c mod=syn "$TMPD/logs/o.log" 2>/dev/null), stderr: $(tr '\n' ' ' <"$TMPD/u.err")"
fi
if grep -q "cannot reopen" "$TMPD/u.err"; then
	failm sighup_no_warning "$(tr '\n' ' ' <"$TMPD/u.err")"
else
	pass sighup_no_warning
fi
kill -TERM $OPID
{ wait $OPID; } 2>/dev/null
check_eq user_sigterm_status 0 $?

# ------------------------------------------------------------ journal
# journal_run TAG CMD...: CMD with stderr into TAG.err and JOURNAL_STREAM
# naming that file; JS overrides the value
journal_run() {
	local tag=$1
	shift
	: >"$TMPD/$tag.err"
	JOURNAL_STREAM=${JS:-$(stat -c '%d:%i' "$TMPD/$tag.err")} \
		timeout 10 "$@" 2>>"$TMPD/$tag.err" >/dev/null
}
journal_run jerr "$OSPREY" -i "nosuch$ID" --pin-dir "$PIN"
check_eq journal_error_prio "<3>osprey: nosuch$ID: no such interface" \
	"$(head -1 "$TMPD/jerr.err")"
JS=1:1 journal_run jother "$OSPREY" -i "nosuch$ID" --pin-dir "$PIN"
check_eq journal_stream_not_ours "osprey: nosuch$ID: no such interface" \
	"$(head -1 "$TMPD/jother.err")"

: >"$TMPD/jok.err"
JOURNAL_STREAM=$(stat -c '%d:%i' "$TMPD/jok.err") \
	nsenter --net=/run/netns/$NS "$OSPREY" -i "$VE" --pin-dir "$PIN" \
	-o "$TMPD/j.log" >/dev/null 2>>"$TMPD/jok.err" &
OPID=$!
track_pid $OPID
wait_for "$TMPD/jok.err" "attached in"
kill -TERM $OPID
{ wait $OPID; } 2>/dev/null
bad=$(grep -cv '^<[3467]>osprey: ' "$TMPD/jok.err")
if grep -q "^<6>osprey: $VE: attached in" "$TMPD/jok.err" && [ "$bad" = 0 ]; then
	pass journal_info_prio
else
	failm journal_info_prio "$(tr '\n' '|' <"$TMPD/jok.err")"
fi
exit $T_FAILED
