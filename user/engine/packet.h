/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * packet.c: bytes from the IP header on -> struct pkt, exactly as p0f's
 * parse_packet() after the link layer.  Public: the capture tests compare
 * what the kernel hands over with the original frame through it.
 */
#ifndef OSPREY_PACKET_H
#define OSPREY_PACKET_H

#include "defs.h"

struct pkt {
	u8 ip_ver; /* IP_VER4 / IP_VER6 */
	u8 tcp_type; /* TCP flags & (SYN|ACK|FIN|RST): drives dispatch */
	u8 src[16]; /* left-aligned */
	u8 dst[16];
	u16 sport, dport;
	u8 ttl;
	u8 tos; /* tos >> 2 (DSCP), as p0f keeps it */
	u16 mss;
	u16 win;
	u8 wscale;
	u16 tot_hdr; /* IP header + TCP header length */
	u8 opt_layout[MAX_TCP_OPT];
	u8 opt_cnt;
	u8 opt_eol_pad;
	u32 ts1;
	u32 ts2; /* peer timestamp (for tests) */
	u32 quirks;
	u8 ip_opt_len;
	const u8 *payload; /* points into the caller's buffer */
	u16 pay_len;
	u32 seq;
	u64 ts_ms; /* receive time, unix milliseconds */
};

/* Why engine_feed() skipped a packet (counted in struct engine_stats) */
enum pkt_err {
	PKT_OK = 0,
	PKT_ERR_SHORT, /* truncated IP or TCP header */
	PKT_ERR_VERSION, /* not IPv4 / IPv6 */
	PKT_ERR_NOT_TCP, /* not TCP (incl. v6 extension headers) */
	PKT_ERR_FRAGMENT, /* fragment */
	PKT_ERR_IP_HDR, /* bogus IHL / total length */
	PKT_ERR_TCP_HDR, /* bogus data offset */
	PKT_ERR_FLAGS, /* nonsense flags (none, SYN+FIN, FIN+RST...) */
	PKT_ERR_MAX,
};

/*
 * Parse len bytes starting at the IP header (p0f uses the captured
 * length) received at ts_ms into *pk.  Returns PKT_OK or the PKT_ERR_*
 * it was refused for; never reads past len.
 */
int pkt_parse(const u8 *data, size_t len, u64 ts_ms, struct pkt *pk);

/*
 * The same for a frame whose IP length field is 0 (IPv4 total length,
 * IPv6 payload length), which pkt_parse() refuses as p0f does: a capture
 * taken before segmentation offload, where the NIC fills the length in.
 * The captured length is taken as the packet's.  PKT_ERR_IP_HDR when the
 * field is not 0.  For osprey's own modules only (TLS), never p0f's.
 */
int pkt_parse_len0(const u8 *data, size_t len, u64 ts_ms, struct pkt *pk);

/* p0f's hash32 over the option layout (used for bucketing). */
u32 tcp_opt_hash(const u8 *layout, u8 cnt);

#endif /* OSPREY_PACKET_H */
