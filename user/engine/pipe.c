// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The feed pipeline (engine.h): packets wait in a ring of
 * ENGINE_PIPE_DEPTH slots.  A packet entering gets step 0 of the host
 * prefetch (flow.c) for its source and destination; each later arrival
 * advances the packets already held, so a packet gets step 1 one place
 * in, step 2 two places in, step 3 three places in, and is processed
 * four places in, when the ring is full.  One packet between steps does
 * as well as two with half the ring (bench_engine's 1M-host case, five
 * runs each: 316-362 ns per SYN against 326-368): a SYN's own work is
 * about as long as a memory load.
 */
#include <string.h>

#include "engine.h"
#include "flow.h"

#define STEP_GAP 1
#define STEPS 4

_Static_assert(STEP_GAP *STEPS == ENGINE_PIPE_DEPTH,
	       "a packet is processed one gap after its last step");

void engine_pipe_init(struct engine_pipe *p, u32 min_hosts)
{
	memset(p, 0, sizeof(*p));
	p->min_hosts = min_hosts;
}

/*
 * Which lines of the source's and destination's host blocks the packet
 * will use: a SYN, the bulk of what a busy table sees, reads and writes
 * only part of its client's block and the key line of its server's (a
 * lookup and the age list); anything else may use all of either.
 */
static void host_lines(const u8 *ip, size_t len, u8 ip_ver, u8 lines[2])
{
	size_t th = ip_ver == IP_VER4 ? (size_t)(ip[0] & 15) * 4 : 40;
	u8 proto = ip_ver == IP_VER4 ? ip[9] : ip[6];

	lines[0] = lines[1] = HOST_LINES_ALL;
	if (proto == 6 && len >= th + 14 &&
	    (ip[th + 13] & (TCP_SYN | TCP_ACK)) == TCP_SYN) {
		lines[0] = HOST_LINES_SYN;
		lines[1] = HOST_LINES_KEY;
	}
}

/* Source and destination addresses of an IPv4 or IPv6 packet. */
static u8 addrs(const u8 *ip, size_t len, const u8 **src, const u8 **dst)
{
	if (len >= 20 && ip[0] >> 4 == 4) {
		*src = ip + 12;
		*dst = ip + 16;
		return IP_VER4;
	}
	if (len >= 40 && ip[0] >> 4 == 6) {
		*src = ip + 8;
		*dst = ip + 24;
		return IP_VER6;
	}
	return 0;
}

static struct engine_pipe_slot *slot(struct engine_pipe *p, u32 i)
{
	return &p->s[(p->head + i) % ENGINE_PIPE_DEPTH];
}

static void prefetch(const struct engine *e, struct engine_pipe_slot *s,
		     int step)
{
	const u8 *src, *dst;

	if (!s->ip_ver || !addrs(s->pkt, s->len, &src, &dst))
		return;
	flow_prefetch_host(e, s->bucket[0], src, s->ip_ver, step, s->lines[0]);
	flow_prefetch_host(e, s->bucket[1], dst, s->ip_ver, step, s->lines[1]);
}

static void feed(struct engine *e, struct engine_pipe *p, const u8 *ip,
		 size_t len, u64 ts_ms, const struct pkt_meta *meta)
{
	if (engine_feed_meta(e, ip, len, ts_ms, meta) != PKT_OK)
		p->errors++;
}

/* Process the oldest packet held. */
static void run_oldest(struct engine *e, struct engine_pipe *p)
{
	struct engine_pipe_slot *s = slot(p, 0);
	struct pkt_meta m;

	if (s->has_meta) {
		m = s->meta;
		if (m.ifname)
			m.ifname = s->ifname;
	}
	p->head = (p->head + 1) % ENGINE_PIPE_DEPTH;
	p->n--;
	/* the slot is not reused before this returns: nothing is fed in
	 * between */
	feed(e, p, s->pkt, s->len, s->ts_ms, s->has_meta ? &m : NULL);
}

void engine_pipe_drain(struct engine *e, struct engine_pipe *p)
{
	while (p->n)
		run_oldest(e, p);
}

void engine_pipe_feed(struct engine *e, struct engine_pipe *p, const u8 *ip,
		      size_t len, u64 ts_ms, const struct pkt_meta *meta)
{
	struct engine_pipe_slot *s;
	const u8 *src, *dst;
	u32 i;

	if (!ip || len > ENGINE_PIPE_PKT ||
	    (!p->n && engine_host_count(e) < p->min_hosts)) {
		engine_pipe_drain(e, p);
		feed(e, p, ip, len, ts_ms, meta);
		return;
	}
	if (p->n == ENGINE_PIPE_DEPTH)
		run_oldest(e, p);
	s = slot(p, p->n);
	memcpy(s->pkt, ip, len);
	s->len = (u32)len;
	s->ts_ms = ts_ms;
	s->has_meta = meta != NULL;
	if (meta) {
		s->meta = *meta;
		if (meta->ifname) {
			strncpy(s->ifname, meta->ifname, sizeof(s->ifname) - 1);
			s->ifname[sizeof(s->ifname) - 1] = 0;
		}
	}
	s->ip_ver = addrs(s->pkt, len, &src, &dst);
	if (s->ip_ver) {
		s->bucket[0] = flow_host_bucket(e, src, s->ip_ver);
		s->bucket[1] = flow_host_bucket(e, dst, s->ip_ver);
		host_lines(s->pkt, len, s->ip_ver, s->lines);
	}
	p->n++;
	/* step k for the packet k gaps behind the newest */
	for (i = 0; i < STEPS && i * STEP_GAP < p->n; i++)
		prefetch(e, slot(p, p->n - 1 - i * STEP_GAP), (int)i);
}
