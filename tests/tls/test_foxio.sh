#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# JA4 of every TCP stream of FoxIO-LLC/ja4's captures against its expected
# values (../shared/tls/foxio: pcap/ and expected/*.snap), specification
# deviations applied only where the records show them (check_tls.py).
exec python3 "$(dirname "$0")/check_tls.py" foxio
