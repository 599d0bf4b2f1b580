// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Address text (user/engine/addr_text.[ch]) against libc: the usual form
 * against inet_ntop() and p0f's form against the printf formats p0f uses,
 * on edge cases, on every arrangement of zero groups in an IPv6 address
 * (where RFC 5952's "::" choice lives) and on random addresses.  Each
 * check stops at its first difference and prints that address.
 */
#include <arpa/inet.h>
#include <stdlib.h>

#include "tests/harness.h"
#include "user/engine/addr_text.h"

static const char *std_text(const u8 *a, u8 ver, char *buf)
{
	*addr_text_std(buf, a, ver) = 0;
	return buf;
}

static const char *p0f_text(const u8 *a, u8 ver, char *buf)
{
	*addr_text_p0f(buf, a, ver) = 0;
	return buf;
}

/* p0f's own formats for the same address */
static const char *p0f_printf(const u8 *a, u8 ver, char *buf, size_t len)
{
	if (ver == IP_VER4)
		snprintf(buf, len, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
	else
		snprintf(buf, len, "%x:%x:%x:%x:%x:%x:%x:%x", a[0] << 8 | a[1],
			 a[2] << 8 | a[3], a[4] << 8 | a[5], a[6] << 8 | a[7],
			 a[8] << 8 | a[9], a[10] << 8 | a[11],
			 a[12] << 8 | a[13], a[14] << 8 | a[15]);
	return buf;
}

/* Both forms of a against libc; false (and a FAIL line) on a difference. */
static bool same_as_libc(const u8 *a, u8 ver)
{
	char got[ADDR_TEXT_MAX + 1], want[INET6_ADDRSTRLEN], p0f[64];

	if (!inet_ntop(ver == IP_VER6 ? AF_INET6 : AF_INET, a, want,
		       sizeof(want)))
		return ASSERT_TRUE(0, "inet_ntop");
	if (!ASSERT_STREQ(std_text(a, ver, got), want, "vs inet_ntop"))
		return false;
	p0f_printf(a, ver, p0f, sizeof(p0f));
	return ASSERT_STREQ(p0f_text(a, ver, got), p0f, "vs p0f's printf");
}

static void edge_cases(void)
{
	static const char *const v6[] = {
		"::",
		"::1",
		"::2",
		"1::",
		"1::1",
		"::ffff:0:0",
		"::ffff:1.2.3.4",
		"::ffff:255.255.255.255",
		"::1.2.3.4",
		"::0.1.0.0",
		"::1:2",
		"::fffe:1:2",
		"0:0:0:0:ffff:0:1:2",
		"64:ff9b::1.2.3.4",
		"2001:db8::1",
		"2001:db8:0:1:1:1:1:1",
		"2001:0:0:1::1",
		"1:0:0:2:0:0:3:4",
		"1:0:2:0:3:0:4:0",
		"1:0:0:0:2:0:0:0",
		"0:0:1:0:0:1:0:0",
		"fe80::1:0:0:0",
		"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
		"1:2:3:4:5:6:7:8",
		"0:1:2:3:4:5:6:7",
		"1:2:3:4:5:6:7:0",
		"::ffff:1:2:3:4",
		"ff02::1:ff00:1",
		"a:b:c:d:e:f:0:0",
	};
	static const char *const v4[] = {
		"0.0.0.0",  "255.255.255.255", "1.2.3.4",
		"10.0.0.1", "100.99.10.9",     "192.168.0.100",
	};
	u8 a[16];
	size_t i;

	for (i = 0; i < sizeof(v6) / sizeof(v6[0]); i++)
		if (!ASSERT_TRUE(inet_pton(AF_INET6, v6[i], a) == 1, v6[i]) ||
		    !same_as_libc(a, IP_VER6))
			return;
	for (i = 0; i < sizeof(v4) / sizeof(v4[0]); i++)
		if (!ASSERT_TRUE(inet_pton(AF_INET, v4[i], a) == 1, v4[i]) ||
		    !same_as_libc(a, IP_VER4))
			return;
}

/* A group of the kind k: a small one, 0xffff, or random. */
static void set_group(u8 *a, int i, unsigned k)
{
	unsigned v = k == 0 ? 1 + rand() % 0xff :
		     k == 1 ? 0xffff :
			      1 + rand() % 0xffff;

	a[2 * i] = (u8)(v >> 8);
	a[2 * i + 1] = (u8)v;
}

/* Every pattern of zero and non-zero groups (256), each several times
 * with non-zero groups of different kinds: every tie and run placement,
 * and the IPv4-mapped/compatible shapes. */
static void zero_patterns(void)
{
	unsigned mask, rep;
	u8 a[16];
	int i;

	srand(5952);
	for (mask = 0; mask < 256; mask++)
		for (rep = 0; rep < 24; rep++) {
			memset(a, 0, sizeof(a));
			for (i = 0; i < 8; i++)
				if (mask & (1u << i))
					set_group(a, i,
						  (rep + (unsigned)i) % 3);
			/* the embedded IPv4 part with zero bytes inside */
			if (rep % 4 == 3)
				a[12 + rand() % 4] = 0;
			if (!same_as_libc(a, IP_VER6))
				return;
		}
}

static void random_addrs(void)
{
	u8 a[16];
	int n, i;

	srand(791);
	for (n = 0; n < 200000; n++) {
		for (i = 0; i < 16; i++)
			a[i] = (u8)rand();
		/* some zero bytes and groups, as real addresses have */
		for (i = 0; i < 16; i++)
			if (rand() % 3 == 0)
				a[i] = 0;
		if (!same_as_libc(a, n % 2 ? IP_VER6 : IP_VER4))
			return;
	}
}

static void u16_text(void)
{
	char got[8], want[8];
	unsigned v;

	for (v = 0; v <= 0xffff; v++) {
		*text_u16(got, v) = 0;
		snprintf(want, sizeof(want), "%u", v);
		if (!ASSERT_STREQ(got, want, "%u"))
			return;
	}
}

TH_MAIN("addr_text", TH_CASE(edge_cases), TH_CASE(zero_patterns),
	TH_CASE(random_addrs), TH_CASE(u16_text))
