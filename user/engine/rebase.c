// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Switching a running engine to another signature database (the daemon
 * reloads its databases on SIGHUP).
 *
 * Hosts and flows hold references into the database they were matched
 * against: the matched TCP and HTTP records (the next match is scored for
 * NAT against them), OS name and class ids, flavor and link-type strings,
 * and a half-read HTTP header block holds header-name ids.  Keeping the
 * old database until no host refers to it could take forever (an active
 * host keeps its record), so every reference is re-pointed into the new
 * database instead, and the old one is freed at once:
 *   - a TCP record becomes the new database's record of the same shape
 *     and label, an HTTP record its first record of the same label (only
 *     the label is ever read from a host's HTTP record); when there is
 *     none, a copy kept in the new database's store but in no match list,
 *     so that scoring sees "the same signature" or "another one" exactly
 *     as it did before the reload;
 *   - ids and strings map by their text; a name, class or header name the
 *     new files lack is added to the new database (no sig uses it).
 * This runs in two passes so that it cannot fail half-way: the first pass
 * builds every translation (the only step that allocates: on failure the
 * new database is dropped and nothing has changed), the second rewrites
 * the references from those translations.
 *
 * Every reference into the database that the engine keeps beyond one
 * packet must be listed in rebase_host() or rebase_flow().
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "http_int.h"
#include "sigstore.h"
#include "tcp.h"

#define UNMAPPED (-2)

/* old pointer -> new pointer, open addressing; cap a power of two */
struct pmap {
	const void **key;
	void **val;
	u32 cnt, cap;
};

struct rebase {
	const struct sigdb *from;
	struct sigdb *to;
	s32 *names, *classes, *hdrs, *labels; /* old id -> new id */
	struct pmap ptr; /* records, strings and sys lists */
	u8 apply; /* second pass: only look translations up */
	int rc;
};

static u32 pmap_slot(const struct pmap *m, const void *k)
{
	u64 h = (u64)(uintptr_t)k * 0x9e3779b97f4a7c15ull;

	return (u32)(h >> 32) & (m->cap - 1);
}

static void *pmap_get(const struct pmap *m, const void *k)
{
	u32 i;

	if (!m->cap)
		return NULL;
	for (i = pmap_slot(m, k); m->key[i]; i = (i + 1) & (m->cap - 1))
		if (m->key[i] == k)
			return m->val[i];
	return NULL;
}

static int pmap_put(struct pmap *m, const void *k, void *v)
{
	struct pmap n = { 0 };
	u32 i;

	if (2 * (m->cnt + 1) > m->cap) {
		n.cap = m->cap ? 2 * m->cap : 64;
		n.key = calloc(n.cap, sizeof(*n.key));
		n.val = calloc(n.cap, sizeof(*n.val));
		if (!n.key || !n.val) {
			free(n.key);
			free(n.val);
			return -ENOMEM;
		}
		for (i = 0; i < m->cap; i++)
			if (m->key[i])
				pmap_put(&n, m->key[i], m->val[i]);
		free(m->key);
		free(m->val);
		*m = n;
	}
	for (i = pmap_slot(m, k); m->key[i]; i = (i + 1) & (m->cap - 1))
		;
	m->key[i] = k;
	m->val[i] = v;
	m->cnt++;
	return 0;
}

/* ---------------------------------------------------------- ids, text */

/* A translated id: looked up, or (first pass) made with make(). */
static s32 map_id(struct rebase *r, s32 *map, s32 id, u32 cnt,
		  s32 (*make)(struct rebase *r, s32 id))
{
	if (id < 0 || (u32)id >= cnt)
		return -1;
	if (map[id] == UNMAPPED && !r->apply && !r->rc) {
		map[id] = make(r, id);
		if (map[id] < 0) {
			r->rc = -ENOMEM;
			map[id] = UNMAPPED;
		}
	}
	return map[id] == UNMAPPED ? -1 : map[id];
}

static s32 make_name(struct rebase *r, s32 id)
{
	const char *n = r->from->names[id];

	return sigstore_intern_name(r->to, n, strlen(n));
}

static s32 make_class(struct rebase *r, s32 id)
{
	const char *n = r->from->classes[id];
	s32 c = sigstore_find_class(r->to, n);

	if (c >= 0)
		return c;
	if (sigstore_add_class(r->to, n, strlen(n)))
		return -ENOMEM;
	return (s32)r->to->class_cnt - 1;
}

static s32 make_hdr(struct rebase *r, s32 id)
{
	const char *n = r->from->hnames.name[id];

	return http_hdr_intern(r->to, n, strlen(n));
}

static s32 map_name(struct rebase *r, s32 id)
{
	return map_id(r, r->names, id, r->from->name_cnt, make_name);
}

static s32 map_class(struct rebase *r, s32 id)
{
	return map_id(r, r->classes, id, r->from->class_cnt, make_class);
}

/* The translation of old already made (or none to make: NULL, the
 * second pass, an earlier failure): 1 with *n set; 0 to make it. */
static int made(struct rebase *r, const void *old, void **n)
{
	*n = old ? pmap_get(&r->ptr, old) : NULL;
	return !old || *n || r->apply || r->rc;
}

/* Remember the translation n of old (NULL: out of memory). */
static void *keep(struct rebase *r, const void *old, void *n)
{
	if (!n || pmap_put(&r->ptr, old, n))
		r->rc = -ENOMEM;
	return n;
}

/* Text owned by the old db, as text owned by the new one. */
static const char *map_str(struct rebase *r, const char *s)
{
	void *done;

	if (made(r, s, &done))
		return done;
	return keep(r, s, sigstore_strndup(r->to, s, strlen(s)));
}

/* ------------------------------------------------------------- labels */

static int same_label(const struct sig_label *a, const struct sig_label *b)
{
	return a->generic == b->generic && a->class_id == b->class_id &&
	       a->name_id == b->name_id &&
	       (a->flavor == b->flavor ||
		(a->flavor && b->flavor && !strcmp(a->flavor, b->flavor)));
}

static u32 *map_sys(struct rebase *r, const u32 *sys, u32 cnt)
{
	void *done;
	u32 *n, i;

	if (!cnt || made(r, sys, &done))
		return cnt ? done : NULL;
	n = keep(r, sys, sigstore_alloc(r->to, cnt * sizeof(*n)));
	if (!n)
		return NULL;
	for (i = 0; i < cnt; i++)
		n[i] = (sys[i] & SYS_CLASS_FLAG) ?
			       (u32)map_class(r, (s32)SYS_NF(sys[i])) |
				       SYS_CLASS_FLAG :
			       (u32)map_name(r, (s32)sys[i]);
	return n;
}

/* A label of the old db in the new db's ids and strings; its label_id is
 * that of a record carrying the same label in the new db, if any. */
static void map_label(struct rebase *r, const struct sig_label *in,
		      const struct rec_list *lists, u32 n_lists,
		      struct sig_label *out)
{
	u32 l, i;

	out->generic = in->generic;
	out->class_id = in->class_id < 0 ? -1 : map_class(r, in->class_id);
	out->name_id = map_name(r, in->name_id);
	out->flavor = map_str(r, in->flavor);
	out->sys = map_sys(r, in->sys, in->sys_cnt);
	out->sys_cnt = out->sys ? in->sys_cnt : 0;
	if ((u32)in->label_id <= r->from->label_cnt &&
	    r->labels[in->label_id] != UNMAPPED) {
		out->label_id = (u32)r->labels[in->label_id];
		return;
	}
	out->label_id = 0;
	for (l = 0; l < n_lists && !out->label_id; l++)
		for (i = 0; i < lists[l].cnt && !out->label_id; i++) {
			const struct sig_label *lb = lists[l].v[i];

			/* records begin with their label (tcp.h, http.h) */
			if (same_label(lb, out))
				out->label_id = lb->label_id;
		}
	if (!out->label_id)
		out->label_id = ++r->to->label_cnt;
	if ((u32)in->label_id <= r->from->label_cnt)
		r->labels[in->label_id] = (s32)out->label_id;
}

/* ------------------------------------------------------------ records */

static struct tcp_sig_record *map_tcp(struct rebase *r,
				      struct tcp_sig_record *old, u8 to_srv)
{
	const struct rec_list *rl = &r->to->tcp[to_srv][0];
	struct tcp_sig_record *n, want;
	void *done;
	u32 i;

	if (made(r, old, &done))
		return done;
	n = NULL;
	want = *old;
	map_label(r, &old->lb, rl, SIG_BUCKETS, &want.lb);
	rl = &r->to->tcp[to_srv][old->sig->opt_hash % SIG_BUCKETS];
	for (i = 0; i < rl->cnt && !n; i++) {
		struct tcp_sig_record *c = rl->v[i];

		if (tcp_rec_same_shape(c, old) && same_label(&c->lb, &want.lb))
			n = c;
	}
	if (!n) {
		n = sigstore_alloc(r->to, sizeof(*n));
		want.sig = sigstore_alloc(r->to, sizeof(*want.sig));
		if (n && want.sig) {
			*want.sig = *old->sig;
			*n = want;
		} else {
			n = NULL;
		}
	}
	return keep(r, old, n);
}

static struct http_sig_record *map_http(struct rebase *r,
					struct http_sig_record *old, u8 to_srv)
{
	const struct rec_list *rl = &r->to->http[to_srv ? 1 : 0];
	struct http_sig_record *n, want;
	void *done;
	u32 i;

	if (made(r, old, &done))
		return done;
	n = NULL;
	want = *old;
	map_label(r, &old->lb, rl, 1, &want.lb);
	for (i = 0; i < rl->cnt && !n; i++) {
		struct http_sig_record *c = rl->v[i];

		if (same_label(&c->lb, &want.lb))
			n = c;
	}
	if (!n) {
		/* never matched against: an empty sig keeps it harmless */
		n = sigstore_alloc(r->to, sizeof(*n));
		want.sig = sigstore_alloc(r->to, sizeof(*want.sig));
		if (n && want.sig)
			*n = want;
		else
			n = NULL;
	}
	return keep(r, old, n);
}

/* -------------------------------------------------------- the tables */

static void rebase_host(void *ctx, struct host *h)
{
	struct rebase *r = ctx;
	struct tcp_sig *last_syn = host_last_sig(h, 1);
	struct tcp_sig *last_synack = host_last_sig(h, 0);
	struct tcp_sig_record *syn = NULL, *synack = NULL;
	struct http_sig_record *req = NULL, *resp = NULL;
	const char *flavor, *http_flavor, *link;
	s32 cls, name, http_name;

	/* the first pass only builds translations: it must not change the
	 * host, whose old ids and pointers the second pass maps again */
	if (last_syn)
		syn = map_tcp(r, last_syn->matched, 1);
	if (last_synack)
		synack = map_tcp(r, last_synack->matched, 0);
	if (h->http_req_os)
		req = map_http(r, h->http_req_os->matched, 1);
	if (h->http_resp)
		resp = map_http(r, h->http_resp->matched, 0);
	cls = map_class(r, h->last_class_id);
	name = map_name(r, h->last_name_id);
	http_name = map_name(r, h->http_name_id);
	flavor = map_str(r, h->last_flavor);
	http_flavor = map_str(r, h->http_flavor);
	link = map_str(r, h->link_type);
	if (!r->apply)
		return;
	if (last_syn)
		last_syn->matched = syn;
	if (last_synack)
		last_synack->matched = synack;
	if (h->http_req_os)
		h->http_req_os->matched = req;
	if (h->http_resp)
		h->http_resp->matched = resp;
	h->last_class_id = cls;
	h->last_name_id = name;
	h->http_name_id = http_name;
	h->last_flavor = flavor;
	h->http_flavor = http_flavor;
	h->link_type = link;
}

/* A header block being read: its header-name ids. */
static void rebase_flow(void *ctx, struct flow *f)
{
	struct http_sig *hs = &f->http_tmp;
	struct rebase *r = ctx;
	u32 i;

	if (!f->http_ready)
		return;
	if (r->apply) {
		hs->matched = NULL;
		hs->hdr_bloom4 = 0;
	}
	for (i = 0; i < hs->hdr_cnt && i < HTTP_MAX_HDRS; i++) {
		s32 id = hs->hdr[i].id;

		if (id < 0)
			continue;
		id = map_id(r, r->hdrs, id, r->from->hnames.cnt, make_hdr);
		if (!r->apply)
			continue;
		hs->hdr[i].id = id;
		if (id >= 0)
			hs->hdr_bloom4 |= http_bloom4((u32)id);
	}
}

static s32 *id_map(u32 n)
{
	s32 *m = malloc((n ? n : 1) * sizeof(*m));
	u32 i;

	for (i = 0; m && i < n; i++)
		m[i] = UNMAPPED;
	return m;
}

int engine_swap_db(struct engine *e, struct sigdb *nd)
{
	struct rebase r = { .from = e->db, .to = nd };

	r.names = id_map(e->db->name_cnt);
	r.classes = id_map(e->db->class_cnt);
	r.hdrs = id_map(e->db->hnames.cnt);
	r.labels = id_map(e->db->label_cnt + 1);
	if (!r.names || !r.classes || !r.hdrs || !r.labels)
		r.rc = -ENOMEM;
	if (!r.rc)
		flow_tables_walk(e, rebase_host, rebase_flow, &r);
	if (!r.rc) {
		r.apply = 1;
		flow_tables_walk(e, rebase_host, rebase_flow, &r);
		tcp_memo_clear(e->tcp_memo);
		sigdb_free(e->db);
		*e->db = *nd;
		memset(nd, 0, sizeof(*nd));
	}
	free(r.names);
	free(r.classes);
	free(r.hdrs);
	free(r.labels);
	free(r.ptr.key);
	free(r.ptr.val);
	return r.rc;
}
