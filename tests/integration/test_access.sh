#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Who may read what the daemon publishes (--group):
#   - a real non-root user in the group (useradd, removed at exit) runs
#     `osprey lookup`, `osprey stats --json`, `osprey policy list` and a
#     p0f API query, through setpriv with only that user's credentials
#   - the same user cannot write: `osprey policy set` fails, and
#     BPF_OBJ_GET of a pin read-write or write-only is refused (EACCES)
#     while read-only works
#   - a user outside the group can do none of it: no lookup, no stats,
#     no policy list, no API connection, no BPF_OBJ_GET at all
#   - the pin directory, the pins and the socket carry the group and no
#     world access
#   - with /sys/fs/bpf at 0700 (as systemd mounts it) the daemon adds
#     search for others there (0701) and says so: nothing listable
# One veth pair: osprey in the daemon's namespace sees the client's SYNs.
set -u
. "$(dirname "$0")/../lib.sh"
failm() { local n=$1; shift; fail "$n" "$*"; }
PY=$(command -v /usr/bin/python3 || command -v python3)
need_root access

ID=$T_ID
NS_D=oxD$ID NS_C=oxC$ID
PIN=/sys/fs/bpf/osprey-acc-$ID
GRP=oxg$ID MEMBER=oxm$ID OTHER=oxo$ID
SRV=10.244.0.1 CLI=10.244.0.2 PORT=8083

need_tools ip nsenter python3 useradd userdel groupadd groupdel setpriv
TMPD=$(mktemp -d /tmp/osprey-access.XXXXXX)
on_exit "rm -rf $TMPD"
# the users must reach the binary and the socket's directory: what is
# tested is the pins' and the socket's own modes
chmod 0755 "$TMPD"
private_osprey "$TMPD"
SOCK=$TMPD/api.sock
need_bpffs
on_exit "rm -rf $PIN"
# bpffs as systemd mounts it (mode 0700): the daemon has to open the way
# to the pin directory for the group itself; the mode is put back at exit
keep_bpffs_mode
chmod 0700 /sys/fs/bpf

# --------------------------------------------------------------- users
groupadd "$GRP" || { failm setup "groupadd $GRP"; exit 1; }
on_exit "groupdel $GRP"
useradd -M -N -g nogroup -G "$GRP" -s /usr/sbin/nologin "$MEMBER" ||
	{ failm setup "useradd $MEMBER"; exit 1; }
on_exit "userdel $MEMBER"
useradd -M -N -g nogroup -s /usr/sbin/nologin "$OTHER" ||
	{ failm setup "useradd $OTHER"; exit 1; }
on_exit "userdel $OTHER"
# as USER: that user's uid, gid and groups, no capabilities at all
as() {
	local u=$1
	shift
	setpriv --reuid="$u" --regid=nogroup --init-groups \
		--inh-caps=-all --bounding-set=-all "$@"
}

# ------------------------------------------------------------ network
netns_pair "$NS_D" "$NS_C" "d$ID" "c$ID" $SRV $CLI || exit 1
tcp_sink "$NS_D" $PORT

nsenter --net=/run/netns/$NS_D "$OSPREY" -i "d$ID" --pin-dir "$PIN" \
	--group "$GRP" -s "$SOCK" -d >/dev/null 2>"$TMPD/err" &
OPID=$!
track_pid $OPID
for n in $(seq 100); do grep -q attached "$TMPD/err" && break; sleep 0.1; done
grep -q attached "$TMPD/err" || { failm start "$(tr '\n' ' ' <"$TMPD/err")"; exit 1; }
# what it did to the bpffs root: search for others, nothing more, said
case "$(stat -c %a /sys/fs/bpf)" in
701) pass bpffs_root_search_only ;;
*) failm bpffs_root_search_only "/sys/fs/bpf is mode $(stat -c %a /sys/fs/bpf), expected 701" ;;
esac
grep -q -- "--group $GRP: /sys/fs/bpf was mode 0700, now 0701" "$TMPD/err" &&
	pass bpffs_root_change_said ||
	failm bpffs_root_change_said "no message: $(tr '\n' ' ' <"$TMPD/err")"
"$OSPREY" policy --pin-dir "$PIN" -f "$TOP/db/osprey.fp" set --unknown \
	--mark 0x42 >/dev/null || failm setup "policy set as root"

for n in $(seq 30); do
	tcp_connect "$NS_C" $SRV $PORT 2>/dev/null
	"$OSPREY" lookup --pin-dir "$PIN" $CLI >/dev/null 2>&1 && break
	sleep 0.2
done

# as USER, BPF_OBJ_GET of PATH with FLAGS (0 read-write, 8 BPF_F_RDONLY,
# 16 BPF_F_WRONLY) by raw syscall: "ok" or the errno's name
obj_get() {
	as "$1" "$PY" - "$2" "$3" <<'EOF'
import ctypes, errno, os, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
path = sys.argv[1].encode()
buf = ctypes.create_string_buffer(path)
attr = struct.pack("=QII", ctypes.addressof(buf), 0, int(sys.argv[2]))
attr = ctypes.create_string_buffer(attr + bytes(128 - len(attr)), 128)
nr = {"x86_64": 321, "aarch64": 280, "riscv64": 280}[os.uname().machine]
fd = libc.syscall(nr, 7, attr, 128)  # __NR_bpf, BPF_OBJ_GET
print("ok" if fd >= 0 else errno.errorcode[ctypes.get_errno()])
EOF
}
api_status() { # as USER: status of a p0f API query for CLI, or the error
	as "$1" "$PY" - "$SOCK" $CLI <<'EOF'
import errno, socket, struct, sys
try:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(3)
    s.connect(sys.argv[1])
    s.sendall(struct.pack("=IB16s", 0x50304601, 4,
                          socket.inet_aton(sys.argv[2]) + bytes(12)))
    r = s.recv(232)
    print("0x%02x" % struct.unpack("=II", r[:8])[1])
except OSError as e:
    print(errno.errorcode.get(e.errno, str(e)))
EOF
}
mode_of() { stat -c '%a %U:%G' "$1"; }

# Before 6.5 the bpf() syscall was refused whole to unprivileged users
# while kernel.unprivileged_bpf_disabled is set (Debian's default).
bpf_for_users() {
	local v maj min
	v=$(uname -r) maj=${v%%.*} min=${v#*.} min=${min%%[.-]*}
	[ "$maj" -gt 6 ] || { [ "$maj" -eq 6 ] && [ "$min" -ge 5 ]; } ||
		[ "$(sysctl -n kernel.unprivileged_bpf_disabled)" = 0 ]
}

# ------------------------------------------------------------------ cases
test_modes() {
	check_eq pin_dir_mode "750 root:$GRP" "$(mode_of "$PIN")"
	check_eq hosts_pin_mode "640 root:$GRP" "$(mode_of "$PIN/hosts")"
	check_eq counters_pin_mode "640 root:$GRP" "$(mode_of "$PIN/counters")"
	check_eq policy_pin_mode "640 root:$GRP" "$(mode_of "$PIN/policy_a")"
	check_eq socket_mode "660 root:$GRP" "$(mode_of "$SOCK")"
}

test_member_reads() {
	local out
	if ! bpf_for_users; then
		skip member_reads "kernel $(uname -r) refuses bpf() to users without CAP_BPF (kernel.unprivileged_bpf_disabled)"
		return 0
	fi
	out=$(as "$MEMBER" "$OSPREY" lookup --pin-dir "$PIN" $CLI 2>&1)
	if echo "$out" | grep -q '^Detected OS'; then pass member_lookup; else
		failm member_lookup "osprey lookup as $MEMBER: expected a record, got: $out"
	fi
	out=$(as "$MEMBER" "$OSPREY" stats --json --pin-dir "$PIN" 2>&1 |
		"$PY" -c 'import json, sys; d = json.load(sys.stdin)
print(d["daemon"]["state"], d["kernel"]["syn"] > 0)' 2>&1)
	check_eq member_stats "running True" "$out"
	out=$(as "$MEMBER" "$OSPREY" policy --pin-dir "$PIN" list 2>&1)
	check_eq member_policy_list "unknown mark=0x42 quality=any" \
		"$(echo "$out" | tr -s ' ')"
	check_eq member_obj_get_rdonly ok "$(obj_get "$MEMBER" "$PIN/hosts" 8)"
}

test_member_cannot_write() {
	check_eq member_api 0x10 "$(api_status "$MEMBER")"
	check_eq member_obj_get_rw EACCES "$(obj_get "$MEMBER" "$PIN/hosts" 0)"
	check_eq member_obj_get_wronly EACCES \
		"$(obj_get "$MEMBER" "$PIN/policy_a" 16)"
	as "$MEMBER" "$OSPREY" policy --pin-dir "$PIN" -f "$TOP/db/osprey.fp" \
		set --any --mark 1 >/dev/null 2>&1
	check_eq member_policy_set_refused 1 "$?"
	check_eq rules_unchanged "unknown mark=0x42 quality=any" \
		"$("$OSPREY" policy --pin-dir "$PIN" list | tr -s ' ')"
}

test_others_refused() {
	local rc
	as "$OTHER" "$OSPREY" lookup --pin-dir "$PIN" $CLI >/dev/null 2>&1
	check_eq other_lookup_refused 1 "$?"
	as "$OTHER" "$OSPREY" stats --pin-dir "$PIN" >/dev/null 2>&1
	check_eq other_stats_refused 1 "$?"
	as "$OTHER" "$OSPREY" policy --pin-dir "$PIN" list >/dev/null 2>&1
	check_eq other_policy_list_refused 1 "$?"
	check_eq other_api_refused EACCES "$(api_status "$OTHER")"
	check_eq other_obj_get_rdonly EACCES \
		"$(obj_get "$OTHER" "$PIN/hosts" 8)"
	rc=$(as "$OTHER" "$OSPREY" lookup --pin-dir "$PIN" $CLI 2>&1)
	case $rc in
	*"Permission denied"*) pass other_lookup_says_why ;;
	*) failm other_lookup_says_why "expected 'Permission denied', got: $rc" ;;
	esac
}

ALL_TESTS=(modes member_reads member_cannot_write others_refused)
run_tests "$@"
