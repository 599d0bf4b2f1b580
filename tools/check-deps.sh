#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Report, by name, every build dependency that is missing, and how to get it.
# Exit 0 when everything is present, 1 otherwise.  Prints nothing when happy.
missing=""
need_cmd() { command -v "$1" >/dev/null 2>&1 || missing="$missing $2"; }
need_pc() {
	command -v pkg-config >/dev/null 2>&1 || return 0
	pkg-config --exists "$1" 2>/dev/null || missing="$missing $2"
}
need_hdr() { [ -f "$1" ] || missing="$missing $2"; }

need_cmd cc gcc
need_cmd make make
need_cmd clang clang
need_cmd llvm-strip llvm
need_cmd bpftool bpftool
need_cmd pkg-config pkg-config
need_pc libbpf libbpf-dev
need_pc libelf libelf-dev
need_pc zlib zlib1g-dev
need_pc nettle nettle-dev
need_pc libnghttp2 libnghttp2-dev
need_pc libmicrohttpd libmicrohttpd-dev
need_pc libxdp libxdp-dev
need_hdr /usr/include/pcap/pcap.h libpcap-dev
need_hdr /usr/include/systemd/sd-daemon.h libsystemd-dev

if [ -n "$missing" ]; then
	echo "osprey: missing build dependencies:$missing" >&2
	echo "osprey: install them with: sudo tools/install-deps.sh" >&2
	exit 1
fi
exit 0
