// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * HTTP fingerprints applied to hosts: once http_wire.c has read a whole
 * header block, match it, emit the "http request" / "http response"
 * observation, score it for NAT and keep what the host record needs
 * (p0f 3.09b's fingerprint_http and score_nat).
 */
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "http_int.h"
#include "nat.h"
#include "obs.h"
#include "strbuf.h"

static int is_alpha_c(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* ------------------------------------------------------- observations */

/* Language name for Accept-Language, as p0f: only a leading two-letter
 * code not followed by a third letter counts ("en-US", "de;q=1"). */
static void add_lang(struct obs *o, const char *al, const char **lang)
{
	*lang = NULL;
	if (!al || !is_alpha_c((u8)al[0]) || !is_alpha_c((u8)al[1]) ||
	    is_alpha_c((u8)al[2])) {
		obs_add(o, "lang", "none");
		return;
	}
	*lang = http_lang_name(al[0], al[1]);
	if (*lang)
		obs_add(o, "lang", "%s", *lang);
	else
		obs_add_unknown(o, "lang");
}

static void emit_obs(struct engine *e, u8 to_srv, struct flow *f,
		     const char **lang)
{
	const struct sigdb *db = e->db;
	struct http_sig *hs = &f->http_tmp;
	const struct http_sig_record *m = hs->matched;
	struct strbuf sb;
	struct obs *o;

	o = obs_begin(e, to_srv ? "http request" : "http response", to_srv, f);
	if (m) {
		obs_add_match(o, db, m->lb.class_id < 0 ? "app" : "os", &m->lb);
		o->label.is_app = m->lb.class_id < 0;
	} else {
		obs_add_unknown(o, "app");
	}
	add_lang(o, hs->lang, lang);

	/* params and raw_sig are built where the observation keeps them */
	obs_field_begin(o, &sb);
	http_dump_flags(hs, m, &sb);
	obs_field_end(o, "params", &sb);
	obs_field_begin(o, &sb);
	http_dump_sig(db, to_srv, hs, &sb);
	obs_field_end(o, "raw_sig", &sb);
	obs_emit(e, o);
}

/* ---------------------------------------------------------- NAT score */

/* First ua_os entry whose substring the User-Agent holds, or NULL. */
static const struct ua_map_record *ua_lookup(const struct sigdb *db,
					     const char *ua)
{
	u32 i;

	for (i = 0; i < db->ua_map_cnt; i++)
		if (strstr(ua, db->ua_map[i].name))
			return &db->ua_map[i];
	return NULL;
}

/* An app sig on a server against the last response on the port. */
static void score_app(const struct http_sig_record *m,
		      const struct http_host_sig *ref, struct nat_score *ns)
{
	if (!ref || !ref->matched)
		return;
	if (ref->matched->lb.name_id != m->lb.name_id)
		nat_add(ns, 8, NAT_APP_LB);
	else if (ref->matched->lb.label_id != m->lb.label_id)
		nat_add(ns, 2, NAT_APP_LB);
}

/* An OS sig against the last one of its kind and the host's OS. */
static void score_os(const struct http_sig_record *m,
		     const struct http_host_sig *ref, const struct host *hd,
		     struct nat_score *ns)
{
	u8 diff_already = 0;

	if (ref && ref->matched) {
		if (ref->matched->lb.name_id != m->lb.name_id) {
			nat_add(ns, 8, NAT_OS_SIG);
			diff_already = 1;
		} else if (ref->matched->lb.name_id != (s32)m->lb.label_id) {
			/* p0f compares name_id with label_id here; kept for
			 * parity */
			nat_add(ns, 2, NAT_OS_SIG);
		}
	} else if (ref) {
		nat_add(ns, 4, NAT_TO_UNK);
	}
	if (!diff_already && hd->last_name_id != m->lb.name_id)
		nat_add(ns, 4, NAT_OS_SIG);
}

/* An honest-looking User-Agent naming another OS than the TCP sig. */
static void score_ua(const struct sigdb *db, struct host *hd,
		     const struct http_sig *hs, struct nat_score *ns)
{
	const struct ua_map_record *u;

	if (!hs->sw || hs->dishonest)
		return;
	u = ua_lookup(db, hs->sw);
	if (u && (s32)u->id != hd->last_name_id) {
		nat_add(ns, 4, NAT_APP_UA);
		if (!hd->bad_sw)
			hd->bad_sw = 1;
	} else if (u) {
		hd->bad_sw = 0;
	}
}

/* Via / X-Forwarded-For, and a server Date that does not keep time. */
static void score_headers(const struct http_sig *hs,
			  const struct http_host_sig *ref, u8 to_srv,
			  struct nat_score *ns)
{
	if (hs->via)
		nat_add(ns, 8, NAT_APP_VIA);
	/* Date moving backwards, or further than the capture clock did */
	if (ref && !to_srv && ref->date && hs->date) {
		s64 recv_diff = (s64)hs->recv_date - ref->recv_date;
		s64 hdr_diff = (s64)hs->date - ref->date;

		if (hdr_diff < -HTTP_MAX_DATE_DIFF ||
		    hdr_diff > recv_diff + HTTP_MAX_DATE_DIFF)
			nat_add(ns, 4, NAT_APP_DATE);
	}
}

/*
 * How much this HTTP sig says "a different system than before".  Unknown
 * sigs are taken to be apps, so only a server going from known to
 * unknown counts; app sigs are checked against the host's OS and, for
 * servers, against the previous response on the same port.
 */
static void score_nat(struct engine *e, u8 to_srv, struct flow *f)
{
	const struct http_sig *hs = &f->http_tmp;
	const struct http_sig_record *m = hs->matched;
	struct host *hd = to_srv ? f->client : f->server;
	const struct http_host_sig *ref =
		to_srv ? hd->http_req_os : hd->http_resp;
	struct nat_score ns = { 0 };

	/* another port may be another daemon: compare nothing */
	if (!to_srv && hd->http_resp_port != f->srv_port)
		ref = NULL;
	if (!m) {
		if (!to_srv && ref && ref->matched)
			nat_add(&ns, 4, NAT_TO_UNK);
	} else if (m->lb.class_id == -1) {
		verify_tool_class(e, to_srv, f, m->lb.sys, m->lb.sys_cnt);
		if (to_srv)
			score_ua(e->db, hd, hs, &ns);
		else
			score_app(m, ref, &ns);
	} else {
		score_os(m, ref, hd, &ns);
	}
	score_headers(hs, ref, to_srv, &ns);
	add_nat_score(e, to_srv, f, ns.reason, ns.score);
}

/* ------------------------------------------------------- host records */

/*
 * What the host record keeps of a sig: the fields the next sig of its kind
 * is scored against, nothing else (the full sig is over 1 kB).
 */
static struct http_host_sig *snapshot(struct http_host_sig *old,
				      const struct http_sig *hs)
{
	/* the previous one is overwritten: one allocation per host and kind */
	struct http_host_sig *c = old ? old : malloc(sizeof(*c));

	if (!c)
		return NULL;
	c->matched = hs->matched;
	c->date = hs->date;
	c->recv_date = hs->recv_date;
	return c;
}

static void take_app(struct host *h, const struct http_sig_record *m,
		     u8 dishonest)
{
	h->http_name_id = m->lb.name_id;
	h->http_flavor = m->lb.flavor;
	if (dishonest)
		h->bad_sw = 2;
}

static void remember(u8 to_srv, struct flow *f, const char *lang)
{
	const struct http_sig *hs = &f->http_tmp;
	const struct http_sig_record *m = hs->matched;
	struct host *h = to_srv ? f->client : f->server;

	if (lang)
		h->language = lang;
	if (!to_srv) {
		/* every response is kept, to score the next one */
		h->http_resp = snapshot(h->http_resp, hs);
		h->http_resp_port = f->srv_port;
	} else if (m && m->lb.class_id != -1) {
		/* for requests only an OS sig is worth keeping */
		h->http_req_os = snapshot(h->http_req_os, hs);
	}
	if (!m)
		return;
	if (m->lb.class_id != -1)
		host_take_os(h, &m->lb, 0);
	else
		take_app(h, m, hs->dishonest);
}

/* The header block is complete: match, report, score, remember. */
void fingerprint_http(struct engine *e, u8 to_srv, struct flow *f)
{
	const char *lang = NULL;

	http_find_match(e->db, to_srv, &f->http_tmp, 0);
	emit_obs(e, to_srv, f, &lang);
	score_nat(e, to_srv, f);
	remember(to_srv, f, lang);
}
