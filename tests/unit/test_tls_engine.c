// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The TLS and h2c modules inside the engine (tls_conn.c, tls_obs.c):
 * crafted connections through engine_feed(), the observations they give
 * (box / log / JSON as well), the host's JA4 and SNI, and that p0f's own
 * observations and flows are the same with and without them.
 */
#include <errno.h>
#include <stdlib.h>

#include "tests/frames.h"
#include "tests/harness.h"
#include "tests/tls_build.h"
#include "user/engine/engine.h"
#include "user/engine/h2.h"
#include "user/engine/host_tls.h"
#include "user/engine/tls.h"
#include "user/engine/tls_engine.h"

#define MAX_SEEN 16

static struct sigdb db;
static struct hb hb;
static struct seen s; /* 16 observations of 64 kB: not on the stack */
static uint8_t stream[HB_MAX + 4096];

/* What the engine reported of TLS and HTTP, copied (the values live in
 * the copies), and how many SYN observations. */
struct seen {
	int n, syn;
	struct obs o[MAX_SEEN];
};

static void on_obs(void *ctx, const struct obs *o)
{
	struct seen *s = ctx;

	s->syn += !strcmp(o->mod, "syn");
	if (strncmp(o->mod, "tls ", 4) && strncmp(o->mod, "http ", 5))
		return;
	if (s->n < MAX_SEEN)
		obs_copy(&s->o[s->n], o);
	s->n++;
}

static const struct obs *find(const struct seen *s, const char *mod, int nth)
{
	int i;

	for (i = 0; i < s->n && i < MAX_SEEN; i++)
		if (!strcmp(s->o[i].mod, mod) && !nth--)
			return &s->o[i];
	return NULL;
}

static int count(const struct seen *s, const char *mod)
{
	int i, n = 0;

	for (i = 0; i < s->n && i < MAX_SEEN; i++)
		n += !strcmp(s->o[i].mod, mod);
	return n;
}

static const char *val(const struct obs *o, const char *key)
{
	u32 i;

	for (i = 0; o && i < o->nfields; i++)
		if (!strcmp(o->f[i].key, key))
			return o->f[i].val;
	return NULL;
}

static int db_ok = -1;

/* The project's database, once; an engine reporting into s. */
static int setup(struct engine *e, struct seen *s, u32 max_conn)
{
	struct engine_config cfg = { .max_conn = max_conn };
	char path[512], err[256];
	const char *top = getenv("TOP");

	if (db_ok < 0) {
		snprintf(path, sizeof(path), "%s/db/osprey.fp",
			 top ? top : ".");
		db_ok = !sigdb_load(&db, path, err, sizeof(err));
		if (!db_ok)
			printf("# %s\n", err);
	}
	memset(s, 0, sizeof(*s));
	if (!ASSERT_TRUE(db_ok, "database") || engine_init(e, &db, &cfg))
		return -1;
	e->on_obs = on_obs;
	e->obs_ctx = s;
	return 0;
}

/* ------------------------------------------------------------ packets */

#define CLI_ISN 1000u
#define SRV_ISN 50000u

/* One TCP connection 10.0.0.1 (or cli):cport -> 10.0.0.2:sport. */
struct tconn {
	u16 cport, sport;
	u64 ms;
	u8 len0; /* send data frames with IP length 0 (offload) */
	const char *cli;
};

static int send_pkt(struct engine *e, struct tconn *c, int from_cli, u8 flags,
		    u32 seq, const u8 *pay, size_t n)
{
	const char *cli = c->cli ? c->cli : "10.0.0.1";
	struct fx_spec s = { .ip_ver = 4,
			     .src = from_cli ? cli : "10.0.0.2",
			     .dst = from_cli ? "10.0.0.2" : cli,
			     .ip_id = 7,
			     .sport = from_cli ? c->cport : c->sport,
			     .dport = from_cli ? c->sport : c->cport,
			     .seq = seq,
			     .ack = 1,
			     .flags = flags,
			     .pay = pay,
			     .pay_len = (uint16_t)n };
	struct fx_frame fr;
	size_t len;
	u8 *ip;

	if (flags & TH_SYN)
		s.opt = (const uint8_t *)OPT_LINUX, s.opt_len = 20;
	fx_build(&s, &fr);
	ip = fx_ip(&fr, &len);
	if (c->len0 && n)
		ip[2] = ip[3] = 0;
	return engine_feed(e, ip, len, c->ms += 10);
}

static void handshake(struct engine *e, struct tconn *c)
{
	send_pkt(e, c, 1, TH_SYN, CLI_ISN, NULL, 0);
	send_pkt(e, c, 0, TH_SYN | TH_ACK, SRV_ISN, NULL, 0);
	send_pkt(e, c, 1, TH_ACK, CLI_ISN + 1, NULL, 0);
}

/* Client data at stream offset off. */
static void cli_data(struct engine *e, struct tconn *c, size_t off, const u8 *d,
		     size_t n)
{
	send_pkt(e, c, 1, TH_ACK | TH_PSH, CLI_ISN + 1 + (u32)off, d, n);
}

static void srv_data(struct engine *e, struct tconn *c, size_t off, const u8 *d,
		     size_t n)
{
	send_pkt(e, c, 0, TH_ACK | TH_PSH, SRV_ISN + 1 + (u32)off, d, n);
}

/* The hello in hb as records of at most frag bytes into stream[]. */
static size_t records(size_t frag)
{
	return hb_records(hb.b, hb.n, frag, stream);
}

/* JA4 and JA3 of the stream[0..n) computed by the module directly. */
static void expected(size_t n, char ja4[JA4_LEN + 1],
		     char ja3[JA3_HASH_LEN + 1])
{
	static uint8_t scratch[TLS_HELLO_MAX];
	struct tls_hello h;

	if (tls_hello_parse(stream, n, TLS_HS_CLIENT_HELLO, scratch,
			    sizeof(scratch), &h, NULL)) {
		ja4[0] = ja3[0] = 0;
		return;
	}
	ja4_client(&h, ja4, NULL, 0, NULL);
	ja3_client(&h, ja3, NULL, 0, NULL);
}

/* The hello `build` makes, as records of at most frag bytes in stream[];
 * its JA4 and JA3 from the module when ja4 is not NULL.  Its length. */
static size_t hello(size_t (*build)(struct hb *), size_t frag, char *ja4,
		    char *ja3)
{
	size_t n;

	build(&hb);
	n = records(frag);
	if (ja4)
		expected(n, ja4, ja3);
	return n;
}

/* A one-cipher TLS 1.2 hello with this SNI and ALPN list, in stream[]. */
static size_t tiny_hello(const char *sni, const char *const *alpn,
			 const int *alpn_len, int n_alpn)
{
	static const uint16_t ciphers[] = { 0x1301 };

	hb_hello_start(&hb, 1, 0x0303, NULL);
	hb_ciphers(&hb, ciphers, 1);
	hb_exts_start(&hb);
	hb_ext_sni(&hb, sni);
	if (n_alpn)
		hb_ext_alpn(&hb, alpn, alpn_len, n_alpn);
	hb_hello_end(&hb);
	return records(16384);
}

/* -------------------------------------------------------------- cases */

static void test_client_one_segment(void)
{
	struct tconn c = { 40000, 443, 1000000, 0 };
	char ja4[JA4_LEN + 1], ja3[JA3_HASH_LEN + 1];
	const struct obs *o;
	struct engine e;
	struct host *h, *h2;
	size_t n;

	if (setup(&e, &s, 0))
		return;
	n = hello(hb_small, 16384, ja4, ja3);
	handshake(&e, &c);
	cli_data(&e, &c, 0, stream, n);
	o = find(&s, "tls client", 0);
	if (ASSERT_TRUE(o != NULL, "tls client observation")) {
		ASSERT_EQ(o->to_srv, 1, "subject is the client");
		ASSERT_STREQ(val(o, "ja4"), ja4, "ja4");
		ASSERT_STREQ(val(o, "ja3"), ja3, "ja3");
		ASSERT_STREQ(val(o, "sni"), "api.example.net", "sni");
		ASSERT_STREQ(val(o, "alpn"), "http/1.1", "alpn");
		ASSERT_STREQ(val(o, "ver"), "1.2", "ver");
		ASSERT_TRUE(val(o, "ja4_r") &&
				    !strncmp(val(o, "ja4_r"), ja4, 10),
			    "ja4_r starts like ja4");
		ASSERT_TRUE(val(o, "ja3_string") &&
				    !strncmp(val(o, "ja3_string"), "771,", 4),
			    "ja3_string");
	}
	h = engine_lookup_host(&e, (const u8 *)"\x0a\x00\x00\x01", IP_VER4);
	if (ASSERT_TRUE(h != NULL && h->tls != NULL, "client host's pair")) {
		ASSERT_STREQ(h->tls->ja4, ja4, "host JA4");
		ASSERT_STREQ(h->tls->sni, "api.example.net", "host SNI");
		ASSERT_EQ(h->tls->refs, 1, "one host");
	}
	/* p0f's modules saw a SYN, a SYN+ACK; the TLS payload ended their
	 * flow exactly as p0f ends it (not HTTP) */
	ASSERT_EQ(s.syn, 1, "syn observations");
	ASSERT_EQ(engine_flow_count(&e), 0, "p0f flow ended at the hello");
	ASSERT_EQ(e.st.obs_by_mod[obs_mod_index("tls client")], 1,
		  "obs_by_mod[tls client]");
	/* a retransmission of the hello is not a second hello */
	cli_data(&e, &c, 0, stream, n);
	ASSERT_EQ(count(&s, "tls client"), 1, "retransmitted hello");
	/* another host with the same hello shares the pair */
	c.cli = "10.0.0.3";
	handshake(&e, &c);
	cli_data(&e, &c, 0, stream, n);
	h2 = engine_lookup_host(&e, (const u8 *)"\x0a\x00\x00\x03", IP_VER4);
	if (ASSERT_TRUE(h && h2 && h2->tls, "second host's pair")) {
		ASSERT_TRUE(h2->tls == h->tls, "shared");
		ASSERT_EQ(h->tls->refs, 2, "two hosts");
	}
	engine_free(&e);
}

/* Chrome's post-quantum hello spans two segments; they arrive swapped
 * and the first once more. */
static void test_client_two_segments(void)
{
	struct tconn c = { 40001, 443, 2000000, 0 };
	char ja4[JA4_LEN + 1], ja3[JA3_HASH_LEN + 1];
	const struct obs *o;
	struct engine e;
	size_t n;

	if (setup(&e, &s, 0))
		return;
	n = hello(hb_chrome_pq, 16384, ja4, ja3);
	ASSERT_TRUE(n > 1460, "the hello needs two segments");
	ASSERT_STREQ(ja4, "t13d1516h2_8daaf6152771_d8a2da3f94cd",
		     "module's JA4");
	handshake(&e, &c);
	cli_data(&e, &c, 1000, stream + 1000, n - 1000);
	ASSERT_EQ(count(&s, "tls client"), 0, "half a hello: nothing yet");
	cli_data(&e, &c, 0, stream, 1000);
	cli_data(&e, &c, 0, stream, 1000);
	ASSERT_EQ(count(&s, "tls client"), 1, "one tls client");
	o = find(&s, "tls client", 0);
	ASSERT_STREQ(val(o, "ja4"), ja4, "ja4");
	ASSERT_STREQ(val(o, "alpn"), "h2,http/1.1", "alpn list");
	ASSERT_STREQ(val(o, "ver"), "1.3", "highest offered version");
	engine_free(&e);
}

static void test_server_hello(void)
{
	static const char *const alpn[] = { "h2" };
	static const int alpn_len[] = { 2 };
	static const uint8_t rnd[32] = { 1, 2, 3 };
	struct tconn c = { 40002, 443, 3000000, 0 };
	const struct obs *o;
	struct engine e;
	size_t n;

	if (setup(&e, &s, 0))
		return;
	handshake(&e, &c);
	n = hello(hb_small, 16384, NULL, NULL);
	cli_data(&e, &c, 0, stream, n);
	hb.n = 0;
	hb.exts_len_at = 0;
	hb_u8(&hb, 2);
	hb.hs_len_at = hb.n;
	hb.n += 3;
	hb_u16(&hb, 0x0303);
	hb_bytes(&hb, rnd, 32);
	hb_u8(&hb, 0);
	hb_u16(&hb, 0x1301);
	hb_u8(&hb, 0);
	hb_exts_start(&hb);
	hb_ext(&hb, 0x002b, "\x03\x04", 2);
	hb_ext_alpn(&hb, alpn, alpn_len, 1);
	hb_hello_end(&hb);
	n = records(16384);
	srv_data(&e, &c, 0, stream, n);
	o = find(&s, "tls server", 0);
	if (ASSERT_TRUE(o != NULL, "tls server observation")) {
		ASSERT_EQ(o->to_srv, 0, "subject is the server");
		ASSERT_STREQ(val(o, "ja3s_string"), "771,4865,43-16",
			     "ja3s_string");
		ASSERT_STREQ(val(o, "ver"), "1.3", "selected version");
		ASSERT_STREQ(val(o, "alpn"), "h2", "selected alpn");
		ASSERT_EQ(strlen(val(o, "ja3s")), JA3_HASH_LEN, "ja3s");
	}
	/* both hellos done: the connection is only remembered */
	ASSERT_EQ(e.tls->cnt, 1, "connection kept after its hellos");
	send_pkt(&e, &c, 1, TH_RST, CLI_ISN + 1 + 500, NULL, 0);
	ASSERT_EQ(e.tls->cnt, 0, "RST ends it");
	ASSERT_EQ(e.st.tls_incomplete, 0, "nothing incomplete");
	engine_free(&e);
}

static void test_incomplete_and_refused(void)
{
	struct tconn c = { 40003, 443, 4000000, 0 };
	const struct obs *o;
	struct engine e;
	size_t n;

	if (setup(&e, &s, 0))
		return;
	hello(hb_chrome_pq, 16384, NULL, NULL);
	handshake(&e, &c);
	cli_data(&e, &c, 0, stream, 1200);
	send_pkt(&e, &c, 1, TH_FIN | TH_ACK, CLI_ISN + 1 + 1200, NULL, 0);
	o = find(&s, "tls client", 0);
	if (ASSERT_TRUE(o != NULL, "incomplete reported")) {
		ASSERT_STREQ(val(o, "error"), "incomplete", "error");
		ASSERT_TRUE(val(o, "ja4") == NULL, "no fingerprint");
	}
	ASSERT_EQ(e.st.tls_incomplete, 1, "tls_incomplete");

	/* a malformed hello: the cipher list length is odd */
	c.cport++;
	n = hello(hb_small, 16384, NULL, NULL);
	stream[5 + 4 + 2 + 32 + 1 + 1] ^= 1;
	handshake(&e, &c);
	cli_data(&e, &c, 0, stream, n);
	o = find(&s, "tls client", 1);
	if (ASSERT_TRUE(o != NULL, "refused reported"))
		ASSERT_STREQ(val(o, "error"), "malformed", "error");
	ASSERT_EQ(e.st.tls_refused, 1, "tls_refused");

	/* HTTP: no TLS observation, and nothing left to follow */
	c.cport++;
	handshake(&e, &c);
	cli_data(&e, &c, 0, (const u8 *)"GET / HTTP/1.1\r\n\r\n", 18);
	srv_data(&e, &c, 0, (const u8 *)"HTTP/1.1 200 OK\r\n\r\n", 19);
	ASSERT_EQ(count(&s, "tls client"), 2, "no tls client for HTTP");
	ASSERT_EQ(count(&s, "http request"), 1, "p0f's http request");
	ASSERT_EQ(e.st.tls_conns, 2, "no TLS connection made for HTTP");
	engine_free(&e);
}

/* TCP Fast Open: the hello in the SYN, the server's from its SYN+ACK on. */
static void test_tfo(void)
{
	struct tconn c = { 40070, 443, 9700000, 0 };
	char ja4[JA4_LEN + 1], ja3[JA3_HASH_LEN + 1];
	struct engine e;
	size_t n;

	if (setup(&e, &s, 0))
		return;
	n = hello(hb_small, 16384, ja4, ja3);
	send_pkt(&e, &c, 1, TH_SYN, CLI_ISN, stream, n);
	ASSERT_STREQ(val(find(&s, "tls client", 0), "ja4"), ja4,
		     "hello in the SYN");
	ASSERT_EQ(s.syn, 1, "p0f's syn observation too");
	engine_free(&e);
}

/* The end of the input, connection age and table room end hellos too. */
static void test_ends(void)
{
	struct tconn c = { 40010, 443, 5000000, 0 };
	struct engine e;
	int i;

	if (setup(&e, &s, 4))
		return;
	hello(hb_chrome_pq, 16384, NULL, NULL);
	for (i = 0; i < 5; i++, c.cport++) {
		handshake(&e, &c);
		cli_data(&e, &c, 0, stream, 100);
	}
	ASSERT_EQ(e.st.tls_evicted, 1, "evicted for room (max_conn 4)");
	ASSERT_EQ(e.st.tls_incomplete, 1, "the evicted hello: incomplete");
	/* 31 s later (conn_max_age 30): the next packets expire the rest */
	c.ms += 31000;
	for (i = 0; i < 60; i++)
		send_pkt(&e, &c, 1, TH_ACK, 1, NULL, 0);
	ASSERT_EQ(e.st.tls_incomplete, 5, "expired hellos: incomplete");
	ASSERT_EQ(e.tls->cnt, 0, "table empty");
	handshake(&e, &c);
	cli_data(&e, &c, 0, stream, 100);
	engine_end_input(&e);
	ASSERT_EQ(e.st.tls_incomplete, 6, "end of input: incomplete");
	ASSERT_EQ(count(&s, "tls client"), 6, "each reported once");
	engine_free(&e);
}

/* An offload frame (IP length 0) is refused by p0f's parser, as p0f
 * refuses it, and read by TLS. */
static void test_len0_frame(void)
{
	struct tconn c = { 40020, 443, 6000000, 0 };
	char ja4[JA4_LEN + 1], ja3[JA3_HASH_LEN + 1];
	struct engine e;
	size_t n;

	if (setup(&e, &s, 0))
		return;
	n = hello(hb_chrome_pq, 16384, ja4, ja3);
	handshake(&e, &c);
	c.len0 = 1;
	cli_data(&e, &c, 0, stream, n);
	ASSERT_EQ(e.st.pkt_err[PKT_ERR_SHORT], 1, "p0f's parser refused it");
	ASSERT_EQ(e.st.tls_tso_frames, 1, "tls_tso_frames");
	ASSERT_STREQ(val(find(&s, "tls client", 0), "ja4"), ja4,
		     "ja4 from the offload frame");
	engine_free(&e);
}

/* A capture that starts after the handshake: picked up at the hello. */
static void test_mid_stream(void)
{
	struct tconn c = { 40030, 443, 7000000, 0 };
	char ja4[JA4_LEN + 1], ja3[JA3_HASH_LEN + 1];
	struct engine e;
	size_t n;

	if (setup(&e, &s, 0))
		return;
	cli_data(&e, &c, 0, (const u8 *)"\x17\x03\x03\x00\x10 encrypted", 16);
	ASSERT_EQ(e.tls->cnt, 0, "not a hello: not followed");
	n = hello(hb_small, 100, ja4, ja3);
	cli_data(&e, &c, 0, stream, 60);
	cli_data(&e, &c, 60, stream + 60, n - 60);
	ASSERT_STREQ(val(find(&s, "tls client", 0), "ja4"), ja4,
		     "ja4 picked up mid-stream");
	/* one begun mid-stream and never finished is incomplete */
	c.cport++;
	cli_data(&e, &c, 0, stream, 60);
	engine_end_input(&e);
	ASSERT_STREQ(val(find(&s, "tls client", 1), "error"), "incomplete",
		     "picked up, never finished");
	engine_free(&e);
}

/* SNI and ALPN bytes a client chose: escaped in the text, exact in JSON. */
static void test_escaping(void)
{
	static const char *const alpn[] = { "h2", "a,b|\xff" };
	static const int alpn_len[] = { 2, 5 };
	struct tconn c = { 40040, 443, 8000000, 0 };
	char *buf = NULL;
	size_t blen = 0, n;
	struct engine e;
	FILE *fp;

	if (setup(&e, &s, 0))
		return;
	n = tiny_hello("a|b\\c\x01.example", alpn, alpn_len, 2);
	handshake(&e, &c);
	cli_data(&e, &c, 0, stream, n);
	ASSERT_STREQ(val(find(&s, "tls client", 0), "sni"),
		     "a\\x7cb\\x5cc\\x01.example", "sni escaped");
	ASSERT_STREQ(val(find(&s, "tls client", 0), "alpn"),
		     "h2,a\\x2cb\\x7c\\xff", "alpn escaped");
	fp = open_memstream(&buf, &blen);
	if (fp && find(&s, "tls client", 0)) {
		out_json(fp, find(&s, "tls client", 0), NULL);
		fclose(fp);
		ASSERT_TRUE(strstr(buf, "\"sni\":\"a|b\\\\c\\u0001.example\""),
			    "JSON sni");
		ASSERT_TRUE(strstr(buf, "\"alpn\":[\"h2\",\"a,b|\\u00ff\"]"),
			    "JSON alpn");
		ASSERT_TRUE(strstr(buf, "\"version\":\"1.2\""), "JSON version");
		ASSERT_TRUE(strstr(buf, "\"mod\":\"tls_client\""), "JSON mod");
	}
	free(buf);
	engine_free(&e);
}

/* h2c with prior knowledge: the fingerprint in an "http request". */
static void test_h2c(void)
{
	/* preface, SETTINGS (1:4096, 4:65535), WINDOW_UPDATE 1000, HEADERS
	 * with :method GET, :path /, :scheme http, :authority (literal,
	 * HPACK static indexes 2, 4, 6 and 1 with a 1-byte value) */
	static const uint8_t h2[] = H2_PREFACE
		"\x00\x00\x0c\x04\x00\x00\x00\x00\x00"
		"\x00\x01\x00\x00\x10\x00\x00\x04\x00\x00\xff\xff"
		"\x00\x00\x04\x08\x00\x00\x00\x00\x00\x00\x00\x03\xe8"
		"\x00\x00\x06\x01\x05\x00\x00\x00\x01\x82\x84\x86\x41\x01x";
	struct tconn c = { 40050, 80, 9000000, 0 };
	char want[256];
	size_t need;
	struct engine e;

	if (setup(&e, &s, 0))
		return;
	ASSERT_EQ(h2_fingerprint(h2, sizeof(h2) - 1, want, sizeof(want), NULL,
				 &need),
		  0, "module's fingerprint");
	handshake(&e, &c);
	cli_data(&e, &c, 0, h2, 30);
	ASSERT_EQ(count(&s, "http request"), 0, "not yet");
	cli_data(&e, &c, 30, h2 + 30, sizeof(h2) - 1 - 30);
	ASSERT_STREQ(val(find(&s, "http request", 0), "h2"), want,
		     "h2 fingerprint");
	ASSERT_STREQ(want, "1:4096;4:65535|1000|0|m,p,s,a", "its value");
	ASSERT_EQ(e.st.h2c, 1, "h2c count");
	ASSERT_EQ(count(&s, "tls client"), 0, "no tls client");
	engine_free(&e);
}

/* The host's SNI is cut to its room, never through an escape. */
static void test_host_sni_cut(void)
{
	struct tconn c = { 40060, 443, 9500000, 0 };
	struct engine e;
	struct host *h;
	char name[80];
	size_t n;

	if (setup(&e, &s, 0))
		return;
	memset(name, 'a', sizeof(name));
	name[58] = '|'; /* its escape would straddle the cut at 60 */
	name[sizeof(name) - 1] = 0;
	n = tiny_hello(name, NULL, NULL, 0);
	handshake(&e, &c);
	cli_data(&e, &c, 0, stream, n);
	h = engine_lookup_host(&e, (const u8 *)"\x0a\x00\x00\x01", IP_VER4);
	if (ASSERT_TRUE(h != NULL && h->tls != NULL, "host's pair")) {
		ASSERT_EQ(strlen(h->tls->sni), 61, "cut before the escape");
		ASSERT_STREQ(h->tls->sni + 58, "...", "marked");
	}
	engine_free(&e);
}

static void test_sizes(void)
{
	/* hosts do not grow for TLS; a connection's and a pair's cost */
	ASSERT_TRUE(sizeof(struct host) <= 240, "sizeof(struct host) <= 240");
	printf("# sizeof(struct host) %zu, sizeof(struct tls_conn) %zu, "
	       "sizeof(struct host_tls) %zu\n",
	       sizeof(struct host), sizeof(struct tls_conn),
	       sizeof(struct host_tls));
	ASSERT_TRUE(sizeof(struct tls_conn) <= 288,
		    "sizeof(struct tls_conn) <= 288");
}

TH_MAIN("tls_engine", TH_CASE(test_client_one_segment),
	TH_CASE(test_client_two_segments), TH_CASE(test_server_hello),
	TH_CASE(test_incomplete_and_refused), TH_CASE(test_tfo),
	TH_CASE(test_ends), TH_CASE(test_len0_frame), TH_CASE(test_mid_stream),
	TH_CASE(test_escaping), TH_CASE(test_h2c), TH_CASE(test_host_sni_cut),
	TH_CASE(test_sizes))
