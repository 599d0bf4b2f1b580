// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The flow and host tables.
 *
 * This follows p0f 3.09b's bookkeeping closely because its observable
 * output depends on it: which flows exist when a packet arrives decides
 * whether a SYN+ACK or a payload is fingerprinted, and the table limits
 * decide what is forgotten on large captures.  Time is the packet's time,
 * so an offline capture gives the same answer however fast it is read.
 *
 * Flows and hosts live in chained hash tables plus an age list (oldest
 * first) each.  Flows are ordered by creation, hosts by last touch;
 * pruning and expiry walk these lists from the old end.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "flow.h"
#include "host_tls.h"
#include "pool.h"
#include "tcp.h"

/*
 * Both tables are sized from the limits (-m), in powers of two: a bucket
 * per allowed connection, and one per allowed host, so a full host table
 * has chains of one or less on average (a lookup seldom reads a record
 * that is not the one it wants) and its buckets cost less than 16 bytes
 * per host: with the host record (224 bytes) and the room for its two TCP
 * signatures beside it (2 x 48, struct host_blk) a host costs less than
 * 336 bytes, what osprey(8) states.
 */
#define MIN_BUCKETS 64
/* Objects per pool slab: few mallocs, little slack. */
#define HOST_SLAB 1024
#define SIG_SLAB 8 /* signatures being made: one at a time */
#define FLOW_SLAB 64

struct tables {
	struct host **host_b;
	struct flow **flow_b;
	u32 host_mask, flow_mask; /* buckets - 1 */
	struct host *host_oldest, *host_newest;
	struct flow *flow_oldest, *flow_newest;
	u32 host_cnt, flow_cnt;
	u32 last_expire; /* packet second of the last expiry pass */
	u32 seed;
	/* hosts and flows come from pools and go back to them; a recycled
	 * flow keeps its payload buffers (flow_destroy) */
	struct pool hosts, flows, sigs;
};

static inline struct tables *tab(const struct engine *e)
{
	return e->tables;
}

static inline u32 now_sec(const struct engine *e)
{
	return (u32)(e->now_ms / 1000);
}

static inline size_t addr_len(u8 ip_ver)
{
	return ip_ver == IP_VER4 ? 4 : 16;
}

/*
 * Bucket hashes: 32-bit words mixed with a per-engine seed so buckets are
 * not predictable from outside, then finalised (murmur3's fmix32).  This
 * runs several times per packet, so it works a word at a time.
 */
static inline u32 fmix32(u32 h)
{
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

static inline u32 hash_addr(u32 h, const u8 *addr, u8 ip_ver)
{
	u32 w, i, n = ip_ver == IP_VER4 ? 1 : 4;

	for (i = 0; i < n; i++) {
		memcpy(&w, addr + 4 * i, 4);
		h = (h ^ w) * 0x9e3779b1u;
		h = (h << 13) | (h >> 19);
	}
	return fmix32(h);
}

static u32 host_bucket(const struct tables *t, const u8 *addr, u8 ip_ver)
{
	return hash_addr(t->seed, addr, ip_ver) & t->host_mask;
}

/* Symmetric in the two endpoints, so both directions land together. */
static u32 flow_hash(const struct tables *t, const struct pkt *pk)
{
	return hash_addr(t->seed ^ pk->sport, pk->src, pk->ip_ver) +
	       hash_addr(t->seed ^ pk->dport, pk->dst, pk->ip_ver);
}

/* ---------------------------------------------------------------- hosts */

/* Is h the host at addr?  (Fixed lengths: the compares are inlined, and
 * the prefetch steps make several per packet.) */
static inline int host_is(const struct host *h, const u8 *addr, u8 ip_ver)
{
	if (h->ip_ver != ip_ver)
		return 0;
	if (ip_ver == IP_VER4)
		return !memcmp(h->addr, addr, 4);
	return !memcmp(h->addr, addr, 16);
}

struct host *engine_lookup_host(struct engine *e, const u8 *addr, u8 ip_ver)
{
	struct tables *t = tab(e);
	struct host *h;

	if (!t || (ip_ver != IP_VER4 && ip_ver != IP_VER6))
		return NULL;
	for (h = t->host_b[host_bucket(t, addr, ip_ver)]; h; h = h->next)
		if (host_is(h, addr, ip_ver))
			return h;
	return NULL;
}

/* Take h out of its bucket's chain (singly linked: chains are short). */
static void unlink_host(struct tables *t, struct host *h)
{
	struct host **pp = &t->host_b[host_bucket(t, h->addr, h->ip_ver)];

	while (*pp && *pp != h)
		pp = &(*pp)->next;
	if (*pp)
		*pp = h->next;
}

static void destroy_host(struct engine *e, struct host *h)
{
	struct tables *t = tab(e);

	unlink_host(t, h);
	if (h->newer)
		h->newer->older = h->older;
	else
		t->host_newest = h->older;
	if (h->older)
		h->older->newer = h->newer;
	else
		t->host_oldest = h->newer;

	if (h->http_resp)
		http_free_sig(h->http_resp);
	if (h->http_req_os)
		http_free_sig(h->http_req_os);
	host_tls_drop(e, h);
	h->ip_ver = 0; /* dead, for holders of a stale pointer (engine.h) */
	pool_put(&t->hosts, host_blk_of(h));
	t->host_cnt--;
}

/* Drop the oldest KILL_PERCENT% of flows. */
static void prune_flows(struct engine *e)
{
	struct tables *t = tab(e);
	u32 kill = 1 + t->flow_cnt * KILL_PERCENT / 100;

	while (kill-- && t->flow_oldest) {
		flow_destroy(e, t->flow_oldest);
		e->st.flows_pruned++;
	}
}

/*
 * The host table is full.  p0f 3.09b computes a 10% quota but its loop
 * steps from the oldest host towards older ones, so it only ever looks at
 * the single oldest host; its flow pruning runs first either way.  We
 * keep that observable behaviour (the output on large captures depends on
 * it): prune flows, then drop the oldest host.
 */
static void prune_hosts(struct engine *e)
{
	struct host *h;

	prune_flows(e);
	/*
	 * p0f stops when the oldest host is in use; we take the next idle
	 * one instead so the table stays bounded (a flow touches its hosts
	 * when created, so the oldest host is busy only in corner cases).
	 */
	for (h = tab(e)->host_oldest; h && h->use_cnt; h = h->newer)
		;
	if (h) {
		destroy_host(e, h);
		e->st.hosts_pruned++;
	}
}

static struct host *create_host(struct engine *e, const u8 *addr, u8 ip_ver)
{
	struct tables *t = tab(e);
	struct host_blk *blk;
	struct host *h;
	u32 b;

	if (t->host_cnt > e->cfg.max_hosts)
		prune_hosts(e);

	blk = pool_get(&t->hosts);
	if (!blk)
		return NULL;
	h = &blk->h;
	memset(h, 0, sizeof(*h));
	b = host_bucket(t, addr, ip_ver);
	h->next = t->host_b[b];
	t->host_b[b] = h;

	h->older = t->host_newest;
	if (h->older)
		h->older->newer = h;
	else
		t->host_oldest = h;
	t->host_newest = h;

	h->ip_ver = ip_ver;
	memcpy(h->addr, addr, addr_len(ip_ver));
	h->first_seen = h->last_seen = now_sec(e);
	h->last_up_min = -1;
	h->last_class_id = -1;
	h->last_name_id = -1;
	h->http_name_id = -1;
	h->distance = (u8)-1; /* p0f's "unknown" in a u8 field */
	t->host_cnt++;
	e->st.hosts_created++;
	return h;
}

/* Move a host to the young end of the age list. */
static void touch_host(struct engine *e, struct host *h)
{
	struct tables *t = tab(e);

	if (h != t->host_newest) {
		h->newer->older = h->older;
		if (h->older)
			h->older->newer = h->newer;
		else
			t->host_oldest = h->newer;
		t->host_newest->newer = h;
		h->older = t->host_newest;
		h->newer = NULL;
		t->host_newest = h;
	}
	h->last_seen = now_sec(e);
}

/* ---------------------------------------------------------------- flows */

void flow_destroy(struct engine *e, struct flow *f)
{
	struct tables *t = tab(e);

	if (f->next)
		f->next->prev = f->prev;
	if (f->prev)
		f->prev->next = f->next;
	else
		t->flow_b[f->bucket] = f->next;

	if (f->newer)
		f->newer->older = f->older;
	else
		t->flow_newest = f->older;
	if (f->older)
		f->older->newer = f->newer;
	else
		t->flow_oldest = f->newer;

	f->client->use_cnt--;
	f->server->use_cnt--;
	if (f->http_ready)
		http_free_flow(f);
	t->flow_cnt--;
	pool_put(&t->flows, f);
}

/*
 * A zeroed flow (but for http_tmp, see http_ready) from the pool.  A
 * recycled flow keeps its payload buffers: one is made for every SYN, and
 * the flows that carry payload would otherwise grow new ones each time.
 */
static struct flow *alloc_flow(struct tables *t)
{
	struct flow *f = pool_get(&t->flows);
	size_t tail = offsetof(struct flow, http_tmp) + sizeof(f->http_tmp);
	u8 *req, *resp;
	u32 req_cap, resp_cap;

	if (!f)
		return NULL;
	/* a never-used one is all zero (pool.h), so this holds for it too */
	req = f->request;
	resp = f->response;
	req_cap = f->req_cap;
	resp_cap = f->resp_cap;
	memset(f, 0, offsetof(struct flow, http_tmp));
	memset((char *)f + tail, 0, sizeof(*f) - tail);
	f->request = req;
	f->response = resp;
	f->req_cap = req_cap;
	f->resp_cap = resp_cap;
	return f;
}

/*
 * Prefetching for the feed pipeline (pipe.c).  A host lookup in a table
 * larger than the caches costs a memory miss per step of a dependent
 * chain: bucket slot, first record, maybe the second, then the lines of
 * the record's block the packet uses and its age-list neighbours
 * (touch_host() writes them).  Each step below starts the loads the next
 * one needs, so a packet run through all four, a few packets apart,
 * finds its lines in cache.  They only read the tables, and prefetching
 * a stale address is harmless.
 */
u32 flow_host_bucket(const struct engine *e, const u8 *addr, u8 ip_ver)
{
	return host_bucket(tab(e), addr, ip_ver);
}

/* The key line of h's block: chain link, address, age-list links. */
static inline const void *key_line(const struct host *h)
{
	return &h->next;
}

/* Line i of h's block, for writing. */
#define PREFETCH_LINE(h, i) \
	__builtin_prefetch((const char *)host_blk_of(h) + 64 * (i), 1)

/*
 * The prefetches are all in this one function, which pipe.c calls: with
 * them in a static helper, GCC 12 (-O2) dropped the helper's calls, as
 * if prefetching had no effect.
 */
void flow_prefetch_host(const struct engine *e, u32 b, const u8 *addr,
			u8 ip_ver, int step, u8 lines)
{
	const struct tables *t = tab(e);
	const struct host *h;

	b &= t->host_mask;
	if (step == 0) {
		__builtin_prefetch(&t->host_b[b]);
		return;
	}
	h = t->host_b[b];
	if (!h)
		return;
	if (step == 1) {
		__builtin_prefetch(key_line(h));
		return;
	}
	/* step 2: the rest of the first record if it is the one, else the
	 * next one's key line; step 3: the rest of a later one */
	if (host_is(h, addr, ip_ver)) {
		if (step == 3)
			return;
	} else if (step == 2) {
		if (h->next)
			__builtin_prefetch(key_line(h->next));
		return;
	} else {
		for (h = h->next; h && !host_is(h, addr, ip_ver); h = h->next)
			;
		if (!h)
			return;
	}
	/* the lines in `lines` (bit i: line i) but the key line, which the
	 * steps before brought, and the age-list neighbours' key lines
	 * (touch_host() writes them) */
	if (h->older)
		__builtin_prefetch(key_line(h->older), 1);
	if (h->newer)
		__builtin_prefetch(key_line(h->newer), 1);
	if (lines & 0x01)
		PREFETCH_LINE(h, 0);
	if (lines & 0x02)
		PREFETCH_LINE(h, 1);
	if (lines & 0x08)
		PREFETCH_LINE(h, 3);
	if (lines & 0x10)
		PREFETCH_LINE(h, 4);
}

static struct host *get_host(struct engine *e, const u8 *addr, u8 ip_ver)
{
	struct host *h = engine_lookup_host(e, addr, ip_ver);

	if (h) {
		touch_host(e, h);
		return h;
	}
	return create_host(e, addr, ip_ver);
}

struct flow *flow_create(struct engine *e, const struct pkt *pk)
{
	struct tables *t = tab(e);
	struct flow *f;
	u32 hash = flow_hash(t, pk), b = hash & t->flow_mask;

	if (t->flow_cnt > e->cfg.max_conn)
		prune_flows(e);

	f = alloc_flow(t);
	if (!f)
		return NULL;
	f->client = get_host(e, pk->src, pk->ip_ver);
	if (!f->client)
		goto fail;
	/*
	 * Pin the client before the server lookup: creating the server may
	 * prune hosts, and an unpinned client could be among them.
	 */
	f->client->use_cnt++;
	f->server = get_host(e, pk->dst, pk->ip_ver);
	if (!f->server) {
		f->client->use_cnt--;
		goto fail;
	}
	f->server->use_cnt++;
	f->client->total_conn++;
	f->server->total_conn++;

	f->next = t->flow_b[b];
	if (f->next)
		f->next->prev = f;
	t->flow_b[b] = f;
	f->older = t->flow_newest;
	if (f->older)
		f->older->newer = f;
	else
		t->flow_oldest = f;
	t->flow_newest = f;

	f->bucket = b;
	f->hash = hash;
	f->cli_port = pk->sport;
	f->srv_port = pk->dport;
	f->created = now_sec(e);
	f->next_cli_seq = pk->seq + 1;
	t->flow_cnt++;
	e->st.flows_created++;
	return f;
fail:
	pool_put(&t->flows, f);
	return NULL;
}

struct flow *flow_lookup(struct engine *e, const struct pkt *pk, u8 *to_srv)
{
	struct tables *t = tab(e);
	size_t n = addr_len(pk->ip_ver);
	u32 hash = flow_hash(t, pk);
	struct flow *f;

	for (f = t->flow_b[hash & t->flow_mask]; f; f = f->next) {
		if (f->hash != hash || f->client->ip_ver != pk->ip_ver)
			continue;
		if (pk->sport == f->cli_port && pk->dport == f->srv_port &&
		    !memcmp(pk->src, f->client->addr, n) &&
		    !memcmp(pk->dst, f->server->addr, n)) {
			*to_srv = 1;
			return f;
		}
		if (pk->dport == f->cli_port && pk->sport == f->srv_port &&
		    !memcmp(pk->dst, f->client->addr, n) &&
		    !memcmp(pk->src, f->server->addr, n)) {
			*to_srv = 0;
			return f;
		}
	}
	return NULL;
}

struct flow *engine_lookup_flow(struct engine *e, u8 ip_ver, const u8 *a,
				u16 a_port, const u8 *b, u16 b_port)
{
	struct pkt pk;
	u8 to_srv;

	if (!tab(e) || (ip_ver != IP_VER4 && ip_ver != IP_VER6))
		return NULL;
	memset(&pk, 0, sizeof(pk));
	pk.ip_ver = ip_ver;
	memcpy(pk.src, a, addr_len(ip_ver));
	memcpy(pk.dst, b, addr_len(ip_ver));
	pk.sport = a_port;
	pk.dport = b_port;
	return flow_lookup(e, &pk, &to_srv);
}

/* Drop flows older than conn_max_age and hosts idle for too long. */
void flow_expire(struct engine *e)
{
	struct tables *t = tab(e);
	u32 ct = now_sec(e);
	struct host *h, *newer;

	if (ct == t->last_expire)
		return;
	t->last_expire = ct;

	/* u32 arithmetic as in p0f: time going backwards expires too */
	while (t->flow_oldest &&
	       ct - t->flow_oldest->created > e->cfg.conn_max_age) {
		flow_destroy(e, t->flow_oldest);
		e->st.flows_expired++;
	}
	for (h = t->host_oldest;
	     h && ct - h->last_seen > e->cfg.host_idle_limit * 60; h = newer) {
		newer = h->newer;
		if (!h->use_cnt)
			destroy_host(e, h);
	}
}

/* Buckets for n entries at `per` entries a bucket: a power of two. */
static u32 bucket_count(u32 n, u32 per)
{
	u32 want = n / per, b = MIN_BUCKETS;

	while (b < want && b < (1u << 30))
		b <<= 1;
	return b;
}

static void free_buckets(struct tables *t)
{
	pool_zfree(t->host_b, (t->host_mask + 1) * sizeof(*t->host_b));
	pool_zfree(t->flow_b, (t->flow_mask + 1) * sizeof(*t->flow_b));
}

int flow_tables_init(struct engine *e)
{
	struct tables *t = calloc(1, sizeof(*t));
	u32 hb = bucket_count(e->cfg.max_hosts, 1);
	u32 fb = bucket_count(e->cfg.max_conn, 1);

	if (!t)
		return -ENOMEM;
	/* huge pages for large arrays: see pool.c */
	t->host_b = pool_zalloc(hb * sizeof(*t->host_b));
	t->flow_b = pool_zalloc(fb * sizeof(*t->flow_b));
	t->host_mask = hb - 1;
	t->flow_mask = fb - 1;
	if (!t->host_b || !t->flow_b) {
		free_buckets(t);
		free(t);
		return -ENOMEM;
	}
	pool_init(&t->hosts, sizeof(struct host_blk), HOST_SLAB);
	pool_init(&t->flows, sizeof(struct flow), FLOW_SLAB);
	pool_init(&t->sigs, sizeof(struct tcp_sig), SIG_SLAB);
	if (getrandom(&t->seed, sizeof(t->seed), GRND_NONBLOCK) !=
	    sizeof(t->seed))
		t->seed = 2166136261u;
	e->tables = t;
	e->tcp_sigs = &t->sigs;
	return 0;
}

void flow_tables_free(struct engine *e)
{
	struct tables *t = tab(e);
	struct flow *f;

	if (!t)
		return;
	while (t->flow_oldest)
		flow_destroy(e, t->flow_oldest);
	while (t->host_oldest)
		destroy_host(e, t->host_oldest);
	/* recycled flows hold their payload buffers */
	while ((f = pool_take_free(&t->flows))) {
		free(f->request);
		free(f->response);
	}
	pool_free(&t->hosts);
	pool_free(&t->flows);
	pool_free(&t->sigs);
	free_buckets(t);
	free(t);
	e->tables = NULL;
	e->tcp_sigs = NULL;
}

void engine_memory(const struct engine *e, struct engine_mem *m)
{
	const struct tables *t = tab(e);

	memset(m, 0, sizeof(*m));
	if (!t)
		return;
	m->hosts = t->hosts.bytes;
	m->tcp_sigs = t->sigs.bytes;
	m->flows = t->flows.bytes;
	m->buckets = (u64)(t->host_mask + 1) * sizeof(*t->host_b) +
		     (u64)(t->flow_mask + 1) * sizeof(*t->flow_b);
}

void flow_tables_walk(struct engine *e, void (*host_fn)(void *, struct host *),
		      void (*flow_fn)(void *, struct flow *), void *ctx)
{
	struct tables *t = tab(e);
	struct host *h;
	struct flow *f;

	if (!t)
		return;
	for (h = t->host_oldest; h && host_fn; h = h->newer)
		host_fn(ctx, h);
	for (f = t->flow_oldest; f && flow_fn; f = f->newer)
		flow_fn(ctx, f);
}

u32 engine_host_count(const struct engine *e)
{
	return tab(e) ? tab(e)->host_cnt : 0;
}

void engine_host_foreach(const struct engine *e, host_cb fn, void *ctx)
{
	const struct host *h;

	for (h = tab(e) ? tab(e)->host_oldest : NULL; h; h = h->newer)
		fn(ctx, h);
}

u32 engine_flow_count(const struct engine *e)
{
	return tab(e) ? tab(e)->flow_cnt : 0;
}
