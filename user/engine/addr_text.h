/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Address text without printf or inet_ntop(): these run for every line
 * the daemon logs.  Each writes at p (room for ADDR_TEXT_MAX bytes) and
 * returns the end of what it wrote; nothing is NUL-terminated.
 */
#ifndef OSPREY_ADDR_TEXT_H
#define OSPREY_ADDR_TEXT_H

#include "defs.h"

/* "ffff:ffff:ffff:ffff:ffff:255.255.255.255" and room to spare */
#define ADDR_TEXT_MAX 48

/* p0f's form: "%u.%u.%u.%u", or eight "%x" groups with no "::". */
char *addr_text_p0f(char *p, const u8 *a, u8 ip_ver);
/* The usual form: dotted quad, or RFC 5952 for IPv6 byte for byte as
 * glibc's inet_ntop() writes it (IPv4-mapped and -compatible addresses
 * end in a dotted quad). */
char *addr_text_std(char *p, const u8 *a, u8 ip_ver);
/* "%u" of a 16-bit number. */
char *text_u16(char *p, unsigned v);

#endif /* OSPREY_ADDR_TEXT_H */
