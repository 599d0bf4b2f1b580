// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The raw_sig and params text of an observed TCP signature, exactly as
 * p0f 3.09b prints them.
 */
#include "strbuf.h"
#include "tcp.h"

static const char *opt_name(u8 kind)
{
	u32 i;

	for (i = 0; i < TCP_OPT_NAMES; i++)
		if (tcp_opt_names[i].val == kind)
			return tcp_opt_names[i].name;
	return NULL;
}

void tcp_dump_sig(const struct pkt *pk, const struct tcp_sig *ts, u16 syn_mss,
		  struct strbuf *sb)
{
	u8 dist = tcp_guess_dist(pk->ttl), use_mtu = 0;
	s16 multi;
	u32 i, nq = 0;

	sb_u(sb, pk->ip_ver);
	sb_lit(sb, ":");
	sb_u(sb, pk->ttl);
	sb_lit(sb, "+");
	if (dist > MAX_DIST)
		sb_lit(sb, "?");
	else
		sb_u(sb, dist);
	sb_lit(sb, ":");
	sb_u(sb, pk->ip_opt_len);
	sb_lit(sb, ":");

	/* a SYN+ACK echoing p0f-sendsyn's MSS: suggest a wildcard */
	if (pk->mss == SPECIAL_MSS && pk->tcp_type == (TCP_SYN | TCP_ACK))
		sb_lit(sb, "*");
	else
		sb_u(sb, pk->mss);
	sb_lit(sb, ":");

	multi = tcp_win_multi(ts, &use_mtu, syn_mss);
	if (multi > 0) {
		sb_put(sb, use_mtu ? "mtu*" : "mss*", 4);
		sb_u(sb, (u32)multi);
	} else {
		sb_u(sb, pk->win);
	}
	sb_lit(sb, ",");
	sb_u(sb, pk->wscale);
	sb_lit(sb, ":");

	for (i = 0; i < pk->opt_cnt && i < MAX_TCP_OPT; i++) {
		u8 k = pk->opt_layout[i];

		if (i)
			sb_lit(sb, ",");
		if (k == TCPOPT_EOL) {
			sb_lit(sb, "eol+");
			sb_u(sb, pk->opt_eol_pad);
		} else if (opt_name(k)) {
			sb_str(sb, opt_name(k));
		} else {
			sb_lit(sb, "?");
			sb_u(sb, k);
		}
	}
	sb_lit(sb, ":");
	for (i = 0; i < TCP_QUIRK_NAMES; i++) {
		if (!(pk->quirks & tcp_quirk_names[i].val))
			continue;
		if (nq++)
			sb_lit(sb, ",");
		sb_str(sb, tcp_quirk_names[i].name);
	}
	sb_put(sb, pk->pay_len ? ":+" : ":0", 2);
}

void tcp_dump_flags(const struct pkt *pk, const struct tcp_sig *ts,
		    struct strbuf *sb)
{
	const struct tcp_sig_record *m = ts->matched;
	size_t start = sb->len;

	if (m && m->lb.generic)
		sb_word(sb, start, "generic");
	if (m && ts->fuzzy)
		sb_word(sb, start, "fuzzy");
	if (m && m->bad_ttl)
		sb_word(sb, start, "random_ttl");
	if (ts->dist > MAX_DIST)
		sb_word(sb, start, "excess_dist");
	if (pk->tos) {
		sb_word(sb, start, "tos:0x");
		sb_hex(sb, pk->tos, 2);
	}
	if (sb->len == start)
		sb_lit(sb, "none");
}
