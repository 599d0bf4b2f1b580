// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Databases without a rebuild: an overlay file on a loaded database
 * (sigdb_overlay: the later file's sigs are tried first, replace earlier
 * ones of the same shape, share classes and names; a dupe within one file
 * stays fatal) and switching a running engine to a reloaded database
 * (engine_swap_db: hosts and half-read flows carried over, the old
 * database freed, so the ASan tier catches any reference left behind).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "tests/frames.h"
#include "tests/harness.h"
#include "user/dbload.h"
#include "user/engine/engine.h"
#include "user/engine/flow.h"
#include "user/engine/http.h"
#include "user/engine/mtu.h"
#include "user/engine/sigstore.h"
#include "user/engine/tcp.h"
#include "user/log.h"

#define HDR "classes = win,unix,other\n"
#define LINUX44 "*:64:0:*:mss*44,*:mss,sok,ts,nop,ws:df,id+:0"
#define LINUX44_7 "*:64:0:*:mss*44,7:mss,sok,ts,nop,ws:df,id+:0"

static int load2(struct sigdb *db, const char *a, const char *b, char *err,
		 size_t n)
{
	int rc = sigdb_load_buf(db, "base.fp", a, strlen(a), err, n);

	if (!rc && b)
		rc = sigdb_overlay_buf(db, "local.fp", b, strlen(b), err, n);
	return rc;
}

/* ------------------------------------------------------------ engine */

struct seen {
	char os[128]; /* last syn "os" label, "" = none */
	char raw[256];
	u32 host_change;
	char http_raw[512];
};

static void on_obs(void *ctx, const struct obs *o)
{
	struct seen *s = ctx;
	u32 i;

	if (!strcmp(o->mod, "host change"))
		s->host_change++;
	for (i = 0; i < o->nfields; i++) {
		if (!strcmp(o->mod, "syn") && !strcmp(o->f[i].key, "os"))
			snprintf(s->os, sizeof(s->os), "%s",
				 o->f[i].unknown ? "" : o->f[i].val);
		if (!strcmp(o->mod, "syn") && !strcmp(o->f[i].key, "raw_sig"))
			snprintf(s->raw, sizeof(s->raw), "%s", o->f[i].val);
		if (!strcmp(o->mod, "http request") &&
		    !strcmp(o->f[i].key, "raw_sig"))
			snprintf(s->http_raw, sizeof(s->http_raw), "%s",
				 o->f[i].val);
	}
}

/* A Linux-like SYN from 10.0.0.cli with window scale ws (MSS 1460,
 * window 64240 = mss*44). */
static void syn(struct engine *e, u8 cli, u16 sport, u8 ws, u64 ms)
{
	u8 opt[] = "\x02\x04\x05\xb4\x04\x02\x08\x0a\x00\x0f\x42\x40\x00\x00"
		   "\x00\x00\x01\x03\x03\x07";
	char src[16];
	struct fx_spec s = { .ip_ver = 4,
			     .src = src,
			     .ip_id = 7,
			     .sport = sport,
			     .dport = 80,
			     .seq = 1000,
			     .flags = TH_SYN,
			     .opt = opt,
			     .opt_len = sizeof(opt) - 1 };
	struct fx_frame fr;
	size_t n;
	u8 *ip;

	opt[19] = ws;
	snprintf(src, sizeof(src), "10.0.0.%u", cli);
	fx_build(&s, &fr);
	ip = fx_ip(&fr, &n);
	engine_feed(e, ip, n, ms);
}

static const char *syn_label(struct sigdb *db, u8 ws)
{
	static struct seen s;
	struct engine e;

	memset(&s, 0, sizeof(s));
	if (engine_init(&e, db, NULL))
		return "(engine_init failed)";
	e.on_obs = on_obs;
	e.obs_ctx = &s;
	syn(&e, 1, 40000, ws, 1000);
	engine_free(&e);
	return s.os;
}

/* ----------------------------------------------------------- overlay */

static void later_file_tried_first(void)
{
	/* in one file the second sig would be "already covered" */
	static const char base[] = HDR "[tcp:request]\n"
				       "label = s:unix:Linux:base\n"
				       "sig = " LINUX44 "\n";
	static const char local[] = "[tcp:request]\n"
				    "label = s:unix:Linux:local\n"
				    "sig = " LINUX44_7 "\n";
	struct sigdb db;
	char err[256] = "";

	if (!ASSERT_EQ(load2(&db, base, local, err, sizeof(err)), 0, err))
		return;
	ASSERT_EQ(db.tcp_cnt[1], 2, "both sigs kept");
	ASSERT_EQ(db.file_cnt, 2, "two files");
	ASSERT_STREQ(syn_label(&db, 7), "Linux local", "ws 7: the overlay's");
	ASSERT_STREQ(syn_label(&db, 10), "Linux base", "ws 10: the base's");
	sigdb_free(&db);
}

static void same_shape_replaced(void)
{
	static const char base[] =
		HDR "[tcp:request]\n"
		    "label = s:unix:Linux:base\n"
		    "sig = " LINUX44 "\n"
		    "label = g:unix:Linux:other\n"
		    "sig = *:64:0:*:*,*:mss,sok,ts,nop,ws:df,id+:0\n";
	/* generic in the overlay, specific in the base: the base's sig of
	 * the same shape goes, so the overlay's label is what matches */
	static const char local[] = "[tcp:request]\n"
				    "label = g:unix:Linux:mine\n"
				    "sig = " LINUX44 "\n";
	struct sigdb db;
	char err[256] = "";

	if (!ASSERT_EQ(load2(&db, base, local, err, sizeof(err)), 0, err))
		return;
	ASSERT_EQ(db.tcp_cnt[1], 2, "one replaced, one kept");
	ASSERT_STREQ(syn_label(&db, 7), "Linux mine", "the overlay's label");
	sigdb_free(&db);
}

static void specific_beats_generic_overlay(void)
{
	/* an overlay's generic sig of another shape does not hide a
	 * specific one: p0f's rule (first specific, then first generic)
	 * holds across files too */
	static const char base[] = HDR "[tcp:request]\n"
				       "label = s:unix:Linux:base\n"
				       "sig = " LINUX44 "\n";
	static const char local[] =
		"[tcp:request]\n"
		"label = g:unix:Linux:catch-all\n"
		"sig = *:64:0:*:*,*:mss,sok,ts,nop,ws:df,id+:0\n";
	struct sigdb db;
	char err[256] = "";

	if (!ASSERT_EQ(load2(&db, base, local, err, sizeof(err)), 0, err))
		return;
	ASSERT_STREQ(syn_label(&db, 7), "Linux base", "specific base sig");
	sigdb_free(&db);
}

static void dupe_within_overlay_fatal(void)
{
	static const char base[] = HDR "[tcp:request]\n"
				       "label = s:unix:Linux:base\n"
				       "sig = " LINUX44_7 "\n";
	/* (p0f's duplicate check never fires between two '*' sigs with
	 * IPv4-only quirks: it drops those quirks from the earlier sig) */
	static const char local[] =
		"[tcp:request]\n"
		"label = s:unix:Linux:local\n"
		"sig = 4:64:0:*:mss*44,*:mss,sok,ts,nop,ws:df,id+:0\n"
		"sig = 4:64:0:*:mss*44,7:mss,sok,ts,nop,ws:df,id+:0\n";
	struct sigdb db;
	char err[256] = "";

	ASSERT_EQ(load2(&db, base, local, err, sizeof(err)), -EINVAL, "rc");
	ASSERT_STREQ(err, "local.fp:4: signature is already covered by line 3",
		     "err");
	ASSERT_EQ(db.name_cnt, 0, "db freed");
	ASSERT_EQ(db.tcp_cnt[1], 0, "no sigs left");
}

static void classes_and_names_shared(void)
{
	static const char base[] = HDR "[tcp:request]\n"
				       "label = s:unix:Linux:base\n"
				       "sig = " LINUX44 "\n";
	static const char local[] = "classes = WIN,unix,lab\n"
				    "[tcp:request]\n"
				    "label = s:lab:Linux:lab box\n"
				    "sig = " LINUX44_7 "\n";
	static const char bad[] = "[tcp:request]\n"
				  "label = s:nosuch:Linux:x\n"
				  "sig = " LINUX44_7 "\n";
	struct sigdb db;
	char err[256] = "";
	u32 i;

	if (!ASSERT_EQ(load2(&db, base, local, err, sizeof(err)), 0, err))
		return;
	ASSERT_EQ(db.class_cnt, 4, "one class added");
	ASSERT_STREQ(db.classes[0], "win", "base classes keep their ids");
	ASSERT_STREQ(db.classes[3], "lab", "new class last");
	ASSERT_EQ(db.name_cnt, 1, "Linux is one name");
	for (i = 0; i < SIG_BUCKETS; i++)
		if (db.tcp[1][i].cnt == 2)
			ASSERT_EQ(((struct tcp_sig_record *)db.tcp[1][i].v[0])
					  ->lb.class_id,
				  3, "overlay sig in the new class");
	sigdb_free(&db);
	ASSERT_EQ(load2(&db, base, bad, err, sizeof(err)), -EINVAL, "rc");
	ASSERT_STREQ(err, "local.fp:2: unknown class 'nosuch'", "err");
}

static void mtu_and_http_overlay(void)
{
	static const char base[] =
		HDR "[mtu]\nlabel = WireGuard\nsig = 1420\nsig = 1500\n"
		    "[http:request]\nua_os = Linux,Windows\n"
		    "label = s:!:curl:\nsys = Linux\n"
		    "sig = *:Host,User-Agent,Accept=[*/*]:Connection:curl/\n";
	static const char local[] =
		"[mtu]\nlabel = office VPN\nsig = 1420\n"
		"[http:request]\nua_os = Windows=[Linux]\n"
		"label = s:!:my curl:\nsys = Linux\n"
		"sig = *:Host,User-Agent,Accept=[*/*]:Connection:curl/\n";
	const struct mtu_sig_record *m;
	const struct http_sig_record *h;
	struct sigdb db;
	char err[256] = "";

	if (!ASSERT_EQ(load2(&db, base, local, err, sizeof(err)), 0, err))
		return;
	ASSERT_EQ(db.mtu_cnt, 2, "1420 replaced, 1500 kept");
	m = db.mtu[1420 % SIG_BUCKETS].v[0];
	ASSERT_STREQ(m->name, "office VPN", "1420's name");
	ASSERT_EQ(db.http[1].cnt, 1, "same http sig replaced");
	h = db.http[1].v[0];
	ASSERT_STREQ(db.names[h->lb.name_id], "my curl", "http label");
	ASSERT_EQ(db.ua_map_cnt, 3, "ua_os entries");
	ASSERT_STREQ(db.ua_map[0].name, "Linux", "overlay's ua_os first");
	ASSERT_STREQ(db.names[db.ua_map[0].id], "Windows", "its system");
	sigdb_free(&db);
}

/* The real files: osprey.fp, and it again as an overlay, loads to the
 * same counts (every sig replaced by its twin). */
static void real_db_twice(void)
{
	char path[512], err[256] = "";
	const char *top = getenv("TOP");
	const char *paths[2] = { path, path };
	struct sigdb a, b;

	snprintf(path, sizeof(path), "%s/db/osprey.fp", top ? top : ".");
	if (!ASSERT_EQ(sigdb_load(&a, path, err, sizeof(err)), 0, err))
		return;
	if (ASSERT_EQ(sigdb_load_files(&b, paths, 2, err, sizeof(err)), 0,
		      err)) {
		ASSERT_EQ(b.tcp_cnt[0], a.tcp_cnt[0], "tcp response");
		ASSERT_EQ(b.tcp_cnt[1], a.tcp_cnt[1], "tcp request");
		ASSERT_EQ(b.mtu_cnt, a.mtu_cnt, "mtu");
		ASSERT_EQ(b.http[1].cnt, a.http[1].cnt, "http request");
		ASSERT_EQ(b.name_cnt, a.name_cnt, "names");
		sigdb_free(&b);
	}
	sigdb_free(&a);
}

/* ------------------------------------------------------------ reload */

#define DB_V1                                                               \
	HDR "[mtu]\nlabel = link one\nsig = 1500\n"                         \
	    "[tcp:request]\nlabel = s:unix:Linux:v1\nsig = " LINUX44_7 "\n" \
	    "[http:request]\nlabel = s:unix:Linux:http\n"                   \
	    "sig = *:Host,X-Only-V1:Connection:\n"
/* other names and header names first, so every id differs from
 * DB_V1's; the same TCP sig and label, plus one more */
#define DB_V2                                                               \
	"classes = other,unix,win\n"                                        \
	"[tcp:request]\nlabel = s:other:Zeta:z\n"                           \
	"sig = *:32:0:*:8192,0:mss::0\n"                                    \
	"label = s:unix:Linux:v1\nsig = " LINUX44_7 "\n"                    \
	"label = s:unix:Linux:v2\nsig = *:64:0:*:mss*44,10:mss,sok,ts,nop," \
	"ws:df,id+:0\n"                                                     \
	"[http:request]\nlabel = s:unix:Linux:other\n"                      \
	"sig = *:Host,X-Other-V2:Connection:\n"

static int reload_setup(struct engine *e, struct sigdb *db, struct seen *s)
{
	char err[256] = "";

	memset(s, 0, sizeof(*s));
	if (!ASSERT_EQ(sigdb_load_buf(db, "v1.fp", DB_V1, strlen(DB_V1), err,
				      sizeof(err)),
		       0, err))
		return 0;
	if (!ASSERT_EQ(engine_init(e, db, NULL), 0, "engine_init")) {
		sigdb_free(db);
		return 0;
	}
	e->on_obs = on_obs;
	e->obs_ctx = s;
	return 1;
}

static void hosts_keep_their_names(void)
{
	static struct sigdb db, nd;
	struct seen s;
	struct engine e;
	struct host *h;
	u8 a[4] = { 10, 0, 0, 1 };
	char err[256] = "";

	if (!reload_setup(&e, &db, &s))
		return;
	syn(&e, 1, 40000, 7, 1000);
	ASSERT_STREQ(s.os, "Linux v1", "before");
	if (!ASSERT_EQ(sigdb_load_buf(&nd, "v2.fp", DB_V2, strlen(DB_V2), err,
				      sizeof(err)),
		       0, err))
		goto out;
	ASSERT_EQ(engine_swap_db(&e, &nd), 0, "swap");
	ASSERT_EQ(nd.name_cnt, 0, "nd emptied");
	h = engine_lookup_host(&e, a, IP_VER4);
	if (ASSERT_TRUE(h != NULL, "host kept")) {
		ASSERT_STREQ(db.names[h->last_name_id], "Linux", "name");
		ASSERT_STREQ(db.classes[h->last_class_id], "unix", "class");
		ASSERT_STREQ(h->last_flavor, "v1", "flavor");
		ASSERT_STREQ(h->link_type, "link one", "link (not in v2)");
		ASSERT_TRUE(host_last_sig(h, 1) && host_last_sig(h, 1)->matched,
			    "matched");
	}
	/* the same sig and label in v2: the same signature, no NAT score */
	syn(&e, 1, 40001, 7, 2000);
	ASSERT_STREQ(s.os, "Linux v1", "same label after the reload");
	ASSERT_EQ(s.host_change, 0, "no host change");
	/* what v2 adds is matched */
	syn(&e, 1, 40002, 10, 3000);
	ASSERT_STREQ(s.os, "Linux v2", "new sig");
out:
	engine_free(&e);
	sigdb_free(&db);
}

/* A request whose headers straddle the reload reads as without one. */
static const char req1[] = "GET / HTTP/1.1\r\nHost: x\r\nX-Only-V1: 1\r\n";
static const char req2[] = "Connection: close\r\n\r\n";

static void http_feed(struct engine *e, u16 port, const char *data, u32 seq,
		      u8 flags, u64 ms)
{
	struct fx_spec sp = { .ip_ver = 4,
			      .ip_id = 7,
			      .sport = port,
			      .dport = 80,
			      .seq = seq,
			      .ack = 1,
			      .flags = flags };
	struct fx_frame fr;
	size_t n;
	u8 *ip;

	if (flags == (TH_SYN | TH_ACK)) {
		/* the server's answer */
		sp.src = "10.0.0.2";
		sp.dst = "10.0.0.1";
		sp.sport = 80;
		sp.dport = port;
		sp.ack = 1000;
	}
	if (flags & TH_SYN) {
		sp.opt = (const u8 *)OPT_LINUX;
		sp.opt_len = sizeof(OPT_LINUX) - 1;
	} else {
		sp.pay = (const u8 *)data;
		sp.pay_len = strlen(data);
	}
	fx_build(&sp, &fr);
	ip = fx_ip(&fr, &n);
	engine_feed(e, ip, n, ms);
}

static void request_raw(int reload, char *out, size_t len)
{
	static struct sigdb db, nd;
	struct seen s;
	struct engine e;
	char err[256] = "";

	out[0] = 0;
	if (!reload_setup(&e, &db, &s))
		return;
	http_feed(&e, 40100, NULL, 999, TH_SYN, 1000);
	http_feed(&e, 40100, NULL, 0, TH_SYN | TH_ACK, 1000);
	http_feed(&e, 40100, req1, 1000, TH_ACK | TH_PSH, 1001);
	if (reload && (sigdb_load_buf(&nd, "v2.fp", DB_V2, strlen(DB_V2), err,
				      sizeof(err)) ||
		       engine_swap_db(&e, &nd)))
		snprintf(out, len, "reload failed: %s", err);
	else {
		http_feed(&e, 40100, req2, 1000 + strlen(req1), TH_ACK | TH_PSH,
			  1002);
		snprintf(out, len, "%s", s.http_raw);
	}
	engine_free(&e);
	sigdb_free(&db);
}

static void half_read_request_survives(void)
{
	char plain[512], reloaded[512];

	request_raw(0, plain, sizeof(plain));
	request_raw(1, reloaded, sizeof(reloaded));
	ASSERT_TRUE(strstr(plain, "X-Only-V1") != NULL, plain);
	ASSERT_STREQ(reloaded, plain, "raw_sig across the reload");
}

/* One whole request on a new connection from port. */
static void http_conn(struct engine *e, u16 port, const char *req, u64 ms)
{
	http_feed(e, port, NULL, 999, TH_SYN, ms);
	http_feed(e, port, NULL, 0, TH_SYN | TH_ACK, ms);
	http_feed(e, port, req, 1000, TH_ACK | TH_PSH, ms + 1);
}

/*
 * A host whose OS an HTTP sig named keeps it, and the record the next
 * request is scored against, across a reload to files without that sig
 * (a copy of the record in the new db); the next request, matched by the
 * new db, is scored against it (under ASan: no freed memory read).
 */
static void http_host_survives(void)
{
	/* (the sigs ban Connection) */
	static const char r1[] = "GET / HTTP/1.1\r\nHost: x\r\nX-Only-V1: 1"
				 "\r\n\r\n";
	static const char r2[] = "GET / HTTP/1.1\r\nHost: x\r\nX-Other-V2: 1"
				 "\r\n\r\n";
	static struct sigdb db, nd;
	const struct http_sig_record *m;
	u8 a[4] = { 10, 0, 0, 1 };
	struct seen s;
	struct engine e;
	struct host *h;
	char err[256] = "";

	if (!reload_setup(&e, &db, &s))
		return;
	http_conn(&e, 40200, r1, 1000);
	h = engine_lookup_host(&e, a, IP_VER4);
	if (!ASSERT_TRUE(h && h->http_req_os && h->http_req_os->matched,
			 "request matched an OS sig"))
		goto out;
	if (!ASSERT_EQ(sigdb_load_buf(&nd, "v2.fp", DB_V2, strlen(DB_V2), err,
				      sizeof(err)),
		       0, err) ||
	    !ASSERT_EQ(engine_swap_db(&e, &nd), 0, "swap"))
		goto out;
	m = h->http_req_os->matched;
	ASSERT_STREQ(db.names[m->lb.name_id], "Linux", "record's name");
	ASSERT_STREQ(m->lb.flavor, "http", "record's flavor (a copy)");
	ASSERT_STREQ(h->last_flavor, "http", "host's flavor");
	http_conn(&e, 40201, r2, 2000);
	ASSERT_TRUE(h->http_req_os->matched != m, "the new db's record now");
	ASSERT_STREQ(h->last_flavor, "other", "named by the new sig");
out:
	engine_free(&e);
	sigdb_free(&db);
}

/* dbload.c: a reload that fails keeps the engine's database. */
static void failed_reload_keeps_db(void)
{
	char good[] = "/tmp/osprey-ovl-XXXXXX",
	     bad[] = "/tmp/osprey-bad-XXXXXX";
	static const char badtext[] = "[tcp:request]\nlabel = s:unix:X:y\n"
				      "sig = *:64:0:*:bogus\n";
	struct osprey_opts o;
	struct sigdb db;
	struct engine e;
	int fg = mkstemp(good), fb = mkstemp(bad);
	u32 before;

	if (!ASSERT_TRUE(fg >= 0 && fb >= 0, "temp files"))
		return;
	if (write(fg, DB_V1, strlen(DB_V1)) < 0 ||
	    write(fb, badtext, strlen(badtext)) < 0)
		ASSERT_TRUE(0, "write");
	close(fg);
	close(fb);
	opts_defaults(&o);
	o.db_paths[0] = good;
	o.n_dbs = 1;
	if (ASSERT_EQ(db_load(&o, &db), 0, "load") &&
	    ASSERT_EQ(engine_init(&e, &db, NULL), 0, "engine_init")) {
		before = db.tcp_cnt[1];
		o.db_paths[1] = bad;
		o.n_dbs = 2;
		ASSERT_EQ(db_reload(&o, &e), -EINVAL, "bad overlay refused");
		ASSERT_EQ(db.tcp_cnt[1], before, "old db in use");
		ASSERT_STREQ(syn_label(e.db, 7), "Linux v1", "still matches");
		o.n_dbs = 1;
		ASSERT_EQ(db_reload(&o, &e), 0, "good reload");
		engine_free(&e);
		sigdb_free(&db);
	}
	unlink(good);
	unlink(bad);
}

TH_MAIN("overlay", TH_CASE(later_file_tried_first),
	TH_CASE(same_shape_replaced), TH_CASE(specific_beats_generic_overlay),
	TH_CASE(dupe_within_overlay_fatal), TH_CASE(classes_and_names_shared),
	TH_CASE(mtu_and_http_overlay), TH_CASE(real_db_twice),
	TH_CASE(hosts_keep_their_names), TH_CASE(half_read_request_survives),
	TH_CASE(http_host_survives), TH_CASE(failed_reload_keeps_db))
