// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tests/frames.h, the frame builder the test tiers share: it must make
 * what a real stack sends (a SYN captured on this project's build
 * machine, see RAW_LINUX_SYN4), lay out VLAN tags and extension headers
 * where the parsers look for them, and get checksums right when asked.
 */
#include "tests/frames.h"
#include "tests/harness.h"
#include "user/engine/engine.h"

/* The ones' complement sum over a checksummed block: 0 when it holds. */
static unsigned csum_check(uint32_t sum, const uint8_t *p, size_t n)
{
	return fx_fold(fx_sum(sum, p, n));
}

/* The TCP pseudo-header sum of an IPv4 or IPv6 packet. */
static uint32_t pseudo(const uint8_t *ip, int v6, uint32_t l4len)
{
	return fx_sum(0, ip + (v6 ? 8 : 12), v6 ? 32 : 8) + 6 + l4len;
}

/* The capture's SYN rebuilt from a spec: byte for byte, but for the TCP
 * checksum, which loopback leaves to offload (it holds the pseudo-header
 * sum only). */
static void captured_syn(void)
{
	struct fx_spec s = { .ip_ver = 4,
			     .src = "127.0.0.1",
			     .dst = "127.0.0.1",
			     .ip_id = 0x4cb3,
			     .sport = 59966,
			     .dport = 40406,
			     .seq = 236528986,
			     .flags = TH_SYN,
			     .win = 65495,
			     OPT("\x02\x04\xff\xd7\x04\x02\x08\x0a\x40\xe2\x99"
				 "\x97\x00\x00\x00\x00\x01\x03\x03\x0a"),
			     .csum = 1 };
	struct fx_spec r = { .ip_ver = 4, RAW(RAW_LINUX_SYN4) };
	static struct fx_frame built, cap;
	size_t n, m;
	u8 *a, *b;

	fx_build(&s, &built);
	fx_build(&r, &cap);
	a = fx_ip(&built, &n);
	b = fx_ip(&cap, &m);
	if (!ASSERT_EQ(n, m, "IP length"))
		return;
	ASSERT_MEMEQ(a, b, 36, "IP header and TCP up to the checksum");
	ASSERT_MEMEQ(a + 38, b + 38, n - 38, "TCP after the checksum");
	ASSERT_EQ(fx_fold(pseudo(b, 0, 40)), (u16) ~(b[36] << 8 | b[37]),
		  "capture holds the pseudo-header sum");
	ASSERT_EQ(csum_check(pseudo(a, 0, 40), a + 20, 40), 0,
		  "built TCP checksum verifies");
	ASSERT_EQ(built.l4_off, cap.l4_off, "l4_off");
	ASSERT_EQ(built.thl, cap.thl, "thl");
}

/* Checksums of IPv4 with options and of IPv6 after extension headers,
 * both with payload; and that a patch is applied after them. */
static void checksums(void)
{
	struct fx_spec v4 = { .ip_ver = 4,
			      IPOPT(IPOPT_RR),
			      .sport = 1,
			      .dport = 2,
			      .flags = TH_ACK,
			      OPT(OPT_TS_ACK),
			      .pay_len = 333,
			      .csum = 1 };
	struct fx_spec v6 = { .ip_ver = 6,
			      .v6_ext = 2,
			      .flow = 0x12345,
			      .tos = 0xb8,
			      .flags = TH_SYN,
			      OPT(OPT_LINUX),
			      PAY("hello"),
			      .csum = 1 };
	static struct fx_frame f;
	size_t n;
	u8 *ip;

	fx_build(&v4, &f);
	ip = fx_ip(&f, &n);
	ASSERT_EQ(f.l4_off, 32, "IPv4 header with 12 option bytes");
	ASSERT_EQ(csum_check(0, ip, f.l4_off), 0, "IPv4 header checksum");
	ASSERT_EQ(csum_check(pseudo(ip, 0, n - f.l4_off), ip + f.l4_off,
			     n - f.l4_off),
		  0, "TCP over IPv4");
	v4.patch[0] = (struct fx_patch)PATCH(8, 1);
	fx_build(&v4, &f);
	ip = fx_ip(&f, &n);
	ASSERT_EQ(ip[8], 1, "patched TTL");
	ASSERT_TRUE(csum_check(0, ip, f.l4_off) != 0,
		    "patch made after the checksum");

	fx_build(&v6, &f);
	ip = fx_ip(&f, &n);
	ASSERT_EQ(f.l4_off, 56, "IPv6 + two 8-byte extension headers");
	ASSERT_EQ(ip[1] >> 4 | (ip[0] & 0xf) << 4, 0xb8, "traffic class");
	ASSERT_EQ((ip[1] & 0xf) << 16 | ip[2] << 8 | ip[3], 0x12345, "flow");
	ASSERT_MEMEQ(ip + n - 5, "hello", 5, "payload bytes");
	ASSERT_EQ(csum_check(pseudo(ip, 1, n - f.l4_off), ip + f.l4_off,
			     n - f.l4_off),
		  0, "TCP over IPv6");
}

/* Tags and offsets, and the engine reading what was asked for. */
static void layout_parses(void)
{
	struct fx_spec s = { .ip_ver = 4,
			     .n_vlans = 2,
			     .vlan = { 100, 200 },
			     .ttl = 61,
			     .tos = 0x28,
			     .sport = 40000,
			     .dport = 80,
			     .seq = 7,
			     .flags = TH_SYN,
			     .urg = 9,
			     .tcp_rsv = 1,
			     OPT(OPT_WIN) };
	static struct fx_frame f;
	struct pkt pk;
	size_t n;
	u8 *ip;

	fx_build(&s, &f);
	ASSERT_EQ(f.l3_off, 22, "two tags");
	ASSERT_EQ(f.b[12] << 8 | f.b[13], 0x88a8, "outer tag 802.1ad");
	ASSERT_EQ(f.b[16] << 8 | f.b[17], 0x8100, "inner tag 802.1Q");
	ASSERT_EQ(f.b[20] << 8 | f.b[21], 0x0800, "IPv4");
	ip = fx_ip(&f, &n);
	ASSERT_EQ(n, 20 + 32, "IP length");
	if (!ASSERT_EQ(pkt_parse(ip, n, 0, &pk), PKT_OK, "parses"))
		return;
	ASSERT_EQ(pk.ttl, 61, "ttl");
	ASSERT_EQ(pk.tos, 0x28 >> 2, "tos");
	ASSERT_EQ(pk.win, 64240, "default window");
	ASSERT_EQ(pk.mss, 1460, "mss");
	ASSERT_EQ(pk.wscale, 8, "wscale");
	ASSERT_EQ(pk.quirks, QUIRK_DF | QUIRK_ECN | QUIRK_NZ_URG,
		  "DF default, NS bit, urgent pointer");
	ASSERT_EQ(pk.sport, 40000, "sport");
}

TH_MAIN("frames", TH_CASE(captured_syn), TH_CASE(checksums),
	TH_CASE(layout_parses))
