/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * osprey kernel capture: an XDP program (what the host receives) and a tc
 * clsact egress program (what it sends) that select what p0f needs and
 * copy it to one ring buffer, and otherwise stay out of the way.  Both
 * share the maps, the parsing and the selection below.
 *
 *  - every SYN (no ACK) and SYN+ACK is sent whole (up to
 *    OSPREY_MAX_CAPTURE bytes from the IP header) and opens a flow;
 *  - later packets of a tracked flow, in both directions, are sent with
 *    their headers and the in-order payload until the direction's byte
 *    budget (or its packet cap, OSPREY_FLOW_MAX_PKTS by default) is
 *    spent; retransmitted or out-of-order data goes with headers only.
 *    The flow leaves the cache once both directions are spent, on
 *    FIN/RST, or when it is older than the age limit (flow.bpf.h);
 *  - everything else passes after a parse and, for TCP, a look at the
 *    flow's cache bucket.
 *
 * Port and CIDR filters apply to SYN and SYN+ACK only: a filtered
 * handshake opens no flow, so its later packets are untracked anyway.
 *
 * Every packet is passed (XDP_PASS, TC_ACT_UNSPEC), except SYNs the
 * optional XDP policy drops.  Malformed headers are counted by kind,
 * never read past; up to 96 bytes in the linear data are copied by direct
 * access, anything else with bpf_xdp_load_bytes() and
 * bpf_skb_load_bytes(), which read fragments and paged data, so a frame
 * larger than a page (loopback, jumbo frames, GRO, multi-buffer XDP, an
 * egress GSO skb) is captured like a small one.
 *
 * A packet is reported once: the egress program leaves alone what arrived
 * on an interface where the XDP program runs (forwarded traffic, see
 * xdp_ifaces), and the loader does not put both on a loopback device,
 * where each packet is both sent and received.
 *
 * Events are ring buffer records in size classes (128 bytes up to 8 KiB,
 * then 32 + OSPREY_MAX_CAPTURE): the smallest that holds the header and
 * cap_len bytes.  Flow events leave 1/2^OSPREY_RB_SYN_RESERVE_SHIFT of the
 * ring to SYN and SYN+ACK events, so payload cannot starve fingerprints;
 * every lost event is counted by kind.
 *
 * When an event holds less than the packet (budget or OSPREY_MAX_CAPTURE),
 * the copied IP length field is rewritten to the captured length and
 * OSPREY_EVF_PAYLOAD_CUT is set, so a p0f-style parser that refuses
 * packets longer than their capture still reads the headers.
 *
 * Configuration, maps and the packet context are in capture_ctx.bpf.h,
 * the ring buffer records in event.bpf.h; parsing, filters, flows and the
 * two programs here.
 */
#include "bpf/event.bpf.h"

/* ----------------------------------------------------------------- parse */

/*
 * The VLAN walk, one subprogram per program type.  Global functions are
 * verified once on their own, and their result is a plain number to the
 * caller: the IP header offset is then one range instead of one state per
 * tag count for the rest of the program.  Untagged frames never call them.
 */
__noinline __s64 osprey_l2_xdp(struct xdp_md *ctx)
{
	return parse_vlans((void *)(long)ctx->data,
			   (void *)(long)ctx->data_end);
}

__noinline __s64 osprey_l2_skb(struct __sk_buff *skb)
{
	return parse_vlans((void *)(long)skb->data,
			   (void *)(long)skb->data_end);
}

/*
 * Ethernet and VLAN tags: the EtherType after them (host order) with
 * f->l3_off and f->tags set, or PARSE_BAD.
 */
static __always_inline int parse_l2(struct pkt *p, int egress, struct frame *f)
{
	struct ethhdr *eth = p->data;
	__s64 w;
	__u32 n;

	if ((void *)(eth + 1) > p->end)
		return PARSE_BAD;
	if (!proto_is_vlan(eth->h_proto)) {
		f->l3_off = sizeof(*eth);
		return bpf_ntohs(eth->h_proto);
	}
	w = egress ? osprey_l2_skb(p->ctx) : osprey_l2_xdp(p->ctx);
	if (w < 0)
		return PARSE_BAD;
	n = L2_NTAGS(w);
	if (n > PARSE_MAX_VLANS)
		return PARSE_BAD;
	f->tags.n = n;
	f->tags.id[0] = L2_ID(w, 0);
	f->tags.id[1] = L2_ID(w, 1);
	f->l3_off = sizeof(*eth) + n * sizeof(struct vlan_tag);
	return L2_PROTO(w);
}

/*
 * Parse L2..L4.  Returns OSPREY_CTR_TCP when f describes a TCP header,
 * otherwise the counter to bump (OSPREY_CTR_MAX: nothing to count, the
 * packet is simply not IP/TCP).
 */
/*
 * The whole frame's length, when an IP length ran past the first buffer:
 * XDP looks at a multi-buffer frame's fragments only then, which spares
 * every other packet a helper call.  1 if p->len grew.
 */
static __always_inline int pkt_full_len(struct pkt *p, int egress)
{
	__u32 full;

	if (egress)
		return 0; /* skb->len counts the paged data already */
	full = bpf_xdp_get_buff_len(p->ctx);
	if (full <= p->len)
		return 0;
	p->len = full;
	return 1;
}

static __always_inline __u32 parse_frame(struct pkt *p, int egress,
					 struct frame *f)
{
	struct hdr_cursor nh;
	struct ipv6hdr *ip6h;
	struct iphdr *iph;
	int proto, thl;

	/* Only the tags are read before being set: zeroing the whole
	 * frame costs the non-TCP path a measurable share. */
	f->tags.id[0] = f->tags.id[1] = 0;
	f->tags.n = 0;
	proto = parse_l2(p, egress, f);
	if (proto < 0 || f->l3_off > p->len)
		return OSPREY_CTR_ERR_ETH;
	nh.pos = p->data + f->l3_off;
	f->ip = nh.pos;
	if (proto == ETH_P_IP) {
		f->ip_ver = 4;
		proto = parse_ipv4(&nh, p->end, p->len - f->l3_off, &iph,
				   &f->l3_len);
		if (proto == PARSE_LONG && pkt_full_len(p, egress))
			proto = parse_ipv4(&nh, p->end, p->len - f->l3_off,
					   &iph, &f->l3_len);
		if (proto < 0)
			return OSPREY_CTR_ERR_IP;
		if (iph->frag_off & bpf_htons(IP4_OFFSET))
			return OSPREY_CTR_FRAGMENTS;
		f->l4_off = iph->ihl * 4;
	} else if (proto == ETH_P_IPV6) {
		f->ip_ver = 6;
		proto = parse_ipv6(&nh, p->end, p->len - f->l3_off, &ip6h,
				   &f->l3_len);
		if (proto == PARSE_LONG && pkt_full_len(p, egress))
			proto = parse_ipv6(&nh, p->end, p->len - f->l3_off,
					   &ip6h, &f->l3_len);
		if (proto < 0)
			return OSPREY_CTR_ERR_IP6;
		if (proto != PROTO_TCP) {
			proto = parse_ip6_ext(&nh, p->end,
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
	thl = parse_tcp(&nh, p->end, f->l3_len - f->l4_off, &f->th);
	if (thl < 0)
		return OSPREY_CTR_ERR_TCP;
	f->thl = thl;
	f->frame_len = p->len;
	return OSPREY_CTR_TCP;
}

static __always_inline __u8 tcp_flags(const struct tcphdr *th)
{
	return ((const __u8 *)th)[13];
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

/* A claimed slot gets a new flow: count it, and an eviction. */
static __always_inline void flow_count_new(const struct pkt *p, int kind)
{
	if (kind == FLOW_EVICTED)
		ctr_add(p, OSPREY_CTR_FLOW_EVICT, 1);
	ctr_add(p, OSPREY_CTR_FLOW_NEW, 1);
}

static __always_inline void flow_init(struct osprey_flow *v, int client_is_a)
{
	v->client_is_a = client_is_a;
	v->budget[0] = v->budget[1] = cfg_flow_budget;
	v->pkts[0] = v->pkts[1] = cfg_flow_max_pkts;
}

/*
 * SYN: (re)open the flow with the sender as client.  A retransmitted SYN
 * or a reused port starts over in its own slot.
 */
static __always_inline void flow_open_syn(struct pkt *p, const struct frame *f)
{
	__u64 now = pkt_now(p);
	struct osprey_flow *v;
	struct tuple t;
	int sender_a, kind;

	read_tuple(f, &t);
	v = flow_claim(&t, f->ip_ver, now, &sender_a, &kind);
	if (!v)
		return;
	flow_count_new(p, kind);
	flow_init(v, sender_a);
	v->next_seq[0] = bpf_ntohl(f->th->seq) + 1;
	v->next_seq[1] = 0;
	v->seq_known[0] = 1;
	v->seq_known[1] = 0;
	v->start = now;
}

/*
 * SYN+ACK: complete the flow its SYN opened, or open one with the
 * receiver as client (the SYN went unseen: sent by this host with egress
 * capture off, or on a path we do not watch).
 */
static __always_inline void flow_open_synack(struct pkt *p,
					     const struct frame *f)
{
	__u32 srv_next = bpf_ntohl(f->th->seq) + 1;
	__u64 now = pkt_now(p);
	struct osprey_flow *v;
	struct tuple t;
	int sender_a, kind;

	read_tuple(f, &t);
	v = flow_claim(&t, f->ip_ver, now, &sender_a, &kind);
	if (!v)
		return;
	if (kind == FLOW_OURS) {
		/* From the server to the client: record the server's ISN. */
		if (v->client_is_a != sender_a) {
			v->next_seq[1] = srv_next;
			v->seq_known[1] = 1;
		}
		return;
	}
	flow_count_new(p, kind);
	flow_init(v, !sender_a);
	v->next_seq[0] = bpf_ntohl(f->th->ack_seq);
	v->next_seq[1] = srv_next;
	v->seq_known[0] = v->seq_known[1] = 1;
	v->start = now;
}

static __always_inline void flow_end(const struct pkt *p,
				     struct osprey_flow *fl)
{
	fl->start = 0;
	ctr_add(p, OSPREY_CTR_FLOW_END, 1);
}

static __always_inline int dir_spent(const struct osprey_flow *fl, int d)
{
	return fl->budget[d] == 0 || fl->pkts[d] == 0;
}

/*
 * Bytes of the in-order payload to send, and the sequence bookkeeping.
 * A GSO packet's payload is all its segments: the IP length (or, for BIG
 * TCP, the skb length) covers them, so the stream moves past all of them.
 */
static __always_inline __u32 flow_pay_cap(struct osprey_flow *fl, int d,
					  __u32 seq, __u32 pay_len,
					  int *in_order)
{
	if (!pay_len)
		return 0;
	/* The first payload of a direction we never saw open. */
	if (!fl->seq_known[d & 1]) {
		fl->next_seq[d & 1] = seq;
		fl->seq_known[d & 1] = 1;
	}
	/* Retransmitted or out-of-order data: headers only. */
	if (seq != fl->next_seq[d & 1])
		return 0;
	*in_order = 1;
	return pay_len < fl->budget[d & 1] ? pay_len : fl->budget[d & 1];
}

/* Any packet other than a SYN: capture it if its flow is tracked. */
static __always_inline void flow_packet(struct pkt *p, int egress,
					const struct frame *f, __u8 tflags)
{
	struct osprey_flow *fl;
	struct tuple t;
	__u32 pay_len, pay_cap, seq;
	int sender_a = 0, d, in_order = 0, last, sent;
	__u8 evf;

	read_tuple(f, &t);
	fl = flow_find(&t, f->ip_ver, &sender_a);
	if (!fl)
		return;
	if (flow_aged(fl->start, pkt_now(p))) {
		flow_end(p, fl);
		return;
	}
	d = (sender_a == fl->client_is_a) ? 0 : 1;
	last = tflags & (TH_FIN | TH_RST);
	if (!last && dir_spent(fl, d))
		return;

	pay_len = f->l3_len - f->l4_off - f->thl;
	seq = bpf_ntohl(f->th->seq);
	pay_cap = flow_pay_cap(fl, d, seq, pay_len, &in_order);
	evf = d == 0 ? OSPREY_EVF_TO_SERVER : 0;
	if (last)
		evf |= OSPREY_EVF_FLOW_END;
	sent = emit(p, egress, f, pay_cap, OSPREY_SEL_FLOW, evf);
	if (sent >= 0) {
		ctr_add(p, OSPREY_CTR_FLOW_PKTS, 1);
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
		flow_end(p, fl);
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

/* Returns 1 if the packet is to be dropped (XDP policy), else 0. */
static __always_inline int handle_syn(struct pkt *p, int egress,
				      const struct frame *f, __u8 tflags)
{
	int synack = tflags & TH_ACK;

	if (filtered(f)) {
		ctr_add(p, OSPREY_CTR_FILTERED, 1);
	} else {
		ctr_add(p, synack ? OSPREY_CTR_SYNACK : OSPREY_CTR_SYN, 1);
		emit(p, egress, f, OSPREY_MAX_CAPTURE,
		     synack ? OSPREY_SEL_SYNACK : OSPREY_SEL_SYN,
		     synack ? 0 : OSPREY_EVF_TO_SERVER);
		if (synack)
			flow_open_synack(p, f);
		else
			flow_open_syn(p, f);
	}
	if (!egress && cfg_xdp_policy && !synack && policy_drop(f, p->end)) {
		ctr_add(p, OSPREY_CTR_POLICY_DROPS, 1);
		return 1;
	}
	return 0;
}

/* Count the parse result and act on a TCP packet; 1 = drop. */
static __always_inline int capture(struct pkt *p, int egress, struct frame *f,
				   __u32 what)
{
	__u8 tflags;

	ctr_add(p, what, 1);
	if (what != OSPREY_CTR_TCP)
		return 0;
	tflags = tcp_flags(f->th);
	/* SYN with FIN or RST is nonsense p0f ignores: no selection. */
	if ((tflags & (TH_SYN | TH_FIN | TH_RST)) == TH_SYN)
		return handle_syn(p, egress, f, tflags);
	flow_packet(p, egress, f, tflags);
	return 0;
}

/* Received frames.  xdp.frags: multi-buffer frames come whole. */
SEC("xdp.frags")
int osprey_capture(struct xdp_md *ctx)
{
	struct pkt p = {
		.ctx = ctx,
		.data = (void *)(long)ctx->data,
		.end = (void *)(long)ctx->data_end,
	};
	/* zeroed: clang may spill fields a failed parse left unset, and the
	 * verifier refuses to read an uninitialized register */
	struct frame f = {};
	__u32 zero = 0;

	p.ctr = bpf_map_lookup_elem(&counters, &zero);
	if (!p.ctr)
		return XDP_PASS;
	p.len = p.end - p.data;
	ctr_add(&p, OSPREY_CTR_PACKETS, 1);
	if (capture(&p, 0, &f, parse_frame(&p, 0, &f)))
		return XDP_DROP;
	return XDP_PASS;
}

/* Headers a pull brings into the linear data when they were not there. */
#define EGRESS_PULL 256

/* Sent frames (tc clsact egress).  Never changes or stops one. */
SEC("tc")
int osprey_egress(struct __sk_buff *skb)
{
	struct pkt p = {
		.ctx = skb,
		.len = skb->len,
	};
	__u32 iif = skb->ingress_ifindex, what, lin, zero = 0;
	struct frame f = {}; /* as in osprey_capture */

	p.ctr = bpf_map_lookup_elem(&counters, &zero);
	if (!p.ctr)
		return TC_ACT_UNSPEC;
	if (iif && bpf_map_lookup_elem(&xdp_ifaces, &iif)) {
		ctr_add(&p, OSPREY_CTR_FWD_SKIPPED, 1);
		return TC_ACT_UNSPEC;
	}
	ctr_add(&p, OSPREY_CTR_PACKETS, 1);
	ctr_add(&p, OSPREY_CTR_EGRESS_PACKETS, 1);
	p.data = (void *)(long)skb->data;
	p.end = (void *)(long)skb->data_end;
	what = parse_frame(&p, 1, &f);
	lin = p.end - p.data;
	/* Headers beyond the linear data (rare: the stack puts them there):
	 * pull them in, which moves no byte of the packet, and look again. */
	if (what >= OSPREY_CTR_ERR_ETH && what <= OSPREY_CTR_ERR_TCP &&
	    lin < p.len && lin < EGRESS_PULL &&
	    !bpf_skb_pull_data(skb,
			       p.len < EGRESS_PULL ? p.len : EGRESS_PULL)) {
		p.data = (void *)(long)skb->data;
		p.end = (void *)(long)skb->data_end;
		what = parse_frame(&p, 1, &f);
	}
	if (skb->vlan_present && what == OSPREY_CTR_TCP) {
		/* the outer tag rides in skb metadata, not in the data */
		f.tags.id[1] = f.tags.id[0];
		f.tags.id[0] = skb->vlan_tci & 0x0fff;
		f.tags.n++;
	}
	capture(&p, 1, &f, what);
	return TC_ACT_UNSPEC;
}

/*
 * The tick clock's calibration (user/capture_clock.c), never attached: run
 * by BPF_PROG_TEST_RUN on a small buffer, it writes jiffies, the monotonic
 * clock and jiffies again into it.  Where both jiffies agree, the clock
 * was read while jiffies held that value.
 */
SEC("xdp")
int osprey_clock_pair(struct xdp_md *ctx)
{
	__u64 *d = (void *)(long)ctx->data;

	if ((void *)(d + 3) > (void *)(long)ctx->data_end)
		return XDP_ABORTED;
	d[0] = bpf_jiffies64();
	d[1] = bpf_ktime_get_ns();
	d[2] = bpf_jiffies64();
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
