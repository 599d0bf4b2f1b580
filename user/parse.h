/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Text to values, one syntax for the command line, the configuration
 * file, policy rules and the subcommands.  No libbpf.
 */
#ifndef OSPREY_PARSE_H
#define OSPREY_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "user/osprey.h"

/*
 * An unsigned 32-bit number in [min, max]: decimal, or hex after "0x".
 * With `suffix`, a trailing k, m or g multiplies by 2^10, 2^20, 2^30.
 * 0; -EINVAL "'S' is not a number" or -ERANGE "S is out of range
 * MIN..MAX" with the message in err.
 */
int parse_u32(const char *s, uint32_t min, uint32_t max, bool suffix,
	      uint32_t *out, char *err, size_t errlen);
/* yes/no, true/false, on/off, 1/0 (any case).  0 or -EINVAL (err set). */
int parse_bool(const char *s, bool *out, char *err, size_t errlen);
/* "both", "ingress" or "egress".  0 or -EINVAL (err set). */
int parse_direction(const char *s, enum capture_direction *out, char *err,
		    size_t errlen);
const char *direction_name(enum capture_direction d);
/*
 * A TCP listening address: "PORT" (on 127.0.0.1: local unless told),
 * "ADDR:PORT" or "[ADDR6]:PORT".  0 or -EINVAL with a message in err.
 */
struct sockaddr_storage;
int parse_listen_addr(const char *spec, struct sockaddr_storage *sa, char *err,
		      size_t errlen);
/* Drop leading and trailing white space in place; returns the start. */
char *str_trim(char *s);

#endif /* OSPREY_PARSE_H */
