#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# h2c fingerprint of curl (HTTP/2 prior knowledge, a real client) against
# tshark's HTTP/2 and HPACK decode of the same bytes.
exec python3 "$(dirname "$0")/check_h2c.py"
