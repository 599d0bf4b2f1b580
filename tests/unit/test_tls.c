// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * TLS hello parsing and fingerprints on hand-built hellos (tls_build.h).
 *
 * Expected values come from the specifications themselves: the JA4
 * example of FoxIO's technical_details/JA4.md (its ClientHello fields,
 * JA4 and JA4_r), its ALPN examples, and the JA3 examples (string and
 * MD5) of Salesforce's README.  Other cases check one rule each against
 * a variant of the same hello.
 */
#include <errno.h>

#include "tests/harness.h"
#include "tests/tls_build.h"
#include "user/engine/tls.h"

static struct hb hb;
static uint8_t stream[HB_MAX + 4096];
static uint8_t scratch[TLS_HELLO_MAX];

/* The JA4 specification's example ClientHello, in its order. */
static const uint16_t spec_ciphers[] = {
	0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9,
	0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035,
};
static const uint16_t spec_exts[] = {
	0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d,
	0x0005, 0x0023, 0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015,
};
static const uint16_t spec_sigs[] = { 0x0403, 0x0804, 0x0401, 0x0503,
				      0x0805, 0x0501, 0x0806, 0x0601 };
#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define SPEC_JA4 "t13d1516h2_8daaf6152771_e5627efa2ab1"
#define SPEC_JA4_R                                                           \
	"t13d1516h2_002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c," \
	"c02f,c030,cca8,cca9_0005,000a,000b,000d,0012,0015,0017,001b,0023,"  \
	"002b,002d,0033,4469,ff01_0403,0804,0401,0503,0805,0501,0806,0601"

/* Options for variants of the example hello. */
struct spec_opts {
	int grease; /* GREASE in every list and around the extensions */
	int no_sni, no_alpn, no_versions, no_sigs;
};

static void spec_ext(struct hb *h, uint16_t t, const struct spec_opts *o)
{
	static const char *const alpn[] = { "h2", "http/1.1" };
	static const int alpn_len[] = { 2, 8 };
	static const uint16_t vers[] = { 0x0304, 0x0303 };
	static const uint16_t gvers[] = { 0x2a2a, 0x0304, 0x0303 };
	static const uint16_t groups[] = { 0x001d, 0x0017, 0x0018 };
	static const uint16_t ggroups[] = { 0x4a4a, 0x001d, 0x0017, 0x0018 };
	uint16_t gsigs[N(spec_sigs) + 1];
	static const uint8_t pf[] = { 1, 0 };

	switch (t) {
	case 0x0000:
		if (!o->no_sni)
			hb_ext_sni(h, "example.com");
		return;
	case 0x0010:
		if (!o->no_alpn)
			hb_ext_alpn(h, alpn, alpn_len, 2);
		return;
	case 0x002b:
		if (!o->no_versions)
			hb_ext_u16s(h, t, 1, o->grease ? gvers : vers,
				    o->grease ? 3 : 2);
		return;
	case 0x000d:
		if (o->no_sigs)
			return;
		memcpy(gsigs, spec_sigs, 4 * 2);
		gsigs[4] = 0x3a3a;
		memcpy(gsigs + 5, spec_sigs + 4, 4 * 2);
		hb_ext_u16s(h, t, 2, o->grease ? gsigs : spec_sigs,
			    N(spec_sigs) + !!o->grease);
		return;
	case 0x000a:
		hb_ext_u16s(h, t, 2, o->grease ? ggroups : groups,
			    o->grease ? 4 : 3);
		return;
	case 0x000b:
		hb_ext(h, t, pf, sizeof(pf));
		return;
	}
	hb_ext(h, t, NULL, 0);
}

static size_t build_spec(const struct spec_opts *o)
{
	uint16_t c[N(spec_ciphers) + 1];
	int i, nc = 0;

	if (o->grease)
		c[nc++] = 0x0a0a;
	for (i = 0; i < N(spec_ciphers); i++)
		c[nc++] = spec_ciphers[i];
	hb_hello_start(&hb, TLS_HS_CLIENT_HELLO, 0x0303, NULL);
	hb_ciphers(&hb, c, nc);
	hb_exts_start(&hb);
	if (o->grease)
		hb_ext(&hb, 0x1a1a, NULL, 0);
	for (i = 0; i < N(spec_exts); i++)
		spec_ext(&hb, spec_exts[i], o);
	if (o->grease)
		hb_ext(&hb, 0xfafa, "\0", 1);
	return hb_hello_end(&hb);
}

/* Parses the message in hb as one stream of `frag`-byte records. */
static int parse_hb(int want, size_t frag, struct tls_hello *h)
{
	size_t n = hb_records(hb.b, hb.n, frag, stream), need;

	return tls_hello_parse(stream, n, want, scratch, sizeof(scratch), h,
			       &need);
}

static void test_spec_example(void)
{
	struct spec_opts o = { 0 };
	struct tls_hello h;
	char ja4[JA4_LEN + 1], raw[1024];
	size_t raw_len;

	build_spec(&o);
	if (!ASSERT_EQ(parse_hb(TLS_HS_CLIENT_HELLO, 16384, &h), 0, "parse"))
		return;
	ASSERT_EQ(ja4_client(&h, ja4, raw, sizeof(raw), &raw_len), 0, "ja4");
	ASSERT_STREQ(ja4, SPEC_JA4, "JA4 of the specification's example");
	ASSERT_STREQ(raw, SPEC_JA4_R, "JA4_r of the specification's example");
	ASSERT_EQ(raw_len, strlen(SPEC_JA4_R), "raw length");
	ASSERT_EQ(h.sni.len, 11, "sni length");
	ASSERT_TRUE(!memcmp(h.sni.p, "example.com", 11), "sni");
	ASSERT_EQ(tls_client_version(&h), 0x0304, "highest version");
	/* a short raw buffer: truncated, NUL-terminated, full length told */
	ja4_client(&h, ja4, raw, 12, &raw_len);
	ASSERT_STREQ(raw, "t13d1516h2_", "truncated raw");
	ASSERT_EQ(raw_len, strlen(SPEC_JA4_R), "full length when truncated");
}

static void test_grease_everywhere(void)
{
	struct spec_opts o = { 0 }, g = { .grease = 1 };
	char ja4[JA4_LEN + 1], ja3a[33], ja3b[33], s1[512], s2[512];
	char raw[1024];
	struct tls_hello h;

	build_spec(&o);
	if (!ASSERT_EQ(parse_hb(1, 16384, &h), 0, "parse plain"))
		return;
	ja3_client(&h, ja3a, s1, sizeof(s1), NULL);
	build_spec(&g);
	if (!ASSERT_EQ(parse_hb(1, 16384, &h), 0, "parse greased"))
		return;
	ASSERT_EQ(h.n_exts, N(spec_exts) + 2, "GREASE extensions parsed");
	ja4_client(&h, ja4, raw, sizeof(raw), NULL);
	ja3_client(&h, ja3b, s2, sizeof(s2), NULL);
	ASSERT_STREQ(ja4, SPEC_JA4, "JA4 ignores GREASE");
	ASSERT_STREQ(raw, SPEC_JA4_R, "JA4_r ignores GREASE");
	ASSERT_STREQ(s2, s1, "JA3 string ignores GREASE");
	ASSERT_STREQ(ja3b, ja3a, "JA3 ignores GREASE");
	ASSERT_EQ(tls_client_version(&h), 0x0304, "GREASE version skipped");
}

/* Salesforce's README examples, string and MD5. */
static void test_ja3_examples(void)
{
	static const uint16_t c1[] = { 47,    53,    5,	 10, 49161, 49162,
				       49171, 49172, 50, 56, 19,    4 };
	static const uint16_t c2[] = { 4, 5, 10, 9, 100, 98, 3, 6, 19, 18, 99 };
	static const uint16_t curves[] = { 23, 24, 25 };
	static const uint8_t pf[] = { 1, 0 };
	char hash[33], str[256];
	struct tls_hello h;

	hb_hello_start(&hb, 1, 0x0301, NULL);
	hb_ciphers(&hb, c1, N(c1));
	hb_exts_start(&hb);
	hb_ext_sni(&hb, "a.example");
	hb_ext_u16s(&hb, 10, 2, curves, 3);
	hb_ext(&hb, 11, pf, 2);
	hb_hello_end(&hb);
	if (ASSERT_EQ(parse_hb(1, 16384, &h), 0, "parse 1")) {
		ja3_client(&h, hash, str, sizeof(str), NULL);
		ASSERT_STREQ(str,
			     "769,47-53-5-10-49161-49162-49171-49172-50-56-"
			     "19-4,0-10-11,23-24-25,0",
			     "JA3 string 1");
		ASSERT_STREQ(hash, "ada70206e40642a3e4461f35503241d5", "JA3 1");
	}
	hb_hello_start(&hb, 1, 0x0301, NULL);
	hb_ciphers(&hb, c2, N(c2));
	hb_hello_end(&hb);
	if (ASSERT_EQ(parse_hb(1, 16384, &h), 0, "parse 2")) {
		ja3_client(&h, hash, str, sizeof(str), NULL);
		ASSERT_STREQ(str, "769,4-5-10-9-100-98-3-6-19-18-99,,,",
			     "JA3 string 2 (no extensions)");
		ASSERT_STREQ(hash, "de350869b8c85de67a350c8d186f11e6", "JA3 2");
	}
}

/* ALPN: the specification's examples, one first value each. */
static void test_alpn_rules(void)
{
	static const struct {
		const char *v;
		int len;
		const char *want;
	} t[] = {
		{ "h2", 2, "h2" },
		{ "http/1.1", 8, "h1" },
		{ "a", 1, "aa" },
		{ "", 0, "00" },
		{ "\xab", 1, "ab" },
		{ "\x20", 1, "20" },
		{ "\xab\xcd", 2, "ad" },
		{ "\x20\x61", 2, "21" },
		{ "\x30\xab", 2, "3b" },
		{ "\x61\x20", 2, "60" },
		{ "\x30\x31\xab\xcd", 4, "3d" },
		{ "\x30\xab\xcd\x31", 4, "01" },
		{ "\xe4\xbd\xa0", 3, "e0" }, /* UTF-8: hex, not "99" */
	};
	static const uint16_t c[] = { 0x1301 };
	struct tls_hello h;
	char ab[3] = { 0 }, msg[64];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const char *names[2] = { t[i].v, "zz" };
		int lens[2] = { t[i].len, 2 };

		hb_hello_start(&hb, 1, 0x0303, NULL);
		hb_ciphers(&hb, c, 1);
		hb_exts_start(&hb);
		hb_ext_alpn(&hb, names, lens, 2);
		hb_hello_end(&hb);
		snprintf(msg, sizeof(msg), "ALPN case %zu", i);
		if (!ASSERT_EQ(parse_hb(1, 16384, &h), 0, msg))
			continue;
		ja4_alpn_chars(&h, ab);
		ASSERT_STREQ(ab, t[i].want, msg);
	}
	/* no ALPN extension, and one with an empty list */
	hb_hello_start(&hb, 1, 0x0303, NULL);
	hb_ciphers(&hb, c, 1);
	hb_exts_start(&hb);
	hb_ext(&hb, 0x0010, "\0\0", 2);
	hb_hello_end(&hb);
	if (ASSERT_EQ(parse_hb(1, 16384, &h), 0, "empty list")) {
		ja4_alpn_chars(&h, ab);
		ASSERT_STREQ(ab, "00", "empty ALPN list");
	}
	struct spec_opts o = { .no_alpn = 1 };
	build_spec(&o);
	if (ASSERT_EQ(parse_hb(1, 16384, &h), 0, "no alpn")) {
		char ja4[JA4_LEN + 1];

		ja4_client(&h, ja4, NULL, 0, NULL);
		ASSERT_STREQ(ja4, "t13d151500_8daaf6152771_e5627efa2ab1",
			     "no ALPN: 00, one extension fewer");
	}
}

static void test_sni_rules(void)
{
	struct spec_opts o = { .no_sni = 1 };
	char ja4[JA4_LEN + 1];
	struct tls_hello h;
	static const uint16_t c[] = { 0x002f };

	build_spec(&o);
	if (ASSERT_EQ(parse_hb(1, 16384, &h), 0, "no sni")) {
		ja4_client(&h, ja4, NULL, 0, NULL);
		/* SNI is not in part c, so only a changes */
		ASSERT_STREQ(ja4, "t13i1515h2_8daaf6152771_e5627efa2ab1",
			     "no SNI: i");
		ASSERT_TRUE(!h.sni.p, "no sni value");
	}
	/* an IP literal in server_name: the extension exists, so 'd' */
	hb_hello_start(&hb, 1, 0x0303, NULL);
	hb_ciphers(&hb, c, 1);
	hb_exts_start(&hb);
	hb_ext_sni(&hb, "192.0.2.1");
	hb_hello_end(&hb);
	if (ASSERT_EQ(parse_hb(1, 16384, &h), 0, "ip sni")) {
		ja4_client(&h, ja4, NULL, 0, NULL);
		ASSERT_EQ(ja4[3], 'd', "SNI holding an IP address");
	}
	/* a malformed server_name body: present ('d'), no value, counted */
	hb_hello_start(&hb, 1, 0x0303, NULL);
	hb_ciphers(&hb, c, 1);
	hb_exts_start(&hb);
	hb_ext(&hb, 0x0000, "\0\x09\0\0\x05", 5);
	hb_hello_end(&hb);
	if (ASSERT_EQ(parse_hb(1, 16384, &h), 0, "bad sni body")) {
		ja4_client(&h, ja4, NULL, 0, NULL);
		ASSERT_EQ(ja4[3], 'd', "malformed SNI still present");
		ASSERT_EQ(h.bad_exts, 1, "malformed body counted");
		ASSERT_TRUE(!h.sni.p, "no value from a malformed body");
	}
}

static void test_zero_lists(void)
{
	static const uint16_t c[] = { 0x0035, 0x002f };
	char ja4[JA4_LEN + 1], raw[256];
	struct tls_hello h;

	/* no extension block at all (SSL 3.0 style), TLS 1.2 */
	hb_hello_start(&hb, 1, 0x0303, NULL);
	hb_ciphers(&hb, c, 2);
	hb_hello_end(&hb);
	if (ASSERT_EQ(parse_hb(1, 16384, &h), 0, "no extensions")) {
		ja4_client(&h, ja4, raw, sizeof(raw), NULL);
		ASSERT_STREQ(ja4, "t12i020000_f54dd463d39b_000000000000",
			     "zero extensions");
		ASSERT_STREQ(raw, "t12i020000_002f,0035_", "zero ext raw");
	}
	/* no ciphers, an empty extension block */
	hb_hello_start(&hb, 1, 0x0301, NULL);
	hb_ciphers(&hb, NULL, 0);
	hb_exts_start(&hb);
	hb_hello_end(&hb);
	if (ASSERT_EQ(parse_hb(1, 16384, &h), 0, "no ciphers")) {
		ja4_client(&h, ja4, raw, sizeof(raw), NULL);
		ASSERT_STREQ(ja4, "t10i000000_000000000000_000000000000",
			     "zero ciphers and extensions");
		ASSERT_STREQ(raw, "t10i000000__", "zero raw");
	}
}

static void test_versions_and_counts(void)
{
	static const struct {
		uint16_t legacy;
		uint16_t sv[3];
		int nsv; /* -1: no supported_versions extension */
		const char *want;
	} t[] = {
		{ 0x0303, { 0 }, -1, "12" },
		{ 0x0302, { 0 }, -1, "11" },
		{ 0x0300, { 0 }, -1, "s3" },
		{ 0x0303, { 0x0304, 0x0303 }, 2, "13" },
		{ 0x0303,
		  { 0x0303, 0x0304 },
		  2,
		  "13" }, /* highest, any order */
		{ 0x0303, { 0x8a8a }, 1, "00" }, /* only GREASE */
		{ 0x0303, { 0x7f1c, 0x0304 }, 2, "00" }, /* draft is highest */
		{ 0x0303, { 0 }, 0, "00" }, /* empty list */
		{ 0x0304, { 0 }, -1, "13" },
		{ 0x1234, { 0 }, -1, "00" },
	};
	uint16_t many[120];
	struct tls_hello h;
	char ja4[JA4_LEN + 1], msg[48];
	size_t i;

	for (i = 0; i < 120; i++)
		many[i] = (uint16_t)(0x0100 + i);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		hb_hello_start(&hb, 1, t[i].legacy, NULL);
		hb_ciphers(&hb, many, 3);
		hb_exts_start(&hb);
		if (t[i].nsv >= 0)
			hb_ext_u16s(&hb, 0x002b, 1, t[i].sv, t[i].nsv);
		hb_hello_end(&hb);
		snprintf(msg, sizeof(msg), "version case %zu", i);
		if (!ASSERT_EQ(parse_hb(1, 16384, &h), 0, msg))
			continue;
		ja4_client(&h, ja4, NULL, 0, NULL);
		ja4[3] = 0;
		ASSERT_STREQ(ja4 + 1, t[i].want, msg);
	}
	/* 120 ciphers and 100 extensions: both counts cap at 99 */
	hb_hello_start(&hb, 1, 0x0303, NULL);
	hb_ciphers(&hb, many, 120);
	hb_exts_start(&hb);
	for (i = 0; i < 100; i++)
		hb_ext(&hb, (uint16_t)(0x1000 + i), NULL, 0);
	hb_hello_end(&hb);
	if (ASSERT_EQ(parse_hb(1, 16384, &h), 0, "many")) {
		ja4_client(&h, ja4, NULL, 0, NULL);
		ASSERT_TRUE(!memcmp(ja4, "t12i999900_", 11),
			    "counts cap at 99");
	}
}

static void test_sig_algs(void)
{
	struct spec_opts o = { .no_sigs = 1 };
	char raw[1024], ja4[JA4_LEN + 1];
	struct tls_hello h;

	build_spec(&o);
	if (!ASSERT_EQ(parse_hb(1, 16384, &h), 0, "parse"))
		return;
	ja4_client(&h, ja4, raw, sizeof(raw), NULL);
	/* one extension fewer, and part c ends without '_' */
	ASSERT_STREQ(strrchr(raw, '_'),
		     "_0005,000a,000b,0012,0015,0017,001b,0023,002b,002d,"
		     "0033,4469,ff01",
		     "no signature algorithms: no trailing list");
	ASSERT_STREQ(ja4, "t13d1515h2_8daaf6152771_bebfbbe173b2",
		     "no signature algorithms: hash of the extensions alone");
}

TH_MAIN("tls", TH_CASE(test_spec_example), TH_CASE(test_grease_everywhere),
	TH_CASE(test_ja3_examples), TH_CASE(test_alpn_rules),
	TH_CASE(test_sni_rules), TH_CASE(test_zero_lists),
	TH_CASE(test_versions_and_counts), TH_CASE(test_sig_algs))
