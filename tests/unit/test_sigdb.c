// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The .fp reader (sigdb.c) and the TCP/MTU sig parsers: the real
 * databases load with p0f 3.09b's counts and ids; each grammar error stops
 * the load with "file:line: what"; p0f's duplicate rule is enforced.
 */
#include <errno.h>
#include <stdlib.h>

#include "tests/harness.h"
#include "user/engine/engine.h"
#include "user/engine/http.h"
#include "user/engine/mtu.h"
#include "user/engine/sigstore.h"
#include "user/engine/tcp.h"

#define HDR "classes = win,unix,other\n"

static int load(struct sigdb *db, const char *text, char *err, size_t n)
{
	return sigdb_load_buf(db, "t.fp", text, strlen(text), err, n);
}

static u32 count_tcp(const struct sigdb *db, int d)
{
	u32 i, n = 0;

	for (i = 0; i < SIG_BUCKETS; i++)
		n += db->tcp[d][i].cnt;
	return n;
}

static void check_counts(const char *path)
{
	struct sigdb db;
	char err[256] = "";
	u32 i, j, d, generic = 0, mtu = 0;
	u8 seen[4096] = { 0 };

	if (!ASSERT_EQ(sigdb_load(&db, path, err, sizeof(err)), 0, err))
		return;
	ASSERT_EQ(db.class_cnt, 3, "classes");
	ASSERT_STREQ(db.classes[0], "win", "class 0");
	ASSERT_STREQ(db.classes[2], "other", "class 2");
	ASSERT_EQ(db.tcp_cnt[1], 91, "tcp:request sigs");
	ASSERT_EQ(db.tcp_cnt[0], 101, "tcp:response sigs");
	ASSERT_EQ(count_tcp(&db, 1), 91, "request buckets");
	ASSERT_EQ(count_tcp(&db, 0), 101, "response buckets");
	for (i = 0; i < SIG_BUCKETS; i++)
		mtu += db.mtu[i].cnt;
	ASSERT_EQ(db.mtu_cnt, 25, "mtu sigs");
	ASSERT_EQ(mtu, 25, "mtu buckets");
	ASSERT_EQ(db.http[1].cnt, 85, "http:request sigs");
	ASSERT_EQ(db.http[0].cnt, 20, "http:response sigs");
	/* 45 + 17 + 59 + 8 labels outside [mtu] */
	ASSERT_EQ(db.label_cnt, 129, "label ids");
	for (d = 0; d < 2; d++)
		for (i = 0; i < SIG_BUCKETS; i++)
			for (j = 0; j < db.tcp[d][i].cnt; j++) {
				struct tcp_sig_record *r = db.tcp[d][i].v[j];

				if (r->lb.generic &&
				    r->lb.label_id < sizeof(seen) &&
				    !seen[r->lb.label_id]++)
					generic++;
			}
	for (d = 0; d < 2; d++)
		for (j = 0; j < db.http[d].cnt; j++) {
			struct http_sig_record *r = db.http[d].v[j];

			if (r->lb.generic && r->lb.label_id < sizeof(seen) &&
			    !seen[r->lb.label_id]++)
				generic++;
		}
	ASSERT_EQ(generic, 10, "generic labels");
	ASSERT_TRUE(sigdb_lookup_name(&db, "linux", 5) >= 0, "Linux known");
	ASSERT_EQ(sigdb_lookup_name(&db, "NoSuchOS", 8), -1, "unknown name");
	ASSERT_EQ(db.ua_map_cnt, 9, "ua_os entries");
	sigdb_free(&db);
}

static void load_p0f_fp(void)
{
	FILE *f = fopen("/etc/p0f/p0f.fp", "r");

	if (!f) {
		TEST_SKIP("/etc/p0f/p0f.fp not installed");
		return;
	}
	fclose(f);
	check_counts("/etc/p0f/p0f.fp");
}

static void load_osprey_fp(void)
{
	char path[512];
	const char *top = getenv("TOP");

	snprintf(path, sizeof(path), "%s/db/p0f.fp", top ? top : ".");
	check_counts(path);
}

static void missing_file(void)
{
	struct sigdb db;
	char err[256] = "";

	ASSERT_EQ(sigdb_load(&db, "/nonexistent/x.fp", err, sizeof(err)),
		  -ENOENT, "rc");
	ASSERT_TRUE(strstr(err, "/nonexistent/x.fp") != NULL, "err names file");
	sigdb_free(&db);
}

/* Label, class, name ids and sys lists as p0f assigns them. */
static void ids_and_labels(void)
{
	static const char text[] =
		"; comment\n"
		"   ; indented comment\n"
		"\n" HDR "[tcp:request]\n"
		"label = s:unix:Linux:3.x\n"
		"sig = *:64:0:*:mss*20,7:mss,sok,ts,nop,ws:df,id+:0\n"
		"label = g:UNIX:linux:\n"
		"sig = *:64:0:*:*,*:mss:df,id+:0\n"
		"label = s:!:NMap:SYN scan\n"
		"sys = @unix,FreeBSD , Windows\n"
		"sig = *:64-:0:1460:1024,0:mss::0\n"
		"label = s:win:Windows:7\n"
		"sig = 4:128:0:*:8192,8:mss,nop,ws,nop,nop,sok:df,id+:0\n"
		"[mtu]\n"
		"label = Ethernet or modem\n"
		"sig = 1500\n"
		"sig = 576\n";
	struct sigdb db;
	char err[256] = "";
	struct tcp_sig_record *r[4] = { 0 };
	u32 i, j, k = 0;

	if (!ASSERT_EQ(load(&db, text, err, sizeof(err)), 0, err))
		return;
	/* collect records in line order */
	for (k = 0; k < 4; k++)
		for (i = 0; i < SIG_BUCKETS; i++)
			for (j = 0; j < db.tcp[1][i].cnt; j++) {
				struct tcp_sig_record *x = db.tcp[1][i].v[j];

				if (x->line_no == 7 + 2 * k + (k >= 2))
					r[k] = x;
			}
	if (!ASSERT_TRUE(r[0] && r[1] && r[2] && r[3], "all four sigs"))
		goto out;
	ASSERT_EQ(r[0]->lb.label_id, 1, "label 1");
	ASSERT_EQ(r[0]->lb.class_id, 1, "unix");
	ASSERT_STREQ(r[0]->lb.flavor, "3.x", "flavor");
	ASSERT_EQ(r[1]->lb.generic, 1, "g:");
	ASSERT_EQ(r[1]->lb.name_id, r[0]->lb.name_id, "names are case-blind");
	ASSERT_TRUE(r[1]->lb.flavor == NULL, "empty flavor is NULL");
	ASSERT_STREQ(db.names[r[1]->lb.name_id], "Linux",
		     "first spelling kept");
	ASSERT_EQ(r[2]->lb.class_id, -1, "app");
	ASSERT_EQ(r[2]->bad_ttl, 1, "64- random ttl");
	ASSERT_EQ(r[2]->lb.sys_cnt, 3, "sys entries");
	ASSERT_EQ(r[2]->lb.sys[0], 1 | SYS_CLASS_FLAG, "@unix");
	ASSERT_STREQ(db.names[SYS_NF(r[2]->lb.sys[1])], "FreeBSD ", "sys name");
	/* p0f keeps the last sys list for later OS labels */
	ASSERT_TRUE(r[3]->lb.sys == r[2]->lb.sys, "stale sys kept");
	ASSERT_EQ(r[3]->lb.label_id, 4, "label 4");
	ASSERT_EQ(db.label_cnt, 4, "mtu labels take no id");
	ASSERT_EQ(db.mtu_cnt, 2, "mtu sigs");
out:
	sigdb_free(&db);
}

struct bad {
	const char *text;
	const char *err;
};

/* Each broken file fails with the location and reason. */
static void grammar_errors(void)
{
	static const struct bad c[] = {
		{ "bogus line\n", "t.fp:1: unexpected statement" },
		{ "= x\n", "t.fp:1: unexpected statement" },
		{ "foo = bar\n", "t.fp:1: unrecognized field 'foo'" },
		{ "classes = a,b,\n", "t.fp:1: malformed class entry" },
		{ "classes = a-b\n", "t.fp:1: malformed class entry" },
		{ "[mtu]\nclasses = a\n", "t.fp:2: misplaced 'classes'" },
		{ "[tcp]\n", "t.fp:1: malformed section identifier" },
		{ "[udp:request]\n",
		  "t.fp:1: unrecognized fingerprinting module 'udp'" },
		{ "[tcp:sideways]\n",
		  "t.fp:1: unrecognized traffic direction" },
		{ "[mtu] \n", "t.fp:1: malformed section identifier" },
		{ HDR "sig = 1500\n", "t.fp:2: misplaced 'sig'" },
		{ HDR "[mtu]\nsig = 1500\n", "t.fp:3: misplaced 'sig'" },
		{ HDR "[mtu]\nlabel = \n", "t.fp:3: empty MTU label" },
		{ HDR "[mtu]\nlabel = x\nsig = 15x\n",
		  "t.fp:4: malformed MTU value" },
		{ HDR "[mtu]\nlabel = x\nsig = 0\n",
		  "t.fp:4: malformed MTU value" },
		{ HDR "[mtu]\nlabel = x\nsig = 65536\n",
		  "t.fp:4: malformed MTU value" },
		{ HDR "[tcp:request]\nlabel = x:unix:L:\n",
		  "t.fp:3: malformed class entry" },
		{ HDR "[tcp:request]\nlabel = s:bsd:L:\n",
		  "t.fp:3: unknown class 'bsd'" },
		{ HDR "[tcp:request]\nlabel = s:unix:L\n",
		  "t.fp:3: malformed name" },
		{ HDR "[tcp:request]\nlabel = s:unix:L#:\n",
		  "t.fp:3: malformed name" },
		{ HDR "[tcp:request]\nlabel = s:!:T:\nsig = *:64:0:*:*,*::0\n",
		  "t.fp:4: misplaced 'sig'" },
		{ HDR "[tcp:request]\nlabel = s:unix:L:\nsys = Linux\n",
		  "t.fp:4: misplaced 'sys'" },
		{ HDR "[tcp:request]\nlabel = s:!:T:\nsys = @bsd\n",
		  "t.fp:4: unknown class 'bsd'" },
		{ HDR "[tcp:request]\nlabel = s:!:T:\nsys = a,\n",
		  "t.fp:4: malformed sys entry" },
		{ HDR "[tcp:request]\nua_os = Linux\n",
		  "t.fp:3: misplaced 'ua_os'" },
		{ HDR
		  "[tcp:request]\nlabel = s:unix:L:\r\nsig = *:64:0:*:*,*:::0\n",
		  NULL },
		{ HDR "[tcp:request]\r\n",
		  "t.fp:2: unrecognized traffic direction" },
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct sigdb db;
		char err[256] = "";
		int rc = load(&db, c[i].text, err, sizeof(err));

		if (!c[i].err) {
			/* "\r" ends up in the flavor, as p0f keeps it */
			ASSERT_EQ(rc, 0, c[i].text);
		} else {
			ASSERT_EQ(rc, -EINVAL, c[i].text);
			ASSERT_STREQ(err, c[i].err, c[i].text);
		}
		sigdb_free(&db);
	}
}

/* sig = lines: every p0f validation rule of tcp_register_sig. */
static void tcp_sig_errors(void)
{
	static const struct bad c[] = {
		{ "5:64:0:*:*,*::0", "unrecognized IP version" },
		{ "4-64:0:*:*,*::0", "malformed signature" },
		{ "4:64x:0:*:*,*::0", "malformed signature" },
		{ "4:0:0:*:*,*::0", "bogus initial TTL" },
		{ "4:256:0:*:*,*::0", "bogus initial TTL" },
		{ "4:250+10:0:*:*,*::0", "bogus initial TTL" },
		{ "4:64+x:0:*:*,*::0", "malformed signature" },
		{ "4:64:256:*:*,*::0", "bogus IP option length" },
		{ "4:64:0:65536:*,*::0", "bogus MSS" },
		{ "4:64:0:x:*,*::0", "malformed signature" },
		{ "4:64:0:*:%1,*::0", "bogus '%' value" },
		{ "4:64:0:*:mss*0,*::0", "bogus MSS/MTU multiplier" },
		{ "4:64:0:*:mtu*1001,*::0", "bogus MSS/MTU multiplier" },
		{ "4:64:0:*:65536,*::0", "bogus window size" },
		{ "4:64:0:*:*:*::0", "malformed signature" },
		{ "4:64:0:*:*,256::0", "bogus window scale" },
		{ "4:64:0:*:*,*:eol+1,nop::0", "EOL must be the last option" },
		{ "4:64:0:*:*,*:eol1::0", "malformed EOL option" },
		{ "4:64:0:*:*,*:eol+1", "truncated options" },
		{ "4:64:0:*:*,*:eol+256::0", "bogus EOL padding" },
		{ "4:64:0:*:*,*:?256::0", "bogus '?' option" },
		{ "4:64:0:*:*,*:?x::0", "malformed '?' option" },
		{ "4:64:0:*:*,*:foo::0", "unrecognized TCP option" },
		{ "4:64:0:*:*,*:mss;nop::0", "malformed TCP options" },
		{ "4:64:0:*:*,*:nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,"
		  "nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,nop,nop::0",
		  "too many TCP options" },
		{ "4:64:0:*:*,*::bogus:0", "unrecognized quirk" },
		{ "4:64:0:*:*,*::df;id+:0", "malformed quirks" },
		{ "6:64:0:*:*,*::df:0", "'df' is not valid for IPv6" },
		{ "6:64:0:*:*,*::id+:0", "'id+' is not valid for IPv6" },
		{ "6:64:0:*:*,*::id-:0", "'id-' is not valid for IPv6" },
		{ "6:64:0:*:*,*::0+:0", "'0+' is not valid for IPv6" },
		{ "4:64:0:*:*,*::flow:0", "'flow' is not valid for IPv4" },
		{ "4:64:0:*:*,*::ecn:1", "malformed payload class" },
		{ "4:64:0:*:*,*::ecn:", "malformed payload class" },
		{ "4:64:0:*:*,*::ecn", "malformed quirks" },
		{ "4:64-:", "malformed signature" },
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		char text[512], want[160], err[256] = "";
		struct sigdb db;

		snprintf(text, sizeof(text),
			 HDR "[tcp:request]\nlabel = s:unix:L:\nsig = %s\n",
			 c[i].text);
		snprintf(want, sizeof(want), "t.fp:4: %s", c[i].err);
		ASSERT_EQ(load(&db, text, err, sizeof(err)), -EINVAL,
			  c[i].text);
		ASSERT_STREQ(err, want, c[i].text);
		sigdb_free(&db);
	}
}

/* Forms p0f accepts, including its odd "N-:" skip. */
static void tcp_sig_forms(void)
{
	static const char text[] =
		HDR "[tcp:response]\nlabel = s:unix:L:\n"
		    "sig = 4:64+3:4:1460:%512,3:eol+2:df:+\n"
		    "sig = 6:255-:0:*:mtu*4,*:nop,?33,sack,ts::*\n"
		    "sig = *:128:0:0:0,0:sok::0\n";
	struct sigdb db;
	char err[256] = "";
	struct tcp_sig_record *r[3] = { 0 };
	u32 i, j;

	if (!ASSERT_EQ(load(&db, text, err, sizeof(err)), 0, err))
		return;
	for (i = 0; i < SIG_BUCKETS; i++)
		for (j = 0; j < db.tcp[0][i].cnt; j++) {
			struct tcp_sig_record *x = db.tcp[0][i].v[j];

			if (x->line_no >= 4 && x->line_no <= 6)
				r[x->line_no - 4] = x;
			ASSERT_EQ(x->sig->opt_hash % SIG_BUCKETS, i, "bucket");
		}
	if (!ASSERT_TRUE(r[0] && r[1] && r[2], "three sigs"))
		goto out;
	ASSERT_EQ(r[0]->sig->ttl, 67, "ttl+dist");
	ASSERT_EQ(r[0]->sig->ip_opt_len, 4, "olen");
	ASSERT_EQ(r[0]->sig->win_type, WIN_TYPE_MOD, "%");
	ASSERT_EQ(r[0]->sig->win, 512, "% value");
	ASSERT_EQ(r[0]->sig->wscale, 3, "scale");
	ASSERT_EQ(r[0]->sig->opt_eol_pad, 2, "eol pad");
	ASSERT_EQ(r[0]->sig->pay_class, 1, "+");
	ASSERT_EQ(r[0]->sig->quirks, QUIRK_DF, "df");
	ASSERT_EQ(r[1]->bad_ttl, 1, "random ttl");
	ASSERT_EQ(r[1]->sig->ip_ver, IP_VER6, "v6");
	ASSERT_EQ(r[1]->sig->mss, -1, "mss *");
	ASSERT_EQ(r[1]->sig->win_type, WIN_TYPE_MTU, "mtu*");
	ASSERT_EQ(r[1]->sig->wscale, -1, "scale *");
	ASSERT_EQ(r[1]->sig->pay_class, -1, "pclass *");
	{
		static const u8 lay[] = { 1, 33, 5, 8 };

		ASSERT_EQ(r[1]->sig->opt_hash, tcp_opt_hash(lay, 4), "layout");
	}
	ASSERT_EQ(r[2]->sig->ip_ver, -1, "ver *");
	ASSERT_EQ(r[2]->sig->win_type, WIN_TYPE_NORMAL, "literal win");
	ASSERT_EQ(r[2]->sig->mss, 0, "mss 0");
out:
	sigdb_free(&db);
}

static void duplicates(void)
{
	static const char dup[] =
		HDR "[tcp:request]\nlabel = s:unix:L:\n"
		    "sig = *:64:0:*:mss*20,7:mss,sok,ts,nop,ws:df,id+:0\n"
		    "label = s:unix:M:\n"
		    "sig = 4:64:0:1460:mss*20,7:mss,sok,ts,nop,ws:df,id+:0\n";
	/* the earlier sig is generic: p0f lets the later one in */
	static const char gen[] =
		HDR "[tcp:request]\nlabel = g:unix:L:\n"
		    "sig = *:64:0:*:mss*20,7:mss,sok,ts,nop,ws:df,id+:0\n"
		    "label = s:unix:M:\n"
		    "sig = 4:64:0:1460:mss*20,7:mss,sok,ts,nop,ws:df,id+:0\n";
	/* other direction, or a narrower earlier sig: no conflict */
	static const char ok[] =
		HDR "[tcp:request]\nlabel = s:unix:L:\n"
		    "sig = 4:64:0:1460:mss*20,7:mss,sok,ts,nop,ws:df,id+:0\n"
		    "sig = *:64:0:*:mss*20,7:mss,sok,ts,nop,ws:df,id+:0\n"
		    "[tcp:response]\nlabel = s:unix:L:\n"
		    "sig = 4:64:0:1460:mss*20,7:mss,sok,ts,nop,ws:df,id+:0\n";
	struct sigdb db;
	char err[256] = "";

	ASSERT_EQ(load(&db, dup, err, sizeof(err)), -EINVAL, "dup rc");
	ASSERT_STREQ(err, "t.fp:6: signature is already covered by line 4",
		     "dup err");
	sigdb_free(&db);
	ASSERT_EQ(load(&db, gen, err, sizeof(err)), 0, err);
	sigdb_free(&db);
	ASSERT_EQ(load(&db, ok, err, sizeof(err)), 0, err);
	ASSERT_EQ(db.tcp_cnt[1], 2, "two request sigs");
	ASSERT_EQ(db.tcp_cnt[0], 1, "one response sig");
	sigdb_free(&db);
}

static void nul_ends_file(void)
{
	static const char text[] = HDR "[mtu]\nlabel = x\nsig = 1500\n\0junk\n";
	struct sigdb db;
	char err[256] = "";

	ASSERT_EQ(sigdb_load_buf(&db, "t.fp", text, sizeof(text) - 1, err,
				 sizeof(err)),
		  0, err);
	ASSERT_EQ(db.mtu_cnt, 1, "one mtu sig");
	sigdb_free(&db);
	/* empty input is valid: no signatures */
	ASSERT_EQ(sigdb_load_buf(&db, "t.fp", "", 0, err, sizeof(err)), 0,
		  "empty");
	sigdb_free(&db);
}

TH_MAIN("sigdb", TH_CASE(load_p0f_fp), TH_CASE(load_osprey_fp),
	TH_CASE(missing_file), TH_CASE(ids_and_labels), TH_CASE(grammar_errors),
	TH_CASE(tcp_sig_errors), TH_CASE(tcp_sig_forms), TH_CASE(duplicates),
	TH_CASE(nul_ends_file))
