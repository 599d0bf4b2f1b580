#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The pin directory against a hostile local user.  Each case runs in a
# private mount namespace (unshare -m) on a bpffs of its own mounted mode
# 1777 at /sys/fs/bpf (the kernel's default mode for a plain mount -t bpf,
# the one osprey's own error message suggests): there anybody can create
# entries, so another user can plant things where osprey pins.  osprey
# must refuse, with one clear line and status 1, and never mount a bpffs
# over the one there (which would hide every other program's pins):
#   - a directory pre-created by another user (uid 65534)
#   - a symbolic link at the pin path, and one on the way to it
#   - something else at the pin path (bpffs holds no plain files: a
#     pinned map)
#   - a world-writable, non-sticky directory on the way
# and with bpffs already mounted, a good pin directory works and nothing
# is mounted over it.  The global /sys/fs/bpf is never touched.
set -u
. "$(dirname "$0")/../lib.sh"
failm() { local n=$1; shift; fail "$n" "$*"; }
need_root pin_safety

ID=$T_ID
NS=opN$ID VE=ps$ID
TMPD=$(mktemp -d /tmp/osprey-pin.XXXXXX)
on_exit "rm -rf $TMPD"
chmod 755 "$TMPD"

need_tools ip nsenter unshare setpriv bpftool
private_osprey "$TMPD"

on_exit "ip netns del $NS"
ip netns add "$NS" &&
	ip -n "$NS" link add "$VE" type veth peer name "p$VE" &&
	ip -n "$NS" link set "$VE" up && ip -n "$NS" link set "p$VE" up ||
	{ failm setup "namespace with a veth"; exit 1; }

# in_private SCRIPT: run SCRIPT (bash) in a private mount namespace with a
# fresh bpffs, mode 1777, at /sys/fs/bpf holding a marker directory.
# Variables for it: OSPREY NS VE TMPD.  Its output is the result.
in_private() {
	OSPREY=$OSPREY NS=$NS VE=$VE TMPD=$TMPD unshare -m --propagation private \
		bash -c '
set -u
mount -t bpf bpf /sys/fs/bpf -o mode=1777 || exit 99
mkdir /sys/fs/bpf/marker
bpf_mounts() { grep -c " /sys/fs/bpf .* - bpf " /proc/self/mountinfo; }
MOUNTS0=$(bpf_mounts) # ours on top of whatever the host has there
run() { timeout 10 nsenter --net=/run/netns/$NS "$OSPREY" -i "$VE" -o "$TMPD/log.$$" "$@"; }
as_nobody() { setpriv --reuid 65534 --regid 65534 --clear-groups "$@"; }
'"$1"
}

# refused NAME PATTERN SETUP PIN_DIR: after SETUP, osprey with PIN_DIR
# exits 1 saying PATTERN, the marker is still visible (no bpffs mounted
# over it), one bpffs at /sys/fs/bpf, nothing pinned in PIN_DIR.
refused() {
	local name=$1 pat=$2 setup=$3 pin=$4 out
	out=$(in_private "
$setup
run --pin-dir $pin >/dev/null 2>\$TMPD/$name.err
echo \"rc=\$? marker=\$(test -d /sys/fs/bpf/marker && echo yes) mounts=\$((\$(bpf_mounts) - MOUNTS0)) pins=\$(find $pin -mindepth 1 2>/dev/null | grep -c .)\"
")
	local want="rc=1 marker=yes mounts=0 pins=0"
	if [ "$out" != "$want" ]; then
		failm "$name" "expected '$want', got '$out' ($(tr '\n' ' ' <"$TMPD/$name.err" 2>/dev/null))"
	elif ! grep -Eq "$pat" "$TMPD/$name.err"; then
		failm "$name" "stderr: expected /$pat/, got '$(tr '\n' ' ' <"$TMPD/$name.err")'"
	else
		pass "$name"
	fi
}

P=/sys/fs/bpf/osprey-$ID
refused dir_of_other_user "$P is owned by uid 65534, not by root" \
	"as_nobody mkdir $P" "$P"
refused symlink_at_pin_path "$P is a symbolic link" \
	"mkdir -p $TMPD/elsewhere; ln -s $TMPD/elsewhere $P" "$P"
refused symlink_on_the_way "/sys/fs/bpf/link$ID is a symbolic link" \
	"mkdir /sys/fs/bpf/real$ID; ln -s /sys/fs/bpf/real$ID /sys/fs/bpf/link$ID" \
	"/sys/fs/bpf/link$ID/osprey"
refused symlink_by_other_user "$P is a symbolic link" \
	"as_nobody ln -s /sys/fs/bpf/marker $P" "$P"
# bpffs holds no plain files: a pinned map is what can be there
refused file_at_pin_path "$P is not a directory" \
	"bpftool map create $P type array key 4 value 4 entries 1 name x$ID" "$P"
refused world_writable_parent "/sys/fs/bpf/pub$ID is writable by others" \
	"mkdir -m 0777 /sys/fs/bpf/pub$ID" "/sys/fs/bpf/pub$ID/osprey"

# bpffs there already: osprey starts, pins, mounts nothing over it
out=$(in_private "
nsenter --net=/run/netns/\$NS \"\$OSPREY\" -i \"\$VE\" --pin-dir $P -o \$TMPD/ok.log \
	>/dev/null 2>\$TMPD/ok.err &
pid=\$!
for n in \$(seq 100); do grep -q 'attached in' \$TMPD/ok.err && break; sleep 0.1; done
echo \"mounts=\$((\$(bpf_mounts) - MOUNTS0)) marker=\$(test -d /sys/fs/bpf/marker && echo yes) hosts=\$(test -e $P/hosts && echo yes) mode=\$(stat -c %a $P)\"
kill -TERM \$pid; wait \$pid; echo rc=\$?
")
check_eq bpffs_present_not_remounted "mounts=0 marker=yes hosts=yes mode=700 rc=0" \
	"$(echo $out)"
exit $T_FAILED
