/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * flow.c: the engine's two tables, flows and hosts.  A flow is one TCP
 * connection seen from its SYN (or SYN+ACK) on: the two hosts, sequence
 * numbers, the payload collected for HTTP and the HTTP parse state.
 */
#ifndef OSPREY_FLOW_H
#define OSPREY_FLOW_H

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
 * A host as the tables allocate it: the record, then room for its last
 * SYN and SYN+ACK signatures (host.last_syn / last_synack point there
 * once set).  Beside the record rather than allocated apart, they share
 * its pages and cache lines' neighbourhood: with a million hosts, the
 * signature the next SYN is compared with is not another memory miss.
 */
struct host_blk {
	struct host h;
	struct tcp_sig sig[2]; /* [1] SYN, [0] SYN+ACK */
};

/* The slot of h (from the tables) for its last SYN (to_srv) or SYN+ACK. */
static inline struct tcp_sig *host_sig_slot(struct host *h, u8 to_srv)
{
	return &((struct host_blk *)h)->sig[to_srv ? 1 : 0];
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
 * bucket of addr, then steps 0 to 3 a few packets apart. */
u32 flow_host_bucket(const struct engine *e, const u8 *addr, u8 ip_ver);
void flow_prefetch_host(const struct engine *e, u32 bucket, const u8 *addr,
			u8 ip_ver, int step);

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
