// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Flow and host bookkeeping (process.c) and the NAT scoreboard (obs.c):
 * crafted IPv4 packets go through engine_feed() with the real database.
 */
#include <stdlib.h>

#include "tests/frames.h"
#include "tests/harness.h"
#include "tests/unit/unit_db.h"
#include "user/engine/engine.h"
#include "user/engine/flow.h"
#include "user/engine/nat.h"
#include "user/engine/sigstore.h"
#include "user/engine/tcp.h"
#include "user/engine/http.h"

static int load_db(void)
{
	return unit_db_load("p0f.fp");
}

/* ------------------------------------------------------------ packets */

struct tpkt {
	u32 src, dst; /* host number n: 10.(n >> 16).(n >> 8).n, 10.0.0.n */
	u16 sport, dport;
	u8 flags;
	u32 seq, ack;
	u8 ttl;
	const char *data;
};

/* Linux-like SYN options: MSS, SACK OK, TS, NOP, WS */
#define OPT_SYN \
	"\x02\x04\x05\xb4\x04\x02\x08\x0a\x00\x00\x00\x01\x00\x00\x00\x00\x01\x03\x03\x07"

/* p as a frame (tests/frames.h): IP ID 0x12, DF, window 64240, the
 * options above on SYNs. */
static int feed(struct engine *e, const struct tpkt *p, u64 ms)
{
	char src[16], dst[16];
	struct fx_spec s = { .ip_ver = 4,
			     .src = src,
			     .dst = dst,
			     .ip_id = 0x12,
			     .ttl = p->ttl,
			     .sport = p->sport,
			     .dport = p->dport,
			     .seq = p->seq,
			     .ack = p->ack,
			     .flags = p->flags,
			     .pay = (const u8 *)p->data,
			     .pay_len = p->data ? strlen(p->data) : 0 };
	struct fx_frame fr;
	size_t n;
	u8 *ip;

	snprintf(src, sizeof(src), "10.%u.%u.%u", p->src >> 16 & 255,
		 p->src >> 8 & 255, p->src & 255);
	snprintf(dst, sizeof(dst), "10.%u.%u.%u", p->dst >> 16 & 255,
		 p->dst >> 8 & 255, p->dst & 255);
	if (p->flags & TCP_SYN) {
		s.opt = (const u8 *)OPT_SYN;
		s.opt_len = sizeof(OPT_SYN) - 1;
	}
	fx_build(&s, &fr);
	ip = fx_ip(&fr, &n);
	return engine_feed(e, ip, n, ms);
}

static u32 obs_count[10];

static void count_obs(void *ctx, const struct obs *o)
{
	int i = obs_mod_index(o->mod);

	(void)ctx;
	if (i >= 0)
		obs_count[i]++;
}

static int setup(struct engine *e, u32 max_conn, u32 max_hosts)
{
	struct engine_config cfg = { .max_conn = max_conn,
				     .max_hosts = max_hosts };

	if (!load_db()) {
		TEST_SKIP("database db/osprey.fp not loadable");
		return 0;
	}
	memset(obs_count, 0, sizeof(obs_count));
	if (!ASSERT_EQ(engine_init(e, &db, &cfg), 0, "engine_init"))
		return 0;
	e->on_obs = count_obs;
	return 1;
}

/* the flow of client 10.0.0.cli:sport with server 10.0.0.2:80 */
static struct flow *find_flow(struct engine *e, u8 cli, u16 sport)
{
	u8 a[4] = { 10, 0, 0, cli }, b[4] = { 10, 0, 0, 2 };

	return engine_lookup_flow(e, IP_VER4, a, sport, b, 80);
}

/* ---------------------------------------------------------------- flows */

static void syn_creates_flow(void)
{
	struct engine e;
	struct tpkt syn = { 1, 2, 40000, 80, TCP_SYN, 1000, 0 };
	u8 a1[4] = { 10, 0, 0, 1 };

	if (!setup(&e, 0, 0))
		return;
	ASSERT_EQ(feed(&e, &syn, 1000), PKT_OK, "feed");
	ASSERT_EQ(engine_flow_count(&e), 1, "flows");
	ASSERT_EQ(engine_host_count(&e), 2, "hosts");
	ASSERT_EQ(obs_count[0], 1, "syn observations");
	ASSERT_TRUE(engine_lookup_host(&e, a1, IP_VER4) != NULL, "client");
	ASSERT_EQ(e.cfg.max_conn, DEF_MAX_CONN, "default max_conn");
	ASSERT_EQ(e.cfg.max_hosts, DEF_MAX_HOSTS, "default max_hosts");
	engine_free(&e);
}

static void syn_retransmit_not_logged(void)
{
	struct engine e;
	struct tpkt syn = { 1, 2, 40000, 80, TCP_SYN, 1000, 0 };

	if (!setup(&e, 0, 0))
		return;
	feed(&e, &syn, 1000);
	feed(&e, &syn, 2000);
	ASSERT_EQ(obs_count[0], 1, "retransmitted SYN is not logged");
	syn.seq = 5000; /* a new SYN on the same ports resets the flow */
	feed(&e, &syn, 3000);
	ASSERT_EQ(obs_count[0], 2, "new SYN logged");
	ASSERT_EQ(engine_flow_count(&e), 1, "flows");
	engine_free(&e);
}

static void handshake_and_data(void)
{
	struct engine e;
	struct tpkt syn = { 1, 2, 40000, 80, TCP_SYN, 1000, 0 };
	struct tpkt sa = { 2, 1, 80, 40000, TCP_SYN | TCP_ACK, 7000, 1001 };
	/* a request, then the start of a response: HTTP wants more */
	struct tpkt d1 = { .src = 1,
			   .dst = 2,
			   .sport = 40000,
			   .dport = 80,
			   .flags = TCP_ACK,
			   .seq = 1001,
			   .ack = 7001,
			   .data = "GET / HTTP/1.1\r\n" };
	struct tpkt ooo = { 1, 2, 40000, 80, TCP_ACK, 9999, 7001, 0, "zzz" };
	struct tpkt d2 = { .src = 1,
			   .dst = 2,
			   .sport = 40000,
			   .dport = 80,
			   .flags = TCP_ACK,
			   .seq = 1017,
			   .ack = 7001,
			   .data = "Host: a\r\n\r\n" };
	struct tpkt r1 = { .src = 2,
			   .dst = 1,
			   .sport = 80,
			   .dport = 40000,
			   .flags = TCP_ACK,
			   .seq = 7001,
			   .ack = 1028,
			   .data = "HTTP/1.1 200 OK\r\n" };
	struct flow *f;

	if (!setup(&e, 0, 0))
		return;
	feed(&e, &sa, 900); /* stray SYN+ACK: ignored */
	ASSERT_EQ(engine_flow_count(&e), 0, "stray SYN+ACK");
	feed(&e, &syn, 1000);
	feed(&e, &sa, 1010);
	feed(&e, &sa, 1020); /* repeated: not logged again */
	ASSERT_EQ(obs_count[1], 1, "syn+ack observations");
	f = find_flow(&e, 1, 40000);
	if (!ASSERT_TRUE(f != NULL, "flow"))
		goto out;
	ASSERT_EQ(f->acked, 1, "acked");
	feed(&e, &d1, 1030);
	feed(&e, &ooo, 1040); /* out of order: no reassembly, dropped */
	feed(&e, &d2, 1050);
	feed(&e, &r1, 1060);
	f = find_flow(&e, 1, 40000);
	if (!ASSERT_TRUE(f != NULL, "flow after data"))
		goto out;
	ASSERT_EQ(f->req_len, 27, "request length");
	ASSERT_MEMEQ(f->request, "GET / HTTP/1.1\r\nHost: a\r\n\r\n", 28,
		     "request bytes + NUL");
	ASSERT_EQ(f->resp_len, 17, "response length");
	ASSERT_EQ(f->next_cli_seq, 1028, "next client seq");
	ASSERT_EQ(f->next_srv_seq, 7018, "next server seq");
	ASSERT_EQ(obs_count[4], 1, "http request observed");
out:
	engine_free(&e);
}

static void fin_rst_end_flow(void)
{
	struct engine e;
	struct tpkt syn = { 1, 2, 40000, 80, TCP_SYN, 1000, 0 };
	struct tpkt fin = { 2, 1, 80, 40000, TCP_FIN | TCP_ACK, 5, 1001 };
	struct tpkt syn2 = { 3, 2, 40001, 80, TCP_SYN, 1000, 0 };
	struct tpkt rst = { 3, 2, 40001, 80, TCP_RST, 1001, 0 };

	if (!setup(&e, 0, 0))
		return;
	feed(&e, &syn, 1000);
	feed(&e, &syn2, 1000);
	ASSERT_EQ(engine_flow_count(&e), 2, "flows");
	feed(&e, &fin, 1100);
	ASSERT_EQ(engine_flow_count(&e), 1, "after FIN");
	feed(&e, &rst, 1200);
	ASSERT_EQ(engine_flow_count(&e), 0, "after RST");
	ASSERT_EQ(engine_host_count(&e), 3, "hosts stay");
	engine_free(&e);
}

static void ack_without_synack_ends_flow(void)
{
	struct engine e;
	struct tpkt syn = { 1, 2, 40000, 80, TCP_SYN, 1000, 0 };
	struct tpkt d1 = { 1, 2, 40000, 80, TCP_ACK, 1001, 7001, 0, "abc" };

	if (!setup(&e, 0, 0))
		return;
	feed(&e, &syn, 1000);
	feed(&e, &d1, 1010);
	ASSERT_EQ(engine_flow_count(&e), 0, "flow dropped");
	engine_free(&e);
}

static void bad_packets_counted(void)
{
	struct engine e;
	u8 junk[10] = { 0x45 };

	if (!setup(&e, 0, 0))
		return;
	ASSERT_TRUE(engine_feed(&e, junk, sizeof(junk), 1) != PKT_OK, "junk");
	ASSERT_TRUE(engine_feed(&e, NULL, 0, 1) != PKT_OK, "empty");
	ASSERT_EQ(e.st.packets, 2, "counted");
	ASSERT_EQ(engine_flow_count(&e), 0, "no flow");
	engine_free(&e);
}

/* --------------------------------------------------------------- limits */

static void flow_limit_prunes_oldest(void)
{
	struct engine e;
	struct tpkt syn = { 1, 2, 0, 80, TCP_SYN, 1000, 0 };
	u16 i;

	if (!setup(&e, 10, 0))
		return;
	/* p0f prunes once the count exceeds the limit: 11 fit */
	for (i = 0; i < 11; i++) {
		syn.sport = 1000 + i;
		feed(&e, &syn, 1000);
	}
	ASSERT_EQ(engine_flow_count(&e), 11, "max_conn + 1 flows");
	syn.sport = 2000;
	feed(&e, &syn, 1000);
	/* 1 + 11 * 10% = 2 oldest pruned, then the new one */
	ASSERT_EQ(engine_flow_count(&e), 10, "after prune");
	ASSERT_EQ(e.st.flows_pruned, 2, "pruned");
	ASSERT_TRUE(!find_flow(&e, 1, 1000), "oldest gone");
	ASSERT_TRUE(!find_flow(&e, 1, 1001), "second oldest gone");
	ASSERT_TRUE(find_flow(&e, 1, 1002) != NULL, "third kept");
	ASSERT_TRUE(find_flow(&e, 1, 2000) != NULL, "new one");
	engine_free(&e);
}

static void host_limit_prunes(void)
{
	struct engine e;
	struct tpkt syn = { 0, 200, 1000, 80, TCP_SYN, 1000, 0 };
	struct tpkt fin = { 200, 0, 80, 1000, TCP_FIN, 5, 0 };
	u8 a[4] = { 10, 0, 0, 0 };
	u8 i;

	if (!setup(&e, 0, 5))
		return;
	/*
	 * Clients 1..5 and the server make 6 hosts; flows are closed so all
	 * are idle.  Like p0f, a new host is refused room only once the
	 * count exceeds the limit, and then the oldest idle host goes.
	 */
	for (i = 1; i <= 5; i++) {
		syn.src = i;
		fin.dst = i;
		feed(&e, &syn, 1000 + i);
		feed(&e, &fin, 1000 + i);
	}
	ASSERT_EQ(engine_host_count(&e), 6, "max_hosts + 1 hosts");
	ASSERT_EQ(e.st.hosts_pruned, 0, "nothing pruned yet");
	syn.src = 6;
	feed(&e, &syn, 2000);
	ASSERT_EQ(engine_host_count(&e), 6, "hosts after");
	ASSERT_EQ(e.st.hosts_pruned, 1, "pruned");
	a[3] = 1;
	ASSERT_TRUE(!engine_lookup_host(&e, a, IP_VER4), "oldest gone");
	a[3] = 2;
	ASSERT_TRUE(engine_lookup_host(&e, a, IP_VER4) != NULL, "next kept");
	a[3] = 200;
	ASSERT_TRUE(engine_lookup_host(&e, a, IP_VER4) != NULL, "server kept");
	engine_free(&e);
}

static void flow_expiry(void)
{
	struct engine e;
	struct tpkt syn = { 1, 2, 40000, 80, TCP_SYN, 1000, 0 };
	u8 junk[4] = { 0 };
	int i;

	if (!setup(&e, 0, 0))
		return;
	feed(&e, &syn, 1000); /* packet 1, t = 1 s */
	/* expiry runs on every 50th packet, so 48 more change nothing */
	for (i = 0; i < 48; i++)
		engine_feed(&e, junk, sizeof(junk), 32000);
	ASSERT_EQ(engine_flow_count(&e), 1, "not yet expired");
	engine_feed(&e, junk, sizeof(junk), 32000); /* 50th, 31 s later */
	ASSERT_EQ(engine_flow_count(&e), 0, "expired after 30 s");
	ASSERT_EQ(e.st.flows_expired, 1, "counted");
	ASSERT_EQ(engine_host_count(&e), 2, "hosts not yet idle");
	for (i = 0; i < 50; i++)
		engine_feed(&e, junk, sizeof(junk), 1000 + 7201000ull);
	ASSERT_EQ(engine_host_count(&e), 0, "hosts idle 120 min");
	engine_free(&e);
}

static void flow_age_boundary(void)
{
	struct engine e;
	struct tpkt syn = { 1, 2, 40000, 80, TCP_SYN, 1000, 0 };
	u8 junk[4] = { 0 };
	int i;

	if (!setup(&e, 0, 0))
		return;
	feed(&e, &syn, 1000);
	/* exactly 30 s: p0f expires only when strictly older */
	for (i = 0; i < 49; i++)
		engine_feed(&e, junk, sizeof(junk), 31999);
	ASSERT_EQ(engine_flow_count(&e), 1, "30 s is not too old");
	engine_free(&e);
}

/* ---------------------------------------------------------------- NAT */

static struct obs last;
static u32 nat_events;

static void keep_obs(void *ctx, const struct obs *o)
{
	(void)ctx;
	obs_copy(&last, o);
	nat_events++;
}

/* An engine with one made-up flow; 0, or -1 when engine_init failed. */
static int fake_flow(struct engine *e, struct flow *f, struct host *c,
		     struct host *s)
{
	if (!ASSERT_EQ(engine_init(e, NULL, NULL), 0, "engine_init"))
		return -1;
	memset(f, 0, sizeof(*f));
	memset(c, 0, sizeof(*c));
	memset(s, 0, sizeof(*s));
	c->ip_ver = s->ip_ver = IP_VER4;
	c->addr[0] = 10, c->addr[3] = 1;
	s->addr[0] = 10, s->addr[3] = 2;
	c->last_class_id = s->last_class_id = -1;
	f->client = c;
	f->server = s;
	f->cli_port = 1234;
	f->srv_port = 80;
	e->on_obs = keep_obs;
	e->now_ms = 5000000;
	nat_events = 0;
	return 0;
}

static void nat_host_change(void)
{
	struct engine e;
	struct flow f;
	struct host c, s;

	if (fake_flow(&e, &f, &c, &s))
		return;
	add_nat_score(&e, 1, &f, NAT_PORT, 1);
	ASSERT_EQ(nat_events, 0, "score 1 alone is silent");
	add_nat_score(&e, 1, &f, NAT_OS_SIG | NAT_TTL, 2);
	if (!ASSERT_EQ(nat_events, 1, "host change"))
		goto out;
	ASSERT_STREQ(last.mod, "host change", "mod");
	ASSERT_EQ(last.to_srv, 1, "subject client");
	ASSERT_STREQ(last.f[0].key, "reason", "key");
	/* reasons of this call only */
	ASSERT_STREQ(last.f[0].val, "os_diff ttl", "reason");
	ASSERT_STREQ(last.f[1].val, "0,0,1,2", "raw_hits");
	ASSERT_EQ(c.last_chg, 5000, "last_chg");
	ASSERT_EQ(c.cli_scores[NAT_SCORES - 1], 2, "newest slot");
	ASSERT_EQ(c.cli_scores[NAT_SCORES - 2], 1, "older slot");
out:
	engine_free(&e);
}

static void nat_ip_sharing(void)
{
	struct engine e;
	struct flow f;
	struct host c, s;

	if (fake_flow(&e, &f, &c, &s))
		return;
	add_nat_score(&e, 0, &f, NAT_APP_LB, 6);
	add_nat_score(&e, 0, &f, NAT_APP_VIA, 6);
	ASSERT_EQ(nat_events, 2, "two host changes");
	ASSERT_STREQ(last.mod, "host change", "mod");
	ASSERT_STREQ(last.f[0].val, "via", "reason");
	add_nat_score(&e, 0, &f, NAT_APP_DATE, 6);
	if (!ASSERT_EQ(nat_events, 3, "third"))
		goto out;
	/* three scores >= 6: sharing, with every reason gathered so far */
	ASSERT_STREQ(last.mod, "ip sharing", "mod");
	ASSERT_STREQ(last.f[0].val, "via date srv_sig_lb", "reason");
	ASSERT_STREQ(last.f[1].val, "3,3,3,3", "raw_hits");
	ASSERT_EQ(s.last_nat, 5000, "last_nat");
	ASSERT_EQ(s.nat_reasons, 0, "reasons reset");
	ASSERT_EQ(s.srv_scores[NAT_SCORES - 1], 0, "board reset");
out:
	engine_free(&e);
}

static void nat_many_small_scores(void)
{
	struct engine e;
	struct flow f;
	struct host c, s;
	int i;

	if (fake_flow(&e, &f, &c, &s))
		return;
	/* more than 8 scores >= 1 make sharing; 1s alone print nothing */
	for (i = 0; i < 8; i++)
		add_nat_score(&e, 1, &f, NAT_PORT, 1);
	ASSERT_EQ(nat_events, 0, "eight ones");
	add_nat_score(&e, 1, &f, 0, 1);
	if (!ASSERT_EQ(nat_events, 1, "ninth"))
		goto out;
	ASSERT_STREQ(last.mod, "ip sharing", "mod");
	ASSERT_STREQ(last.f[0].val, "port", "reason");
	ASSERT_STREQ(last.f[1].val, "0,0,0,9", "raw_hits");
	/* a zero score only records the reason bits */
	add_nat_score(&e, 1, &f, NAT_MSS, 0);
	ASSERT_EQ(nat_events, 1, "zero is silent");
	ASSERT_EQ(c.nat_reasons, NAT_MSS, "reason kept");
out:
	engine_free(&e);
}

static void nat_unknown_reason(void)
{
	struct engine e;
	struct flow f;
	struct host c, s;

	if (fake_flow(&e, &f, &c, &s))
		return;
	add_nat_score(&e, 1, &f, 0, 4);
	if (!ASSERT_EQ(nat_events, 1, "event"))
		goto out;
	ASSERT_EQ(last.f[0].unknown, 1, "reason ???");
out:
	engine_free(&e);
}

static void tool_class(void)
{
	struct engine e;
	struct flow f;
	struct host c, s;
	u32 sys[2] = { 3 | SYS_CLASS_FLAG, 7 };

	if (fake_flow(&e, &f, &c, &s))
		return;
	verify_tool_class(&e, 1, &f, sys, 2);
	ASSERT_EQ(nat_events, 0, "unknown OS: nothing to check");
	ASSERT_EQ(c.cli_scores[NAT_SCORES - 1], 0, "no score pushed");
	c.last_class_id = 3;
	c.last_name_id = 1;
	verify_tool_class(&e, 1, &f, sys, 2);
	ASSERT_EQ(nat_events, 0, "class matches");
	c.last_class_id = 2;
	c.last_name_id = 7;
	verify_tool_class(&e, 1, &f, sys, 2);
	ASSERT_EQ(nat_events, 0, "name matches");
	c.last_name_id = 8;
	verify_tool_class(&e, 1, &f, sys, 2);
	if (!ASSERT_EQ(nat_events, 1, "mismatch"))
		goto out;
	ASSERT_STREQ(last.f[0].val, "app_vs_os", "reason");
out:
	engine_free(&e);
}

/* ------------------------------------------------------------- memory */

/* A SYN from host cli to host srv:80 (host numbers), or its SYN+ACK. */
static void feed_n(struct engine *e, u32 cli, u32 srv, int synack, u64 ms)
{
	struct tpkt syn = { cli, srv, 40000, 80, TCP_SYN, 1000, 0, 64 };
	struct tpkt sa = { srv,	 cli,  80, 40000, TCP_SYN | TCP_ACK,
			   5000, 1001, 64 };

	feed(e, synack ? &sa : &syn, ms);
}

/*
 * What a tracked host costs, measured: a full table of hosts that each
 * sent a SYN and a SYN+ACK (so each keeps both TCP signatures), every
 * byte of the tables' pools and bucket arrays divided by the hosts.  The
 * bound is the one osprey(8) states: 336 bytes.
 */
static void host_memory(void)
{
	const u32 n = 20000;
	struct engine_mem m;
	struct engine e;
	u64 bytes;
	u32 i;

	if (!setup(&e, 1000, n))
		return;
	/* host i connects to host i + 1, which answers: both sigs each */
	for (i = 1; i <= n; i++) {
		feed_n(&e, i, i % n + 1, 0, 1000 + i);
		feed_n(&e, i, i % n + 1, 1, 1000 + i);
	}
	ASSERT_EQ(engine_host_count(&e), n, "hosts tracked");
	engine_memory(&e, &m);
	/* the flows' buckets (1024 of them for 1000 flows) are not the hosts' */
	bytes = m.hosts + m.tcp_sigs + m.buckets - 1024 * sizeof(void *);
	printf("# %u hosts: records with their sigs %llu, sigs being made %llu, "
	       "buckets %llu: %.1f bytes per host (record %zu, sig %zu)\n",
	       n, (unsigned long long)m.hosts, (unsigned long long)m.tcp_sigs,
	       (unsigned long long)m.buckets, (double)bytes / n,
	       sizeof(struct host), sizeof(struct tcp_sig));
	ASSERT_TRUE(bytes <= 336ull * n, "tracked host <= 336 bytes");
	/* the worst case of the formula (a bucket per host, their count
	 * rounded up to a power of two: under 16 bytes a host), a full
	 * slab's slack aside */
	ASSERT_TRUE(sizeof(struct host_blk) + 16 <= 336,
		    "record + 2 sigs + 16 bytes of buckets <= 336");
	engine_free(&e);
}

/*
 * A host that has been a client and a server, with a SYN, a SYN+ACK, an
 * HTTP request and an HTTP response: everything a host record can keep.
 */
static void http_host_memory(void)
{
	static const char req[] = "GET / HTTP/1.1\r\nHost: b\r\n"
				  "User-Agent: curl/7.88.1\r\n"
				  "Accept: */*\r\n\r\n";
	static const char resp[] = "HTTP/1.1 200 OK\r\nServer: Apache\r\n"
				   "Date: Tue, 14 Nov 2023 22:13:20 GMT\r\n"
				   "Content-Length: 0\r\n\r\n";
	/* A = 10.0.0.1 as client of 10.0.0.2:80 */
	struct tpkt c_syn = { 1, 2, 40000, 80, TCP_SYN, 1000, 0 };
	struct tpkt c_sa = { 2, 1, 80, 40000, TCP_SYN | TCP_ACK, 5000, 1001 };
	struct tpkt c_req = { 1,    2,	  40000, 80, TCP_ACK | TCP_PUSH,
			      1001, 5001, 0,	 req };
	/* ... and as server of 10.0.0.3 */
	struct tpkt s_syn = { 3, 1, 40001, 80, TCP_SYN, 7000, 0 };
	struct tpkt s_sa = { 1, 3, 80, 40001, TCP_SYN | TCP_ACK, 9000, 7001 };
	struct tpkt s_req = { 3,    1,	  40001, 80, TCP_ACK | TCP_PUSH,
			      7001, 9001, 0,	 req };
	struct tpkt s_resp = { 1,
			       3,
			       80,
			       40001,
			       TCP_ACK | TCP_PUSH,
			       9001,
			       7001 + sizeof(req) - 1,
			       0,
			       resp };
	u8 a1[4] = { 10, 0, 0, 1 };
	struct engine e;
	struct host *h;
	size_t cost, worst;

	if (!setup(&e, 0, 0))
		return;
	feed(&e, &c_syn, 1000);
	feed(&e, &c_sa, 1001);
	feed(&e, &c_req, 1002);
	feed(&e, &s_syn, 2000);
	feed(&e, &s_sa, 2001);
	feed(&e, &s_req, 2002);
	feed(&e, &s_resp, 2003);
	if (!ASSERT_EQ(obs_count[obs_mod_index("http request")], 2,
		       "requests seen") ||
	    !ASSERT_EQ(obs_count[obs_mod_index("http response")], 1,
		       "response seen"))
		goto out;
	h = engine_lookup_host(&e, a1, IP_VER4);
	if (!ASSERT_TRUE(h != NULL, "host"))
		goto out;
	if (!ASSERT_TRUE(host_last_sig(h, 1) && host_last_sig(h, 0) &&
				 h->http_resp,
			 "SYN, SYN+ACK and response kept"))
		goto out;
	/* what this host holds now */
	cost = sizeof(*h) + 2 * sizeof(struct tcp_sig) + sizeof(*h->http_resp) +
	       (h->http_req_os ? sizeof(*h->http_req_os) : 0);
	/* and the most any host can hold (an OS-matched request too) */
	worst = sizeof(*h) + 2 * sizeof(struct tcp_sig) +
		2 * sizeof(struct http_host_sig);
	printf("# HTTP host %zu bytes, at most %zu (host %zu, tcp sig %zu, "
	       "http sig %zu)\n",
	       cost, worst, sizeof(*h), sizeof(struct tcp_sig),
	       sizeof(struct http_host_sig));
	ASSERT_TRUE(cost < 400, "HTTP host < 400 bytes");
	ASSERT_TRUE(worst < 400, "any host < 400 bytes");
out:
	engine_free(&e);
}

/* ------------------------------------------------------------- memo */

static struct obs syn_seen;
static u32 syn_n;

static void keep_syn(void *ctx, const struct obs *o)
{
	(void)ctx;
	if (strcmp(o->mod, "syn"))
		return;
	obs_copy(&syn_seen, o);
	syn_n++;
}

/* The syn observation of `p` in a fresh engine: fields joined "k=v|". */
static void syn_fields(struct engine *e, const struct tpkt *p, u64 ms,
		       char *out, size_t len)
{
	size_t pos = 0;
	u32 i;

	syn_n = 0;
	out[0] = 0;
	feed(e, p, ms);
	if (syn_n != 1)
		return;
	for (i = 0; i < syn_seen.nfields && pos < len; i++)
		pos += snprintf(out + pos, len - pos, "%s=%s|",
				syn_seen.f[i].key, syn_seen.f[i].val);
}

/*
 * fingerprint_tcp() remembers what it made of a signature: a repeated
 * signature (memo hit) and a near one (miss: only the TTL differs) must
 * read exactly as they do in an engine that has seen nothing before.
 */
static void tcp_memo_same_output(void)
{
	struct tpkt first = { 1, 2, 40000, 80, TCP_SYN, 1000, 0 };
	struct tpkt again = { 3, 2, 40001, 80, TCP_SYN, 2000, 0 };
	struct tpkt near = { 4, 2, 40002, 80, TCP_SYN, 3000, 0, 57 };
	char warm[1024], cold[1024];
	struct engine e, f;

	if (!setup(&e, 0, 0))
		return;
	if (!ASSERT_TRUE(e.tcp_memo != NULL, "memo set up"))
		goto out_e;
	e.on_obs = keep_syn;
	syn_fields(&e, &first, 1000, warm, sizeof(warm));

	syn_fields(&e, &again, 2000, warm, sizeof(warm));
	if (!setup(&f, 0, 0))
		goto out_e;
	f.on_obs = keep_syn;
	syn_fields(&f, &again, 2000, cold, sizeof(cold));
	engine_free(&f);
	if (!ASSERT_TRUE(warm[0] != 0, "syn seen") ||
	    !ASSERT_STREQ(warm, cold, "repeated signature"))
		goto out_e;

	syn_fields(&e, &near, 3000, warm, sizeof(warm));
	if (!setup(&f, 0, 0))
		goto out_e;
	f.on_obs = keep_syn;
	syn_fields(&f, &near, 3000, cold, sizeof(cold));
	engine_free(&f);
	ASSERT_TRUE(strstr(warm, "raw_sig=4:57+7:") != NULL, "TTL in raw_sig");
	ASSERT_STREQ(warm, cold, "signature differing in TTL only");
out_e:
	engine_free(&e);
}

TH_MAIN("process", TH_CASE(syn_creates_flow),
	TH_CASE(syn_retransmit_not_logged), TH_CASE(handshake_and_data),
	TH_CASE(fin_rst_end_flow), TH_CASE(ack_without_synack_ends_flow),
	TH_CASE(bad_packets_counted), TH_CASE(flow_limit_prunes_oldest),
	TH_CASE(host_limit_prunes), TH_CASE(flow_expiry),
	TH_CASE(flow_age_boundary), TH_CASE(nat_host_change),
	TH_CASE(nat_ip_sharing), TH_CASE(nat_many_small_scores),
	TH_CASE(nat_unknown_reason), TH_CASE(tool_class), TH_CASE(host_memory),
	TH_CASE(http_host_memory), TH_CASE(tcp_memo_same_output))
