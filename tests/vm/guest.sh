#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The VM tier's checks, run inside a freshly booted Debian 12 guest (systemd
# as PID 1) from a copy of the project whose build artefacts the host made.
# Order matters: the guest starts as a fresh machine, so
#   1. bpffs is unmounted first and the BPF tier must mount it itself;
#   2. `make install`, then bpffs is unmounted again and the shipped unit
#      must mount it (its ExecStartPre) with the shipped config;
#   3. the service checks: XDP (and tc egress) attached, live traffic from
#      a client in a network namespace, lookup from outside the unit,
#      watchdog expiry, SIGKILL, reload (log, policy rules), stop, the
#      journal;
#   4. a broken configuration and a failing start do not loop forever.
# Prints PASS:/FAIL:/SKIPPED: lines; the host prefixes them with the kernel.
set -u
. "$(dirname "$0")/../lib.sh"
SUITE=guest
cd "$TOP" || exit 1

ID=$$
NS=ospvm$ID VH=vmh$ID VC=vmc$ID
HOST_IP=10.77.0.1 CLI_IP=10.77.0.2 PORT=8080
PIN=/sys/fs/bpf/osprey
CONF=/etc/osprey/osprey.conf
WD_SEC=30 # the unit's WatchdogSec

echo "# kernel $(uname -r); $(systemctl --version | head -1);" \
	"PID 1: $(cat /proc/1/comm)"
check_eq pid1_systemd systemd "$(cat /proc/1/comm)"

is_bpffs() { findmnt -n -t bpf -M /sys/fs/bpf >/dev/null; }
# A fresh machine: no bpffs.  systemd mounted it at boot; this is our own
# guest, so unmounting it globally is fine here.
fresh_bpffs() {
	umount /sys/fs/bpf 2>/dev/null
	! is_bpffs
}

# ------------------------------------------------------------ BPF tier
echo "# bpffs at boot: $(findmnt -n -M /sys/fs/bpf -o FSTYPE,OPTIONS || echo none)"
if fresh_bpffs; then pass bpffs_unmounted; else
	fail bpffs_unmounted "umount /sys/fs/bpf: still mounted"
fi
# The tier's own lines go straight to the host (bpf/... names).
timeout 1800 tests/run.sh bpf >/tmp/bpf-tier.log 2>&1
rc=$?
grep -E '^(PASS|FAIL|SKIPPED): |^#' /tmp/bpf-tier.log
echo "# bpf tier: $(tail -1 /tmp/bpf-tier.log), status $rc"
n=$(grep -c '^PASS: ' /tmp/bpf-tier.log)
if [ "$n" -gt 0 ] && [ $rc -eq 0 ]; then pass bpf_tier_ran; else
	fail bpf_tier_ran "tests/run.sh bpf: expected status 0 and passes," \
		"got $rc and $n"
fi
if is_bpffs; then pass bpf_tier_mounted_bpffs; else
	fail bpf_tier_mounted_bpffs "bpffs after the BPF tier: expected" \
		"mounted, got none"
fi

# libxdp's multi-program dispatcher beside xdp-filter: the kernels here
# are the ones that matter for it (the development kernel refuses the
# dispatcher's extension programs, so the host run of this script skips).
timeout 900 bash tests/integration/test_xdp_share.sh >/tmp/xdp-share.log 2>&1
rc=$?
grep -E '^(PASS|FAIL|SKIPPED): |^#' /tmp/xdp-share.log
if [ $rc -ne 0 ] && ! grep -q '^FAIL: ' /tmp/xdp-share.log; then
	fail xdp_share_ran "test_xdp_share.sh: status $rc without a FAIL line"
fi

# ------------------------------------------------------------ install
t0=$(date +%s)
timeout 900 make install >/tmp/install.log 2>&1
rc=$?
echo "# make install: status $rc in $(($(date +%s) - t0)) s;" \
	"$(grep -cE '^  (CC|LD|BPF|AR)' /tmp/install.log) files rebuilt"
if [ $rc -eq 0 ]; then pass make_install; else
	fail make_install "status: expected 0, got $rc: $(tail -3 /tmp/install.log)"
	exit 1
fi
UNIT=/lib/systemd/system/osprey.service
if cmp -s "$UNIT" .output/osprey.service &&
	grep -q '^ExecStart=/usr/local/sbin/osprey ' "$UNIT"; then
	pass installed_unit
else
	fail installed_unit "$UNIT: expected the generated unit with" \
		"/usr/local/sbin/osprey, got $(grep ^ExecStart= "$UNIT")"
fi
systemctl daemon-reload
check_eq unit_no_dropins "" "$(systemctl show -P DropInPaths osprey)"
echo "# $(systemd-analyze security osprey 2>/dev/null | tail -1)"

# ------------------------------------------------------------ network
# The client lives in a namespace behind a veth; the guest's default route
# points at it, so the shipped config (no interface) attaches to $VH.
on_exit "ip netns del $NS"
on_exit "ip link del $VH"
if ! { ip netns add "$NS" &&
	ip link add "$VH" type veth peer name "$VC" netns "$NS" &&
	ip addr add "$HOST_IP/24" dev "$VH" && ip link set "$VH" up &&
	ip -n "$NS" addr add "$CLI_IP/24" dev "$VC" &&
	ip -n "$NS" link set "$VC" up && ip -n "$NS" link set lo up &&
	ip route replace default via "$CLI_IP" dev "$VH"; }; then
	fail network "veth/namespace setup"
	exit 1
fi
python3 -m http.server --bind "$HOST_IP" "$PORT" >/dev/null 2>&1 &
track_pid $!

# ------------------------------------------------------------ service
main_pid() { systemctl show -P MainPID osprey; }
state() { echo "$(systemctl show -P ActiveState osprey)/$(systemctl show -P SubState osprey)"; }
# wait_state STATE SECONDS [NOT_PID]: until active/running etc. (and a
# main PID other than NOT_PID)
wait_state() {
	local i
	for ((i = 0; i < $2 * 2; i++)); do
		if [ "$(state)" = "$1" ] && { [ -z "${3:-}" ] ||
			[ "$(main_pid)" != "$3" ]; }; then
			return 0
		fi
		sleep 0.5
	done
	return 1
}
journal() { journalctl -q -o cat --no-pager -u osprey "$@"; }
xdp_on() { ip -d link show dev "$VH" | grep -q 'prog/xdp'; }
egress_on() { tc filter show dev "$VH" egress 2>/dev/null | grep -q bpf; }
# Does this build have a tc program besides the policy one (the capture's
# egress companion)?  Then the daemon must attach it, and detach it.
HAS_EGRESS=no
grep -lE 'SEC\("(tc|tcx|classifier)' bpf/*.bpf.c | grep -qv policy_tc &&
	HAS_EGRESS=yes
hosts_id() { bpftool -j map show pinned "$PIN/hosts" 2>/dev/null |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])' 2>/dev/null; }
knows_client() { osprey lookup "$CLI_IP" >/dev/null 2>&1; }
svc_diag() { # one line for a FAIL message; the journal's tail as # lines
	journalctl -q -o short-monotonic --no-pager -n 25 | sed 's/^/#   /' >&2
	echo "state $(state); journal: $(journal -n 4 | tr '\n' '|')"
}

if fresh_bpffs; then pass bpffs_unmounted_before_start; else
	fail bpffs_unmounted_before_start "umount /sys/fs/bpf: still mounted"
fi
timeout 120 systemctl start osprey
rc=$?
if [ $rc -eq 0 ] && wait_state active/running 10; then pass start_active_running
else
	fail start_active_running "systemctl start: expected status 0 and" \
		"active/running, got $rc, $(svc_diag)"
	exit 1
fi
if is_bpffs && [ -d "$PIN" ]; then pass start_mounted_bpffs; else
	fail start_mounted_bpffs "bpffs and $PIN: expected both, got" \
		"$(findmnt -n -M /sys/fs/bpf -o FSTYPE || echo none)"
fi
if xdp_on; then pass xdp_attached; else
	fail xdp_attached "XDP on $VH: expected a program, got" \
		"$(ip -d link show dev "$VH" | head -2 | tr '\n' ' ')"
fi
# The tc egress companion is attached by the daemon only in builds that
# have one; report what this build does.
if egress_on; then
	pass egress_attached
elif [ $HAS_EGRESS = yes ]; then
	fail egress_attached "tc egress on $VH: expected a BPF filter, got" \
		"none: $(tc filter show dev "$VH" egress 2>&1 | head -2)"
else
	skip egress_attached "this build has no tc egress program"
fi

for i in $(seq 30); do
	ip netns exec "$NS" curl -s -m 3 -A 'Mozilla/5.0 (X11; Linux x86_64)' \
		-o /dev/null "http://$HOST_IP:$PORT/"
	knows_client && break
	sleep 1
done
# osprey lookup runs here, outside the unit's sandbox, reading the pins.
if knows_client; then pass lookup_outside_unit; else
	fail lookup_outside_unit "osprey lookup $CLI_IP: expected a record," \
		"got $(osprey lookup "$CLI_IP" 2>&1 | head -2)"
fi
echo "# $(osprey lookup "$CLI_IP" 2>&1 | tr '\n' ' ' | cut -c1-200)"
LOG=/var/log/osprey/osprey.log
if grep -q "cli=$CLI_IP/" "$LOG" 2>/dev/null; then pass live_log; else
	fail live_log "$LOG: expected a line for cli=$CLI_IP, got" \
		"$(wc -l <"$LOG" 2>/dev/null || echo no file)"
fi
if journal | grep -q "attached in .* XDP mode" &&
	! journal | grep -q '[^[:print:][:space:]]'; then
	pass journal_readable
else
	fail journal_readable "journal: expected an 'attached' line and" \
		"printable text, got: $(journal -n 3 | tr '\n' '|')"
fi
id1=$(hosts_id)

# Watchdog: a stopped daemon stops pinging; systemd kills and restarts it.
pid=$(main_pid)
kill -STOP "$pid"
if wait_state active/running $((WD_SEC + 40)) "$pid" &&
	journal | grep -q 'Watchdog timeout'; then
	pass watchdog_restart
else
	fail watchdog_restart "after SIGSTOP: expected a watchdog timeout and" \
		"a new main PID, got PID $(main_pid), $(svc_diag)"
fi
kill -CONT "$pid" 2>/dev/null

pid=$(main_pid)
systemctl kill -s KILL osprey
if wait_state active/running 30 "$pid"; then pass kill_restart; else
	fail kill_restart "after SIGKILL: expected a new main PID, got $(svc_diag)"
fi
if [ -n "$id1" ] && [ "$(hosts_id)" = "$id1" ] && knows_client; then
	pass kill_keeps_hosts
else
	fail kill_keeps_hosts "hosts map id $id1 with $CLI_IP: got id" \
		"'$(hosts_id)', lookup status $(knows_client; echo $?)"
fi

# Reload: SIGHUP reopens the log file (logrotate moved it away) and makes
# the config file's policy rules the rule set.
pid=$(main_pid)
mv "$LOG" "$LOG.1"
cp "$CONF" /tmp/osprey.conf.pol
on_exit "cp /tmp/osprey.conf.pol $CONF"
echo "policy = class:win mark=0x10" >>"$CONF"
timeout 30 systemctl reload osprey
rc=$?
for i in $(seq 20); do [ -e "$LOG" ] && break; sleep 0.5; done
if [ $rc -eq 0 ] && [ "$(main_pid)" = "$pid" ] && [ -e "$LOG" ]; then
	pass reload_reopens_log
else
	fail reload_reopens_log "reload: expected status 0, same PID, a new" \
		"$LOG; got $rc, PID $(main_pid), $(ls "$LOG" 2>&1)"
fi
for i in $(seq 20); do
	rules=$(osprey policy list 2>&1 | tr -s ' ')
	[ "$rules" = "class:win mark=0x10 quality=any" ] && break
	sleep 0.5
done
check_eq reload_applies_policy "class:win mark=0x10 quality=any" "$rules"
cp /tmp/osprey.conf.pol "$CONF"

timeout 60 systemctl stop osprey
rc=$?
if [ $rc -eq 0 ] && [ "$(state)" = inactive/dead ] && ! xdp_on &&
	! egress_on; then
	pass stop_detaches
else
	fail stop_detaches "stop: expected inactive/dead, no XDP and no tc" \
		"egress filter, got $rc, $(state), XDP $(xdp_on && echo on ||
		echo off), egress $(egress_on && echo on || echo off)"
fi
if [ "$(hosts_id)" = "$id1" ] && knows_client; then pass stop_keeps_pins
else
	fail stop_keeps_pins "after stop: hosts map id '$(hosts_id)'" \
		"(was $id1), lookup status $(knows_client; echo $?)"
fi

# ------------------------------------------------------------ group
# `group` under the unit, set up as osprey.conf says: the config line, and
# a drop-in that puts the service in the group (the unit has no CAP_CHOWN)
# and gives /sys/fs/bpf search permission for others.  A member then reads
# the API socket (and, on kernels that let users without CAP_BPF open a
# pin, the hosts map); someone else reads neither.
GRP=adm MEMBER=ospm$ID OTHER=ospo$ID DROPIN=/etc/systemd/system/osprey.service.d
SOCK=/run/osprey/osprey.sock
api_query() { # USER: the p0f API's status for $CLI_IP, or the error
	runuser -u "$1" -- python3 -c '
import socket, struct, sys
s = socket.socket(socket.AF_UNIX)
try:
    s.connect(sys.argv[1])
except OSError as e:
    print("connect: %s" % e.strerror); sys.exit(0)
s.sendall(struct.pack("<IB16s", 0x50304601, 4, socket.inet_aton(sys.argv[2])))
r = b""
while len(r) < 232:
    b = s.recv(232 - len(r))
    if not b: break
    r += b
m, st = struct.unpack("<II", r[:8]) if len(r) >= 8 else (0, 0)
print("magic %x status %x" % (m, st))' "$SOCK" "$CLI_IP" 2>&1
}
cp "$CONF" /tmp/osprey.conf.grp
on_exit "cp /tmp/osprey.conf.grp $CONF"
on_exit "userdel $MEMBER"
on_exit "userdel $OTHER"
on_exit "systemctl daemon-reload"
on_exit "rm -rf $DROPIN"
useradd -M -N -G $GRP $MEMBER && useradd -M -N $OTHER &&
	mkdir -p $DROPIN && printf '%s\n' '[Service]' "SupplementaryGroups=$GRP" \
	'ExecStartPre=+/bin/chmod o+x /sys/fs/bpf' >$DROPIN/group.conf &&
	echo "group = $GRP" >>"$CONF" && systemctl daemon-reload ||
	fail group_setup "users, drop-in or config"
timeout 60 systemctl start osprey
if wait_state active/running 20; then pass group_start; else
	fail group_start "with group = $GRP: expected active/running, got $(svc_diag)"
fi
got="$(stat -c '%G %a' "$PIN/hosts") $(stat -c '%G %a' "$SOCK")"
check_eq group_owns_pin_and_socket "$GRP 640 $GRP 660" "$got"
if journal -n 30 | grep -qE 'set group/mode|chmod o\+x'; then
	fail group_no_warnings "journal: $(journal -n 30 | grep -E 'set group/mode|chmod o\+x' | head -2 | tr '\n' '|')"
else
	pass group_no_warnings
fi
check_eq group_member_api "magic 50304602 status 10" "$(api_query $MEMBER)"
case $(api_query $OTHER) in
"connect: Permission denied") pass group_other_api_refused ;;
*) fail group_other_api_refused "expected EACCES, got $(api_query $OTHER)" ;;
esac
out=$(runuser -u $MEMBER -- /usr/local/sbin/osprey lookup "$CLI_IP" 2>&1)
echo "# kernel.unprivileged_bpf_disabled=$(sysctl -n kernel.unprivileged_bpf_disabled);" \
	"lookup as a member: $(echo "$out" | head -1)"
if echo "$out" | grep -q '^Detected OS'; then
	pass group_member_lookup
elif [ "$(sysctl -n kernel.unprivileged_bpf_disabled)" != 0 ] &&
	echo "$out" | grep -q 'Operation not permitted'; then
	skip group_member_lookup "this kernel refuses bpf() to users without" \
		"CAP_BPF while unprivileged_bpf_disabled is set (the API socket serves members)"
else
	fail group_member_lookup "osprey lookup as $MEMBER: $out"
fi
if runuser -u $OTHER -- /usr/local/sbin/osprey lookup "$CLI_IP" >/dev/null 2>&1; then
	fail group_other_lookup_refused "a non-member read the hosts map"
else
	pass group_other_lookup_refused
fi
timeout 60 systemctl stop osprey
cp /tmp/osprey.conf.grp "$CONF"
rm -rf $DROPIN
systemctl daemon-reload

# ------------------------------------------------------------ failures
cp "$CONF" /tmp/osprey.conf.orig
on_exit "cp /tmp/osprey.conf.orig $CONF"
# A configuration error (status 2) is final: no restart at all.
echo "no_such_setting = 1" >>"$CONF"
timeout 60 systemctl start osprey
sleep 6
if [ "$(state)" = failed/failed ] &&
	[ "$(systemctl show -P NRestarts osprey)" = 0 ] &&
	journal -n 20 | grep -q 'osprey.conf:'; then
	pass bad_config_no_restart
else
	fail bad_config_no_restart "expected failed, 0 restarts and the" \
		"FILE:LINE error; got $(systemctl show -P NRestarts osprey)" \
		"restarts, $(svc_diag)"
fi
systemctl reset-failed osprey
# A runtime failure (interface gone) is retried, but only up to the limit.
cp /tmp/osprey.conf.orig "$CONF"
echo "interface = nosuch$ID" >>"$CONF"
timeout 60 systemctl start osprey
for i in $(seq 60); do
	[ "$(state)" = failed/failed ] && break
	sleep 1
done
n=$(systemctl show -P NRestarts osprey)
sleep 5 # longer than RestartSec: a restart would show
if [ "$(state)" = failed/failed ] &&
	[ "$n" = "$(systemctl show -P NRestarts osprey)" ] &&
	journal | grep -q 'Start request repeated too quickly'; then
	pass start_limit_stops_loop
else
	fail start_limit_stops_loop "expected failed/failed, no more restarts" \
		"and 'Start request repeated too quickly'; got $(state)," \
		"restarts $n then $(systemctl show -P NRestarts osprey)"
fi
echo "# restarts before the start limit: $n"
systemctl reset-failed osprey
exit "$T_FAILED"
