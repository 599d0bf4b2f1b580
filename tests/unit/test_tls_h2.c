// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The h2c client fingerprint (user/engine/h2.h) on hand-built frames.
 * The Chrome and Firefox frame sequences reproduce the values those
 * browsers send (published with Akamai's format, e.g. Firefox's
 * "1:65536;4:131072;5:16384|12517377|3:0:0:201,...|m,p,a,s"); header blocks
 * are written by hand (static-table indexes, plain literals) or by
 * libnghttp2's HPACK deflater (Huffman-coded strings, split across
 * CONTINUATION frames).
 */
#include <errno.h>

#include <nghttp2/nghttp2.h>

#include "tests/harness.h"
#include "user/engine/h2.h"

static uint8_t buf[20000];
static size_t blen;

static void put(const void *p, size_t n)
{
	memcpy(buf + blen, p, n);
	blen += n;
}

static void frame(uint8_t type, uint8_t flags, uint32_t sid, const void *p,
		  size_t n)
{
	uint8_t h[9] = { n >> 16,   n >> 8,    n,	 type, flags,
			 sid >> 24, sid >> 16, sid >> 8, sid };

	put(h, 9);
	if (n)
		put(p, n);
}

static void settings(const uint32_t (*kv)[2], int n)
{
	uint8_t p[60];
	int i;

	for (i = 0; i < n; i++) {
		p[6 * i] = kv[i][0] >> 8;
		p[6 * i + 1] = kv[i][0];
		p[6 * i + 2] = kv[i][1] >> 24;
		p[6 * i + 3] = kv[i][1] >> 16;
		p[6 * i + 4] = kv[i][1] >> 8;
		p[6 * i + 5] = kv[i][1];
	}
	frame(0x4, 0, 0, p, 6 * n);
}

static void window_update(uint32_t sid, uint32_t inc)
{
	uint8_t p[4] = { inc >> 24, inc >> 16, inc >> 8, inc };

	frame(0x8, 0, sid, p, 4);
}

static void priority(uint32_t sid, int excl, uint32_t dep, uint8_t weight)
{
	uint8_t p[5] = { (dep >> 24) | (excl ? 0x80 : 0), dep >> 16, dep >> 8,
			 dep, weight };

	frame(0x2, 0, sid, p, 5);
}

static int fp(char *out, size_t size, size_t *need)
{
	return h2_fingerprint(buf, blen, out, size, NULL, need);
}

/* :method GET, :authority example.com, :scheme https, :path / (Chrome's
 * order), then a regular field. */
static const uint8_t chrome_block[] = {
	0x82, 0x41, 11,	  'e',	'x',  'a', 'm', 'p', 'l', 'e', '.', 'c',
	'o',  'm',  0x87, 0x84, 0x40, 2,   'u', 'a', 2,	  'x', 'y',
};

static void test_chrome(void)
{
	static const uint32_t s[][2] = {
		{ 1, 65536 }, { 2, 0 }, { 4, 6291456 }, { 6, 262144 }
	};
	uint8_t hdr[5 + sizeof(chrome_block)] = { 0x80, 0, 0, 0, 255 };
	char out[256];
	size_t need, full;

	blen = 0;
	put(H2_PREFACE, H2_PREFACE_LEN);
	settings(s, 4);
	window_update(0, 15663105);
	memcpy(hdr + 5, chrome_block, sizeof(chrome_block));
	/* END_STREAM | END_HEADERS | PRIORITY: not a PRIORITY frame */
	frame(0x1, 0x25, 1, hdr, sizeof(hdr));
	ASSERT_EQ(fp(out, sizeof(out), &need), 0, "complete");
	ASSERT_STREQ(out, "1:65536;2:0;4:6291456;6:262144|15663105|0|m,a,s,p",
		     "Chrome");
	/* every prefix: need more, with a need past it */
	full = blen;
	for (blen = 0; blen < full; blen++) {
		need = 0;
		if (!ASSERT_EQ(fp(out, sizeof(out), &need), -EAGAIN,
			       "prefix") ||
		    !ASSERT_TRUE(need > blen && need <= full, "need"))
			break;
	}
	blen = full;
	/* truncated output keeps the full length */
	ASSERT_EQ(h2_fingerprint(buf, blen, out, 8, &need, NULL), 0, "short");
	ASSERT_STREQ(out, "1:65536", "truncated");
	ASSERT_EQ(need,
		  strlen("1:65536;2:0;4:6291456;6:262144|15663105|0|"
			 "m,a,s,p"),
		  "full length");
}

static void test_firefox(void)
{
	static const uint32_t s[][2] = { { 1, 65536 },
					 { 4, 131072 },
					 { 5, 16384 } };
	/* :method GET, :path /, :authority a.b, :scheme https */
	static const uint8_t block[] = { 0x82, 0x84, 0x41, 3,
					 'a',  '.',  'b',  0x87 };
	char out[256];
	size_t need;

	blen = 0;
	put(H2_PREFACE, H2_PREFACE_LEN);
	settings(s, 3);
	window_update(0, 12517377);
	priority(3, 0, 0, 200);
	priority(5, 0, 0, 100);
	priority(7, 0, 0, 0);
	priority(9, 0, 7, 0);
	priority(11, 0, 3, 0);
	priority(13, 0, 0, 240);
	frame(0x1, 0x5, 15, block, sizeof(block));
	ASSERT_EQ(fp(out, sizeof(out), &need), 0, "complete");
	ASSERT_STREQ(out,
		     "1:65536;4:131072;5:16384|12517377|3:0:0:201,5:0:0:101,"
		     "7:0:0:1,9:0:7:1,11:0:3:1,13:0:0:241|m,p,a,s",
		     "Firefox");
}

/* libnghttp2's deflater (Huffman strings), the block split over a padded
 * HEADERS and two CONTINUATIONs; no WINDOW_UPDATE on stream 0. */
static void test_huffman_continuation(void)
{
	static const uint32_t s[][2] = { { 3, 100 }, { 4, 10485760 } };
	nghttp2_nv nva[] = {
#define NV(n, v) { (uint8_t *)n, (uint8_t *)v, sizeof(n) - 1, sizeof(v) - 1, 0 }
		NV(":method", "POST"),
		NV(":scheme", "http"),
		NV(":path", "/upload/some/longer/path?q=1"),
		NV(":authority", "www.example.com:8080"),
		NV("accept", "*/*"),
#undef NV
	};
	nghttp2_hd_deflater *def;
	uint8_t block[512], hdr[600];
	ssize_t n;
	char out[256];
	size_t need, a, b;

	if (!ASSERT_EQ(nghttp2_hd_deflate_new(&def, 4096), 0, "deflater"))
		return;
	n = nghttp2_hd_deflate_hd(def, block, sizeof(block), nva, 5);
	nghttp2_hd_deflate_del(def);
	if (!ASSERT_TRUE(n > 10, "deflate"))
		return;
	a = (size_t)n / 3;
	b = 2 * (size_t)n / 3;
	hdr[0] = 3; /* pad length */
	memcpy(hdr + 1, block, a);
	memset(hdr + 1 + a, 0, 3);
	blen = 0;
	put(H2_PREFACE, H2_PREFACE_LEN);
	settings(s, 2);
	window_update(1, 99); /* a stream's window: not the connection's */
	frame(0x1, 0x08, 1, hdr, 1 + a + 3); /* PADDED, no END_HEADERS */
	frame(0x9, 0, 1, block + a, b - a);
	frame(0x9, 0x4, 1, block + b, (size_t)n - b);
	ASSERT_EQ(fp(out, sizeof(out), &need), 0, "complete");
	ASSERT_STREQ(out, "3:100;4:10485760|00|0|m,s,p,a", "Huffman, split");
}

/* The preface and one frame, and the result wanted. */
static void one_frame(const char *what, uint8_t type, uint8_t flags,
		      const void *p, size_t n, int want)
{
	char out[64];
	size_t need;

	blen = 0;
	put(H2_PREFACE, H2_PREFACE_LEN);
	frame(type, flags, 1, p, n);
	ASSERT_EQ(fp(out, sizeof(out), &need), want, what);
}

static void test_broken(void)
{
	static const uint32_t s[][2] = { { 1, 4096 } };
	static uint8_t big[H2_STREAM_MAX];
	char out[64];
	size_t need;

	blen = 0;
	put("GET / HTTP/1.1\r\n", 16);
	ASSERT_EQ(fp(out, sizeof(out), &need), -ENOMSG, "HTTP/1.1");
	blen = 0;
	put("PRI * HTTP/1.1", 14);
	ASSERT_EQ(fp(out, sizeof(out), &need), -ENOMSG, "almost a preface");

	one_frame("SETTINGS of 5", 0x4, 0, "\0\1\0\0\0", 5, -EBADMSG);
	one_frame("lone CONTINUATION", 0x9, 0x4, "\x82", 1, -EBADMSG);
	one_frame("bad HPACK index 0", 0x1, 0x4, "\x80", 1, -EBADMSG);
	/* PADDED | END_HEADERS, pad 5 > what is left */
	one_frame("padding too long", 0x1, 0x0c, "\x05\x82", 2, -EBADMSG);
	one_frame("DATA past the limit, no block", 0x0, 0, big,
		  sizeof(big) - 20, -EMSGSIZE);

	one_frame("block not ended", 0x1, 0, "\x82", 1, -EAGAIN);
	settings(s, 1);
	ASSERT_EQ(fp(out, sizeof(out), &need), -EBADMSG, "frame inside block");
}

TH_MAIN("tls_h2", TH_CASE(test_chrome), TH_CASE(test_firefox),
	TH_CASE(test_huffman_continuation), TH_CASE(test_broken))
