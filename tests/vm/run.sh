#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# VM tier (`make test-vm`): boot a Debian 12 guest under qemu with systemd
# as PID 1, once per kernel of the image (bookworm's stock kernel, the
# newest from bookworm-backports), and run tests/vm/guest.sh inside, which
# does `make install` and checks the shipped unit under real systemd.
#   tests/vm/run.sh [KERNEL_PREFIX...]     e.g. 6.1 to boot only that one
# The image comes from tests/vm/mkimage.sh (cached outside the tree).  The
# project goes in as a tar on a second, read-only virtio disk: the tree
# and the build artefacts of this host, so the guest compiles nothing.  The
# guest writes its PASS:/FAIL:/SKIPPED: lines to its second serial port;
# the first is its console, kept for diagnosis.  Every boot has a time
# limit; qemu is ended by PID and temporary files removed on exit.
# Ends with one line: N passed, N failed, N skipped.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
OUTPUT=${OUTPUT:-$TOP/.output}
BOOT_LIMIT=${OSPREY_VM_BOOT_LIMIT:-1200} # seconds per boot, checks included
MEM=${OSPREY_VM_MEM:-4096}
cd "$TOP" || exit 1

passed=0 failed=0 skipped=0
count() { # prints a result line and counts it
	echo "$1"
	case $1 in
	PASS:*) passed=$((passed + 1)) ;;
	FAIL:*) failed=$((failed + 1)) ;;
	SKIPPED:*) skipped=$((skipped + 1)) ;;
	esac
}
finish() {
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" -eq 0 ]
	exit
}

QPID= WORK=
cleanup() {
	if [ -n "$QPID" ]; then
		kill "$QPID" 2>/dev/null
		wait "$QPID" 2>/dev/null
	fi
	[ -n "$WORK" ] && rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$(id -u)" -ne 0 ]; then
	count "SKIPPED: vm: needs root (mmdebstrap, the image)"
	finish
fi
for t in qemu-system-x86_64 mmdebstrap mkfs.ext4; do
	command -v $t >/dev/null || {
		count "SKIPPED: vm: $t not installed (bash tools/install-deps.sh --vm)"
		finish
	}
done
[ -x "$OUTPUT/osprey" ] || {
	count "FAIL: vm/build: $OUTPUT/osprey not built (make tests first)"
	finish
}

t0=$(date +%s)
IMG=$("$HERE/mkimage.sh") || {
	count "FAIL: vm/image: tests/vm/mkimage.sh failed"
	finish
}
echo "# vm: image $IMG ready in $(($(date +%s) - t0)) s"

WORK=$(mktemp -d /var/tmp/osprey-vm.XXXXXX)
# qemu's snapshot overlays of the root disk go here too.
export TMPDIR=$WORK
# The tree as git sees it (tracked and new files) and the build outputs
# `make install` needs; the sanitizer and fuzz builds stay out.
{
	git ls-files -co --exclude-standard
	find "${OUTPUT#"$TOP"/}" \( -path '*/asan' -o -path '*/fuzz' \) -prune \
		-o -type f -print
} | tar -c -f "$WORK/tree.tar" --no-recursion -T - || {
	count "FAIL: vm/tree: tar of the project"
	finish
}

# boot KERNEL: one guest, its result lines prefixed with vm-MAJOR.MINOR/
boot() {
	local k=$1 tag start res rc line
	tag=vm-$(echo "$k" | cut -d. -f1,2)
	res=$WORK/results-$k.log
	start=$(date +%s)
	: >"$res"
	qemu-system-x86_64 -machine q35,accel=tcg -cpu max -smp 2 -m "$MEM" \
		-display none -monitor none -no-reboot -nic none \
		-kernel "$IMG/vmlinuz-$k" -initrd "$IMG/initrd.img-$k" \
		-append "root=LABEL=osprey-vm rw console=ttyS0 panic=-1 osprey.vmtest" \
		-drive "file=$IMG/rootfs.img,format=raw,if=virtio,snapshot=on" \
		-drive "file=$WORK/tree.tar,format=raw,if=none,readonly=on,id=tree" \
		-device virtio-blk-pci,drive=tree,serial=osprey-tree \
		-serial "file:$WORK/console-$k.log" -serial "file:$res" \
		>"$WORK/qemu-$k.log" 2>&1 &
	QPID=$!
	while kill -0 "$QPID" 2>/dev/null; do
		if [ $(($(date +%s) - start)) -ge "$BOOT_LIMIT" ]; then
			kill "$QPID"
			echo "# $tag: time limit of $BOOT_LIMIT s reached, qemu ended"
			break
		fi
		sleep 2
	done
	wait "$QPID" 2>/dev/null
	QPID=
	tr -d '\r' <"$res" | while IFS= read -r line; do
		case $line in
		PASS:\ * | FAIL:\ * | SKIPPED:\ *)
			echo "${line%%: *}: $tag/${line#*: }" ;;
		\#*) echo "# $tag: ${line#\#}" ;;
		esac
	done >"$WORK/lines-$k"
	while IFS= read -r line; do count "$line"; done <"$WORK/lines-$k"
	rc=$(tr -d '\r' <"$res" | sed -n 's/^VMTEST-END rc=//p')
	if [ -z "$rc" ]; then
		count "FAIL: $tag/guest: expected the checks to finish, got no end marker (qemu ran $(($(date +%s) - start)) s, limit $BOOT_LIMIT s); console tail:"
		tr -d '\r' <"$WORK/console-$k.log" | tail -15 | sed 's/^/#   /'
		tail -3 "$WORK/qemu-$k.log" | sed 's/^/#   qemu: /'
	elif [ "$rc" != 0 ] && ! grep -q '^FAIL: ' "$WORK/lines-$k"; then
		count "FAIL: $tag/guest: checks exited with status $rc"
	fi
	echo "# $tag: kernel $k: boot and checks took $(($(date +%s) - start)) s"
}

want=("$@")
while read -r k; do
	if [ ${#want[@]} -gt 0 ]; then
		m=no
		for w in "${want[@]}"; do
			[[ $k == "$w" || $k == "$w"[.+-]* ]] && m=yes
		done
		[ $m = yes ] || continue
	fi
	boot "$k"
done <"$IMG/kernels"
finish
