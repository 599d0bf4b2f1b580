// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench_engine: cost of the fingerprinting engine alone (libengine, no
 * capture, no output formatting).
 *
 *   bench_engine [-f DB] [-n SYNS] [-q REQUESTS] [-r ROUNDS]
 *
 * syn:  ns per SYN fed through engine_feed(), each one opening a new flow
 *       (a client from a pool of 1024, on a port it has not used yet: the
 *       same hosts come back as they do at a busy server, and the
 *       connection table prunes as p0f's does) so every SYN is fingerprinted
 *       against the whole [tcp:request] database, plus MTU lookup and
 *       observation building.  The SYNs cycle through a mix of real stacks'
 *       SYNs (Linux, Windows, macOS/iOS, FreeBSD, Android, nmap, odd ones,
 *       IPv4 and IPv6), byte for byte as those stacks send them.
 * syn + log: the same SYNs with every observation written as p0f's -o log
 *       line to /dev/null: through out_log() and a 256 kB stdio buffer
 *       (each line staged on the stack, then copied by stdio), and as the
 *       daemon's log sink writes it (out_log_to() into its 256 kB strbuf,
 *       written out by an unbuffered FILE).  The plain SYN row is their
 *       baseline: the difference is what formatting and buffering a log
 *       line costs.
 * http: ns per HTTP request segment fed on an established flow (its SYN
 *       and SYN+ACK are fed before the clock starts), parsed and matched
 *       against [http:request]; the mix holds browser, curl, wget and
 *       library requests.
 * hosts: ns per new-flow SYN with 10k and with 1M clients in the host
 *       table, visited in a scrambled order; fed as the live daemon feeds
 *       (engine_pipe_*, which prefetches host-table lines a few packets
 *       ahead once the table is large), and at 1M also one by one.
 * Times are this thread's CPU time (CLOCK_THREAD_CPUTIME_ID), so other
 * load on the machine does not inflate them.  Each figure is the best of
 * ROUNDS.  The table goes to stdout; the
 * numbers of observations made are printed too, so a figure that skipped
 * the work shows.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "user/engine/engine.h"
#include "user/engine/strbuf.h"

#define SYN_BAR_NS 300.0
#define HTTP_BAR_NS 1000.0
#define HTTP_BATCH 500
/* SYN cost with 1M hosts tracked, at most this times the cost at 10k */
#define HOSTS_BAR 1.5
/* Clients come from a pool (a busy server sees the same hosts again and
 * again); every SYN still opens a new flow because the port moves on. */
#define HOST_POOL 1024

struct syn_tpl {
	const char *name;
	u8 v6;
	u8 ttl;
	u8 df;
	u16 win;
	u8 opt[40];
	u8 olen;
};

/* Option bytes as the stacks send them (timestamps filled per packet). */
static const struct syn_tpl syns[] = {
	{ "linux",
	  0,
	  64,
	  1,
	  64240,
	  { 2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7 },
	  20 },
	{ "windows10",
	  0,
	  128,
	  1,
	  64240,
	  { 2, 4, 5, 0xb4, 1, 3, 3, 8, 1, 1, 4, 2 },
	  12 },
	{ "macos",
	  0,
	  64,
	  1,
	  65535,
	  { 2, 4, 5, 0xb4, 1, 3, 3, 6, 1, 1, 8, 10,
	    0, 0, 0, 1,	   0, 0, 0, 0, 4, 2, 0, 0 },
	  24 },
	{ "freebsd",
	  0,
	  64,
	  1,
	  65535,
	  { 2, 4, 5, 0xb4, 1, 3, 3, 6, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0 },
	  20 },
	{ "android",
	  0,
	  64,
	  1,
	  65535,
	  { 2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 9 },
	  20 },
	{ "winxp", 0, 128, 1, 65535, { 2, 4, 5, 0xb4, 1, 1, 4, 2 }, 8 },
	{ "nmap", 0, 48, 0, 1024, { 2, 4, 5, 0xb4 }, 4 },
	{ "odd", 0, 255, 0, 512, { 2, 4, 2, 0x18, 3, 3, 15, 1 }, 8 },
	{ "linux6",
	  1,
	  64,
	  0,
	  64800,
	  { 2, 4, 5, 0xa0, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7 },
	  20 },
	{ "windows6",
	  1,
	  128,
	  0,
	  64800,
	  { 2, 4, 5, 0xa0, 1, 3, 3, 8, 1, 1, 4, 2 },
	  12 },
};
#define N_SYNS (sizeof(syns) / sizeof(syns[0]))

static const char *const reqs[] = {
	"GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: Mozilla/5.0 "
	"(X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0\r\n"
	"Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;"
	"q=0.8\r\nAccept-Language: en-US,en;q=0.5\r\nAccept-Encoding: gzip, "
	"deflate\r\nConnection: keep-alive\r\n\r\n",
	"GET /index.html HTTP/1.1\r\nHost: example.com\r\nConnection: "
	"keep-alive\r\nAccept: text/html,application/xhtml+xml,application/"
	"xml;q=0.9,image/webp,*/*;q=0.8\r\nUser-Agent: Mozilla/5.0 (Windows "
	"NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/41.0."
	"2272.118 Safari/537.36\r\nAccept-Encoding: gzip, deflate, sdch\r\n"
	"Accept-Language: de-DE,de;q=0.8\r\n\r\n",
	"GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/7.88.1\r\n"
	"Accept: */*\r\n\r\n",
	"GET / HTTP/1.1\r\nUser-Agent: Wget/1.21.3\r\nAccept: */*\r\n"
	"Accept-Encoding: identity\r\nHost: example.com\r\nConnection: "
	"Keep-Alive\r\n\r\n",
	"GET /x HTTP/1.1\r\nHost: example.com\r\nAccept-Encoding: identity\r\n"
	"User-Agent: Python-urllib/3.11\r\nConnection: close\r\n\r\n",
	"GET / HTTP/1.0\r\nUser-Agent: Mozilla/4.0 (compatible; MSIE 8.0; "
	"Windows NT 5.1)\r\nAccept: */*\r\nAccept-Language: en-us\r\nHost: "
	"example.com\r\n\r\n",
};
#define N_REQS (sizeof(reqs) / sizeof(reqs[0]))

static u64 n_syn, n_http_req;

/* Count what the benchmark needs, cheaply (no string compares). */
static void on_obs(void *ctx, const struct obs *o)
{
	if (o->mod[0] == 's' && o->mod[3] == 0)
		n_syn++;
	else if (o->mod[0] == 'h' && o->mod[5] == 'r' && o->mod[7] == 'q')
		n_http_req++;
}

/* The log-line cases: the same, plus p0f's log line onto log_fp, or
 * into log_sb (which writes to log_fp). */
static FILE *log_fp;
static struct strbuf log_sb;

static void on_obs_log(void *ctx, const struct obs *o)
{
	on_obs(ctx, o);
	out_log(log_fp, o);
}

static void on_obs_log_sb(void *ctx, const struct obs *o)
{
	on_obs(ctx, o);
	out_log_to(&log_sb, o);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void put16(u8 *p, u16 v)
{
	p[0] = (u8)(v >> 8);
	p[1] = (u8)v;
}

static void put32(u8 *p, u32 v)
{
	put16(p, (u16)(v >> 16));
	put16(p + 2, (u16)v);
}

/*
 * Build an IP+TCP packet into buf; returns its length.  host/port pick the
 * client; to_srv 0 swaps the direction (a SYN+ACK or a response).
 */
static size_t build(u8 *buf, u8 v6, u8 ttl, u8 df, u32 host, u16 cport,
		    u8 flags, u32 seq, u32 ack, u16 win, const u8 *opt, u8 olen,
		    const void *pay, size_t plen, int to_srv)
{
	size_t ih = v6 ? 40 : 20, th = 20 + ((olen + 3u) & ~3u);
	u8 cli[16] = { 0 }, srv[16] = { 0 };
	u8 *t = buf + ih;

	memset(buf, 0, ih + th);
	if (v6) {
		cli[0] = 0x20;
		cli[1] = 0x01;
		put32(cli + 8, host);
		srv[0] = 0x20;
		srv[1] = 0x01;
		srv[15] = 1;
		buf[0] = 0x60;
		put16(buf + 4, (u16)(th + plen));
		buf[6] = 6;
		buf[7] = ttl;
		memcpy(buf + 8, to_srv ? cli : srv, 16);
		memcpy(buf + 24, to_srv ? srv : cli, 16);
	} else {
		put32(cli, 0x0a000000u | (host & 0xffffff));
		put32(srv, 0xc0a80001u);
		buf[0] = 0x45;
		put16(buf + 2, (u16)(ih + th + plen));
		put16(buf + 4, (u16)host);
		buf[6] = df ? 0x40 : 0;
		buf[8] = ttl;
		buf[9] = 6;
		memcpy(buf + 12, to_srv ? cli : srv, 4);
		memcpy(buf + 16, to_srv ? srv : cli, 4);
	}
	put16(t, to_srv ? cport : 80);
	put16(t + 2, to_srv ? 80 : cport);
	put32(t + 4, seq);
	put32(t + 8, ack);
	t[12] = (u8)((th / 4) << 4);
	t[13] = flags;
	put16(t + 14, win);
	memcpy(t + 20, opt, olen);
	memcpy(buf + ih + th, pay, plen);
	return ih + th + plen;
}

static int setup_cb(struct engine *e, struct sigdb *db,
		    const struct engine_config *cfg, obs_cb cb)
{
	n_syn = n_http_req = 0;
	if (engine_init(e, db, cfg))
		return -ENOMEM;
	e->on_obs = cb;
	return 0;
}

static int setup(struct engine *e, struct sigdb *db,
		 const struct engine_config *cfg)
{
	return setup_cb(e, db, cfg, on_obs);
}

/*
 * ns per new-flow SYN, best of rounds.  With `unseen`, every SYN carries a
 * window no earlier SYN had, so the engine's per-signature memo never hits
 * and each SYN is matched against the database from scratch: the cost of
 * a stack the engine has not met yet.
 */
static double bench_syn(struct sigdb *db, u32 n, int rounds, u64 *fp_cnt,
			int unseen, obs_cb cb)
{
	static u8 pkts[N_SYNS][128];
	size_t lens[N_SYNS];
	double best = 0;
	struct engine e;
	u32 i, host;

	for (i = 0; i < N_SYNS; i++)
		lens[i] = build(pkts[i], syns[i].v6, syns[i].ttl, syns[i].df, 1,
				1024, TCP_SYN, 1000, 0, syns[i].win,
				syns[i].opt, syns[i].olen, NULL, 0, 1);
	for (int r = 0; r < rounds; r++) {
		if (setup_cb(&e, db, NULL, cb))
			return 0;
		u64 ts = 1700000000000ull;
		double t0 = now_ns();
		for (i = 0; i < n; i++) {
			u8 *p = pkts[i % N_SYNS];
			size_t ih = (p[0] >> 4) == 6 ? 40 : 20;

			/* client from the pool, on a port not used before */
			host = 1 + i % HOST_POOL;
			if ((p[0] >> 4) == 6)
				put32(p + 16, host);
			else
				put32(p + 12, 0x0a000000u | host);
			put16(p + ih, (u16)(1024 + (i / HOST_POOL) % 60000));
			if (unseen)
				put16(p + ih + 14,
				      (u16)(syns[i % N_SYNS].win + 1 +
					    (i / N_SYNS) % 65000));
			engine_feed(&e, p, lens[i % N_SYNS], ts + i / 64);
		}
		double dt = (now_ns() - t0) / n;
		if (!best || dt < best)
			best = dt;
		*fp_cnt = n_syn;
		engine_free(&e);
	}
	return best;
}

/* The SYN case with each observation written as a log line, through
 * stdio's buffer or (sink) the strbuf's. */
static double bench_log(struct sigdb *db, u32 n, int rounds, u64 *fp_cnt,
			int sink)
{
	static char buf[256u << 10];
	double ns;

	log_fp = fopen("/dev/null", "w");
	if (!log_fp)
		return 0;
	if (sink) {
		setvbuf(log_fp, NULL, _IONBF, 0);
		sb_init_file(&log_sb, buf, sizeof(buf), log_fp);
	} else {
		setvbuf(log_fp, buf, _IOFBF, sizeof(buf));
	}
	ns = bench_syn(db, n, rounds, fp_cnt, 0,
		       sink ? on_obs_log_sb : on_obs_log);
	if (sink)
		sb_flush(&log_sb);
	fclose(log_fp);
	log_fp = NULL;
	return ns;
}

/* ns per HTTP request segment, best of rounds */
static double bench_http(struct sigdb *db, u32 n, int rounds, u64 *fp_cnt)
{
	static const u8 mss_opt[4] = { 2, 4, 5, 0xb4 };
	static u8 syn[HTTP_BATCH][80], sa[HTTP_BATCH][80], rq[HTTP_BATCH][1500];
	static size_t rql[HTTP_BATCH];
	double best = 0, total;
	struct engine e;
	u32 b, done;

	for (int r = 0; r < rounds; r++) {
		if (setup(&e, db, NULL))
			return 0;
		u64 ts = 1700000000000ull;
		u32 k = 0;
		total = 0;
		for (done = 0; done < n; done += HTTP_BATCH) {
			/* fresh flows, handshakes untimed */
			for (b = 0; b < HTTP_BATCH; b++) {
				const char *q = reqs[(done + b) % N_REQS];
				u32 host = 1 + k % HOST_POOL;
				u16 port =
					(u16)(1024 + (k / HOST_POOL) % 60000);

				k++;
				size_t l1 = build(syn[b], 0, 64, 1, host, port,
						  TCP_SYN, 1000, 0, 65535,
						  mss_opt, 4, NULL, 0, 1);
				size_t l2 =
					build(sa[b], 0, 64, 1, host, port,
					      TCP_SYN | TCP_ACK, 5000, 1001,
					      65535, mss_opt, 4, NULL, 0, 0);
				rql[b] = build(rq[b], 0, 64, 1, host, port,
					       TCP_ACK | TCP_PUSH, 1001, 5001,
					       65535, NULL, 0, q, strlen(q), 1);
				engine_feed(&e, syn[b], l1, ts);
				engine_feed(&e, sa[b], l2, ts);
			}
			double t0 = now_ns();
			for (b = 0; b < HTTP_BATCH; b++)
				engine_feed(&e, rq[b], rql[b], ts);
			total += now_ns() - t0;
			ts += 1;
		}
		total /= done;
		if (!best || total < best)
			best = total;
		*fp_cnt = n_http_req;
		engine_free(&e);
	}
	return best;
}

/* The Linux SYN of client number `host` (a 10/8 or 2001:db8 address). */
static size_t host_syn(u8 *p, u32 host, u16 port)
{
	const struct syn_tpl *t = &syns[0];

	return build(p, 0, t->ttl, t->df, host, port, TCP_SYN, 1000, 0, t->win,
		     t->opt, t->olen, NULL, 0, 1);
}

/*
 * ns per new-flow SYN with `hosts` distinct clients, all of them in the
 * host table (max_hosts = hosts, filled before the clock starts), visited
 * in a scrambled order: what the host table costs at that size.  The
 * same engine work per SYN at every size, so the ratio between sizes is
 * the table's (hash chains, and memory the caches no longer hold).  With
 * pipe, the SYNs go through the feed pipeline as the live daemon feeds
 * them (engine_pipe_*: it engages from ENGINE_PIPE_MIN_HOSTS hosts on);
 * without, through engine_feed() one by one as an offline run does.
 */
static double bench_hosts(struct sigdb *db, u32 hosts, u32 n, int rounds,
			  int pipe)
{
	struct engine_pipe *pp = malloc(sizeof(*pp));
	struct engine_config cfg = { .max_hosts = hosts };
	/* odd and prime: i * K mod hosts visits every host once per cycle
	 * unless K divides hosts, which it cannot (hosts < K) */
	const u64 K = 2654435761u;
	u64 ts = 1700000000000ull;
	double best = 0;
	struct engine e;
	u8 pkt[128];
	size_t len;
	u32 i;

	if (!pp)
		return 0;
	for (int r = 0; r < rounds; r++) {
		if (setup(&e, db, &cfg)) {
			free(pp);
			return 0;
		}
		for (i = 0; i < hosts; i++) {
			len = host_syn(pkt, 1 + i, 1024);
			engine_feed(&e, pkt, len, ts);
		}
		engine_pipe_init(pp, ENGINE_PIPE_MIN_HOSTS);
		double t0 = now_ns();
		for (i = 0; i < n; i++) {
			u32 h = (u32)((i * K) % hosts);

			len = host_syn(pkt, 1 + h, (u16)(1025 + i / hosts));
			if (pipe)
				engine_pipe_feed(&e, pp, pkt, len, ts + i / 64,
						 NULL);
			else
				engine_feed(&e, pkt, len, ts + i / 64);
		}
		engine_pipe_drain(&e, pp);
		double dt = (now_ns() - t0) / n;
		if (!best || dt < best)
			best = dt;
		if (engine_host_count(&e) < hosts)
			fprintf(stderr,
				"bench_engine: only %u of %u hosts kept\n",
				engine_host_count(&e), hosts);
		engine_free(&e);
	}
	free(pp);
	return best;
}

int main(int argc, char **argv)
{
	const char *dbpath = "db/osprey.fp";
	u32 nsyn = 2000000, nreq = 200000;
	int rounds = 5, c, ret = 1;
	struct sigdb db;
	char err[256];
	u64 syn_fp = 0, http_fp = 0;

	while ((c = getopt(argc, argv, "f:n:q:r:h")) != -1) {
		switch (c) {
		case 'f':
			dbpath = optarg;
			break;
		case 'n':
			nsyn = (u32)strtoul(optarg, NULL, 10);
			break;
		case 'q':
			nreq = (u32)strtoul(optarg, NULL, 10);
			break;
		case 'r':
			rounds = atoi(optarg);
			break;
		default:
			fprintf(c == 'h' ? stdout : stderr,
				"usage: bench_engine [-f DB] [-n SYNS] "
				"[-q REQUESTS] [-r ROUNDS]\n");
			return c == 'h' ? 0 : 2;
		}
	}
	if (!nsyn || !nreq || rounds < 1) {
		fprintf(stderr, "bench_engine: counts must be positive\n");
		return 2;
	}
	nreq = (nreq + HTTP_BATCH - 1) / HTTP_BATCH * HTTP_BATCH;
	memset(&db, 0, sizeof(db));
	if (sigdb_load(&db, dbpath, err, sizeof(err))) {
		fprintf(stderr, "bench_engine: %s\n", err);
		return 1;
	}
	double syn_ns = bench_syn(&db, nsyn, rounds, &syn_fp, 0, on_obs);
	u64 cold_fp = 0, log_cnt = 0, sink_cnt = 0;
	double cold_ns = bench_syn(&db, nsyn, rounds, &cold_fp, 1, on_obs);
	double log_ns = bench_log(&db, nsyn, rounds, &log_cnt, 0);
	double sink_ns = bench_log(&db, nsyn, rounds, &sink_cnt, 1);
	double http_ns = bench_http(&db, nreq, rounds, &http_fp);
	double h10k = bench_hosts(&db, 10000, nsyn, rounds, 1);
	double h1m = bench_hosts(&db, 1000000, nsyn, rounds, 1);
	double h1m_direct = bench_hosts(&db, 1000000, nsyn, rounds, 0);

	printf("%-26s %10s %10s %12s %s\n", "engine case", "ns/op", "bar",
	       "ops", "observations");
	printf("%-26s %10.1f %10.0f %12u %llu syn\n", "SYN, new flow (mix)",
	       syn_ns, SYN_BAR_NS, nsyn, (unsigned long long)syn_fp);
	printf("%-26s %10.1f %10s %12u %llu syn\n", "SYN, unseen signature",
	       cold_ns, "-", nsyn, (unsigned long long)cold_fp);
	printf("%-26s %10.1f %10s %12u %llu syn, %+.1f ns over no output\n",
	       "SYN + log line (stdio)", log_ns, "-", nsyn,
	       (unsigned long long)log_cnt, log_ns - syn_ns);
	printf("%-26s %10.1f %10s %12u %llu syn, %+.1f ns over no output\n",
	       "SYN + log line (sink buf)", sink_ns, "-", nsyn,
	       (unsigned long long)sink_cnt, sink_ns - syn_ns);
	printf("%-26s %10.1f %10.0f %12u %llu http request\n",
	       "HTTP request matched", http_ns, HTTP_BAR_NS, nreq,
	       (unsigned long long)http_fp);
	printf("%-26s %10.1f %10s %12u %s\n", "SYN, 10k hosts in table", h10k,
	       "-", nsyn, "(host table size)");
	printf("%-26s %10.1f %10.2fx %11u %.2fx the 10k figure\n",
	       "SYN, 1M hosts in table", h1m, HOSTS_BAR, nsyn,
	       h10k > 0 ? h1m / h10k : 0);
	printf("%-26s %10.1f %10s %12u %.2fx the 10k figure (no pipeline)\n",
	       "SYN, 1M hosts, one by one", h1m_direct, "-", nsyn,
	       h10k > 0 ? h1m_direct / h10k : 0);
	if (syn_ns > 0 && http_ns > 0 && syn_fp == nsyn && http_fp == nreq &&
	    log_cnt == nsyn && sink_cnt == nsyn)
		ret = 0;
	else
		fprintf(stderr,
			"bench_engine: not every packet was "
			"fingerprinted (syn %llu/%u, http %llu/%u)\n",
			(unsigned long long)syn_fp, nsyn,
			(unsigned long long)http_fp, nreq);
	printf("verdict: syn %s, http %s, hosts %s\n",
	       syn_ns <= SYN_BAR_NS ? "within bar" : "OVER BAR",
	       http_ns <= HTTP_BAR_NS ? "within bar" : "OVER BAR",
	       h10k > 0 && h1m <= HOSTS_BAR * h10k ? "within bar" : "OVER BAR");
	sigdb_free(&db);
	return ret;
}
