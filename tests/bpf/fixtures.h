/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Packet fixtures for the capture program's BPF_PROG_TEST_RUN tests: a
 * small frame builder driven by a declarative spec (each fixture row also
 * carries the scapy line that makes the same packet), plus the TCP option
 * layouts of real stacks.  Checksums are left zero: neither the XDP
 * program nor p0f looks at them.
 */
#ifndef OSPREY_TEST_FIXTURES_H
#define OSPREY_TEST_FIXTURES_H

#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

/* Room for a BIG TCP frame (IP length > 64 KiB), run as multi-buffer XDP. */
#define FX_MAX_FRAME 72000
#define FX_MAX_VLANS 40

/* TCP option layouts (raw bytes, padded to 4 by the builder). */
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

#define OPT(s) .opt = (const uint8_t *)(s), .opt_len = sizeof(s) - 1
#define RAW(s) .raw = (const uint8_t *)(s), .raw_len = sizeof(s) - 1

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

/* IPv4 options: NOP x3 + EOL; Router Alert (RFC 2113) */
#define IPOPT_NOPS "\x01\x01\x01\x00"
#define IPOPT_RA "\x94\x04\x00\x00"
#define IPOPT_RR "\x07\x0b\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00"
#define IPOPT(s) .ipopt = (const uint8_t *)(s), .ipopt_len = sizeof(s) - 1

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PSH 0x08
#define TH_ACK 0x10

struct fx_patch {
	uint16_t off; /* from the IP header */
	uint8_t val;
	uint8_t set;
};

struct fx_spec {
	uint8_t ip_ver; /* 4 or 6; 0: ethertype only (non-IP) */
	uint16_t ethertype; /* non-IP frames */
	uint8_t n_vlans;
	uint16_t vlan[FX_MAX_VLANS]; /* ids; unset ones are 100 + index */
	uint8_t proto; /* 0 = TCP */
	const char *src, *dst; /* NULL: 10.0.0.1 / 10.0.0.2 or 2001:db8::1/2 */
	uint8_t ttl; /* 0 = 64 */
	uint16_t ip_id;
	uint16_t frag; /* IPv4 frag_off (host order); 0 = DF */
	uint8_t nofrag_df; /* clear DF */
	const uint8_t *ipopt;
	uint8_t ipopt_len;
	uint8_t v6_ext; /* dest-options headers before TCP */
	uint8_t v6_frag; /* add a fragment header */
	uint16_t v6_frag_off; /* its offset field (<< 3 | M) */
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
	const uint8_t *opt;
	uint8_t opt_len;
	uint32_t pay_len;
	uint8_t pay_seed;
	const uint8_t *raw; /* literal frame (Ethernet, untagged) */
	uint16_t raw_len;
	uint16_t cut; /* non-zero: frame cut to this many bytes */
	uint16_t pad; /* Ethernet padding after the IP packet */
	struct fx_patch patch[3];
};

/* Offsets of what the builder laid out. */
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

static inline uint32_t fx_tcp(const struct fx_spec *s, uint8_t *t)
{
	uint32_t olen = (s->opt_len + 3) & ~3u, thl = 20 + olen, i;

	fx_put16(t, s->sport);
	fx_put16(t + 2, s->dport);
	fx_put32(t + 4, s->seq);
	fx_put32(t + 8, s->ack);
	t[12] = (thl / 4) << 4;
	t[13] = s->flags;
	fx_put16(t + 14, s->win ? s->win : 64240);
	memset(t + 20, 0, olen);
	if (s->opt_len)
		memcpy(t + 20, s->opt, s->opt_len);
	for (i = 0; i < s->pay_len; i++)
		t[thl + i] = "GET / HTTP/1.1\r\nHost: osprey\r\n"[i % 30] ^
			     s->pay_seed;
	return thl;
}

/* VLAN id of tag i: the spec's, or 100 + i when the spec leaves it 0. */
static inline uint16_t fx_vlan_id(const struct fx_spec *s, uint32_t i)
{
	return s->vlan[i] ? s->vlan[i] : 100 + i;
}

/* Build s into f; returns f->len. */
static inline uint32_t fx_build(const struct fx_spec *s, struct fx_frame *f)
{
	uint8_t *p = f->b, *ip;
	uint32_t off = 12, i, iphl, ext = 0, l4len;
	uint16_t tpid;

	memset(f, 0, sizeof(*f));
	if (s->raw) {
		/* a captured frame: find the offsets in its own headers */
		memcpy(p, s->raw, s->raw_len);
		f->len = s->raw_len;
		f->l3_off = 14;
		ip = p + 14;
		f->l4_off = s->ip_ver == 4 ? (ip[0] & 15) * 4 : 40;
		f->ip_len = s->ip_ver == 4 ? (ip[2] << 8 | ip[3]) :
					     (ip[4] << 8 | ip[5]) + 40;
		f->thl = (ip[f->l4_off + 12] >> 4) * 4;
		return f->len;
	}
	memcpy(p, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
	for (i = 0; i < s->n_vlans && i < FX_MAX_VLANS; i++) {
		tpid = (s->n_vlans >= 2 && i == 0) ? 0x88a8 : 0x8100;
		fx_put16(p + off, tpid);
		fx_put16(p + off + 2, fx_vlan_id(s, i));
		off += 4;
	}
	if (!s->ip_ver) {
		fx_put16(p + off, s->ethertype);
		memset(p + off + 2, 0xab, 46);
		f->l3_off = off + 2;
		f->len = off + 2 + 46;
		return f->len;
	}
	fx_put16(p + off, s->ip_ver == 4 ? 0x0800 : 0x86dd);
	f->l3_off = off + 2;
	ip = p + f->l3_off;
	if (s->ip_ver == 4) {
		iphl = 20 + ((s->ipopt_len + 3) & ~3u);
		ip[0] = 0x40 | (iphl / 4);
		ip[6] = 0;
		fx_put16(ip + 4, s->ip_id);
		fx_put16(ip + 6,
			 s->frag ? s->frag : (s->nofrag_df ? 0 : 0x4000));
		ip[8] = s->ttl ? s->ttl : 64;
		ip[9] = s->proto ? s->proto : 6;
		fx_addr(4, s->src, "10.0.0.1", ip + 12);
		fx_addr(4, s->dst, "10.0.0.2", ip + 16);
		if (s->ipopt_len)
			memcpy(ip + 20, s->ipopt, s->ipopt_len);
	} else {
		iphl = 40;
		ip[0] = 0x60;
		ip[8] = 0;
		ip[7] = s->ttl ? s->ttl : 64;
		fx_addr(6, s->src, "2001:db8::1", ip + 8);
		fx_addr(6, s->dst, "2001:db8::2", ip + 24);
		/* next-header chain: ext headers, then the upper protocol */
		ip[6] = s->v6_frag ? 44 :
			s->v6_ext  ? 60 :
				     (s->proto ? s->proto : 6);
		for (i = 0; i < s->v6_frag + s->v6_ext; i++) {
			uint8_t *h = ip + 40 + ext;
			int last = i + 1 == s->v6_frag + s->v6_ext;

			h[0] = last ? (s->proto ? s->proto : 6) : 60;
			if (i == 0 && s->v6_frag) {
				fx_put16(h + 2, s->v6_frag_off);
				fx_put32(h + 4, 0x1234);
			} else {
				h[1] = 0;
				h[2] = 1; /* PadN, 4 bytes */
				h[3] = 4;
			}
			ext += 8;
		}
		iphl += ext;
	}
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
	for (i = 0; i < 3; i++)
		if (s->patch[i].set)
			ip[s->patch[i].off] = s->patch[i].val;
	f->len = f->l3_off + f->ip_len + s->pad;
	if (s->cut && s->cut < f->len)
		f->len = s->cut;
	return f->len;
}

#define PATCH(o, v)                              \
	{                                        \
		.off = (o), .val = (v), .set = 1 \
	}

#ifndef FX_NO_ROWS
/* ------------------------------------------------------------------ */
/* Fixture rows                                                       */
/* ------------------------------------------------------------------ */

#include "bpf/osprey_abi.h"

struct ctr_delta {
	uint8_t ctr;
	int32_t d;
};

struct row {
	const char *name;
	const char *made; /* scapy line for the same packet */
	struct fx_spec p;
	uint8_t egress; /* run through the tc egress program, not XDP */
	uint16_t gso_segs, gso_size; /* egress: the skb's GSO fields */
	uint8_t drop; /* expect XDP_DROP */
	uint8_t n_ev; /* events expected */
	uint8_t reason, evf; /* enum osprey_sel, OSPREY_EVF_* (EGRESS
			      * implied by .egress) */
	uint16_t cap; /* cap_len expected */
	struct ctr_delta ctr[6]; /* besides packets +1 (and egress_packets
				  * +1 for egress); all others 0 */
};

#define C(c, n)                   \
	{                         \
		OSPREY_CTR_##c, n \
	}
#define SYNROW C(TCP, 1), C(SYN, 1), C(FLOW_NEW, 1)
#define SAROW C(TCP, 1), C(SYNACK, 1), C(FLOW_NEW, 1)
#define EV_SYN(c)                                                         \
	.n_ev = 1, .reason = OSPREY_SEL_SYN, .evf = OSPREY_EVF_TO_SERVER, \
	.cap = (c)
#define EV_SA(c) .n_ev = 1, .reason = OSPREY_SEL_SYNACK, .cap = (c)
#define EV_FL(c, f) .n_ev = 1, .reason = OSPREY_SEL_FLOW, .evf = (f), .cap = (c)
#define TOS OSPREY_EVF_TO_SERVER
#define CUT OSPREY_EVF_PAYLOAD_CUT
#define END OSPREY_EVF_FLOW_END
#define V4 .ip_ver = 4
#define V6 .ip_ver = 6
#define SYN_80 .sport = 40000, .dport = 80, .seq = 1000, .flags = TH_SYN

static const struct row single_rows[] = {
	{ "v4-syn-captured-linux-6.18-loopback",
	  "tcpdump -xx (see RAW_LINUX_SYN4)",
	  { V4, RAW(RAW_LINUX_SYN4) },
	  EV_SYN(60),
	  .ctr = { SYNROW } },
	{ "v6-syn-captured-linux-6.18-loopback",
	  "tcpdump -xx (see RAW_LINUX_SYN6)",
	  { V6, RAW(RAW_LINUX_SYN6) },
	  EV_SYN(80),
	  .ctr = { SYNROW } },
	{ "v4-syn-linux-options",
	  "Ether()/IP()/TCP(dport=80,flags='S',options=[('MSS',1460),"
	  "('SAckOK',b''),('Timestamp',(1000000,0)),('NOP',None),('WScale',7)])",
	  { V4, SYN_80, OPT(OPT_LINUX) },
	  EV_SYN(60),
	  .ctr = { SYNROW } },
	{ "v4-syn-windows-options",
	  "...TCP(flags='S',options=[('MSS',1460),('NOP',None),('WScale',8),"
	  "('NOP',None),('NOP',None),('SAckOK',b'')])",
	  { V4, SYN_80, OPT(OPT_WIN), .ttl = 128 },
	  EV_SYN(52),
	  .ctr = { SYNROW } },
	{ "v4-syn-macos-options",
	  "...TCP(flags='S',options=[MSS,NOP,WScale(6),NOP,NOP,Timestamp,"
	  "SAckOK,EOL,EOL])",
	  { V4, SYN_80, OPT(OPT_MAC), .win = 65535 },
	  EV_SYN(64),
	  .ctr = { SYNROW } },
	{ "v4-syn-no-options",
	  "...TCP(flags='S',options=[])",
	  { V4, SYN_80, .win = 1024 },
	  EV_SYN(40),
	  .ctr = { SYNROW } },
	{ "v4-syn-mss-only",
	  "...TCP(flags='S',options=[('MSS',1400)])",
	  { V4, SYN_80, OPT(OPT_MSS) },
	  EV_SYN(44),
	  .ctr = { SYNROW } },
	{ "v4-syn-40-option-bytes",
	  "...TCP(flags='S',dataofs=15,options=[...40 bytes])",
	  { V4, SYN_80, OPT(OPT_MAX) },
	  EV_SYN(80),
	  .ctr = { SYNROW } },
	{ "v4-syn-bogus-option-length",
	  "...TCP(flags='S',options=b'\\x02\\x09\\x05\\xb4')",
	  { V4, SYN_80, OPT(OPT_BAD_LEN) },
	  EV_SYN(44),
	  .ctr = { SYNROW } },
	{ "v4-syn-eol-then-garbage",
	  "...TCP(flags='S',options=b'\\x02\\x04\\x05\\xb4\\x00\\x01\\x01\\x01')",
	  { V4, SYN_80, OPT(OPT_EOL_NZ) },
	  EV_SYN(48),
	  .ctr = { SYNROW } },
	{ "v4-synack-linux",
	  "Ether()/IP(src='10.0.0.2',dst='10.0.0.1')/TCP(sport=80,dport=40000,"
	  "flags='SA',seq=5000,ack=1001,options=[MSS,SAckOK,Timestamp,NOP,WScale])",
	  { V4, .src = "10.0.0.2", .dst = "10.0.0.1", .sport = 80,
	    .dport = 40000, .seq = 5000, .ack = 1001, .flags = TH_SYN | TH_ACK,
	    OPT(OPT_LINUX_SA) },
	  EV_SA(60),
	  .ctr = { SAROW } },
	{ "v4-syn-ip-options-nops",
	  "IP(options=b'\\x01\\x01\\x01\\x00')/TCP(flags='S')",
	  { V4, SYN_80, IPOPT(IPOPT_NOPS), OPT(OPT_LINUX) },
	  EV_SYN(64),
	  .ctr = { SYNROW } },
	{ "v4-syn-router-alert",
	  "IP(options=IPOption_Router_Alert())/TCP(flags='S')",
	  { V4, SYN_80, IPOPT(IPOPT_RA), OPT(OPT_LINUX) },
	  EV_SYN(64),
	  .ctr = { SYNROW } },
	{ "v4-syn-record-route",
	  "IP(options=IPOption_RR(length=11))/TCP(flags='S')",
	  { V4, SYN_80, IPOPT(IPOPT_RR), OPT(OPT_LINUX) },
	  EV_SYN(72),
	  .ctr = { SYNROW } },
	{ "v4-syn-tfo-100-payload",
	  "...TCP(flags='S',options=[...])/Raw(100)",
	  { V4, SYN_80, OPT(OPT_LINUX), .pay_len = 100 },
	  EV_SYN(160),
	  .ctr = { SYNROW, C(PAYLOAD_BYTES, 100) } },
	{ "v4-syn-1500-payload-whole",
	  "...TCP(flags='S',options=[...])/Raw(1500)",
	  { V4, SYN_80, OPT(OPT_LINUX), .pay_len = 1500 },
	  EV_SYN(1560),
	  .ctr = { SYNROW, C(PAYLOAD_BYTES, 1500) } },
	{ "v4-syn-20000-payload-multibuffer-cut-at-max-capture",
	  "...TCP(flags='S',options=[...])/Raw(20000)",
	  { V4, SYN_80, OPT(OPT_LINUX), .pay_len = 20000 },
	  .n_ev = 1,
	  .reason = OSPREY_SEL_SYN,
	  .evf = TOS | CUT,
	  .cap = OSPREY_MAX_CAPTURE,
	  .ctr = { SYNROW, C(PAYLOAD_BYTES, OSPREY_MAX_CAPTURE - 60) } },
	{ "v4-syn-ethernet-padding-not-captured",
	  "Ether()/IP()/TCP(flags='S')/Padding(b'\\0'*6)",
	  { V4, SYN_80, .pad = 6 },
	  EV_SYN(40),
	  .ctr = { SYNROW } },
	{ "v4-syn-one-vlan",
	  "Ether()/Dot1Q(vlan=42)/IP()/TCP(flags='S')",
	  { V4, SYN_80, .n_vlans = 1, .vlan = { 42 }, OPT(OPT_LINUX) },
	  EV_SYN(60),
	  .ctr = { SYNROW } },
	{ "v4-syn-qinq",
	  "Ether()/Dot1AD(vlan=100)/Dot1Q(vlan=200)/IP()/TCP(flags='S')",
	  { V4, SYN_80, .n_vlans = 2, .vlan = { 100, 4095 }, OPT(OPT_WIN) },
	  EV_SYN(52),
	  .ctr = { SYNROW } },
	{ "v4-syn-three-vlan-tags",
	  "Ether()/Dot1AD(vlan=1)/Dot1Q(vlan=2)/Dot1Q(vlan=3)/IP()/TCP(flags='S')",
	  { V4, SYN_80, .n_vlans = 3, .vlan = { 1, 2, 3 } },
	  EV_SYN(40),
	  .ctr = { SYNROW } },
	{ "v4-syn-8-vlan-tags",
	  "Ether()/Dot1AD(vlan=100)/Dot1Q(vlan=101)/.../Dot1Q(vlan=107)/IP()/TCP(flags='S')",
	  { V4, SYN_80, .n_vlans = 8, OPT(OPT_LINUX) },
	  EV_SYN(60),
	  .ctr = { SYNROW } },
	{ "v6-syn-32-vlan-tags-the-limit",
	  "Ether()/Dot1AD(vlan=100)/Dot1Q(vlan=101)/.../Dot1Q(vlan=131)/IPv6()/TCP(flags='S')",
	  { V6, SYN_80, .n_vlans = 32, OPT(OPT_WIN) },
	  EV_SYN(72),
	  .ctr = { SYNROW } },
	{ "v4-33-vlan-tags-not-parsed",
	  "Ether()/Dot1AD(vlan=100)/Dot1Q(vlan=101)/.../Dot1Q(vlan=132)/IP()/TCP(flags='S')",
	  { V4, SYN_80, .n_vlans = 33 } },
	{ "v4-vlan-tag-truncated",
	  "Ether()/Dot1AD(vlan=100)/Dot1Q(vlan=101)/Dot1Q(...) cut at 24 bytes",
	  { V4, SYN_80, .n_vlans = 3, .cut = 24 },
	  .ctr = { C(ERR_ETH, 1) } },
	{ "v4-first-fragment-parsed",
	  "IP(flags='MF',frag=0)/TCP(flags='S')",
	  { V4, SYN_80, .frag = 0x2000, OPT(OPT_LINUX) },
	  EV_SYN(60),
	  .ctr = { SYNROW } },
	{ "v4-non-first-fragment-not-tcp",
	  "IP(frag=185)/Raw(TCP-looking bytes)",
	  { V4, SYN_80, .frag = 0x00b9, OPT(OPT_LINUX) },
	  .ctr = { C(FRAGMENTS, 1) } },
	{ "v6-syn-linux",
	  "Ether()/IPv6()/TCP(dport=80,flags='S',options=[...])",
	  { V6, SYN_80, OPT(OPT_LINUX) },
	  EV_SYN(80),
	  .ctr = { SYNROW } },
	{ "v6-synack",
	  "IPv6(src='2001:db8::2',dst='2001:db8::1')/TCP(flags='SA')",
	  { V6, .src = "2001:db8::2", .dst = "2001:db8::1", .sport = 80,
	    .dport = 40000, .seq = 1, .ack = 1001, .flags = TH_SYN | TH_ACK,
	    OPT(OPT_LINUX_SA) },
	  EV_SA(80),
	  .ctr = { SAROW } },
	{ "v6-syn-qinq-windows",
	  "Dot1AD(vlan=5)/Dot1Q(vlan=6)/IPv6()/TCP(flags='S')",
	  { V6, SYN_80, .n_vlans = 2, .vlan = { 5, 6 }, OPT(OPT_WIN) },
	  EV_SYN(72),
	  .ctr = { SYNROW } },
	{ "v6-syn-after-dest-options",
	  "IPv6()/IPv6ExtHdrDestOpt()/TCP(flags='S')",
	  { V6, SYN_80, .v6_ext = 1, OPT(OPT_LINUX) },
	  EV_SYN(88),
	  .ctr = { SYNROW } },
	{ "v6-syn-after-two-ext-headers",
	  "IPv6()/IPv6ExtHdrDestOpt()/IPv6ExtHdrDestOpt()/TCP(flags='S')",
	  { V6, SYN_80, .v6_ext = 2, OPT(OPT_MSS) },
	  EV_SYN(40 + 16 + 24),
	  .ctr = { SYNROW } },
	{ "v6-first-fragment-parsed",
	  "IPv6()/IPv6ExtHdrFragment(m=1,offset=0)/TCP(flags='S')",
	  { V6, SYN_80, .v6_frag = 1, .v6_frag_off = 0x0001, OPT(OPT_LINUX) },
	  EV_SYN(88),
	  .ctr = { SYNROW } },
	{ "v6-non-first-fragment-not-tcp",
	  "IPv6()/IPv6ExtHdrFragment(offset=100)/Raw",
	  { V6, SYN_80, .v6_frag = 1, .v6_frag_off = 100 << 3, OPT(OPT_LINUX) },
	  .ctr = { C(FRAGMENTS, 1) } },
	{ "v4-udp-ignored",
	  "Ether()/IP()/UDP()/Raw(8)",
	  { V4, .proto = 17, .pay_len = 8 } },
	{ "v6-icmpv6-ignored",
	  "Ether()/IPv6()/ICMPv6EchoRequest()",
	  { V6, .proto = 58 } },
	{ "arp-ignored",
	  "Ether(type=0x0806)/Raw(46)",
	  { .ethertype = 0x0806 } },
	{ "v4-ihl-4",
	  "IP(ihl=4)/TCP(flags='S')",
	  { V4, SYN_80, .patch = { PATCH(0, 0x44) } },
	  .ctr = { C(ERR_IP, 1) } },
	{ "v4-ihl-15-past-frame",
	  "IP(ihl=15)/TCP(flags='S')",
	  { V4, SYN_80, .patch = { PATCH(0, 0x4f) } },
	  .ctr = { C(ERR_IP, 1) } },
	{ "v4-version-5-in-ipv4-frame",
	  "Ether(type=0x800)/IP(version=5)/TCP()",
	  { V4, SYN_80, .patch = { PATCH(0, 0x55) } },
	  .ctr = { C(ERR_IP, 1) } },
	{ "v4-total-length-past-frame",
	  "IP(len=1300)/TCP(flags='S')",
	  { V4, SYN_80, .patch = { PATCH(2, 0x05) } },
	  .ctr = { C(ERR_IP, 1) } },
	{ "v4-total-length-below-ihl",
	  "IP(len=16)/TCP(flags='S')",
	  { V4, SYN_80, .patch = { PATCH(2, 0), PATCH(3, 16) } },
	  .ctr = { C(ERR_IP, 1) } },
	{ "v4-total-length-cuts-tcp-options",
	  "IP(len=40)/TCP(dataofs=10,...)",
	  { V4, SYN_80, OPT(OPT_LINUX),
	    .patch = { PATCH(2, 0), PATCH(3, 40) } },
	  .ctr = { C(ERR_TCP, 1) } },
	{ "tcp-doff-4",
	  "IP()/TCP(dataofs=4,flags='S')",
	  { V4, SYN_80, .patch = { PATCH(32, 0x40) } },
	  .ctr = { C(ERR_TCP, 1) } },
	{ "tcp-doff-15-past-packet",
	  "IP()/TCP(dataofs=15,flags='S',options=[20 bytes])",
	  { V4, SYN_80, OPT(OPT_LINUX), .patch = { PATCH(32, 0xf0) } },
	  .ctr = { C(ERR_TCP, 1) } },
	{ "v6-payload-length-past-frame",
	  "IPv6(plen=4136)/TCP(flags='S')",
	  { V6, SYN_80, .patch = { PATCH(4, 0x10) } },
	  .ctr = { C(ERR_IP6, 1) } },
	{ "v6-version-4-in-ipv6-frame",
	  "Ether(type=0x86dd)/IPv6(version=4)/TCP()",
	  { V6, SYN_80, .patch = { PATCH(0, 0x40) } },
	  .ctr = { C(ERR_IP6, 1) } },
	{ "v6-ext-header-length-past-packet",
	  "IPv6()/IPv6ExtHdrDestOpt(len=32)/TCP()",
	  { V6, SYN_80, .v6_ext = 1, .patch = { PATCH(41, 32) } },
	  .ctr = { C(ERR_IP6, 1) } },
	{ "syn-fin-not-selected",
	  "IP()/TCP(flags='SF')",
	  { V4, .sport = 40000, .dport = 80, .flags = TH_SYN | TH_FIN },
	  .ctr = { C(TCP, 1) } },
	{ "syn-rst-not-selected",
	  "IP()/TCP(flags='SR')",
	  { V4, .sport = 40000, .dport = 80, .flags = TH_SYN | TH_RST },
	  .ctr = { C(TCP, 1) } },
	{ "rst-untracked",
	  "IP()/TCP(flags='R')",
	  { V4, .sport = 40000, .dport = 80, .flags = TH_RST },
	  .ctr = { C(TCP, 1) } },
	{ "data-untracked",
	  "IP()/TCP(flags='PA')/Raw(300)",
	  { V4, .sport = 40000, .dport = 80, .flags = TH_ACK | TH_PSH,
	    .pay_len = 300 },
	  .ctr = { C(TCP, 1) } },
};

/* Client 10.0.0.1:40000 -> server 10.0.0.2:80, default 8192 budget. */
#define CLI V4, .sport = 40000, .dport = 80
#define SRV \
	V4, .src = "10.0.0.2", .dst = "10.0.0.1", .sport = 80, .dport = 40000
#define DATA(c) C(TCP, 1), C(FLOW_PKTS, 1), C(PAYLOAD_BYTES, c)

static const struct row flow_v4[] = {
	{ "SYN",
	  "IP()/TCP(sport=40000,dport=80,flags='S',seq=1000)",
	  { CLI, .seq = 1000, .flags = TH_SYN, OPT(OPT_LINUX) },
	  EV_SYN(60),
	  .ctr = { SYNROW } },
	{ "SYN+ACK",
	  "IP(src=srv)/TCP(flags='SA',seq=5000,ack=1001)",
	  { SRV, .seq = 5000, .ack = 1001, .flags = TH_SYN | TH_ACK,
	    OPT(OPT_LINUX_SA) },
	  EV_SA(60),
	  .ctr = { C(TCP, 1), C(SYNACK, 1) } },
	{ "ACK with timestamps",
	  "TCP(flags='A',seq=1001,ack=5001,options=[TS])",
	  { CLI, .seq = 1001, .ack = 5001, .flags = TH_ACK, OPT(OPT_TS_ACK) },
	  EV_FL(52, TOS),
	  .ctr = { C(TCP, 1), C(FLOW_PKTS, 1) } },
	{ "request part 1",
	  "TCP(flags='PA',seq=1001)/Raw(1000)",
	  { CLI, .seq = 1001, .ack = 5001, .flags = TH_ACK | TH_PSH,
	    OPT(OPT_TS_ACK), .pay_len = 1000 },
	  EV_FL(1052, TOS),
	  .ctr = { DATA(1000) } },
	{ "request part 2",
	  "TCP(flags='PA',seq=2001)/Raw(1400)",
	  { CLI, .seq = 2001, .ack = 5001, .flags = TH_ACK | TH_PSH,
	    OPT(OPT_TS_ACK), .pay_len = 1400, .pay_seed = 1 },
	  EV_FL(1452, TOS),
	  .ctr = { DATA(1400) } },
	{ "request part 2 retransmitted: headers only",
	  "TCP(flags='PA',seq=2001)/Raw(1400)",
	  { CLI, .seq = 2001, .ack = 5001, .flags = TH_ACK | TH_PSH,
	    OPT(OPT_TS_ACK), .pay_len = 1400, .pay_seed = 1 },
	  EV_FL(52, TOS | CUT),
	  .ctr = { C(TCP, 1), C(FLOW_PKTS, 1) } },
	{ "response",
	  "IP(src=srv)/TCP(flags='A',seq=5001,ack=3401)/Raw(1460)",
	  { SRV, .seq = 5001, .ack = 3401, .flags = TH_ACK, OPT(OPT_TS_ACK),
	    .pay_len = 1460 },
	  EV_FL(1512, 0),
	  .ctr = { DATA(1460) } },
	{ "response out of order: headers only",
	  "TCP(flags='A',seq=9000)/Raw(100)",
	  { SRV, .seq = 9000, .ack = 3401, .flags = TH_ACK, OPT(OPT_TS_ACK),
	    .pay_len = 100 },
	  EV_FL(52, CUT),
	  .ctr = { C(TCP, 1), C(FLOW_PKTS, 1) } },
	{ "response 2, a 1500-byte frame: whole",
	  "TCP(flags='A',seq=6461)/Raw(1500)",
	  { SRV, .seq = 6461, .ack = 3401, .flags = TH_ACK, OPT(OPT_TS_ACK),
	    .pay_len = 1500, .pay_seed = 2 },
	  EV_FL(1552, 0),
	  .ctr = { DATA(1500) } },
	{ "response 3 continues the stream",
	  "TCP(flags='A',seq=7961)/Raw(100)",
	  { SRV, .seq = 7961, .ack = 3401, .flags = TH_ACK, OPT(OPT_TS_ACK),
	    .pay_len = 100, .pay_seed = 3 },
	  EV_FL(152, 0),
	  .ctr = { DATA(100) } },
	{ "FIN from client ends the flow",
	  "TCP(flags='FA',seq=3401)",
	  { CLI, .seq = 3401, .ack = 8061, .flags = TH_FIN | TH_ACK,
	    OPT(OPT_TS_ACK) },
	  EV_FL(52, TOS | END),
	  .ctr = { C(TCP, 1), C(FLOW_PKTS, 1), C(FLOW_END, 1) } },
	{ "ACK after FIN: untracked",
	  "TCP(flags='A',seq=3402)",
	  { CLI, .seq = 3402, .ack = 8062, .flags = TH_ACK },
	  .ctr = { C(TCP, 1) } },
};

/* Client 10.0.0.1:50000 <- server 10.0.0.2:443; the SYN is never seen. */
#define CLI2 V4, .sport = 50000, .dport = 443
#define SRV2 \
	V4, .src = "10.0.0.2", .dst = "10.0.0.1", .sport = 443, .dport = 50000

static const struct row flow_synack_first[] = {
	{ "SYN+ACK opens the flow",
	  "IP(src=srv)/TCP(flags='SA',seq=7000,ack=3001)",
	  { SRV2, .seq = 7000, .ack = 3001, .flags = TH_SYN | TH_ACK,
	    OPT(OPT_LINUX_SA) },
	  EV_SA(60),
	  .ctr = { SAROW } },
	{ "server data",
	  "TCP(flags='PA',seq=7001)/Raw(200)",
	  { SRV2, .seq = 7001, .ack = 3001, .flags = TH_ACK | TH_PSH,
	    .pay_len = 200 },
	  EV_FL(240, 0),
	  .ctr = { DATA(200) } },
	{ "client data at the SYN+ACK's ack number",
	  "TCP(flags='PA',seq=3001)/Raw(10)",
	  { CLI2, .seq = 3001, .ack = 7201, .flags = TH_ACK | TH_PSH,
	    .pay_len = 10 },
	  EV_FL(50, TOS),
	  .ctr = { DATA(10) } },
	{ "client data with a wrong seq: headers only",
	  "TCP(flags='PA',seq=9999)/Raw(10)",
	  { CLI2, .seq = 9999, .ack = 7201, .flags = TH_ACK | TH_PSH,
	    .pay_len = 10 },
	  EV_FL(40, TOS | CUT),
	  .ctr = { C(TCP, 1), C(FLOW_PKTS, 1) } },
	{ "RST from server ends the flow",
	  "TCP(flags='R',seq=7201)",
	  { SRV2, .seq = 7201, .flags = TH_RST },
	  EV_FL(40, END),
	  .ctr = { C(TCP, 1), C(FLOW_PKTS, 1), C(FLOW_END, 1) } },
	{ "server data after RST: untracked",
	  "TCP(flags='PA',seq=7201)/Raw(5)",
	  { SRV2, .seq = 7201, .flags = TH_ACK, .pay_len = 5 },
	  .ctr = { C(TCP, 1) } },
};

/* flow_budget = 1000; client 2001:db8::1:44000 -> 2001:db8::2:80. */
#define CLI6 V6, .sport = 44000, .dport = 80
#define SRV6                                                         \
	V6, .src = "2001:db8::2", .dst = "2001:db8::1", .sport = 80, \
	    .dport = 44000

static const struct row flow_budget[] = {
	{ "SYN",
	  "IPv6()/TCP(sport=44000,dport=80,flags='S',seq=100)",
	  { CLI6, .seq = 100, .flags = TH_SYN, OPT(OPT_LINUX) },
	  EV_SYN(80),
	  .ctr = { SYNROW } },
	{ "request 600 of 1000",
	  "TCP(flags='PA',seq=101)/Raw(600)",
	  { CLI6, .seq = 101, .flags = TH_ACK | TH_PSH, .pay_len = 600 },
	  EV_FL(660, TOS),
	  .ctr = { DATA(600) } },
	{ "request next 600: 400 fit the budget",
	  "TCP(flags='PA',seq=701)/Raw(600)",
	  { CLI6, .seq = 701, .flags = TH_ACK | TH_PSH, .pay_len = 600,
	    .pay_seed = 4 },
	  EV_FL(460, TOS | CUT),
	  .ctr = { DATA(400) } },
	{ "client direction spent: nothing",
	  "TCP(flags='PA',seq=1301)/Raw(100)",
	  { CLI6, .seq = 1301, .flags = TH_ACK | TH_PSH, .pay_len = 100 },
	  .ctr = { C(TCP, 1) } },
	{ "server 1000 bytes spend the other side: flow ends",
	  "IPv6(src=srv)/TCP(flags='A',seq=555)/Raw(1000)",
	  { SRV6, .seq = 555, .flags = TH_ACK, .pay_len = 1000 },
	  EV_FL(1060, 0),
	  .ctr = { DATA(1000), C(FLOW_END, 1) } },
	{ "server data afterwards: untracked",
	  "TCP(flags='A',seq=1555)/Raw(10)",
	  { SRV6, .seq = 1555, .flags = TH_ACK, .pay_len = 10 },
	  .ctr = { C(TCP, 1) } },
};

/* flow_budget = 20000: a packet cut by OSPREY_MAX_CAPTURE is charged what
 * was sent, not its length.  Frames this big run as multi-buffer XDP. */
static const struct row flow_cut_budget[] = {
	{ "SYN",
	  "IP()/TCP(sport=45000,dport=80,flags='S',seq=10)",
	  { V4, .sport = 45000, .dport = 80, .seq = 10, .flags = TH_SYN },
	  EV_SYN(40),
	  .ctr = { SYNROW } },
	{ "19000 bytes: what fits in a record",
	  "TCP(flags='A',seq=11)/Raw(19000)",
	  { V4, .sport = 45000, .dport = 80, .seq = 11, .flags = TH_ACK,
	    .pay_len = 19000 },
	  EV_FL(OSPREY_MAX_CAPTURE, TOS | CUT),
	  .ctr = { DATA(OSPREY_MAX_CAPTURE - 40) } },
	{ "next 1700 bytes: what is left of 20000",
	  "TCP(flags='A',seq=19011)/Raw(1700)",
	  { V4, .sport = 45000, .dport = 80, .seq = 19011, .flags = TH_ACK,
	    .pay_len = 1700, .pay_seed = 5 },
	  EV_FL(40 + 20000 - (OSPREY_MAX_CAPTURE - 40), TOS | CUT),
	  .ctr = { DATA(20000 - (OSPREY_MAX_CAPTURE - 40)) } },
};

/* port_allow 80,443,8000-8100; port_deny 8080-8090;
 * net_deny 192.0.2.0/24,2001:db8:bad::/48 */
#define FILTERED C(TCP, 1), C(FILTERED, 1)
static const struct row filter_rows[] = {
	{ "port-80-allowed",
	  "IP()/TCP(dport=80,flags='S')",
	  { V4, SYN_80 },
	  EV_SYN(40),
	  .ctr = { SYNROW } },
	{ "synack-from-443-allowed",
	  "IP(src=srv)/TCP(sport=443,dport=50000,flags='SA')",
	  { V4, .src = "10.0.0.2", .dst = "10.0.0.1", .sport = 443,
	    .dport = 50000, .ack = 1, .flags = TH_SYN | TH_ACK },
	  EV_SA(40),
	  .ctr = { SAROW } },
	{ "port-8100-range-end-allowed",
	  "IP()/TCP(dport=8100,flags='S')",
	  { V4, .sport = 40000, .dport = 8100, .flags = TH_SYN },
	  EV_SYN(40),
	  .ctr = { SYNROW } },
	{ "port-22-not-allowed",
	  "IP()/TCP(dport=22,flags='S')",
	  { V4, .sport = 40000, .dport = 22, .flags = TH_SYN },
	  .ctr = { FILTERED } },
	{ "port-8085-denied-inside-allowed-range",
	  "IP()/TCP(dport=8085,flags='S')",
	  { V4, .sport = 40000, .dport = 8085, .flags = TH_SYN },
	  .ctr = { FILTERED } },
	{ "v4-source-in-denied-net",
	  "IP(src='192.0.2.9')/TCP(dport=80,flags='S')",
	  { V4, SYN_80, .src = "192.0.2.9" },
	  .ctr = { FILTERED } },
	{ "v4-destination-in-denied-net",
	  "IP(dst='192.0.2.200')/TCP(dport=80,flags='S')",
	  { V4, SYN_80, .dst = "192.0.2.200" },
	  .ctr = { FILTERED } },
	{ "v6-in-denied-48",
	  "IPv6(src='2001:db8:bad::5')/TCP(dport=80,flags='S')",
	  { V6, SYN_80, .src = "2001:db8:bad::5" },
	  .ctr = { FILTERED } },
	{ "v6-next-to-denied-48",
	  "IPv6(src='2001:db8:bae::5')/TCP(dport=80,flags='S')",
	  { V6, SYN_80, .src = "2001:db8:bae::5" },
	  EV_SYN(60),
	  .ctr = { SYNROW } },
};

static const struct row filter_seq[] = {
	{ "SYN to port 22 filtered",
	  "IP()/TCP(sport=40000,dport=22,flags='S')",
	  { V4, .sport = 40000, .dport = 22, .seq = 1, .flags = TH_SYN },
	  .ctr = { FILTERED } },
	{ "its data is untracked",
	  "IP()/TCP(dport=22,flags='PA',seq=2)/Raw(50)",
	  { V4, .sport = 40000, .dport = 22, .seq = 2, .flags = TH_ACK | TH_PSH,
	    .pay_len = 50 },
	  .ctr = { C(TCP, 1) } },
};

/* net_allow 10.0.0.0/8,2001:db8::/32 */
static const struct row allow_rows[] = {
	{ "v4-source-inside",
	  "IP(src='10.0.0.1',dst='10.0.0.2')/TCP(flags='S')",
	  { V4, SYN_80 },
	  EV_SYN(40),
	  .ctr = { SYNROW } },
	{ "v4-destination-inside",
	  "IP(src='198.51.100.1',dst='10.2.3.4')/TCP(flags='S')",
	  { V4, SYN_80, .src = "198.51.100.1", .dst = "10.2.3.4" },
	  EV_SYN(40),
	  .ctr = { SYNROW } },
	{ "v4-both-outside",
	  "IP(src='192.168.1.1',dst='172.16.0.1')/TCP(flags='S')",
	  { V4, SYN_80, .src = "192.168.1.1", .dst = "172.16.0.1" },
	  .ctr = { FILTERED } },
	{ "v6-inside",
	  "IPv6(src='2001:db8::1')/TCP(flags='S')",
	  { V6, SYN_80 },
	  EV_SYN(60),
	  .ctr = { SYNROW } },
	{ "v6-outside",
	  "IPv6(src='2001:db9::1',dst='fe80::1')/TCP(flags='S')",
	  { V6, SYN_80, .src = "2001:db9::1", .dst = "fe80::1" },
	  .ctr = { FILTERED } },
};

#endif /* FX_NO_ROWS */

#endif /* OSPREY_TEST_FIXTURES_H */
