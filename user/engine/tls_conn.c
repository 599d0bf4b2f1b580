// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Connections followed for their TLS hellos (and h2c), apart from p0f's
 * flows: see tls_engine.h for why and for their life cycle.
 *
 * Per packet: nothing for a pure ACK or when no connection is followed;
 * else one hash lookup by the 4-tuple, and the payload goes to the
 * direction's stream.  Connections are allocated per SYN (freed ones are
 * reused), never per packet.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "flow.h"
#include "h2.h"
#include "tls_engine.h"

#define MIN_BUCKETS 1024u
#define MAX_BUCKETS (1u << 20)
#define MAX_SPARE 64

static inline u32 now_sec(const struct engine *e)
{
	return (u32)(e->now_ms / 1000);
}

static inline size_t alen(u8 ip_ver)
{
	return ip_ver == IP_VER4 ? 4 : 16;
}

/* One endpoint mixed into 32 bits (64-bit multiply-xorshift, seeded). */
static u32 end_hash(u32 seed, const u8 *addr, u8 ip_ver, u16 port)
{
	u64 x = ((u64)seed << 16 | port) * 0x9e3779b97f4a7c15ull, w;
	size_t i, n = alen(ip_ver);

	for (i = 0; i < n; i += 4) {
		w = (u64)addr[i] << 24 | (u64)addr[i + 1] << 16 |
		    (u64)addr[i + 2] << 8 | addr[i + 3];
		x = (x ^ w) * 0xff51afd7ed558ccdull;
		x ^= x >> 29;
	}
	return (u32)(x ^ (x >> 32));
}

/* The same for both directions of a connection. */
static u32 conn_hash(const struct tls_table *t, const struct pkt *pk)
{
	return end_hash(t->seed, pk->src, pk->ip_ver, pk->sport) +
	       end_hash(t->seed, pk->dst, pk->ip_ver, pk->dport);
}

static struct tls_conn *lookup(struct tls_table *t, const struct pkt *pk,
			       u32 hash, int *dir)
{
	size_t n = alen(pk->ip_ver);
	struct tls_conn *c;

	for (c = t->b[hash & t->mask]; c; c = c->next) {
		if (c->hash != hash || c->ip_ver != pk->ip_ver)
			continue;
		if (pk->sport == c->cli_port && pk->dport == c->srv_port &&
		    !memcmp(pk->src, c->cli, n) &&
		    !memcmp(pk->dst, c->srv, n)) {
			*dir = TLS_CLI;
			return c;
		}
		if (pk->dport == c->cli_port && pk->sport == c->srv_port &&
		    !memcmp(pk->dst, c->cli, n) &&
		    !memcmp(pk->src, c->srv, n)) {
			*dir = TLS_SRV;
			return c;
		}
	}
	return NULL;
}

/* ------------------------------------------------------------ life cycle */

static void unlink_conn(struct tls_table *t, struct tls_conn *c)
{
	if (c->next)
		c->next->prev = c->prev;
	if (c->prev)
		c->prev->next = c->next;
	else
		t->b[c->hash & t->mask] = c->next;
	if (c->newer)
		c->newer->older = c->older;
	else
		t->newest = c->older;
	if (c->older)
		c->older->newer = c->newer;
	else
		t->oldest = c->newer;
	t->cnt--;
}

static void free_conn(struct tls_table *t, struct tls_conn *c)
{
	unlink_conn(t, c);
	tls_stream_free(&c->st[TLS_CLI]);
	tls_stream_free(&c->st[TLS_SRV]);
	if (t->spare_cnt < MAX_SPARE) {
		c->next = t->spare;
		t->spare = c;
		t->spare_cnt++;
		return;
	}
	free(c);
}

static int want_of(int dir)
{
	return dir == TLS_CLI ? TLS_HS_CLIENT_HELLO : TLS_HS_SERVER_HELLO;
}

/* The direction's stream starts at sequence number seq. */
static void open_dir(struct tls_conn *c, int dir, u32 seq)
{
	tls_stream_init(&c->st[dir], want_of(dir), seq);
	c->open |= (u8)(1 << dir);
}

/* Has this direction's stream begun with a TLS record (or an SSLv2
 * hello) without a result yet? */
static int hello_begun(const struct tls_conn *c, int dir)
{
	const struct tls_stream *s = &c->st[dir];

	if (!(c->open & (1 << dir)) || s->state != TLS_ST_OPEN ||
	    (dir == TLS_CLI && c->h2 != H2_NO))
		return 0;
	return tls_reasm_contig(&s->ra) &&
	       (s->ra.buf[0] == 22 || (s->ra.buf[0] & 0x80));
}

/* No more bytes will come for dir: an open hello is incomplete. */
static void end_dir(struct engine *e, struct tls_conn *c, int dir)
{
	struct tls_stream *s = &c->st[dir];

	if (hello_begun(c, dir)) {
		e->st.tls_incomplete++;
		tls_obs_error(e, c, dir, -EAGAIN);
	}
	if (s->state == TLS_ST_OPEN) {
		s->state = TLS_ST_FAILED;
		s->err = -EPIPE;
	}
	tls_stream_free(s);
	c->open |= (u8)(1 << dir);
	if (dir == TLS_CLI && c->h2 == H2_ON)
		c->h2 = H2_DONE;
}

static void end_conn(struct engine *e, struct tls_conn *c)
{
	end_dir(e, c, TLS_CLI);
	end_dir(e, c, TLS_SRV);
	free_conn(e->tls, c);
}

/* Nothing left to read in either direction. */
static int settled(const struct tls_conn *c)
{
	return c->open == 3 && c->st[TLS_CLI].state != TLS_ST_OPEN &&
	       c->h2 != H2_ON && c->st[TLS_SRV].state != TLS_ST_OPEN;
}

/* A connection from pk's sender (cli_is_src) or to it. */
static struct tls_conn *new_conn(struct engine *e, const struct pkt *pk,
				 u32 hash, int cli_is_src)
{
	struct tls_table *t = e->tls;
	struct tls_conn *c;

	while (t->cnt >= e->cfg.max_conn && t->oldest) {
		e->st.tls_evicted += !t->oldest->done;
		end_conn(e, t->oldest);
	}
	c = t->spare;
	if (c) {
		t->spare = c->next;
		t->spare_cnt--;
	} else {
		c = malloc(sizeof(*c));
		if (!c)
			return NULL;
	}
	memset(c, 0, sizeof(*c));
	c->hash = hash;
	c->created = now_sec(e);
	c->ip_ver = pk->ip_ver;
	c->cli_port = cli_is_src ? pk->sport : pk->dport;
	c->srv_port = cli_is_src ? pk->dport : pk->sport;
	memcpy(c->cli, cli_is_src ? pk->src : pk->dst, alen(pk->ip_ver));
	memcpy(c->srv, cli_is_src ? pk->dst : pk->src, alen(pk->ip_ver));

	c->next = t->b[hash & t->mask];
	if (c->next)
		c->next->prev = c;
	t->b[hash & t->mask] = c;
	c->older = t->newest;
	if (c->older)
		c->older->newer = c;
	else
		t->oldest = c;
	t->newest = c;
	t->cnt++;
	e->st.tls_conns++;
	return c;
}

/* ---------------------------------------------------------------- h2c */

static int starts_h2(const u8 *d, size_t n)
{
	return n &&
	       !memcmp(d, H2_PREFACE, n < H2_PREFACE_LEN ? n : H2_PREFACE_LEN);
}

/* The client's stream, known to start with the preface: its bytes go
 * into the stream's reassembly until the fingerprint is complete. */
static void h2_feed(struct engine *e, struct tls_conn *c, u32 seq, const u8 *d,
		    size_t n)
{
	struct tls_reasm *r = &c->st[TLS_CLI].ra;
	size_t need = 0;
	int rc = -EAGAIN;

	/* the common case: everything in the first segment, read in place */
	if (!r->n && seq == r->base)
		rc = tls_obs_h2(e, c, d, n, &need);
	if (rc == -EAGAIN) {
		tls_reasm_add(r, seq, d, n);
		if (tls_reasm_contig(r))
			rc = tls_obs_h2(e, c, r->buf, tls_reasm_contig(r),
					&need);
		if (rc == -EAGAIN && tls_reasm_contig(r) >= H2_STREAM_MAX)
			rc = -EMSGSIZE;
	}
	if (rc == -EAGAIN)
		return;
	c->h2 = H2_DONE;
	c->st[TLS_CLI].state = TLS_ST_FAILED;
	c->st[TLS_CLI].err = -ENOMSG;
	tls_stream_free(&c->st[TLS_CLI]);
}

/*
 * A payload of a connection not followed: 1 (client -> server) or 2
 * (server -> client) if it opens with a ClientHello / ServerHello record
 * or the h2c preface, else 0.  The record header and, when there, the
 * handshake length must be plausible, so encrypted data seldom passes.
 */
static int hello_start(const u8 *d, size_t n)
{
	if (n >= H2_PREFACE_LEN && starts_h2(d, n))
		return 1;
	if (n < 6 || d[0] != 22 || d[1] != 3 || d[2] > 4 ||
	    (d[3] << 8 | d[4]) < 4 || (d[5] != 1 && d[5] != 2))
		return 0;
	if (n >= 9 && (d[6] || (d[7] << 8 | d[8]) > TLS_HELLO_MAX))
		return 0;
	return d[5];
}

/* ------------------------------------------------------------- segments */

static void hello_result(struct engine *e, struct tls_conn *c, int dir, int rc,
			 const struct tls_hello *h)
{
	if (!rc && dir == TLS_CLI) {
		tls_obs_client(e, c, h);
	} else if (!rc) {
		tls_obs_server(e, c, h);
	} else if (rc != -EAGAIN && rc != -EALREADY && rc != -ENOMSG) {
		e->st.tls_refused++;
		tls_obs_error(e, c, dir, rc);
	}
}

/* One segment of dir's stream. */
static void feed(struct engine *e, struct tls_conn *c, int dir, u32 seq,
		 const u8 *d, size_t n)
{
	struct tls_stream *s = &c->st[dir];
	struct tls_hello h;

	if (c->done)
		return;
	/* a direction whose start we missed starts here; on a connection
	 * picked up mid-stream, only at a payload that opens a hello */
	if (!(c->open & (1 << dir))) {
		if (c->mid && hello_start(d, n) != (dir == TLS_CLI ? 1 : 2))
			return;
		open_dir(c, dir, seq);
	}
	if (dir == TLS_CLI && c->h2 == H2_NO && s->state == TLS_ST_OPEN &&
	    seq == s->ra.base && starts_h2(d, n))
		c->h2 = H2_ON;
	if (dir == TLS_CLI && c->h2 == H2_ON)
		h2_feed(e, c, seq, d, n);
	else
		hello_result(e, c, dir, tls_stream_feed(s, seq, d, n, &h), &h);
	if (settled(c)) {
		/* buffers are gone; the connection stays known */
		tls_stream_free(&c->st[TLS_CLI]);
		tls_stream_free(&c->st[TLS_SRV]);
		c->done = 1;
	}
}

/* No p0f flow to say where the streams start: a capture that began
 * mid-connection, or a handshake p0f's flow did not survive. */
static void pick_up(struct engine *e, const struct pkt *pk, u32 hash)
{
	int kind = hello_start(pk->payload, pk->pay_len);
	struct tls_conn *c;

	if (!kind)
		return;
	c = new_conn(e, pk, hash, kind == 1);
	if (!c)
		return;
	c->mid = 1;
	feed(e, c, kind == 1 ? TLS_CLI : TLS_SRV, pk->seq, pk->payload,
	     pk->pay_len);
}

/* p0f's flow has not taken any payload in order yet: its sequence
 * numbers are still the streams' starts. */
static int fresh(const struct flow *f)
{
	return !f->req_len && !f->resp_len;
}

/*
 * The first payload of p0f's flow f (to_srv: from its client): worth a
 * connection if it may open a hello or the h2c preface, or if it is not
 * at its stream's start (then nothing can be told yet).  A stream that
 * opens with anything else (HTTP, SSH, SMTP...) is not followed, so a
 * plain connection costs one test of its first byte.
 */
static int may_be_tls(const struct pkt *pk, const struct flow *f, u8 to_srv)
{
	u32 base = to_srv ? f->next_cli_seq : f->next_srv_seq;
	u8 b = pk->payload[0];

	if (!to_srv && !f->acked)
		return 1;
	if (pk->seq != base)
		return 1;
	return b == 22 || (to_srv && ((b & 0x80) || b == 'P'));
}

static struct tls_conn *from_flow(struct engine *e, const struct pkt *pk,
				  u32 hash, const struct flow *f, u8 to_srv)
{
	struct tls_conn *c = new_conn(e, pk, hash, to_srv);

	if (!c)
		return NULL;
	open_dir(c, TLS_CLI, f->next_cli_seq);
	if (f->acked)
		open_dir(c, TLS_SRV, f->next_srv_seq);
	return c;
}

/* A SYN carrying data (TCP Fast Open): the hello may ride on it. */
static void syn_data(struct engine *e, const struct pkt *pk, u32 hash,
		     struct tls_conn *c)
{
	if (c)
		end_conn(e, c); /* an older connection on these ports */
	c = new_conn(e, pk, hash, 1);
	if (!c)
		return;
	open_dir(c, TLS_CLI, pk->seq + 1);
	feed(e, c, TLS_CLI, pk->seq + 1, pk->payload, pk->pay_len);
}

/* A packet of a followed connection (a SYN+ACK only with data: TFO). */
static void conn_packet(struct engine *e, const struct pkt *pk,
			struct tls_conn *c, int dir)
{
	if (pk->tcp_type == (TCP_SYN | TCP_ACK)) {
		if (dir == TLS_SRV && !(c->open & (1 << TLS_SRV)))
			open_dir(c, TLS_SRV, pk->seq + 1);
		feed(e, c, dir, pk->seq + 1, pk->payload, pk->pay_len);
		return;
	}
	if (pk->pay_len)
		feed(e, c, dir, pk->seq, pk->payload, pk->pay_len);
	if (pk->tcp_type & TCP_RST) {
		end_conn(e, c);
	} else if (pk->tcp_type & TCP_FIN) {
		/* this direction sends no more */
		c->fin |= (u8)(1 << dir);
		end_dir(e, c, dir);
		if (c->fin == 3)
			free_conn(e->tls, c);
	}
}

void tls_packet(struct engine *e, const struct pkt *pk, const struct flow *f,
		u8 to_srv)
{
	struct tls_table *t = e->tls;
	struct tls_conn *c = NULL;
	u32 hash;
	int dir;

	/* the common cases: no payload and no FIN/RST (ACK, SYN, SYN+ACK:
	 * nothing to start before data comes); a p0f flow past its first
	 * payload (p0f keeps only those it reads as HTTP) */
	if (!t ||
	    (!pk->pay_len &&
	     (!t->cnt || !(pk->tcp_type & (TCP_FIN | TCP_RST)))) ||
	    (f && !fresh(f)))
		return;
	hash = conn_hash(t, pk);
	if (t->cnt)
		c = lookup(t, pk, hash, &dir);
	if (pk->tcp_type == TCP_SYN) {
		syn_data(e, pk, hash, c);
		return;
	}
	/* a connection left from before p0f's flow began: ports reused */
	if (c && f && pk->pay_len && !c->mid && (c->open & 1) &&
	    c->st[TLS_CLI].ra.base != f->next_cli_seq) {
		end_conn(e, c);
		c = NULL;
	}
	if (!c && pk->pay_len && f && may_be_tls(pk, f, to_srv)) {
		c = from_flow(e, pk, hash, f, to_srv);
		dir = to_srv ? TLS_CLI : TLS_SRV;
	} else if (!c && pk->pay_len && !f) {
		pick_up(e, pk, hash);
	}
	if (c)
		conn_packet(e, pk, c, dir);
}

void tls_packet_len0(struct engine *e, const u8 *ip, size_t len, u64 ts_ms)
{
	struct flow *f;
	struct pkt pk;
	u8 to_srv = 0;

	if (!e->tls || pkt_parse_len0(ip, len, ts_ms, &pk) != PKT_OK)
		return;
	e->st.tls_tso_frames++;
	f = flow_lookup(e, &pk, &to_srv);
	tls_packet(e, &pk, f, f ? to_srv : 0);
}

void tls_expire(struct engine *e)
{
	struct tls_table *t = e->tls;
	u32 ct = now_sec(e);

	if (!t || ct == t->last_expire)
		return;
	t->last_expire = ct;
	/* u32 arithmetic as flow_expire(): time going backwards expires */
	while (t->oldest && ct - t->oldest->created > e->cfg.conn_max_age)
		end_conn(e, t->oldest);
}

/* ---------------------------------------------------------------- table */

int tls_table_init(struct engine *e)
{
	struct tls_table *t = calloc(1, sizeof(*t));
	u32 n = MIN_BUCKETS;

	if (!t)
		return -ENOMEM;
	while (n < e->cfg.max_conn && n < MAX_BUCKETS)
		n <<= 1;
	t->b = calloc(n, sizeof(*t->b));
	if (!t->b) {
		free(t);
		return -ENOMEM;
	}
	t->mask = n - 1;
	if (getrandom(&t->seed, sizeof(t->seed), GRND_NONBLOCK) !=
	    sizeof(t->seed))
		t->seed = 0x2545f491u;
	e->tls = t;
	return 0;
}

void tls_end_all(struct engine *e)
{
	struct tls_table *t = e->tls;

	while (t && t->oldest)
		end_conn(e, t->oldest);
}

void tls_table_free(struct engine *e)
{
	struct tls_table *t = e->tls;
	struct tls_conn *c;

	if (!t)
		return;
	/* the engine is going away: nothing is reported any more */
	while (t->oldest)
		free_conn(t, t->oldest);
	while ((c = t->spare)) {
		t->spare = c->next;
		free(c);
	}
	free(t->b);
	free(t);
	e->tls = NULL;
}
