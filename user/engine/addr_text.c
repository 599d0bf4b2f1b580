// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Address text (addr_text.h): digits written straight into the output,
 * since every log line carries two addresses and a 1M-host flood makes
 * each of them different.
 */
#include "addr_text.h"

static const char hex_digits[] = "0123456789abcdef";

/* "00" to "99": two digits per division */
static const char digit_pairs[] = "0001020304050607080910111213141516171819"
				  "2021222324252627282930313233343536373839"
				  "4041424344454647484950515253545556575859"
				  "6061626364656667686970717273747576777879"
				  "8081828384858687888990919293949596979899";

/* both digits of v < 100 */
static char *put_pair(char *p, unsigned v)
{
	p[0] = digit_pairs[2 * v];
	p[1] = digit_pairs[2 * v + 1];
	return p + 2;
}

/* "%u" of v < 100 */
static char *text_u2(char *p, unsigned v)
{
	if (v < 10) {
		*p = (char)('0' + v);
		return p + 1;
	}
	return put_pair(p, v);
}

/* "%u" of 0..255 */
static char *text_u8(char *p, unsigned v)
{
	if (v < 100)
		return text_u2(p, v);
	*p++ = (char)('0' + v / 100);
	return put_pair(p, v % 100);
}

char *text_u16(char *p, unsigned v)
{
	if (v < 100)
		return text_u2(p, v);
	if (v < 10000) {
		p = text_u2(p, v / 100);
		return put_pair(p, v % 100);
	}
	*p++ = (char)('0' + v / 10000);
	v %= 10000;
	p = put_pair(p, v / 100);
	return put_pair(p, v % 100);
}

/* "%x" of a 16-bit group */
static char *text_x16(char *p, unsigned v)
{
	int shift = 12;

	while (shift && !(v >> shift))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		*p++ = hex_digits[(v >> shift) & 0xf];
	return p;
}

static char *text_v4(char *p, const u8 *a)
{
	p = text_u8(p, a[0]);
	*p++ = '.';
	p = text_u8(p, a[1]);
	*p++ = '.';
	p = text_u8(p, a[2]);
	*p++ = '.';
	return text_u8(p, a[3]);
}

static unsigned group(const u8 *a, int i)
{
	return (unsigned)(a[2 * i] << 8 | a[2 * i + 1]);
}

char *addr_text_p0f(char *p, const u8 *a, u8 ip_ver)
{
	int i;

	if (ip_ver == IP_VER4)
		return text_v4(p, a);
	for (i = 0; i < 8; i++) {
		if (i)
			*p++ = ':';
		p = text_x16(p, group(a, i));
	}
	return p;
}

/* The first of the longest runs of two or more zero groups (RFC 5952
 * 4.2.2, 4.2.3): its start, or -1 for none; its length in *len. */
static int zero_run(const u8 *a, int *len)
{
	int i, start = -1, n = 0, best = -1, best_n = 0;

	for (i = 0; i < 8; i++) {
		if (group(a, i)) {
			n = 0;
			continue;
		}
		if (!n++)
			start = i;
		if (n > best_n) {
			best = start;
			best_n = n;
		}
	}
	*len = best_n;
	return best_n >= 2 ? best : -1;
}

char *addr_text_std(char *p, const u8 *a, u8 ip_ver)
{
	int i, len, run;

	if (ip_ver == IP_VER4)
		return text_v4(p, a);
	run = zero_run(a, &len);
	for (i = 0; i < 8; i++) {
		if (i == run) {
			*p++ = ':';
			i += len - 1;
			continue;
		}
		if (i)
			*p++ = ':';
		/* "::a.b.c.d" and "::ffff:a.b.c.d", as inet_ntop() has them */
		if (i == 6 && run == 0 &&
		    (len == 6 || (len == 5 && group(a, 5) == 0xffff)))
			return text_v4(p, a + 12);
		p = text_x16(p, group(a, i));
	}
	if (run >= 0 && run + len == 8)
		*p++ = ':';
	return p;
}
