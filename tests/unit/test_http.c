// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * HTTP fingerprinting (http_*.c): signature grammar,
 * matching rules, header parsing edge cases, raw_sig text, language,
 * dishonest/anonymous/generic, ua_os and Via scoring.
 *
 * Flows are driven straight through process_http() the way process.c
 * does it (bytes appended per segment, NUL-terminated, capped at
 * MAX_FLOW_DATA).  The expected app/lang/params/raw_sig strings of the
 * "p0f_*" cases are p0f 3.09b's own output: each request/response was put
 * in a crafted pcap (Linux or Windows 7 SYN, SYN+ACK, ACK, data) and run
 * through `TZ=UTC p0f -f /etc/p0f/p0f.fp -r X -o Y`.
 */
#include <errno.h>
#include <stdlib.h>

#include "tests/harness.h"
#include "user/engine/engine.h"
#include "user/engine/flow.h"
#include "user/engine/http.h"

/* ------------------------------------------------------------- capture */

#define MAX_SEEN 8

struct seen {
	char mod[32];
	char app[256], lang[64], params[64], reason[128], hits[32];
	char raw[OBS_VAL_LEN];
	u8 label_set, label_app, label_generic;
	char label_name[64];
};

struct capture {
	u32 n;
	struct seen s[MAX_SEEN];
};

static void copy_field(char *dst, size_t len, const struct obs *o,
		       const char *key)
{
	u32 i;

	dst[0] = 0;
	for (i = 0; i < o->nfields; i++) {
		if (!strcmp(o->f[i].key, key)) {
			snprintf(dst, len, "%s", o->f[i].val);
			return;
		}
	}
}

static void on_obs(void *ctx, const struct obs *o)
{
	struct capture *c = ctx;
	struct seen *s;

	if (c->n >= MAX_SEEN)
		return;
	s = &c->s[c->n++];
	snprintf(s->mod, sizeof(s->mod), "%s", o->mod);
	copy_field(s->app, sizeof(s->app), o, "app");
	if (!s->app[0])
		copy_field(s->app, sizeof(s->app), o, "os");
	copy_field(s->lang, sizeof(s->lang), o, "lang");
	copy_field(s->params, sizeof(s->params), o, "params");
	copy_field(s->raw, sizeof(s->raw), o, "raw_sig");
	copy_field(s->reason, sizeof(s->reason), o, "reason");
	copy_field(s->hits, sizeof(s->hits), o, "raw_hits");
	s->label_set = o->label.set;
	s->label_app = o->label.is_app;
	s->label_generic = o->label.generic;
	snprintf(s->label_name, sizeof(s->label_name), "%s",
		 o->label.name ? o->label.name : "");
}

static const struct seen *find_mod(const struct capture *c, const char *mod)
{
	u32 i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->s[i].mod, mod))
			return &c->s[i];
	return NULL;
}

/* ------------------------------------------------------------- database */

static struct sigdb full_db;
static int full_ok = -1;

static struct sigdb *p0f_db(void)
{
	char path[512], err[256];
	const char *top = getenv("TOP");

	if (full_ok < 0) {
		snprintf(path, sizeof(path), "%s/db/p0f.fp",
			 top ? top : ".");
		full_ok = !sigdb_load(&full_db, path, err, sizeof(err));
		if (!full_ok)
			printf("# %s: %s\n", path, err);
	}
	return full_ok ? &full_db : NULL;
}

static s32 class_id(const struct sigdb *db, const char *name)
{
	u32 i;

	for (i = 0; i < db->class_cnt; i++)
		if (!strcmp(db->classes[i], name))
			return (s32)i;
	return -1;
}

/* ---------------------------------------------------------------- flows */

struct rig {
	struct engine e;
	struct capture cap;
	struct host cli, srv;
	struct flow f;
	u8 done;
};

static void host_init(struct host *h, u8 last)
{
	memset(h, 0, sizeof(*h));
	h->ip_ver = IP_VER4;
	h->addr[0] = 10;
	h->addr[3] = last;
	h->last_class_id = -1;
	h->last_name_id = -1;
	h->http_name_id = -1;
	h->last_up_min = -1;
}

/* os: NULL = unknown, else an OS name the host's TCP sig gave */
static void rig_init(struct rig *r, struct sigdb *db, const char *os,
		     const char *cls)
{
	memset(r, 0, sizeof(*r));
	/* a failed init fails the case; the rig then takes no segment */
	if (!ASSERT_EQ(engine_init(&r->e, db, NULL), 0, "engine_init"))
		r->done = 1;
	r->e.db = db;
	r->e.on_obs = on_obs;
	r->e.obs_ctx = &r->cap;
	r->e.now_ms = 1700000000000ULL;
	host_init(&r->cli, 1);
	host_init(&r->srv, 2);
	if (os) {
		r->cli.last_name_id = sigdb_lookup_name(db, os, strlen(os));
		r->cli.last_class_id = class_id(db, cls);
		r->srv.last_name_id = r->cli.last_name_id;
		r->srv.last_class_id = r->cli.last_class_id;
	}
	r->f.client = &r->cli;
	r->f.server = &r->srv;
	r->f.cli_port = 40000;
	r->f.srv_port = 80;
	r->f.acked = 1;
}

static void rig_free(struct rig *r)
{
	http_free_flow(&r->f);
	free(r->f.request);
	free(r->f.response);
	http_free_sig(r->cli.http_req_os);
	http_free_sig(r->cli.http_resp);
	http_free_sig(r->srv.http_req_os);
	http_free_sig(r->srv.http_resp);
	r->f.request = r->f.response = NULL;
	r->cli.http_req_os = r->cli.http_resp = NULL;
	r->srv.http_req_os = r->srv.http_resp = NULL;
	engine_free(&r->e);
}

/* One segment, as process.c appends it; returns 1 once HTTP is done. */
static int segment(struct rig *r, u8 to_srv, const void *data, size_t len)
{
	u8 **buf = to_srv ? &r->f.request : &r->f.response;
	u32 *blen = to_srv ? &r->f.req_len : &r->f.resp_len;
	u8 *nb;

	if (r->done || !len)
		return r->done;
	if (*blen < MAX_FLOW_DATA) {
		if (len > MAX_FLOW_DATA - *blen)
			len = MAX_FLOW_DATA - *blen;
		nb = realloc(*buf, *blen + len + 1);
		if (!nb)
			return 1;
		*buf = nb;
		memcpy(nb + *blen, data, len);
		*blen += len;
		nb[*blen] = 0;
	}
	r->done = process_http(&r->e, to_srv, &r->f);
	return r->done;
}

static int seg_str(struct rig *r, u8 to_srv, const char *s)
{
	return segment(r, to_srv, s, strlen(s));
}

/* -------------------------------------------------- p0f-verified cases */

#define FF_REQ                                                                 \
	"Host: example.com\r\n"                                                \
	"User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:38.0) Gecko/20100101 " \
	"Firefox/38.0\r\n"                                                     \
	"Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;"   \
	"q=0.8\r\n"                                                            \
	"Accept-Language: en-US,en;q=0.5\r\n"                                  \
	"Accept-Encoding: gzip, deflate\r\n"                                   \
	"Connection: keep-alive\r\n\r\n"
#define FF_SIG                                                                \
	"1:Host,User-Agent,Accept=[text/html,application/xhtml+xml,"          \
	"application/xml;q=0.9,*/*;q=0.8],Accept-Language=[en-US,en;q=0.5],"  \
	"Accept-Encoding=[gzip, deflate],Connection=[keep-alive]:"            \
	"Accept-Charset,Keep-Alive:Mozilla/5.0 (X11; Linux x86_64; rv:38.0) " \
	"Gecko/20100101 Firefox/38.0"
#define APACHE_RESP                                                    \
	"HTTP/1.1 200 OK\r\nDate: Tue, 14 Nov 2023 22:13:20 GMT\r\n"   \
	"Server: Apache/2.4.6 (CentOS)\r\n"                            \
	"Last-Modified: Mon, 01 Jan 2018 00:00:00 GMT\r\n"             \
	"Accept-Ranges: bytes\r\nContent-Length: 12\r\n"               \
	"Keep-Alive: timeout=5, max=100\r\nConnection: Keep-Alive\r\n" \
	"Content-Type: text/html; charset=UTF-8\r\n\r\nhello world\n"
#define APACHE_SIG                                                            \
	"1:Date,Server,?Last-Modified,Accept-Ranges=[bytes],?Content-Length," \
	"Keep-Alive=[timeout=5, max=100],Connection=[Keep-Alive],"            \
	"Content-Type::Apache/2.4.6 (CentOS)"
#define CURL_REQ "Host: a.b\r\nUser-Agent: curl/7.81.0\r\nAccept: */*\r\n"
#define CURL_SIG                                                     \
	"1:Host,User-Agent,Accept=[*/*]:Connection,Accept-Encoding," \
	"Accept-Language,Accept-Charset,Keep-Alive:curl/7.81.0"
#define REQ_COMMON_NO_HOST                                              \
	"User-Agent,Connection,Accept,Accept-Encoding,Accept-Language," \
	"Accept-Charset,Keep-Alive:"

struct want {
	const char *app, *lang, *params, *raw;
};

struct hcase {
	const char *name;
	const char *req[3];
	const char *resp[3];
	struct want rq, rs; /* app NULL = no observation expected */
};

static const struct hcase p0f_cases[] = {
	{ "firefox_apache",
	  { "GET / HTTP/1.1\r\n" FF_REQ },
	  { APACHE_RESP },
	  { "Firefox 10.x or newer", "English", "none", FF_SIG },
	  { "Apache 2.x", "none", "none", APACHE_SIG } },
	{ "curl_unknown",
	  { "GET / HTTP/1.1\r\n" CURL_REQ "\r\n" },
	  { NULL },
	  { "???", "none", "none", CURL_SIG },
	  { NULL } },
	{ "wget",
	  { "GET / HTTP/1.1\r\nUser-Agent: Wget/1.21.2\r\nAccept: */*\r\n"
	    "Accept-Encoding: identity\r\nHost: a.b\r\n"
	    "Connection: Keep-Alive\r\n\r\n" },
	  { NULL },
	  { "???", "none", "none",
	    "1:User-Agent,Accept=[*/*],Accept-Encoding=[identity],Host,"
	    "Connection=[Keep-Alive]:Accept-Language,Accept-Charset,"
	    "Keep-Alive:Wget/1.21.2" },
	  { NULL } },
	/* unknown headers' values stop at ']' but not at '|'; optional
	 * headers lose their values; sw stops at ']' */
	{ "unknown_pipe_optional",
	  { "GET / HTTP/1.1\r\nHost: a.b\r\nX-Thing: a|b]c\r\nCookie: x=1\r\n"
	    "Referer: http://x/\r\nUser-Agent: zz|yy]q\r\n"
	    "Accept-Language: de\r\n\r\n" },
	  { NULL },
	  { "???", "German", "none",
	    "1:Host,X-Thing=[a|b],?Cookie,?Referer,User-Agent,"
	    "Accept-Language=[de]:Connection,Accept,Accept-Encoding,"
	    "Accept-Charset,Keep-Alive:zz|yy" },
	  { NULL } },
	{ "http10_lf_only",
	  { "GET /index.html HTTP/1.0\nHost: a.b\nUser-Agent: x\n\n" },
	  { NULL },
	  { "???", "none", "none",
	    "0:Host,User-Agent:Connection,Accept,Accept-Encoding,"
	    "Accept-Language,Accept-Charset,Keep-Alive:x" },
	  { NULL } },
	{ "head",
	  { "HEAD / HTTP/1.1\r\nHost: a.b\r\nUser-Agent: x\r\n\r\n" },
	  { NULL },
	  { "???", "none", "none",
	    "1:Host,User-Agent:Connection,Accept,Accept-Encoding,"
	    "Accept-Language,Accept-Charset,Keep-Alive:x" },
	  { NULL } },
	{ "lang_upper_unknown",
	  { "GET / HTTP/1.1\r\nHost: a.b\r\nAccept-Language: EN-us\r\n\r\n" },
	  { NULL },
	  { "???", "???", "anonymous",
	    "1:Host,Accept-Language=[EN-us]:User-Agent,Connection,Accept,"
	    "Accept-Encoding,Accept-Charset,Keep-Alive:" },
	  { NULL } },
	{ "lang_three_letters",
	  { "GET / HTTP/1.1\r\nHost: a.b\r\nAccept-Language: eng\r\n\r\n" },
	  { NULL },
	  { "???", "none", "anonymous",
	    "1:Host,Accept-Language=[eng]:User-Agent,Connection,Accept,"
	    "Accept-Encoding,Accept-Charset,Keep-Alive:" },
	  { NULL } },
	{ "lang_polish",
	  { "GET / HTTP/1.1\r\nHost: a.b\r\nAccept-Language: pl,en;q=0.8\r\n"
	    "\r\n" },
	  { NULL },
	  { "???", "Polish", "anonymous",
	    "1:Host,Accept-Language=[pl,en;q=0.8]:User-Agent,Connection,"
	    "Accept,Accept-Encoding,Accept-Charset,Keep-Alive:" },
	  { NULL } },
	{ "lang_one_letter",
	  { "GET / HTTP/1.1\r\nHost: a.b\r\nAccept-Language: e\r\n\r\n" },
	  { NULL },
	  { "???", "none", "anonymous",
	    "1:Host,Accept-Language=[e]:User-Agent,Connection,Accept,"
	    "Accept-Encoding,Accept-Charset,Keep-Alive:" },
	  { NULL } },
	{ "dishonest",
	  { "GET / HTTP/1.1\r\nHost: example.com\r\n"
	    "User-Agent: Opera/9.80\r\n"
	    "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,"
	    "*/*;q=0.8\r\nAccept-Language: en-US,en;q=0.5\r\n"
	    "Accept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n"
	    "\r\n" },
	  { NULL },
	  { "Firefox 10.x or newer", "English", "dishonest",
	    "1:Host,User-Agent,Accept=[text/html,application/xhtml+xml,"
	    "application/xml;q=0.9,*/*;q=0.8],Accept-Language=[en-US,en;q=0.5],"
	    "Accept-Encoding=[gzip, deflate],Connection=[keep-alive]:"
	    "Accept-Charset,Keep-Alive:Opera/9.80" },
	  { NULL } },
	/* an empty User-Agent is no sw at all: anonymous */
	{ "empty_values",
	  { "GET / HTTP/1.1\r\nHost: a.b\r\nX-Empty:\r\nUser-Agent:\r\n"
	    "Accept: */*\r\n\r\n" },
	  { NULL },
	  { "???", "none", "anonymous",
	    "1:Host,X-Empty,User-Agent,Accept=[*/*]:Connection,"
	    "Accept-Encoding,Accept-Language,Accept-Charset,Keep-Alive:" },
	  { NULL } },
	/* one blank after ':' is skipped, a second one is kept */
	{ "blanks_after_colon",
	  { "GET / HTTP/1.1\r\nHost:\ta.b\r\nUser-Agent:  two spaces\r\n"
	    "Accept:*/*\r\n\r\n" },
	  { NULL },
	  { "???", "none", "none",
	    "1:Host,User-Agent,Accept=[*/*]:Connection,Accept-Encoding,"
	    "Accept-Language,Accept-Charset,Keep-Alive: two spaces" },
	  { NULL } },
	{ "cr_inside_value",
	  { "GET / HTTP/1.1\r\nHost: a.b\r\nX-Cr: a\rb\r\nUser-Agent: q\r\n"
	    "\r\n" },
	  { NULL },
	  { "???", "none", "none",
	    "1:Host,X-Cr=[a],User-Agent:Connection,Accept,Accept-Encoding,"
	    "Accept-Language,Accept-Charset,Keep-Alive:q" },
	  { NULL } },
	/* non-ASCII cuts the shown value; a sw shown empty is still sw */
	{ "high_bit_values",
	  { "GET / HTTP/1.1\r\nHost: a.b\r\nX-Hi: caf\xe9 ok\r\n"
	    "User-Agent: \xe9x\r\n\r\n" },
	  { NULL },
	  { "???", "none", "none",
	    "1:Host,X-Hi=[caf],User-Agent:Connection,Accept,Accept-Encoding,"
	    "Accept-Language,Accept-Charset,Keep-Alive:" },
	  { NULL } },
	/* names are case-sensitive: lower-case ones are unknown headers */
	{ "lower_case_names",
	  { "GET / HTTP/1.1\r\nhost: a.b\r\nuser-agent: curl/7\r\n"
	    "accept: */*\r\n\r\n" },
	  { NULL },
	  { "???", "none", "anonymous",
	    "1:host=[a.b],user-agent=[curl/7],accept=[*/*]:Host,User-Agent,"
	    "Connection,Accept,Accept-Encoding,Accept-Language,Accept-Charset,"
	    "Keep-Alive:" },
	  { NULL } },
	{ "name_32_chars",
	  { "GET / HTTP/1.1\r\nHost: a.b\r\nXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX: v"
	    "\r\n\r\n" },
	  { NULL },
	  { "???", "none", "anonymous",
	    "1:Host,XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX=[v]:" REQ_COMMON_NO_HOST },
	  { NULL } },
	{ "request_split_mid_header",
	  { "GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: Mozilla/5.0 (",
	    "X11; Linux x86_64; rv:38.0) Gecko/20100101 Firefox/38.0\r\n"
	    "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,"
	    "*/*;q=0.8\r\nAccept-Language: en-US,en;q=0.5\r\n"
	    "Accept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n"
	    "\r\n" },
	  { NULL },
	  { "Firefox 10.x or newer", "English", "none", FF_SIG },
	  { NULL } },
	/* p0f re-checks the status line on every response segment and so
	 * swallows the header line cut by the segment boundary (Server) */
	{ "response_split_loses_line",
	  { "GET / HTTP/1.1\r\n" FF_REQ },
	  { "HTTP/1.1 200 OK\r\nDate: Tue, 14 Nov 2023 22:13:20 GMT\r\n",
	    "Server: Apache/2.4.6 (CentOS)\r\n"
	    "Last-Modified: Mon, 01 Jan 2018 00:00:00 GMT\r\n"
	    "Accept-Ranges: bytes\r\nContent-Length: 12\r\n"
	    "Keep-Alive: timeout=5, max=100\r\nConnection: Keep-Alive\r\n"
	    "Content-Type: text/html; charset=UTF-8\r\n\r\nhello world\n" },
	  { "Firefox 10.x or newer", "English", "none", FF_SIG },
	  { "???", "none", "anonymous",
	    "1:Date,?Last-Modified,Accept-Ranges=[bytes],?Content-Length,"
	    "Keep-Alive=[timeout=5, max=100],Connection=[Keep-Alive],"
	    "Content-Type::" } },
	{ "nginx",
	  { "GET / HTTP/1.1\r\n" CURL_REQ "\r\n" },
	  { "HTTP/1.1 200 OK\r\nServer: nginx/1.18.0\r\n"
	    "Date: Tue, 14 Nov 2023 22:13:25 GMT\r\nContent-Type: text/html\r\n"
	    "Content-Length: 5\r\nConnection: close\r\n\r\nhello" },
	  { "???", "none", "none", CURL_SIG },
	  { "nginx 1.x", "none", "none",
	    "1:Server,Date,Content-Type,?Content-Length,Connection=[close]:"
	    "Keep-Alive,Accept-Ranges:nginx/1.18.0" } },
	{ "response_lf_http10_pipes",
	  { "GET / HTTP/1.1\r\n" CURL_REQ "\r\n" },
	  { "HTTP/1.0 404 Not Found\nServer: weird|srv]x\nX-Odd: p|q]r\n"
	    "Set-Cookie: a=b\n\n" },
	  { "???", "none", "none", CURL_SIG },
	  { "???", "none", "none",
	    "0:Server,X-Odd=[p|q],?Set-Cookie:Content-Type,Connection,"
	    "Keep-Alive,Accept-Ranges,Date:weird|srv" } },
	{ "response_no_headers",
	  { "GET / HTTP/1.1\r\n" CURL_REQ "\r\n" },
	  { "HTTP/1.1 200\r\n\r\n" },
	  { "???", "none", "none", CURL_SIG },
	  { "???", "none", "anonymous",
	    "1::Content-Type,Connection,Keep-Alive,Accept-Ranges,Date:" } },
	{ "iis",
	  { "GET / HTTP/1.1\r\nHost: a.b\r\nUser-Agent: Mozilla/4.0 "
	    "(compatible; MSIE 8.0; Windows NT 6.1)\r\nAccept: */*\r\n\r\n" },
	  { "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Type: text/html"
	    "\r\nServer: Microsoft-IIS/7.5\r\n"
	    "Date: Tue, 14 Nov 2023 22:13:25 GMT\r\n\r\nabc" },
	  { "???", "none", "none",
	    "1:Host,User-Agent,Accept=[*/*]:Connection,Accept-Encoding,"
	    "Accept-Language,Accept-Charset,Keep-Alive:Mozilla/4.0 "
	    "(compatible; MSIE 8.0; Windows NT 6.1)" },
	  { "IIS 7.x", "none", "none",
	    "1:?Content-Length,Content-Type,Server,Date:Connection,Keep-Alive,"
	    "Accept-Ranges:Microsoft-IIS/7.5" } },
	/* requests p0f does not report at all */
	{ "folded_header",
	  { "GET / HTTP/1.1\r\nHost: a.b\r\nUser-Agent: foo"
	    "\r\n bar\r\nAccept: */*\r\n\r\n" },
	  { NULL },
	  { NULL },
	  { NULL } },
	{ "no_colon",
	  { "GET / HTTP/1.1\r\nHost: a.b\r\nGarbage line here\r\n"
	    "Accept: */*\r\n\r\n" },
	  { NULL },
	  { NULL },
	  { NULL } },
	{ "post",
	  { "POST / HTTP/1.1\r\nHost: a.b\r\n\r\n" },
	  { NULL },
	  { NULL },
	  { NULL } },
	{ "absolute_uri",
	  { "GET http://a.b/ HTTP/1.1\r\nHost: a.b\r\n\r\n" },
	  { NULL },
	  { NULL },
	  { NULL } },
	{ "bad_version",
	  { "GET / HTTP/1.\r\nHost: a\r\n\r\n" },
	  { NULL },
	  { NULL },
	  { NULL } },
	{ "tls_junk",
	  { "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" },
	  { NULL },
	  { NULL },
	  { NULL } },
	{ "name_33_chars",
	  { "GET / HTTP/1.1\r\nHost: a.b\r\nXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX: v"
	    "\r\n\r\n" },
	  { NULL },
	  { NULL },
	  { NULL } },
	{ "truncated_request",
	  { "GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: Mozilla/5.0 "
	    "(X11; Linux x86_64; rv:38.0) Gecko/201" },
	  { NULL },
	  { NULL },
	  { NULL } },
};

static int check_want(const struct capture *c, const char *mod,
		      const struct want *w)
{
	const struct seen *s = find_mod(c, mod);
	int ok = 1;

	if (!w->app)
		return ASSERT_TRUE(s == NULL, mod);
	if (!ASSERT_TRUE(s != NULL, mod))
		return 0;
	ok &= ASSERT_STREQ(s->app, w->app, "app");
	ok &= ASSERT_STREQ(s->lang, w->lang, "lang");
	ok &= ASSERT_STREQ(s->params, w->params, "params");
	ok &= ASSERT_STREQ(s->raw, w->raw, "raw_sig");
	return ok;
}

static void run_case(const struct hcase *hc)
{
	struct sigdb *db = p0f_db();
	struct rig *r;
	int i;

	if (!db) {
		TEST_SKIP("db/osprey.fp did not load");
		return;
	}
	r = malloc(sizeof(*r));
	if (!ASSERT_TRUE(r != NULL, "malloc"))
		return;
	rig_init(r, db, "Linux", "unix");
	for (i = 0; i < 3 && hc->req[i]; i++)
		seg_str(r, 1, hc->req[i]);
	for (i = 0; i < 3 && hc->resp[i]; i++)
		seg_str(r, 0, hc->resp[i]);
	printf("# case %s\n", hc->name);
	check_want(&r->cap, "http request", &hc->rq);
	check_want(&r->cap, "http response", &hc->rs);
	rig_free(r);
	free(r);
}

static void p0f_reference_cases(void)
{
	size_t i;

	for (i = 0; i < sizeof(p0f_cases) / sizeof(p0f_cases[0]); i++)
		run_case(&p0f_cases[i]);
}

/* 32 headers are fine, the 33rd ends parsing (p0f-verified). */
static void header_limit(void)
{
	struct sigdb *db = p0f_db();
	char req[2048], want[2048];
	struct rig *r;
	int n, i;

	if (!db) {
		TEST_SKIP("db/osprey.fp did not load");
		return;
	}
	r = malloc(sizeof(*r));
	for (n = 32; n <= 33; n++) {
		size_t p = 0, w = 0;

		rig_init(r, db, NULL, NULL);
		p += snprintf(req + p, sizeof(req) - p,
			      "GET / HTTP/1.1\r\nHost: a.b\r\n");
		w += snprintf(want + w, sizeof(want) - w, "1:Host");
		for (i = 0; i < n - 1; i++) {
			p += snprintf(req + p, sizeof(req) - p, "X-H%d: v\r\n",
				      i);
			w += snprintf(want + w, sizeof(want) - w, ",X-H%d=[v]",
				      i);
		}
		snprintf(req + p, sizeof(req) - p, "\r\n");
		snprintf(want + w, sizeof(want) - w, ":" REQ_COMMON_NO_HOST);
		seg_str(r, 1, req);
		if (n == 32) {
			struct want wt = { "???", "none", "anonymous", want };

			check_want(&r->cap, "http request", &wt);
		} else {
			ASSERT_EQ(r->cap.n, 0, "observations for 33 headers");
			ASSERT_EQ(r->f.in_http, -1, "in_http after 33 headers");
		}
		rig_free(r);
	}
	free(r);
}

/* Values are shown up to HTTP_MAX_SHOW chars (p0f-verified). */
static void long_values(void)
{
	struct sigdb *db = p0f_db();
	static char req[4096], want[4096];
	char x[251], y[251], u[231];
	struct rig *r;

	if (!db) {
		TEST_SKIP("db/osprey.fp did not load");
		return;
	}
	memset(x, 'x', 250), x[250] = 0;
	memset(y, 'y', 250), y[250] = 0;
	memset(u, 'u', 230), u[230] = 0;
	snprintf(req, sizeof(req),
		 "GET / HTTP/1.1\r\nHost: a.b\r\nAccept: %s\r\nX-Long: %s\r\n"
		 "User-Agent: %s\r\n\r\n",
		 x, y, u);
	snprintf(want, sizeof(want),
		 "1:Host,Accept=[%.200s],X-Long=[%.200s],User-Agent:"
		 "Connection,Accept-Encoding,Accept-Language,Accept-Charset,"
		 "Keep-Alive:%.200s",
		 x, y, u);
	r = malloc(sizeof(*r));
	rig_init(r, db, NULL, NULL);
	seg_str(r, 1, req);
	{
		struct want wt = { "???", "none", "none", want };

		check_want(&r->cap, "http request", &wt);
	}
	rig_free(r);
	free(r);
}

/* ------------------------------------------------------ NAT and hosts */

/* Start another flow between the same two hosts, 1.06 s later. */
static void rig_next_flow(struct rig *r, u16 cli_port, u16 srv_port)
{
	http_free_flow(&r->f);
	free(r->f.request);
	free(r->f.response);
	memset(&r->f, 0, sizeof(r->f));
	r->f.client = &r->cli;
	r->f.server = &r->srv;
	r->f.cli_port = cli_port;
	r->f.srv_port = srv_port;
	r->f.acked = 1;
	r->done = 0;
	r->cap.n = 0;
	r->e.now_ms += 1060;
}

#define CURL_GET "GET / HTTP/1.1\r\n" CURL_REQ "\r\n"

static const char *apache_at(char *buf, size_t len, const char *date)
{
	snprintf(buf, len,
		 "HTTP/1.1 200 OK\r\nDate: %s\r\n"
		 "Server: Apache/2.4.6 (CentOS)\r\nConnection: Keep-Alive\r\n"
		 "Keep-Alive: timeout=5, max=100\r\n\r\n",
		 date);
	return buf;
}

static const char *nginx_at(char *buf, size_t len, const char *date)
{
	snprintf(buf, len,
		 "HTTP/1.1 200 OK\r\nServer: nginx/1.18.0\r\nDate: %s\r\n"
		 "Content-Type: text/html\r\nContent-Length: 5\r\n"
		 "Connection: close\r\n\r\nhello",
		 date);
	return buf;
}

static struct rig *new_rig(const char *os, const char *cls)
{
	struct sigdb *db = p0f_db();
	struct rig *r;

	if (!db) {
		TEST_SKIP("db/osprey.fp did not load");
		return NULL;
	}
	r = malloc(sizeof(*r));
	if (!ASSERT_TRUE(r != NULL, "malloc"))
		return NULL;
	rig_init(r, db, os, cls);
	return r;
}

static const char *db_name(const struct rig *r, s32 id)
{
	if (id < 0 || (u32)id >= r->e.db->name_cnt)
		return "(none)";
	return r->e.db->names[id];
}

static void del_rig(struct rig *r)
{
	rig_free(r);
	free(r);
}

static void expect_change(const struct rig *r, const char *reason,
			  const char *hits)
{
	const struct seen *s = find_mod(&r->cap, "host change");

	if (!reason) {
		ASSERT_TRUE(s == NULL, "no host change");
		return;
	}
	if (!ASSERT_TRUE(s != NULL, "host change"))
		return;
	ASSERT_STREQ(s->reason, reason, "reason");
	ASSERT_STREQ(s->hits, hits, "raw_hits");
}

/* Server Date going back, or ahead of the capture clock (p0f-verified:
 * the capture starts at 1700000000 = 22:13:20, flows 1.06 s apart). */
static void nat_date_drift(void)
{
	static const char *const dates[] = {
		"Tue, 14 Nov 2023 22:13:20 GMT", /* reference */
		"Tue, 14 Nov 2023 22:12:20 GMT", /* 60 s back */
		"Tue, 14 Nov 2023 22:12:35 GMT", /* 15 s on in 1 s */
		"Tue, 14 Nov 2023 23:12:35 GMT", /* an hour on */
		"Tue, 14 Nov 2023 23:12:40 GMT", /* 5 s on in 1 s: fine */
	};
	static const char *const hits[] = { NULL, "0,1,1,1", "0,2,2,2",
					    "0,3,3,3", NULL };
	struct rig *r = new_rig(NULL, NULL);
	char buf[512];
	u32 i;

	if (!r)
		return;
	for (i = 0; i < 5; i++) {
		if (i)
			rig_next_flow(r, 41000 + i, 80);
		seg_str(r, 1, CURL_GET);
		seg_str(r, 0, apache_at(buf, sizeof(buf), dates[i]));
		ASSERT_TRUE(find_mod(&r->cap, "http response") != NULL,
			    "response");
		expect_change(r, hits[i] ? "date" : NULL, hits[i]);
	}
	ASSERT_TRUE(r->srv.http_resp != NULL, "http_resp kept");
	ASSERT_EQ(r->srv.http_resp_port, 80, "http_resp_port");
	del_rig(r);
}

/* A different server app on the same port: srv_sig_lb; on another port
 * nothing (p0f-verified). */
static void nat_server_change(void)
{
	struct rig *r = new_rig(NULL, NULL);
	char buf[512];

	if (!r)
		return;
	seg_str(r, 1, CURL_GET);
	seg_str(r, 0,
		apache_at(buf, sizeof(buf), "Tue, 14 Nov 2023 22:13:25 GMT"));
	expect_change(r, NULL, NULL);
	ASSERT_STREQ(r->cap.s[1].app, "Apache 2.x", "first app");

	rig_next_flow(r, 41001, 8080);
	seg_str(r, 1, CURL_GET);
	seg_str(r, 0,
		nginx_at(buf, sizeof(buf), "Tue, 14 Nov 2023 22:13:26 GMT"));
	expect_change(r, NULL, NULL);
	ASSERT_EQ(r->srv.http_resp_port, 8080, "port of the last response");

	rig_next_flow(r, 41002, 8080);
	seg_str(r, 1, CURL_GET);
	seg_str(r, 0,
		apache_at(buf, sizeof(buf), "Tue, 14 Nov 2023 22:13:27 GMT"));
	expect_change(r, "srv_sig_lb", "1,1,1,1");
	del_rig(r);
}

/* A known server sig followed by an unknown one: x_known (p0f-verified). */
static void nat_known_to_unknown(void)
{
	struct rig *r = new_rig(NULL, NULL);
	char buf[512];

	if (!r)
		return;
	seg_str(r, 1, CURL_GET);
	seg_str(r, 0,
		apache_at(buf, sizeof(buf), "Tue, 14 Nov 2023 22:13:30 GMT"));
	rig_next_flow(r, 41001, 80);
	seg_str(r, 1, CURL_GET);
	seg_str(r, 0,
		"HTTP/1.1 200 OK\r\nX-Foo: 1\r\n"
		"Date: Tue, 14 Nov 2023 22:13:31 GMT\r\n\r\n");
	ASSERT_STREQ(r->cap.s[1].raw,
		     "1:X-Foo=[1],Date:Content-Type,Connection,Keep-Alive,"
		     "Accept-Ranges:",
		     "raw_sig");
	expect_change(r, "x_known", "0,1,1,1");
	del_rig(r);
}

#define FF_UA(os)                                                             \
	"GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: Mozilla/5.0 (" os \
	"; rv:38.0) Gecko/20100101 Firefox/38.0\r\nAccept: text/html,"        \
	"application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"           \
	"Accept-Language: en-US,en;q=0.5\r\nAccept-Encoding: gzip, deflate"   \
	"\r\nConnection: keep-alive\r\n\r\n"

/* An honest-looking User-Agent naming another OS than the TCP sig
 * (p0f-verified: Windows SYN + Linux UA, Linux SYN + Mac / iPad UA). */
static void ua_vs_os(void)
{
	struct rig *r = new_rig("Windows", "win");

	if (!r)
		return;
	seg_str(r, 1, FF_UA("X11; Linux x86_64"));
	expect_change(r, "ua_vs_os", "0,1,1,1");
	ASSERT_EQ(r->cli.bad_sw, 1, "bad_sw after a mismatch");

	/* the UA now agrees with the OS: bad_sw cleared, no score */
	rig_next_flow(r, 41001, 80);
	seg_str(r, 1, FF_UA("Windows NT 6.1; WOW64"));
	expect_change(r, NULL, NULL);
	ASSERT_EQ(r->cli.bad_sw, 0, "bad_sw after a match");
	ASSERT_STREQ(r->cli.language, "English", "language");
	ASSERT_STREQ(db_name(r, r->cli.http_name_id), "Firefox", "http name");
	del_rig(r);

	r = new_rig("Linux", "unix");
	if (!r)
		return;
	seg_str(r, 1, FF_UA("Macintosh; Intel Mac OS X 10.10"));
	expect_change(r, "ua_vs_os", "0,1,1,1");
	rig_next_flow(r, 41001, 80);
	seg_str(r, 1, FF_UA("iPad; CPU OS 9_0 like Mac OS X"));
	/* second mismatch on the same board (scores accumulate) */
	expect_change(r, "ua_vs_os", "0,2,2,2");
	del_rig(r);
}

/* Via / X-Forwarded-For: +8 "via" (p0f-verified); host fields. */
static void via_and_host_fields(void)
{
	struct rig *r = new_rig("Linux", "unix");

	if (!r)
		return;
	seg_str(r, 1,
		"GET / HTTP/1.1\r\nHost: a.b\r\nUser-Agent: curl/7.81.0"
		"\r\nAccept: */*\r\nVia: 1.1 proxy\r\n\r\n");
	ASSERT_STREQ(r->cap.s[0].raw,
		     "1:Host,User-Agent,Accept=[*/*],?Via:Connection,"
		     "Accept-Encoding,Accept-Language,Accept-Charset,"
		     "Keep-Alive:curl/7.81.0",
		     "raw_sig");
	expect_change(r, "via", "1,1,1,1");
	ASSERT_EQ(r->f.http_req_done, 1, "request done");
	ASSERT_EQ(r->done, 0, "flow kept for the response");
	del_rig(r);

	r = new_rig("Linux", "unix");
	if (!r)
		return;
	seg_str(r, 1, "GET / HTTP/1.1\r\n" FF_REQ);
	seg_str(r, 0, APACHE_RESP);
	ASSERT_EQ(r->done, 1, "flow done after the response");
	expect_change(r, NULL, NULL);
	ASSERT_STREQ(db_name(r, r->cli.http_name_id), "Firefox", "cli app");
	ASSERT_STREQ(r->cli.http_flavor, "10.x or newer", "cli flavor");
	ASSERT_STREQ(r->cli.language, "English", "cli language");
	ASSERT_TRUE(r->cli.http_req_os == NULL, "no OS sig kept for an app");
	ASSERT_STREQ(db_name(r, r->srv.http_name_id), "Apache", "srv app");
	ASSERT_STREQ(r->srv.http_flavor, "2.x", "srv flavor");
	ASSERT_TRUE(r->srv.language == NULL, "no srv language");
	ASSERT_EQ(r->srv.http_resp_port, 80, "http_resp_port");
	ASSERT_TRUE(r->srv.http_resp && r->srv.http_resp->matched,
		    "srv http_resp kept with its match");
	ASSERT_EQ(r->cap.s[0].label_set, 1, "label set");
	ASSERT_EQ(r->cap.s[0].label_app, 1, "label is app");
	ASSERT_STREQ(r->cap.s[0].label_name, "Firefox", "label name");
	del_rig(r);
}

/* A dishonest match sets bad_sw = 2 and skips the ua_os check. */
static void dishonest_bad_sw(void)
{
	struct rig *r = new_rig("Windows", "win");

	if (!r)
		return;
	seg_str(r, 1,
		"GET / HTTP/1.1\r\nHost: example.com\r\n"
		"User-Agent: Opera/9.80 (X11; Linux x86_64)\r\n"
		"Accept: text/html,application/xhtml+xml,application/xml;"
		"q=0.9,*/*;q=0.8\r\nAccept-Language: en-US,en;q=0.5\r\n"
		"Accept-Encoding: gzip, deflate\r\n"
		"Connection: keep-alive\r\n\r\n");
	ASSERT_STREQ(r->cap.s[0].params, "dishonest", "params");
	expect_change(r, NULL, NULL);
	ASSERT_EQ(r->cli.bad_sw, 2, "bad_sw");
	del_rig(r);
}

/* ------------------------------------------------ tiny db: match rules */

static const char tiny_fp[] =
	"classes = win,unix,other\n"
	"\n"
	"[http:request]\n"
	"ua_os = Linux,Windows\n"
	"\n"
	"label = s:unix:Linux:test\n"
	"sig = *:Host,X-Os-Hint=[linux]::\n"
	"\n"
	"label = g:!:Gen:\n"
	"sys = @unix\n"
	"sig = *:Host::\n"
	"\n"
	"label = s:!:A:\n"
	"sys = @unix\n"
	"sig = *:Host,?Cookie,X-A=[foo]:X-Banned:A-Agent\n"
	"\n"
	"label = s:!:B:\n"
	"sys = @unix\n"
	"sig = *:Host,X-B::\n"
	"\n"
	"label = s:!:V0:\n"
	"sys = @unix\n"
	"sig = 0:Host,X-V::\n";

#define TINY_COMMON                                                      \
	":User-Agent,Connection,Accept,Accept-Encoding,Accept-Language," \
	"Accept-Charset,Keep-Alive:"

/* Expectations are p0f's output with tiny_fp as its database. */
static const struct hcase tiny_cases[] = {
	{ "value_substring",
	  { "GET / HTTP/1.1\r\nHost: a\r\nX-A: xfoox\r\n"
	    "User-Agent: A-Agent/1\r\n\r\n" },
	  { NULL },
	  { "A", "none", "none",
	    "1:Host,X-A=[xfoox],User-Agent:Connection,Accept,Accept-Encoding,"
	    "Accept-Language,Accept-Charset,Keep-Alive:A-Agent/1" },
	  { NULL } },
	{ "value_mismatch_generic",
	  { "GET / HTTP/1.1\r\nHost: a\r\nX-A: bar\r\n\r\n" },
	  { NULL },
	  { "Gen", "none", "anonymous generic",
	    "1:Host,X-A=[bar]" TINY_COMMON },
	  { NULL } },
	{ "order",
	  { "GET / HTTP/1.1\r\nX-A: foo\r\nHost: a\r\n\r\n" },
	  { NULL },
	  { "Gen", "none", "anonymous generic",
	    "1:X-A=[foo],Host" TINY_COMMON },
	  { NULL } },
	{ "optional_in_place",
	  { "GET / HTTP/1.1\r\nHost: a\r\nCookie: c\r\nX-A: foo\r\n\r\n" },
	  { NULL },
	  { "A", "none", "anonymous", "1:Host,?Cookie,X-A=[foo]" TINY_COMMON },
	  { NULL } },
	{ "optional_elsewhere",
	  { "GET / HTTP/1.1\r\nHost: a\r\nX-A: foo\r\nCookie: c\r\n\r\n" },
	  { NULL },
	  { "Gen", "none", "anonymous generic",
	    "1:Host,X-A=[foo],?Cookie" TINY_COMMON },
	  { NULL } },
	{ "absent_header_present",
	  { "GET / HTTP/1.1\r\nHost: a\r\nX-A: foo\r\nX-Banned: 1\r\n\r\n" },
	  { NULL },
	  { "Gen", "none", "anonymous generic",
	    "1:Host,X-A=[foo],X-Banned=[1]" TINY_COMMON },
	  { NULL } },
	{ "non_generic_beats_earlier_generic",
	  { "GET / HTTP/1.1\r\nHost: a\r\nX-B: 1\r\n\r\n" },
	  { NULL },
	  { "B", "none", "anonymous", "1:Host,X-B=[1]" TINY_COMMON },
	  { NULL } },
	{ "dishonest",
	  { "GET / HTTP/1.1\r\nHost: a\r\nX-A: foo\r\nUser-Agent: Other\r\n"
	    "\r\n" },
	  { NULL },
	  { "A", "none", "dishonest",
	    "1:Host,X-A=[foo],User-Agent:Connection,Accept,Accept-Encoding,"
	    "Accept-Language,Accept-Charset,Keep-Alive:Other" },
	  { NULL } },
	{ "version_0",
	  { "GET / HTTP/1.0\r\nHost: a\r\nX-V: 1\r\n\r\n" },
	  { NULL },
	  { "V0", "none", "anonymous", "0:Host,X-V=[1]" TINY_COMMON },
	  { NULL } },
	{ "version_1",
	  { "GET / HTTP/1.1\r\nHost: a\r\nX-V: 1\r\n\r\n" },
	  { NULL },
	  { "Gen", "none", "anonymous generic", "1:Host,X-V=[1]" TINY_COMMON },
	  { NULL } },
	{ "os_sig",
	  { "GET / HTTP/1.1\r\nHost: a\r\nX-Os-Hint: my-linux-box\r\n\r\n" },
	  { NULL },
	  { "Linux test", "none", "anonymous",
	    "1:Host,X-Os-Hint=[my-linux-box]" TINY_COMMON },
	  { NULL } },
	{ "no_match",
	  { "GET / HTTP/1.1\r\nX-B: 1\r\n\r\n" },
	  { NULL },
	  { "???", "none", "anonymous",
	    "1:X-B=[1]:Host,User-Agent,Connection,Accept,Accept-Encoding,"
	    "Accept-Language,Accept-Charset,Keep-Alive:" },
	  { NULL } },
	{ "empty_value_no_match",
	  { "GET / HTTP/1.1\r\nHost: a\r\nX-A:\r\n\r\n" },
	  { NULL },
	  { "Gen", "none", "anonymous generic", "1:Host,X-A" TINY_COMMON },
	  { NULL } },
};

static int load_tiny(struct sigdb *db)
{
	char err[256];
	int rc = sigdb_load_buf(db, "tiny.fp", tiny_fp, strlen(tiny_fp), err,
				sizeof(err));

	if (rc)
		printf("# %s\n", err);
	return rc;
}

static void match_rules(void)
{
	struct sigdb db;
	struct rig *r;
	size_t i;

	if (!ASSERT_EQ(load_tiny(&db), 0, "load tiny db"))
		return;
	ASSERT_EQ(db.http[1].cnt, 5, "request sigs");
	ASSERT_EQ(db.ua_map_cnt, 2, "ua_os entries");
	r = malloc(sizeof(*r));
	for (i = 0; r && i < sizeof(tiny_cases) / sizeof(tiny_cases[0]); i++) {
		rig_init(r, &db, NULL, NULL);
		seg_str(r, 1, tiny_cases[i].req[0]);
		printf("# case %s\n", tiny_cases[i].name);
		check_want(&r->cap, "http request", &tiny_cases[i].rq);
		if (!strcmp(tiny_cases[i].name, "os_sig")) {
			/* p0f: unknown host OS vs an OS sig -> os_diff */
			expect_change(r, "os_diff", "0,1,1,1");
			ASSERT_EQ(r->cli.last_class_id, 1, "class = unix");
			ASSERT_STREQ(db_name(r, r->cli.last_name_id), "Linux",
				     "host OS from the HTTP sig");
			ASSERT_STREQ(r->cli.last_flavor, "test", "flavor");
			ASSERT_TRUE(r->cli.http_req_os != NULL, "http_req_os");
			ASSERT_EQ(r->cap.s[0].label_app, 0, "label is an OS");
		}
		if (!strcmp(tiny_cases[i].name, "value_mismatch_generic"))
			ASSERT_EQ(r->cap.s[0].label_generic, 1,
				  "label generic");
		rig_free(r);
	}
	free(r);
	sigdb_free(&db);
}

/* ----------------------------------------------- grammar and dupes */

static int load_one(const char *label1, const char *sig1, const char *sig2,
		    char *err, size_t errlen)
{
	char buf[1024];
	struct sigdb db;
	int rc;

	snprintf(buf, sizeof(buf),
		 "classes = win,unix,other\n[http:request]\n"
		 "label = %s\nsys = @unix\nsig = %s\n"
		 "label = s:!:Y:\nsys = @unix\n%s%s\n",
		 label1, sig1, sig2 ? "sig = " : "", sig2 ? sig2 : "");
	rc = sigdb_load_buf(&db, "g.fp", buf, strlen(buf), err, errlen);
	if (!rc)
		sigdb_free(&db);
	return rc;
}

/* Accept/reject decisions as p0f 3.09b makes them (each checked with
 * p0f -f on a one-sig file). */
static void sig_grammar(void)
{
	static const char *const good[] = {
		"*:Host,::",
		"*:::",
		"*:Host:Accept,:sw",
		"*:?Host=[x]::",
		"1:Host::",
		"0:Host,User-Agent,Accept=[*/*]:Accept-Charset:x y",
	};
	static const char *const bad[] = {
		"2:Host::",
		"1Host::",
		"*:Host",
		"*:Host:",
		"*:,Host::",
		"*:Host=foo::",
		"*:Host=[]::",
		"*:Host=[abc::",
		"*:Ho$t::",
		"*:Host::a:b",
		"*:?::",
		"*:Host:?Accept:",
		"",
		"*",
	};
	char err[256], many[1024];
	size_t i, p;
	int rc;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		rc = load_one("s:!:X:", good[i], NULL, err, sizeof(err));
		if (!ASSERT_EQ(rc, 0, good[i]))
			printf("#   %s\n", err);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rc = load_one("s:!:X:", bad[i], NULL, err, sizeof(err));
		ASSERT_EQ(rc, -EINVAL, bad[i]);
		ASSERT_TRUE(!strncmp(err, "g.fp:5: ", 8), err);
	}
	/* HTTP_MAX_HDRS names in horder are fine, one more is not */
	for (i = 32; i <= 33; i++) {
		size_t k;

		p = snprintf(many, sizeof(many), "*:");
		for (k = 0; k < i; k++)
			p += snprintf(many + p, sizeof(many) - p, "%sH%zu",
				      k ? "," : "", k);
		snprintf(many + p, sizeof(many) - p, "::");
		rc = load_one("s:!:X:", many, NULL, err, sizeof(err));
		ASSERT_EQ(rc, i == 32 ? 0 : -EINVAL, "32/33 headers");
	}
}

/* Duplicate detection: an earlier non-generic sig that would match the
 * new one is an error (p0f-verified pairs). */
static void sig_dupes(void)
{
	static const struct {
		const char *label, *a, *b;
		int covered;
	} t[] = {
		{ "s:!:X:", "*:Host::", "*:Host::", 1 },
		{ "s:!:X:", "*:Host:Accept:", "*:Host::", 0 },
		{ "s:!:X:", "*:Host::", "*:Host:Accept:", 1 },
		{ "g:!:X:", "*:Host::", "*:Host::", 0 },
		{ "s:!:X:", "1:Host::", "*:Host::", 0 },
		{ "s:!:X:", "*:Host::", "1:Host::", 1 },
		{ "s:!:X:", "*:Host,X-A=[foo]::", "*:Host,X-A=[foobar]::", 1 },
		{ "s:!:X:", "*:Host,X-A=[foobar]::", "*:Host,X-A=[foo]::", 0 },
		{ "s:!:X:", "*:Host,?Cookie::", "*:Host::", 1 },
		{ "s:!:X:", "*:Host::", "*:Host,X-B::", 1 },
		{ "s:!:X:", "*:Host::sw", "*:Host::other", 1 },
	};
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int rc = load_one(t[i].label, t[i].a, t[i].b, err, sizeof(err));

		printf("# %s then %s\n", t[i].a, t[i].b);
		ASSERT_EQ(rc, t[i].covered ? -EINVAL : 0, "load");
		if (t[i].covered)
			ASSERT_STREQ(err,
				     "g.fp:8: signature is already covered by "
				     "line 5",
				     "error text");
	}
}

static void ua_os_grammar(void)
{
	static const struct {
		const char *line;
		int ok;
		u32 cnt;
	} t[] = {
		{ "Linux,Windows,iOS=[iPad],iOS=[iPhone],Mac OS X", 1, 5 },
		{ "Linux,", 1, 1 },
		{ "Linux Windows", 1, 1 }, /* one name with a space */
		{ "Linux;Windows", 0, 0 },
		{ "Linux=x", 0, 0 },
		{ "Linux=[x", 0, 0 },
		{ "Linux=[]", 0, 0 },
		{ ",Linux", 0, 0 },
	};
	char buf[512], err[256];
	struct sigdb db;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int rc;

		snprintf(buf, sizeof(buf),
			 "classes = win,unix\n[http:request]\nua_os = %s\n",
			 t[i].line);
		rc = sigdb_load_buf(&db, "u.fp", buf, strlen(buf), err,
				    sizeof(err));
		printf("# ua_os = %s\n", t[i].line);
		if (!t[i].ok) {
			ASSERT_EQ(rc, -EINVAL, "rejected");
			continue;
		}
		if (!ASSERT_EQ(rc, 0, "accepted"))
			continue;
		ASSERT_EQ(db.ua_map_cnt, t[i].cnt, "entries");
		if (t[i].cnt == 5) {
			ASSERT_STREQ(db.ua_map[2].name, "iPad", "substring");
			ASSERT_STREQ(db.ua_map[4].name, "Mac OS X",
				     "name as substring");
			ASSERT_EQ(db.ua_map[2].id, db.ua_map[3].id,
				  "same OS id");
		}
		sigdb_free(&db);
	}
}

/* ------------------------------------------------ flow-level limits */

static void flow_states(void)
{
	struct rig *r = new_rig(NULL, NULL);
	static char big[MAX_FLOW_DATA + 100];
	size_t n;

	if (!r)
		return;
	/* a response before any request: HTTP is off for the flow */
	ASSERT_EQ(seg_str(r, 0, "HTTP/1.1 200 OK\r\n\r\n"), 1, "done");
	ASSERT_EQ(r->f.in_http, -1, "in_http");
	rig_next_flow(r, 41001, 80);

	/* too short to judge yet: keep waiting */
	ASSERT_EQ(seg_str(r, 1, "GET / HTT"), 0, "short first segment");
	ASSERT_EQ(r->f.in_http, 0, "undecided");
	ASSERT_EQ(seg_str(r, 1, "P/1.1\r\nHost: a\r\n"), 0, "headers pending");
	ASSERT_EQ(r->f.in_http, 1, "HTTP");
	ASSERT_EQ(seg_str(r, 1, "\r\n"), 0, "request done, response wanted");
	ASSERT_EQ(r->cap.n, 1, "one observation");
	/* the response's first line alone is not enough */
	ASSERT_EQ(seg_str(r, 0, "HTTP/1.1 200 OK\r\n"), 0, "status line");
	ASSERT_EQ(seg_str(r, 0, "Server: x\r\n\r\n"), 1, "response done");
	rig_next_flow(r, 41002, 80);

	/* a request line that never ends within MAX_FLOW_DATA */
	memcpy(big, "GET /", 5);
	memset(big + 5, 'a', sizeof(big) - 5);
	for (n = 0; n < sizeof(big) && !r->done; n += 1000)
		segment(r, 1, big + n,
			sizeof(big) - n < 1000 ? sizeof(big) - n : 1000);
	ASSERT_EQ(r->done, 1, "gave up");
	ASSERT_EQ(r->cap.n, 0, "no observation");
	rig_next_flow(r, 41003, 80);

	/* headers that never end: given up once MAX_FLOW_DATA is full */
	memset(big, 'a', 300);
	memcpy(big, "X-Pad: ", 7);
	memcpy(big + 298, "\r\n", 2);
	seg_str(r, 1, "GET / HTTP/1.1\r\n");
	for (n = 0; n < 40 && !r->done; n++)
		segment(r, 1, big, 300);
	ASSERT_EQ(r->done, 1, "gave up at MAX_FLOW_DATA");
	ASSERT_EQ(r->f.req_len, MAX_FLOW_DATA, "bytes kept");
	ASSERT_TRUE(r->f.http_tmp.hdr_cnt < HTTP_MAX_HDRS, "not the hdr limit");
	ASSERT_EQ(r->cap.n, 0, "no observation");
	rig_next_flow(r, 41003, 80);

	/* a value over HTTP_MAX_HDR_VAL: off at once, flow kept one more
	 * segment (p0f returns -1 there, which reads as "need more") */
	memset(big, 'v', 1100);
	memcpy(big, "X-Big: ", 7);
	memcpy(big + 1098, "\r\n", 2);
	seg_str(r, 1, "GET / HTTP/1.1\r\n");
	ASSERT_EQ(segment(r, 1, big, 1100), 0, "kept after the long value");
	ASSERT_EQ(r->f.in_http, -1, "HTTP off");
	ASSERT_EQ(seg_str(r, 1, "\r\n"), 1, "done on the next segment");
	rig_next_flow(r, 41005, 80);

	/* binary junk in the response status line */
	seg_str(r, 1, CURL_GET);
	ASSERT_EQ(seg_str(r, 0, "HTTP/1.1 200 \x01K\r\n\r\n"), 1, "junk");
	ASSERT_TRUE(find_mod(&r->cap, "http response") == NULL, "no response");
	del_rig(r);
}

TH_MAIN("http", TH_CASE(p0f_reference_cases), TH_CASE(header_limit),
	TH_CASE(long_values), TH_CASE(nat_date_drift),
	TH_CASE(nat_server_change), TH_CASE(nat_known_to_unknown),
	TH_CASE(ua_vs_os), TH_CASE(via_and_host_fields),
	TH_CASE(dishonest_bad_sw), TH_CASE(match_rules), TH_CASE(sig_grammar),
	TH_CASE(sig_dupes), TH_CASE(ua_os_grammar), TH_CASE(flow_states))
