/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one frame builder of the test tiers: a declarative spec (struct
 * fx_spec) becomes an Ethernet frame, optionally VLAN-tagged, carrying
 * IPv4 or IPv6 (with options / extension headers) and TCP (with options
 * and payload), or a literal captured frame.  Plain C and libc only, so
 * the unit tier (which feeds the engine the bytes from the IP header on:
 * fx_ip()) and the BPF tier (which runs the whole frame through the XDP
 * program) build their packets the same way.
 *
 * Defaults, so that a spec names only what a test is about: TTL 64,
 * window 64240, IPv4 DF set (frag 0; nofrag_df clears it), TCP, addresses
 * 10.0.0.1 -> 10.0.0.2 or 2001:db8::1 -> 2001:db8::2.  Flags, ports and
 * sequence numbers are taken as given (0 is 0).  Checksums are left zero
 * (neither the XDP program nor p0f reads them) unless csum is set.
 */
#ifndef OSPREY_TEST_FRAMES_H
#define OSPREY_TEST_FRAMES_H

#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Room for a 64 KiB+ GSO / BIG TCP frame and deep VLAN stacks. */
#define FX_MAX_FRAME 72000
#define FX_MAX_VLANS 40

/* TCP flags */
#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PSH 0x08
#define TH_ACK 0x10
#define TH_URG 0x20
#define TH_ECE 0x40
#define TH_CWR 0x80

/* TCP option layouts of real stacks (raw bytes, padded to 4 by the
 * builder). */
/* Linux 3.x+: MSS 1460, SACK_PERM, TS, NOP, WS 7 */
#define OPT_LINUX \
	"\x02\x04\x05\xb4\x04\x02\x08\x0a\x00\x0f\x42\x40\x00\x00\x00\x00\x01\x03\x03\x07"
/* Windows 7-10: MSS 1460, NOP, WS 8, NOP, NOP, SACK_PERM */
#define OPT_WIN "\x02\x04\x05\xb4\x01\x03\x03\x08\x01\x01\x04\x02"
/* macOS: MSS, NOP, WS 6, NOP, NOP, TS, SACK_PERM, EOL, EOL */
#define OPT_MAC \
	"\x02\x04\x05\xb4\x01\x03\x03\x06\x01\x01\x08\x0a\x2a\x3b\x4c\x5d\x00\x00\x00\x00\x04\x02\x00\x00"
/* SYN+ACK from Linux: MSS 1460, SACK_PERM, TS (both set), NOP, WS 7 */
#define OPT_LINUX_SA \
	"\x02\x04\x05\xb4\x04\x02\x08\x0a\x00\x00\x10\x00\x00\x0f\x42\x40\x01\x03\x03\x07"
/* MSS only (old stacks, scanners) */
#define OPT_MSS "\x02\x04\x05\x78"
/* 40 bytes: the longest option space (doff 15) */
#define OPT_MAX \
	"\x02\x04\x05\xb4\x01\x03\x03\x08\x04\x02\x08\x0a\x00\x00\x00\x01\x00\x00\x00\x00\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x00"
/* MSS whose length byte claims 9: runs past the option space */
#define OPT_BAD_LEN "\x02\x09\x05\xb4"
/* EOL followed by non-zero bytes */
#define OPT_EOL_NZ "\x02\x04\x05\xb4\x00\x01\x01\x01"
/* Timestamp data on a flow packet (uptime) */
#define OPT_TS_ACK "\x01\x01\x08\x0a\x00\x0f\x42\x90\x00\x00\x10\x20"

/* IPv4 options: NOP x3 + EOL; Router Alert (RFC 2113); Record Route */
#define IPOPT_NOPS "\x01\x01\x01\x00"
#define IPOPT_RA "\x94\x04\x00\x00"
#define IPOPT_RR "\x07\x0b\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00"
/* Record Route for 3 and 4 addresses, then EOL: 16 and 20 bytes */
#define IPOPT_RR16 \
	"\x07\x0f\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
#define IPOPT_RR20                                                         \
	"\x07\x13\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" \
	"\x00\x00\x00\x00"

/*
 * Literal frames: `tcpdump -i lo -xx` on this project's build machine
 * (Linux 6.18) while `bash -c 'echo > /dev/tcp/127.0.0.1/40406'` (then
 * ::1) ran.  Loopback frames carry an all-zero Ethernet header.
 *   IP 127.0.0.1.59966 > 127.0.0.1.40406: Flags [S], seq 236528986,
 *   win 65495, options [mss 65495,sackOK,TS val 1088592279 ecr 0,nop,
 *   wscale 10]
 */
#define RAW_LINUX_SYN4                                                     \
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x08\x00\x45\x00" \
	"\x00\x3c\x4c\xb3\x40\x00\x40\x06\xf0\x06\x7f\x00\x00\x01\x7f\x00" \
	"\x00\x01\xea\x3e\x9d\xd6\x0e\x19\x25\x5a\x00\x00\x00\x00\xa0\x02" \
	"\xff\xd7\xfe\x30\x00\x00\x02\x04\xff\xd7\x04\x02\x08\x0a\x40\xe2" \
	"\x99\x97\x00\x00\x00\x00\x01\x03\x03\x0a"
/*   IP6 ::1.41884 > ::1.40406: Flags [S], seq 2019665877, win 65476,
 *   options [mss 65476,sackOK,TS val 2688375581 ecr 0,nop,wscale 10] */
#define RAW_LINUX_SYN6                                                     \
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x86\xdd\x60\x00" \
	"\x8f\x71\x00\x28\x06\x40\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" \
	"\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" \
	"\x00\x00\x00\x00\x00\x01\xa3\x9c\x9d\xd6\x78\x61\xa7\xd5\x00\x00" \
	"\x00\x00\xa0\x02\xff\xc4\x00\x30\x00\x00\x02\x04\xff\xc4\x04\x02" \
	"\x08\x0a\xa0\x3d\x5b\x1d\x00\x00\x00\x00\x01\x03\x03\x0a"

/* Spec initialisers for byte-string literals */
#define OPT(s) .opt = (const uint8_t *)(s), .opt_len = sizeof(s) - 1
#define IPOPT(s) .ipopt = (const uint8_t *)(s), .ipopt_len = sizeof(s) - 1
#define PAY(s) .pay = (const uint8_t *)(s), .pay_len = sizeof(s) - 1
#define RAW(s) .raw = (const uint8_t *)(s), .raw_len = sizeof(s) - 1
#define PATCH(o, v)                              \
	{                                        \
		.off = (o), .val = (v), .set = 1 \
	}

/* One byte overwritten after the frame is built (bogus headers). */
struct fx_patch {
	uint16_t off; /* from the IP header */
	uint8_t val;
	uint8_t set;
};

struct fx_spec {
	uint8_t ip_ver; /* 4 or 6; 0: ethertype only (non-IP) */
	uint16_t ethertype; /* non-IP frames */
	uint8_t n_vlans;
	/* tag ids (0: 100 + index); the outer of two or more is 802.1ad */
	uint16_t vlan[FX_MAX_VLANS];
	uint8_t proto; /* 0 = TCP */
	const char *src, *dst; /* NULL: 10.0.0.1 / 10.0.0.2 or 2001:db8::1/2 */
	uint8_t ttl; /* 0 = 64 */
	uint8_t tos; /* IPv4 TOS / IPv6 traffic class */
	uint32_t flow; /* IPv6 flow label */
	uint16_t ip_id;
	uint16_t frag; /* IPv4 flags + fragment offset (host order); 0 = DF */
	uint8_t nofrag_df; /* with frag 0: no flag at all */
	const uint8_t *ipopt;
	uint8_t ipopt_len;
	uint8_t v6_ext; /* dest-options headers before TCP */
	uint8_t v6_frag; /* add a fragment header */
	uint16_t v6_frag_off; /* its offset field (<< 3 | M) */
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags; /* TH_* */
	uint8_t tcp_rsv; /* low nibble of TCP byte 12 (bit 0: NS) */
	uint8_t doff; /* data offset in words; 0 = from the options */
	uint16_t win; /* 0 = 64240 */
	uint16_t urg; /* urgent pointer */
	const uint8_t *opt;
	uint8_t opt_len;
	const uint8_t *pay; /* payload bytes; NULL: a fixed pattern */
	uint32_t pay_len;
	uint8_t pay_seed; /* XORed into the pattern */
	uint8_t csum; /* fill in the IPv4 header and TCP checksums */
	const uint8_t *raw; /* literal frame (Ethernet, untagged) */
	uint16_t raw_len;
	uint16_t cut; /* non-zero: frame cut to this many bytes */
	uint16_t pad; /* Ethernet padding after the IP packet */
	struct fx_patch patch[3];
};

/* What the builder laid out. */
struct fx_frame {
	uint8_t b[FX_MAX_FRAME];
	uint32_t len; /* frame bytes */
	uint32_t l3_off;
	uint32_t ip_len; /* IP total length as built */
	uint32_t l4_off; /* from the IP header */
	uint32_t thl;
};

static inline void fx_put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static inline void fx_put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static inline void fx_addr(int ver, const char *s, const char *def,
			   uint8_t *out)
{
	inet_pton(ver == 4 ? AF_INET : AF_INET6, s ? s : def, out);
}

/* The 16-bit ones' complement sum (RFC 1071) of n bytes, added to sum. */
static inline uint32_t fx_sum(uint32_t sum, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

static inline uint16_t fx_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The IPv4 header checksum and the TCP checksum over its pseudo-header. */
static inline void fx_checksums(uint8_t *ip, uint32_t iphl, uint32_t l4len,
				int v6)
{
	uint8_t *t = ip + iphl;
	uint32_t sum;

	if (!v6) {
		fx_put16(ip + 10, 0);
		fx_put16(ip + 10, fx_fold(fx_sum(0, ip, iphl)));
		sum = fx_sum(0, ip + 12, 8);
	} else {
		sum = fx_sum(0, ip + 8, 32);
	}
	sum += 6 + l4len; /* protocol, TCP length */
	fx_put16(t + 16, 0);
	fx_put16(t + 16, fx_fold(fx_sum(sum, t, l4len)));
}

static inline uint32_t fx_tcp(const struct fx_spec *s, uint8_t *t)
{
	uint32_t olen = (s->opt_len + 3) & ~3u, thl = 20 + olen, i;

	fx_put16(t, s->sport);
	fx_put16(t + 2, s->dport);
	fx_put32(t + 4, s->seq);
	fx_put32(t + 8, s->ack);
	t[12] = (uint8_t)(((s->doff ? s->doff : thl / 4) << 4) |
			  (s->tcp_rsv & 0x0f));
	t[13] = s->flags;
	fx_put16(t + 14, s->win ? s->win : 64240);
	fx_put16(t + 18, s->urg);
	memset(t + 20, 0, olen);
	if (s->opt_len)
		memcpy(t + 20, s->opt, s->opt_len);
	if (s->pay)
		memcpy(t + thl, s->pay, s->pay_len);
	else
		for (i = 0; i < s->pay_len; i++)
			t[thl + i] =
				"GET / HTTP/1.1\r\nHost: osprey\r\n"[i % 30] ^
				s->pay_seed;
	return thl;
}

/* A captured frame: find the offsets in its own headers. */
static inline uint32_t fx_raw(const struct fx_spec *s, struct fx_frame *f)
{
	uint8_t *ip = f->b + 14;

	memcpy(f->b, s->raw, s->raw_len);
	f->len = s->raw_len;
	f->l3_off = 14;
	f->l4_off = s->ip_ver == 4 ? (ip[0] & 15) * 4 : 40;
	f->ip_len = s->ip_ver == 4 ? (ip[2] << 8 | ip[3]) :
				     (ip[4] << 8 | ip[5]) + 40;
	f->thl = (ip[f->l4_off + 12] >> 4) * 4;
	return f->len;
}

/* VLAN id of tag i: the spec's, or 100 + i when the spec leaves it 0. */
static inline uint16_t fx_vlan_id(const struct fx_spec *s, uint32_t i)
{
	return s->vlan[i] ? s->vlan[i] : 100 + i;
}

/* Ethernet header and VLAN tags; returns the ethertype's offset. */
static inline uint32_t fx_link(const struct fx_spec *s, uint8_t *p)
{
	uint32_t off = 12, i;

	memcpy(p, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
	for (i = 0; i < s->n_vlans && i < FX_MAX_VLANS; i++) {
		fx_put16(p + off,
			 (s->n_vlans >= 2 && i == 0) ? 0x88a8 : 0x8100);
		fx_put16(p + off + 2, fx_vlan_id(s, i));
		off += 4;
	}
	return off;
}

/* IPv4 header with options; returns its length. */
static inline uint32_t fx_ip4(const struct fx_spec *s, uint8_t *ip)
{
	uint32_t iphl = 20 + ((s->ipopt_len + 3) & ~3u);

	ip[0] = 0x40 | (iphl / 4);
	ip[1] = s->tos;
	fx_put16(ip + 4, s->ip_id);
	fx_put16(ip + 6, s->frag ? s->frag : (s->nofrag_df ? 0 : 0x4000));
	ip[8] = s->ttl ? s->ttl : 64;
	ip[9] = s->proto ? s->proto : 6;
	fx_addr(4, s->src, "10.0.0.1", ip + 12);
	fx_addr(4, s->dst, "10.0.0.2", ip + 16);
	if (s->ipopt_len)
		memcpy(ip + 20, s->ipopt, s->ipopt_len);
	return iphl;
}

/* IPv6 header and extension headers; returns their length. */
static inline uint32_t fx_ip6(const struct fx_spec *s, uint8_t *ip)
{
	uint8_t upper = s->proto ? s->proto : 6;
	uint32_t ext = 0, i;

	fx_put32(ip, 6u << 28 | (uint32_t)s->tos << 20 | (s->flow & 0xfffff));
	ip[7] = s->ttl ? s->ttl : 64;
	fx_addr(6, s->src, "2001:db8::1", ip + 8);
	fx_addr(6, s->dst, "2001:db8::2", ip + 24);
	/* next-header chain: ext headers, then the upper protocol */
	ip[6] = s->v6_frag ? 44 : s->v6_ext ? 60 : upper;
	for (i = 0; i < (uint32_t)(s->v6_frag + s->v6_ext); i++) {
		uint8_t *h = ip + 40 + ext;
		int last = i + 1 == (uint32_t)(s->v6_frag + s->v6_ext);

		h[0] = last ? upper : 60;
		if (i == 0 && s->v6_frag) {
			fx_put16(h + 2, s->v6_frag_off);
			fx_put32(h + 4, 0x1234);
		} else {
			h[2] = 1; /* PadN, 4 bytes */
			h[3] = 4;
		}
		ext += 8;
	}
	return 40 + ext;
}

/* Build s into f; returns f->len. */
static inline uint32_t fx_build(const struct fx_spec *s, struct fx_frame *f)
{
	uint32_t off, iphl, l4len, i;
	uint8_t *ip;

	memset(f, 0, sizeof(*f));
	if (s->raw)
		return fx_raw(s, f);
	off = fx_link(s, f->b);
	if (!s->ip_ver) {
		fx_put16(f->b + off, s->ethertype);
		memset(f->b + off + 2, 0xab, 46);
		f->l3_off = off + 2;
		f->len = off + 2 + 46;
		return f->len;
	}
	fx_put16(f->b + off, s->ip_ver == 4 ? 0x0800 : 0x86dd);
	f->l3_off = off + 2;
	ip = f->b + f->l3_off;
	iphl = s->ip_ver == 4 ? fx_ip4(s, ip) : fx_ip6(s, ip);
	if (!s->proto || s->proto == 6) {
		f->thl = fx_tcp(s, ip + iphl);
		l4len = f->thl + s->pay_len;
	} else {
		memset(ip + iphl, 0x5a, 8 + s->pay_len);
		l4len = 8 + s->pay_len;
	}
	f->l4_off = iphl;
	f->ip_len = iphl + l4len;
	/* past 64 KiB the length field says 0, as BIG TCP's GSO/GRO do */
	if (s->ip_ver == 4)
		fx_put16(ip + 2, f->ip_len > 0xffff ? 0 : f->ip_len);
	else
		fx_put16(ip + 4, f->ip_len - 40 > 0xffff ? 0 : f->ip_len - 40);
	if (s->csum && (!s->proto || s->proto == 6))
		fx_checksums(ip, iphl, l4len, s->ip_ver == 6);
	for (i = 0; i < 3; i++)
		if (s->patch[i].set)
			ip[s->patch[i].off] = s->patch[i].val;
	f->len = f->l3_off + f->ip_len + s->pad;
	if (s->cut && s->cut < f->len)
		f->len = s->cut;
	return f->len;
}

/* The frame from its IP header on (what the engine is fed); *len bytes. */
static inline uint8_t *fx_ip(struct fx_frame *f, size_t *len)
{
	*len = f->len > f->l3_off ? f->len - f->l3_off : 0;
	return f->b + f->l3_off;
}

#endif /* OSPREY_TEST_FRAMES_H */
