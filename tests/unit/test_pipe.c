// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The feed pipeline (pipe.c): the same packets fed one by one and through
 * engine_pipe_* give the same observations, byte for byte, and the same
 * counters — with hosts and flows pruned while packets wait, packets too
 * long to be held, malformed ones, IPv6, drains at odd places, and the
 * caller's interface name overwritten as soon as each call returns.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tests/frames.h"
#include "tests/harness.h"
#include "tests/unit/unit_db.h"
#include "user/engine/engine.h"
#include "user/engine/sigstore.h"

static int load_db(void)
{
	return unit_db_load("osprey.fp");
}

#define OPT_SYN \
	"\x02\x04\x05\xb4\x04\x02\x08\x0a\x00\x00\x00\x01\x00\x00\x00\x00\x01\x03\x03\x07"
#define OPT_SA "\x02\x04\x05\xb4\x04\x02\x01\x03\x03\x07"

static const char REQ[] = "GET / HTTP/1.1\r\nHost: example.com\r\n"
			  "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; "
			  "x64)\r\nAccept: */*\r\nAccept-Language: de-DE\r\n"
			  "Connection: keep-alive\r\n\r\n";
static const char RESP[] = "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\n"
			   "Content-Type: text/html\r\nConnection: close\r\n"
			   "\r\n";

/* A conversation: SYN, SYN+ACK, request, response, FIN */
#define BYTES(s) s, sizeof(s) - 1
static const struct step {
	u8 flags;
	u32 seq, ack;
	const char *opt;
	u8 opt_len;
	const char *pay;
	u32 pay_len;
} steps[5] = {
	{ TH_SYN, 1000, 0, BYTES(OPT_SYN), NULL, 0 },
	{ TH_SYN | TH_ACK, 5000, 1001, BYTES(OPT_SA), NULL, 0 },
	{ TH_ACK | TH_PSH, 1001, 5001, NULL, 0, BYTES(REQ) },
	{ TH_ACK | TH_PSH, 5001, 1001 + sizeof(REQ) - 1, NULL, 0, BYTES(RESP) },
	{ TH_FIN | TH_ACK, 2000, 6000, NULL, 0, NULL, 0 },
};

/* Step j (0..4) of conversation k as an IP packet in fr; its bytes. */
static const u8 *conv_packet(u32 k, int j, struct fx_frame *fr, size_t *n)
{
	char cli[48], srv[48];
	u32 c = 1 + (k * 7919u) % 3000, s = 1 + k % 5;
	int v6 = k % 11 == 3;
	/* every 13th request is padded past what the pipe holds */
	static char big[1200];
	struct fx_spec sp = { .ip_ver = v6 ? 6 : 4,
			      .src = cli,
			      .dst = srv,
			      .ttl = (u8)(k % 3 ? 64 : 128),
			      .win = (u16)(k % 4 ? 64240 : 65535),
			      .sport = (u16)(1024 + k % 60000),
			      .dport = 80 };

	if (v6) {
		snprintf(cli, sizeof(cli), "2001:db8::%x", c);
		snprintf(srv, sizeof(srv), "2001:db8:1::%x", s);
	} else {
		snprintf(cli, sizeof(cli), "10.1.%u.%u", c >> 8, c & 255);
		snprintf(srv, sizeof(srv), "10.2.0.%u", s);
	}
	sp.flags = steps[j].flags;
	sp.seq = steps[j].seq;
	sp.ack = steps[j].ack;
	sp.opt = (const u8 *)steps[j].opt;
	sp.opt_len = steps[j].opt_len;
	sp.pay = (const u8 *)steps[j].pay;
	sp.pay_len = steps[j].pay_len;
	if (j == 2 && k % 13 == 5) {
		memset(big, 'a', sizeof(big) - 1);
		memcpy(big, REQ, sizeof(REQ) - 3);
		memcpy(big + sizeof(big) - 5, "\r\n\r\n", 4);
		sp.pay = (const u8 *)big;
		sp.pay_len = sizeof(big) - 1;
	}
	if (j == 1 || j == 3) { /* the server's */
		sp.src = srv;
		sp.dst = cli;
		sp.dport = sp.sport;
		sp.sport = 80;
	}
	fx_build(&sp, fr);
	return fx_ip(fr, n);
}

#define CONVS 6000
#define SLOTS (CONVS + 3 * 5)

struct run {
	struct engine e;
	FILE *fp;
	char *text;
	size_t len;
	u32 obs;
};

static void take_obs(void *ctx, const struct obs *o)
{
	struct run *r = ctx;

	r->obs++;
	out_json(r->fp, o, "unit");
}

static int run_open(struct run *r)
{
	struct engine_config cfg = { .max_conn = 200, .max_hosts = 400 };

	memset(r, 0, sizeof(*r));
	r->fp = open_memstream(&r->text, &r->len);
	if (!ASSERT_TRUE(r->fp != NULL, "open_memstream"))
		return 0;
	if (!ASSERT_EQ(engine_init(&r->e, &db, &cfg), 0, "engine_init"))
		return 0;
	r->e.on_obs = take_obs;
	r->e.obs_ctx = r;
	return 1;
}

static void run_close(struct run *r)
{
	engine_free(&r->e);
	if (r->fp)
		fclose(r->fp);
	free(r->text);
}

/*
 * Every packet of the traffic, in order: conversation k's step j goes at
 * slot k + 3j, so some 15 conversations overlap; every 97th slot also
 * carries a truncated packet.  fn(ctx, ip, len, ms, ifname).
 */
typedef void (*sink_fn)(void *ctx, const u8 *ip, size_t len, u64 ms,
			const char *ifname);

static void traffic(sink_fn fn, void *ctx)
{
	struct fx_frame fr;
	const u8 *ip;
	size_t n;
	u32 slot, k;
	int j;

	for (slot = 0; slot < SLOTS; slot++) {
		u64 ms = 1700000000000ull + (u64)slot * 7;

		for (j = 0; j < 5; j++) {
			if (slot < (u32)(3 * j))
				continue;
			k = slot - 3 * (u32)j;
			if (k >= CONVS)
				continue;
			ip = conv_packet(k, j, &fr, &n);
			fn(ctx, ip, n, ms, k % 2 ? "eth0" : "veth-long-name1");
		}
		if (slot % 97 == 0)
			fn(ctx, (const u8 *)"\x45\x00\x00", 3, ms, "eth0");
	}
}

static u64 direct_errors;

static void to_direct(void *ctx, const u8 *ip, size_t len, u64 ms,
		      const char *ifname)
{
	struct run *r = ctx;
	struct pkt_meta m = { .ifname = ifname };

	if (engine_feed_meta(&r->e, ip, len, ms, &m) != PKT_OK)
		direct_errors++;
}

struct piped {
	struct run r;
	struct engine_pipe p;
	u32 calls;
};

static void to_pipe(void *ctx, const u8 *ip, size_t len, u64 ms,
		    const char *ifname)
{
	struct piped *pp = ctx;
	char name[16];
	struct pkt_meta m = { .ifname = name };

	snprintf(name, sizeof(name), "%s", ifname);
	engine_pipe_feed(&pp->r.e, &pp->p, ip, len, ms, &m);
	/* the caller's buffer is gone as soon as the call returns */
	memset(name, 'X', sizeof(name) - 1);
	/* drains at uneven places, as rounds end */
	if (++pp->calls % 37 == 0 || pp->calls % 101 == 0)
		engine_pipe_drain(&pp->r.e, &pp->p);
}

/* A zeroed struct piped, or NULL (the case failed or was skipped). */
static struct piped *piped_new(void)
{
	struct piped *pp;

	if (!load_db()) {
		TEST_SKIP("database db/osprey.fp not loadable");
		return NULL;
	}
	pp = calloc(1, sizeof(*pp));
	ASSERT_TRUE(pp != NULL, "calloc");
	return pp;
}

static void same_as_direct(u32 min_hosts)
{
	struct run d;
	struct piped *pp = piped_new();

	if (!pp)
		return;
	direct_errors = 0;
	if (!run_open(&d) || !run_open(&pp->r))
		goto out;
	engine_pipe_init(&pp->p, min_hosts);
	traffic(to_direct, &d);
	traffic(to_pipe, pp);
	engine_pipe_drain(&pp->r.e, &pp->p);
	fflush(d.fp);
	fflush(pp->r.fp);

	ASSERT_TRUE(d.obs > 20000, "many observations");
	ASSERT_TRUE(d.e.st.hosts_pruned > 1000, "hosts pruned on the way");
	ASSERT_TRUE(strstr(d.text, "\"http_request\"") != NULL,
		    "HTTP requests fingerprinted");
	ASSERT_TRUE(strstr(d.text, "veth-long-name1") != NULL,
		    "interface names in the output");
	ASSERT_EQ(pp->r.obs, d.obs, "observations");
	ASSERT_EQ(pp->r.len, d.len, "output bytes");
	ASSERT_TRUE(d.len == pp->r.len && !memcmp(d.text, pp->r.text, d.len),
		    "output identical");
	ASSERT_EQ(pp->r.e.st.packets, d.e.st.packets, "packets");
	ASSERT_EQ(pp->r.e.st.hosts_pruned, d.e.st.hosts_pruned, "hosts pruned");
	ASSERT_EQ(pp->r.e.st.flows_pruned, d.e.st.flows_pruned, "flows pruned");
	ASSERT_TRUE(direct_errors > 0, "malformed packets refused");
	ASSERT_EQ(pp->p.errors, direct_errors, "refusals counted by the pipe");
	ASSERT_EQ(pp->p.n, 0, "nothing held after the drain");
	printf("# min_hosts %u: %u observations, %u hosts pruned, %llu "
	       "refused, %zu output bytes\n", min_hosts, d.obs,
	       (unsigned)d.e.st.hosts_pruned,
	       (unsigned long long)direct_errors, d.len);
out:
	run_close(&d);
	run_close(&pp->r);
	free(pp);
}

/* Engaged from the first packet: every packet waits in the ring. */
static void always_engaged(void)
{
	same_as_direct(0);
}

/* Engaged only once the table holds 300 hosts: the switch from direct
 * feeding to holding (and back, after each drain) keeps the order. */
static void engaged_on_size(void)
{
	same_as_direct(300);
}

/* Below its threshold the pipe holds nothing: each packet is processed
 * within the call, as by engine_feed_meta(). */
static void small_table_direct(void)
{
	struct piped *pp = piped_new();
	struct fx_frame fr;
	const u8 *ip;
	size_t n;
	u32 seen;

	if (!pp)
		return;
	if (!run_open(&pp->r))
		goto out;
	engine_pipe_init(&pp->p, ENGINE_PIPE_MIN_HOSTS);
	ip = conv_packet(1, 0, &fr, &n);
	engine_pipe_feed(&pp->r.e, &pp->p, ip, n, 1700000000000ull, NULL);
	ASSERT_EQ(pp->p.n, 0, "not held");
	seen = pp->r.obs;
	ASSERT_TRUE(seen > 0, "the SYN observed within the call");
	engine_pipe_init(&pp->p, 0);
	ip = conv_packet(2, 0, &fr, &n);
	engine_pipe_feed(&pp->r.e, &pp->p, ip, n, 1700000000001ull, NULL);
	ASSERT_EQ(pp->p.n, 1, "held when engaged");
	ASSERT_EQ(pp->r.obs, seen, "not yet observed");
	engine_pipe_drain(&pp->r.e, &pp->p);
	ASSERT_EQ(pp->r.obs, 2 * seen, "observed at the drain");
out:
	run_close(&pp->r);
	free(pp);
}

TH_MAIN("pipe", TH_CASE(always_engaged), TH_CASE(engaged_on_size),
	TH_CASE(small_table_direct))
