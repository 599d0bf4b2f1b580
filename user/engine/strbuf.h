/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * strbuf: the one string builder of the engine (signature text,
 * observation values, the box / log / JSON outputs).
 *
 * A strbuf writes into a buffer the caller owns, in one of two modes:
 *   bounded  (sb_init)      text past cap - 1 bytes is cut, never overrun;
 *                           the buffer is always NUL-terminated;
 *   to FILE  (sb_init_file) a full buffer is written to the FILE and
 *                           reused, nothing is cut; sb_flush() at the end.
 * Every observation goes through these, several times per SYN, so the
 * common appends are inline and none uses printf; sb_printf() is there for
 * the rare formats the others do not cover (floating point).
 */
#ifndef OSPREY_STRBUF_H
#define OSPREY_STRBUF_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "defs.h"

struct strbuf {
	char *buf;
	size_t len; /* bytes written to buf, without the NUL */
	size_t cap; /* size of buf */
	FILE *fp; /* NULL: bounded */
};

static inline void sb_init(struct strbuf *sb, char *buf, size_t cap)
{
	sb->buf = buf;
	sb->len = 0;
	sb->cap = cap;
	sb->fp = NULL;
	if (cap)
		buf[0] = 0;
}

static inline void sb_init_file(struct strbuf *sb, char *buf, size_t cap,
				FILE *fp)
{
	sb_init(sb, buf, cap);
	sb->fp = fp;
}

void sb_put_slow(struct strbuf *sb, const char *s, size_t n);

/* n bytes of s. */
static inline void sb_put(struct strbuf *sb, const char *s, size_t n)
{
	if (n < sb->cap - sb->len) {
		memcpy(sb->buf + sb->len, s, n);
		sb->len += n;
		sb->buf[sb->len] = 0;
		return;
	}
	sb_put_slow(sb, s, n);
}

char *sb_room_slow(struct strbuf *sb, size_t n);

/*
 * Room to write up to n bytes in place, at the end of the text (a FILE
 * strbuf flushes to make it), or NULL when there is none: for writers
 * that know a bound on their length (addresses, numbers) and need no
 * staging copy.  sb_wrote() then takes what was written, up to end.
 */
static inline char *sb_room(struct strbuf *sb, size_t n)
{
	if (n < sb->cap - sb->len)
		return sb->buf + sb->len;
	return sb_room_slow(sb, n);
}

static inline void sb_wrote(struct strbuf *sb, char *end)
{
	sb->len = (size_t)(end - sb->buf);
	*end = 0;
}

/* A string literal: its length is known at compile time. */
#define sb_lit(sb, s) sb_put((sb), "" s, sizeof(s) - 1)

static inline void sb_ch(struct strbuf *sb, char c)
{
	sb_put(sb, &c, 1);
}

/* "%s" (a NULL string reads "(null)", as glibc's printf prints it). */
static inline void sb_str(struct strbuf *sb, const char *s)
{
	if (!s)
		s = "(null)";
	sb_put(sb, s, strlen(s));
}

/* "%0*llu": decimal, zero-padded to at least width digits (0 = none). */
void sb_dec(struct strbuf *sb, u64 v, unsigned width);
/* "%u": in place when there is room for any u32 (the common case, and
 * the hot one: a SYN's raw_sig holds a dozen numbers). */
static inline void sb_u(struct strbuf *sb, u32 v)
{
	unsigned n = 1;
	u32 t = v;
	char *p;

	if (sb->cap - sb->len <= 10) {
		sb_dec(sb, v, 0);
		return;
	}
	while (t >= 10) {
		t /= 10;
		n++;
	}
	p = sb->buf + sb->len + n;
	*p = 0;
	sb->len += n;
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
}
/* "%0*x": lower-case hex, zero-padded to at least width digits. */
void sb_hex(struct strbuf *sb, u64 v, unsigned width);
/* "%-*s": s, then spaces up to width. */
void sb_pad(struct strbuf *sb, const char *s, size_t width);
/* word, after a space unless it is the first since offset start
 * (bounded strbufs only: a FILE one forgets what it flushed). */
void sb_word(struct strbuf *sb, size_t start, const char *word);
/* printf formats; output as vsnprintf gives it. */
void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap);
void sb_printf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* FILE mode: write out what is buffered. */
void sb_flush(struct strbuf *sb);

#endif /* OSPREY_STRBUF_H */
