/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * What the capture programs (capture.bpf.c) share: their configuration,
 * their maps, the packet in hand (struct pkt) and what its parse found
 * (struct frame), the counters, the event clock and the byte loader.
 * Defines globals and maps, like osprey_maps.bpf.h: included once, by
 * capture.bpf.c (through event.bpf.h).
 */
#ifndef OSPREY_CAPTURE_CTX_BPF_H
#define OSPREY_CAPTURE_CTX_BPF_H

#include "bpf/policy.bpf.h"
#include "bpf/parse.bpf.h"
#include "bpf/flow.bpf.h"

#ifndef TC_ACT_UNSPEC
#define TC_ACT_UNSPEC (-1)
#endif

/* Configuration, set by user/capture.c before load. */
const volatile __u32 cfg_flow_budget = OSPREY_DEFAULT_FLOW_BUDGET;
/* Events per flow direction; u16 like osprey_flow.pkts. */
const volatile __u16 cfg_flow_max_pkts = OSPREY_FLOW_MAX_PKTS;
const volatile __u32 cfg_ring_size = OSPREY_DEFAULT_RINGBUF;
const volatile __u8 cfg_xdp_policy;
const volatile __u8 cfg_coarse_clock; /* event time in jiffies (pkt_now) */
const volatile __u8 cfg_port_allow;
const volatile __u8 cfg_port_deny;
const volatile __u8 cfg_net_allow;
const volatile __u8 cfg_net_deny;

/* Interfaces the XDP program is attached to (see xdp_ifaces). */
#define OSPREY_XDP_IFACES 64

/* All counters in one per-CPU element: one lookup per packet. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct osprey_counters);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, OSPREY_DEFAULT_RINGBUF);
} events SEC(".maps");

/*
 * ifindex -> 1 for every interface the loader attached the XDP program
 * to.  A packet leaving with skb->ingress_ifindex in here was forwarded
 * (routed or bridged) from such an interface, and XDP reported it on the
 * way in; the egress program skips it.  Locally sent packets have no
 * ingress interface, and packets forwarded from interfaces nobody
 * watches are captured on the way out.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, OSPREY_XDP_IFACES);
	__type(key, __u32);
	__type(value, __u8);
} xdp_ifaces SEC(".maps");

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

/*
 * The packet in hand, whichever program runs.  `egress` is also passed
 * as a literal to the functions that differ (all inlined), so each
 * program keeps only its own helper calls.
 */
struct pkt {
	void *ctx; /* struct xdp_md or struct __sk_buff */
	void *data, *end; /* direct access: the first buffer / linear data */
	__u64 *ctr; /* this CPU's counters */
	__u64 now; /* the event clock, read once (0: not yet) */
	__u32 len; /* the frame: linear part until a length asks for more */
};

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

static __always_inline void ctr_add(const struct pkt *p, __u32 idx, __u64 n)
{
	if (idx < OSPREY_CTR_MAX)
		p->ctr[idx] += n;
}

/*
 * The packet's event time, read at most once.  The precise clock is the
 * dearest part of an event (a helper call and a TSC or pvclock read); the
 * daemon loads the programs with cfg_coarse_clock, and the event time is
 * then jiffies, which the verifier turns into one load.  The loader
 * converts jiffies to CLOCK_MONOTONIC (user/capture_clock.c) and the
 * daemon makes each time precise again from its own clock as it reads the
 * record (user/evclock.h).  Flow ages use the same clock (osprey_flow.start
 * and cfg_flow_age, in its units).
 */
static __always_inline __u64 pkt_now(struct pkt *p)
{
	if (!p->now)
		p->now =
			cfg_coarse_clock ? bpf_jiffies64() : bpf_ktime_get_ns();
	return p->now;
}

static __always_inline long pkt_load(const struct pkt *p, int egress, __u32 off,
				     void *to, __u32 len)
{
	if (egress)
		return bpf_skb_load_bytes(p->ctx, off, to, len);
	return bpf_xdp_load_bytes(p->ctx, off, to, len);
}

#endif
