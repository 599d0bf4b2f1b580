// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The h2c client fingerprint (see h2.h): the frames after the preface are
 * walked once to find the end of the first header block (and check every
 * frame's length), then read again to write each part in order.  The
 * header block's fragments go through libnghttp2's HPACK inflater until
 * the first regular header field: pseudo-header fields come first
 * (RFC 9113 8.3).
 */
#include <errno.h>
#include <string.h>

#include <nghttp2/nghttp2.h>

#include "h2.h"
#include "tls_sink.h"

#define FRAME_HDR 9
#define T_HEADERS 0x1
#define T_PRIORITY 0x2
#define T_SETTINGS 0x4
#define T_WINDOW_UPDATE 0x8
#define T_CONTINUATION 0x9
#define F_ACK 0x1
#define F_END_HEADERS 0x4
#define F_PADDED 0x8
#define F_PRIORITY 0x20
#define SETTING_LEN 6
#define PRIORITY_LEN 5
#define STREAM_MASK 0x7fffffffu

struct frame {
	uint8_t type, flags;
	uint32_t stream, len;
	const uint8_t *p; /* payload */
};

static inline uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | p[2] << 8 | p[3];
}

/* The frame at *off; 0, -EAGAIN (*need) or -EMSGSIZE. */
static int next_frame(const uint8_t *s, size_t len, size_t *off,
		      struct frame *f, size_t *need)
{
	size_t o = *off;

	if (o + FRAME_HDR > H2_STREAM_MAX)
		return -EMSGSIZE;
	if (len - o < FRAME_HDR) {
		*need = o + FRAME_HDR;
		return -EAGAIN;
	}
	f->len = (uint32_t)s[o] << 16 | s[o + 1] << 8 | s[o + 2];
	f->type = s[o + 3];
	f->flags = s[o + 4];
	f->stream = be32(s + o + 5) & STREAM_MASK;
	if (o + FRAME_HDR + f->len > H2_STREAM_MAX)
		return -EMSGSIZE;
	if (len - o - FRAME_HDR < f->len) {
		*need = o + FRAME_HDR + f->len;
		return -EAGAIN;
	}
	f->p = s + o + FRAME_HDR;
	*off = o + FRAME_HDR + f->len;
	return 0;
}

/* A HEADERS frame's header block fragment (padding and priority off). */
static int headers_fragment(const struct frame *f, const uint8_t **p,
			    uint32_t *n)
{
	uint32_t skip = 0, pad = 0;

	if (f->flags & F_PADDED) {
		if (!f->len)
			return -EBADMSG;
		pad = f->p[0];
		skip = 1;
	}
	if (f->flags & F_PRIORITY)
		skip += PRIORITY_LEN;
	if (skip + pad > f->len)
		return -EBADMSG;
	*p = f->p + skip;
	*n = f->len - skip - pad;
	return 0;
}

static int check_frame(const struct frame *f)
{
	switch (f->type) {
	case T_SETTINGS:
		return f->len % SETTING_LEN ? -EBADMSG : 0;
	case T_WINDOW_UPDATE:
		return f->len != 4 ? -EBADMSG : 0;
	case T_PRIORITY:
		return f->len != PRIORITY_LEN ? -EBADMSG : 0;
	}
	return 0;
}

/* Checks the frames up to the end of the first header block; *end is
 * the offset just past it. */
static int find_block_end(const uint8_t *s, size_t len, size_t *end,
			  size_t *need)
{
	size_t off = H2_PREFACE_LEN;
	uint32_t stream = 0;
	struct frame f;
	int err, in_block = 0;

	for (;;) {
		err = next_frame(s, len, &off, &f, need);
		if (err)
			return err;
		if (in_block &&
		    (f.type != T_CONTINUATION || f.stream != stream))
			return -EBADMSG; /* RFC 9113 6.10 */
		if (!in_block && f.type == T_CONTINUATION)
			return -EBADMSG;
		err = check_frame(&f);
		if (err)
			return err;
		if (f.type == T_HEADERS) {
			const uint8_t *p;
			uint32_t n;

			if (headers_fragment(&f, &p, &n))
				return -EBADMSG;
			stream = f.stream;
			in_block = 1;
		}
		if (in_block && (f.flags & F_END_HEADERS)) {
			*end = off;
			return 0;
		}
	}
}

static void put_settings(struct fp_sink *k, const uint8_t *s, size_t end)
{
	size_t off = H2_PREFACE_LEN, need;
	struct frame f;
	uint32_t i;

	while (off < end && !next_frame(s, end, &off, &f, &need)) {
		if (f.type != T_SETTINGS || (f.flags & F_ACK))
			continue;
		for (i = 0; i < f.len; i += SETTING_LEN) {
			if (i)
				fp_sink_ch(k, ';');
			fp_sink_dec(k, (uint32_t)f.p[i] << 8 | f.p[i + 1]);
			fp_sink_ch(k, ':');
			fp_sink_dec(k, be32(f.p + i + 2));
		}
		return;
	}
}

static void put_window_priority(struct fp_sink *k, const uint8_t *s, size_t end)
{
	size_t off = H2_PREFACE_LEN, need;
	struct frame f;
	int wu = 0, prio = 0;

	while (off < end && !next_frame(s, end, &off, &f, &need)) {
		if (f.type == T_WINDOW_UPDATE && !f.stream && !wu) {
			fp_sink_dec(k, be32(f.p) & STREAM_MASK);
			wu = 1;
		}
	}
	if (!wu) {
		fp_sink_ch(k, '0');
		fp_sink_ch(k, '0');
	}
	fp_sink_ch(k, '|');
	off = H2_PREFACE_LEN;
	while (off < end && !next_frame(s, end, &off, &f, &need)) {
		if (f.type != T_PRIORITY)
			continue;
		if (prio++)
			fp_sink_ch(k, ',');
		fp_sink_dec(k, f.stream);
		fp_sink_ch(k, ':');
		fp_sink_ch(k, f.p[0] & 0x80 ? '1' : '0');
		fp_sink_ch(k, ':');
		fp_sink_dec(k, be32(f.p) & STREAM_MASK);
		fp_sink_ch(k, ':');
		fp_sink_dec(k, f.p[4] + 1u);
	}
	if (!prio)
		fp_sink_ch(k, '0');
}

/* Inflates one fragment; 1 once a regular header field shows up. */
static int inflate_part(nghttp2_hd_inflater *inf, const uint8_t *p, uint32_t n,
			int final, struct fp_sink *k, int *count)
{
	static const char *const names[] = { ":method", ":authority", ":scheme",
					     ":path" };
	static const char letters[] = "masp";
	nghttp2_nv nv;
	ssize_t rv;
	int flags, i;

	for (;;) {
		flags = 0;
		rv = nghttp2_hd_inflate_hd2(inf, &nv, &flags, p, n, final);
		if (rv < 0)
			return rv == NGHTTP2_ERR_NOMEM ? -ENOMEM : -EBADMSG;
		p += rv;
		n -= (uint32_t)rv;
		if (flags & NGHTTP2_HD_INFLATE_EMIT) {
			if (!nv.namelen || nv.name[0] != ':')
				return 1;
			for (i = 0; i < 4; i++) {
				if (nv.namelen != strlen(names[i]) ||
				    memcmp(nv.name, names[i], nv.namelen))
					continue;
				if ((*count)++)
					fp_sink_ch(k, ',');
				fp_sink_ch(k, letters[i]);
			}
		}
		if (flags & NGHTTP2_HD_INFLATE_FINAL)
			return 1;
		if (!(flags & NGHTTP2_HD_INFLATE_EMIT) && !n)
			return 0;
	}
}

static int put_pseudo(struct fp_sink *k, const uint8_t *s, size_t end)
{
	size_t off = H2_PREFACE_LEN, need;
	nghttp2_hd_inflater *inf = NULL;
	struct frame f;
	const uint8_t *p;
	uint32_t n;
	int err, count = 0, seen = 0;

	if (nghttp2_hd_inflate_new(&inf))
		return -ENOMEM;
	err = 0;
	while (off < end && !next_frame(s, end, &off, &f, &need)) {
		if (f.type == T_HEADERS && !seen) {
			seen = 1;
			headers_fragment(&f, &p, &n);
		} else if (f.type == T_CONTINUATION && seen) {
			p = f.p;
			n = f.len;
		} else {
			continue;
		}
		err = inflate_part(inf, p, n, off >= end, k, &count);
		if (err)
			break;
	}
	nghttp2_hd_inflate_del(inf);
	return err < 0 ? err : 0;
}

int h2_fingerprint(const uint8_t *s, size_t len, char *out, size_t size,
		   size_t *out_len, size_t *need)
{
	struct fp_out o = { out, size, 0 };
	size_t end, dummy;
	struct fp_sink k;
	int err;

	if (!need)
		need = &dummy;
	if (!len) {
		*need = H2_PREFACE_LEN + FRAME_HDR;
		return -EAGAIN;
	}
	if (memcmp(s, H2_PREFACE, len < H2_PREFACE_LEN ? len : H2_PREFACE_LEN))
		return -ENOMSG;
	if (len < H2_PREFACE_LEN) {
		*need = H2_PREFACE_LEN + FRAME_HDR;
		return -EAGAIN;
	}
	err = find_block_end(s, len, &end, need);
	if (err)
		return err;
	fp_sink_init(&k, FP_NO_HASH, &o);
	put_settings(&k, s, end);
	fp_sink_ch(&k, '|');
	put_window_priority(&k, s, end);
	fp_sink_ch(&k, '|');
	err = put_pseudo(&k, s, end);
	fp_sink_flush(&k);
	fp_out_end(&o);
	if (out_len)
		*out_len = o.len;
	return err;
}
