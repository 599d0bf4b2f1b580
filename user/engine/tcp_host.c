// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * TCP fingerprints applied to hosts: the syn / syn+ack observation, and
 * the host record update and NAT score that follow it (p0f 3.09b's
 * fingerprint_tcp and score_nat), with a memo of recent signatures.
 */
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "nat.h"
#include "obs.h"
#include "pool.h"
#include "strbuf.h"
#include "tcp.h"

static int iabs(int x)
{
	return x < 0 ? -x : x;
}

/* Compare a sig with the previous one of its kind: the NAT score inputs.
 * Returns 1 when the OS differs outright (what follows then counts less). */
static u8 diff_prev(const struct host *hd, const struct tcp_sig *sig,
		    const struct tcp_sig *ref, u8 to_srv, struct nat_score *ns)
{
	if (!sig->matched || !ref->matched) {
		/* weak signals: an unknown sig may come from a user tool */
		if ((sig->quirks ^ ref->quirks) &
		    ~(QUIRK_ECN | QUIRK_DF | QUIRK_NZ_ID | QUIRK_ZERO_ID))
			nat_add(ns, 2, NAT_UNK_DIFF);
		else if (to_srv && sig->opt_hash != ref->opt_hash)
			nat_add(ns, 1, NAT_UNK_DIFF); /* layouts: SYNs only */
		if (to_srv && sig->matched != ref->matched)
			nat_add(ns, 1, NAT_TO_UNK);
	} else if (ref->matched->lb.name_id != sig->matched->lb.name_id) {
		nat_add(ns, 8, NAT_OS_SIG);
		return 1;
	} else if (to_srv) {
		if (ref->matched->lb.label_id != sig->matched->lb.label_id)
			nat_add(ns, 2, NAT_OS_SIG);
		/* p0f compares line numbers: one record per line of one
		 * file; with overlays, records are told apart by identity */
		else if (ref->matched != sig->matched)
			nat_add(ns, 1, NAT_OS_SIG);
		else if (sig->fuzzy != ref->fuzzy)
			nat_add(ns, 1, NAT_FUZZY);
	}
	return 0;
}

/* A known sig naming another OS than the host had. */
static u8 os_changed(const struct host *hd, const struct tcp_sig *sig)
{
	return sig->matched && hd->last_class_id != -1 &&
	       hd->last_name_id != sig->matched->lb.name_id;
}

/* TTL moves, unless a sig says TTLs are random, or a distant host moved
 * by just one. */
static void ttl_moved(const struct tcp_sig *sig, const struct tcp_sig *ref,
		      struct nat_score *ns)
{
	int ttl_diff = (int)sig->ttl - (int)ref->ttl;

	if (!ttl_diff || (sig->matched && sig->matched->bad_ttl) ||
	    (ref->matched && ref->matched->bad_ttl) ||
	    (sig->dist > NEAR_TTL_LIMIT && ttl_diff <= 1))
		return;
	if (sig->dist > LOCAL_TTL_LIMIT && iabs(ttl_diff) <= SMALL_TTL_CHG)
		nat_add(ns, 1, NAT_TTL);
	else
		nat_add(ns, 4, NAT_TTL);
}

/* Timestamps that advance too fast between two sigs suggest two hosts. */
static void ts_adjust(const struct tcp_sig *sig, const struct tcp_sig *ref,
		      struct nat_score *ns)
{
	u64 ms_diff, use_ms, max_ts;
	u32 ts_diff;

	if (!ns->score || !sig->ts1 || !ref->ts1)
		return;
	ms_diff = sig->recv_ms - ref->recv_ms;
	if (ms_diff >= MAX_NAT_TS)
		return;
	use_ms = ms_diff < TSTAMP_GRACE ? TSTAMP_GRACE : ms_diff;
	max_ts = use_ms * MAX_TSCALE / 1000;
	ts_diff = sig->ts1 - ref->ts1;
	if (ts_diff > max_ts &&
	    (ms_diff >= TSTAMP_GRACE || (u32)~ts_diff > max_ts))
		nat_add(ns, 4, NAT_TS);
	else
		ns->score /= 2;
}

/* Score sig against the host's previous one of its kind, then make it
 * the host's OS. */
static void score_nat(struct engine *e, u8 to_srv, const struct tcp_sig *sig,
		      struct flow *f)
{
	struct host *hd = to_srv ? f->client : f->server;
	const struct tcp_sig *ref = host_last_sig(hd, to_srv);
	struct nat_score ns = { 0 };
	u8 diff_already;

	if (ref) {
		diff_already = diff_prev(hd, sig, ref, to_srv, &ns);
		if (!diff_already && os_changed(hd, sig)) {
			nat_add(&ns, 8, NAT_OS_SIG);
			diff_already = 1;
		}
		if (!diff_already)
			ttl_moved(sig, ref, &ns);
		if (to_srv && hd->last_port && f->cli_port < hd->last_port &&
		    hd->last_port - f->cli_port >= MIN_PORT_DROP)
			nat_add(&ns, 1, NAT_PORT);
		if (sig->mss != ref->mss)
			nat_add(&ns, 1, NAT_MSS);
		ts_adjust(sig, ref, &ns);
	} else if (os_changed(hd, sig)) {
		/* nothing of this kind yet; the host's OS may still differ */
		nat_add(&ns, 8, NAT_OS_SIG);
	}

	add_nat_score(e, to_srv, f, ns.reason, ns.score);
	if (sig->matched)
		host_take_os(hd, &sig->matched->lb, sig->fuzzy);
	hd->last_port = f->cli_port;
}

/* ----------------------------------------------------------- the memo */

/*
 * A busy link shows the same few hundred signatures over and over, and
 * what fingerprinting makes of a SYN depends only on the signature: the
 * match (and so dist), the params and the raw_sig text.  The memo keeps
 * those by the exact set of packet fields they are computed from, so a
 * repeated signature skips the database walk and the text building.
 * Entries stay valid as long as the database does (engine_swap_db()
 * clears the memo); a slot is simply overwritten by the next signature
 * hashing to it.
 */
#define MEMO_SLOTS 256
#define MEMO_TEXT 128

/* Every input of tcp_find_match(), tcp_dump_flags() and tcp_dump_sig(). */
struct memo_key {
	const struct sigdb *db;
	u32 quirks;
	u16 mss, win, tot_hdr, syn_mss;
	u8 layout[MAX_TCP_OPT];
	u8 opt_cnt, eol_pad, ip_ver, ttl, ip_opt_len, tos, wscale, tcp_type;
	u8 to_srv, has_pay, has_ts, sendsyn;
};

struct memo_slot {
	struct memo_key key;
	u8 used;
	u8 fuzzy, dist;
	struct tcp_sig_record *matched;
	u8 params_len, raw_len;
	char params[MEMO_TEXT];
	char raw[MEMO_TEXT];
};

struct tcp_memo {
	struct memo_slot slot[MEMO_SLOTS];
};

struct tcp_memo *tcp_memo_new(void)
{
	return calloc(1, sizeof(struct tcp_memo));
}

void tcp_memo_free(struct tcp_memo *m)
{
	free(m);
}

void tcp_memo_clear(struct tcp_memo *m)
{
	if (m)
		memset(m, 0, sizeof(*m));
}

static void memo_key(struct memo_key *k, const struct sigdb *db, u8 to_srv,
		     const struct pkt *pk, const struct flow *f)
{
	/* zeroed whole: padding and unused layout bytes take part in memcmp */
	memset(k, 0, sizeof(*k));
	k->db = db;
	k->quirks = pk->quirks;
	k->mss = pk->mss;
	k->win = pk->win;
	k->tot_hdr = pk->tot_hdr;
	k->syn_mss = f->syn_mss;
	k->opt_cnt = pk->opt_cnt < MAX_TCP_OPT ? pk->opt_cnt : MAX_TCP_OPT;
	memcpy(k->layout, pk->opt_layout, k->opt_cnt);
	k->eol_pad = pk->opt_eol_pad;
	k->ip_ver = pk->ip_ver;
	k->ttl = pk->ttl;
	k->ip_opt_len = pk->ip_opt_len;
	k->tos = pk->tos;
	k->wscale = pk->wscale;
	k->tcp_type = pk->tcp_type;
	k->to_srv = to_srv;
	k->has_pay = !!pk->pay_len;
	k->has_ts = !!pk->ts1;
	k->sendsyn = f->sendsyn;
}

static struct memo_slot *memo_slot(struct tcp_memo *m, const struct memo_key *k)
{
	const u8 *b = (const u8 *)k + sizeof(k->db);
	u64 h = 0x9e3779b97f4a7c15ull, w;
	size_t i;

	for (i = 0; i + 8 <= sizeof(*k) - sizeof(k->db); i += 8) {
		memcpy(&w, b + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 29;
	}
	return &m->slot[(h >> 17) % MEMO_SLOTS];
}

static void memo_store(struct memo_slot *s, const struct memo_key *k,
		       const struct tcp_sig *sig, const char *params,
		       const char *raw)
{
	size_t pl = strlen(params), rl = strlen(raw);

	if (pl >= MEMO_TEXT || rl >= MEMO_TEXT)
		return; /* odd signature: not worth a bigger slot */
	s->key = *k;
	s->used = 1;
	s->matched = sig->matched;
	s->fuzzy = sig->fuzzy;
	s->dist = sig->dist;
	s->params_len = (u8)pl;
	s->raw_len = (u8)rl;
	memcpy(s->params, params, pl + 1);
	memcpy(s->raw, raw, rl + 1);
}

/*
 * The params and raw_sig fields: from the memo slot ms, or (key set: a
 * miss) built in place and stored in ms.
 */
static void add_sig_text(struct obs *o, const struct pkt *pk,
			 const struct tcp_sig *sig, u16 syn_mss,
			 struct memo_slot *ms, const struct memo_key *key)
{
	const char *params;
	struct strbuf sb;

	obs_field_begin(o, &sb);
	if (key)
		tcp_dump_flags(pk, sig, &sb);
	else
		sb_put(&sb, ms->params, ms->params_len);
	params = sb.buf;
	obs_field_end(o, "params", &sb);
	obs_field_begin(o, &sb);
	if (key)
		tcp_dump_sig(pk, sig, syn_mss, &sb);
	else
		sb_put(&sb, ms->raw, ms->raw_len);
	obs_field_end(o, "raw_sig", &sb);
	if (key && ms && params && sb.buf)
		memo_store(ms, key, sig, params, sb.buf);
}

/* -------------------------------------------------------- fingerprint */

/* Match sig, through the memo when the engine has one.  Returns the memo
 * slot, which held the answer (*hit) or is to take it, or NULL. */
static struct memo_slot *match_sig(struct engine *e, u8 to_srv,
				   const struct pkt *pk, const struct flow *f,
				   struct tcp_sig *sig, struct memo_key *key,
				   u8 *hit)
{
	struct memo_slot *ms = NULL;

	*hit = 0;
	if (e->tcp_memo) {
		memo_key(key, e->db, to_srv, pk, f);
		ms = memo_slot(e->tcp_memo, key);
		*hit = ms->used && !memcmp(&ms->key, key, sizeof(*key));
	}
	if (*hit) {
		sig->matched = ms->matched;
		sig->fuzzy = ms->fuzzy;
		sig->dist = ms->dist;
	} else {
		tcp_find_match(e->db, to_srv, sig, 0, f->syn_mss);
	}
	return ms;
}

/* The "os" (or "app") and "dist" fields; the host keeps the distance
 * unless the sig says TTLs are random. */
static void add_match(struct obs *o, const struct sigdb *db,
		      const struct tcp_sig *sig, struct flow *f, u8 to_srv)
{
	const struct tcp_sig_record *m = sig->matched;
	u8 as_app = m && (m->lb.class_id == -1 || f->sendsyn);

	if (m) {
		obs_add_match(o, db, as_app ? "app" : "os", &m->lb);
		o->label.is_app = as_app;
		o->label.fuzzy = sig->fuzzy;
	} else {
		obs_add_unknown(o, "os");
	}
	if (m && m->bad_ttl) {
		obs_add(o, "dist", "<= %u", sig->dist);
		return;
	}
	if (to_srv)
		f->client->distance = sig->dist;
	else
		f->server->distance = sig->dist;
	obs_add(o, "dist", "%u", sig->dist);
}

struct tcp_sig *fingerprint_tcp(struct engine *e, u8 to_srv,
				const struct pkt *pk, struct flow *f)
{
	const struct tcp_sig_record *m;
	struct memo_slot *ms;
	struct memo_key key;
	struct tcp_sig *sig;
	struct obs *o;
	u8 hit;

	sig = pool_get(e->tcp_sigs);
	if (!sig)
		return NULL;
	tcp_sig_from_pkt(pk, e->now_ms, sig);

	/* p0f-sendsyn probes: report what answers them, score nothing */
	if (pk->tcp_type == TCP_SYN && pk->win == SPECIAL_WIN &&
	    pk->mss == SPECIAL_MSS)
		f->sendsyn = 1;
	if (to_srv)
		o = obs_begin(e, f->sendsyn ? "sendsyn probe" : "syn", 1, f);
	else
		o = obs_begin(e, f->sendsyn ? "sendsyn response" : "syn+ack", 0,
			      f);
	ms = match_sig(e, to_srv, pk, f, sig, &key, &hit);
	add_match(o, e->db, sig, f, to_srv);
	add_sig_text(o, pk, sig, f->syn_mss, ms, hit ? NULL : &key);
	obs_emit(e, o);

	if (pk->tcp_type == TCP_SYN)
		f->syn_mss = pk->mss;

	/* application sigs (nmap & co.) only check the claimed OS */
	m = sig->matched;
	if (m && m->lb.class_id == -1) {
		verify_tool_class(e, to_srv, f, m->lb.sys, m->lb.sys_cnt);
		pool_put(e->tcp_sigs, sig);
		return NULL;
	}
	if (f->sendsyn) {
		pool_put(e->tcp_sigs, sig);
		return NULL;
	}
	score_nat(e, to_srv, sig, f);
	return sig;
}
