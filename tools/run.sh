#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# `make run`: attach osprey to an interface and stream fingerprints.
# IFACE=eth0 overrides the default-route interface; OSPREY_ARGS adds flags.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin="$top/.output/osprey"

if [ "$(id -u)" -ne 0 ]; then
	echo "run: osprey needs root (or CAP_BPF+CAP_NET_ADMIN+CAP_PERFMON)" >&2
	exit 1
fi
iface=${IFACE:-}
if [ -z "$iface" ]; then
	iface=$(ip -o route show default 2>/dev/null | awk '{for (i=1;i<NF;i++) if ($i=="dev") {print $(i+1); exit}}')
	[ -n "$iface" ] || iface=$(ip -o -6 route show default 2>/dev/null | awk '{for (i=1;i<NF;i++) if ($i=="dev") {print $(i+1); exit}}')
fi
if [ -z "$iface" ]; then
	echo "run: no default route; name an interface: make run IFACE=eth0" >&2
	exit 1
fi
echo "run: attaching to $iface (Ctrl-C to stop)" >&2
# shellcheck disable=SC2086
exec "$bin" -f "$top/db/osprey.fp" -i "$iface" ${OSPREY_ARGS:-}
