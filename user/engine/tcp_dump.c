// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The raw_sig and params text of an observed TCP signature, exactly as
 * p0f 3.09b prints them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tcp.h"

struct tbuf {
	char *b;
	size_t len, cap;
};

static void tb_add(struct tbuf *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void tb_add(struct tbuf *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->len + 1 >= t->cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->b + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	t->len += (size_t)n;
	if (t->len >= t->cap)
		t->len = t->cap - 1;
}

/* Plain appends: raw_sig is built for every SYN, keep it cheap. */
static inline void tb_mem(struct tbuf *t, const char *s, size_t n)
{
	if (t->len + 1 >= t->cap)
		return;
	if (n > t->cap - 1 - t->len)
		n = t->cap - 1 - t->len;
	memcpy(t->b + t->len, s, n);
	t->len += n;
	t->b[t->len] = 0;
}

static inline void tb_str(struct tbuf *t, const char *s)
{
	tb_mem(t, s, strlen(s));
}

/* a string literal: its length is known at compile time */
#define tb_lit(t, s) tb_mem((t), (s), sizeof(s) - 1)

static void tb_u(struct tbuf *t, u32 v)
{
	char d[12];
	int i = sizeof(d);

	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	tb_mem(t, d + i, sizeof(d) - (size_t)i);
}

static const char *opt_name(u8 kind)
{
	u32 i;

	for (i = 0; i < TCP_OPT_NAMES; i++)
		if (tcp_opt_names[i].val == kind)
			return tcp_opt_names[i].name;
	return NULL;
}

void tcp_dump_sig(const struct pkt *pk, const struct tcp_sig *ts, u16 syn_mss,
		  char *buf, size_t len)
{
	struct tbuf t = { buf, 0, len };
	u8 dist = tcp_guess_dist(pk->ttl), use_mtu = 0;
	s16 multi;
	u32 i, nq = 0;

	if (!len)
		return;
	buf[0] = 0;
	tb_u(&t, pk->ip_ver);
	tb_lit(&t, ":");
	tb_u(&t, pk->ttl);
	tb_lit(&t, "+");
	if (dist > MAX_DIST)
		tb_lit(&t, "?");
	else
		tb_u(&t, dist);
	tb_lit(&t, ":");
	tb_u(&t, pk->ip_opt_len);
	tb_lit(&t, ":");

	/* a SYN+ACK echoing p0f-sendsyn's MSS: suggest a wildcard */
	if (pk->mss == SPECIAL_MSS && pk->tcp_type == (TCP_SYN | TCP_ACK))
		tb_lit(&t, "*");
	else
		tb_u(&t, pk->mss);
	tb_lit(&t, ":");

	multi = tcp_win_multi(ts, &use_mtu, syn_mss);
	if (multi > 0) {
		tb_mem(&t, use_mtu ? "mtu*" : "mss*", 4);
		tb_u(&t, (u32)multi);
	} else {
		tb_u(&t, pk->win);
	}
	tb_lit(&t, ",");
	tb_u(&t, pk->wscale);
	tb_lit(&t, ":");

	for (i = 0; i < pk->opt_cnt && i < MAX_TCP_OPT; i++) {
		u8 k = pk->opt_layout[i];

		if (i)
			tb_lit(&t, ",");
		if (k == TCPOPT_EOL) {
			tb_lit(&t, "eol+");
			tb_u(&t, pk->opt_eol_pad);
		} else if (opt_name(k)) {
			tb_str(&t, opt_name(k));
		} else {
			tb_lit(&t, "?");
			tb_u(&t, k);
		}
	}
	tb_lit(&t, ":");
	for (i = 0; i < TCP_QUIRK_NAMES; i++) {
		if (!(pk->quirks & tcp_quirk_names[i].val))
			continue;
		if (nq++)
			tb_lit(&t, ",");
		tb_str(&t, tcp_quirk_names[i].name);
	}
	tb_mem(&t, pk->pay_len ? ":+" : ":0", 2);
}

void tcp_dump_flags(const struct pkt *pk, const struct tcp_sig *ts, char *buf,
		    size_t len)
{
	struct tbuf t = { buf, 0, len };
	const struct tcp_sig_record *m = ts->matched;

	if (!len)
		return;
	buf[0] = 0;
	if (m && m->generic)
		tb_lit(&t, " generic");
	if (m && ts->fuzzy)
		tb_lit(&t, " fuzzy");
	if (m && m->bad_ttl)
		tb_lit(&t, " random_ttl");
	if (ts->dist > MAX_DIST)
		tb_lit(&t, " excess_dist");
	if (pk->tos)
		tb_add(&t, " tos:0x%02x", pk->tos);
	if (t.len)
		memmove(buf, buf + 1, t.len); /* drop the leading space */
	else
		snprintf(buf, len, "none");
}
