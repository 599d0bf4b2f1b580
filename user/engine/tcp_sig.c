// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * TCP SYN / SYN+ACK signatures, p0f 3.09b compatible: how a packet becomes
 * a signature and the match order (exact, then generic, then fuzzy).  The
 * .fp grammar is in tcp_db.c, the raw_sig / params text in tcp_dump.c,
 * what a match does to the host in tcp_host.c.
 */
#include <string.h>

#include "tcp.h"

#define HDR4_MIN 40 /* IPv4 + TCP without options */
#define HDR6_MIN 60 /* IPv6 + TCP */

/*
 * Quirk names in the order p0f prints them and its .fp parser tries them
 * (not bit order: ecn is 4th).  bad_ver: the IP version the quirk cannot
 * occur on, which a signature may not claim it for.
 */
const struct tcp_name tcp_quirk_names[TCP_QUIRK_NAMES] = {
	{ QUIRK_DF, "df", IP_VER6 },	   { QUIRK_NZ_ID, "id+", IP_VER6 },
	{ QUIRK_ZERO_ID, "id-", IP_VER6 }, { QUIRK_ECN, "ecn", 0 },
	{ QUIRK_NZ_MBZ, "0+", IP_VER6 },   { QUIRK_FLOW, "flow", IP_VER4 },
	{ QUIRK_ZERO_SEQ, "seq-", 0 },	   { QUIRK_NZ_ACK, "ack+", 0 },
	{ QUIRK_ZERO_ACK, "ack-", 0 },	   { QUIRK_NZ_URG, "uptr+", 0 },
	{ QUIRK_URG, "urgf+", 0 },	   { QUIRK_PUSH, "pushf+", 0 },
	{ QUIRK_OPT_ZERO_TS1, "ts1-", 0 }, { QUIRK_OPT_NZ_TS2, "ts2+", 0 },
	{ QUIRK_OPT_EOL_NZ, "opt+", 0 },   { QUIRK_OPT_EXWS, "exws", 0 },
	{ QUIRK_OPT_BAD, "bad", 0 },
};

/* Option names, in the order p0f's parser tries them as prefixes ("sok"
 * before "sack", "ts" last).  eol and unknown kinds are written apart. */
const struct tcp_name tcp_opt_names[TCP_OPT_NAMES] = {
	{ TCPOPT_NOP, "nop", 0 },   { TCPOPT_MAXSEG, "mss", 0 },
	{ TCPOPT_WSCALE, "ws", 0 }, { TCPOPT_SACKOK, "sok", 0 },
	{ TCPOPT_SACK, "sack", 0 }, { TCPOPT_TSTAMP, "ts", 0 },
};

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

		if (res == 1 && !rec->lb.generic) {
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
	if (fmatch && fmatch->lb.class_id == -1)
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
