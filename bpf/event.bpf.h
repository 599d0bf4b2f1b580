/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Ring buffer events of the capture programs (capture.bpf.c): a record of
 * the smallest size class that holds the header and cap_len bytes, the
 * small SYN/SYN+ACK path built in place, the general path through the load
 * helper, and emit(), which also keeps SYN room and counts what is lost.
 */
#ifndef OSPREY_EVENT_BPF_H
#define OSPREY_EVENT_BPF_H

#include "bpf/capture_ctx.bpf.h"

/* ---------------------------------------------------------------- events */

#define RB_REC_HDR 8 /* the ring buffer's own header per record */

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
	if (cap <= 2048 - hdr)
		return bpf_ringbuf_reserve(&events, 2048, 0);
	if (cap <= 4096 - hdr)
		return bpf_ringbuf_reserve(&events, 4096, 0);
	if (cap <= 8192 - hdr)
		return bpf_ringbuf_reserve(&events, 8192, 0);
	return bpf_ringbuf_reserve(&events, hdr + OSPREY_MAX_CAPTURE, 0);
}

/*
 * May a flow event of cap bytes take ring space?  Only while the ring,
 * with it, stays below 1 - 1/2^OSPREY_RB_SYN_RESERVE_SHIFT full: the rest
 * is for SYN and SYN+ACK events.  (The record may be a size class larger
 * than cap; the reserve is a fraction of the ring, so that is slack.)
 */
static __always_inline int flow_room(__u32 cap)
{
	__u64 used = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
	__u64 limit =
		cfg_ring_size - (cfg_ring_size >> OSPREY_RB_SYN_RESERVE_SHIFT);

	return used + RB_REC_HDR + sizeof(struct osprey_event) + cap <= limit;
}

/* An event that could not be sent: counted in the total and by kind. */
static __always_inline void count_drop(const struct pkt *p, __u8 reason)
{
	ctr_add(p, OSPREY_CTR_RB_DROPS, 1);
	ctr_add(p,
		reason == OSPREY_SEL_SYN    ? OSPREY_CTR_RB_DROP_SYN :
		reason == OSPREY_SEL_SYNACK ? OSPREY_CTR_RB_DROP_SYNACK :
					      OSPREY_CTR_RB_DROP_FLOW,
		1);
}

/*
 * The event header of f.  The interface and queue are read here, not per
 * packet: XDP's ingress_ifindex is a chain of loads (rxq, dev, ifindex)
 * that most packets never need.
 */
static __always_inline void event_header(struct osprey_event *ev, struct pkt *p,
					 int egress, const struct frame *f,
					 __u32 cap, __u8 reason, __u8 flags)
{
	const struct __sk_buff *skb = p->ctx;
	const struct xdp_md *xdp = p->ctx;

	ev->ts = pkt_now(p);
	ev->ifindex = egress ? skb->ifindex : xdp->ingress_ifindex;
	ev->rx_queue = egress ? skb->queue_mapping : xdp->rx_queue_index;
	ev->frame_len = f->frame_len;
	ev->cap_len = cap;
	ev->l3_off = f->l3_off;
	ev->vlan_id[0] = f->tags.id[0];
	ev->vlan_id[1] = f->tags.id[1];
	ev->n_vlans = f->tags.n;
	ev->reason = reason;
	ev->ip_ver = f->ip_ver;
	ev->flags = flags;
}

#define EV_RING_FULL (-1)
#define EV_COPY_FAILED (-2)

/* When the event is cut, the copied IP length says what was kept. */
static __always_inline void cut_ip_len(__u8 *ip, __u8 ip_ver, __u32 cap)
{
	if (ip_ver == 4)
		*(__be16 *)&ip[2] = bpf_htons(cap);
	else
		*(__be16 *)&ip[4] = bpf_htons(cap - 40);
}

/*
 * Small SYN and SYN+ACK events (cap <= SMALL_COPY, all in the linear
 * data: nearly every one) take the smallest record class and are built in
 * the main program, with no subprogram call: the record is reserved, the
 * header written into it and the bytes copied by direct packet access,
 * without the load helper.  Everything else goes through event_out().
 */
#define SMALL_REC 128
#define SMALL_COPY (SMALL_REC - 32)

/* n bytes (a multiple of 8, a constant) from src to dst, by words. */
static __always_inline void copy_words(__u8 *dst, const __u8 *src, int n)
{
	int i;

#pragma unroll
	for (i = 0; i < n; i += 8)
		*(__u64 *)(dst + i) = *(const __u64 *)(src + i);
}

/*
 * Copy cap (40..SMALL_COPY) bytes from offset off of the linear data to
 * the record `to`, as two blocks of a fixed size, the first at 0 and the
 * second ending at cap (they overlap): 40 bytes each below 48, else 48.
 * Two branches instead of one per word keep the verifier's states few.
 * -1 if the bytes are not all in the linear data.
 */
static __always_inline int copy_small(void *data, void *end, __u32 off,
				      __u8 *to, __u32 cap)
{
	__u8 *src, *tail;

	if (off > 1024)
		return -1;
	asm volatile("" : "+r"(cap)); /* see event_out() */
	if (cap < 40 || cap > SMALL_COPY)
		return -1;
	src = data + off;
	if (cap < 48) {
		tail = src + (cap - 40);
		if ((void *)(src + 40) > end || (void *)(tail + 40) > end)
			return -1;
		copy_words(to, src, 40);
		copy_words(to + (cap - 40), tail, 40);
		return 0;
	}
	tail = src + (cap - 48);
	if ((void *)(src + 48) > end || (void *)(tail + 48) > end)
		return -1;
	copy_words(to, src, 48);
	copy_words(to + (cap - 48), tail, 48);
	return 0;
}

/* A small event of f whose cap bytes are in the linear data.  0,
 * EV_RING_FULL or EV_COPY_FAILED. */
static __always_inline int event_small(struct pkt *p, int egress,
				       const struct frame *f, __u32 cap,
				       __u8 reason, __u8 flags)
{
	struct osprey_event *ev = bpf_ringbuf_reserve(&events, SMALL_REC, 0);

	if (!ev)
		return EV_RING_FULL;
	event_header(ev, p, egress, f, cap, reason, flags);
	if (copy_small(p->data, p->end, f->l3_off, ev->data, cap)) {
		bpf_ringbuf_discard(ev, BPF_RB_NO_WAKEUP);
		return EV_COPY_FAILED;
	}
	if (flags & OSPREY_EVF_PAYLOAD_CUT)
		cut_ip_len(ev->data, f->ip_ver, cap);
	bpf_ringbuf_submit(ev, 0);
	return 0;
}

/*
 * Any other event: reserve a record for *hdr (cap_len set), fill it with
 * the header and cap_len bytes of the frame from hdr->l3_off (by direct
 * access when small and linear, else by the load helper, which reads
 * fragments and paged data), and submit it.  0, EV_RING_FULL or
 * EV_COPY_FAILED.
 */
static __always_inline int event_out(void *ctx, int egress,
				     const struct osprey_event *hdr)
{
	const struct pkt p = { .ctx = ctx };
	struct osprey_event *ev;
	__u32 cap = hdr->cap_len;

	/* One register for the checks and the copy, and two separate
	 * compares: the empty asms keep clang from reading cap_len again
	 * unchecked, or from folding both bounds into one subtract-and-
	 * compare on a copy, which 6.1's verifier does not trace back. */
	asm volatile("" : "+r"(cap));
	if (cap < sizeof(struct iphdr) + sizeof(struct tcphdr))
		return EV_COPY_FAILED;
	asm volatile("" : "+r"(cap));
	if (cap > OSPREY_MAX_CAPTURE)
		return EV_COPY_FAILED;
	ev = reserve_event(cap);
	if (!ev)
		return EV_RING_FULL;
	__builtin_memcpy(ev, hdr, sizeof(*ev));
	if (cap <= SMALL_COPY &&
	    !copy_small(
		    egress ? (void *)(long)((struct __sk_buff *)ctx)->data :
			     (void *)(long)((struct xdp_md *)ctx)->data,
		    egress ? (void *)(long)((struct __sk_buff *)ctx)->data_end :
			     (void *)(long)((struct xdp_md *)ctx)->data_end,
		    hdr->l3_off, ev->data, cap))
		;
	else if (pkt_load(&p, egress, hdr->l3_off, ev->data, cap)) {
		bpf_ringbuf_discard(ev, BPF_RB_NO_WAKEUP);
		return EV_COPY_FAILED;
	}
	if (hdr->flags & OSPREY_EVF_PAYLOAD_CUT)
		cut_ip_len(ev->data, hdr->ip_ver, cap);
	bpf_ringbuf_submit(ev, 0);
	return 0;
}

/*
 * event_out() for each program type.  Global functions: the verifier
 * checks the size classes once here, instead of carrying one state per
 * class through all the flow code that follows an event.
 */
__noinline int osprey_event_xdp(struct xdp_md *ctx,
				const struct osprey_event *hdr)
{
	if (!hdr)
		return EV_COPY_FAILED;
	return event_out(ctx, 0, hdr);
}

__noinline int osprey_event_skb(struct __sk_buff *skb,
				const struct osprey_event *hdr)
{
	if (!hdr)
		return EV_COPY_FAILED;
	return event_out(skb, 1, hdr);
}

/*
 * Send the IP + TCP headers and up to pay_cap payload bytes of f.  Returns
 * the payload bytes sent (OSPREY_MAX_CAPTURE may cut them), or -1 if the
 * event was lost (counted) or the copy failed.
 */
static __always_inline int emit(struct pkt *p, int egress,
				const struct frame *f, __u32 pay_cap,
				__u8 reason, __u8 flags)
{
	struct osprey_event h;
	__u32 hdrs, cap;
	int rc;

	hdrs = f->l4_off + f->thl;
	cap = hdrs + pay_cap;
	if (cap > f->l3_len)
		cap = f->l3_len;
	if (cap > OSPREY_MAX_CAPTURE)
		cap = OSPREY_MAX_CAPTURE;
	if (cap < f->l3_len)
		flags |= OSPREY_EVF_PAYLOAD_CUT;
	if (egress)
		flags |= OSPREY_EVF_EGRESS;
	if (reason == OSPREY_SEL_FLOW && !flow_room(cap)) {
		ctr_add(p, OSPREY_CTR_RB_FLOW_HELD, 1);
		count_drop(p, reason);
		return -1;
	}
	/* SYN and SYN+ACK only: inlined in the flow code, which reaches
	 * emit() in many verifier states, the small path would multiply
	 * the verifier's work (2.4x on 6.18) */
	if (reason != OSPREY_SEL_FLOW && cap <= SMALL_COPY &&
	    f->l3_off + cap <= (__u32)(p->end - p->data)) {
		rc = event_small(p, egress, f, cap, reason, flags);
	} else {
		event_header(&h, p, egress, f, cap, reason, flags);
		rc = egress ? osprey_event_skb(p->ctx, &h) :
			      osprey_event_xdp(p->ctx, &h);
	}
	if (rc == EV_RING_FULL)
		count_drop(p, reason);
	if (rc)
		return -1;
	if (cap <= hdrs)
		return 0;
	ctr_add(p, OSPREY_CTR_PAYLOAD_BYTES, cap - hdrs);
	return cap - hdrs;
}

#endif
