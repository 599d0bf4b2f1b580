// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The pinned hosts map (engine host -> struct osprey_host) and the pinned
 * daemon counters (dstats): writing them from the daemon, reading them
 * from `osprey lookup` / `osprey stats`, and printing a host record.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "user/engine/host_tls.h"
#include "user/hostmap.h"
#include "user/hostwin.h"
#include "user/labelhash.h"
#include "user/pin.h"

_Static_assert(HOST_SNI_SIZE == OSPREY_SNI_STR, "engine SNI = record SNI");
_Static_assert(HOST_JA4_SIZE <= OSPREY_JA4_STR, "engine JA4 fits");

const char *const dstat_names[DST_MAX] = {
	[DST_PID] = "pid",
	[DST_RUNNING] = "running",
	[DST_START_TIME] = "start_time",
	[DST_UPDATE_TIME] = "update_time",
	[DST_EVENTS] = "events",
	[DST_EVENT_BYTES] = "event_bytes",
	[DST_ENGINE_ERRORS] = "engine_errors",
	[DST_BAD_RECORDS] = "bad_records",
	[DST_RB_DROPS] = "ringbuf_drops",
	[DST_HOSTS] = "hosts",
	[DST_FLOWS] = "connections_tracked",
	[DST_CONNECTIONS] = "connections",
	[DST_HOST_UPDATES] = "host_map_updates",
	[DST_HOST_UPDATE_ERRORS] = "host_map_errors",
	[DST_API_QUERIES] = "api_queries",
	[DST_API_REJECTED] = "api_rejected",
	[DST_OBS_FIRST + 0] = "obs_syn",
	[DST_OBS_FIRST + 1] = "obs_syn_ack",
	[DST_OBS_FIRST + 2] = "obs_mtu",
	[DST_OBS_FIRST + 3] = "obs_uptime",
	[DST_OBS_FIRST + 4] = "obs_http_request",
	[DST_OBS_FIRST + 5] = "obs_http_response",
	[DST_OBS_FIRST + 6] = "obs_host_change",
	[DST_OBS_FIRST + 7] = "obs_ip_sharing",
	[DST_OBS_FIRST + 8] = "obs_sendsyn_probe",
	[DST_OBS_FIRST + 9] = "obs_sendsyn_response",
	[DST_FILTERED] = "filtered",
	[DST_API_IDLE_CLOSED] = "api_idle_closed",
	[DST_OBS_TLS_CLIENT] = "obs_tls_client",
	[DST_OBS_TLS_SERVER] = "obs_tls_server",
	[DST_TLS_INCOMPLETE] = "tls_incomplete",
	[DST_TLS_REFUSED] = "tls_refused",
	[DST_HOST_SUPERSEDED] = "host_map_superseded",
	[DST_TIMES_ESTIMATED] = "event_times_estimated",
};

int dstat_obs_index(int mod)
{
	if (mod >= 0 && mod <= DST_OBS_LAST - DST_OBS_FIRST)
		return DST_OBS_FIRST + mod;
	/* modules added after the counters' first layout come after it */
	if (mod >= DST_OBS_LAST - DST_OBS_FIRST + 1 && mod < OBS_MODS)
		return DST_OBS_TLS_CLIENT + mod -
		       (DST_OBS_LAST - DST_OBS_FIRST + 1);
	return -1;
}

/* ------------------------------------------------------------ hosts */

void hostmap_key(struct osprey_host_key *k, const u8 *addr, u8 ip_ver)
{
	memset(k, 0, sizeof(*k));
	k->family = ip_ver == IP_VER6 ? 6 : 4;
	memcpy(k->addr, addr, ip_ver == IP_VER6 ? 16 : 4);
}

/* Copy at most OSPREY_STR - 1 bytes; the record always holds a C string
 * (and the record was zeroed, so the rest is zero too). */
static void put_str(char dst[OSPREY_STR], const char *src)
{
	if (src)
		memcpy(dst, src, strnlen(src, OSPREY_STR - 1));
}

static const char *db_name(const struct sigdb *db, s32 id)
{
	return db && id >= 0 && (u32)id < db->name_cnt ? db->names[id] : NULL;
}

static const char *db_class(const struct sigdb *db, s32 id)
{
	return db && id >= 0 && (u32)id < db->class_cnt ? db->classes[id] :
							  NULL;
}

static void fill_os(struct osprey_host *v, const struct sigdb *db,
		    const struct host *h)
{
	const char *cls = db_class(db, h->last_class_id);
	const char *name = db_name(db, h->last_name_id);

	if (!name)
		return;
	v->flags |= OSPREY_HF_OS_KNOWN;
	put_str(v->os_class, cls);
	put_str(v->os_name, name);
	put_str(v->os_flavor, h->last_flavor);
	/* ids hash the full text, not the truncated copies */
	v->os_class_hash = osprey_fnv1a(cls ? cls : "");
	v->os_name_hash = osprey_fnv1a(name);
	v->os_label_hash = osprey_label_hash(cls, name, h->last_flavor);
	v->os_quality = h->last_quality & (OSPREY_Q_FUZZY | OSPREY_Q_GENERIC);
}

static void fill_http(struct osprey_host *v, const struct sigdb *db,
		      const struct host *h)
{
	const char *name = db_name(db, h->http_name_id);

	if (name) {
		v->flags |= OSPREY_HF_HTTP_KNOWN;
		put_str(v->http_name, name);
		put_str(v->http_flavor, h->http_flavor);
	}
	put_str(v->language, h->language);
	v->bad_sw = h->bad_sw;
	if (h->bad_sw == 2)
		v->flags |= OSPREY_HF_DISHONEST;
}

static void fill_tls(struct osprey_host *v, const struct host *h)
{
	if (!h->tls)
		return;
	v->flags |= OSPREY_HF_TLS;
	memcpy(v->ja4, h->tls->ja4, sizeof(h->tls->ja4));
	memcpy(v->sni, h->tls->sni, sizeof(v->sni));
	v->ja4_hash = osprey_fnv1a(h->tls->ja4);
}

void hostmap_fill(struct osprey_host *v, const struct sigdb *db,
		  const struct host *h)
{
	memset(v, 0, sizeof(*v));
	v->first_seen = h->first_seen;
	v->last_seen = h->last_seen;
	v->total_conn = h->total_conn;
	fill_os(v, db, h);
	fill_http(v, db, h);
	/* the engine keeps p0f's u8 with 255 for "not measured" */
	v->distance = h->distance == (u8)-1 ? -1 : h->distance;
	if (h->link_type || h->last_mtu) {
		v->flags |= OSPREY_HF_LINK;
		put_str(v->link_type, h->link_type);
		v->mtu = h->last_mtu;
	}
	v->uptime_min = h->last_up_min;
	if (h->last_up_min != -1) {
		v->flags |= OSPREY_HF_UPTIME;
		v->up_mod_days = h->up_mod_days;
	}
	v->last_nat = h->last_nat;
	v->last_chg = h->last_chg;
	if (h->last_nat)
		v->flags |= OSPREY_HF_NAT;
	if (h->last_chg)
		v->flags |= OSPREY_HF_HOST_CHANGE;
	fill_tls(v, h);
}

int hostmap_update(int fd, const struct sigdb *db, const struct host *h)
{
	struct osprey_host_key k;
	struct osprey_host v;

	hostmap_key(&k, h->addr, h->ip_ver);
	hostmap_fill(&v, db, h);
	return bpf_map_update_elem(fd, &k, &v, BPF_ANY) ? -errno : 0;
}

/* ------------------------------------------------------------ batch */

/* The kernel's internal "not supported" some map types answer with. */
#define KERNEL_ENOTSUPP 524

/*
 * Hosts to write: the engine's records in a window (hostwin.h).  For a map
 * of up to HOST_WINDOW_MAX entries the window is as large as the map, so
 * that a flood of more distinct hosts than the map holds costs no writes
 * the map would evict at once; a larger map gets a window of
 * HOST_WINDOW_MAX that is written out whenever it fills (its oldest host
 * might still be in the map after the window's writes).  The window costs
 * 48-80 bytes a place (at most 5 MiB), whatever the map's size.  Keys and
 * values are made at the flush, HOST_CHUNK at a time.
 */
#define HOST_WINDOW_MAX 65536
#define HOST_CHUNK 4096

struct hostmap_batch {
	struct hostwin *win;
	uint32_t cap, chunk;
	bool supersede; /* the window is as large as the map */
	const struct host **host;
	struct osprey_host_key *keys;
	struct osprey_host *vals;
	bool no_batch; /* the kernel refused BPF_MAP_UPDATE_BATCH */
};

int hostmap_batch_new(struct hostmap_batch **out, uint32_t map_entries)
{
	struct hostmap_batch *b = calloc(1, sizeof(*b));
	int rc;

	*out = NULL;
	if (!b)
		return -ENOMEM;
	b->supersede = map_entries <= HOST_WINDOW_MAX;
	b->cap = b->supersede ? map_entries : HOST_WINDOW_MAX;
	rc = hostwin_new(&b->win, b->cap);
	b->chunk = b->cap < HOST_CHUNK ? b->cap : HOST_CHUNK;
	b->host = calloc(b->chunk, sizeof(*b->host));
	b->keys = calloc(b->chunk, sizeof(*b->keys));
	b->vals = calloc(b->chunk, sizeof(*b->vals));
	if (rc || !b->host || !b->keys || !b->vals) {
		hostmap_batch_free(b);
		return rc ? rc : -ENOMEM;
	}
	*out = b;
	return 0;
}

void hostmap_batch_free(struct hostmap_batch *b)
{
	if (!b)
		return;
	hostwin_free(b->win);
	free(b->host);
	free(b->keys);
	free(b->vals);
	free(b);
}

int hostmap_batch_add(struct hostmap_batch *b, const struct host *h)
{
	hostwin_add(b->win, h);
	return !b->supersede && hostwin_pending(b->win) == b->cap;
}

uint32_t hostmap_batch_pending(const struct hostmap_batch *b)
{
	return hostwin_pending(b->win);
}

uint64_t hostmap_batch_superseded(const struct hostmap_batch *b)
{
	return hostwin_superseded(b->win);
}

/* One element at a time: kernels without BPF_MAP_UPDATE_BATCH. */
static int update_each(int fd, struct hostmap_batch *b, uint32_t n,
		       uint64_t *written)
{
	int rc = 0;
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (bpf_map_update_elem(fd, &b->keys[i], &b->vals[i], BPF_ANY))
			rc = -errno;
		else
			(*written)++;
	}
	return rc;
}

/* Write keys/vals[0..n) into fd.  0 or -errno of a failure. */
static int write_chunk(struct hostmap_batch *b, int fd, uint32_t n,
		       uint64_t *written)
{
	LIBBPF_OPTS(bpf_map_batch_opts, bo, .elem_flags = BPF_ANY);
	uint32_t cnt = n;
	int rc;

	if (b->no_batch)
		return update_each(fd, b, n, written);
	if (!bpf_map_update_batch(fd, b->keys, b->vals, &cnt, &bo)) {
		*written += n;
		return 0;
	}
	rc = -errno;
	if (rc == -EINVAL || rc == -EOPNOTSUPP || rc == -KERNEL_ENOTSUPP) {
		b->no_batch = true;
		return update_each(fd, b, n, written);
	}
	/* the first cnt went in; the rest failed with rc */
	*written += cnt < n ? cnt : 0;
	return rc;
}

int hostmap_batch_flush(struct hostmap_batch *b, int fd, struct engine *e,
			uint64_t *written, uint64_t *failed)
{
	uint64_t before;
	uint32_t i, k, n;
	int rc = 0, err;

	/*
	 * Each host's record as the engine has it now, oldest first (the
	 * newest end up the most recently used in the LRU map).  The
	 * engine's hosts live in a pool that is only freed with the engine,
	 * so a noted record can always be read; one pruned meanwhile has
	 * ip_ver 0 and is not written (or, reused, is the live record of
	 * another host).
	 */
	while ((k = hostwin_take(b->win, b->host, b->chunk))) {
		for (i = n = 0; i < k; i++) {
			const struct host *h = b->host[i];

			if (h->ip_ver != IP_VER4 && h->ip_ver != IP_VER6)
				continue;
			hostmap_key(&b->keys[n], h->addr, h->ip_ver);
			hostmap_fill(&b->vals[n], e->db, h);
			n++;
		}
		if (!n)
			continue;
		before = *written;
		err = write_chunk(b, fd, n, written);
		if (err) {
			rc = err;
			*failed += n - (*written - before);
		}
	}
	return rc;
}

int pinned_map_open(const char *dir, const char *name, bool rdonly)
{
	LIBBPF_OPTS(bpf_obj_get_opts, oo,
		    .file_flags = rdonly ? BPF_F_RDONLY : 0);
	char path[PATH_MAX];
	int fd;

	if (pin_path(path, sizeof(path), dir, name))
		return -ENAMETOOLONG;
	fd = bpf_obj_get_opts(path, &oo);
	return fd >= 0 ? fd : -errno;
}

/* Is fd a map with these sizes (type 0: any) and enough entries? */
static bool map_is(int fd, __u32 type, __u32 key_size, __u32 value_size,
		   __u32 min_entries)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	return !bpf_obj_get_info_by_fd(fd, &info, &len) &&
	       (!type || info.type == type) && info.key_size == key_size &&
	       info.value_size == value_size && info.max_entries >= min_entries;
}

uint32_t hostmap_capacity(int fd)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.max_entries;
}

/* Is fd a hosts map of this ABI's layout? */
static bool layout_ok(int fd)
{
	return map_is(fd, 0, sizeof(struct osprey_host_key),
		      sizeof(struct osprey_host), 0);
}

int hostmap_open(const char *pin_dir)
{
	int fd = pinned_map_open(pin_dir, "hosts", true);

	if (fd >= 0 && !layout_ok(fd)) {
		close(fd);
		return -EPROTO;
	}
	return fd;
}

int hostmap_drop_stale(const char *pin_dir)
{
	char path[PATH_MAX];
	bool ok;
	int fd;

	if (pin_path(path, sizeof(path), pin_dir, "hosts"))
		return -ENAMETOOLONG;
	fd = bpf_obj_get(path);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	ok = layout_ok(fd);
	close(fd);
	if (ok)
		return 0;
	/* what it holds is rebuilt from traffic: nothing is lost for good */
	return unlink(path) ? -errno : 1;
}

int hostmap_get(int fd, const u8 *addr, u8 ip_ver, struct osprey_host *v)
{
	struct osprey_host_key k;

	hostmap_key(&k, addr, ip_ver);
	return bpf_map_lookup_elem(fd, &k, v) ? -errno : 0;
}

int hostmap_parse_addr(const char *s, u8 addr[16], u8 *ip_ver)
{
	memset(addr, 0, 16);
	if (!s)
		return -EINVAL;
	if (inet_pton(AF_INET, s, addr) == 1) {
		*ip_ver = IP_VER4;
		return 0;
	}
	if (inet_pton(AF_INET6, s, addr) == 1) {
		*ip_ver = IP_VER6;
		return 0;
	}
	return -EINVAL;
}

/* ------------------------------------------------------------ print */

static void fmt_time(char *buf, size_t len, uint64_t t)
{
	time_t ut = (time_t)t;
	struct tm tm;

	if (!localtime_r(&ut, &tm) ||
	    !strftime(buf, len, "%Y/%m/%d %H:%M:%S", &tm))
		snprintf(buf, len, "%llu", (unsigned long long)t);
}

static const char *sw_verdict(uint8_t bad_sw)
{
	return bad_sw == 2 ? "is fake" : bad_sw ? "OS mismatch" : "seems legit";
}

void hostmap_print(FILE *fp, const struct osprey_host *v)
{
	char tbuf[64];

	fmt_time(tbuf, sizeof(tbuf), v->first_seen);
	fprintf(fp, "First seen    = %s\n", tbuf);
	fmt_time(tbuf, sizeof(tbuf), v->last_seen);
	fprintf(fp, "Last update   = %s\n", tbuf);
	fprintf(fp, "Total flows   = %u\n", v->total_conn);
	if (!v->os_name[0])
		fprintf(fp, "Detected OS   = ???\n");
	else
		fprintf(fp, "Detected OS   = %.32s %.32s%s%s\n", v->os_name,
			v->os_flavor,
			v->os_quality & OSPREY_Q_GENERIC ? " [generic]" : "",
			v->os_quality & OSPREY_Q_FUZZY ? " [fuzzy]" : "");
	if (!v->http_name[0])
		fprintf(fp, "HTTP software = ???\n");
	else
		fprintf(fp, "HTTP software = %.32s %.32s (ID %s)\n",
			v->http_name, v->http_flavor, sw_verdict(v->bad_sw));
	fprintf(fp, "Network link  = %.32s\n",
		v->link_type[0] ? v->link_type : "???");
	fprintf(fp, "Language      = %.32s\n",
		v->language[0] ? v->language : "???");
	if (v->distance < 0)
		fprintf(fp, "Distance      = ???\n");
	else
		fprintf(fp, "Distance      = %d\n", v->distance);
	if (v->last_nat) {
		fmt_time(tbuf, sizeof(tbuf), v->last_nat);
		fprintf(fp, "IP sharing    = %s\n", tbuf);
	}
	if (v->last_chg) {
		fmt_time(tbuf, sizeof(tbuf), v->last_chg);
		fprintf(fp, "Sys change    = %s\n", tbuf);
	}
	if (v->uptime_min > 0)
		fprintf(fp,
			"Uptime        = %d days %d hrs %d min (modulo %u "
			"days)\n",
			v->uptime_min / 60 / 24, (v->uptime_min / 60) % 24,
			v->uptime_min % 60, v->up_mod_days);
	if (v->flags & OSPREY_HF_TLS) {
		fprintf(fp, "TLS JA4       = %.*s\n", OSPREY_JA4_STR, v->ja4);
		fprintf(fp, "TLS SNI       = %.*s\n", OSPREY_SNI_STR,
			v->sni[0] ? v->sni : "none");
	}
}

/* The characters of a bounded char array, JSON-escaped. */
static void json_chars(FILE *fp, const char *s, size_t max)
{
	size_t i;

	for (i = 0; i < max && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(fp, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(fp, "\\u%04x", c);
		else
			fputc(c, fp);
	}
}

/* A JSON string from a bounded char array. */
static void json_str(FILE *fp, const char *s, size_t max)
{
	fputc('"', fp);
	json_chars(fp, s, max);
	fputc('"', fp);
}

static void json_opt_str(FILE *fp, const char *key, const char *s)
{
	fprintf(fp, ",\"%s\":", key);
	if (s[0])
		json_str(fp, s, OSPREY_STR);
	else
		fputs("null", fp);
}

static void json_opt_u64(FILE *fp, const char *key, uint64_t v, bool set)
{
	if (set)
		fprintf(fp, ",\"%s\":%llu", key, (unsigned long long)v);
	else
		fprintf(fp, ",\"%s\":null", key);
}

/* ",KEY:" and null when the record lacks what it names (flag): false. */
static bool json_obj_key(FILE *fp, const char *key, const struct osprey_host *v,
			 __u32 flag)
{
	fprintf(fp, ",\"%s\":", key);
	if (v->flags & flag)
		return true;
	fputs("null", fp);
	return false;
}

static void json_os(FILE *fp, const struct osprey_host *v)
{
	if (!json_obj_key(fp, "os", v, OSPREY_HF_OS_KNOWN))
		return;
	/* "text" as in the events: name and flavor, p0f's os= field */
	fputs("{\"text\":\"", fp);
	json_chars(fp, v->os_name, OSPREY_STR);
	if (v->os_flavor[0]) {
		fputc(' ', fp);
		json_chars(fp, v->os_flavor, OSPREY_STR);
	}
	fputs("\",\"class\":", fp);
	json_str(fp, v->os_class, OSPREY_STR);
	json_opt_str(fp, "name", v->os_name);
	json_opt_str(fp, "flavor", v->os_flavor);
	fprintf(fp,
		",\"generic\":%s,\"fuzzy\":%s,\"class_id\":%u,"
		"\"name_id\":%u,\"label_id\":%u}",
		v->os_quality & OSPREY_Q_GENERIC ? "true" : "false",
		v->os_quality & OSPREY_Q_FUZZY ? "true" : "false",
		v->os_class_hash, v->os_name_hash, v->os_label_hash);
}

static void json_http(FILE *fp, const struct osprey_host *v)
{
	if (!json_obj_key(fp, "http", v, OSPREY_HF_HTTP_KNOWN))
		return;
	fputs("{\"name\":", fp);
	json_str(fp, v->http_name, OSPREY_STR);
	json_opt_str(fp, "flavor", v->http_flavor);
	fprintf(fp, ",\"id\":\"%s\"}",
		v->bad_sw == 2 ? "fake" :
		v->bad_sw      ? "os_mismatch" :
				 "legit");
}

/* "tls": {"ja4", "ja4_id", "sni"} or null; the SNI's bytes as the
 * observations' JSON gives them. */
static void json_tls(FILE *fp, const struct osprey_host *v)
{
	char sni[OSPREY_SNI_STR + 1];

	if (!json_obj_key(fp, "tls", v, OSPREY_HF_TLS))
		return;
	fputs("{\"ja4\":", fp);
	json_str(fp, v->ja4, OSPREY_JA4_STR);
	fprintf(fp, ",\"ja4_id\":%u,\"sni\":", v->ja4_hash);
	memcpy(sni, v->sni, OSPREY_SNI_STR);
	sni[OSPREY_SNI_STR] = 0;
	if (sni[0])
		out_json_tls_name(fp, sni);
	else
		fputs("null", fp);
	fputs("}", fp);
}

/* ,"key":"RFC 3339" for unix seconds t, or null when never */
static void json_time(FILE *fp, const char *key, uint64_t t)
{
	char buf[40];

	if (t)
		fprintf(fp, ",\"%s\":\"%s\"", key,
			fmt_rfc3339(t * 1000, 0, buf, sizeof(buf)));
	else
		fprintf(fp, ",\"%s\":null", key);
}

/* The record as the "lookup" object of tools/osprey.schema.json. */
void hostmap_print_json(FILE *fp, const u8 *addr, u8 ip_ver,
			const struct osprey_host *v)
{
	char text[INET6_ADDRSTRLEN];

	if (!inet_ntop(ip_ver == IP_VER6 ? AF_INET6 : AF_INET, addr, text,
		       sizeof(text)))
		snprintf(text, sizeof(text), "?");
	fprintf(fp, "{\"addr\":\"%s\"", text);
	json_time(fp, "first_seen", v->first_seen);
	json_time(fp, "last_seen", v->last_seen);
	fprintf(fp, ",\"total_conn\":%u", v->total_conn);
	json_os(fp, v);
	json_http(fp, v);
	json_opt_str(fp, "link", v->link_type);
	json_opt_u64(fp, "mtu", v->mtu, v->mtu != 0);
	json_opt_str(fp, "language", v->language);
	json_opt_u64(fp, "distance", (uint64_t)v->distance, v->distance >= 0);
	json_opt_u64(fp, "uptime_min", (uint64_t)v->uptime_min,
		     (v->flags & OSPREY_HF_UPTIME) && v->uptime_min >= 0);
	json_opt_u64(fp, "uptime_modulo_days", v->up_mod_days,
		     (v->flags & OSPREY_HF_UPTIME) != 0);
	json_time(fp, "last_nat", v->last_nat);
	json_time(fp, "last_change", v->last_chg);
	json_tls(fp, v);
	fputs("}\n", fp);
}

int hostmap_json_of(int fd, const char *addr, FILE *fp)
{
	struct osprey_host v;
	u8 a[16], ver;
	int rc;

	if (hostmap_parse_addr(addr, a, &ver))
		return -EINVAL;
	rc = hostmap_get(fd, a, ver, &v);
	if (!rc)
		hostmap_print_json(fp, a, ver, &v);
	return rc;
}

/* ----------------------------------------------------------- dstats */

/* A pinned map we can use: an array of u64 with enough entries. */
static bool dstats_compatible(int fd)
{
	return map_is(fd, BPF_MAP_TYPE_ARRAY, sizeof(__u32), sizeof(__u64),
		      DST_MAX);
}

int dstats_open(const char *pin_dir, bool create)
{
	char path[PATH_MAX];
	int fd, rc;

	rc = pin_path(path, sizeof(path), pin_dir, DSTATS_MAP);
	if (rc)
		return rc;
	/* readers (`osprey stats`) only need, and may only have, read access */
	fd = pinned_map_open(pin_dir, DSTATS_MAP, !create);
	if (fd >= 0) {
		if (dstats_compatible(fd))
			return fd;
		close(fd);
		if (!create)
			return -EPROTO;
		/* an older layout: only counters, safe to replace */
		if (unlink(path))
			return -errno;
	} else if (fd != -ENOENT || !create) {
		return fd;
	}
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, DSTATS_MAP, sizeof(__u32),
			    sizeof(__u64), DSTATS_ENTRIES, NULL);
	if (fd < 0)
		return -errno;
	if (bpf_obj_pin(fd, path)) {
		rc = -errno;
		close(fd);
		return rc;
	}
	return fd;
}

int dstats_store(int fd, const uint64_t v[DST_MAX])
{
	__u32 i;

	for (i = 0; i < DST_MAX; i++)
		if (bpf_map_update_elem(fd, &i, &v[i], BPF_ANY))
			return -errno;
	return 0;
}

int dstats_load(int fd, uint64_t v[DST_MAX])
{
	__u32 i;

	for (i = 0; i < DST_MAX; i++)
		if (bpf_map_lookup_elem(fd, &i, &v[i]))
			return -errno;
	return 0;
}
