// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Output formats: the p0f box, the p0f log line and JSON lines, byte for
 * byte, for hand-made observation records.  The expected p0f texts follow
 * p0f 3.09b's start_observation()/add_observation_field() formats.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "tests/harness.h"
#include "user/engine/engine.h"
#include "user/engine/obs.h"
#include "user/engine/strbuf.h"

/* 2023-11-14 22:13:20.123 UTC */
#define TS_MS 1700000000123ull
/* Community ID of 192.168.1.2:51234 <-> 10.0.0.1:80/tcp, computed apart
 * (the spec's formula in a few lines of python) */
#define CID "1:F9mpyUgax9LLPykQCFo2R7pvkb8="
#define CID6 "1:1oxR/GgytgUITY9oVcySiZkd/xM=" /* 2001:db8::2:51234, ::1:80 */

static void field(struct obs *o, const char *k, const char *v)
{
	if (v)
		obs_add(o, k, "%s", v);
	else
		obs_add_unknown(o, k);
}

static void make_v4(struct obs *o, const char *mod, u8 to_srv)
{
	static const u8 cli[4] = { 192, 168, 1, 2 }, srv[4] = { 10, 0, 0, 1 };

	memset(o, 0, sizeof(*o));
	o->mod = mod;
	o->to_srv = to_srv;
	o->ip_ver = IP_VER4;
	memcpy(o->cli_addr, cli, 4);
	memcpy(o->srv_addr, srv, 4);
	o->cli_port = 51234;
	o->srv_port = 80;
	o->ts_ms = TS_MS;
}

/* The same between two IPv6 addresses. */
static void make_v6(struct obs *o, const char *mod, u8 to_srv, const u8 *cli,
		    const u8 *srv)
{
	make_v4(o, mod, to_srv);
	o->ip_ver = IP_VER6;
	memcpy(o->cli_addr, cli, 16);
	memcpy(o->srv_addr, srv, 16);
}

static void make_syn(struct obs *o)
{
	make_v4(o, "syn", 1);
	field(o, "os", "Linux 3.11 and newer");
	field(o, "dist", "0");
	field(o, "params", "none");
	field(o, "raw_sig",
	      "4:64+0:0:1460:mss*20,7:mss,sok,ts,nop,ws:df,id+:0");
	o->label.set = 1;
	o->label.cls = "unix";
	o->label.name = "Linux";
	o->label.flavor = "3.11 and newer";
}

/* Render with fn into a string (caller frees). */
static char *render(void (*fn)(FILE *, const struct obs *), const struct obs *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	if (!fp)
		return NULL;
	fn(fp, o);
	fclose(fp);
	return buf;
}

static void check(void (*fn)(FILE *, const struct obs *), const struct obs *o,
		  const char *want, const char *what)
{
	char *got = render(fn, o);

	ASSERT_STREQ(got, want, what);
	free(got);
}

static struct obs ob; /* large: keep it off the stack */

/* p0f's log prints local time: pin it */
static void set_utc(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
}

static void box_syn(void)
{
	make_syn(&ob);
	check(out_box, &ob,
	      ".-[ 192.168.1.2/51234 -> 10.0.0.1/80 (syn) ]-\n"
	      "|\n"
	      "| client   = 192.168.1.2/51234\n"
	      "| os       = Linux 3.11 and newer\n"
	      "| dist     = 0\n"
	      "| params   = none\n"
	      "| raw_sig  = 4:64+0:0:1460:mss*20,7:mss,sok,ts,nop,ws:df,id+:0\n"
	      "|\n"
	      "`----\n"
	      "\n",
	      "box");
}

static void box_server_unknown(void)
{
	make_v4(&ob, "syn+ack", 0);
	field(&ob, "os", NULL);
	field(&ob, "dist", "12");
	field(&ob, "params", "tos:0x08");
	field(&ob, "raw_sig", "4:52+12:0:1380:mss*10,0:mss:df:0");
	check(out_box, &ob,
	      ".-[ 192.168.1.2/51234 -> 10.0.0.1/80 (syn+ack) ]-\n"
	      "|\n"
	      "| server   = 10.0.0.1/80\n"
	      "| os       = ???\n"
	      "| dist     = 12\n"
	      "| params   = tos:0x08\n"
	      "| raw_sig  = 4:52+12:0:1380:mss*10,0:mss:df:0\n"
	      "|\n"
	      "`----\n"
	      "\n",
	      "box");
}

static void log_syn(void)
{
	set_utc();
	make_syn(&ob);
	check(out_log, &ob,
	      "[2023/11/14 22:13:20] mod=syn|cli=192.168.1.2/51234|"
	      "srv=10.0.0.1/80|subj=cli|os=Linux 3.11 and newer|dist=0|"
	      "params=none|"
	      "raw_sig=4:64+0:0:1460:mss*20,7:mss,sok,ts,nop,ws:df,id+:0\n",
	      "log");
}

static void log_v6_nat(void)
{
	static const u8 a[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const u8 b[16] = { 0xfe, 0x80, [8] = 0xab, 0xcd, [15] = 0x10 };

	set_utc();
	make_v6(&ob, "host change", 0, a, b);
	ob.cli_port = 1;
	ob.srv_port = 65535;
	field(&ob, "reason", "os_diff ttl");
	field(&ob, "raw_hits", "0,1,1,1");
	check(out_log, &ob,
	      "[2023/11/14 22:13:20] mod=host change|"
	      "cli=2001:db8:0:0:0:0:0:1/1|srv=fe80:0:0:0:abcd:0:0:10/65535|"
	      "subj=srv|reason=os_diff ttl|raw_hits=0,1,1,1\n",
	      "log");
}

static void log_unknown_value(void)
{
	set_utc();
	make_v4(&ob, "http request", 1);
	field(&ob, "app", NULL);
	field(&ob, "lang", NULL);
	field(&ob, "params", "anonymous");
	field(&ob, "raw_sig", "1:Host,User-Agent:Accept:");
	check(out_log, &ob,
	      "[2023/11/14 22:13:20] mod=http request|cli=192.168.1.2/51234|"
	      "srv=10.0.0.1/80|subj=cli|app=???|lang=???|params=anonymous|"
	      "raw_sig=1:Host,User-Agent:Accept:\n",
	      "log");
}

/* The JSON line without a sensor name (out_json's obs_cb shape). */
static void json_plain(FILE *fp, const struct obs *o)
{
	out_json(fp, o, NULL);
}

static char *render_sensor(const struct obs *o, const char *sensor)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	if (!fp)
		return NULL;
	out_json(fp, o, sensor);
	fclose(fp);
	return buf;
}

static void json_syn(void)
{
	make_syn(&ob);
	check(json_plain, &ob,
	      "{\"ts\":\"2023-11-14T22:13:20.123Z\",\"mod\":\"syn\","
	      "\"community_id\":\"" CID "\","
	      "\"client\":{\"addr\":\"192.168.1.2\",\"port\":51234},"
	      "\"server\":{\"addr\":\"10.0.0.1\",\"port\":80},\"subj\":\"cli\","
	      "\"os\":{\"text\":\"Linux 3.11 and newer\",\"class\":\"unix\","
	      "\"name\":\"Linux\",\"flavor\":\"3.11 and newer\","
	      "\"generic\":false,\"fuzzy\":false},"
	      "\"distance\":0,\"params\":[],"
	      "\"raw_sig\":\"4:64+0:0:1460:mss*20,7:mss,sok,ts,nop,ws:df,id+:0\"}"
	      "\n",
	      "json");
}

static void json_types(void)
{
	make_v4(&ob, "syn", 1);
	field(&ob, "app", "NMap SYN scan");
	ob.label.set = 1;
	ob.label.is_app = 1;
	ob.label.name = "NMap";
	ob.label.flavor = "SYN scan";
	ob.label.generic = 1;
	field(&ob, "dist", "<= 9");
	field(&ob, "params", "generic fuzzy");
	field(&ob, "raw_mtu", "1500");
	field(&ob, "uptime", "3 days 4 hrs 5 min (modulo 49 days)");
	field(&ob, "raw_freq", "1000.00 Hz");
	field(&ob, "reason", NULL);
	field(&ob, "raw_hits", "1,2,3,4");
	check(json_plain, &ob,
	      "{\"ts\":\"2023-11-14T22:13:20.123Z\",\"mod\":\"syn\","
	      "\"community_id\":\"" CID "\","
	      "\"client\":{\"addr\":\"192.168.1.2\",\"port\":51234},"
	      "\"server\":{\"addr\":\"10.0.0.1\",\"port\":80},\"subj\":\"cli\","
	      "\"app\":{\"text\":\"NMap SYN scan\",\"class\":null,"
	      "\"name\":\"NMap\",\"flavor\":\"SYN scan\","
	      "\"generic\":true,\"fuzzy\":false},"
	      "\"distance\":9,\"distance_upper_bound\":true,"
	      "\"params\":[\"generic\",\"fuzzy\"],\"mtu\":1500,"
	      "\"uptime\":\"3 days 4 hrs 5 min (modulo 49 days)\","
	      "\"uptime_min\":4565,\"uptime_modulo_days\":49,"
	      "\"raw_freq\":1000.00,\"reason\":[],\"raw_hits\":[1,2,3,4]}\n",
	      "json");
}

static void json_escaping(void)
{
	make_v4(&ob, "http request", 1);
	/* quote, backslash, tab, control, DEL, valid UTF-8, a lone byte */
	field(&ob, "raw_sig",
	      "a\"b\\c\td\x01"
	      "e\x7f"
	      "f\xc3\xa9g\xffh");
	field(&ob, "lang", "English");
	check(json_plain, &ob,
	      "{\"ts\":\"2023-11-14T22:13:20.123Z\",\"mod\":\"http_request\","
	      "\"community_id\":\"" CID "\","
	      "\"client\":{\"addr\":\"192.168.1.2\",\"port\":51234},"
	      "\"server\":{\"addr\":\"10.0.0.1\",\"port\":80},\"subj\":\"cli\","
	      "\"raw_sig\":\"a\\\"b\\\\c\\td\\u0001e\\u007ff\xc3\xa9g\\u00ffh\","
	      "\"language\":\"English\"}\n",
	      "json");
}

static void json_http(void)
{
	make_v4(&ob, "http request", 1);
	field(&ob, "app", NULL);
	field(&ob, "lang", "none");
	field(&ob, "params", "anonymous");
	field(&ob, "raw_sig", "1:Host:Accept:");
	check(json_plain, &ob,
	      "{\"ts\":\"2023-11-14T22:13:20.123Z\",\"mod\":\"http_request\","
	      "\"community_id\":\"" CID "\","
	      "\"client\":{\"addr\":\"192.168.1.2\",\"port\":51234},"
	      "\"server\":{\"addr\":\"10.0.0.1\",\"port\":80},\"subj\":\"cli\","
	      "\"app\":null,\"language\":null,\"params\":[\"anonymous\"],"
	      "\"raw_sig\":\"1:Host:Accept:\"}\n",
	      "json");
}

static void long_value(void)
{
	/* p0f's HTTP raw_sig has no length limit; 4 kB must survive */
	static char big[4097];
	char *got;

	memset(big, 'x', sizeof(big) - 1);
	make_v4(&ob, "http request", 1);
	field(&ob, "raw_sig", big);
	got = render(out_log, &ob);
	if (ASSERT_TRUE(got != NULL, "render"))
		ASSERT_TRUE(strstr(got, big) != NULL, "value kept whole");
	free(got);
}

static void field_limit(void)
{
	int i;

	make_v4(&ob, "syn", 1);
	for (i = 0; i < OBS_MAX_FIELDS + 3; i++)
		obs_add(&ob, "k", "%d", i);
	ASSERT_EQ(ob.nfields, OBS_MAX_FIELDS, "fields capped");
}

static void addr_text(void)
{
	static const u8 v6[16] = { 0, 0, 0,    0,    0, 0, 0, 0,
				   0, 0, 0xff, 0xff, 1, 2, 3, 4 };
	char buf[64];

	ASSERT_STREQ(addr_to_str(v6, IP_VER6, buf, sizeof(buf)),
		     "0:0:0:0:0:ffff:102:304", "v6");
	ASSERT_STREQ(addr_to_str(v6 + 12, IP_VER4, buf, sizeof(buf)), "1.2.3.4",
		     "v4");
	/* too small a buffer: cut, as snprintf would */
	ASSERT_STREQ(addr_to_str(v6, IP_VER6, buf, 8), "0:0:0:0", "v6 cut");
}

static void log_three(FILE *fp, const struct obs *o)
{
	out_log(fp, o);
	out_log(fp, o);
	out_log(fp, o);
}

/*
 * out_log_to() into FILE strbufs smaller than a line (the -o sink's
 * buffer in miniature): flushes between and inside fields, and addresses
 * longer than the room left (written through a copy), give the bytes
 * out_log() gives.
 */
static void log_to_small_buffers(void)
{
	static const size_t caps[] = { 2, 16, 53, 54, 64, 300 };
	static const u8 a[16] = { 0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff,
				  0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
				  0xff, 0xff, 0xff, 0xff };
	char *want, *got, buf[300];
	struct strbuf sb;
	size_t i, len;
	FILE *fp;

	set_utc();
	make_v6(&ob, "syn", 1, a, a);
	ob.cli_port = 65535;
	field(&ob, "os", NULL);
	field(&ob, "raw_sig", "6:64+0:0:1440:mss*4,7:mss,sok,ts,nop,ws::0");
	want = render(log_three, &ob);
	for (i = 0; want && i < sizeof(caps) / sizeof(caps[0]); i++) {
		got = NULL;
		fp = open_memstream(&got, &len);
		if (!ASSERT_TRUE(fp != NULL, "open_memstream"))
			break;
		sb_init_file(&sb, buf, caps[i], fp);
		out_log_to(&sb, &ob);
		out_log_to(&sb, &ob);
		out_log_to(&sb, &ob);
		sb_flush(&sb);
		fclose(fp);
		ASSERT_STREQ(got, want, "three lines");
		free(got);
	}
	ASSERT_TRUE(want != NULL, "render");
	free(want);
}

static void mod_index(void)
{
	ASSERT_EQ(obs_mod_index("syn"), 0, "syn");
	ASSERT_EQ(obs_mod_index("ip sharing"), 7, "ip sharing");
	ASSERT_EQ(obs_mod_index("sendsyn response"), 9, "sendsyn response");
	ASSERT_EQ(obs_mod_index("nope"), -1, "unknown");
	ASSERT_EQ(obs_mod_index(NULL), -1, "NULL");
}

/* The published test vectors of corelight/community-id-spec
 * (baseline/baseline_deflt.json): TCP v4 and v6 both ways, UDP, and SCTP
 * with equal ports (the addresses decide the order). */
static void community_id_vectors(void)
{
	static const struct {
		const char *a, *b;
		u16 ap, bp;
		u8 proto;
		const char *id;
	} v[] = {
		{ "128.232.110.120", "66.35.250.204", 34855, 80, 6,
		  "1:LQU9qZlK+B5F3KDmev6m5PMibrg=" },
		{ "66.35.250.204", "128.232.110.120", 80, 34855, 6,
		  "1:LQU9qZlK+B5F3KDmev6m5PMibrg=" },
		{ "2001:470:e5bf:dead:4957:2174:e82c:4887",
		  "2607:f8b0:400c:c03::1a", 63943, 25, 6,
		  "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=" },
		{ "2607:f8b0:400c:c03::1a",
		  "2001:470:e5bf:dead:4957:2174:e82c:4887", 25, 63943, 6,
		  "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=" },
		{ "192.168.1.52", "8.8.8.8", 54585, 53, 17,
		  "1:d/FP5EW3wiY1vCndhwleRRKHowQ=" },
		{ "192.168.170.56", "192.168.170.8", 7, 7, 132,
		  "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs=" },
	};
	char out[COMMUNITY_ID_LEN], small[8];
	u8 a[16], b[16];
	size_t i;
	u8 ver;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		ver = strchr(v[i].a, ':') ? IP_VER6 : IP_VER4;
		inet_pton(ver == IP_VER6 ? AF_INET6 : AF_INET, v[i].a, a);
		inet_pton(ver == IP_VER6 ? AF_INET6 : AF_INET, v[i].b, b);
		ASSERT_EQ(community_id_v1(ver, a, v[i].ap, b, v[i].bp,
					  v[i].proto, 0, out, sizeof(out)),
			  0, v[i].a);
		ASSERT_STREQ(out, v[i].id, v[i].a);
	}
	ASSERT_EQ(community_id_v1(IP_VER4, a, 1, b, 2, 6, 0, small,
				  sizeof(small)),
		  -ENOSPC, "short buffer");
}

/* Sensor, interface (struct pkt_meta), RFC 5952 IPv6, module names. */
static void json_sensor_iface_v6(void)
{
	static const u8 c6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
	static const u8 s6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	char *got;

	make_v6(&ob, "syn+ack", 0, c6, s6);
	ob.ifname = "eth0";
	got = render_sensor(&ob, "sensor \"1\"");
	ASSERT_STREQ(got,
		     "{\"ts\":\"2023-11-14T22:13:20.123Z\","
		     "\"sensor\":\"sensor \\\"1\\\"\",\"iface\":\"eth0\","
		     "\"mod\":\"syn_ack\",\"community_id\":\"" CID6 "\","
		     "\"client\":{\"addr\":\"2001:db8::2\",\"port\":51234},"
		     "\"server\":{\"addr\":\"2001:db8::1\",\"port\":80},"
		     "\"subj\":\"srv\"}\n",
		     "json");
	free(got);
}

TH_MAIN("output", TH_CASE(box_syn), TH_CASE(box_server_unknown),
	TH_CASE(log_syn), TH_CASE(log_v6_nat), TH_CASE(log_unknown_value),
	TH_CASE(json_syn), TH_CASE(json_types), TH_CASE(json_escaping),
	TH_CASE(json_http), TH_CASE(long_value), TH_CASE(field_limit),
	TH_CASE(addr_text), TH_CASE(log_to_small_buffers), TH_CASE(mod_index),
	TH_CASE(community_id_vectors), TH_CASE(json_sensor_iface_v6))
