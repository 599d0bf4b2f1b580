/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to the TLS and h2 fingerprint files: a character sink that feeds
 * a hash (MD5 or SHA-256, nettle; or none) in chunks and optionally copies
 * the same characters into a caller's string.  Fingerprint strings are built and
 * hashed in one pass with a fixed-size buffer, whatever the hello's size.
 */
#ifndef OSPREY_TLS_SINK_H
#define OSPREY_TLS_SINK_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <nettle/md5.h>
#include <nettle/sha2.h>

/* The caller's string: characters past size - 1 are counted, not kept. */
struct fp_out {
	char *p;
	size_t size;
	size_t len;
};

enum fp_hash {
	FP_MD5,
	FP_SHA256,
	FP_NO_HASH,
};

struct fp_sink {
	union {
		struct md5_ctx md5;
		struct sha256_ctx sha256;
	} h;
	uint8_t kind; /* enum fp_hash */
	uint32_t n; /* characters in buf */
	size_t total; /* characters hashed so far */
	struct fp_out *out; /* may be NULL */
	char buf[256];
};

static const char fp_hex[] = "0123456789abcdef";

static inline void fp_out_put(struct fp_out *o, const char *s, size_t n)
{
	size_t room;

	if (!o)
		return;
	if (o->p && o->size && o->len < o->size - 1) {
		room = o->size - 1 - o->len;
		memcpy(o->p + o->len, s, n < room ? n : room);
	}
	o->len += n;
}

static inline void fp_out_end(struct fp_out *o)
{
	if (o && o->p && o->size)
		o->p[o->len < o->size ? o->len : o->size - 1] = 0;
}

static inline void fp_sink_init(struct fp_sink *k, enum fp_hash kind,
				struct fp_out *out)
{
	k->kind = (uint8_t)kind;
	if (kind == FP_SHA256)
		sha256_init(&k->h.sha256);
	else if (kind == FP_MD5)
		md5_init(&k->h.md5);
	k->n = 0;
	k->total = 0;
	k->out = out;
}

static inline void fp_sink_flush(struct fp_sink *k)
{
	if (!k->n)
		return;
	if (k->kind == FP_SHA256)
		sha256_update(&k->h.sha256, k->n, (const uint8_t *)k->buf);
	else if (k->kind == FP_MD5)
		md5_update(&k->h.md5, k->n, (const uint8_t *)k->buf);
	fp_out_put(k->out, k->buf, k->n);
	k->total += k->n;
	k->n = 0;
}

/* Room for `n` more characters in the buffer (n <= 8). */
static inline char *fp_sink_room(struct fp_sink *k, uint32_t n)
{
	if (k->n + n > sizeof(k->buf))
		fp_sink_flush(k);
	return k->buf + k->n;
}

static inline void fp_sink_ch(struct fp_sink *k, char c)
{
	*fp_sink_room(k, 1) = c;
	k->n++;
}

/* Four lower-case hex digits. */
static inline void fp_sink_hex16(struct fp_sink *k, uint16_t v)
{
	char *p = fp_sink_room(k, 4);

	p[0] = fp_hex[v >> 12];
	p[1] = fp_hex[(v >> 8) & 15];
	p[2] = fp_hex[(v >> 4) & 15];
	p[3] = fp_hex[v & 15];
	k->n += 4;
}

/* Decimal, no leading zeros. */
static inline void fp_sink_dec(struct fp_sink *k, uint32_t v)
{
	char tmp[10], *p;
	int i = 0;

	do {
		tmp[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	p = fp_sink_room(k, (uint32_t)i);
	k->n += (uint32_t)i;
	while (i)
		*p++ = tmp[--i];
}

/* Flushes and writes the digest as lower-case hex: `hex_len` characters
 * (a truncated SHA-256 for JA4, the whole MD5 for JA3). */
static inline void fp_sink_digest(struct fp_sink *k, char *hex, int hex_len)
{
	uint8_t d[SHA256_DIGEST_SIZE];
	int i;

	fp_sink_flush(k);
	if (k->kind == FP_SHA256)
		sha256_digest(&k->h.sha256, SHA256_DIGEST_SIZE, d);
	else
		md5_digest(&k->h.md5, MD5_DIGEST_SIZE, d);
	for (i = 0; i < hex_len; i++)
		hex[i] = fp_hex[(d[i / 2] >> (i & 1 ? 0 : 4)) & 15];
	hex[hex_len] = 0;
}

#endif /* OSPREY_TLS_SINK_H */
