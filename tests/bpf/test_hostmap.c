// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The daemon's published state without a daemon: an engine fed one Linux
 * SYN, then its host record as the hosts map stores it (hostmap_fill and a
 * real LRU map), as the p0f API answers it (api_answer), as `osprey
 * lookup` prints it, and the dstats array pinned in bpffs.  Needs root
 * (bpf maps) and db/osprey.fp.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "tests/harness.h"
#include "user/api.h"
#include "user/engine/host_tls.h"
#include "user/hostmap.h"
#include "user/labelhash.h"

/* A Linux 6.x SYN 10.0.0.2:40000 -> 10.0.0.1:80, DF, TTL 64, window
 * mss*44, options mss 1460, sok, ts, nop, ws 10. */
static const u8 linux_syn[60] = {
	0x45, 0x00, 0x00, 0x3c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00,
	10,   0,    0,	  2,	10,   0,    0,	  1,	0x9c, 0x40, 0x00, 0x50,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0xa0, 0x02, 0xfa, 0xf0,
	0x00, 0x00, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a,
	0x00, 0x01, 0x02, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x0a,
};
static const u8 cli_addr[16] = { 10, 0, 0, 2 };
static const u8 srv_addr[16] = { 10, 0, 0, 1 };
#define T0_MS 1700000000000ull

static struct sigdb db;
static struct engine eng;
static bool ready;

static void obs_sink(void *ctx, const struct obs *o)
{
	(void)ctx;
	(void)o;
}

static bool setup(void)
{
	char err[256];

	if (ready)
		return true;
	if (sigdb_load(&db, "db/p0f.fp", err, sizeof(err))) {
		TEST_SKIP("db/osprey.fp not loadable (run from the tree top)");
		return false;
	}
	if (engine_init(&eng, &db, NULL)) {
		TEST_SKIP("engine_init failed");
		return false;
	}
	eng.on_obs = obs_sink;
	engine_feed(&eng, linux_syn, sizeof(linux_syn), T0_MS);
	ready = true;
	return true;
}

static void fill_client(void)
{
	struct osprey_host v;
	struct host *h;

	if (!setup())
		return;
	h = engine_lookup_host(&eng, cli_addr, IP_VER4);
	if (!ASSERT_TRUE(h != NULL, "client host in the engine"))
		return;
	hostmap_fill(&v, &db, h);
	ASSERT_EQ(v.flags, OSPREY_HF_OS_KNOWN | OSPREY_HF_LINK, "flags");
	ASSERT_STREQ(v.os_class, "unix", "os_class");
	ASSERT_STREQ(v.os_name, "Linux", "os_name");
	ASSERT_STREQ(v.os_flavor, "2.2.x-3.x", "os_flavor");
	ASSERT_EQ(v.os_quality, OSPREY_Q_GENERIC, "quality");
	ASSERT_EQ(v.os_class_hash, osprey_fnv1a("unix"), "class id");
	ASSERT_EQ(v.os_name_hash, osprey_fnv1a("Linux"), "name id");
	ASSERT_EQ(v.os_label_hash,
		  osprey_label_hash("unix", "Linux", "2.2.x-3.x"), "label id");
	ASSERT_EQ(v.distance, 0, "distance");
	ASSERT_EQ(v.mtu, 1500, "mtu");
	ASSERT_STREQ(v.link_type, "Ethernet or modem", "link");
	ASSERT_EQ(v.uptime_min, -1, "uptime unknown");
	ASSERT_EQ(v.total_conn, 1, "connections");
	ASSERT_EQ(v.first_seen, T0_MS / 1000, "first_seen");
	ASSERT_EQ(v.last_seen, T0_MS / 1000, "last_seen");
	ASSERT_EQ(v.http_name[0], 0, "no http app");
}

static void fill_unknown_server(void)
{
	struct osprey_host v;
	struct host *h;

	if (!setup())
		return;
	h = engine_lookup_host(&eng, srv_addr, IP_VER4);
	if (!ASSERT_TRUE(h != NULL, "server host in the engine"))
		return;
	hostmap_fill(&v, &db, h);
	ASSERT_EQ(v.flags, 0, "flags");
	ASSERT_EQ(v.distance, -1, "distance unknown");
	ASSERT_EQ(v.os_name[0], 0, "no os");
	ASSERT_EQ(v.os_label_hash, 0, "no label id");
}

static void api_layout(void)
{
	ASSERT_EQ(sizeof(struct p0f_api_query), 21, "query size");
	ASSERT_EQ(sizeof(struct p0f_api_response), 232, "response size");
	ASSERT_EQ(offsetof(struct p0f_api_response, distance), 36, "distance");
	ASSERT_EQ(offsetof(struct p0f_api_response, os_name), 40, "os_name");
	ASSERT_EQ(offsetof(struct p0f_api_response, language), 200, "language");
}

static void api_answers(void)
{
	struct p0f_api_query q = { .magic = P0F_QUERY_MAGIC,
				   .addr_type = P0F_ADDR_IPV4 };
	struct p0f_api_response r;

	if (!setup())
		return;
	memcpy(q.addr, cli_addr, 16);
	api_answer(&eng, -1, &q, &r);
	ASSERT_EQ(r.magic, P0F_RESP_MAGIC, "magic");
	ASSERT_EQ(r.status, P0F_STATUS_OK, "status");
	ASSERT_STREQ(r.os_name, "Linux", "os_name");
	ASSERT_STREQ(r.os_flavor, "2.2.x-3.x", "os_flavor");
	ASSERT_EQ(r.os_match_q, P0F_MATCH_GENERIC, "match quality");
	ASSERT_STREQ(r.link_type, "Ethernet or modem", "link");
	ASSERT_EQ(r.distance, 0, "distance");
	ASSERT_EQ(r.total_conn, 1, "connections");
	ASSERT_EQ(r.uptime_min, 0, "uptime 0 when unknown");

	/* a host seen but never measured: p0f's u8 -1 reads 255 */
	memcpy(q.addr, srv_addr, 16);
	api_answer(&eng, -1, &q, &r);
	ASSERT_EQ(r.status, P0F_STATUS_OK, "server status");
	ASSERT_EQ(r.distance, 255, "unmeasured distance as p0f sends it");

	memcpy(q.addr, cli_addr, 16);
	q.addr[3] = 99;
	api_answer(&eng, -1, &q, &r);
	ASSERT_EQ(r.status, P0F_STATUS_NOMATCH, "unknown host");
	ASSERT_EQ(r.magic, P0F_RESP_MAGIC, "magic on no match");
	q.addr_type = 5;
	api_answer(&eng, -1, &q, &r);
	ASSERT_EQ(r.status, P0F_STATUS_BADQUERY, "bad address type");
	q.addr_type = P0F_ADDR_IPV4;
	q.magic = 0x12345678;
	api_answer(&eng, -1, &q, &r);
	ASSERT_EQ(r.status, P0F_STATUS_BADQUERY, "bad magic");
}

static void map_round_trip(void)
{
	struct osprey_host want, got;
	struct host *h;
	int fd, rc;

	if (!setup())
		return;
	fd = bpf_map_create(BPF_MAP_TYPE_LRU_HASH, "hm_test",
			    sizeof(struct osprey_host_key),
			    sizeof(struct osprey_host), 16, NULL);
	if (!ASSERT_TRUE(fd >= 0, "create LRU map"))
		return;
	h = engine_lookup_host(&eng, cli_addr, IP_VER4);
	if (!ASSERT_TRUE(h != NULL, "client host"))
		goto out;
	ASSERT_EQ(hostmap_update(fd, &db, h), 0, "update");
	hostmap_fill(&want, &db, h);
	rc = hostmap_get(fd, cli_addr, IP_VER4, &got);
	if (ASSERT_EQ(rc, 0, "get"))
		ASSERT_MEMEQ(&got, &want, sizeof(got), "record");
	ASSERT_EQ(hostmap_get(fd, srv_addr, IP_VER4, &got), -ENOENT,
		  "absent host");
	/* an IPv6 key with the same leading bytes is another host */
	ASSERT_EQ(hostmap_get(fd, cli_addr, IP_VER6, &got), -ENOENT,
		  "family is part of the key");
out:
	close(fd);
}

static void parse_addresses(void)
{
	u8 a[16], ver = 0;

	ASSERT_EQ(hostmap_parse_addr("192.0.2.7", a, &ver), 0, "v4");
	ASSERT_EQ(ver, IP_VER4, "v4 family");
	ASSERT_EQ(a[3], 7, "v4 byte");
	ASSERT_EQ(a[4], 0, "v4 left-aligned");
	ASSERT_EQ(hostmap_parse_addr("2001:db8::1", a, &ver), 0, "v6");
	ASSERT_EQ(ver, IP_VER6, "v6 family");
	ASSERT_EQ(a[15], 1, "v6 last byte");
	ASSERT_EQ(hostmap_parse_addr("192.0.2", a, &ver), -EINVAL, "short v4");
	ASSERT_EQ(hostmap_parse_addr("", a, &ver), -EINVAL, "empty");
	ASSERT_EQ(hostmap_parse_addr("1.2.3.4/8", a, &ver), -EINVAL, "cidr");
}

static void print_like_p0f_client(void)
{
	struct osprey_host v;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	if (!setup())
		return;
	hostmap_fill(&v, &db, engine_lookup_host(&eng, cli_addr, IP_VER4));
	fp = open_memstream(&buf, &len);
	if (!ASSERT_TRUE(fp != NULL, "memstream"))
		return;
	hostmap_print(fp, &v);
	hostmap_print_json(fp, cli_addr, IP_VER4, &v);
	fclose(fp);
	ASSERT_TRUE(strstr(buf, "\nDetected OS   = Linux 2.2.x-3.x "
				"[generic]\n") != NULL,
		    "Detected OS line");
	ASSERT_TRUE(strstr(buf, "\nHTTP software = ???\n") != NULL,
		    "HTTP line");
	ASSERT_TRUE(strstr(buf, "\nNetwork link  = Ethernet or modem\n") !=
			    NULL,
		    "link line");
	ASSERT_TRUE(strstr(buf, "\nDistance      = 0\n") != NULL,
		    "distance line");
	ASSERT_TRUE(strstr(buf, "Uptime") == NULL, "no uptime line");
	ASSERT_TRUE(strstr(buf, "{\"addr\":\"10.0.0.2\",") != NULL, "json");
	ASSERT_TRUE(strstr(buf, "\"os\":{\"text\":\"Linux 2.2.x-3.x\","
				"\"class\":\"unix\",\"name\":"
				"\"Linux\",\"flavor\":\"2.2.x-3.x\","
				"\"generic\":true,\"fuzzy\":false") != NULL,
		    "json os");
	ASSERT_TRUE(strstr(buf, "\"first_seen\":\"20") != NULL,
		    "json RFC 3339 time");
	ASSERT_TRUE(strstr(buf, "\"http\":null") != NULL, "json http");
	free(buf);
}

#define JA4_T "t13d1516h2_8daaf6152771_e5627efa2ab1"

/* The latest ClientHello's JA4 and SNI in the record, lookup's text and
 * JSON (the SNI's escaped bytes given back). */
static void fill_tls(void)
{
	struct osprey_host v;
	char *buf = NULL;
	size_t len = 0;
	struct host *h;
	FILE *fp;

	if (!setup())
		return;
	h = engine_lookup_host(&eng, cli_addr, IP_VER4);
	if (!ASSERT_TRUE(h != NULL, "client host") ||
	    !ASSERT_EQ(host_tls_set(&eng, h, JA4_T, "a\\x7cb.example"), 0,
		       "set the pair"))
		return;
	hostmap_fill(&v, &db, h);
	ASSERT_TRUE(v.flags & OSPREY_HF_TLS, "TLS flag");
	ASSERT_STREQ(v.ja4, JA4_T, "ja4");
	ASSERT_EQ(v.ja4_hash, osprey_fnv1a(JA4_T), "ja4 id (policy key)");
	ASSERT_STREQ(v.sni, "a\\x7cb.example", "sni as kept");
	fp = open_memstream(&buf, &len);
	if (ASSERT_TRUE(fp != NULL, "memstream")) {
		hostmap_print(fp, &v);
		hostmap_print_json(fp, cli_addr, IP_VER4, &v);
		fclose(fp);
		ASSERT_TRUE(strstr(buf, "\nTLS JA4       = " JA4_T "\n") !=
				    NULL,
			    "JA4 line");
		ASSERT_TRUE(strstr(buf, "\"tls\":{\"ja4\":\"" JA4_T
					"\",\"ja4_id\":") != NULL,
			    "json tls");
		ASSERT_TRUE(strstr(buf, "\"sni\":\"a|b.example\"}") != NULL,
			    "json sni bytes");
	}
	free(buf);
	host_tls_drop(&eng, h);
	hostmap_fill(&v, &db, h);
	ASSERT_EQ(v.flags & OSPREY_HF_TLS, 0, "no pair, no flag");
	ASSERT_EQ(v.ja4_hash, 0, "no ja4 id");
}

/* A pinned hosts map of the previous layout (ABI 2: 288-byte values) is
 * refused by readers and removed for the loader to pin a new one. */
static void stale_hosts_map(void)
{
	char dir[64], path[96];
	int fd, rc;

	snprintf(dir, sizeof(dir), "/sys/fs/bpf/osprey-test-hs-%d",
		 (int)getpid());
	snprintf(path, sizeof(path), "%s/hosts", dir);
	if (mkdir(dir, 0700)) {
		TEST_SKIP("cannot create a directory in /sys/fs/bpf");
		return;
	}
	fd = bpf_map_create(BPF_MAP_TYPE_LRU_HASH, "hosts",
			    sizeof(struct osprey_host_key), 288, 16, NULL);
	if (!ASSERT_TRUE(fd >= 0, "create an ABI 2 map") ||
	    !ASSERT_EQ(bpf_obj_pin(fd, path), 0, "pin it"))
		goto out;
	close(fd);
	fd = -1;
	ASSERT_EQ(hostmap_open(dir), -EPROTO, "reader refuses it");
	ASSERT_EQ(hostmap_drop_stale(dir), 1, "removed");
	ASSERT_EQ(access(path, F_OK), -1, "pin gone");
	ASSERT_EQ(hostmap_drop_stale(dir), 0, "nothing to remove");
	fd = bpf_map_create(BPF_MAP_TYPE_LRU_HASH, "hosts",
			    sizeof(struct osprey_host_key),
			    sizeof(struct osprey_host), 16, NULL);
	if (!ASSERT_TRUE(fd >= 0, "create an ABI 3 map") ||
	    !ASSERT_EQ(bpf_obj_pin(fd, path), 0, "pin it"))
		goto out;
	close(fd);
	fd = -1;
	ASSERT_EQ(hostmap_drop_stale(dir), 0, "current layout kept");
	rc = hostmap_open(dir);
	ASSERT_TRUE(rc >= 0, "reader opens it");
	if (rc >= 0)
		close(rc);
out:
	if (fd >= 0)
		close(fd);
	unlink(path);
	rmdir(dir);
}

static void dstats_pinned(void)
{
	char dir[64];
	uint64_t v[DST_MAX], back[DST_MAX];
	int fd, i;

	snprintf(dir, sizeof(dir), "/sys/fs/bpf/osprey-test-hm-%d",
		 (int)getpid());
	if (mkdir(dir, 0700)) {
		TEST_SKIP("cannot create a directory in /sys/fs/bpf");
		return;
	}
	for (i = 0; i < DST_MAX; i++)
		v[i] = 1000 + i;
	fd = dstats_open(dir, false);
	ASSERT_EQ(fd, -ENOENT, "absent without create");
	fd = dstats_open(dir, true);
	if (!ASSERT_TRUE(fd >= 0, "create and pin"))
		goto out;
	ASSERT_EQ(dstats_store(fd, v), 0, "store");
	close(fd);
	fd = dstats_open(dir, false);
	if (!ASSERT_TRUE(fd >= 0, "reopen pinned"))
		goto out;
	memset(back, 0, sizeof(back));
	ASSERT_EQ(dstats_load(fd, back), 0, "load");
	ASSERT_MEMEQ(back, v, sizeof(v), "counters survive the fd");
	close(fd);
out:
	snprintf(dir + strlen(dir), sizeof(dir) - strlen(dir), "/%s",
		 DSTATS_MAP);
	unlink(dir);
	*strrchr(dir, '/') = '\0';
	rmdir(dir);
}

/* Last: the engine saw exactly the two hosts of the SYN; then free it. */
/*
 * A flood of more distinct hosts than the map holds through the batch:
 * only the newest map-full are written (the rest counted as superseded),
 * and they are in the map as the engine has them.
 */
#define FLOOD_HOSTS 1000
#define FLOOD_MAP 64

static void batch_flood_supersedes(void)
{
	struct osprey_host want, got;
	struct hostmap_batch *b = NULL;
	struct engine e2;
	u8 syn[sizeof(linux_syn)], last[16] = { 10, 1 };
	uint64_t written = 0, failed = 0;
	unsigned i, present = 0;
	int fd;

	if (!setup())
		return;
	fd = bpf_map_create(BPF_MAP_TYPE_LRU_HASH, "hm_flood",
			    sizeof(struct osprey_host_key),
			    sizeof(struct osprey_host), FLOOD_MAP, NULL);
	if (!ASSERT_TRUE(fd >= 0, "create LRU map"))
		return;
	if (!ASSERT_EQ(engine_init(&e2, &db, NULL), 0, "engine")) {
		close(fd);
		return;
	}
	e2.on_obs = obs_sink;
	ASSERT_EQ(hostmap_capacity(fd), FLOOD_MAP, "capacity");
	if (!ASSERT_EQ(hostmap_batch_new(&b, hostmap_capacity(fd)), 0, "batch"))
		goto out;
	memcpy(syn, linux_syn, sizeof(syn));
	for (i = 0; i < FLOOD_HOSTS; i++) {
		syn[12] = 10, syn[13] = 1, syn[14] = i >> 8, syn[15] = i & 255;
		engine_feed(&e2, syn, sizeof(syn), T0_MS + i);
		memcpy(last + 2, syn + 14, 2);
		ASSERT_EQ(hostmap_batch_add(
				  b, engine_lookup_host(&e2, last, IP_VER4)),
			  0, "a map-sized batch never asks for a flush");
	}
	ASSERT_EQ(hostmap_batch_pending(b), FLOOD_MAP, "pending");
	ASSERT_EQ(hostmap_batch_superseded(b), FLOOD_HOSTS - FLOOD_MAP,
		  "superseded");
	ASSERT_EQ(hostmap_batch_flush(b, fd, &e2, &written, &failed), 0,
		  "flush");
	ASSERT_EQ(written, FLOOD_MAP, "written");
	ASSERT_EQ(failed, 0, "failed");
	ASSERT_EQ(hostmap_batch_pending(b), 0, "nothing pending after");
	hostmap_fill(&want, &db, engine_lookup_host(&e2, last, IP_VER4));
	if (ASSERT_EQ(hostmap_get(fd, last, IP_VER4, &got), 0, "newest host"))
		ASSERT_MEMEQ(&got, &want, sizeof(got), "its record");
	for (i = 0; i < FLOOD_HOSTS - FLOOD_MAP; i++) {
		last[2] = i >> 8, last[3] = i & 255;
		present += !hostmap_get(fd, last, IP_VER4, &got);
	}
	ASSERT_EQ(present, 0, "superseded hosts were not written");
out:
	hostmap_batch_free(b);
	engine_free(&e2);
	close(fd);
}

/* A map that refuses writes: the flush says so and counts each record. */
static void batch_refused_counted(void)
{
	LIBBPF_OPTS(bpf_map_create_opts, mo, .map_flags = BPF_F_RDONLY);
	struct hostmap_batch *b = NULL;
	uint64_t written = 0, failed = 0;
	int fd;

	if (!setup())
		return;
	fd = bpf_map_create(BPF_MAP_TYPE_LRU_HASH, "hm_ro",
			    sizeof(struct osprey_host_key),
			    sizeof(struct osprey_host), 16, &mo);
	if (!ASSERT_TRUE(fd >= 0, "create read-only LRU map"))
		return;
	if (ASSERT_EQ(hostmap_batch_new(&b, 16), 0, "batch")) {
		hostmap_batch_add(b,
				  engine_lookup_host(&eng, cli_addr, IP_VER4));
		hostmap_batch_add(b,
				  engine_lookup_host(&eng, srv_addr, IP_VER4));
		ASSERT_TRUE(
			hostmap_batch_flush(b, fd, &eng, &written, &failed) < 0,
			"flush fails");
		ASSERT_EQ(written, 0, "written");
		ASSERT_EQ(failed, 2, "failed");
		ASSERT_EQ(hostmap_batch_pending(b), 0, "nothing kept");
	}
	hostmap_batch_free(b);
	close(fd);
}

/* A map larger than the batch may grow: full batches are flushed, never
 * thinned (the map could still hold the oldest host's old record). */
static void batch_large_map_flushes(void)
{
	struct hostmap_batch *b = NULL;
	static long long fake[70000];
	unsigned i, asked = 0, first = 0;

	if (!ASSERT_EQ(hostmap_batch_new(&b, 1000000), 0, "batch"))
		return;
	for (i = 0; i < 70000 && !asked; i++)
		if (hostmap_batch_add(b, (const struct host *)(void *)&fake[i]))
			asked = 1, first = i + 1;
	ASSERT_TRUE(asked, "a full batch asks for a flush");
	ASSERT_EQ(hostmap_batch_pending(b), first, "all noted are pending");
	ASSERT_EQ(hostmap_batch_superseded(b), 0, "none thinned");
	hostmap_batch_free(b);
}

static void two_hosts_then_free(void)
{
	if (!setup())
		return;
	ASSERT_EQ(engine_host_count(&eng), 2, "hosts in the engine");
	if (ready) {
		engine_free(&eng);
		sigdb_free(&db);
		ready = false;
	}
}

TH_MAIN("hostmap", TH_CASE(fill_client), TH_CASE(fill_unknown_server),
	TH_CASE(api_layout), TH_CASE(api_answers), TH_CASE(map_round_trip),
	TH_CASE(parse_addresses), TH_CASE(print_like_p0f_client),
	TH_CASE(fill_tls), TH_CASE(stale_hosts_map), TH_CASE(dstats_pinned),
	TH_CASE(batch_flood_supersedes), TH_CASE(batch_refused_counted),
	TH_CASE(batch_large_map_flushes), TH_CASE(two_hosts_then_free))
