/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The capture programs' flow cache (capture.bpf.c): which connections are
 * tracked, and each direction's next sequence number, byte budget and
 * event allowance.
 *
 * One array of two-way buckets per family (struct osprey_flow4_bucket,
 * osprey_flow6_bucket), shared by the XDP and the tc egress program and by
 * every CPU: one flow's ingress and egress may run on two CPUs at once, so
 * a per-CPU table would split it.  The bucket index is a seeded hash of
 * the connection that both directions share (a sum of one term per
 * endpoint), so a packet finds its bucket before its canonical key is
 * known, and most untracked packets stop at two empty slots.  Opening a
 * flow is a few stores into its bucket, not a hash map allocation: a free
 * or expired slot is taken, else the older of the two flows is evicted
 * (counted).  The seed is random per load, so colliding tuples cannot be
 * computed in advance to push a victim's flow out.
 *
 * No locks, as with the hash map values before: a slot is claimed and
 * updated with plain stores.  The only race is two CPUs claiming one slot
 * for two new flows in the same instant, which can leave one flow's key
 * with the other's state: that flow's payload may then be sent as out of
 * order (headers only), never as bytes of another packet.
 */
#ifndef OSPREY_FLOW_BPF_H
#define OSPREY_FLOW_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "bpf/osprey_abi.h"

#define FLOW_BUCKETS (OSPREY_DEFAULT_FLOW_ENTRIES / OSPREY_FLOW_WAYS)

/* Set by the loader: buckets - 1 (a power of two), a random hash seed. */
const volatile __u32 cfg_flow_mask = FLOW_BUCKETS - 1;
const volatile __u64 cfg_flow_seed;
/* the age limit in event clock units (ns or jiffies: capture_ctx.bpf.h) */
const volatile __u64 cfg_flow_age = OSPREY_DEFAULT_FLOW_AGE * 1000000000ull;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FLOW_BUCKETS);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct osprey_flow4_bucket);
} flows4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FLOW_BUCKETS);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct osprey_flow6_bucket);
} flows6 SEC(".maps");

/* Both endpoints of a packet as raw words (IPv4 in s0/d0 only). */
struct tuple {
	__u64 s0, s1, d0, d1;
	__u16 sp, dp; /* network order */
};

union flow_key {
	struct osprey_flow4_key k4;
	struct osprey_flow_key k6;
	__u64 w[5];
};

/* How flow_claim() found the slot it returns. */
enum flow_claim_kind {
	FLOW_OURS, /* the connection's own live flow */
	FLOW_FREE, /* a free or expired slot */
	FLOW_EVICTED, /* another live flow's slot, taken */
};

/* One endpoint's term of the bucket hash; the sum of both is symmetric. */
static __always_inline __u64 ep_mix(__u64 addr, __u16 port)
{
	return ((addr ^ cfg_flow_seed) + port) * 0x9e3779b97f4a7c15ull;
}

static __always_inline __u32 flow_bucket(const struct tuple *t)
{
	__u64 h = ep_mix(t->s0 ^ t->s1, t->sp) + ep_mix(t->d0 ^ t->d1, t->dp);

	return (__u32)(h >> 32) & cfg_flow_mask;
}

/*
 * Canonical key of the connection; returns 1 if the sender is endpoint
 * "a" of the key.  Endpoints are ordered by (address, port) compared as
 * raw words: any total order will do as long as both directions agree.
 */
static __always_inline int flow_key(const struct tuple *t, __u8 ver,
				    union flow_key *k)
{
	int sender_a;

	if (t->s0 != t->d0)
		sender_a = t->s0 < t->d0;
	else if (t->s1 != t->d1)
		sender_a = t->s1 < t->d1;
	else
		sender_a = t->sp <= t->dp;

	if (ver == 4) {
		k->k4.a_addr = sender_a ? t->s0 : t->d0;
		k->k4.b_addr = sender_a ? t->d0 : t->s0;
		k->k4.a_port = sender_a ? t->sp : t->dp;
		k->k4.b_port = sender_a ? t->dp : t->sp;
		return sender_a;
	}
	k->w[0] = sender_a ? t->s0 : t->d0;
	k->w[1] = sender_a ? t->s1 : t->d1;
	k->w[2] = sender_a ? t->d0 : t->s0;
	k->w[3] = sender_a ? t->d1 : t->s1;
	k->k6.a_port = sender_a ? t->sp : t->dp;
	k->k6.b_port = sender_a ? t->dp : t->sp;
	k->k6.family = 6;
	k->k6.pad[0] = k->k6.pad[1] = k->k6.pad[2] = 0;
	return sender_a;
}

static __always_inline int key4_eq(const struct osprey_flow4_key *a,
				   const struct osprey_flow4_key *b)
{
	return a->a_addr == b->a_addr && a->b_addr == b->b_addr &&
	       a->a_port == b->a_port && a->b_port == b->b_port;
}

static __always_inline int key6_eq(const struct osprey_flow_key *a,
				   const union flow_key *b)
{
	const __u64 *w = (const __u64 *)a;

	return w[0] == b->w[0] && w[1] == b->w[1] && w[2] == b->w[2] &&
	       w[3] == b->w[3] && w[4] == b->w[4];
}

/*
 * Is a flow opened at start older than the age limit?  Signed: another
 * CPU may have opened it a moment after `now` was read.
 */
static __always_inline int flow_aged(__u64 start, __u64 now)
{
	return (__s64)(now - start) > (__s64)cfg_flow_age;
}

static __always_inline int flow_live(const struct osprey_flow *v, __u64 now)
{
	return v->start && !flow_aged(v->start, now);
}

/*
 * The flow of t (the packet's tuple), live or expired, or NULL.  *sender_a
 * tells which endpoint of the key sent the packet.
 */
static __always_inline struct osprey_flow *flow_find(const struct tuple *t,
						     __u8 ver, int *sender_a)
{
	__u32 idx = flow_bucket(t);
	union flow_key k;

	if (ver == 4) {
		struct osprey_flow4_bucket *b =
			bpf_map_lookup_elem(&flows4, &idx);

		if (!b || (!b->s[0].v.start && !b->s[1].v.start))
			return NULL;
		*sender_a = flow_key(t, 4, &k);
		if (b->s[0].v.start && key4_eq(&b->s[0].key, &k.k4))
			return &b->s[0].v;
		if (b->s[1].v.start && key4_eq(&b->s[1].key, &k.k4))
			return &b->s[1].v;
		return NULL;
	}
	struct osprey_flow6_bucket *b = bpf_map_lookup_elem(&flows6, &idx);

	if (!b || (!b->s[0].v.start && !b->s[1].v.start))
		return NULL;
	*sender_a = flow_key(t, 6, &k);
	if (b->s[0].v.start && key6_eq(&b->s[0].key, &k))
		return &b->s[0].v;
	if (b->s[1].v.start && key6_eq(&b->s[1].key, &k))
		return &b->s[1].v;
	return NULL;
}

/* Which slot a new flow takes: a free one, else the older (evicted). */
static __always_inline int pick_slot(const struct osprey_flow *v0,
				     const struct osprey_flow *v1, __u64 now,
				     int *kind)
{
	if (!flow_live(v0, now))
		return 0;
	if (!flow_live(v1, now))
		return 1;
	*kind = FLOW_EVICTED;
	return v1->start < v0->start;
}

/*
 * The slot for t's connection: its live flow (*kind FLOW_OURS), or a slot
 * now keyed to it whose state the caller must fill (FLOW_FREE or
 * FLOW_EVICTED).  NULL only if the map lookup fails.
 */
static __always_inline struct osprey_flow *
flow_claim(const struct tuple *t, __u8 ver, __u64 now, int *sender_a, int *kind)
{
	__u32 idx = flow_bucket(t);
	union flow_key k;
	int i;

	*sender_a = flow_key(t, ver, &k);
	*kind = FLOW_OURS;
	if (ver == 4) {
		struct osprey_flow4_bucket *b =
			bpf_map_lookup_elem(&flows4, &idx);

		if (!b)
			return NULL;
		if (flow_live(&b->s[0].v, now) && key4_eq(&b->s[0].key, &k.k4))
			return &b->s[0].v;
		if (flow_live(&b->s[1].v, now) && key4_eq(&b->s[1].key, &k.k4))
			return &b->s[1].v;
		*kind = FLOW_FREE;
		i = pick_slot(&b->s[0].v, &b->s[1].v, now, kind);
		b->s[i & 1].key = k.k4;
		return &b->s[i & 1].v;
	}
	struct osprey_flow6_bucket *b = bpf_map_lookup_elem(&flows6, &idx);

	if (!b)
		return NULL;
	if (flow_live(&b->s[0].v, now) && key6_eq(&b->s[0].key, &k))
		return &b->s[0].v;
	if (flow_live(&b->s[1].v, now) && key6_eq(&b->s[1].key, &k))
		return &b->s[1].v;
	*kind = FLOW_FREE;
	i = pick_slot(&b->s[0].v, &b->s[1].v, now, kind);
	__builtin_memcpy(&b->s[i & 1].key, &k.k6, sizeof(k.k6));
	return &b->s[i & 1].v;
}

#endif /* OSPREY_FLOW_BPF_H */
