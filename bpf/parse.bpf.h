/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Header-cursor parsing helpers for XDP (direct packet access).
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

/* VLAN tags parsed at most (802.1ad outer + 802.1Q inner). */
#define PARSE_MAX_VLANS 2
/* IPv6 extension headers skipped at most before giving up. */
#define PARSE_MAX_IP6_EXT 4

struct hdr_cursor {
	void *pos;
};

struct l2_tags {
	__u16 id[PARSE_MAX_VLANS]; /* VLAN ids, outer first */
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
 * Ethernet header and up to PARSE_MAX_VLANS tags.  Returns the EtherType
 * (host order) that follows them; a frame with more tags returns the VLAN
 * EtherType, which callers treat as "not IP".
 */
static __always_inline int parse_eth(struct hdr_cursor *nh, void *end,
				     struct l2_tags *tags)
{
	struct ethhdr *eth = nh->pos;
	struct vlan_tag *vt;
	void *pos;
	__be16 proto;
	int i;

	if ((void *)(eth + 1) > end)
		return PARSE_BAD;
	pos = eth + 1;
	proto = eth->h_proto;
#pragma unroll
	for (i = 0; i < PARSE_MAX_VLANS; i++) {
		if (!proto_is_vlan(proto))
			break;
		vt = pos;
		if ((void *)(vt + 1) > end)
			return PARSE_BAD;
		tags->id[i] = bpf_ntohs(vt->tci) & 0x0fff;
		tags->n = i + 1;
		proto = vt->proto;
		pos = vt + 1;
	}
	nh->pos = pos;
	return bpf_ntohs(proto);
}

/*
 * IPv4 header with options.  Returns the protocol; *tot gets the total
 * length, which must cover the header and fit in `room`.  IHL < 5, a
 * header running past the frame or a total length beyond the frame are
 * PARSE_BAD.  Fragments are the caller's business (see frag_off).
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
	if (len < hlen || len > room)
		return PARSE_BAD;
	nh->pos += hlen;
	*out = iph;
	*tot = len;
	return iph->protocol;
}

/*
 * IPv6 fixed header.  Returns the next header; *tot gets 40 + payload
 * length, which must fit in `room` (jumbograms are not supported).
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
	if (len > room)
		return PARSE_BAD;
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
