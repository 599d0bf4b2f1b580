/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Header-cursor parsing helpers for direct packet access, shared by the
 * XDP and tc programs (for tc, `end` is the end of the linear data).
 *
 * Contract, the same for every parse_* below: `nh->pos` points at the
 * header to parse and `end` is the frame's data_end.  On success the
 * helper advances nh->pos past the header and returns a value >= 0 (the
 * next protocol, or the header length where noted).  On failure it returns
 * PARSE_BAD and leaves nh->pos untouched: the header is truncated or
 * inconsistent, and nothing beyond `end` has been read.  `room` is the
 * number of bytes from nh->pos to the end of the enclosing layer (frame or
 * IP total length); it lets helpers refuse lengths the packet cannot hold
 * without pointer arithmetic the verifier would reject.
 */
#ifndef OSPREY_PARSE_BPF_H
#define OSPREY_PARSE_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_endian.h>

#define PARSE_BAD (-1)
/* parse_ip6_ext(): a fragment header with a non-zero offset. */
#define PARSE_FRAG (-2)
/* parse_ipv4/6(): a sound header whose length runs past `room` (a caller
 * that passed the first buffer's room may look at the whole frame). */
#define PARSE_LONG (-3)

#ifndef ETH_P_IP
#define ETH_P_IP 0x0800
#endif
#ifndef ETH_P_IPV6
#define ETH_P_IPV6 0x86DD
#endif
#ifndef ETH_P_8021Q
#define ETH_P_8021Q 0x8100
#endif
#ifndef ETH_P_8021AD
#define ETH_P_8021AD 0x88A8
#endif

#define PROTO_HOPOPTS 0
#define PROTO_TCP 6
#define PROTO_ROUTING 43
#define PROTO_FRAGMENT 44
#define PROTO_DSTOPTS 60

/* IPv4 frag_off bits, host order. */
#define IP4_MF 0x2000
#define IP4_OFFSET 0x1fff

/*
 * VLAN tags walked at most.  802.1ad + 802.1Q is two; provider networks
 * and captures of them stack more (a real capture had three).  The walk
 * runs in a subprogram of its own (osprey_l2_* in capture.bpf.c), so the
 * verifier checks it once, not once per tag count with the rest of the
 * program after it: 6.1 and 6.18 both accept 255 (the width of the
 * count); 32 bounds the work a hostile frame can ask for.
 */
#define PARSE_MAX_VLANS 32
/* IPv6 extension headers skipped at most before giving up. */
#define PARSE_MAX_IP6_EXT 4

struct hdr_cursor {
	void *pos;
};

/* The outermost two VLAN ids of a frame and how many tags it carried. */
struct l2_tags {
	__u16 id[2]; /* outer first */
	__u8 n;
};

struct vlan_tag {
	__be16 tci;
	__be16 proto;
};

static __always_inline int proto_is_vlan(__be16 proto)
{
	return proto == bpf_htons(ETH_P_8021Q) ||
	       proto == bpf_htons(ETH_P_8021AD);
}

/*
 * parse_vlans() result: bits 0-15 the EtherType after the tags (host
 * order; still a VLAN type when there are more than PARSE_MAX_VLANS tags,
 * which callers treat as "not IP"), 16-23 the tag count, 24-35 and 36-47
 * the outer two VLAN ids.
 */
#define L2_PROTO(w) ((__u32)(w)&0xffff)
#define L2_NTAGS(w) ((__u32)((w) >> 16) & 0xff)
#define L2_ID(w, i) ((__u16)((w) >> (24 + 12 * (i))) & 0x0fff)

/*
 * Walk the Ethernet header and VLAN tags of the frame [data, end).
 * PARSE_BAD if the header or a tag is truncated, else the packed word
 * above.
 */
static __always_inline __s64 parse_vlans(void *data, void *end)
{
	struct ethhdr *eth = data;
	struct vlan_tag *vt;
	__u64 ids = 0;
	__be16 proto;
	void *pos;
	int i;

	if ((void *)(eth + 1) > end)
		return PARSE_BAD;
	pos = eth + 1;
	proto = eth->h_proto;
	for (i = 0; i < PARSE_MAX_VLANS; i++) {
		if (!proto_is_vlan(proto))
			break;
		vt = pos;
		if ((void *)(vt + 1) > end)
			return PARSE_BAD;
		if (i < 2)
			ids |= (__u64)(bpf_ntohs(vt->tci) & 0x0fff)
			       << (24 + 12 * i);
		proto = vt->proto;
		pos = vt + 1;
	}
	return bpf_ntohs(proto) | (__u64)i << 16 | ids;
}

/*
 * IPv4 header with options.  Returns the protocol; *tot gets the total
 * length, which must cover the header and fit in `room`.  IHL < 5, a
 * header running past the frame or a total length beyond the frame are
 * PARSE_BAD.  A total length of 0 with more than 64 KiB in `room` is a
 * BIG TCP GSO/GRO packet: its length is the room.  Fragments are the
 * caller's business (see frag_off).
 */
static __always_inline int parse_ipv4(struct hdr_cursor *nh, void *end,
				      __u32 room, struct iphdr **out,
				      __u32 *tot)
{
	struct iphdr *iph = nh->pos;
	__u32 hlen, len;

	if ((void *)(iph + 1) > end)
		return PARSE_BAD;
	if (iph->version != 4)
		return PARSE_BAD;
	hlen = iph->ihl * 4;
	if (hlen < sizeof(*iph))
		return PARSE_BAD;
	if (nh->pos + hlen > end)
		return PARSE_BAD;
	len = bpf_ntohs(iph->tot_len);
	if (len == 0 && room > 0xffff)
		len = room;
	if (len < hlen)
		return PARSE_BAD;
	if (len > room)
		return PARSE_LONG;
	nh->pos += hlen;
	*out = iph;
	*tot = len;
	return iph->protocol;
}

/*
 * IPv6 fixed header.  Returns the next header; *tot gets 40 + payload
 * length, which must fit in `room`.  A payload length of 0 with more than
 * 64 KiB after the header is a BIG TCP packet (a jumbogram): the room.
 */
static __always_inline int parse_ipv6(struct hdr_cursor *nh, void *end,
				      __u32 room, struct ipv6hdr **out,
				      __u32 *tot)
{
	struct ipv6hdr *ip6h = nh->pos;
	__u32 len;

	if ((void *)(ip6h + 1) > end)
		return PARSE_BAD;
	if (ip6h->version != 6)
		return PARSE_BAD;
	len = sizeof(*ip6h) + bpf_ntohs(ip6h->payload_len);
	if (len == sizeof(*ip6h) && room > sizeof(*ip6h) + 0xffff)
		len = room;
	if (len > room)
		return PARSE_LONG;
	nh->pos = ip6h + 1;
	*out = ip6h;
	*tot = len;
	return ip6h->nexthdr;
}

struct ip6_opt_hdr {
	__u8 nexthdr;
	__u8 hdrlen; /* 8-octet units, not counting the first */
};

struct ip6_frag_hdr {
	__u8 nexthdr;
	__u8 reserved;
	__be16 frag_off; /* offset << 3 | flags */
	__be32 id;
};

/*
 * Skip hop-by-hop, routing and destination-options headers (and a
 * fragment header with offset 0).  `nexthdr` is the fixed header's next
 * header; `room` the bytes left in the IPv6 packet.  Returns the upper
 * protocol, PARSE_FRAG for a non-first fragment, or PARSE_BAD if a header
 * is truncated or the chain is longer than PARSE_MAX_IP6_EXT.
 */
static __always_inline int parse_ip6_ext(struct hdr_cursor *nh, void *end,
					 __u32 room, int nexthdr)
{
	struct ip6_opt_hdr *oh;
	struct ip6_frag_hdr *fh;
	void *pos = nh->pos;
	__u32 used = 0, len;
	int i;

#pragma unroll
	for (i = 0; i < PARSE_MAX_IP6_EXT; i++) {
		switch (nexthdr) {
		case PROTO_HOPOPTS:
		case PROTO_ROUTING:
		case PROTO_DSTOPTS:
			oh = pos;
			if ((void *)(oh + 1) > end)
				return PARSE_BAD;
			len = (oh->hdrlen + 1) * 8;
			nexthdr = oh->nexthdr;
			break;
		case PROTO_FRAGMENT:
			fh = pos;
			if ((void *)(fh + 1) > end)
				return PARSE_BAD;
			if (fh->frag_off & bpf_htons(0xfff8))
				return PARSE_FRAG;
			len = sizeof(*fh);
			nexthdr = fh->nexthdr;
			break;
		default:
			nh->pos = pos;
			return nexthdr;
		}
		used += len;
		if (used > room || pos + len > end)
			return PARSE_BAD;
		pos += len;
	}
	return PARSE_BAD;
}

/*
 * TCP header with options.  Returns the header length (20..60); a data
 * offset below 5 or a header beyond `room` (the rest of the IP packet) or
 * the frame is PARSE_BAD.
 */
static __always_inline int parse_tcp(struct hdr_cursor *nh, void *end,
				     __u32 room, struct tcphdr **out)
{
	struct tcphdr *th = nh->pos;
	__u32 hlen;

	if ((void *)(th + 1) > end || room < sizeof(*th))
		return PARSE_BAD;
	hlen = th->doff * 4;
	if (hlen < sizeof(*th) || hlen > room)
		return PARSE_BAD;
	if (nh->pos + hlen > end)
		return PARSE_BAD;
	nh->pos += hlen;
	*out = th;
	return hlen;
}

#endif /* OSPREY_PARSE_BPF_H */
