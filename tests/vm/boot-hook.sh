#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The VM tier's hook inside the guest image.
#   boot-hook.sh --install ROOT   (host, while the image is built) set up
#                                 ROOT: the test unit, quiet timers
#   boot-hook.sh --run            (guest, from osprey-vmtest.service) unpack
#                                 the project from the second disk and run
#                                 tests/vm/guest.sh; its output goes to the
#                                 second serial port, which the host reads.
# The unit runs only when the kernel command line has osprey.vmtest, and
# powers the guest off when it ends.
set -u
case ${1:-} in
--install)
	root=$2
	echo osprey-vm >"$root/etc/hostname"
	cat >"$root/etc/systemd/system/osprey-vmtest.service" <<'UNIT'
[Unit]
Description=osprey VM test tier
ConditionKernelCommandLine=osprey.vmtest
After=multi-user.target
SuccessAction=poweroff-force
FailureAction=poweroff-force

[Service]
Type=oneshot
ExecStart=/bin/sh /usr/local/lib/boot-hook.sh --run
TimeoutStartSec=infinity

[Install]
WantedBy=multi-user.target
UNIT
	mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
	ln -sf /etc/systemd/system/osprey-vmtest.service \
		"$root/etc/systemd/system/multi-user.target.wants/"
	# Periodic jobs would only compete with the tests for the emulated CPU.
	for u in apt-daily.timer apt-daily-upgrade.timer man-db.timer \
		e2scrub_all.timer fstrim.timer; do
		ln -sf /dev/null "$root/etc/systemd/system/$u"
	done
	;;
--run)
	out=/dev/ttyS1
	stty -F $out raw -echo 2>/dev/null
	exec >$out 2>&1
	dev=/dev/disk/by-id/virtio-osprey-tree
	[ -e $dev ] || dev=/dev/vdb
	echo "VMTEST-BEGIN $(uname -r)"
	rc=1
	if mkdir -p /root/osprey && tar -x -C /root/osprey -f $dev; then
		bash /root/osprey/tests/vm/guest.sh
		rc=$?
	else
		echo "FAIL: vm/unpack: the project tree from $dev"
	fi
	echo "VMTEST-END rc=$rc"
	sync
	;;
*)
	echo "usage: $0 --install ROOT | --run" >&2
	exit 2
	;;
esac
