#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# JA3 and JA3S (string and MD5) against Debian tshark's
# tls.handshake.ja3_full/ja3/ja3s_full/ja3s on every capture of
# ../shared/pcaps and ../shared/tls/foxio/pcap, for every handshake both
# see; one line per capture with a handshake, then a summary.
exec python3 "$(dirname "$0")/check_tls.py" tshark
