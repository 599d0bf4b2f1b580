// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * TCP and MTU fingerprinting (tcp_*.c, mtu.c): match
 * order, distances, raw_sig / params text, observations, NAT score and
 * uptime.  Expected raw_sig strings marked "p0f" were printed by Debian's
 * p0f 3.09b for the same bytes (a pcap crafted with python3).
 */
#include <errno.h>
#include <stdlib.h>

#include "tests/frames.h"
#include "tests/harness.h"
#include "user/engine/engine.h"
#include "user/engine/flow.h"
#include "user/engine/mtu.h"
#include "user/engine/pool.h"
#include "user/engine/strbuf.h"
#include "user/engine/tcp.h"

/*
 * Parse the packet of spec sp (tests/frames.h) with this file's defaults
 * (IPv4, a SYN from 10.0.0.9:40001 to 10.0.0.1:80, or 2000::9 to 2000::1)
 * built into fr.
 */
static int mkpkt(const struct fx_spec *sp, struct fx_frame *fr, struct pkt *pk)
{
	struct fx_spec s = *sp;
	size_t n;
	u8 *ip;

	if (!s.ip_ver)
		s.ip_ver = 4;
	if (!s.flags)
		s.flags = TH_SYN;
	s.src = s.ip_ver == 4 ? "10.0.0.9" : "2000::9";
	s.dst = s.ip_ver == 4 ? "10.0.0.1" : "2000::1";
	s.sport = 40001;
	s.dport = 80;
	fx_build(&s, fr);
	ip = fx_ip(fr, &n);
	return pkt_parse(ip, n, 1000, pk);
}

static const u8 o_mss_sok[] = { 2, 4, 5, 0xb4, 1, 1, 4, 2 };
static const u8 o_mss[] = { 2, 4, 5, 0xb4 };
static const u8 o_mss1331[] = { 2, 4, 5, 0x33, 1, 1, 4, 2 };
static const u8 o_eol_nz[] = { 2, 4, 5, 0xb4, 0, 0, 1, 0 };
static const u8 o_linux[] = { 2,    4,	  5, 0xb4, 4, 2, 8, 10, 0, 0,
			      0x03, 0xe8, 0, 0,	   0, 0, 1, 3,	3, 7 };

static const char match_db[] =
	"classes = win,unix,other\n"
	"[tcp:request]\n"
	"label = g:unix:Gen:\n"
	"sig = *:64:0:*:*,*:mss:df,id+:0\n" /* line 4 */
	"label = s:unix:Exact:\n"
	"sig = 4:64:0:1460:8192,0:mss:df,id+:0\n" /* line 6 */
	"label = s:!:Tool:\n"
	"sys = @unix\n"
	"sig = 4:64:0:1300:*,*:mss:df,id+:0\n" /* line 9 */
	"label = s:win:Rand:\n"
	"sig = 4:128-:0:1000:*,*:mss:df,id+:0\n" /* line 11 */
	"label = s:!:Tool2:\n"
	"sys = @unix\n"
	"sig = 4:64:0:*:*,*:mss,nop,nop,nop,nop:df,id+:0\n"; /* line 14 */

static void load_match_db(struct sigdb *db)
{
	char err[256] = "";
	int rc = sigdb_load_buf(db, "m.fp", match_db, strlen(match_db), err,
				sizeof(err));

	ASSERT_EQ(rc, 0, err);
}

static u32 match(const struct sigdb *db, const struct fx_spec *s,
		 struct tcp_sig *ts)
{
	struct fx_frame buf;
	struct pkt pk;

	if (mkpkt(s, &buf, &pk) != PKT_OK)
		return 0;
	tcp_sig_from_pkt(&pk, 0, ts);
	tcp_find_match(db, 1, ts, 0, 0);
	return ts->matched ? ts->matched->line_no : 0;
}

static void match_order(void)
{
	struct sigdb db;
	struct tcp_sig ts;
	struct fx_spec s = { .ttl = 60,
			     .ip_id = 1,
			     .win = 8192,
			     .seq = 1,
			     .opt = o_mss,
			     .opt_len = 4 };

	load_match_db(&db);
	/* generic line 4 matches first, but the exact non-generic wins */
	ASSERT_EQ(match(&db, &s, &ts), 6, "exact over generic");
	ASSERT_EQ(ts.fuzzy, 0, "not fuzzy");
	ASSERT_EQ(ts.dist, 4, "dist");

	s.win = 4096; /* only the generic one fits */
	ASSERT_EQ(match(&db, &s, &ts), 4, "generic");
	ASSERT_EQ(ts.fuzzy, 0, "generic not fuzzy");

	/* df and id+ gone, id- added: tolerated, fuzzy; first fuzzy wins */
	s.win = 8192, s.nofrag_df = 1, s.ip_id = 0;
	ASSERT_EQ(match(&db, &s, &ts), 4, "fuzzy quirks");
	ASSERT_EQ(ts.fuzzy, 1, "fuzzy");

	/* TTL beyond MAX_DIST: fuzzy, distance guessed */
	s.nofrag_df = 0, s.ip_id = 1, s.ttl = 20;
	/* the generic line is the first fuzzy candidate and stays */
	ASSERT_EQ(match(&db, &s, &ts), 4, "ttl fuzzy");
	ASSERT_EQ(ts.fuzzy, 1, "ttl fuzzy flag");
	ASSERT_EQ(ts.dist, 12, "guessed dist 32-20");

	/* an unknown quirk: nothing */
	s.ttl = 60, s.flags = TCP_SYN | TCP_PUSH;
	ASSERT_EQ(match(&db, &s, &ts), 0, "pushf+ matches nothing");
	ASSERT_EQ(ts.dist, 4, "guess 64-60");
	sigdb_free(&db);
}

static void app_and_random_ttl(void)
{
	struct sigdb db;
	struct tcp_sig ts;
	struct fx_spec s = { .ttl = 60,
			     .ip_id = 1,
			     .win = 100,
			     .seq = 1,
			     .opt = o_mss,
			     .opt_len = 4 };
	static const u8 o1300[] = { 2, 4, 5, 0x14 };
	static const u8 o1000[] = { 2, 4, 3, 0xe8 };
	static const u8 o_mss_nop4[] = { 2, 4, 5, 0x14, 1, 1, 1, 1 };

	load_match_db(&db);
	s.opt = o1300;
	ASSERT_EQ(match(&db, &s, &ts), 9, "tool sig exact");
	ASSERT_EQ(ts.matched->lb.class_id, -1, "app");
	/* a fuzzy hit on an application sig is dropped, not reported */
	s.opt = o_mss_nop4, s.opt_len = 8;
	ASSERT_EQ(match(&db, &s, &ts), 14, "tool2 exact");
	s.nofrag_df = 1, s.ip_id = 0;
	ASSERT_EQ(match(&db, &s, &ts), 0, "app never fuzzy");
	/* p0f returns before computing a distance here: it stays 0 */
	ASSERT_EQ(ts.dist, 0, "no dist");

	/* "128-": random TTL, any TTL up to 128 is exact */
	s.nofrag_df = 0, s.ip_id = 1, s.opt = o1000, s.opt_len = 4;
	s.ttl = 30;
	ASSERT_EQ(match(&db, &s, &ts), 11, "random ttl");
	ASSERT_EQ(ts.fuzzy, 0, "exact");
	ASSERT_EQ(ts.dist, 98, "dist 128-30");
	/* above the initial TTL: Rand refuses, generic line 4 is fuzzy */
	s.ttl = 129;
	ASSERT_EQ(match(&db, &s, &ts), 4, "random ttl above initial");
	ASSERT_EQ(ts.fuzzy, 1, "fuzzy generic");
	sigdb_free(&db);
}

struct raw_case {
	const char *name;
	struct fx_spec s;
	u16 syn_mss;
	const char *raw, *flags;
};

static void raw_sig_text(void)
{
	static const u8 o_ws15[] = { 2, 4, 5, 0xb4, 3, 3, 15, 1 };
	const struct raw_case c[] = {
		/* p0f */
		{ "ack+ odd first byte",
		  { .ttl = 64,
		    .ip_id = 0x1234,
		    .win = 65535,
		    .seq = 1,
		    .ack = 0x01000000,
		    .opt = o_mss_sok,
		    .opt_len = 8 },
		  0,
		  "4:64+0:0:1460:65535,0:mss,nop,nop,sok:df,id+,ack+:0",
		  "none" },
		/* p0f */
		{ "eol padding nz",
		  { .ttl = 64,
		    .ip_id = 0x1234,
		    .win = 65535,
		    .seq = 1,
		    .opt = o_eol_nz,
		    .opt_len = 8 },
		  0,
		  "4:64+0:0:1460:65535,0:mss,eol+3:df,id+,opt+:0",
		  "none" },
		/* p0f */
		{ "far ttl",
		  { .ttl = 200,
		    .ip_id = 0x1234,
		    .win = 65535,
		    .seq = 1,
		    .opt = o_mss_sok,
		    .opt_len = 8 },
		  0,
		  "4:200+?:0:1460:65535,0:mss,nop,nop,sok:df,id+:0",
		  "excess_dist" },
		/* p0f */
		{ "mtu*3",
		  { .ttl = 64,
		    .ip_id = 0x1234,
		    .win = 4500,
		    .seq = 1,
		    .opt = o_mss_sok,
		    .opt_len = 8 },
		  0,
		  "4:64+0:0:1460:mtu*3,0:mss,nop,nop,sok:df,id+:0",
		  "none" },
		/* p0f: SYN+ACK echoing sendsyn's MSS, window of peer MSS */
		{ "syn+ack 1331",
		  { .ttl = 64,
		    .ip_id = 0x1234,
		    .win = 5840,
		    .seq = 1,
		    .ack = 5,
		    .flags = TCP_SYN | TCP_ACK,
		    .opt = o_mss1331,
		    .opt_len = 8 },
		  1460,
		  "4:64+0:0:*:mss*4,0:mss,nop,nop,sok:df,id+:0",
		  "none" },
		/* p0f */
		{ "v6 1440*2",
		  { .ip_ver = 6,
		    .ttl = 64,
		    .win = 2880,
		    .seq = 1,
		    .opt = o_mss_sok,
		    .opt_len = 8 },
		  0,
		  "6:64+0:0:1460:mss*2,0:mss,nop,nop,sok::0",
		  "none" },
		/* p0f */
		{ "linux",
		  { .ttl = 64,
		    .ip_id = 7,
		    .win = 29200,
		    .seq = 1,
		    .opt = o_linux,
		    .opt_len = 20 },
		  0,
		  "4:64+0:0:1460:mss*20,7:mss,sok,ts,nop,ws:df,id+:0",
		  "none" },
		{ "exws tos",
		  { .ttl = 120,
		    .ip_id = 7,
		    .win = 1000,
		    .seq = 0,
		    .tos = 0x20,
		    .opt = o_ws15,
		    .opt_len = 8 },
		  0,
		  "4:120+8:0:1460:1000,15:mss,ws,nop:df,id+,seq-,exws:0",
		  "tos:0x08" },
		{ "peer mss - 12",
		  { .ttl = 64,
		    .ip_id = 7,
		    .win = 2376,
		    .seq = 1,
		    .ack = 1,
		    .flags = TCP_SYN | TCP_ACK,
		    .opt = o_mss_sok,
		    .opt_len = 8 },
		  1200,
		  "4:64+0:0:1460:mss*2,0:mss,nop,nop,sok:df,id+:0",
		  "none" },
	};
	struct sigdb db = { 0 };
	struct strbuf sb;
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct fx_frame buf;
		char raw[256], fl[128];
		struct pkt pk;
		struct tcp_sig ts;

		if (!ASSERT_EQ(mkpkt(&c[i].s, &buf, &pk), PKT_OK, c[i].name))
			continue;
		tcp_sig_from_pkt(&pk, 0, &ts);
		tcp_find_match(&db, 1, &ts, 0, c[i].syn_mss);
		sb_init(&sb, raw, sizeof(raw));
		tcp_dump_sig(&pk, &ts, c[i].syn_mss, &sb);
		sb_init(&sb, fl, sizeof(fl));
		tcp_dump_flags(&pk, &ts, &sb);
		ASSERT_STREQ(raw, c[i].raw, c[i].name);
		ASSERT_STREQ(fl, c[i].flags, c[i].name);
	}
	/* a short buffer is cut, never overrun */
	{
		struct fx_frame buf;
		char small[8];
		struct pkt pk;
		struct tcp_sig ts;

		mkpkt(&c[6].s, &buf, &pk);
		tcp_sig_from_pkt(&pk, 0, &ts);
		sb_init(&sb, small, sizeof(small));
		tcp_dump_sig(&pk, &ts, 0, &sb);
		ASSERT_STREQ(small, "4:64+0:", "cut");
	}
}

static void win_multi(void)
{
	struct tcp_sig ts = { .win = 1460 * 3,
			      .mss = 1460,
			      .win_type = WIN_TYPE_NORMAL,
			      .ip_ver = IP_VER4,
			      .tot_hdr = 52 };
	u8 mtu = 9;

	ASSERT_EQ(tcp_win_multi(&ts, &mtu, 0), 3, "mss*3");
	ASSERT_EQ(mtu, 0, "mss");
	ts.win = 1448 * 5;
	ts.ts1 = 1;
	ASSERT_EQ(tcp_win_multi(&ts, &mtu, 0), 5, "mss-12 with ts");
	ts.mss = 1000, ts.win = 1052 * 2, ts.ts1 = 0;
	ASSERT_EQ(tcp_win_multi(&ts, &mtu, 0), 2, "mss+tot_hdr");
	ASSERT_EQ(mtu, 1, "mtu");
	ts.win = 0;
	ASSERT_EQ(tcp_win_multi(&ts, &mtu, 0), -1, "win 0");
	ts.win = 99 * 3, ts.mss = 99;
	ASSERT_EQ(tcp_win_multi(&ts, &mtu, 0), -1, "mss < 100");
	ASSERT_EQ(tcp_guess_dist(32), 0, "guess 32");
	ASSERT_EQ(tcp_guess_dist(33), 31, "guess 33");
	ASSERT_EQ(tcp_guess_dist(128), 0, "guess 128");
	ASSERT_EQ(tcp_guess_dist(129), 126, "guess 129");
}

/* ------------------------------------------------ observations, hosts */

struct capture {
	u32 n;
	char mod[8][24];
	char text[8][512];
};

static void on_obs(void *ctx, const struct obs *o)
{
	struct capture *c = ctx;
	size_t pos = 0;
	u32 i;

	if (c->n >= 8)
		return;
	snprintf(c->mod[c->n], sizeof(c->mod[0]), "%s", o->mod);
	c->text[c->n][0] = 0;
	for (i = 0; i < o->nfields; i++)
		pos += snprintf(c->text[c->n] + pos, sizeof(c->text[0]) - pos,
				"%s%s=%s", i ? "|" : "", o->f[i].key,
				o->f[i].val);
	c->n++;
}

struct world {
	struct sigdb db;
	struct engine e;
	struct host_blk cli, srv; /* as the tables allocate hosts */
	struct flow f;
	struct capture cap;
};

static int world_init(struct world *w)
{
	char path[512], err[256] = "";
	const char *top = getenv("TOP");

	memset(w, 0, sizeof(*w));
	snprintf(path, sizeof(path), "%s/db/p0f.fp", top ? top : ".");
	if (!ASSERT_EQ(sigdb_load(&w->db, path, err, sizeof(err)), 0, err))
		return -1;
	if (!ASSERT_EQ(engine_init(&w->e, &w->db, NULL), 0, "engine_init")) {
		sigdb_free(&w->db);
		return -1;
	}
	w->e.on_obs = on_obs;
	w->e.obs_ctx = &w->cap;
	w->cli.h.ip_ver = w->srv.h.ip_ver = IP_VER4;
	w->cli.h.addr[0] = 10, w->cli.h.addr[3] = 9;
	w->srv.h.addr[0] = 10, w->srv.h.addr[3] = 1;
	w->cli.h.last_class_id = w->srv.h.last_class_id = -1;
	w->cli.h.last_name_id = w->srv.h.last_name_id = -1;
	w->f.client = &w->cli.h;
	w->f.server = &w->srv.h;
	w->f.cli_port = 40001;
	w->f.srv_port = 80;
	return 0;
}

/* h keeps sig (from the engine's pool; NULL: none) as its last SYN
 * (to_srv) or SYN+ACK signature, as the engine's handshake does. */
static void keep_sig(struct engine *e, struct host *h, u8 to_srv,
		     struct tcp_sig *sig)
{
	if (!sig)
		return;
	*host_sig_slot(h, to_srv) = *sig;
	h->tcp_sigs |= to_srv ? HOST_SIG_SYN : HOST_SIG_SYNACK;
	pool_put(e->tcp_sigs, sig);
}

static void world_fini(struct world *w)
{
	engine_free(&w->e);
	sigdb_free(&w->db);
}

static void syn_observation(void)
{
	static struct world w;
	struct fx_spec s = { .ttl = 61,
			     .ip_id = 7,
			     .win = 29200,
			     .seq = 1,
			     .opt = o_linux,
			     .opt_len = 20 };
	struct tcp_sig *sig;
	struct fx_frame buf;
	struct pkt pk;

	if (world_init(&w))
		return;
	mkpkt(&s, &buf, &pk);
	w.e.now_ms = 5000;
	sig = fingerprint_tcp(&w.e, 1, &pk, &w.f);
	if (!ASSERT_TRUE(sig != NULL, "sig returned"))
		goto out;
	keep_sig(&w.e, &w.cli.h, 1, sig);
	ASSERT_EQ(w.cap.n, 1, "one observation");
	ASSERT_STREQ(w.cap.mod[0], "syn", "mod");
	ASSERT_STREQ(w.cap.text[0],
		     "os=Linux 3.11 and newer|dist=3|params=none|raw_sig="
		     "4:61+3:0:1460:mss*20,7:mss,sok,ts,nop,ws:df,id+:0",
		     "fields");
	ASSERT_EQ(w.cli.h.distance, 3, "host distance");
	ASSERT_STREQ(w.db.names[w.cli.h.last_name_id], "Linux", "host os");
	ASSERT_EQ(w.cli.h.last_quality, 0, "quality");
	ASSERT_EQ(w.f.syn_mss, 1460, "syn_mss kept");
	ASSERT_EQ(w.cli.h.last_port, 40001, "last port");

	/* MTU of the same SYN */
	fingerprint_mtu(&w.e, 1, &pk, &w.f);
	ASSERT_STREQ(w.cap.text[1], "link=Ethernet or modem|raw_mtu=1500",
		     "mtu fields");
	ASSERT_EQ(w.cli.h.last_mtu, 1500, "last_mtu");
	ASSERT_STREQ(w.cli.h.link_type, "Ethernet or modem", "link type");

	/* same host, now a Windows SYN: OS changed -> host change (8) */
	{
		static const u8 o_win[] = { 2, 4, 5, 0xb4, 1, 3,
					    3, 8, 1, 1,	   4, 2 };
		struct fx_spec s2 = { .ttl = 125,
				      .ip_id = 9,
				      .win = 8192,
				      .seq = 1,
				      .opt = o_win,
				      .opt_len = 12 };
		struct tcp_sig *sig2;

		mkpkt(&s2, &buf, &pk);
		w.f.cli_port = 40100;
		sig2 = fingerprint_tcp(&w.e, 1, &pk, &w.f);
		ASSERT_TRUE(sig2 != NULL, "second sig");
		ASSERT_EQ(w.cap.n, 4, "syn + host change");
		ASSERT_STREQ(w.cap.mod[3], "host change", "nat mod");
		ASSERT_STREQ(w.cap.text[3], "reason=os_diff|raw_hits=1,1,1,1",
			     "nat fields");
		ASSERT_STREQ(w.db.names[w.cli.h.last_name_id], "Windows",
			     "host os now");
		pool_put(w.e.tcp_sigs, sig2);
	}
out:
	world_fini(&w);
}

static void tool_and_unknown(void)
{
	static struct world w;
	/* nmap's SYN scan: win 1024, mss 1460 only, random ttl */
	static const u8 o_nmap[] = { 2, 4, 5, 0xb4 };
	struct fx_spec s = { .ttl = 50,
			     .nofrag_df = 1,
			     .ip_id = 5,
			     .win = 1024,
			     .seq = 1,
			     .opt = o_nmap,
			     .opt_len = 4 };
	struct fx_frame buf;
	struct pkt pk;

	if (world_init(&w))
		return;
	mkpkt(&s, &buf, &pk);
	ASSERT_TRUE(fingerprint_tcp(&w.e, 1, &pk, &w.f) == NULL,
		    "tool sig returns no host sig");
	ASSERT_STREQ(w.cap.text[0],
		     "app=NMap SYN scan|dist=<= 14|params=random_ttl|raw_sig="
		     "4:50+14:0:1460:1024,0:mss::0",
		     "nmap fields");

	/* unknown SYN+ACK */
	s.flags = TCP_SYN | TCP_ACK, s.ack = 1, s.win = 1234, s.ttl = 255;
	mkpkt(&s, &buf, &pk);
	keep_sig(&w.e, &w.srv.h, 0, fingerprint_tcp(&w.e, 0, &pk, &w.f));
	ASSERT_STREQ(w.cap.mod[1], "syn+ack", "mod");
	ASSERT_STREQ(w.cap.text[1],
		     "os=???|dist=0|params=none|raw_sig="
		     "4:255+0:0:1460:1234,0:mss::0",
		     "unknown fields");
	world_fini(&w);
}

static void uptime(void)
{
	static struct world w;
	struct fx_spec s = { .ttl = 64,
			     .ip_id = 7,
			     .win = 29200,
			     .seq = 1,
			     .opt = o_linux,
			     .opt_len = 20 };
	struct fx_frame buf;
	struct pkt pk;
	struct tcp_sig *ref;

	if (world_init(&w))
		return;
	mkpkt(&s, &buf, &pk);
	ref = pool_get(w.e.tcp_sigs);
	tcp_sig_from_pkt(&pk, 10000, ref);
	ref->ts1 = 3658000;
	keep_sig(&w.e, &w.cli.h, 1, ref);

	/* too soon: < 25 ms */
	pk.ts1 = 3658010, pk.tcp_type = TCP_ACK;
	w.e.now_ms = 10010;
	check_ts_tcp(&w.e, 1, &pk, &w.f);
	ASSERT_EQ(w.cap.n, 0, "too soon");

	/* 2 s later, 2000 ticks: 1000 Hz; ts1 = 61 minutes of ticks */
	pk.ts1 = 3660000;
	w.e.now_ms = 12000;
	check_ts_tcp(&w.e, 1, &pk, &w.f);
	if (!ASSERT_EQ(w.cap.n, 1, "one uptime"))
		goto out;
	ASSERT_STREQ(w.cap.mod[0], "uptime", "mod");
	ASSERT_STREQ(w.cap.text[0],
		     "uptime=0 days 1 hrs 1 min (modulo 49 days)|"
		     "raw_freq=1000.00 Hz",
		     "fields");
	ASSERT_EQ(w.f.cli_tps, 1000, "tps");
	ASSERT_EQ(w.cli.h.last_up_min, 61, "up_min");
	ASSERT_EQ(w.cli.h.up_mod_days, 49, "modulo");

	/* once per flow */
	check_ts_tcp(&w.e, 1, &pk, &w.f);
	ASSERT_EQ(w.cap.n, 1, "once per flow");

	/* an absurd rate on a non-SYN marks the flow bad */
	w.f.cli_tps = 0;
	pk.ts1 = 3658000 + 5000000;
	w.e.now_ms = 11000;
	check_ts_tcp(&w.e, 1, &pk, &w.f);
	ASSERT_EQ(w.f.cli_tps, -1, "bad rate");
	ASSERT_EQ(w.cap.n, 1, "no output");
out:
	world_fini(&w);
}

TH_MAIN("tcp", TH_CASE(match_order), TH_CASE(app_and_random_ttl),
	TH_CASE(raw_sig_text), TH_CASE(win_multi), TH_CASE(syn_observation),
	TH_CASE(tool_and_unknown), TH_CASE(uptime))
