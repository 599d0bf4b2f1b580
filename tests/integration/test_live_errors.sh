#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Live mode refuses to start with one clear line and a non-zero status,
# and leaves nothing attached, when: the interface is missing, it lacks
# privileges, the kernel has no BTF, native XDP is refused (and with
# --xdp-mode auto falls back to generic, saying so), the database is bad,
# bpffs is missing and cannot be mounted, the pin directory is not on
# bpffs, or the API socket path is taken.  Also: --group sets the pin
# directory, pins and API socket to root:GROUP 0750/0640/0660.
set -u
. "$(dirname "$0")/../lib.sh"
failm() { local n=$1; shift; fail "$n" "$*"; }
need_root live_errors

ID=$T_ID
NS=oeN$ID
VE=ve$ID DM=lo # lo has no native XDP
PIN=/sys/fs/bpf/osprey-err-$ID
TMPD=$(mktemp -d /tmp/osprey-err.XXXXXX)
on_exit "rm -rf $TMPD"
# logs writable by the unprivileged run too (its error must be the caps)
chmod 755 "$TMPD" && mkdir -m 1777 "$TMPD/logs"
on_exit "rm -rf $PIN"

need_tools ip nsenter unshare setpriv
private_osprey "$TMPD"
need_bpffs

on_exit "ip netns del $NS"
ip netns add "$NS" &&
	ip -n "$NS" link add "$VE" type veth peer name "p$VE" &&
	ip -n "$NS" link set "$VE" up && ip -n "$NS" link set "p$VE" up &&
	ip -n "$NS" link set "$DM" up ||
	{ failm setup "namespace with a veth"; exit 1; }

in_ns() { nsenter --net=/run/netns/$NS "$@"; }
xdp_on() { in_ns ip link show "$1" | grep -q xdp; }

# run_case NAME EXPECTED-STATUS PATTERN CMD...: the run must end (timeout
# 10 s: it must not start capturing) with that status, one stderr line
# matching PATTERN, and no XDP program left on the test interfaces.
run_case() {
	local name=$1 want=$2 pat=$3 rc err a
	local -a cmd=()
	shift 3
	# the log goes where @LOG@ stands, else at the end
	for a in "$@"; do
		[ "$a" = @LOG@ ] && cmd+=(-o "$TMPD/logs/$name.log") || cmd+=("$a")
	done
	[[ " $* " == *" @LOG@ "* ]] || cmd+=(-o "$TMPD/logs/$name.log")
	timeout 10 "${cmd[@]}" >"$TMPD/$name.out" 2>"$TMPD/$name.err"
	rc=$?
	err=$(tr '\n' ' ' <"$TMPD/$name.err")
	if [ "$rc" != "$want" ]; then
		failm "$name" "status: expected $want, got $rc ($err)"
	elif ! grep -Eq "$pat" "$TMPD/$name.err"; then
		failm "$name" "stderr: expected /$pat/, got '$err'"
	elif xdp_on "$VE" || xdp_on "$DM"; then
		failm "$name" "an XDP program was left attached"
	else
		pass "$name"
	fi
}
# osprey in the test namespace (an array: `timeout` runs no functions)
NSE=(nsenter --net=/run/netns/$NS)
O=("${NSE[@]}" "$OSPREY" --pin-dir "$PIN")

run_case missing_interface 1 "^osprey: nosuch$ID: no such interface$" \
	"${O[@]}" -i "nosuch$ID"
run_case missing_interface_second 1 "nosuch$ID: no such interface" \
	"${O[@]}" -i "$VE" -i "nosuch$ID"
run_case not_root 1 "needs root, or CAP_BPF" \
	"${NSE[@]}" setpriv --reuid 65534 --regid 65534 --clear-groups \
	"$OSPREY" --pin-dir "$PIN" -i "$VE"
run_case root_without_caps 1 "needs root, or CAP_BPF" \
	"${NSE[@]}" setpriv --inh-caps=-all --bounding-set=-all \
	"$OSPREY" --pin-dir "$PIN" -i "$VE"
run_case bad_database 2 "." "${O[@]}" -i "$VE" -f "$TMPD/nonexistent.fp"
printf 'bogus line\n' >"$TMPD/bad.fp"
run_case bad_database_syntax 2 "bad.fp" "${O[@]}" -i "$VE" -f "$TMPD/bad.fp"
run_case bad_filter 2 "bad filter 'port \('" "${O[@]}" -i "$VE" @LOG@ 'port ('
run_case native_refused 1 "$DM: attach XDP \(native\)" \
	"${O[@]}" -i "$DM" --xdp-mode native
# the first interface attached before the second failed: detached again
run_case native_refused_second 1 "$DM: attach XDP \(native\)" \
	"${O[@]}" -i "$VE" -i "$DM" --xdp-mode native
run_case pin_dir_not_bpffs 1 "$TMPD/pins is not on a BPF filesystem" \
	"${NSE[@]}" "$OSPREY" -i "$VE" --pin-dir "$TMPD/pins"
: >"$TMPD/notasock"
run_case api_path_taken 1 "notasock exists and is not a socket" \
	"${O[@]}" -i "$VE" -s "$TMPD/notasock"
# no BTF: hide /sys/kernel/btf in a mount namespace of our own
run_case no_btf 1 "kernel BTF not found" \
	unshare -m sh -c 'mount -t tmpfs none /sys/kernel/btf && exec "$@"' \
	sh "${NSE[@]}" "$OSPREY" --pin-dir "$PIN" -i "$VE"
# bpffs missing and no right to mount it (root's caps minus SYS_ADMIN)
CAPS=+bpf,+perfmon,+net_admin
run_case bpffs_unmountable 1 "bpffs is not mounted at /sys/fs/bpf and mounting it failed" \
	unshare -m sh -c 'umount -l /sys/fs/bpf && exec "$@"' sh \
	"${NSE[@]}" setpriv --inh-caps=-all,$CAPS --ambient-caps=-all,$CAPS \
	--bounding-set=-all,$CAPS "$OSPREY" --pin-dir "$PIN" -i "$VE"

# AUTO: native refused on lo, generic used, and said so
"${O[@]}" -i "$DM" -o "$TMPD/auto.log" >/dev/null 2>"$TMPD/auto.err" &
pid=$!
track_pid $pid
for n in $(seq 50); do grep -q attached "$TMPD/auto.err" && break; sleep 0.1; done
if grep -q "^osprey: $DM: native XDP refused, attached in generic mode$" \
	"$TMPD/auto.err" && xdp_on "$DM"; then
	pass auto_falls_back_to_generic
else
	failm auto_falls_back_to_generic "$(tr '\n' ' ' <"$TMPD/auto.err")"
fi
kill -TERM $pid
{ wait $pid; } 2>/dev/null
check_eq auto_sigterm_status 0 $?
if xdp_on "$DM"; then failm auto_detached "XDP left on $DM"; else
	pass auto_detached
fi

# bpffs missing but mountable: osprey mounts it (private mount namespace)
unshare -m sh -c 'umount -l /sys/fs/bpf && exec "$@"' sh \
	nsenter --net=/run/netns/$NS "$OSPREY" -i "$VE" \
	--pin-dir /sys/fs/bpf/osprey-err-m$ID -o "$TMPD/mount.log" \
	>/dev/null 2>"$TMPD/mount.err" &
pid=$!
track_pid $pid
for n in $(seq 50); do grep -q attached "$TMPD/mount.err" && break; sleep 0.1; done
if grep -q "mounted bpffs at /sys/fs/bpf" "$TMPD/mount.err" &&
	grep -q "attached in" "$TMPD/mount.err"; then
	pass bpffs_mounted_when_missing
else
	failm bpffs_mounted_when_missing "$(tr '\n' ' ' <"$TMPD/mount.err")"
fi
kill -TERM $pid
{ wait $pid; } 2>/dev/null
check_eq bpffs_mounted_sigterm 0 $?

# --group: root:GROUP and no access for others
GRP=$(getent group nogroup >/dev/null && echo nogroup || echo daemon)
rm -rf "$PIN"
keep_bpffs_mode
"${O[@]}" -i "$VE" --group "$GRP" -s "$TMPD/api.sock" -o "$TMPD/grp.log" \
	>/dev/null 2>"$TMPD/grp.err" &
pid=$!
track_pid $pid
for n in $(seq 50); do grep -q attached "$TMPD/grp.err" && break; sleep 0.1; done
check_eq group_pin_dir "750 root $GRP" "$(stat -c '%a %U %G' "$PIN")"
check_eq group_hosts_pin "640 root $GRP" "$(stat -c '%a %U %G' "$PIN/hosts")"
check_eq group_api_socket "660 root $GRP" "$(stat -c '%a %U %G' "$TMPD/api.sock")"
kill -TERM $pid
{ wait $pid; } 2>/dev/null
check_eq group_sigterm 0 $?
run_case unknown_group 1 "unknown group" "${O[@]}" -i "$VE" --group "nosuchgroup$ID"
exit $T_FAILED
