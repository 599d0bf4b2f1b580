/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Hand-built TLS hellos for the TLS unit tests: a ClientHello or
 * ServerHello assembled field by field (RFC 8446 4.1.2, 4.1.3), its
 * extensions appended one by one, then cut into records of a chosen size.
 * Lengths are filled in when a vector is closed, so a test can also write
 * a wrong one on purpose.
 */
#ifndef OSPREY_TLS_BUILD_H
#define OSPREY_TLS_BUILD_H

#include <stdint.h>
#include <string.h>

#define HB_MAX 40000

struct hb {
	uint8_t b[HB_MAX];
	size_t n;
	size_t hs_len_at, exts_len_at; /* where lengths go */
};

static inline void hb_u8(struct hb *h, unsigned v)
{
	h->b[h->n++] = (uint8_t)v;
}

static inline void hb_u16(struct hb *h, unsigned v)
{
	hb_u8(h, v >> 8);
	hb_u8(h, v & 0xff);
}

static inline void hb_bytes(struct hb *h, const void *p, size_t n)
{
	if (n)
		memcpy(h->b + h->n, p, n);
	h->n += n;
}

/* Writes `width` bytes of the length of everything after them. */
static inline void hb_fill_len(struct hb *h, size_t at, int width)
{
	size_t len = h->n - at - width;
	int i;

	for (i = 0; i < width; i++)
		h->b[at + i] = (uint8_t)(len >> (8 * (width - 1 - i)));
}

/* Handshake header, version, random (a fixed pattern) and an empty
 * session id.  For a ServerHello `random` may be the HRR value. */
static inline void hb_hello_start(struct hb *h, int type, uint16_t version,
				  const uint8_t *random)
{
	int i;

	h->n = 0;
	h->exts_len_at = 0;
	hb_u8(h, type);
	h->hs_len_at = h->n;
	h->n += 3;
	hb_u16(h, version);
	for (i = 0; i < 32; i++)
		hb_u8(h, random ? random[i] : (uint8_t)(0x40 + i));
	hb_u8(h, 0); /* legacy_session_id */
}

static inline void hb_ciphers(struct hb *h, const uint16_t *c, int n)
{
	int i;

	hb_u16(h, 2 * n);
	for (i = 0; i < n; i++)
		hb_u16(h, c[i]);
	hb_u8(h, 1); /* compression_methods: null */
	hb_u8(h, 0);
}

static inline void hb_exts_start(struct hb *h)
{
	h->exts_len_at = h->n;
	h->n += 2;
}

static inline void hb_ext(struct hb *h, uint16_t type, const void *body,
			  size_t len)
{
	hb_u16(h, type);
	hb_u16(h, (unsigned)len);
	hb_bytes(h, body, len);
}

/* An extension whose body is one vector of 16-bit values, with a 1- or
 * 2-byte length prefix (supported_versions, groups, sig algs). */
static inline void hb_ext_u16s(struct hb *h, uint16_t type, int lbytes,
			       const uint16_t *v, int n)
{
	int i;

	hb_u16(h, type);
	hb_u16(h, lbytes + 2 * n);
	if (lbytes == 2)
		hb_u16(h, 2 * n);
	else
		hb_u8(h, 2 * n);
	for (i = 0; i < n; i++)
		hb_u16(h, v[i]);
}

static inline void hb_ext_sni(struct hb *h, const char *name)
{
	size_t n = strlen(name);

	hb_u16(h, 0x0000);
	hb_u16(h, (unsigned)(n + 5));
	hb_u16(h, (unsigned)(n + 3));
	hb_u8(h, 0); /* host_name */
	hb_u16(h, (unsigned)n);
	hb_bytes(h, name, n);
}

/* ALPN from names given with their lengths (bytes may be anything). */
static inline void hb_ext_alpn(struct hb *h, const char *const *names,
			       const int *lens, int n)
{
	size_t at;
	int i;

	hb_u16(h, 0x0010);
	at = h->n;
	h->n += 4;
	for (i = 0; i < n; i++) {
		hb_u8(h, lens[i]);
		hb_bytes(h, names[i], lens[i]);
	}
	hb_fill_len(h, at + 2, 2);
	hb_fill_len(h, at, 2);
}

/* Fills the extension block's and the message's lengths; returns the
 * message length.  Without hb_exts_start() there is no extension block. */
static inline size_t hb_hello_end(struct hb *h)
{
	if (h->exts_len_at)
		hb_fill_len(h, h->exts_len_at, 2);
	hb_fill_len(h, h->hs_len_at, 3);
	h->exts_len_at = 0;
	return h->n;
}

/* Cuts a message into handshake records of at most `frag` bytes,
 * record version 0x0301; returns the stream length. */
static inline size_t hb_records(const uint8_t *msg, size_t n, size_t frag,
				uint8_t *out)
{
	size_t off = 0, o = 0, k;

	while (off < n) {
		k = n - off < frag ? n - off : frag;
		out[o++] = 22;
		out[o++] = 3;
		out[o++] = 1;
		out[o++] = (uint8_t)(k >> 8);
		out[o++] = (uint8_t)k;
		memcpy(out + o, msg + off, k);
		o += k;
		off += k;
	}
	return o;
}

/* A ClientHello like Chrome's with a post-quantum key share (X25519MLKEM768,
 * ~1.8 KB): the ciphers, extensions and signature algorithms Chrome sends,
 * GREASE included; JA4 t13d1516h2_8daaf6152771_d8a2da3f94cd. */
static inline size_t hb_chrome_pq(struct hb *h)
{
	static const uint16_t c[] = { 0x4a4a, 0x1301, 0x1302, 0x1303,
				      0xc02b, 0xc02f, 0xc02c, 0xc030,
				      0xcca9, 0xcca8, 0xc013, 0xc014,
				      0x009c, 0x009d, 0x002f, 0x0035 };
	static const uint16_t sigs[] = { 0x0403, 0x0804, 0x0401, 0x0503,
					 0x0805, 0x0501, 0x0806, 0x0601 };
	static const uint16_t groups[] = { 0x6a6a, 0x11ec, 0x001d, 0x0017,
					   0x0018 };
	static const uint16_t vers[] = { 0x2a2a, 0x0304, 0x0303 };
	static const char *const alpn[] = { "h2", "http/1.1" };
	static const int alpn_len[] = { 2, 8 };
	static uint8_t ks[1263], ech[250];

	memset(ks, 0x5c, sizeof(ks));
	ks[0] = 0x04; /* client_shares length 0x04ed */
	ks[1] = 0xed;
	hb_hello_start(h, 1, 0x0303, NULL);
	hb_ciphers(h, c, 16);
	hb_exts_start(h);
	hb_ext(h, 0x0a0a, NULL, 0);
	hb_ext_sni(h, "www.example.org");
	hb_ext(h, 0x0017, NULL, 0);
	hb_ext(h, 0xff01, "\0", 1);
	hb_ext_u16s(h, 0x000a, 2, groups, 5);
	hb_ext(h, 0x000b, "\x01\x00", 2);
	hb_ext(h, 0x0023, NULL, 0);
	hb_ext_alpn(h, alpn, alpn_len, 2);
	hb_ext(h, 0x0005, "\x01\0\0\0\0", 5);
	hb_ext_u16s(h, 0x000d, 2, sigs, 8);
	hb_ext(h, 0x0012, NULL, 0);
	hb_ext(h, 0x0033, ks, sizeof(ks));
	hb_ext(h, 0x002d, "\x01\x01", 2);
	hb_ext_u16s(h, 0x002b, 1, vers, 3);
	hb_ext(h, 0x001b, "\x02\x00\x02", 3);
	hb_ext(h, 0x44cd, "\x00\x03\x02h2", 6);
	/* GREASE ECH: outer type, suite, config id, enc (32), payload (208) */
	memset(ech, 0xec, sizeof(ech));
	memcpy(ech, "\0\0\x01\0\x01\x7f\0\x20", 8);
	ech[40] = 0;
	ech[41] = 208;
	hb_ext(h, 0xfe0d, ech, sizeof(ech));
	hb_ext(h, 0x3a3a, "\0", 1);
	return hb_hello_end(h);
}

/* A small TLS 1.2 ClientHello (~200 bytes, no GREASE), as a library
 * client without post-quantum key shares sends. */
static inline size_t hb_small(struct hb *h)
{
	static const uint16_t c[] = { 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9,
				      0xcca8, 0xc013, 0xc014, 0x009c, 0x002f };
	static const uint16_t sigs[] = { 0x0403, 0x0804, 0x0401,
					 0x0503, 0x0805, 0x0501 };
	static const uint16_t groups[] = { 0x001d, 0x0017, 0x0018 };
	static const char *const alpn[] = { "http/1.1" };
	static const int alpn_len[] = { 8 };

	hb_hello_start(h, 1, 0x0303, NULL);
	hb_ciphers(h, c, 10);
	hb_exts_start(h);
	hb_ext_sni(h, "api.example.net");
	hb_ext_u16s(h, 0x000a, 2, groups, 3);
	hb_ext(h, 0x000b, "\x01\x00", 2);
	hb_ext_u16s(h, 0x000d, 2, sigs, 6);
	hb_ext_alpn(h, alpn, alpn_len, 1);
	hb_ext(h, 0x0017, NULL, 0);
	hb_ext(h, 0xff01, "\0", 1);
	return hb_hello_end(h);
}

#endif /* OSPREY_TLS_BUILD_H */
