// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * TCP SYN / SYN+ACK fingerprints, p0f 3.09b compatible: the signature
 * syntax, how a packet becomes a signature, the match order (exact, then
 * generic, then fuzzy), the raw_sig / params text, the NAT score and the
 * timestamp-based uptime estimate.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "sigstore.h"

#define HDR4_MIN 40 /* IPv4 + TCP without options */
#define HDR6_MIN 60 /* IPv6 + TCP */
#define MATCH_FUZZY 0x01
#define MATCH_GENERIC 0x02

/* Quirks that only exist for one IP version. */
#define QUIRKS_V4_ONLY (QUIRK_DF | QUIRK_NZ_ID | QUIRK_ZERO_ID)
#define QUIRKS_V6_ONLY (QUIRK_FLOW)

u8 tcp_guess_dist(u8 ttl)
{
	if (ttl <= 32)
		return 32 - ttl;
	if (ttl <= 64)
		return 64 - ttl;
	if (ttl <= 128)
		return 128 - ttl;
	return 255 - ttl;
}

/*
 * Is the window an exact multiple of the MSS, or of an MTU?  The candidate
 * divisors and their order are p0f's; the first exact one wins.  Divisors
 * are plain ints (a peer MSS below 12 gives a negative one, and p0f's s16
 * result can wrap); we keep that arithmetic so odd packets print alike.
 */
s16 tcp_win_multi(const struct tcp_sig *ts, u8 *use_mtu, u16 syn_mss)
{
	struct {
		s32 div;
		u8 mtu;
		u8 when;
	} c[14];
	u32 n = 0, i;
	int win = ts->win;
	s32 mss = ts->mss;
	u8 v6 = ts->ip_ver == IP_VER6;

	if (!win || mss < 100 || ts->win_type != WIN_TYPE_NORMAL)
		return -1;

#define CAND(d, m, w) (c[n].div = (d), c[n].mtu = (m), c[n++].when = (w))
	CAND(mss, 0, 1);
	/* some stacks subtract the timestamp option's 12 bytes */
	CAND(mss - 12, 0, ts->ts1 != 0);
	CAND(1500 - HDR4_MIN, 0, 1);
	CAND(1500 - HDR4_MIN - 12, 0, 1);
	CAND(1500 - HDR6_MIN, 0, v6);
	CAND(1500 - HDR6_MIN - 12, 0, v6);
	CAND(mss + HDR4_MIN, 1, 1);
	CAND(mss + ts->tot_hdr, 1, 1);
	CAND(mss + HDR6_MIN, 1, v6);
	CAND(1500, 1, 1);
	/* SYN+ACK: the window may follow the peer's MSS */
	CAND((int)syn_mss, 0, syn_mss != 0);
	CAND((int)syn_mss - 12, 0, syn_mss != 0);
#undef CAND

	for (i = 0; i < n; i++) {
		if (!c[i].when || !c[i].div || win % c[i].div)
			continue;
		*use_mtu = c[i].mtu;
		return (s16)(win / c[i].div);
	}
	return -1;
}

/* Does the window rule of db sig `r` accept observed/new sig `ts`? */
static int win_ok(const struct tcp_sig *r, const struct tcp_sig *ts, s16 multi,
		  u8 use_mtu)
{
	/* two db sigs (duplicate check): same form and value */
	if (ts->win_type != WIN_TYPE_NORMAL)
		return r->win_type == ts->win_type && r->win == ts->win;
	switch (r->win_type) {
	case WIN_TYPE_NORMAL:
		return r->win == ts->win;
	case WIN_TYPE_MOD:
		return !(ts->win % r->win);
	case WIN_TYPE_MSS:
		return !use_mtu && r->win == multi;
	case WIN_TYPE_MTU:
		return use_mtu && r->win == multi;
	}
	return 1; /* WIN_TYPE_ANY */
}

/*
 * Compare with one db record; returns 0 = no, 1 = exact, 2 = fuzzy.
 * `have_fuzzy`: p0f stops considering quirk-fuzzy candidates once it has
 * one fuzzy candidate.
 */
static int rec_cmp(const struct tcp_sig_record *rec, const struct tcp_sig *ts,
		   int have_fuzzy, s16 multi, u8 use_mtu)
{
	const struct tcp_sig *r = rec->sig;
	u32 rq = r->quirks;
	int fuzzy = 0;

	if (r->opt_hash != ts->opt_hash)
		return 0;
	if (r->ip_ver == -1)
		rq &= ts->ip_ver == IP_VER4 ? ~QUIRKS_V6_ONLY : ~QUIRKS_V4_ONLY;
	if (rq != ts->quirks) {
		u32 gone = rq & ~ts->quirks, extra = ts->quirks & ~rq;

		/* only df/id+ vanishing and id-/ecn appearing are tolerated */
		if (have_fuzzy || (gone & ~(QUIRK_DF | QUIRK_NZ_ID)) ||
		    (extra & ~(QUIRK_ZERO_ID | QUIRK_ECN)))
			return 0;
		fuzzy = 1;
	}
	if (r->opt_eol_pad != ts->opt_eol_pad ||
	    r->ip_opt_len != ts->ip_opt_len)
		return 0;
	if (rec->bad_ttl) {
		if (r->ttl < ts->ttl)
			return 0;
	} else if (r->ttl < ts->ttl || r->ttl - ts->ttl > MAX_DIST) {
		fuzzy = 1;
	}
	if (r->mss != -1 && r->mss != ts->mss)
		return 0;
	if (r->wscale != -1 && r->wscale != ts->wscale)
		return 0;
	if (r->pay_class != -1 && r->pay_class != ts->pay_class)
		return 0;
	if (!win_ok(r, ts, multi, use_mtu))
		return 0;
	return fuzzy ? 2 : 1;
}

void tcp_find_match(const struct sigdb *db, u8 to_srv, struct tcp_sig *ts,
		    u8 dupe_det, u16 syn_mss)
{
	const struct rec_list *rl =
		&db->tcp[!!to_srv][ts->opt_hash % SIG_BUCKETS];
	struct tcp_sig_record *fmatch = NULL, *gmatch = NULL, *m;
	u8 use_mtu = 0;
	s16 multi = tcp_win_multi(ts, &use_mtu, syn_mss);
	u32 i;

	for (i = 0; i < rl->cnt; i++) {
		struct tcp_sig_record *rec = rl->v[i];
		int res = rec_cmp(rec, ts, fmatch != NULL, multi, use_mtu);

		if (res == 1 && !rec->generic) {
			ts->matched = rec;
			ts->fuzzy = 0;
			ts->dist = rec->sig->ttl - ts->ttl;
			return;
		}
		if (res == 1 && !gmatch)
			gmatch = rec;
		else if (res == 2 && !fmatch)
			fmatch = rec;
	}
	/* a new db sig is only a duplicate of an exact non-generic one */
	if (dupe_det)
		return;
	if (gmatch) {
		ts->matched = gmatch;
		ts->fuzzy = 0;
		ts->dist = gmatch->sig->ttl - ts->ttl;
		return;
	}
	/* application sigs (nmap & co.) are never matched loosely */
	if (fmatch && fmatch->class_id == -1)
		return;
	m = fmatch;
	if (!m || m->sig->ttl < ts->ttl ||
	    (!m->bad_ttl && m->sig->ttl - ts->ttl > MAX_DIST))
		ts->dist = tcp_guess_dist(ts->ttl);
	else
		ts->dist = m->sig->ttl - ts->ttl;
	ts->matched = m;
	if (m)
		ts->fuzzy = 1;
}

void tcp_sig_from_pkt(const struct pkt *pk, u64 recv_ms, struct tcp_sig *ts)
{
	memset(ts, 0, sizeof(*ts));
	ts->opt_hash = tcp_opt_hash(pk->opt_layout, pk->opt_cnt);
	ts->quirks = pk->quirks;
	ts->opt_eol_pad = pk->opt_eol_pad;
	ts->ip_opt_len = pk->ip_opt_len;
	ts->ip_ver = (s8)pk->ip_ver;
	ts->ttl = pk->ttl;
	ts->mss = pk->mss;
	ts->win = pk->win;
	ts->win_type = WIN_TYPE_NORMAL;
	ts->wscale = pk->wscale;
	ts->pay_class = pk->pay_len ? 1 : 0;
	ts->tot_hdr = pk->tot_hdr;
	ts->ts1 = pk->ts1;
	ts->recv_ms = recv_ms;
}

/* ------------------------------------------------------------ text */

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
	switch (kind) {
	case TCPOPT_NOP:
		return "nop";
	case TCPOPT_MAXSEG:
		return "mss";
	case TCPOPT_WSCALE:
		return "ws";
	case TCPOPT_SACKOK:
		return "sok";
	case TCPOPT_SACK:
		return "sack";
	case TCPOPT_TSTAMP:
		return "ts";
	}
	return NULL;
}

/* Quirk names in the order p0f prints them (not bit order: ecn is 4th). */
static const struct {
	u32 bit;
	const char *name;
} quirk_names[] = {
	{ QUIRK_DF, "df" },
	{ QUIRK_NZ_ID, "id+" },
	{ QUIRK_ZERO_ID, "id-" },
	{ QUIRK_ECN, "ecn" },
	{ QUIRK_NZ_MBZ, "0+" },
	{ QUIRK_FLOW, "flow" },
	{ QUIRK_ZERO_SEQ, "seq-" },
	{ QUIRK_NZ_ACK, "ack+" },
	{ QUIRK_ZERO_ACK, "ack-" },
	{ QUIRK_NZ_URG, "uptr+" },
	{ QUIRK_URG, "urgf+" },
	{ QUIRK_PUSH, "pushf+" },
	{ QUIRK_OPT_ZERO_TS1, "ts1-" },
	{ QUIRK_OPT_NZ_TS2, "ts2+" },
	{ QUIRK_OPT_EOL_NZ, "opt+" },
	{ QUIRK_OPT_EXWS, "exws" },
	{ QUIRK_OPT_BAD, "bad" },
};

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
	for (i = 0; i < sizeof(quirk_names) / sizeof(quirk_names[0]); i++) {
		if (!(pk->quirks & quirk_names[i].bit))
			continue;
		if (nq++)
			tb_lit(&t, ",");
		tb_str(&t, quirk_names[i].name);
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

/* ------------------------------------------------------ registration */

struct sig_cursor {
	const char *v;
	char *err;
	size_t errlen;
};

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

/* A decimal field ending in `term`; returns the value or sets *bad. */
static s32 parse_num(struct sig_cursor *c, char term, int *bad)
{
	const char *e = skip_digits(c->v);
	s32 n;

	if (*e != term) {
		*bad = 1;
		return 0;
	}
	n = (s32)atol(c->v);
	c->v = e + 1;
	return n;
}

/* A ':'-terminated field that is '*' (stored as -1) or a number 0..max. */
static int parse_any_num(struct sig_cursor *c, s32 max, const char *what,
			 s32 *out)
{
	int bad = 0;
	s32 n;

	if (c->v[0] == '*' && c->v[1] == ':') {
		*out = -1;
		c->v += 2;
		return 0;
	}
	n = parse_num(c, ':', &bad);
	if (bad)
		return errmsg(c->err, c->errlen, "malformed signature");
	if (n < 0 || n > max)
		return errmsg(c->err, c->errlen, "%s", what);
	*out = n;
	return 0;
}

static int parse_window(struct sig_cursor *c, struct tcp_sig *ts)
{
	const char *v = c->v;
	int bad = 0;
	s32 w;

	if (v[0] == '*' && v[1] == ',') {
		ts->win_type = WIN_TYPE_ANY;
		ts->win = 0;
		c->v = v + 2;
		return 0;
	}
	if (*v == '%') {
		c->v = v + 1;
		w = parse_num(c, ',', &bad);
		if (bad)
			return errmsg(c->err, c->errlen, "malformed signature");
		if (w < 2 || w > 65535)
			return errmsg(c->err, c->errlen, "bogus '%%' value");
		ts->win_type = WIN_TYPE_MOD;
	} else if (!strncmp(v, "mss*", 4) || !strncmp(v, "mtu*", 4)) {
		ts->win_type = v[1] == 's' ? WIN_TYPE_MSS : WIN_TYPE_MTU;
		c->v = v + 4;
		w = parse_num(c, ',', &bad);
		if (bad)
			return errmsg(c->err, c->errlen, "malformed signature");
		if (w < 1 || w > 1000)
			return errmsg(c->err, c->errlen,
				      "bogus MSS/MTU multiplier");
	} else {
		w = parse_num(c, ',', &bad);
		if (bad)
			return errmsg(c->err, c->errlen, "malformed signature");
		if (w < 0 || w > 65535)
			return errmsg(c->err, c->errlen, "bogus window size");
		ts->win_type = WIN_TYPE_NORMAL;
	}
	ts->win = (u16)w;
	return 0;
}

static const struct {
	const char *tok;
	u8 kind;
} opt_tokens[] = {
	{ "nop", TCPOPT_NOP },	 { "mss", TCPOPT_MAXSEG },
	{ "ws", TCPOPT_WSCALE }, { "sok", TCPOPT_SACKOK },
	{ "sack", TCPOPT_SACK }, { "ts", TCPOPT_TSTAMP },
};

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
			/* first prefix match in p0f's order ("sok" before
			 * "sack", "ts" last) */
			for (i = 0;
			     i < sizeof(opt_tokens) / sizeof(*opt_tokens); i++)
				if (!strncmp(v, opt_tokens[i].tok,
					     strlen(opt_tokens[i].tok)))
					break;
			if (i == sizeof(opt_tokens) / sizeof(*opt_tokens))
				return errmsg(c->err, c->errlen,
					      "unrecognized TCP option");
			layout[(*cnt)++] = opt_tokens[i].kind;
			v += strlen(opt_tokens[i].tok);
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

static const struct {
	const char *tok;
	u32 bit;
	s8 bad_ver; /* version on which the quirk cannot occur */
} quirk_tokens[] = {
	{ "df", QUIRK_DF, IP_VER6 },	   { "id+", QUIRK_NZ_ID, IP_VER6 },
	{ "id-", QUIRK_ZERO_ID, IP_VER6 }, { "ecn", QUIRK_ECN, 0 },
	{ "0+", QUIRK_NZ_MBZ, IP_VER6 },   { "flow", QUIRK_FLOW, IP_VER4 },
	{ "seq-", QUIRK_ZERO_SEQ, 0 },	   { "ack+", QUIRK_NZ_ACK, 0 },
	{ "ack-", QUIRK_ZERO_ACK, 0 },	   { "uptr+", QUIRK_NZ_URG, 0 },
	{ "urgf+", QUIRK_URG, 0 },	   { "pushf+", QUIRK_PUSH, 0 },
	{ "ts1-", QUIRK_OPT_ZERO_TS1, 0 }, { "ts2+", QUIRK_OPT_NZ_TS2, 0 },
	{ "opt+", QUIRK_OPT_EOL_NZ, 0 },   { "exws", QUIRK_OPT_EXWS, 0 },
	{ "bad", QUIRK_OPT_BAD, 0 },
};

static int parse_quirks(struct sig_cursor *c, s8 ver, u32 *quirks)
{
	const char *v = c->v;
	u32 i, n = sizeof(quirk_tokens) / sizeof(quirk_tokens[0]);

	while (*v != ':') {
		for (i = 0; i < n; i++)
			if (!strncmp(v, quirk_tokens[i].tok,
				     strlen(quirk_tokens[i].tok)))
				break;
		if (i == n)
			return errmsg(c->err, c->errlen, "unrecognized quirk");
		if (quirk_tokens[i].bad_ver && ver == quirk_tokens[i].bad_ver)
			return errmsg(c->err, c->errlen,
				      "'%s' is not valid for IPv%u",
				      quirk_tokens[i].tok, (unsigned)ver);
		*quirks |= quirk_tokens[i].bit;
		v += strlen(quirk_tokens[i].tok);
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
	int bad = 0, rc;
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

	n = parse_num(c, ':', &bad);
	if (bad)
		return errmsg(c->err, c->errlen, "malformed signature");
	if (n < 0 || n > 255)
		return errmsg(c->err, c->errlen, "bogus IP option length");
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

int tcp_register_sig(struct sigdb *db, u8 to_srv, const struct sig_label *lb,
		     const char *val, u32 line_no, char *err, size_t errlen)
{
	struct sig_cursor c = { val, err, errlen };
	struct tcp_sig_record *rec;
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

	/* p0f treats a sig an earlier line already covers as fatal */
	tcp_find_match(db, to_srv, ts, 1, 0);
	if (ts->matched)
		return errmsg(err, errlen,
			      "signature is already covered by line %u",
			      ts->matched->line_no);

	rec->generic = lb->generic;
	rec->class_id = lb->class_id;
	rec->name_id = lb->name_id;
	rec->flavor = lb->flavor;
	rec->label_id = lb->label_id;
	rec->sys = lb->sys;
	rec->sys_cnt = lb->sys_cnt;
	rec->line_no = line_no;
	rec->bad_ttl = bad_ttl;
	rec->sig = ts;
	rc = rec_list_push(&db->tcp[to_srv][ts->opt_hash % SIG_BUCKETS], rec);
	if (rc)
		return rc;
	db->tcp_cnt[to_srv]++;
	return 0;
}
