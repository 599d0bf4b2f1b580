// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reassembly of the first bytes of one TCP direction, and the per-direction
 * hello state built on it (first hello of a stream only).
 *
 * Sequence numbers are taken relative to the stream's first byte, modulo
 * 2^32, so wrap-around is harmless; bytes before it (a retransmitted SYN's
 * sequence space) or past TLS_STREAM_MAX are ignored.  Overlaps keep the
 * bytes first received: a later copy only fills holes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tls.h"

#define GROW_STEP 2048

void tls_reasm_init(struct tls_reasm *r, uint32_t base_seq)
{
	memset(r, 0, sizeof(*r));
	r->base = base_seq;
}

void tls_reasm_free(struct tls_reasm *r)
{
	free(r->buf);
	r->buf = NULL;
	r->cap = 0;
	r->n = 0;
}

static int grow(struct tls_reasm *r, uint32_t end)
{
	uint32_t cap;
	uint8_t *nb;

	if (end <= r->cap)
		return 0;
	cap = (end + GROW_STEP - 1) / GROW_STEP * GROW_STEP;
	if (cap > TLS_STREAM_MAX)
		cap = TLS_STREAM_MAX;
	nb = realloc(r->buf, cap);
	if (!nb)
		return -ENOMEM;
	r->buf = nb;
	r->cap = cap;
	return 0;
}

/* Copies [lo, hi) of the segment (stream offsets; the segment starts at
 * `off`) into the bytes not held yet. */
static void fill_holes(struct tls_reasm *r, uint32_t lo, uint32_t hi,
		       uint32_t off, const uint8_t *d)
{
	uint32_t pos = lo, i, stop;

	for (i = 0; i < r->n && pos < hi; i++) {
		if (r->r[i].hi <= pos)
			continue;
		stop = r->r[i].lo < hi ? r->r[i].lo : hi;
		if (pos < stop)
			memcpy(r->buf + pos, d + (pos - off), stop - pos);
		if (r->r[i].hi > pos)
			pos = r->r[i].hi;
	}
	if (pos < hi)
		memcpy(r->buf + pos, d + (pos - off), hi - pos);
}

/* Merges [lo, hi) into the range table; -ENOSPC if it needs a new slot
 * and none is left.  Nothing is changed on failure. */
static int add_range(struct tls_reasm *r, uint32_t lo, uint32_t hi)
{
	uint32_t i = 0, j;

	/* ranges entirely before [lo, hi), not touching it */
	while (i < r->n && r->r[i].hi < lo)
		i++;
	/* ranges touching or overlapping it: i .. j-1 */
	for (j = i; j < r->n && r->r[j].lo <= hi; j++) {
		if (r->r[j].lo < lo)
			lo = r->r[j].lo;
		if (r->r[j].hi > hi)
			hi = r->r[j].hi;
	}
	if (j == i && r->n == TLS_REASM_RANGES)
		return -ENOSPC;
	if (j == i) {
		memmove(&r->r[i + 1], &r->r[i], (r->n - i) * sizeof(r->r[0]));
		r->n++;
	} else if (j > i + 1) {
		memmove(&r->r[i + 1], &r->r[j], (r->n - j) * sizeof(r->r[0]));
		r->n -= (uint16_t)(j - i - 1);
	}
	r->r[i].lo = lo;
	r->r[i].hi = hi;
	return 0;
}

/* Would [lo, hi) need a new slot that the full table lacks? */
static int table_full_for(const struct tls_reasm *r, uint32_t lo, uint32_t hi)
{
	uint32_t i;

	if (r->n < TLS_REASM_RANGES)
		return 0;
	for (i = 0; i < r->n; i++)
		if (r->r[i].lo <= hi && r->r[i].hi >= lo)
			return 0;
	return 1;
}

int tls_reasm_add(struct tls_reasm *r, uint32_t seq, const uint8_t *d, size_t n)
{
	uint32_t off = seq - r->base, skip = 0, end;
	int err;

	if ((int32_t)off < 0) {
		/* starts before the stream: keep only its tail */
		skip = 0u - off; /* unsigned: off may be 2^31 */
		if (skip >= n)
			return 0;
		off = 0;
	}
	if (off >= TLS_STREAM_MAX || !n)
		return 0;
	d += skip;
	n -= skip;
	end = n > TLS_STREAM_MAX - off ? TLS_STREAM_MAX : off + (uint32_t)n;
	if (table_full_for(r, off, end)) {
		err = -ENOSPC;
		goto cleanup;
	}
	err = grow(r, end);
	if (err)
		goto cleanup;
	fill_holes(r, off, end, off, d);
	return add_range(r, off, end);
cleanup:
	if (r->dropped < UINT16_MAX)
		r->dropped++;
	return err;
}

void tls_stream_init(struct tls_stream *s, int want, uint32_t base_seq)
{
	memset(s, 0, sizeof(*s));
	tls_reasm_init(&s->ra, base_seq);
	s->want = (uint8_t)want;
}

void tls_stream_free(struct tls_stream *s)
{
	tls_reasm_free(&s->ra);
}

/* A result other than "need more": the stream is finished. */
static int settle(struct tls_stream *s, int err)
{
	if (err == -EAGAIN)
		return err;
	if (err) {
		s->state = TLS_ST_FAILED;
		s->err = (int16_t)err;
		tls_reasm_free(&s->ra);
	} else {
		/* the buffer stays until the next call: *h points into it */
		s->state = TLS_ST_DONE;
	}
	return err;
}

int tls_stream_feed(struct tls_stream *s, uint32_t seq, const uint8_t *d,
		    size_t n, struct tls_hello *h)
{
	uint32_t contig;
	size_t need = 0;
	int err;

	if (s->state != TLS_ST_OPEN) {
		tls_reasm_free(&s->ra);
		return -EALREADY;
	}
	/* the common case: the whole hello in the first segment */
	if (!s->ra.n && seq == s->ra.base && n) {
		err = tls_hello_parse(d, n, s->want, NULL, 0, h, &need);
		if (err != -EAGAIN && err != -ENOBUFS)
			return settle(s, err);
	}
	err = tls_reasm_add(&s->ra, seq, d, n);
	contig = tls_reasm_contig(&s->ra);
	if (!contig)
		return -EAGAIN;
	/* joining a multi-record hello overwrites the buffer in place,
	 * which is done only once the hello is complete */
	err = tls_hello_parse(s->ra.buf, contig, s->want, s->ra.buf, s->ra.cap,
			      h, &need);
	if (err == -EAGAIN) {
		s->need = (uint32_t)need;
		if (contig >= TLS_STREAM_MAX)
			err = -EMSGSIZE;
	}
	return settle(s, err);
}
