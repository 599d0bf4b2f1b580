// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Text to values (parse.h).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
