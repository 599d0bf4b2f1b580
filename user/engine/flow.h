/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * flow.c: the engine's two tables, flows and hosts.  A flow is one TCP
 * connection seen from its SYN (or SYN+ACK) on: the two hosts, sequence
 * numbers, the payload collected for HTTP and the HTTP parse state.
 */
#ifndef OSPREY_FLOW_H
#define OSPREY_FLOW_H

#include <stddef.h>

#include "engine.h"
#include "http.h"
#include "tcp.h"

struct flow {
	struct flow *prev, *next;
	struct flow *older, *newer;
	u32 bucket;
	struct host *client;
	struct host *server;
	u16 cli_port;
	u16 srv_port;
	u8 acked;
	u8 sendsyn;
	s16 srv_tps; /* -1 = bad */
	s16 cli_tps;
	u8 *request; /* kept, with its capacity, when the flow is recycled */
	u32 req_len, req_cap;
	u32 next_cli_seq;
	u8 *response;
	u32 resp_len, resp_cap;
	u32 next_srv_seq;
	u16 syn_mss;
	u32 created;
	/* HTTP state */
	s8 in_http; /* 0 tbd, 1 yes, -1 no */
	u8 http_req_done;
	u32 http_pos;
	u8 http_gotresp1;
	struct http_sig http_tmp;
	u32 hash; /* full bucket hash: cheap chain filter */
	/* http_tmp is zeroed only once the flow carries payload (it is most
	 * of the flow's size and most flows never need it); process.c */
	u8 http_ready;
};

/*
 * A host as the tables allocate it: the record between the slots for its
 * last SYN+ACK and SYN signatures (host_last_sig), in five cache lines
 * (the pool aligns blocks to 64 bytes).  The order is for the SYNs of a
 * large table: a lookup reads line 2 (from host.next on), a SYN's client
 * lines 2 to 4 (the record's second half and the SYN slot), and lines 0
 * and 1 (the SYN+ACK slot, what HTTP and TLS keep) are left alone.
 */
struct host_blk {
	struct tcp_sig synack;
	struct host h;
	struct tcp_sig syn;
};

#define HOST_BLK_LINES 5
_Static_assert(sizeof(struct host_blk) == HOST_BLK_LINES * 64,
	       "a host block is five whole cache lines");
_Static_assert(offsetof(struct host_blk, h) + offsetof(struct host, next) ==
		       2 * 64 + 8,
	       "a lookup reads line 2 of a host block");

static inline struct host_blk *host_blk_of(const struct host *h)
{
	return (struct host_blk *)((char *)h - offsetof(struct host_blk, h));
}

/* The slot of h (from the tables) for its last SYN (to_srv) or SYN+ACK. */
static inline struct tcp_sig *host_sig_slot(const struct host *h, u8 to_srv)
{
	struct host_blk *b = host_blk_of(h);

	return to_srv ? &b->syn : &b->synack;
}

/* h's last SYN (to_srv) or SYN+ACK signature, or NULL. */
static inline struct tcp_sig *host_last_sig(const struct host *h, u8 to_srv)
{
	u8 bit = to_srv ? HOST_SIG_SYN : HOST_SIG_SYNACK;

	return h->tcp_sigs & bit ? host_sig_slot(h, to_srv) : NULL;
}

/* A host takes the OS a signature names (p0f's last_class_id & co.). */
static inline void host_take_os(struct host *h, const struct sig_label *lb,
				u8 fuzzy)
{
	h->last_class_id = lb->class_id;
	h->last_name_id = lb->name_id;
	h->last_flavor = lb->flavor;
	h->last_quality =
		(fuzzy ? MATCH_FUZZY : 0) | (lb->generic ? MATCH_GENERIC : 0);
}

/* The host-table prefetch steps of the feed pipeline (pipe.c): the
 * bucket of addr, then steps 0 to 3 a few packets apart; lines is a mask
 * of the host block's lines (HOST_LINES_*) the packet will use. */
#define HOST_LINES_KEY 0x04 /* a lookup, and the age list */
#define HOST_LINES_SYN 0x1c /* a SYN's client */
#define HOST_LINES_ALL 0x1f
u32 flow_host_bucket(const struct engine *e, const u8 *addr, u8 ip_ver);
void flow_prefetch_host(const struct engine *e, u32 bucket, const u8 *addr,
			u8 ip_ver, int step, u8 lines);

/* Set up / tear down e->tables (every flow and host with them). */
int flow_tables_init(struct engine *e);
void flow_tables_free(struct engine *e);
/* The flow pk belongs to, either direction (*to_srv: pk goes client ->
 * server), or NULL. */
struct flow *flow_lookup(struct engine *e, const struct pkt *pk, u8 *to_srv);
/* A new flow for a SYN (its source is the client); prunes the tables when
 * full.  NULL when out of memory. */
struct flow *flow_create(struct engine *e, const struct pkt *pk);
void flow_destroy(struct engine *e, struct flow *f);
/* host_fn on every host, then flow_fn on every flow (either may be
 * NULL); they must neither add nor remove any. */
void flow_tables_walk(struct engine *e, void (*host_fn)(void *, struct host *),
		      void (*flow_fn)(void *, struct flow *), void *ctx);
/* Drop flows older than conn_max_age and hosts idle too long (at most
 * once per packet second). */
void flow_expire(struct engine *e);

#endif /* OSPREY_FLOW_H */
