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
#include "http_int.h"
#include "strbuf.h"

/*
 * Append "=[value]" cleaned as p0f shows it: printable ASCII only, at most
 * HTTP_MAX_SHOW chars, stopping at ']' (and at '|' when stop_pipe is set:
 * p0f checks '|' only for known headers' values).  Nothing when empty.
 */
static void add_shown(struct strbuf *sb, const char *pre, const char *v,
		      int stop_pipe, const char *post)
{
	u32 n = 0;

	while (n < HTTP_MAX_SHOW && (u8)v[n] >= 0x20 && (u8)v[n] < 0x80 &&
	       v[n] != ']' && !(stop_pipe && v[n] == '|'))
		n++;
	if (n) {
		sb_str(sb, pre);
		sb_put(sb, v, n);
		sb_str(sb, post);
	}
}

void http_dump_sig(const struct sigdb *db, u8 to_srv, const struct http_sig *hs,
		   struct strbuf *sb)
{
	int opt_list = to_srv ? HL_REQ_OPT : HL_RESP_OPT;
	int skip_list = to_srv ? HL_REQ_SKIP : HL_RESP_SKIP;
	int common = to_srv ? HL_REQ_COMMON : HL_RESP_COMMON;
	const char *c;
	u32 i, k;
	int sep = 0;

	sb_u(sb, (u8)hs->http_ver);
	sb_lit(sb, ":");
	for (i = 0; i < hs->hdr_cnt; i++) {
		const struct http_hdr *h = &hs->hdr[i];

		if (h->id < 0) {
			sb_str(sb, sep ? "," : "");
			sb_str(sb, h->name ? h->name : "");
			sep = 1;
			if (h->value)
				add_shown(sb, "=[", h->value, 0, "]");
			continue;
		}
		if (http_in_list(db, opt_list, h->id)) {
			sb_str(sb, sep ? ",?" : "?");
			sb_str(sb, db->hnames.name[h->id]);
			sep = 1;
			continue;
		}
		sb_str(sb, sep ? "," : "");
		sb_str(sb, db->hnames.name[h->id]);
		sep = 1;
		if (h->value && !http_in_list(db, skip_list, h->id))
			add_shown(sb, "=[", h->value, 1, "]");
	}

	sb_str(sb, ":");
	sep = 0;
	for (k = 0; (c = http_list_name(common, k)); k++) {
		s32 id = ((const struct hdr_index *)db->hnames.index)
				 ->list_id[common][k];

		for (i = 0; i < hs->hdr_cnt; i++)
			if (hs->hdr[i].id == id)
				break;
		if (i == hs->hdr_cnt) {
			sb_str(sb, sep ? "," : "");
			sb_str(sb, c);
			sep = 1;
		}
	}

	sb_str(sb, ":");
	if (hs->sw)
		add_shown(sb, "", hs->sw, 0, "");
}

void http_dump_flags(const struct http_sig *hs, const struct http_sig_record *m,
		     struct strbuf *sb)
{
	size_t start = sb->len;

	if (hs->dishonest)
		sb_word(sb, start, "dishonest");
	if (!hs->sw)
		sb_word(sb, start, "anonymous");
	if (m && m->lb.generic)
		sb_word(sb, start, "generic");
	if (sb->len == start)
		sb_lit(sb, "none");
}
