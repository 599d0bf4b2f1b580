// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The raw_sig and params text of an observed HTTP signature, exactly as
 * p0f 3.09b prints them:
 *
 *   ver:horder:habsent:sw
 *
 * horder lists the headers in wire order; names on the "optional" list
 * get a '?' and no value, names on the "skip value" list no value, other
 * values are shown as =[...] cut at HTTP_MAX_SHOW chars, at the first
 * non-printable byte or ']' (and '|' for known headers only: p0f does not
 * check it for unknown ones, nor in sw).  habsent lists the "common"
 * headers that are missing.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "http_int.h"

void sbuf_add(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->len >= b->cap - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->buf + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	b->len += (size_t)n;
	if (b->len > b->cap - 1)
		b->len = b->cap - 1;
}

/* Append n bytes of s (the common case, without printf's cost). */
static void sbuf_put(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n > b->cap - 1)
		n = b->cap - 1 - b->len;
	memcpy(b->buf + b->len, s, n);
	b->len += n;
	b->buf[b->len] = 0;
}

static void sbuf_str(struct sbuf *b, const char *s)
{
	sbuf_put(b, s, strlen(s));
}

/*
 * Append "=[value]" cleaned as p0f shows it: printable ASCII only, at most
 * HTTP_MAX_SHOW chars, stopping at ']' (and at '|' when stop_pipe is set:
 * p0f checks '|' only for known headers' values).  Nothing when empty.
 */
static void add_shown(struct sbuf *b, const char *pre, const char *v,
		      int stop_pipe, const char *post)
{
	u32 n = 0;

	while (n < HTTP_MAX_SHOW && (u8)v[n] >= 0x20 && (u8)v[n] < 0x80 &&
	       v[n] != ']' && !(stop_pipe && v[n] == '|'))
		n++;
	if (n) {
		sbuf_str(b, pre);
		sbuf_put(b, v, n);
		sbuf_str(b, post);
	}
}

void http_dump_sig(const struct sigdb *db, u8 to_srv, const struct http_sig *hs,
		   struct sbuf *b)
{
	int opt_list = to_srv ? HL_REQ_OPT : HL_RESP_OPT;
	int skip_list = to_srv ? HL_REQ_SKIP : HL_RESP_SKIP;
	int common = to_srv ? HL_REQ_COMMON : HL_RESP_COMMON;
	const char *c;
	u32 i, k;
	int sep = 0;

	sbuf_add(b, "%u:", (unsigned)(u8)hs->http_ver);
	for (i = 0; i < hs->hdr_cnt; i++) {
		const struct http_hdr *h = &hs->hdr[i];

		if (h->id < 0) {
			sbuf_str(b, sep ? "," : "");
			sbuf_str(b, h->name ? h->name : "");
			sep = 1;
			if (h->value)
				add_shown(b, "=[", h->value, 0, "]");
			continue;
		}
		if (http_in_list(db, opt_list, h->id)) {
			sbuf_str(b, sep ? ",?" : "?");
			sbuf_str(b, db->hnames.name[h->id]);
			sep = 1;
			continue;
		}
		sbuf_str(b, sep ? "," : "");
		sbuf_str(b, db->hnames.name[h->id]);
		sep = 1;
		if (h->value && !http_in_list(db, skip_list, h->id))
			add_shown(b, "=[", h->value, 1, "]");
	}

	sbuf_str(b, ":");
	sep = 0;
	for (k = 0; (c = http_list_name(common, k)); k++) {
		s32 id = ((const struct hdr_index *)db->hnames.index)
				 ->list_id[common][k];

		for (i = 0; i < hs->hdr_cnt; i++)
			if (hs->hdr[i].id == id)
				break;
		if (i == hs->hdr_cnt) {
			sbuf_str(b, sep ? "," : "");
			sbuf_str(b, c);
			sep = 1;
		}
	}

	sbuf_str(b, ":");
	if (hs->sw)
		add_shown(b, "", hs->sw, 0, "");
}

void http_dump_flags(const struct http_sig *hs, const struct http_sig_record *m,
		     struct sbuf *b)
{
	size_t start = b->len;

	if (hs->dishonest)
		sbuf_add(b, "%sdishonest", b->len > start ? " " : "");
	if (!hs->sw)
		sbuf_add(b, "%sanonymous", b->len > start ? " " : "");
	if (m && m->generic)
		sbuf_add(b, "%sgeneric", b->len > start ? " " : "");
	if (b->len == start)
		sbuf_add(b, "none");
}
