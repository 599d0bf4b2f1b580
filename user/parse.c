// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Text to values (parse.h).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "user/engine/engine.h"
#include "user/parse.h"

/* k/m/g at end: the shift it stands for, else 0. */
static int size_shift(const char *end)
{
	if (!end[0] || end[1])
		return 0;
	switch (tolower((unsigned char)end[0])) {
	case 'k':
		return 10;
	case 'm':
		return 20;
	case 'g':
		return 30;
	}
	return 0;
}

int parse_u32(const char *s, uint32_t min, uint32_t max, bool suffix,
	      uint32_t *out, char *err, size_t errlen)
{
	const char *p = s;
	unsigned long long v;
	int base = 10, shift;
	char *end;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	/* strtoull would take a sign or leading blanks: not numbers here */
	if (base == 16 ? !isxdigit((unsigned char)*p) :
			 !isdigit((unsigned char)*p))
		goto bad;
	errno = 0;
	v = strtoull(p, &end, base);
	if (errno)
		goto bad;
	shift = suffix ? size_shift(end) : 0;
	if (shift && v <= (ULLONG_MAX >> shift)) {
		v <<= shift;
		end++;
	}
	if (*end)
		goto bad;
	if (v < min || v > max) {
		errmsg(err, errlen, "%s is out of range %u..%u", s, min, max);
		return -ERANGE;
	}
	*out = (uint32_t)v;
	return 0;
bad:
	errmsg(err, errlen, "'%s' is not a number", s);
	return -EINVAL;
}

int parse_bool(const char *s, bool *out, char *err, size_t errlen)
{
	static const char *const yes[] = { "1", "yes", "true", "on" };
	static const char *const no[] = { "0", "no", "false", "off" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcasecmp(s, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcasecmp(s, no[i])) {
			*out = false;
			return 0;
		}
	}
	errmsg(err, errlen, "'%s' is not a boolean (yes/no)", s);
	return -EINVAL;
}

char *str_trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static const char *const dir_names[] = {
	[CAPTURE_BOTH] = "both",
	[CAPTURE_INGRESS] = "ingress",
	[CAPTURE_EGRESS] = "egress",
};

int parse_direction(const char *s, enum capture_direction *out, char *err,
		    size_t errlen)
{
	unsigned int i;

	for (i = 0; i < sizeof(dir_names) / sizeof(dir_names[0]); i++) {
		if (!strcmp(s, dir_names[i])) {
			*out = i;
			return 0;
		}
	}
	return errmsg(err, errlen, "'%s': expected ingress|egress|both", s);
}

const char *direction_name(enum capture_direction d)
{
	return (unsigned int)d < sizeof(dir_names) / sizeof(dir_names[0]) ?
		       dir_names[d] :
		       "?";
}

static int parse_tcp_port(const char *s, uint16_t *port)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > 65535)
		return -EINVAL;
	*port = (uint16_t)v;
	return 0;
}

int parse_listen_addr(const char *spec, struct sockaddr_storage *sa, char *err,
		      size_t errlen)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)sa;
	struct sockaddr_in *s4 = (struct sockaddr_in *)sa;
	const char *colon = strrchr(spec, ':'), *host = "127.0.0.1";
	char buf[INET6_ADDRSTRLEN + 2];
	size_t n;
	uint16_t port;

	memset(sa, 0, sizeof(*sa));
	if (parse_tcp_port(colon ? colon + 1 : spec, &port))
		return errmsg(err, errlen,
			      "'%s': expected PORT, ADDR:PORT or [ADDR6]:PORT",
			      spec);
	n = colon ? (size_t)(colon - spec) : 0;
	if (n >= sizeof(buf))
		return errmsg(err, errlen, "'%s': address too long", spec);
	if (n) {
		memcpy(buf, spec, n);
		buf[n] = '\0';
		host = buf;
		if (buf[0] == '[' && buf[n - 1] == ']') {
			buf[n - 1] = '\0';
			host = buf + 1;
		}
	}
	if (inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		return 0;
	}
	return errmsg(err, errlen, "'%s': '%s' is not an IP address", spec,
		      host);
}
