// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * strbuf (see strbuf.h): the appends that are not inline.  Each writes
 * exactly the bytes of the printf format named beside it.
 */
#include "strbuf.h"

void sb_flush(struct strbuf *sb)
{
	if (sb->fp && sb->len)
		fwrite(sb->buf, 1, sb->len, sb->fp);
	sb->len = 0;
	if (sb->cap)
		sb->buf[0] = 0;
}

/* sb_put() without room for n bytes and the NUL. */
void sb_put_slow(struct strbuf *sb, const char *s, size_t n)
{
	if (sb->fp) {
		sb_flush(sb);
		if (n < sb->cap) {
			memcpy(sb->buf, s, n);
			sb->len = n;
			sb->buf[n] = 0;
		} else {
			fwrite(s, 1, n, sb->fp);
		}
		return;
	}
	if (sb->len + 1 >= sb->cap)
		return; /* full, or no buffer at all */
	n = sb->cap - 1 - sb->len;
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = 0;
}

/* sb_room() without room for n bytes and the NUL */
char *sb_room_slow(struct strbuf *sb, size_t n)
{
	if (!sb->fp || n >= sb->cap)
		return NULL;
	sb_flush(sb);
	return sb->buf;
}

void sb_dec(struct strbuf *sb, u64 v, unsigned width)
{
	char d[24];
	size_t i = sizeof(d);

	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (i > 0 && sizeof(d) - i < width)
		d[--i] = '0';
	sb_put(sb, d + i, sizeof(d) - i);
}

void sb_hex(struct strbuf *sb, u64 v, unsigned width)
{
	static const char digits[] = "0123456789abcdef";
	char d[24];
	size_t i = sizeof(d);

	do {
		d[--i] = digits[v & 0xf];
		v >>= 4;
	} while (v);
	while (i > 0 && sizeof(d) - i < width)
		d[--i] = '0';
	sb_put(sb, d + i, sizeof(d) - i);
}

void sb_pad(struct strbuf *sb, const char *s, size_t width)
{
	static const char spaces[] = "                ";
	size_t len;

	if (!s)
		s = "(null)";
	len = strlen(s);
	sb_put(sb, s, len);
	while (len < width) {
		size_t k = width - len;

		if (k > sizeof(spaces) - 1)
			k = sizeof(spaces) - 1;
		sb_put(sb, spaces, k);
		len += k;
	}
}

void sb_word(struct strbuf *sb, size_t start, const char *word)
{
	if (sb->len > start)
		sb_lit(sb, " ");
	sb_str(sb, word);
}

void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
{
	size_t room = sb->cap - sb->len; /* at least 1 when cap is */
	va_list again;
	int n;

	if (!sb->cap)
		return;
	va_copy(again, ap);
	n = vsnprintf(sb->buf + sb->len, room, fmt, ap);
	if (n < 0) {
		sb->buf[sb->len] = 0;
	} else if ((size_t)n < room) {
		sb->len += (size_t)n;
	} else if (!sb->fp) {
		sb->len = sb->cap - 1; /* cut, as vsnprintf left it */
	} else {
		sb->buf[sb->len] = 0;
		sb_flush(sb);
		if ((size_t)n < sb->cap) {
			vsnprintf(sb->buf, sb->cap, fmt, again);
			sb->len = (size_t)n;
		} else {
			vfprintf(sb->fp, fmt, again);
		}
	}
	va_end(again);
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(sb, fmt, ap);
	va_end(ap);
}
