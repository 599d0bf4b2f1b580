#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `make install` into a staging directory, and the logrotate snippet:
#   - the binary, database, JSON schema, man page, unit, example config
#     and /etc/logrotate.d/osprey land where they belong; a second install
#     keeps a locally edited config and logrotate snippet
#   - logrotate accepts the installed snippet (logrotate -d)
#   - a real rotation with the snippet's directives against a running
#     daemon's -o log: logrotate renames the file, its postrotate sends
#     SIGHUP (as the snippet's systemctl kill does), and the lines written
#     afterwards are in a new file, none lost
set -u
. "$(dirname "$0")/../lib.sh"
failm() { local n=$1; shift; fail "$n" "$*"; }
need_root install
need_tools make logrotate ip nsenter python3

ID=$T_ID
TMPD=$(mktemp -d /tmp/osprey-install.XXXXXX)
on_exit "rm -rf $TMPD"
DEST=$TMPD/root

# ----------------------------------------------------------- make install
test_install() {
	local f missing=""
	if ! make -s -C "$TOP" install DESTDIR="$DEST" >"$TMPD/make.out" 2>&1; then
		failm make_install "$(tail -3 "$TMPD/make.out" | tr '\n' ' ')"
		return 1
	fi
	for f in usr/local/sbin/osprey usr/local/share/osprey/osprey.fp \
		usr/local/share/osprey/osprey.schema.json \
		usr/local/share/man/man8/osprey.8 lib/systemd/system/osprey.service \
		etc/osprey/osprey.conf etc/logrotate.d/osprey; do
		[ -s "$DEST/$f" ] || missing="$missing $f"
	done
	check_eq install_files "" "$missing"
	echo "# local edit" >>"$DEST/etc/logrotate.d/osprey"
	echo "# local edit" >>"$DEST/etc/osprey/osprey.conf"
	make -s -C "$TOP" install DESTDIR="$DEST" >/dev/null 2>&1
	check_eq install_keeps_local_edits 2 \
		"$(cat "$DEST/etc/logrotate.d/osprey" "$DEST/etc/osprey/osprey.conf" |
			grep -c '^# local edit')"
}

test_logrotate_syntax() {
	local out
	out=$(logrotate -d -s "$TMPD/state" "$TOP/tools/osprey.logrotate" 2>&1)
	if [ $? -eq 0 ] && ! echo "$out" | grep -qi 'error'; then
		pass logrotate_accepts_snippet
	else
		failm logrotate_accepts_snippet "$(echo "$out" | grep -i error | head -2 | tr '\n' ' ')"
	fi
}

# The snippet's directives on a test log; postrotate signals our daemon.
test_rotation() {
	local ns=olr$ID log=$TMPD/logs/osprey.log pid n before after
	mkdir -p "$TMPD/logs"
	on_exit "ip netns del $ns"
	ip netns add "$ns" && ip -n "$ns" link set lo up || {
		failm rotation_setup "netns"; return 1; }
	nsenter --net=/run/netns/$ns "$OSPREY" -i lo --pin-dir \
		"/sys/fs/bpf/osprey-lr-$ID" -d -o "$log" 2>"$TMPD/d.err" &
	pid=$!
	track_pid $pid
	on_exit "rm -rf /sys/fs/bpf/osprey-lr-$ID"
	for n in $(seq 100); do grep -q attached "$TMPD/d.err" && break; sleep 0.1; done
	syn() { nsenter --net=/run/netns/$ns python3 -c '
import socket
s = socket.socket(); s.settimeout(1)
try: s.connect(("127.0.0.1", 9))
except OSError: pass'; }
	syn
	for n in $(seq 30); do [ -s "$log" ] && break; sleep 0.1; done
	sed -e "s|/var/log/osprey/\*.log|$TMPD/logs/*.log|" \
		-e "s|systemctl kill .*|kill -HUP $pid|" \
		"$TOP/tools/osprey.logrotate" >"$TMPD/rotate.conf"
	before=$(wc -l <"$log")
	logrotate -f -s "$TMPD/state" "$TMPD/rotate.conf" 2>"$TMPD/lr.err" ||
		failm rotation_run "$(tr '\n' ' ' <"$TMPD/lr.err")"
	syn
	for n in $(seq 30); do [ -s "$log" ] && break; sleep 0.1; done
	after=$(wc -l <"$log" 2>/dev/null || echo 0)
	check_eq rotated_file_kept "$before" "$(wc -l <"$log.1" 2>/dev/null)"
	if [ "${after:-0}" -gt 0 ] && kill -0 $pid 2>/dev/null; then
		pass rotation_new_file_written
	else
		failm rotation_new_file_written "after SIGHUP: $after lines in $log"
	fi
	kill $pid
	wait $pid 2>/dev/null
	return 0
}

OSPREY_SRC=$OSPREY
private_osprey "$TMPD"
need_bpffs
ALL_TESTS=(install logrotate_syntax rotation)
run_tests "$@"
