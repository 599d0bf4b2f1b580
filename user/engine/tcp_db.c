// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The [tcp:request] / [tcp:response] signature grammar of p0f 3.09b's .fp
 * files: each "sig = ..." line parsed into a record in the store.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sigstore.h"
#include "tcp.h"

struct sig_cursor {
	const char *v;
	char *err;
	size_t errlen;
};

/* Index of the first name in t[0..n) that v starts with, or n. */
static u32 name_prefix(const char *v, const struct tcp_name *t, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (!strncmp(v, t[i].name, strlen(t[i].name)))
			break;
	return i;
}

static const char *skip_digits(const char *s)
{
	while (isdigit((u8)*s))
		s++;
	return s;
}

/* "N", "N+d" or "N-" (random TTL); p0f's odd skipping after "N-:" kept. */
static int parse_ttl(struct sig_cursor *c, u8 *ttl, u8 *bad_ttl)
{
	const char *v = c->v, *e = skip_digits(v);
	s32 ittl, add;

	if (*e != ':' && *e != '+' && *e != '-')
		return errmsg(c->err, c->errlen, "malformed signature");
	ittl = (s32)atol(v);
	if (ittl < 1 || ittl > 255)
		return errmsg(c->err, c->errlen, "bogus initial TTL");
	v = e + 1;
	if (*e == '-' && e[1] == ':') {
		/*
		 * p0f steps three characters past the '-', swallowing the
		 * first character of the IP option length field.  Keep that so
		 * the same lines parse to the same values; refuse to step over
		 * the end of the string.
		 */
		if (!e[2])
			return errmsg(c->err, c->errlen, "malformed signature");
		*bad_ttl = 1;
		v = e + 3;
	} else if (*e == '+') {
		e = skip_digits(e + 1);
		if (*e != ':')
			return errmsg(c->err, c->errlen, "malformed signature");
		add = (s32)atol(v);
		if (add < 0 || ittl + add > 255)
			return errmsg(c->err, c->errlen, "bogus initial TTL");
		ittl += add;
		v = e + 1;
	}
	*ttl = (u8)ittl;
	c->v = v;
	return 0;
}

/* A decimal field ending in term, within lo..hi (else the error `what`);
 * c moves past term. */
static int parse_num(struct sig_cursor *c, char term, s32 lo, s32 hi,
		     const char *what, s32 *out)
{
	const char *e = skip_digits(c->v);
	s32 n;

	if (*e != term)
		return errmsg(c->err, c->errlen, "malformed signature");
	n = (s32)atol(c->v);
	if (n < lo || n > hi)
		return errmsg(c->err, c->errlen, "%s", what);
	c->v = e + 1;
	*out = n;
	return 0;
}

/* A ':'-terminated field that is '*' (stored as -1) or a number 0..max. */
static int parse_any_num(struct sig_cursor *c, s32 max, const char *what,
			 s32 *out)
{
	if (c->v[0] == '*' && c->v[1] == ':') {
		*out = -1;
		c->v += 2;
		return 0;
	}
	return parse_num(c, ':', 0, max, what, out);
}

/* "*", "%N", "mss*N", "mtu*N" or "N", then ','. */
static int parse_window(struct sig_cursor *c, struct tcp_sig *ts)
{
	const char *v = c->v;
	u8 type;
	s32 w;
	int rc;

	if (v[0] == '*' && v[1] == ',') {
		ts->win_type = WIN_TYPE_ANY;
		ts->win = 0;
		c->v = v + 2;
		return 0;
	}
	if (*v == '%') {
		type = WIN_TYPE_MOD;
		c->v = v + 1;
		rc = parse_num(c, ',', 2, 65535, "bogus '%' value", &w);
	} else if (!strncmp(v, "mss*", 4) || !strncmp(v, "mtu*", 4)) {
		type = v[1] == 's' ? WIN_TYPE_MSS : WIN_TYPE_MTU;
		c->v = v + 4;
		rc = parse_num(c, ',', 1, 1000, "bogus MSS/MTU multiplier", &w);
	} else {
		type = WIN_TYPE_NORMAL;
		rc = parse_num(c, ',', 0, 65535, "bogus window size", &w);
	}
	if (rc)
		return rc;
	ts->win_type = type;
	ts->win = (u16)w;
	return 0;
}

static int parse_layout(struct sig_cursor *c, u8 *layout, u8 *cnt, u8 *pad)
{
	const char *v = c->v, *e;
	u32 i;
	s32 n;

	while (*v != ':') {
		if (*cnt >= MAX_TCP_OPT)
			return errmsg(c->err, c->errlen,
				      "too many TCP options");
		if (!strncmp(v, "eol", 3)) {
			layout[(*cnt)++] = TCPOPT_EOL;
			v += 3;
			if (*v != '+')
				return errmsg(c->err, c->errlen,
					      "malformed EOL option");
			e = skip_digits(++v);
			if (!*e)
				return errmsg(c->err, c->errlen,
					      "truncated options");
			if (*e != ':')
				return errmsg(c->err, c->errlen,
					      "EOL must be the last option");
			n = (s32)atol(v);
			if (n < 0 || n > 255)
				return errmsg(c->err, c->errlen,
					      "bogus EOL padding");
			*pad = (u8)n;
			v = e;
		} else if (*v == '?') {
			e = skip_digits(++v);
			if (*e != ':' && *e != ',')
				return errmsg(c->err, c->errlen,
					      "malformed '?' option");
			n = (s32)atol(v);
			if (n < 0 || n > 255)
				return errmsg(c->err, c->errlen,
					      "bogus '?' option");
			layout[(*cnt)++] = (u8)n;
			v = e;
		} else {
			/* first prefix match in p0f's order */
			i = name_prefix(v, tcp_opt_names, TCP_OPT_NAMES);
			if (i == TCP_OPT_NAMES)
				return errmsg(c->err, c->errlen,
					      "unrecognized TCP option");
			layout[(*cnt)++] = (u8)tcp_opt_names[i].val;
			v += strlen(tcp_opt_names[i].name);
		}
		if (*v == ':')
			break;
		if (*v != ',')
			return errmsg(c->err, c->errlen,
				      "malformed TCP options");
		v++;
	}
	c->v = v + 1;
	return 0;
}

static int parse_quirks(struct sig_cursor *c, s8 ver, u32 *quirks)
{
	const char *v = c->v;
	const struct tcp_name *q;
	u32 i;

	while (*v != ':') {
		i = name_prefix(v, tcp_quirk_names, TCP_QUIRK_NAMES);
		if (i == TCP_QUIRK_NAMES)
			return errmsg(c->err, c->errlen, "unrecognized quirk");
		q = &tcp_quirk_names[i];
		if (q->bad_ver && ver == q->bad_ver)
			return errmsg(c->err, c->errlen,
				      "'%s' is not valid for IPv%u", q->name,
				      (unsigned)ver);
		*quirks |= q->val;
		v += strlen(q->name);
		if (*v == ':')
			break;
		if (*v != ',')
			return errmsg(c->err, c->errlen, "malformed quirks");
		v++;
	}
	c->v = v + 1;
	return 0;
}

/* Everything from "ver:" up to the payload class, into ts. */
static int parse_tcp_sig(struct sig_cursor *c, struct tcp_sig *ts, u8 *bad_ttl)
{
	u8 layout[MAX_TCP_OPT] = { 0 }, cnt = 0, pad = 0;
	const char *v = c->v;
	int rc;
	s32 n;

	switch (*v) {
	case '4':
		ts->ip_ver = IP_VER4;
		break;
	case '6':
		ts->ip_ver = IP_VER6;
		break;
	case '*':
		ts->ip_ver = -1;
		break;
	default:
		return errmsg(c->err, c->errlen, "unrecognized IP version");
	}
	if (v[1] != ':')
		return errmsg(c->err, c->errlen, "malformed signature");
	c->v = v + 2;

	rc = parse_ttl(c, &ts->ttl, bad_ttl);
	if (rc)
		return rc;

	rc = parse_num(c, ':', 0, 255, "bogus IP option length", &n);
	if (rc)
		return rc;
	ts->ip_opt_len = (u8)n;

	rc = parse_any_num(c, 65535, "bogus MSS", &n);
	if (rc)
		return rc;
	ts->mss = n;

	rc = parse_window(c, ts);
	if (rc)
		return rc;

	rc = parse_any_num(c, 255, "bogus window scale", &n);
	if (rc)
		return rc;
	ts->wscale = (s16)n;

	rc = parse_layout(c, layout, &cnt, &pad);
	if (rc)
		return rc;
	ts->opt_hash = tcp_opt_hash(layout, cnt);
	ts->opt_eol_pad = pad;

	rc = parse_quirks(c, ts->ip_ver, &ts->quirks);
	if (rc)
		return rc;

	if (!strcmp(c->v, "*"))
		ts->pay_class = -1;
	else if (!strcmp(c->v, "0"))
		ts->pay_class = 0;
	else if (!strcmp(c->v, "+"))
		ts->pay_class = 1;
	else
		return errmsg(c->err, c->errlen, "malformed payload class");
	return 0;
}

int tcp_rec_same_shape(const void *rec, const void *ctx)
{
	const struct tcp_sig_record *r = rec, *n = ctx;
	const struct tcp_sig *a = r->sig, *ts = n->sig;

	return r->bad_ttl == n->bad_ttl && a->opt_hash == ts->opt_hash &&
	       a->quirks == ts->quirks && a->opt_eol_pad == ts->opt_eol_pad &&
	       a->ip_opt_len == ts->ip_opt_len && a->ip_ver == ts->ip_ver &&
	       a->ttl == ts->ttl && a->mss == ts->mss && a->win == ts->win &&
	       a->win_type == ts->win_type && a->pay_class == ts->pay_class &&
	       a->wscale == ts->wscale;
}

/*
 * p0f refuses a sig an earlier line of the file already covers.  Records
 * of earlier files (an overlay) do not count: the new sig is tried before
 * them, and one of exactly its shape is dropped, so the later file wins.
 */
static int check_dupe(struct sigdb *db, struct rec_list *rl, u8 to_srv,
		      const struct tcp_sig_record *rec, char *err,
		      size_t errlen)
{
	struct tcp_sig *ts = rec->sig;

	tcp_find_match(db, to_srv, ts, 1, 0);
	if (ts->matched && rec_list_in_front(rl, ts->matched) >= 0)
		return errmsg(err, errlen,
			      "signature is already covered by line %u",
			      ts->matched->line_no);
	ts->matched = NULL;
	ts->fuzzy = ts->dist = 0;
	db->tcp_cnt[to_srv] -= rec_list_drop_old(rl, tcp_rec_same_shape, rec);
	return 0;
}

int tcp_register_sig(struct sigdb *db, u8 to_srv, const struct sig_label *lb,
		     const char *val, u32 line_no, char *err, size_t errlen)
{
	struct sig_cursor c = { val, err, errlen };
	struct tcp_sig_record *rec;
	struct rec_list *rl;
	struct tcp_sig *ts;
	u8 bad_ttl = 0;
	int rc;

	to_srv = !!to_srv;
	ts = sigstore_alloc(db, sizeof(*ts));
	rec = sigstore_alloc(db, sizeof(*rec));
	if (!ts || !rec)
		return -ENOMEM;
	rc = parse_tcp_sig(&c, ts, &bad_ttl);
	if (rc)
		return rc;

	rec->lb = *lb;
	rec->line_no = line_no;
	rec->bad_ttl = bad_ttl;
	rec->sig = ts;
	rl = &db->tcp[to_srv][ts->opt_hash % SIG_BUCKETS];
	rc = check_dupe(db, rl, to_srv, rec, err, errlen);
	if (rc)
		return rc;
	rc = rec_list_push(rl, rec);
	if (rc)
		return rc;
	db->tcp_cnt[to_srv]++;
	return 0;
}
