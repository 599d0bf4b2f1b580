// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench_tls: ns per ClientHello fingerprinted by the TLS module, beside
 * baselines in the same run.
 *
 *   bench_tls [-n HELLOS] [-r ROUNDS]
 *
 * For two hellos -- a Chrome-like one with a post-quantum key share
 * (~1.8 KB, two TCP segments on the wire) and a small TLS 1.2 one (~200
 * bytes) -- it times:
 *   memcpy      copying the hello's bytes (the floor for touching them)
 *   sha256      one SHA-256 over the hello's bytes (nettle, as JA4 uses)
 *   fingerprint tls_hello_parse + ja4_client + ja3_client (hashes only)
 *   +strings    the same with the JA4_r and JA3 strings written out
 *   stream      tls_stream_feed of the hello in 1448-byte segments (the
 *               reassembly path, buffer allocated and freed) + JA4 + JA3
 * With -f DB also through the engine (engine_feed, the daemon's and
 * osprey -r's path): a whole connection (SYN, SYN+ACK, ACK, the hello in
 * 1448-byte segments, RST) with the hello, and the same connection with
 * as many bytes that are not TLS; the difference is what a ClientHello
 * costs the engine (connection table, reassembly, parse, JA4 + JA3 with
 * their strings, the "tls client" observation, the host's JA4/SNI).
 * Times are this thread's CPU time, best of ROUNDS; the bar is 2000 ns per
 * hello fingerprinted.  A JA4 is printed per hello so a figure that
 * skipped the work shows.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nettle/sha2.h>

#include "tests/frames.h"
#include "tests/tls_build.h"
#include "user/engine/engine.h"
#include "user/engine/tls.h"

#define BAR_NS 2000.0
#define MSS 1448

static struct hb hb;
static uint8_t stream[HB_MAX + 1024], copy[HB_MAX + 1024];
static uint8_t scratch[TLS_HELLO_MAX];
static char raw[8192], str[8192];
static volatile unsigned sink;

enum what { W_MEMCPY, W_SHA256, W_FP, W_FP_STR, W_STREAM, W_N };
static const char *const names[W_N] = { "memcpy", "sha256", "fingerprint",
					"+strings", "stream" };

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int fp_once(const uint8_t *s, size_t n, int strings)
{
	char ja4[JA4_LEN + 1], ja3[JA3_HASH_LEN + 1];
	struct tls_hello h;
	size_t need;
	int err;

	err = tls_hello_parse(s, n, TLS_HS_CLIENT_HELLO, scratch,
			      sizeof(scratch), &h, &need);
	if (err)
		return err;
	ja4_client(&h, ja4, strings ? raw : NULL, sizeof(raw), NULL);
	ja3_client(&h, ja3, strings ? str : NULL, sizeof(str), NULL);
	sink += (unsigned)ja4[12] + (unsigned)ja3[0];
	return 0;
}

static int stream_once(const uint8_t *s, size_t n)
{
	char ja4[JA4_LEN + 1], ja3[JA3_HASH_LEN + 1];
	struct tls_stream ts;
	struct tls_hello h;
	size_t off, k;
	int err = -EAGAIN;

	tls_stream_init(&ts, TLS_HS_CLIENT_HELLO, 1000);
	for (off = 0; off < n && err == -EAGAIN; off += MSS) {
		k = n - off < MSS ? n - off : MSS;
		err = tls_stream_feed(&ts, 1000 + (uint32_t)off, s + off, k,
				      &h);
	}
	if (!err) {
		ja4_client(&h, ja4, NULL, 0, NULL);
		ja3_client(&h, ja3, NULL, 0, NULL);
		sink += (unsigned)ja4[12];
	}
	tls_stream_free(&ts);
	return err;
}

static int one(enum what w, const uint8_t *s, size_t n)
{
	struct sha256_ctx c;
	uint8_t d[SHA256_DIGEST_SIZE];

	switch (w) {
	case W_MEMCPY:
		memcpy(copy, s, n);
		sink += copy[n - 1];
		return 0;
	case W_SHA256:
		sha256_init(&c);
		sha256_update(&c, n, s);
		sha256_digest(&c, sizeof(d), d);
		sink += d[0];
		return 0;
	case W_FP:
		return fp_once(s, n, 0);
	case W_FP_STR:
		return fp_once(s, n, 1);
	default:
		return stream_once(s, n);
	}
}

static double bench(enum what w, const uint8_t *s, size_t n, long iters,
		    int rounds)
{
	double best = 0, t0, t;
	long i;
	int r;

	for (r = 0; r < rounds; r++) {
		t0 = now_ns();
		for (i = 0; i < iters; i++)
			if (one(w, s, n))
				return -1;
		t = (now_ns() - t0) / iters;
		if (!r || t < best)
			best = t;
	}
	return best;
}

static int run(const char *label, long iters, int rounds)
{
	char ja4[JA4_LEN + 1];
	struct tls_hello h;
	size_t n, need;
	double ns[W_N];
	int w, status = 0;

	n = hb_records(hb.b, hb.n, 16384, stream);
	if (tls_hello_parse(stream, n, 1, scratch, sizeof(scratch), &h, &need))
		return 1;
	ja4_client(&h, ja4, NULL, 0, NULL);
	printf("%s: %zu bytes (%zu-byte message), JA4 %s\n", label, n, hb.n,
	       ja4);
	for (w = 0; w < W_N; w++) {
		ns[w] = bench(w, stream, n, iters, rounds);
		if (ns[w] < 0) {
			printf("  %-12s failed\n", names[w]);
			return 1;
		}
		printf("  %-12s %8.1f ns/hello\n", names[w], ns[w]);
	}
	printf("  fingerprint = %.1fx memcpy, %.1fx sha256; bar %.0f ns: %s\n",
	       ns[W_FP] / ns[W_MEMCPY], ns[W_FP] / ns[W_SHA256], BAR_NS,
	       ns[W_FP] <= BAR_NS && ns[W_STREAM] <= BAR_NS ? "within bar" :
							      "OVER BAR");
	if (ns[W_FP] > BAR_NS || ns[W_STREAM] > BAR_NS)
		status = 1;
	return status;
}

/* ------------------------------------------------------------ engine */

#define CONNS 64 /* distinct connections fed in turn */
#define MAX_FRAMES 8 /* SYN, SYN+ACK, ACK, up to 4 data segments, RST */

struct conn_frames {
	int n;
	size_t len[MAX_FRAMES];
	uint8_t *ip[MAX_FRAMES];
};

static struct fx_frame frames[2][CONNS][MAX_FRAMES];
static struct conn_frames conns[2][CONNS];
static long tls_obs_seen;

static void count_obs(void *ctx, const struct obs *o)
{
	(void)ctx;
	tls_obs_seen += !strcmp(o->mod, "tls client");
}

static void add_frame(int kind, int c, const struct fx_spec *s)
{
	struct conn_frames *cf = &conns[kind][c];
	struct fx_frame *f = &frames[kind][c][cf->n];

	fx_build(s, f);
	cf->ip[cf->n] = fx_ip(f, &cf->len[cf->n]);
	cf->n++;
}

/* Connection c's frames; kind 1 carries stream[0..n), kind 0 as many
 * bytes that are not TLS. */
static void build_conn(int kind, int c, size_t n)
{
	static uint8_t other[HB_MAX];
	struct fx_spec s = { .ip_ver = 4,
			     .src = "10.1.0.1",
			     .dst = "10.1.0.2",
			     .sport = (uint16_t)(20000 + c),
			     .dport = 443,
			     .seq = 1000,
			     .flags = TH_SYN,
			     OPT(OPT_LINUX) };
	size_t off, k;

	memset(other, 'x', sizeof(other));
	add_frame(kind, c, &s);
	s.src = "10.1.0.2", s.dst = "10.1.0.1", s.sport = 443;
	s.dport = (uint16_t)(20000 + c), s.seq = 5000, s.ack = 1001;
	s.flags = TH_SYN | TH_ACK;
	s.opt = (const uint8_t *)OPT_LINUX_SA;
	add_frame(kind, c, &s);
	s.src = "10.1.0.1", s.dst = "10.1.0.2", s.sport = s.dport;
	s.dport = 443, s.seq = 1001, s.ack = 5001, s.flags = TH_ACK;
	s.opt = (const uint8_t *)OPT_TS_ACK, s.opt_len = 12;
	add_frame(kind, c, &s);
	for (off = 0; off < n; off += MSS) {
		k = n - off < MSS ? n - off : MSS;
		s.pay = (kind ? stream : other) + off;
		s.pay_len = (uint16_t)k;
		s.seq = 1001 + (uint32_t)off;
		s.flags = TH_ACK | TH_PSH;
		add_frame(kind, c, &s);
	}
	s.pay_len = 0, s.seq = 1001 + (uint32_t)n, s.flags = TH_RST;
	add_frame(kind, c, &s);
}

static double engine_round(struct engine *e, int kind, long iters)
{
	static uint64_t ms = 1700000000000ull;
	double t0 = now_ns();
	long i;
	int f;

	for (i = 0; i < iters; i++) {
		const struct conn_frames *cf = &conns[kind][i % CONNS];

		ms += 1;
		for (f = 0; f < cf->n; f++)
			engine_feed(e, cf->ip[f], cf->len[f], ms);
	}
	return (now_ns() - t0) / iters;
}

static int run_engine(const char *label, const char *db_path, long iters,
		      int rounds)
{
	double best[2] = { 0, 0 }, t;
	struct engine e;
	struct sigdb db;
	char err[256];
	int c, k, r;
	size_t n;

	n = hb_records(hb.b, hb.n, 16384, stream);
	if (n > 4 * MSS || sigdb_load(&db, db_path, err, sizeof(err))) {
		printf("%s engine: cannot set up (%s)\n", label, err);
		return 1;
	}
	for (k = 0; k < 2; k++)
		for (c = 0; c < CONNS; c++) {
			conns[k][c].n = 0;
			build_conn(k, c, n);
		}
	if (engine_init(&e, &db, NULL)) {
		sigdb_free(&db);
		return 1;
	}
	e.on_obs = count_obs;
	for (r = 0; r < rounds; r++) {
		for (k = 0; k < 2; k++) {
			tls_obs_seen = 0;
			t = engine_round(&e, k, iters);
			if (!r || t < best[k])
				best[k] = t;
		}
	}
	printf("%s engine: connection without TLS %8.1f ns, with the hello "
	       "%8.1f ns: %.1f ns per ClientHello (%ld tls client of %ld)\n",
	       label, best[0], best[1], best[1] - best[0], tls_obs_seen, iters);
	engine_free(&e);
	sigdb_free(&db);
	return tls_obs_seen != iters || best[1] - best[0] > BAR_NS;
}

int main(int argc, char **argv)
{
	const char *db_path = NULL;
	long iters = 200000;
	int rounds = 5, c, status = 0;

	while ((c = getopt(argc, argv, "f:n:r:")) != -1) {
		if (c == 'f')
			db_path = optarg;
		else if (c == 'n')
			iters = atol(optarg);
		else if (c == 'r')
			rounds = atoi(optarg);
		else
			return 2;
	}
	if (iters < 1 || rounds < 1) {
		fprintf(stderr, "bench_tls: -n and -r must be positive\n");
		return 2;
	}
	printf("bench_tls: %ld hellos per round, best of %d, thread CPU time\n",
	       iters, rounds);
	hb_chrome_pq(&hb);
	status |= run("chrome-pq", iters, rounds);
	if (db_path)
		status |= run_engine("chrome-pq", db_path, iters / 4, rounds);
	hb_small(&hb);
	status |= run("small-tls12", iters, rounds);
	if (db_path)
		status |= run_engine("small-tls12", db_path, iters / 4, rounds);
	return status;
}
