// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The TLS record layer and hello parser on cut, split and broken input:
 * every prefix of a stream is "need more" with a need past it, every
 * record split gives the same hello, every broken length is refused, and
 * ServerHellos (TLS 1.2, 1.3, HelloRetryRequest, draft 1.3) give JA3S.
 */
#include <errno.h>
#include <stdlib.h>

#include "tests/harness.h"
#include "tests/tls_build.h"
#include "user/engine/tls.h"

static struct hb hb;
static uint8_t stream[HB_MAX + 8192];
static uint8_t scratch[TLS_HELLO_MAX];

static int parse(const uint8_t *s, size_t n, int want, struct tls_hello *h,
		 size_t *need)
{
	return tls_hello_parse(s, n, want, scratch, sizeof(scratch), h, need);
}

static void ja4_of(const uint8_t *s, size_t n, char out[JA4_LEN + 1])
{
	struct tls_hello h;
	size_t need;

	out[0] = 0;
	if (!parse(s, n, 1, &h, &need))
		ja4_client(&h, out, NULL, 0, NULL);
}

/* Every prefix is -EAGAIN with a need past it and within the stream. */
static void test_every_prefix(void)
{
	static const size_t frags[] = { 16384, 1000, 517, 7, 1 };
	size_t f, len, n, need;
	struct tls_hello h;
	int err;

	hb_chrome_pq(&hb);
	for (f = 0; f < sizeof(frags) / sizeof(frags[0]); f++) {
		n = hb_records(hb.b, hb.n, frags[f], stream);
		for (len = 0; len < n; len++) {
			need = 0;
			err = parse(stream, len, 1, &h, &need);
			if (!ASSERT_EQ(err, -EAGAIN, "prefix") ||
			    !ASSERT_TRUE(need > len && need <= n, "need"))
				return;
		}
		if (!ASSERT_EQ(parse(stream, n, 1, &h, &need), 0, "whole"))
			return;
		ASSERT_EQ(h.stream_len, n, "stream_len");
		ASSERT_EQ(h.msg_len, hb.n, "msg_len");
	}
	/* in one record the need is exact once the record header is in */
	n = hb_records(hb.b, hb.n, 16384, stream);
	parse(stream, 5, 1, &h, &need);
	ASSERT_EQ(need, n, "exact need from the record header");
}

/* The same hello in 1-byte to whole records gives one JA4, also when
 * joined in place (scratch == stream). */
static void test_record_splits(void)
{
	char want[JA4_LEN + 1], got[JA4_LEN + 1], msg[40];
	struct tls_hello h;
	size_t frag, n, need;

	hb_chrome_pq(&hb);
	n = hb_records(hb.b, hb.n, 16384, stream);
	ja4_of(stream, n, want);
	ASSERT_STREQ(want, "t13d1516h2_8daaf6152771_d8a2da3f94cd", "big hello");
	for (frag = 1; frag < hb.n + 2; frag += frag < 40 ? 1 : 97) {
		n = hb_records(hb.b, hb.n, frag, stream);
		ja4_of(stream, n, got);
		snprintf(msg, sizeof(msg), "records of %zu", frag);
		if (!ASSERT_STREQ(got, want, msg))
			return;
	}
	/* in place: the stream buffer is the scratch */
	n = hb_records(hb.b, hb.n, 100, stream);
	if (ASSERT_EQ(tls_hello_parse(stream, n, 1, stream, sizeof(stream), &h,
				      &need),
		      0, "in place")) {
		ja4_client(&h, got, NULL, 0, NULL);
		ASSERT_STREQ(got, want, "joined in place");
	}
	/* no scratch for a multi-record hello */
	n = hb_records(hb.b, hb.n, 100, stream);
	ASSERT_EQ(tls_hello_parse(stream, n, 1, NULL, 0, &h, &need), -ENOBUFS,
		  "multi-record without scratch");
	/* a zero-length record before and inside the hello is skipped */
	memcpy(stream, "\x16\x03\x01\x00\x00", 5);
	n = 5 + hb_records(hb.b, hb.n, 16384, stream + 5);
	ja4_of(stream, n, got);
	ASSERT_STREQ(got, want, "empty record first");
}

/* Cut the message short at every byte (lengths made consistent): a valid
 * hello only where the cut falls after compression_methods. */
static void test_every_cut(void)
{
	struct tls_hello h;
	size_t cut, n, need, comp_end = 4 + 2 + 32 + 1 + 2 + 32 + 2;
	uint8_t *m;
	int err;

	hb_chrome_pq(&hb);
	m = malloc(hb.n);
	if (!ASSERT_TRUE(m != NULL, "malloc"))
		return;
	for (cut = 4; cut < hb.n; cut++) {
		memcpy(m, hb.b, cut);
		m[1] = (uint8_t)((cut - 4) >> 16);
		m[2] = (uint8_t)((cut - 4) >> 8);
		m[3] = (uint8_t)(cut - 4);
		n = hb_records(m, cut, 16384, stream);
		err = parse(stream, n, 1, &h, &need);
		if (!ASSERT_EQ(err, cut == comp_end ? 0 : -EBADMSG, "cut"))
			break;
	}
	free(m);
}

static void corrupt_case(const char *what, size_t at, uint8_t v, int want)
{
	struct tls_hello h;
	size_t n, need;

	hb_chrome_pq(&hb);
	hb.b[at] = v;
	n = hb_records(hb.b, hb.n, 16384, stream);
	ASSERT_EQ(parse(stream, n, 1, &h, &need), want, what);
}

static void test_broken(void)
{
	struct tls_hello h;
	size_t n, need;

	corrupt_case("odd cipher length", 4 + 34 + 1 + 1, 33, -EBADMSG);
	corrupt_case("session id 33", 4 + 34, 33, -EBADMSG);
	corrupt_case("a ServerHello asked for a ClientHello", 0, 2, -ENOMSG);
	corrupt_case("extension block too long", 4 + 34 + 1 + 34 + 2, 0xff,
		     -EBADMSG);
	corrupt_case("handshake longer than 16 KB", 1, 1, -EMSGSIZE);
	hb_chrome_pq(&hb);
	n = hb_records(hb.b, hb.n, 16384, stream);
	stream[0] = 23; /* application data first: not TLS here */
	ASSERT_EQ(parse(stream, n, 1, &h, &need), -ENOMSG, "not handshake");
	stream[0] = 22;
	stream[3] = 0x40; /* record over 2^14 */
	stream[4] = 0x01;
	ASSERT_EQ(parse(stream, n, 1, &h, &need), -EBADMSG, "record length");
	n = hb_records(hb.b, hb.n, 300, stream);
	stream[305] = 21; /* an alert record in the middle of the hello */
	ASSERT_EQ(parse(stream, n, 1, &h, &need), -EBADMSG, "foreign record");
	ASSERT_EQ(
		parse((const uint8_t *)"GET / HTTP/1.1\r\n", 16, 1, &h, &need),
		-ENOMSG, "HTTP");
	/* SSLv2-compatible ClientHello: refused by name */
	ASSERT_EQ(parse((const uint8_t *)"\x80\x2e\x01\x03\x01\x00\x15", 7, 1,
			&h, &need),
		  -EPROTONOSUPPORT, "SSLv2 hello");
	ASSERT_EQ(parse((const uint8_t *)"\x80\x2e\x01", 3, 1, &h, &need),
		  -EAGAIN, "SSLv2 hello, 3 bytes");
}

static void server_hello(uint16_t ver, const uint8_t *random, uint16_t sel_ver,
			 int draft)
{
	static const char *const alpn[] = { "h2" };
	static const int alpn_len[] = { 2 };

	hb.n = 0;
	hb.exts_len_at = 0;
	hb_u8(&hb, 2);
	hb.hs_len_at = hb.n;
	hb.n += 3;
	hb_u16(&hb, ver);
	hb_bytes(&hb, random, 32);
	if (!draft)
		hb_u8(&hb, 0); /* session id */
	hb_u16(&hb, 0x1301);
	if (!draft)
		hb_u8(&hb, 0); /* compression */
	hb_exts_start(&hb);
	if (sel_ver)
		hb_ext(&hb, 0x002b, (uint8_t[]){ sel_ver >> 8, sel_ver & 0xff },
		       2);
	hb_ext(&hb, 0x0033, "\x00\x1d\x00\x00", 4);
	hb_ext_alpn(&hb, alpn, alpn_len, 1);
	hb_hello_end(&hb);
}

static void test_server_hello(void)
{
	static const uint8_t hrr[32] = {
		0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11,
		0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
		0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e,
		0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
	};
	uint8_t rnd[32];
	char hash[33], str[64], ja4[JA4_LEN + 1];
	struct tls_hello h;
	size_t n, need;

	memset(rnd, 7, sizeof(rnd));
	server_hello(0x0303, rnd, 0x0304, 0);
	n = hb_records(hb.b, hb.n, 16384, stream);
	if (ASSERT_EQ(parse(stream, n, 2, &h, &need), 0, "server hello")) {
		ja3_server(&h, hash, str, sizeof(str), NULL);
		ASSERT_STREQ(str, "771,4865,43-51-16", "JA3S string");
		ASSERT_EQ(h.sel_version, 0x0304, "selected version");
		ASSERT_EQ(h.hrr, 0, "not HRR");
		ASSERT_EQ(h.alpn.len, 3, "selected ALPN");
		ASSERT_EQ(ja4_client(&h, ja4, NULL, 0, NULL), -EINVAL,
			  "no JA4 for a ServerHello");
		ASSERT_EQ(ja3_client(&h, hash, NULL, 0, NULL), -EINVAL,
			  "no JA3 for a ServerHello");
	}
	ASSERT_EQ(parse(stream, n, 1, &h, &need), -ENOMSG, "wanted client");
	server_hello(0x0303, hrr, 0x0304, 0);
	n = hb_records(hb.b, hb.n, 16384, stream);
	if (ASSERT_EQ(parse(stream, n, 2, &h, &need), 0, "HRR"))
		ASSERT_EQ(h.hrr, 1, "HelloRetryRequest seen");
	/* TLS 1.3 draft 18: no session id, no compression */
	server_hello(0x7f12, rnd, 0, 1);
	n = hb_records(hb.b, hb.n, 16384, stream);
	if (ASSERT_EQ(parse(stream, n, 2, &h, &need), 0, "draft 18")) {
		ja3_server(&h, hash, str, sizeof(str), NULL);
		ASSERT_STREQ(str, "32530,4865,51-16", "draft JA3S string");
	}
	/* a warning alert before the ServerHello is passed over */
	memcpy(stream, "\x15\x03\x03\x00\x02\x01\x70", 7);
	server_hello(0x0303, rnd, 0, 0);
	n = 7 + hb_records(hb.b, hb.n, 16384, stream + 7);
	if (ASSERT_EQ(parse(stream, n, 2, &h, &need), 0, "alert first")) {
		ja3_server(&h, hash, str, sizeof(str), NULL);
		ASSERT_STREQ(str, "771,4865,51-16", "JA3S after an alert");
	}
	ASSERT_EQ(parse(stream, 6, 2, &h, &need), -EAGAIN, "cut alert");
	/* ServerHello and Certificate in one record (TLS 1.2 servers): the
	 * hello is whole before the record is */
	server_hello(0x0303, rnd, 0, 0);
	memset(hb.b + hb.n, 0x0b, 3000); /* "Certificate" bytes */
	n = hb_records(hb.b, hb.n + 3000, 16384, stream);
	ASSERT_EQ(parse(stream, 5 + hb.n - 1, 2, &h, &need), -EAGAIN,
		  "one byte short of the hello");
	if (ASSERT_EQ(parse(stream, 5 + hb.n, 2, &h, &need), 0,
		      "hello whole, record cut")) {
		ja3_server(&h, hash, str, sizeof(str), NULL);
		ASSERT_STREQ(str, "771,4865,51-16", "JA3S, record cut");
		ASSERT_EQ(h.stream_len, 5 + hb.n, "stream_len to its end");
	}
	ASSERT_EQ(parse(stream, n, 2, &h, &need), 0, "whole record");
}

TH_MAIN("tls_parse", TH_CASE(test_every_prefix), TH_CASE(test_record_splits),
	TH_CASE(test_every_cut), TH_CASE(test_broken),
	TH_CASE(test_server_hello))
