// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Raw IPv4/IPv6 + TCP bytes -> struct pkt, with the same acceptance rules,
 * quirk bits and option walk as p0f 3.09b (its parse_packet() after the
 * link layer).  Every read is bounds-checked against the caller's length;
 * where p0f silently ignores a packet we return a distinct PKT_ERR_* so the
 * caller can count the reason.
 */
#include <string.h>

#include "packet.h"

#define IP4_HDR_MIN 20
#define IP6_HDR_LEN 40
#define TCP_HDR_MIN 20
/* p0f's first length gate uses the IPv4 minimum for every version */
#define MIN_TCP4_LEN (IP4_HDR_MIN + TCP_HDR_MIN)
#define MIN_TCP6_LEN (IP6_HDR_LEN + TCP_HDR_MIN)
/* p0f never looks at more than its snap length */
#define P0F_SNAPLEN 65535

#define IPPROTO_TCP_NUM 6
#define IP4_FLAG_MBZ 0x8000
#define IP4_FLAG_DF 0x4000
#define ECN_CE 0x01
#define ECN_ECT 0x02
#define TCP_NS_BIT 0x01

static inline u16 be16(const u8 *p)
{
	return (u16)((p[0] << 8) | p[1]);
}

static inline u32 be32(const u8 *p)
{
	return ((u32)p[0] << 24) | ((u32)p[1] << 16) | ((u32)p[2] << 8) | p[3];
}

/* Fills the IPv4 part; on success *ip_len is the IP header length and
 * *avail the bytes from the IP header to the end of the packet. */
static int parse_ip4(const u8 *d, u32 *avail, u32 *ip_len, struct pkt *pk,
		     u8 len0)
{
	u32 hlen = (d[0] & 0x0f) * 4;
	u16 frag = be16(d + 6);
	u32 tot = be16(d + 2);
	u32 len = *avail;

	if (len0)
		tot = len;

	/* a shorter claimed length wins (trailing link padding) */
	if (len > tot)
		len = tot;
	if (len < MIN_TCP4_LEN)
		return PKT_ERR_SHORT;
	if (hlen < IP4_HDR_MIN)
		return PKT_ERR_IP_HDR;
	if (tot > len)
		return PKT_ERR_SHORT;
	if (hlen + TCP_HDR_MIN > len)
		return PKT_ERR_IP_HDR;
	if (d[9] != IPPROTO_TCP_NUM)
		return PKT_ERR_NOT_TCP;
	if (frag & ~(IP4_FLAG_DF | IP4_FLAG_MBZ))
		return PKT_ERR_FRAGMENT;

	pk->ip_ver = IP_VER4;
	pk->ip_opt_len = hlen - IP4_HDR_MIN;
	memcpy(pk->src, d + 12, 4);
	memcpy(pk->dst, d + 16, 4);
	pk->tos = d[1] >> 2;
	pk->ttl = d[8];
	if (d[1] & (ECN_CE | ECN_ECT))
		pk->quirks |= QUIRK_ECN;
	if (frag & IP4_FLAG_MBZ)
		pk->quirks |= QUIRK_NZ_MBZ;
	if (frag & IP4_FLAG_DF) {
		pk->quirks |= QUIRK_DF;
		if (d[4] | d[5])
			pk->quirks |= QUIRK_NZ_ID;
	} else if (!(d[4] | d[5])) {
		pk->quirks |= QUIRK_ZERO_ID;
	}
	*ip_len = hlen;
	*avail = len;
	return PKT_OK;
}

static int parse_ip6(const u8 *d, u32 *avail, struct pkt *pk, u8 len0)
{
	u32 vt = be32(d);
	u32 tot = (u32)be16(d + 4) + IP6_HDR_LEN;
	u32 len = *avail;

	if (len0)
		tot = len;

	if (len > tot)
		len = tot;
	if (len < MIN_TCP6_LEN)
		return PKT_ERR_SHORT;
	if (tot > len)
		return PKT_ERR_SHORT;
	/* no extension header walk, as in p0f */
	if (d[6] != IPPROTO_TCP_NUM)
		return PKT_ERR_NOT_TCP;

	pk->ip_ver = IP_VER6;
	pk->ip_opt_len = 0;
	memcpy(pk->src, d + 8, 16);
	memcpy(pk->dst, d + 24, 16);
	pk->tos = (vt >> 22) & 0x3f;
	pk->ttl = d[7];
	if (vt & 0xfffff)
		pk->quirks |= QUIRK_FLOW;
	if ((vt >> 20) & (ECN_CE | ECN_ECT))
		pk->quirks |= QUIRK_ECN;
	*avail = len;
	return PKT_OK;
}

/*
 * EOL: the rest of the option space is padding.  Scan it the way p0f
 * does: it stops one byte past the first non-zero byte, so a non-zero
 * byte in the very last position goes unnoticed.  Kept for parity.
 */
static const u8 *eol_padding(const u8 *p, const u8 *end, struct pkt *pk)
{
	pk->opt_eol_pad = (u8)(end - p);
	while (p < end && !*p++)
		;
	if (p != end)
		pk->quirks |= QUIRK_OPT_EOL_NZ;
	return end;
}

/* A fixed-size option of len bytes (kind included) at p - 1: 0 if it
 * fits.  A wrong length byte is a quirk, not an error: p0f reads the
 * option at its fixed size anyway. */
static int fixed_opt(const u8 *p, const u8 *end, u8 len, struct pkt *pk)
{
	if (end - p < len - 1)
		return -1;
	if (p[0] != len)
		pk->quirks |= QUIRK_OPT_BAD;
	return 0;
}

/* A variable-size option whose length byte must be lo..hi: the bytes
 * past it, or NULL. */
static const u8 *skip_var_opt(const u8 *p, const u8 *end, u8 lo, u8 hi)
{
	u8 olen;

	if (p == end)
		return NULL;
	olen = p[0];
	if (olen < lo || olen > hi || olen - 1 > end - p)
		return NULL;
	return p + olen - 1;
}

/*
 * Walk the TCP options in [p, end).  Returns 0 when the walk consumed the
 * option space exactly, -1 when it stopped early (p0f then adds "bad").
 */
static int walk_options(const u8 *p, const u8 *end, struct pkt *pk)
{
	while (p && p < end && pk->opt_cnt < MAX_TCP_OPT) {
		u8 kind = *p++;

		pk->opt_layout[pk->opt_cnt++] = kind;
		switch (kind) {
		case TCPOPT_EOL:
			p = eol_padding(p, end, pk);
			break;
		case TCPOPT_NOP:
			break;
		case TCPOPT_MAXSEG:
			if (fixed_opt(p, end, 4, pk))
				return -1;
			pk->mss = be16(p + 1);
			p += 3;
			break;
		case TCPOPT_WSCALE:
			if (fixed_opt(p, end, 3, pk))
				return -1;
			pk->wscale = p[1];
			if (pk->wscale > 14)
				pk->quirks |= QUIRK_OPT_EXWS;
			p += 2;
			break;
		case TCPOPT_SACKOK:
			if (fixed_opt(p, end, 2, pk))
				return -1;
			p++;
			break;
		case TCPOPT_SACK:
			p = skip_var_opt(p, end, 10, 34);
			break;
		case TCPOPT_TSTAMP:
			if (fixed_opt(p, end, 10, pk))
				return -1;
			pk->ts1 = be32(p + 1);
			pk->ts2 = be32(p + 5);
			if (!pk->ts1)
				pk->quirks |= QUIRK_OPT_ZERO_TS1;
			if (pk->tcp_type == TCP_SYN && pk->ts2)
				pk->quirks |= QUIRK_OPT_NZ_TS2;
			p += 9;
			break;
		default:
			p = skip_var_opt(p, end, 2, 40);
			break;
		}
	}
	return p == end ? 0 : -1;
}

static int parse_tcp(const u8 *t, u32 len, struct pkt *pk)
{
	u32 doff = (t[12] >> 4) * 4;
	u8 flags = t[13];

	if (doff < TCP_HDR_MIN || doff > len)
		return PKT_ERR_TCP_HDR;

	pk->tot_hdr += doff;
	pk->sport = be16(t);
	pk->dport = be16(t + 2);
	pk->tcp_type = flags & (TCP_SYN | TCP_ACK | TCP_FIN | TCP_RST);
	if (((flags & TCP_SYN) && (flags & (TCP_FIN | TCP_RST))) ||
	    ((flags & TCP_FIN) && (flags & TCP_RST)) || !pk->tcp_type)
		return PKT_ERR_FLAGS;

	pk->win = be16(t + 14);
	pk->seq = be32(t + 4);

	if ((flags & (TCP_ECE | TCP_CWR)) || (t[12] & TCP_NS_BIT))
		pk->quirks |= QUIRK_ECN;
	if (!pk->seq)
		pk->quirks |= QUIRK_ZERO_SEQ;
	if (flags & TCP_ACK) {
		if (!be32(t + 8))
			pk->quirks |= QUIRK_ZERO_ACK;
	} else if (!(flags & TCP_RST) && (t[8] & 1)) {
		/*
		 * p0f writes this test as "ack & !(flags & RST)", a bitwise
		 * AND of the ACK field (read in host order from network bytes)
		 * with 0 or 1.  On the little-endian hosts p0f runs on, bit 0
		 * of that value is the low bit of the first ACK byte on the
		 * wire, so "ack+" only shows when that byte is odd.  We match
		 * that observable result so raw_sig and matching agree.
		 */
		pk->quirks |= QUIRK_NZ_ACK;
	}
	if (flags & TCP_URG)
		pk->quirks |= QUIRK_URG;
	else if (t[18] | t[19])
		pk->quirks |= QUIRK_NZ_URG;
	if (flags & TCP_PUSH)
		pk->quirks |= QUIRK_PUSH;

	if (doff < len) {
		pk->payload = t + doff;
		pk->pay_len = (u16)(len - doff);
	}

	if (walk_options(t + TCP_HDR_MIN, t + doff, pk))
		pk->quirks |= QUIRK_OPT_BAD;
	return PKT_OK;
}

static int parse(const u8 *data, size_t len, u64 ts_ms, struct pkt *pk, u8 len0)
{
	u32 avail, ip_len = IP6_HDR_LEN;
	int rc;

	memset(pk, 0, sizeof(*pk));
	pk->ts_ms = ts_ms;
	avail = len > P0F_SNAPLEN ? P0F_SNAPLEN : (u32)len;
	if (!data || avail < MIN_TCP4_LEN)
		return PKT_ERR_SHORT;

	switch (data[0] >> 4) {
	case IP_VER4:
		rc = parse_ip4(data, &avail, &ip_len, pk, len0);
		break;
	case IP_VER6:
		rc = parse_ip6(data, &avail, pk, len0);
		break;
	default:
		return PKT_ERR_VERSION;
	}
	if (rc)
		return rc;
	pk->tot_hdr = (u16)ip_len;
	return parse_tcp(data + ip_len, avail - ip_len, pk);
}

int pkt_parse(const u8 *data, size_t len, u64 ts_ms, struct pkt *pk)
{
	return parse(data, len, ts_ms, pk, 0);
}

int pkt_parse_len0(const u8 *data, size_t len, u64 ts_ms, struct pkt *pk)
{
	if (!data || len < MIN_TCP4_LEN)
		return PKT_ERR_SHORT;
	if (!((data[0] >> 4 == IP_VER4 && !(data[2] | data[3])) ||
	      (data[0] >> 4 == IP_VER6 && !(data[4] | data[5]))))
		return PKT_ERR_IP_HDR;
	return parse(data, len, ts_ms, pk, 1);
}

/*
 * Bob Jenkins' lookup3 final mix over the option-kind bytes, seeded with 0.
 * p0f seeds it randomly per run; only equality of hashes and their bucket
 * (hash % SIG_BUCKETS) matter, and within a bucket sigs keep file order, so
 * the matching outcome is the same for any seed.  Bytes are loaded in host
 * (little-endian) order as p0f does.
 */
static inline u32 rol32(u32 x, int r)
{
	return (x << r) | (x >> (32 - r));
}

static inline u32 ld_le(const u8 *k, u32 n)
{
	u32 v = 0, i;

	for (i = 0; i < n; i++)
		v |= (u32)k[i] << (8 * i);
	return v;
}

u32 tcp_opt_hash(const u8 *k, u8 cnt)
{
	u32 len = cnt, a, b, c;

	a = b = c = 0xdeadbeef + len;
	while (len > 12) {
		a += ld_le(k, 4);
		b += ld_le(k + 4, 4);
		c += ld_le(k + 8, 4);
		a -= c;
		a ^= rol32(c, 4);
		c += b;
		b -= a;
		b ^= rol32(a, 6);
		a += c;
		c -= b;
		c ^= rol32(b, 8);
		b += a;
		a -= c;
		a ^= rol32(c, 16);
		c += b;
		b -= a;
		b ^= rol32(a, 19);
		a += c;
		c -= b;
		c ^= rol32(b, 4);
		b += a;
		len -= 12;
		k += 12;
	}
	if (!len)
		return c;
	/* tail: p0f's 11/7/3-byte cases shift a 16-bit load left by 8 */
	if (len > 8) {
		c += (len == 11) ? ((ld_le(k + 8, 2) << 8) | k[10]) :
				   ld_le(k + 8, len - 8);
		b += ld_le(k + 4, 4);
		a += ld_le(k, 4);
	} else if (len > 4) {
		b += (len == 7) ? ((ld_le(k + 4, 2) << 8) | k[6]) :
				  ld_le(k + 4, len - 4);
		a += ld_le(k, 4);
	} else {
		a += (len == 3) ? ((ld_le(k, 2) << 8) | k[2]) : ld_le(k, len);
	}
	c ^= b;
	c -= rol32(b, 14);
	a ^= c;
	a -= rol32(c, 11);
	b ^= a;
	b -= rol32(a, 25);
	c ^= b;
	c -= rol32(b, 16);
	a ^= c;
	a -= rol32(c, 4);
	b ^= a;
	b -= rol32(a, 14);
	c ^= b;
	c -= rol32(b, 24);
	return c;
}
