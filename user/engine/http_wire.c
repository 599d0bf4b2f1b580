// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * HTTP fingerprinting, part 2: reading headers out of the bytes a flow
 * has collected, the "http request" / "http response" observations, NAT
 * scoring of HTTP evidence and what the host records keep.
 *
 * The parser reproduces p0f 3.09b's process_http()/parse_pairs() to the
 * byte, including its odd corners, because parity with p0f's output is
 * the goal:
 *   - only "GET /" and "HEAD /" requests are considered;
 *   - a header line needs a name of [A-Za-z0-9_-]{1,32} then ':'; one
 *     blank after ':' is skipped; the value runs to '\n' minus one '\r';
 *     a folded or otherwise malformed line ends HTTP parsing of the flow;
 *   - a line starting with '\r' or '\n' ends the header block;
 *   - more than HTTP_MAX_HDRS headers or a value over HTTP_MAX_HDR_VAL
 *     ends parsing of the flow;
 *   - p0f never sets its "got the response's first line" flag, so every
 *     response segment after the first re-runs the status-line check
 *     from the current parse position: that swallows the header line that
 *     was incomplete at the end of the previous segment.  Reproduced.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"
#include "fp_http_int.h"
#include "http_lang.h"

static int is_alpha_c(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_blank_c(int c)
{
	return c == ' ' || c == '\t';
}

/* Header name characters [A-Za-z0-9_-] (http_hdr_char(), inlined here:
 * the parser tests every byte of every name). */
static inline int name_char(u8 c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* ---------------------------------------------------------------- Date */

/*
 * Parse an HTTP Date value to unix seconds; 0 if it does not parse.
 *
 * p0f uses strptime("%a, %d %b %Y %H:%M:%S %Z") into an uninitialised
 * struct tm and then mktime().  mktime() reads local time and the stray
 * tm_isdst: when that stack garbage is positive glibc shifts the result
 * by an hour, which is why two p0f runs over one capture can differ by a
 * "host change ... reason=date" line.  (The receive time p0f compares
 * against is the capture time, not the wall clock; we use e->now_ms.)
 * Here the struct is zeroed and read as UTC with timegm(), so the result
 * is the same on every run and in every time zone; the drift test only
 * looks at differences, which match p0f's whenever its isdst is sane.
 */
static u32 parse_http_date(const char *s)
{
	struct tm t;

	memset(&t, 0, sizeof(t));
	if (!strptime(s, "%a, %d %b %Y %H:%M:%S %Z", &t))
		return 0;
	return (u32)timegm(&t);
}

/* ------------------------------------------------------- observations */

static void set_label(const struct sigdb *db, struct obs *o,
		      const struct http_sig_record *m)
{
	o->label.set = 1;
	o->label.is_app = m->class_id < 0;
	o->label.generic = m->generic;
	o->label.fuzzy = 0;
	o->label.cls = (m->class_id >= 0 && (u32)m->class_id < db->class_cnt) ?
			       db->classes[m->class_id] :
			       NULL;
	o->label.name =
		((u32)m->name_id < db->name_cnt) ? db->names[m->name_id] : "";
	o->label.flavor = m->flavor;
}

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
	struct sbuf b;
	struct obs o;

	obs_begin(e, &o, to_srv ? "http request" : "http response", to_srv, f);
	if (m) {
		set_label(db, &o, m);
		obs_add(&o, m->class_id < 0 ? "app" : "os", "%s%s%s",
			o.label.name, m->flavor ? " " : "",
			m->flavor ? m->flavor : "");
	} else {
		obs_add_unknown(&o, "app");
	}
	add_lang(&o, hs->lang, lang);

	/* params and raw_sig are built where the observation keeps them */
	b.buf = obs_field_buf(&o, &b.cap);
	if (b.buf) {
		b.len = 0;
		b.buf[0] = 0;
		http_dump_flags(hs, m, &b);
		obs_field_done(&o, "params", b.len);
	}
	b.buf = obs_field_buf(&o, &b.cap);
	if (b.buf) {
		b.len = 0;
		b.buf[0] = 0;
		http_dump_sig(db, to_srv, hs, &b);
		obs_field_done(&o, "raw_sig", b.len);
	}
	obs_emit(e, &o);
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
	const struct http_host_sig *ref;
	u16 reason = 0;
	u8 score = 0, diff_already = 0;

	if (to_srv) {
		ref = hd->http_req_os;
	} else {
		ref = hd->http_resp;
		/* another port may be another daemon: compare nothing */
		if (hd->http_resp_port != f->srv_port)
			ref = NULL;
	}

	if (!m) {
		if (!to_srv && ref && ref->matched) {
			score += 4;
			reason |= NAT_TO_UNK;
		}
		goto headers;
	}

	if (m->class_id == -1) {
		verify_tool_class(e, to_srv, f, m->sys, m->sys_cnt);
		if (!to_srv && ref && ref->matched) {
			if (ref->matched->name_id != m->name_id) {
				score += 8;
				reason |= NAT_APP_LB;
			} else if (ref->matched->label_id != m->label_id) {
				score += 2;
				reason |= NAT_APP_LB;
			}
		}
	} else {
		if (ref && ref->matched) {
			if (ref->matched->name_id != m->name_id) {
				score += 8;
				reason |= NAT_OS_SIG;
				diff_already = 1;
			} else if (ref->matched->name_id != (s32)m->label_id) {
				/* p0f compares name_id with label_id here;
				 * kept for parity */
				score += 2;
				reason |= NAT_OS_SIG;
			}
		} else if (ref) {
			score += 4;
			reason |= NAT_TO_UNK;
		}
		if (!diff_already && hd->last_name_id != m->name_id) {
			score += 4;
			reason |= NAT_OS_SIG;
		}
	}

	/* an honest-looking User-Agent naming another OS than the TCP sig */
	if (to_srv && m->class_id == -1 && hs->sw && !hs->dishonest) {
		const struct ua_map_record *u = ua_lookup(e->db, hs->sw);

		if (u && (s32)u->id != hd->last_name_id) {
			score += 4;
			reason |= NAT_APP_UA;
			if (!hd->bad_sw)
				hd->bad_sw = 1;
		} else if (u) {
			hd->bad_sw = 0;
		}
	}

headers:
	if (hs->via) {
		score += 8;
		reason |= NAT_APP_VIA;
	}
	/* Date moving backwards, or further than the capture clock did */
	if (ref && !to_srv && ref->date && hs->date) {
		s64 recv_diff = (s64)hs->recv_date - ref->recv_date;
		s64 hdr_diff = (s64)hs->date - ref->date;

		if (hdr_diff < -HTTP_MAX_DATE_DIFF ||
		    hdr_diff > recv_diff + HTTP_MAX_DATE_DIFF) {
			score += 4;
			reason |= NAT_APP_DATE;
		}
	}
	add_nat_score(e, to_srv, f, reason, score);
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

static void take_os(struct host *h, const struct http_sig_record *m)
{
	h->last_class_id = m->class_id;
	h->last_name_id = m->name_id;
	h->last_flavor = m->flavor;
	h->last_quality = m->generic ? 2 : 0; /* P0F_MATCH_GENERIC */
}

static void take_app(struct host *h, const struct http_sig_record *m,
		     u8 dishonest)
{
	h->http_name_id = m->name_id;
	h->http_flavor = m->flavor;
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
	} else if (m && m->class_id != -1) {
		/* for requests only an OS sig is worth keeping */
		h->http_req_os = snapshot(h->http_req_os, hs);
	}
	if (!m)
		return;
	if (m->class_id != -1)
		take_os(h, m);
	else
		take_app(h, m, hs->dishonest);
}

/* The header block is complete: match, report, score, remember. */
static void fingerprint_http(struct engine *e, u8 to_srv, struct flow *f)
{
	const char *lang = NULL;

	http_find_match(e->db, to_srv, &f->http_tmp, 0);
	emit_obs(e, to_srv, f, &lang);
	score_nat(e, to_srv, f);
	remember(to_srv, f, lang);
}

/* -------------------------------------------------------------- parse */

/* Stop looking at this flow's HTTP. */
static int give_up(struct flow *f)
{
	f->in_http = -1;
	return 0;
}

/* Out of bytes mid-block: wait for more if more can come. */
static int short_data(struct flow *f, u8 can_more)
{
	if (!can_more)
		f->in_http = -1;
	return can_more;
}

static int block_done(struct engine *e, u8 to_srv, struct flow *f)
{
	f->http_tmp.recv_date = (u32)(e->now_ms / 1000);
	fingerprint_http(e, to_srv, f);
	if (!to_srv)
		return give_up(f);
	/* request done: start afresh for the response */
	f->http_req_done = 1;
	f->http_pos = 0;
	http_free_flow(f);
	memset(&f->http_tmp, 0, sizeof(f->http_tmp));
	return 1;
}

/*
 * A NUL-terminated copy of n bytes for hdr[] of an observed sig.  Names
 * and values are disjoint pieces of the flow's bytes, so a block as large
 * as the bytes still to parse (plus a NUL per string) holds them all and
 * spares a malloc per header; strings that arrive after the block was
 * sized get their own allocation.
 */
static char *hdr_strdup(struct http_sig *hs, const u8 *s, u32 n, u32 left)
{
	char *p;

	if (!hs->strs) {
		u32 cap = left + 2 * HTTP_MAX_HDRS + 2;

		hs->strs = malloc(cap);
		if (hs->strs) {
			hs->strs_cap = cap;
			hs->strs_len = 0;
		}
	}
	if (hs->strs && n + 1 <= hs->strs_cap - hs->strs_len) {
		p = hs->strs + hs->strs_len;
		memcpy(p, s, n);
		p[n] = 0;
		hs->strs_len += n + 1;
		return p;
	}
	return strndup((const char *)s, n);
}

/* Record one header; the value (NULL if empty) is taken over. */
static int add_header(struct engine *e, u8 to_srv, struct flow *f,
		      const u8 *name, u32 nlen, char *val, u32 left)
{
	struct http_sig *hs = &f->http_tmp;
	struct http_hdr *h = &hs->hdr[hs->hdr_cnt];
	s32 id = http_hdr_lookup(e->db, (const char *)name, nlen);

	h->id = id;
	h->name = NULL;
	h->value = NULL;
	if (id < 0) {
		h->name = hdr_strdup(hs, name, nlen, left);
		if (!h->name)
			return -1; /* val stays the caller's */
	} else {
		hs->hdr_bloom4 |= http_bloom4((u32)id);
	}
	h->value = val;
	hs->hdr_cnt++;
	if (!val)
		return 0;
	if (id == HDR_VIA || id == HDR_XFF)
		hs->via = val;
	else if (to_srv && id == HDR_UA)
		hs->sw = val;
	else if (to_srv && id == HDR_AL)
		hs->lang = val;
	else if (!to_srv && id == HDR_SRV)
		hs->sw = val;
	else if (!to_srv && id == HDR_DATE)
		hs->date = parse_http_date(val);
	return 0;
}

/*
 * "Name: value" lines from f->http_pos on.  Returns p0f's "need more"
 * value: 0 done with the flow, 1 more wanted, -1 gave up but p0f keeps
 * the flow until its next segment (an over-long value).
 */
static int parse_headers(struct engine *e, u8 to_srv, struct flow *f,
			 u8 can_more)
{
	const u8 *pay = to_srv ? f->request : f->response;
	u32 plen = to_srv ? f->req_len : f->resp_len;

	while (f->http_pos < plen) {
		u32 off = f->http_pos, nlen = 0, vstart, vlen = 0;
		char *val = NULL;

		if (pay[off] == '\r' || pay[off] == '\n')
			return block_done(e, to_srv, f);
		if (f->http_tmp.hdr_cnt >= HTTP_MAX_HDRS)
			return give_up(f);

		while (off < plen && nlen <= HTTP_MAX_HDR_NAME &&
		       name_char(pay[off])) {
			off++;
			nlen++;
		}
		if (off == plen)
			return short_data(f, can_more);
		if (!nlen || pay[off] != ':' || nlen > HTTP_MAX_HDR_NAME)
			return give_up(f);

		off++;
		if (off < plen && is_blank_c(pay[off]))
			off++;
		vstart = off;
		/* up to '\n', looking at most one byte past the longest value */
		if (off < plen) {
			u32 lim = plen - off;
			const u8 *nl;

			if (lim > HTTP_MAX_HDR_VAL + 1)
				lim = HTTP_MAX_HDR_VAL + 1;
			nl = memchr(pay + off, '\n', lim);
			vlen = nl ? (u32)(nl - (pay + off)) : lim;
			off += vlen;
		}
		if (vlen > HTTP_MAX_HDR_VAL) {
			f->in_http = -1;
			return -1;
		}
		if (off == plen)
			return short_data(f, can_more);
		if (pay[off - 1] == '\r')
			vlen--;

		if (vlen) {
			val = hdr_strdup(&f->http_tmp, pay + vstart, vlen,
					 plen - f->http_pos);
			if (!val)
				return give_up(f);
		}
		if (add_header(e, to_srv, f, pay + f->http_pos, nlen, val,
			       plen - f->http_pos)) {
			http_free_str(&f->http_tmp, val);
			return give_up(f);
		}
		f->http_pos = off + 1;
	}
	return short_data(f, can_more);
}

/*
 * Scan the first line from f->http_pos: printable ASCII (or '\r') up to
 * '\n' within HTTP_MAX_URL bytes and at least min_len bytes in.
 * Returns 1 with *eol set, 0 for "need more", -1 for "not HTTP".
 */
static int scan_first_line(const u8 *pay, u32 len, u32 pos, u32 min_len,
			   u32 *eol)
{
	u32 off = pos;

	while (off < len && off < HTTP_MAX_URL && pay[off] != '\n') {
		if (pay[off] != '\r' && (pay[off] < 0x20 || pay[off] > 0x7f))
			return -1;
		off++;
	}
	if (off == HTTP_MAX_URL || off < min_len)
		return -1;
	*eol = off;
	return off == len ? 0 : 1;
}

static int http_request(struct engine *e, struct flow *f)
{
	const u8 *pay = f->request;
	u8 can_more = f->req_len < MAX_FLOW_DATA;
	u32 eol, ver_at;
	int rc;

	if (f->http_req_done)
		return 1; /* waiting for the response */
	if (!f->in_http) {
		if (f->req_len < 15)
			return can_more;
		if (!f->http_pos && memcmp(pay, "GET /", 5) &&
		    memcmp(pay, "HEAD /", 6))
			return give_up(f);
		rc = scan_first_line(pay, f->req_len, f->http_pos, 14, &eol);
		if (rc < 0)
			return give_up(f);
		if (!rc) {
			f->http_pos = eol;
			return short_data(f, can_more);
		}
		/* "... HTTP/1.x" ends the request line */
		ver_at = eol - 8 - (pay[eol - 1] == '\r');
		if (memcmp(pay + ver_at, "HTTP/1.", 7))
			return give_up(f);
		f->http_tmp.http_ver = pay[ver_at + 7] == '1';
		f->in_http = 1;
		f->http_pos = eol + 1;
	}
	return parse_headers(e, 1, f, can_more);
}

static int http_response(struct engine *e, struct flow *f)
{
	const u8 *pay = f->response;
	u8 can_more = f->resp_len < MAX_FLOW_DATA;
	u32 eol;
	int rc;

	/* a response without a complete HTTP request before it */
	if (!f->in_http || !f->http_req_done)
		return give_up(f);

	/* http_gotresp1 stays 0 as in p0f: see the comment at the top */
	if (!f->http_gotresp1) {
		if (f->resp_len < 13)
			return can_more;
		rc = scan_first_line(pay, f->resp_len, f->http_pos, 13, &eol);
		if (rc < 0)
			return give_up(f);
		if (!rc) {
			f->http_pos = eol;
			return short_data(f, can_more);
		}
		if (memcmp(pay, "HTTP/1.", 7))
			return give_up(f);
		f->http_tmp.http_ver = pay[7] == '1';
		f->http_pos = eol + 1;
	}
	return parse_headers(e, 0, f, can_more);
}

/*
 * Newly appended bytes in f->request (to_srv) or f->response.  Returns 1
 * when HTTP needs nothing more from this flow (p0f's "need more" == 0).
 */
u8 process_http(struct engine *e, u8 to_srv, struct flow *f)
{
	int more;

	if (f->in_http < 0)
		return 1;
	more = to_srv ? http_request(e, f) : http_response(e, f);
	return more == 0;
}
