/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * osprey kernel capture: an XDP program that selects what p0f needs and
 * copies it to a ring buffer, and otherwise stays out of the way.
 *
 *  - every SYN (no ACK) and SYN+ACK is sent whole (up to
 *    OSPREY_MAX_CAPTURE bytes from the IP header) and opens a flow;
 *  - later packets of a tracked flow, in both directions, are sent with
 *    their headers and the in-order payload until the direction's byte
 *    budget (or its packet cap, OSPREY_FLOW_MAX_PKTS by default) is
 *    spent; retransmitted or out-of-order data goes with headers only.
 *    The flow leaves the table once both directions are spent, on
 *    FIN/RST, or when it is older than the age limit;
 *  - everything else passes after a parse and, for TCP, a look at the
 *    flow hint slots (and the flow table when the slot is taken).
 *
 * Port and CIDR filters apply to SYN and SYN+ACK only: a filtered
 * handshake opens no flow, so its later packets are untracked anyway.
 *
 * Every packet is passed (XDP_PASS), except SYNs the optional XDP policy
 * drops.  Malformed headers are counted by kind, never read past.
 *
 * Events are ring buffer records in five size classes (128, 256, 512, 1024
 * and 32 + OSPREY_MAX_CAPTURE bytes): the smallest that holds the header
 * and cap_len bytes.
 *
 * When an event holds less than the packet (budget or OSPREY_MAX_CAPTURE),
 * the copied IP length field is rewritten to the captured length and
 * OSPREY_EVF_PAYLOAD_CUT is set, so a p0f-style parser that refuses
 * packets longer than their capture still reads the headers.
 */
#include "bpf/policy.bpf.h"
#include "bpf/parse.bpf.h"

/* Configuration, set by user/capture.c before load. */
const volatile __u32 cfg_flow_budget = OSPREY_DEFAULT_FLOW_BUDGET;
const volatile __u64 cfg_flow_age_ns = OSPREY_DEFAULT_FLOW_AGE * 1000000000ull;
/* Events per flow direction; u16 like osprey_flow.pkts. */
const volatile __u16 cfg_flow_max_pkts = OSPREY_FLOW_MAX_PKTS;
const volatile __u8 cfg_xdp_policy;
const volatile __u8 cfg_coarse_clock;
const volatile __u8 cfg_port_allow;
const volatile __u8 cfg_port_deny;
const volatile __u8 cfg_net_allow;
const volatile __u8 cfg_net_deny;

/* 64K flow hint slots: 256 KiB. */
#define OSPREY_FLOW_HINT_BITS 16

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, OSPREY_CTR_MAX);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, OSPREY_DEFAULT_RINGBUF);
} events SEC(".maps");

/* Tracked flows: IPv4 in flows4 (a 12-byte key hashes much faster than
 * the 40 bytes IPv6 needs), IPv6 in flows. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, OSPREY_DEFAULT_FLOW_ENTRIES);
	__type(key, struct osprey_flow4_key);
	__type(value, struct osprey_flow);
} flows4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, OSPREY_DEFAULT_FLOW_ENTRIES);
	__type(key, struct osprey_flow_key);
	__type(value, struct osprey_flow);
} flows SEC(".maps");

/*
 * Flow hints: how many tracked flows hash to each slot.  A zero slot
 * proves a packet's flow is untracked, so most TCP packets skip the flow
 * table lookup.  Counts only go down when the program deletes a flow; LRU
 * evictions leave them high, which costs a lookup, never a missed flow.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1 << OSPREY_FLOW_HINT_BITS);
	__type(key, __u32);
	__type(value, __u32);
} flow_hints SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, OSPREY_PORT_LISTS);
	__type(key, __u32);
	__type(value, struct osprey_port_bitmap);
} port_bits SEC(".maps");

#define LPM_MAP(name, keytype)                         \
	struct {                                       \
		__uint(type, BPF_MAP_TYPE_LPM_TRIE);   \
		__uint(max_entries, OSPREY_MAX_CIDRS); \
		__uint(map_flags, BPF_F_NO_PREALLOC);  \
		__type(key, keytype);                  \
		__type(value, __u8);                   \
	} name SEC(".maps")

LPM_MAP(net_allow4, struct osprey_lpm4_key);
LPM_MAP(net_deny4, struct osprey_lpm4_key);
LPM_MAP(net_allow6, struct osprey_lpm6_key);
LPM_MAP(net_deny6, struct osprey_lpm6_key);

/* What the parse found, handed to the selection logic. */
struct frame {
	void *ip;
	struct tcphdr *th;
	__u32 frame_len;
	__u32 l3_off; /* IP header offset in the frame */
	__u32 l3_len; /* IP total length */
	__u32 l4_off; /* TCP header offset from the IP header */
	__u32 thl; /* TCP header length */
	struct l2_tags tags;
	__u8 ip_ver;
};

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_ACK 0x10

static __always_inline void ctr_add(__u32 idx, __u64 n)
{
	__u64 *v = bpf_map_lookup_elem(&counters, &idx);

	if (v)
		*v += n;
}

/*
 * Parse L2..L4.  Returns OSPREY_CTR_TCP when f describes a TCP header,
 * otherwise the counter to bump (OSPREY_CTR_MAX: nothing to count, the
 * packet is simply not IP/TCP).
 */
static __always_inline __u32 parse_frame(struct xdp_md *ctx, struct frame *f)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct hdr_cursor nh = { .pos = data };
	struct ipv6hdr *ip6h;
	struct iphdr *iph;
	int proto, thl;

	/* Only the tags are read before being set: zeroing the whole
	 * frame costs the non-TCP path a measurable share. */
	f->tags.id[0] = f->tags.id[1] = 0;
	f->tags.n = 0;
	f->frame_len = ctx->data_end - ctx->data;
	proto = parse_eth(&nh, end, &f->tags);
	if (proto < 0)
		return OSPREY_CTR_ERR_ETH;
	f->l3_off = sizeof(struct ethhdr) + f->tags.n * sizeof(struct vlan_tag);
	f->ip = nh.pos;
	if (proto == ETH_P_IP) {
		f->ip_ver = 4;
		proto = parse_ipv4(&nh, end, f->frame_len - f->l3_off, &iph,
				   &f->l3_len);
		if (proto < 0)
			return OSPREY_CTR_ERR_IP;
		if (iph->frag_off & bpf_htons(IP4_OFFSET))
			return OSPREY_CTR_FRAGMENTS;
		f->l4_off = iph->ihl * 4;
	} else if (proto == ETH_P_IPV6) {
		f->ip_ver = 6;
		proto = parse_ipv6(&nh, end, f->frame_len - f->l3_off, &ip6h,
				   &f->l3_len);
		if (proto < 0)
			return OSPREY_CTR_ERR_IP6;
		if (proto != PROTO_TCP) {
			proto = parse_ip6_ext(&nh, end,
					      f->l3_len - sizeof(*ip6h), proto);
			if (proto == PARSE_FRAG)
				return OSPREY_CTR_FRAGMENTS;
			if (proto < 0)
				return OSPREY_CTR_ERR_IP6;
		}
		f->l4_off = nh.pos - f->ip;
	} else {
		return OSPREY_CTR_MAX;
	}
	if (proto != PROTO_TCP)
		return OSPREY_CTR_MAX;
	if (f->l4_off > f->l3_len)
		return OSPREY_CTR_ERR_TCP;
	thl = parse_tcp(&nh, end, f->l3_len - f->l4_off, &f->th);
	if (thl < 0)
		return OSPREY_CTR_ERR_TCP;
	f->thl = thl;
	return OSPREY_CTR_TCP;
}

static __always_inline __u8 tcp_flags(const struct tcphdr *th)
{
	return ((const __u8 *)th)[13];
}

/* ---------------------------------------------------------------- events */

/*
 * Ring buffer room for an event of cap bytes, in size classes: reserve
 * takes a constant size, and copying straight into the record saves a
 * staging copy.  A SYN (cap <= 96) takes 128 bytes.
 */
static __always_inline struct osprey_event *reserve_event(__u32 cap)
{
	const __u32 hdr = sizeof(struct osprey_event);

	if (cap <= 128 - hdr)
		return bpf_ringbuf_reserve(&events, 128, 0);
	if (cap <= 256 - hdr)
		return bpf_ringbuf_reserve(&events, 256, 0);
	if (cap <= 512 - hdr)
		return bpf_ringbuf_reserve(&events, 512, 0);
	if (cap <= 1024 - hdr)
		return bpf_ringbuf_reserve(&events, 1024, 0);
	return bpf_ringbuf_reserve(&events, hdr + OSPREY_MAX_CAPTURE, 0);
}

/*
 * Send the IP + TCP headers and up to pay_cap payload bytes of f.  Returns
 * the payload bytes sent (OSPREY_MAX_CAPTURE may cut them), or -1 if the
 * ring buffer was full (counted) or the copy failed.
 */
static __always_inline int emit(struct xdp_md *ctx, const struct frame *f,
				__u32 pay_cap, __u8 reason, __u8 flags)
{
	struct osprey_event *ev;
	__u32 hdrs, cap;

	hdrs = f->l4_off + f->thl;
	cap = hdrs + pay_cap;
	if (cap > f->l3_len)
		cap = f->l3_len;
	if (cap > OSPREY_MAX_CAPTURE)
		cap = OSPREY_MAX_CAPTURE;
	if (cap < f->l3_len)
		flags |= OSPREY_EVF_PAYLOAD_CUT;
	/* A lower bound by comparison, not `cap == 0`: 6.1's verifier
	 * learns no minimum from a != 0 test, and the copy needs one. */
	if (cap < sizeof(struct iphdr) + sizeof(struct tcphdr))
		return -1;
	ev = reserve_event(cap);
	if (!ev) {
		ctr_add(OSPREY_CTR_RB_DROPS, 1);
		return -1;
	}
	if (bpf_xdp_load_bytes(ctx, f->l3_off, ev->data, cap)) {
		bpf_ringbuf_discard(ev, BPF_RB_NO_WAKEUP);
		return -1;
	}
	if (flags & OSPREY_EVF_PAYLOAD_CUT) {
		if (f->ip_ver == 4)
			*(__be16 *)&ev->data[2] = bpf_htons(cap);
		else
			*(__be16 *)&ev->data[4] = bpf_htons(cap - 40);
	}
	/* The precise clock is the dearest part of an event (a pvclock read
	 * in a VM); the coarse one ticks at HZ, too rough for p0f's uptime
	 * by default. */
	ev->ts_ns = cfg_coarse_clock ? bpf_ktime_get_coarse_ns() :
				       bpf_ktime_get_ns();
	ev->ifindex = ctx->ingress_ifindex;
	ev->rx_queue = ctx->rx_queue_index;
	ev->frame_len = f->frame_len;
	ev->cap_len = cap;
	ev->l3_off = f->l3_off;
	ev->vlan_id[0] = f->tags.n > 0 ? f->tags.id[0] : 0;
	ev->vlan_id[1] = f->tags.n > 1 ? f->tags.id[1] : 0;
	ev->n_vlans = f->tags.n;
	ev->reason = reason;
	ev->ip_ver = f->ip_ver;
	ev->flags = flags;
	bpf_ringbuf_submit(ev, 0);
	if (cap <= hdrs)
		return 0;
	ctr_add(OSPREY_CTR_PAYLOAD_BYTES, cap - hdrs);
	return cap - hdrs;
}

/* --------------------------------------------------------------- filters */

/*
 * Bit `port` of a bitmap.  The mask is what proves the index in bounds to
 * the verifier (6.1 loses a u16's range once it is spilled); the empty asm
 * keeps clang from dropping a mask it knows to be redundant.
 */
static __always_inline int port_bit(const struct osprey_port_bitmap *bm,
				    __u32 port)
{
	asm volatile("" : "+r"(port));
	port &= 0xffff;
	return bm->bits[port >> 3] & (1 << (port & 7));
}

static __always_inline int port_in(__u32 list, __u16 sport, __u16 dport)
{
	struct osprey_port_bitmap *bm = bpf_map_lookup_elem(&port_bits, &list);

	if (!bm)
		return 0;
	return port_bit(bm, sport) || port_bit(bm, dport);
}

/* Is the source or destination address in the trie for f's family? */
static __always_inline int net_in(void *trie4, void *trie6,
				  const struct frame *f)
{
	struct osprey_lpm6_key k6 = { .prefixlen = 128 };
	struct osprey_lpm4_key k4 = { .prefixlen = 32 };

	if (f->ip_ver == 4) {
		const struct iphdr *iph = f->ip;

		__builtin_memcpy(k4.addr, &iph->saddr, 4);
		if (bpf_map_lookup_elem(trie4, &k4))
			return 1;
		__builtin_memcpy(k4.addr, &iph->daddr, 4);
		return bpf_map_lookup_elem(trie4, &k4) != NULL;
	}
	const struct ipv6hdr *ip6h = f->ip;

	__builtin_memcpy(k6.addr, &ip6h->saddr, 16);
	if (bpf_map_lookup_elem(trie6, &k6))
		return 1;
	__builtin_memcpy(k6.addr, &ip6h->daddr, 16);
	return bpf_map_lookup_elem(trie6, &k6) != NULL;
}

/*
 * Should this SYN / SYN+ACK be left alone?  Deny lists win; an allow list,
 * when set, must match the source or the destination.  Only the lists in
 * use cost anything: the others are removed at load time.
 */
static __always_inline int filtered(const struct frame *f)
{
	__u16 sport = bpf_ntohs(f->th->source), dport = bpf_ntohs(f->th->dest);

	if (cfg_port_deny && port_in(OSPREY_PORTS_DENY, sport, dport))
		return 1;
	if (cfg_port_allow && !port_in(OSPREY_PORTS_ALLOW, sport, dport))
		return 1;
	if (cfg_net_deny && net_in(&net_deny4, &net_deny6, f))
		return 1;
	if (cfg_net_allow && !net_in(&net_allow4, &net_allow6, f))
		return 1;
	return 0;
}

/* ----------------------------------------------------------------- flows */

/* Both endpoints of f as raw words (IPv4 in s0/d0 only). */
struct tuple {
	__u64 s0, s1, d0, d1;
	__u16 sp, dp; /* network order */
};

static __always_inline void read_tuple(const struct frame *f, struct tuple *t)
{
	t->s1 = t->d1 = 0;
	t->sp = f->th->source;
	t->dp = f->th->dest;
	if (f->ip_ver == 4) {
		const struct iphdr *iph = f->ip;

		t->s0 = iph->saddr;
		t->d0 = iph->daddr;
		return;
	}
	const struct ipv6hdr *ip6h = f->ip;

	__builtin_memcpy(&t->s0, &ip6h->saddr, 8);
	__builtin_memcpy(&t->s1, (const __u8 *)&ip6h->saddr + 8, 8);
	__builtin_memcpy(&t->d0, &ip6h->daddr, 8);
	__builtin_memcpy(&t->d1, (const __u8 *)&ip6h->daddr + 8, 8);
}

/*
 * Slot of the connection in flow_hints.  The hash is symmetric (XOR of
 * the endpoints), so both directions share the slot.
 */
static __always_inline __u32 *flow_hint(const struct tuple *t)
{
	__u64 x = t->s0 ^ t->s1 ^ t->d0 ^ t->d1;
	__u32 h = (__u32)x ^ (__u32)(x >> 32) ^ (__u32)(t->sp ^ t->dp);
	__u32 idx = (h * 0x9e3779b1u) >> (32 - OSPREY_FLOW_HINT_BITS);

	return bpf_map_lookup_elem(&flow_hints, &idx);
}

static __always_inline void flow_hint_add(const struct tuple *t, int n)
{
	__u32 *slot = flow_hint(t);

	if (slot)
		__sync_fetch_and_add(slot, n);
}

union flow_key {
	struct osprey_flow4_key k4;
	struct osprey_flow_key k6;
};

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
	__builtin_memset(&k->k6, 0, sizeof(k->k6));
	k->k6.family = 6;
	__builtin_memcpy(k->k6.a_addr, sender_a ? &t->s0 : &t->d0, 8);
	__builtin_memcpy(k->k6.a_addr + 8, sender_a ? &t->s1 : &t->d1, 8);
	__builtin_memcpy(k->k6.b_addr, sender_a ? &t->d0 : &t->s0, 8);
	__builtin_memcpy(k->k6.b_addr + 8, sender_a ? &t->d1 : &t->s1, 8);
	k->k6.a_port = sender_a ? t->sp : t->dp;
	k->k6.b_port = sender_a ? t->dp : t->sp;
	return sender_a;
}

/*
 * The table of ver's family, each call with a constant map so the
 * verifier can inline the lookups and call the map's functions directly.
 * Left alone, clang merges the two calls of each helper into one with the
 * map chosen in a register; the verifier then sees two maps at one call
 * and falls back to the generic helper (an indirect call, and for the
 * LRU lookup no inlining).  The empty asm on one side keeps the calls
 * apart (bpftool prog dump xlated shows the direct calls): 3-4 ns of a
 * SYN, more of a flow insert or delete.
 */
#define FLOW_MAP_CALL(ver, helper, k, ...)                                     \
	({                                                                     \
		long ret_;                                                     \
		if ((ver) == 4) {                                              \
			ret_ = (long)helper(&flows4, &(k)->k4, ##__VA_ARGS__); \
			asm volatile("" : "+r"(ret_));                         \
		} else {                                                       \
			ret_ = (long)helper(&flows, &(k)->k6, ##__VA_ARGS__);  \
		}                                                              \
		ret_;                                                          \
	})

static __always_inline struct osprey_flow *flow_lookup(__u8 ver,
						       union flow_key *k)
{
	return (struct osprey_flow *)FLOW_MAP_CALL(ver, bpf_map_lookup_elem, k);
}

static __always_inline long flow_update(__u8 ver, union flow_key *k,
					struct osprey_flow *v)
{
	return FLOW_MAP_CALL(ver, bpf_map_update_elem, k, v, BPF_ANY);
}

static __always_inline long flow_delete(__u8 ver, union flow_key *k)
{
	return FLOW_MAP_CALL(ver, bpf_map_delete_elem, k);
}

static __always_inline void flow_end(const struct tuple *t, __u8 ver,
				     union flow_key *k)
{
	if (flow_delete(ver, k) == 0) {
		flow_hint_add(t, -1);
		ctr_add(OSPREY_CTR_FLOW_END, 1);
	}
}

/* Insert a new flow; the hint slot counts it. */
static __always_inline void flow_insert(const struct tuple *t, __u8 ver,
					union flow_key *k,
					struct osprey_flow *v)
{
	if (flow_update(ver, k, v)) {
		ctr_add(OSPREY_CTR_FLOW_FULL, 1);
		return;
	}
	flow_hint_add(t, 1);
	ctr_add(OSPREY_CTR_FLOW_NEW, 1);
}

/* SYN: (re)open the flow with the sender as client. */
static __always_inline void flow_open_syn(const struct frame *f)
{
	union flow_key k;
	struct osprey_flow v = {}, *old;
	struct tuple t;
	__u32 *hint;
	int sender_a;

	read_tuple(f, &t);
	sender_a = flow_key(&t, f->ip_ver, &k);
	v.start_ns = bpf_ktime_get_coarse_ns();
	v.client_is_a = sender_a;
	v.next_seq[0] = bpf_ntohl(f->th->seq) + 1;
	v.seq_known = 1;
	v.budget[0] = v.budget[1] = cfg_flow_budget;
	v.pkts[0] = v.pkts[1] = cfg_flow_max_pkts;
	/*
	 * A retransmitted SYN or a reused port: start over in place.  An
	 * LRU update would allocate a node and free the old one, which
	 * costs several times the lookup.  A zero hint slot proves there
	 * is no old entry.
	 */
	hint = flow_hint(&t);
	old = hint && *hint ? flow_lookup(f->ip_ver, &k) : NULL;
	if (old) {
		*old = v;
		ctr_add(OSPREY_CTR_FLOW_NEW, 1);
		return;
	}
	flow_insert(&t, f->ip_ver, &k, &v);
}

/*
 * SYN+ACK: complete the flow its SYN opened, or open one with the
 * receiver as client (the SYN went out unseen: XDP sees ingress only).
 */
static __always_inline void flow_open_synack(const struct frame *f)
{
	union flow_key k;
	struct osprey_flow v = {}, *old;
	__u32 srv_next = bpf_ntohl(f->th->seq) + 1;
	struct tuple t;
	int sender_a;

	read_tuple(f, &t);
	sender_a = flow_key(&t, f->ip_ver, &k);

	old = flow_lookup(f->ip_ver, &k);
	if (old) {
		/* From the server to the client: record the server's ISN. */
		if (old->client_is_a != sender_a) {
			old->next_seq[1] = srv_next;
			old->seq_known |= 2;
		}
		return;
	}
	v.start_ns = bpf_ktime_get_coarse_ns();
	v.client_is_a = !sender_a;
	v.next_seq[0] = bpf_ntohl(f->th->ack_seq);
	v.next_seq[1] = srv_next;
	v.seq_known = 3;
	v.budget[0] = v.budget[1] = cfg_flow_budget;
	v.pkts[0] = v.pkts[1] = cfg_flow_max_pkts;
	flow_insert(&t, f->ip_ver, &k, &v);
}

static __always_inline int dir_spent(const struct osprey_flow *fl, int d)
{
	return fl->budget[d] == 0 || fl->pkts[d] == 0;
}

/* Any packet other than a SYN: capture it if its flow is tracked. */
static __always_inline void flow_packet(struct xdp_md *ctx,
					const struct frame *f, __u8 tflags)
{
	union flow_key k;
	struct osprey_flow *fl;
	struct tuple t;
	__u32 pay_len, pay_cap = 0, seq, *hint;
	int sender_a, d, in_order = 0, last, sent;
	__u8 evf;

	read_tuple(f, &t);
	/* Most TCP packets belong to no tracked flow: a zero hint slot
	 * says so without hashing a 40-byte key. */
	hint = flow_hint(&t);
	if (!hint || !*hint)
		return;
	sender_a = flow_key(&t, f->ip_ver, &k);
	fl = flow_lookup(f->ip_ver, &k);
	if (!fl)
		return;
	if (bpf_ktime_get_coarse_ns() - fl->start_ns > cfg_flow_age_ns) {
		flow_end(&t, f->ip_ver, &k);
		return;
	}
	d = (sender_a == fl->client_is_a) ? 0 : 1;
	last = tflags & (TH_FIN | TH_RST);
	if (!last && dir_spent(fl, d))
		return;

	pay_len = f->l3_len - f->l4_off - f->thl;
	seq = bpf_ntohl(f->th->seq);
	if (pay_len) {
		/* The first payload of a direction we never saw open. */
		if (!(fl->seq_known & (1 << d))) {
			fl->next_seq[d] = seq;
			fl->seq_known |= 1 << d;
		}
		/* Retransmitted or out-of-order data: headers only. */
		if (seq == fl->next_seq[d]) {
			in_order = 1;
			pay_cap = pay_len < fl->budget[d] ? pay_len :
							    fl->budget[d];
		}
	}
	evf = d == 0 ? OSPREY_EVF_TO_SERVER : 0;
	if (last)
		evf |= OSPREY_EVF_FLOW_END;
	sent = emit(ctx, f, pay_cap, OSPREY_SEL_FLOW, evf);
	if (sent >= 0) {
		ctr_add(OSPREY_CTR_FLOW_PKTS, 1);
		if (in_order) {
			/* Bytes past OSPREY_MAX_CAPTURE are lost, like a
			 * snaplen cut: the stream moves on regardless. */
			fl->next_seq[d] = seq + pay_len;
			fl->budget[d] -= (__u32)sent < fl->budget[d] ?
						 (__u32)sent :
						 fl->budget[d];
		}
		if (fl->pkts[d])
			fl->pkts[d]--;
	} else {
		/* The reader lost a piece of this stream; nothing later
		 * in this direction can be used. */
		fl->budget[d] = 0;
	}
	if (last || (dir_spent(fl, 0) && dir_spent(fl, 1)))
		flow_end(&t, f->ip_ver, &k);
}

/* ---------------------------------------------------------------- policy */

/* XDP policy for a SYN: drop it if its source host's rule says so. */
static __always_inline int policy_drop(const struct frame *f, void *end)
{
	const struct osprey_policy_val *v;
	struct osprey_host_key hk;

	if (osprey_key_from_ip(f->ip, end, &hk))
		return 0;
	v = osprey_policy_for(&hk);
	return v && (v->action & OSPREY_ACT_DROP_SYN);
}

/* ------------------------------------------------------------------ main */

static __always_inline int handle_syn(struct xdp_md *ctx, const struct frame *f,
				      __u8 tflags)
{
	int synack = tflags & TH_ACK;

	if (filtered(f)) {
		ctr_add(OSPREY_CTR_FILTERED, 1);
	} else {
		ctr_add(synack ? OSPREY_CTR_SYNACK : OSPREY_CTR_SYN, 1);
		emit(ctx, f, OSPREY_MAX_CAPTURE,
		     synack ? OSPREY_SEL_SYNACK : OSPREY_SEL_SYN,
		     synack ? 0 : OSPREY_EVF_TO_SERVER);
		if (synack)
			flow_open_synack(f);
		else
			flow_open_syn(f);
	}
	if (cfg_xdp_policy && !synack &&
	    policy_drop(f, (void *)(long)ctx->data_end)) {
		ctr_add(OSPREY_CTR_POLICY_DROPS, 1);
		return XDP_DROP;
	}
	return XDP_PASS;
}

SEC("xdp")
int osprey_capture(struct xdp_md *ctx)
{
	struct frame f;
	__u32 what;
	__u8 tflags;

	ctr_add(OSPREY_CTR_PACKETS, 1);
	what = parse_frame(ctx, &f);
	if (what < OSPREY_CTR_MAX)
		ctr_add(what, 1);
	if (what != OSPREY_CTR_TCP)
		return XDP_PASS;

	tflags = tcp_flags(f.th);
	/* SYN with FIN or RST is nonsense p0f ignores: no selection. */
	if ((tflags & (TH_SYN | TH_FIN | TH_RST)) == TH_SYN)
		return handle_syn(ctx, &f, tflags);
	flow_packet(ctx, &f, tflags);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
