#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build (or reuse) the Debian 12 guest for the VM tier:
#   tests/vm/mkimage.sh            print the image directory, building it
#                                  when the cache has none for this recipe
# The image is built with mmdebstrap from Debian packages only, then
# tools/install-deps.sh runs inside it, as on a fresh machine.  It holds
# two kernels: bookworm's stock one and the newest in bookworm-backports.
# Output, under $OSPREY_VM_CACHE/<recipe hash>/ (outside the tree):
#   rootfs.img        ext4 root filesystem (used read-only: qemu snapshots)
#   vmlinuz-V, initrd.img-V for each kernel; kernels (one V per line, oldest
#   first).
# The hash covers this script, install-deps.sh and the guest boot hook,
# so changing the package list rebuilds the image.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
CACHE=${OSPREY_VM_CACHE:-/var/cache/osprey-vm}
SUITE=bookworm
# stdout carries only the image directory; everything else goes to stderr.
exec 3>&1 1>&2

# Packages of the guest beyond what tools/install-deps.sh installs: an
# init, the kernels' tooling, what the VM tier's checks use.
GUEST_PKGS="systemd systemd-sysv udev dbus kmod initramfs-tools
linux-image-amd64 ca-certificates"

key=$(cat "$0" "$TOP/tools/install-deps.sh" "$HERE/boot-hook.sh" |
	sha256sum | cut -c1-16)
OUT=$CACHE/$key
if [ -f "$OUT/kernels" ]; then
	echo "$OUT" >&3
	exit 0
fi
for t in mmdebstrap mkfs.ext4 apt-get flock; do
	command -v $t >/dev/null || {
		echo "mkimage: $t not installed (bash tools/install-deps.sh --vm)"
		exit 1
	}
done
mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9
[ -f "$OUT/kernels" ] && { echo "$OUT" >&3; exit 0; }

WORK=$(mktemp -d "$CACHE/.build-$key.XXXXXX")
# --one-file-system: never into what a killed mmdebstrap left mounted.
trap 'rm -rf --one-file-system "$WORK"' EXIT
trap 'exit 130' INT TERM

# The host's own Debian sources (whatever mirror it is set up with), plus
# backports of the same suite for the newest kernel.
apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(ORIGIN)' \
	'Created-By: Packages' | sort -u |
	awk -v s=$SUITE '$3 == "Debian" && index($2, s) == 1 {
		print "deb " $1 " " $2 " main"
		if ($2 == s) print "deb " $1 " " s "-backports main" }' \
	>"$WORK/sources.list"
grep -q -- "-backports" "$WORK/sources.list" || {
	echo "mkimage: no Debian $SUITE source in the host's apt setup"
	exit 1
}

t0=$(date +%s)
echo "mkimage: building the $SUITE guest in $OUT (takes minutes)"
# Documentation and locales are left out: the guest only runs tests.
timeout 3000 mmdebstrap --mode=root --variant=apt \
	--dpkgopt='path-exclude=/usr/share/doc/*' \
	--dpkgopt='path-exclude=/usr/share/man/*' \
	--dpkgopt='path-exclude=/usr/share/locale/*' \
	--include="$(echo $GUEST_PKGS | tr ' ' ,)" \
	--customize-hook="copy-in $TOP/tools/install-deps.sh /tmp" \
	--customize-hook='chroot "$1" sh /tmp/install-deps.sh' \
	--customize-hook='chroot "$1" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -t '$SUITE'-backports linux-image-amd64' \
	--customize-hook="copy-in $HERE/boot-hook.sh /usr/local/lib" \
	--customize-hook='sh '"$HERE"'/boot-hook.sh --install "$1"' \
	$SUITE "$WORK/root" "$WORK/sources.list" >"$WORK/mmdebstrap.log" 2>&1 || {
	tail -30 "$WORK/mmdebstrap.log"
	echo "mkimage: mmdebstrap failed"
	exit 1
}

mkdir -p "$WORK/out"
ls "$WORK/root/boot" | sed -n 's/^vmlinuz-//p' | sort -V >"$WORK/out/kernels"
while read -r v; do
	cp "$WORK/root/boot/vmlinuz-$v" "$WORK/root/boot/initrd.img-$v" \
		"$WORK/out/"
done <"$WORK/out/kernels"
[ "$(wc -l <"$WORK/out/kernels")" -ge 2 ] || {
	echo "mkimage: expected two kernels, got: $(cat "$WORK/out/kernels")"
	exit 1
}
# Room for the tests (the project copy, logs) on top of what is installed.
mb=$(($(du -sm "$WORK/root" | cut -f1) + 1536))
mkfs.ext4 -q -L osprey-vm -d "$WORK/root" "$WORK/out/rootfs.img" "${mb}M"
echo "mkimage: built in $(($(date +%s) - t0)) s: kernels" \
	"$(tr '\n' ' ' <"$WORK/out/kernels")"
# Images of older recipes go.
find "$CACHE" -mindepth 1 -maxdepth 1 -type d -regextype egrep \
	-regex '.*/[0-9a-f]{16}' -exec rm -rf {} +
mv "$WORK/out" "$OUT"
echo "$OUT" >&3
