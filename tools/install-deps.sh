#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Install everything osprey needs to build, run and test, from Debian's
# archive.  Idempotent; quiet when everything is already present.
#   install-deps.sh        build, run, and the tiers of `make test`
#   install-deps.sh --vm   and the VM tier's (`make test-vm`) host tools
set -eu

# Build, run and test dependencies (Debian 12 package names).
PKGS="make gcc clang llvm pkg-config libbpf-dev bpftool libelf-dev zlib1g-dev
libpcap-dev libsystemd-dev iproute2 p0f tcpdump tcpreplay curl wget iptables
nftables python3 procps util-linux psmisc kmod systemd libclang-rt-14-dev nettle-dev libnghttp2-dev tshark
libmicrohttpd-dev libxdp-dev xdp-tools prometheus python3-jsonschema passwd logrotate
openssl gnutls-bin chromium"
# The VM tier builds a Debian image and boots it under qemu (tests/vm/).
VM_PKGS="mmdebstrap qemu-system-x86 e2fsprogs"
[ "${1:-}" = --vm ] && PKGS="$PKGS $VM_PKGS"

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: must run as root (try: sudo $0)" >&2
	exit 1
fi
if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
	echo "install-deps: apt-get/dpkg not found; install these by hand:" >&2
	echo "  $PKGS" | tr '\n' ' ' >&2
	echo >&2
	exit 1
fi

missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = "installed" ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "install-deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q --no-install-recommends $missing >/tmp/osprey-apt.log 2>&1; then
	apt-get update -q >/tmp/osprey-apt-update.log 2>&1 || {
		echo "install-deps: apt-get update failed, see /tmp/osprey-apt-update.log" >&2
		exit 1
	}
	apt-get install -y -q --no-install-recommends $missing >/tmp/osprey-apt.log 2>&1 || {
		tail -20 /tmp/osprey-apt.log >&2
		echo "install-deps: apt-get install failed, see /tmp/osprey-apt.log" >&2
		exit 1
	}
fi
echo "install-deps: done"
