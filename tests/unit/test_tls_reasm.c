// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reassembly and the per-direction hello state: a ~1.8 KB ClientHello in
 * two records, cut into TCP segments delivered in order, reversed,
 * shuffled with retransmissions and overlaps, across sequence wrap-around;
 * the JA4 must equal the one of the whole hello, appear exactly once, and
 * never before the last needed byte.
 */
#include <errno.h>
#include <stdlib.h>

#include "tests/harness.h"
#include "tests/tls_build.h"
#include "user/engine/tls.h"

static struct hb hb;
static uint8_t stream[HB_MAX + 4096];
static size_t stream_len;
static char want_ja4[JA4_LEN + 1];

struct seg {
	uint32_t off, len;
};

static void build(void)
{
	static const uint16_t c[] = { 0x1a1a, 0x1301, 0x1302, 0xc02b, 0xc02f };
	static const uint16_t vers[] = { 0x0304, 0x0303 };
	static uint8_t ks[1200];
	static uint8_t scratch[TLS_HELLO_MAX];
	struct tls_hello h;
	size_t need;

	memset(ks, 0x33, sizeof(ks));
	hb_hello_start(&hb, 1, 0x0303, NULL);
	hb_ciphers(&hb, c, 5);
	hb_exts_start(&hb);
	hb_ext_sni(&hb, "reasm.example");
	hb_ext(&hb, 0x0033, ks, sizeof(ks));
	hb_ext_u16s(&hb, 0x002b, 1, vers, 2);
	hb_ext(&hb, 0x0015, ks, 500); /* padding */
	hb_hello_end(&hb);
	/* two records: the hello spans them */
	stream_len = hb_records(hb.b, hb.n, 1000, stream);
	want_ja4[0] = 0;
	if (!tls_hello_parse(stream, stream_len, 1, scratch, sizeof(scratch),
			     &h, &need))
		ja4_client(&h, want_ja4, NULL, 0, NULL);
}

/*
 * Feeds the segments in order of `order` to a fresh stream whose byte 0
 * has sequence number base; returns the index (in `order`) of the feed that
 * completed the hello, -1 if none did; checks every other result.
 */
static int feed(uint32_t base, const struct seg *s, const int *order, int n,
		const char *what)
{
	struct tls_stream ts;
	struct tls_hello h;
	char ja4[JA4_LEN + 1];
	int i, err, done = -1;

	tls_stream_init(&ts, TLS_HS_CLIENT_HELLO, base);
	for (i = 0; i < n; i++) {
		const struct seg *g = &s[order[i]];

		err = tls_stream_feed(&ts, base + g->off, stream + g->off,
				      g->len, &h);
		if (done >= 0) {
			ASSERT_EQ(err, -EALREADY, what);
			continue;
		}
		if (!err) {
			done = i;
			ja4_client(&h, ja4, NULL, 0, NULL);
			ASSERT_STREQ(ja4, want_ja4, what);
		} else if (!ASSERT_EQ(err, -EAGAIN, what)) {
			break;
		}
	}
	tls_stream_free(&ts);
	return done;
}

/* Segments of `mss` bytes over the whole stream. */
static int cut(struct seg *s, uint32_t mss)
{
	uint32_t off;
	int n = 0;

	for (off = 0; off < stream_len; off += mss) {
		s[n].off = off;
		s[n].len = stream_len - off < mss ? stream_len - off : mss;
		n++;
	}
	return n;
}

static void test_in_order_and_reversed(void)
{
	struct seg s[64] = { { 0 } };
	int order[64] = { 0 }, n, i;

	build();
	if (!ASSERT_EQ(strlen(want_ja4), JA4_LEN, "reference JA4"))
		return;
	n = cut(s, 1448);
	ASSERT_EQ(n, 2, "two segments");
	for (i = 0; i < n; i++)
		order[i] = i;
	ASSERT_EQ(feed(1000, s, order, n, "in order"), n - 1, "done at last");
	for (i = 0; i < n; i++)
		order[i] = n - 1 - i;
	ASSERT_EQ(feed(1000, s, order, n, "reversed"), n - 1, "reversed");
	n = cut(s, 100);
	for (i = 0; i < n; i++)
		order[i] = n - 1 - i;
	ASSERT_EQ(feed(7, s, order, n, "reversed, 100-byte segments"), n - 1,
		  "reversed small");
	/* across sequence wrap-around */
	for (i = 0; i < n; i++)
		order[i] = i;
	ASSERT_EQ(feed(0xffffff00u, s, order, n, "wrap"), n - 1, "wrap");
}

/* Shuffled, with every segment sent twice and overlapping
 * retransmissions that cover two segments at once. */
static void test_shuffled_overlap(void)
{
	struct seg s[128];
	int order[128], n, m, i, j, t, round, last;

	build();
	srand(11);
	for (round = 0; round < 50; round++) {
		n = cut(s, 90 + round * 7);
		m = n;
		for (i = 0; i + 1 < n && m < 120; i += 3) {
			s[m].off = s[i].off + s[i].len / 2;
			s[m].len = s[i].len + s[i + 1].len / 2;
			m++;
		}
		for (i = 0; i < m; i++)
			order[i] = i;
		for (i = m; i < 2 * m && i < 128; i++)
			order[i] = i - m; /* duplicates */
		t = i;
		for (i = t - 1; i > 0; i--) {
			j = rand() % (i + 1);
			last = order[i];
			order[i] = order[j];
			order[j] = last;
		}
		if (feed(0x12345678u + round, s, order, t, "shuffled") < 0) {
			ASSERT_TRUE(0, "shuffled stream completed");
			return;
		}
	}
}

/* One byte missing: never a fingerprint. */
static void test_incomplete(void)
{
	struct seg s[64] = { { 0 } };
	int order[64] = { 0 }, n, i, k = 0;

	build();
	n = cut(s, 200);
	for (i = 0; i < n; i++)
		if (i != 3)
			order[k++] = i;
	ASSERT_EQ(feed(1, s, order, k, "one segment missing"), -1,
		  "incomplete hello is not a fingerprint");
	/* the last byte missing */
	s[n - 1].len--;
	for (i = 0; i < n; i++)
		order[i] = i;
	ASSERT_EQ(feed(1, s, order, n, "last byte missing"), -1,
		  "hello short of one byte");
}

/* A retransmission with other bytes does not overwrite the first copy. */
static void test_first_copy_wins(void)
{
	struct tls_stream ts;
	struct tls_hello h;
	uint8_t junk[300];
	char ja4[JA4_LEN + 1];

	/* stream: record 1 is bytes 0..1004, record 2's header 1005..1009 */
	int err;

	build();
	memset(junk, 0xee, sizeof(junk));
	tls_stream_init(&ts, 1, 500);
	err = tls_stream_feed(&ts, 500, stream, 1000, &h);
	ASSERT_EQ(err, -EAGAIN, "first part");
	/* junk for bytes 900..1199: 900..999 are held already and kept; the
	 * rest, which holds the second record's header, is taken first and
	 * breaks the hello (the later good copy changes nothing) */
	err = tls_stream_feed(&ts, 500 + 900, junk, sizeof(junk), &h);
	ASSERT_EQ(err, -EBADMSG, "overlapping junk");
	err = tls_stream_feed(&ts, 500 + 1000, stream + 1000,
			      (uint32_t)stream_len - 1000, &h);
	ASSERT_EQ(err, -EALREADY, "a result was given");
	tls_stream_free(&ts);
	/* the junk inside the first segment's range is ignored entirely */
	tls_stream_init(&ts, 1, 500);
	tls_stream_feed(&ts, 500, stream, 1000, &h);
	tls_stream_feed(&ts, 500 + 100, junk, sizeof(junk), &h);
	err = tls_stream_feed(&ts, 500 + 1000, stream + 1000,
			      (uint32_t)stream_len - 1000, &h);
	if (ASSERT_EQ(err, 0, "after junk retransmission")) {
		ja4_client(&h, ja4, NULL, 0, NULL);
		ASSERT_STREQ(ja4, want_ja4, "first copy kept");
	}
	tls_stream_free(&ts);
}

/* More holes than ranges: the extra segment is dropped and counted; its
 * retransmission completes the hello. */
static void test_range_table_full(void)
{
	struct tls_stream ts;
	struct tls_hello h;
	int i, err = 0;

	build();
	tls_stream_init(&ts, 1, 0);
	for (i = 1; i <= TLS_REASM_RANGES + 1; i++)
		err = tls_stream_feed(&ts, i * 20, stream + i * 20, 10, &h);
	ASSERT_EQ(err, -EAGAIN, "still waiting");
	ASSERT_EQ(ts.ra.dropped, 1, "one segment dropped");
	ASSERT_EQ(ts.ra.n, TLS_REASM_RANGES, "table full");
	err = tls_stream_feed(&ts, 0, stream, (uint32_t)stream_len, &h);
	ASSERT_EQ(err, 0, "whole retransmission completes");
	tls_stream_free(&ts);
}

static void test_edges(void)
{
	struct tls_stream ts;
	struct tls_hello h;
	uint8_t big[TLS_STREAM_MAX + 10];
	int err;

	build();
	/* not TLS: refused at once, nothing allocated */
	tls_stream_init(&ts, 1, 0);
	err = tls_stream_feed(&ts, 0, (const uint8_t *)"GET / HTTP/1.1\r\n", 16,
			      &h);
	ASSERT_EQ(err, -ENOMSG, "HTTP");
	ASSERT_TRUE(ts.ra.buf == NULL, "no buffer for a non-TLS stream");
	ASSERT_EQ(tls_stream_feed(&ts, 16, stream, 10, &h), -EALREADY, "after");
	tls_stream_free(&ts);
	/* bytes before the stream start are trimmed */
	tls_stream_init(&ts, 1, 100);
	memset(big, 0, 50);
	memcpy(big + 50, stream, stream_len);
	err = tls_stream_feed(&ts, 50, big, 50 + stream_len, &h);
	ASSERT_EQ(err, 0, "segment starting before the stream");
	tls_stream_free(&ts);
	/* a segment exactly 2^31 before or after the stream start (its
	 * offset is INT32_MIN as a signed number): ignored, no overflow */
	tls_stream_init(&ts, 1, 0x80000100u);
	ASSERT_EQ(tls_stream_feed(&ts, 0x100, stream, 10, &h), -EAGAIN,
		  "2^31 away");
	ASSERT_EQ(ts.ra.n, 0, "nothing held");
	tls_stream_free(&ts);
	/* a hello claiming more than TLS_HELLO_MAX */
	tls_stream_init(&ts, 1, 0);
	err = tls_stream_feed(&ts, 0,
			      (const uint8_t *)"\x16\x03\x01\x40\x00\x01\x00"
					       "\x40\x00",
			      9, &h);
	ASSERT_EQ(err, -EMSGSIZE, "16 KB + 4 hello");
	tls_stream_free(&ts);
	/* a stream of 1-byte records longer than TLS_STREAM_MAX */
	tls_stream_init(&ts, 1, 0);
	{
		size_t i, n = 0;

		for (i = 0; n + 6 <= sizeof(big); i++) {
			memcpy(big + n, "\x16\x03\x01\x00\x01", 5);
			big[n + 5] =
				i < 4 ? (uint8_t[]){ 1, 0, 0x3f, 0 }[i] : 0x55;
			n += 6;
		}
		err = tls_stream_feed(&ts, 0, big, n, &h);
		ASSERT_EQ(err, -EMSGSIZE, "too many records");
	}
	tls_stream_free(&ts);
}

TH_MAIN("tls_reasm", TH_CASE(test_in_order_and_reversed),
	TH_CASE(test_shuffled_overlap), TH_CASE(test_incomplete),
	TH_CASE(test_first_copy_wins), TH_CASE(test_range_table_full),
	TH_CASE(test_edges))
