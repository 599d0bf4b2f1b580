/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A TCP raw_sig (as osprey and p0f print it) turned into a database
 * `sig =` line, with every field, option and quirk said in plain words
 * (sigtext.c; `osprey sig` prints them).  No libbpf: unit-tested.
 */
#ifndef OSPREY_SIGTEXT_H
#define OSPREY_SIGTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define RAWSIG_LEN 512

/* ver:ttl+dist:olen:mss:win,ws:layout:quirks:pclass */
struct raw_sig {
	uint8_t ver; /* 4 or 6 */
	uint8_t ttl; /* as seen */
	int16_t dist; /* hops p0f guessed; -1 for '?' (too far to guess) */
	uint8_t olen;
	int32_t mss; /* -1: '*' (a p0f-sendsyn probe's answer) */
	char win[16]; /* "64240", "mss*44", "mtu*4" */
	uint8_t ws;
	char layout[RAWSIG_LEN];
	char quirks[RAWSIG_LEN];
	char pclass; /* '0' or '+' */
};

/* Parse a raw_sig; 0 or -EINVAL with what is wrong in err. */
int rawsig_parse(const char *s, struct raw_sig *r, char *err, size_t errlen);
/*
 * The value of a `sig =` line for r, following p0f's advice for new
 * signatures: the guessed initial TTL, '*' for an MSS a link decides,
 * '*' for the version of an IPv4 SYN (it also covers IPv6 SYNs without a
 * flow label; exact_ver: '4' instead), the rest as seen.
 */
void rawsig_to_sig(const struct raw_sig *r, bool exact_ver, char *out,
		   size_t len);
/* The initial TTL the line uses (p0f's guess: 32, 64, 128 or 255). */
unsigned int rawsig_ittl(const struct raw_sig *r);
/* One "; ..." comment line per field, option and quirk of r (a SYN's,
 * or a SYN+ACK's), for the line rawsig_to_sig() wrote with exact_ver. */
void rawsig_explain(FILE *fp, const struct raw_sig *r, bool synack,
		    bool exact_ver);
/* A label line that loads: class guessed from the initial TTL, NAME and
 * FLAVOR for the user to fill in. */
void rawsig_label(const struct raw_sig *r, char *out, size_t len);

#endif /* OSPREY_SIGTEXT_H */
