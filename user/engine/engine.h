/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * osprey fingerprinting engine: its public face.
 *
 * The engine turns raw IP/TCP bytes plus a timestamp into p0f 3.09b's
 * observations.  It has no libbpf, libpcap or kernel dependency: live
 * capture (ring buffer) and offline capture (libpcap) both hand it bytes
 * starting at the IP header through engine_feed().  This header is all a
 * caller needs; the module headers beside it are the engine's insides.
 *
 * Module map, lower layers first: a file calls only files above it in
 * this list (and the caller, through the on_obs / on_host callbacks).
 * Headers form no circle either; the types the modules fill in (struct
 * flow in flow.h, struct host below) are shared through them.
 *
 *   defs.h        integer types, p0f's limits, IP/TCP constants
 *   errmsg.c      errmsg(): error text into a caller's buffer
 *   strbuf.[ch]   the string builder every text of the engine is made with
 *   pool.[ch]     fixed-size object pools: hosts, flows, TCP signatures
 *   packet.[ch]   raw IP/TCP -> struct pkt (p0f's parse_packet)
 *   sigstore.[ch] the memory of struct sigdb: allocations, OS names and
 *                 classes, record lists
 *   obs.[ch]      building and emitting an observation (one per engine)
 *   nat.[ch]      NAT / host-change scoreboard: the "host change" and
 *                 "ip sharing" observations
 *   tcp.h         the TCP module:
 *     tcp_sig.c     packet -> signature, matching
 *     tcp_dump.c    raw_sig / params text
 *     tcp_db.c      [tcp:*] sig lines -> records
 *     tcp_host.c    "syn" / "syn+ack" observation, NAT score, host
 *                   record, memo of recent signatures
 *     tcp_uptime.c  uptime from timestamps: the "uptime" observation
 *   mtu.[ch]      MTU -> link type: [mtu] sig lines, the "mtu" observation
 *   http.h        the HTTP module (internals shared in http_int.h):
 *     http_lang.c   Accept-Language names
 *     http_sig.c    header-name table, matching
 *     http_dump.c   raw_sig / params text
 *     http_db.c     [http:*] sig lines and ua_os -> records
 *     http_host.c   "http request" / "http response" observation, NAT
 *                   score, host record
 *     http_wire.c   request / response header parser on a flow's bytes
 *   sigdb.c       the .fp reader: sections, classes, labels, sys; each
 *                 sig line goes to tcp_db.c, mtu.c or http_db.c
 *   host_tls.[ch] the JA4 / SNI pairs hosts point to, shared
 *   flow.[ch]     the flow and host tables: lookup, create, expire, prune
 *   tls.h         the TLS hello module (no engine types): tls_parse.c,
 *                 tls_reasm.c, ja4.c, ja3.c; h2.h: h2_fp.c (h2c)
 *   tls_engine.h  TLS and h2c inside the engine (not p0f's):
 *     tls_obs.c     "tls client" / "tls server" observations, the h2c
 *                   fingerprint in "http request", the host's JA4 / SNI
 *     tls_conn.c    connections followed for their hellos, apart from
 *                   p0f's flows; segments to each direction's stream
 *   rebase.c      engine_swap_db(): hosts and flows onto a reloaded db
 *   process.c     engine_init / engine_feed / engine_free: dispatch of
 *                 SYN, SYN+ACK, data and FIN/RST to the modules
 *   pipe.c        engine_pipe_*: feeding in bursts, host-table lines
 *                 prefetched a few packets ahead (flow.c's steps)
 *   community_id.c  Community ID v1 of a flow (for the JSON line)
 *   output.c      observation -> p0f box, p0f log line, JSON line
 *
 * Conventions: functions return 0 or -errno; no exit() below main; no
 * globals, everything hangs off struct engine.
 */
#ifndef OSPREY_ENGINE_H
#define OSPREY_ENGINE_H

#include <stdio.h>

#include "defs.h"
#include "packet.h"

struct engine;
struct flow;
struct tcp_sig;
struct tcp_sig_record;
struct http_sig_record;
struct http_host_sig;
struct tcp_memo;
struct tables;
struct pool;
struct tls_table;
struct host_tls;
struct host_tls_table;

/* ---------------------------------------------------------------------- */
/* Signature database (sigdb.c reads it, sigstore.c holds it)              */
/* ---------------------------------------------------------------------- */

/*
 * Growable list of records of one kind (pointer array) in matching order:
 * file order within a file, and the records of a later (overlay) file
 * ahead of an earlier file's.  [0, front) are the records of the file
 * being read; a new record goes to index front.
 */
struct rec_list {
	void **v;
	u32 cnt, cap;
	u32 front;
};

/* Interned header names seen in [http:*] sigs and p0f's fixed lists. */
struct http_names {
	char **name;
	u32 cnt, cap;
	struct hdr_index *index; /* lookup by name (http_int.h) */
};

struct sigdb {
	char **classes; /* os class names, index = class id */
	u32 class_cnt;
	char **names; /* os/app names, index = name id */
	u32 name_cnt;
	u32 label_cnt; /* label ids issued (one per label=) */
	/* [tcp:request] = 1, [tcp:response] = 0; bucketed by opt_hash */
	struct rec_list tcp[2][SIG_BUCKETS];
	u32 tcp_cnt[2];
	/* [mtu]: bucketed by mtu % SIG_BUCKETS */
	struct rec_list mtu[SIG_BUCKETS];
	u32 mtu_cnt;
	/* [http:request] = 1, [http:response] = 0 */
	struct rec_list http[2];
	struct http_names hnames;
	/* ua_os = ... (the file being read has [0, ua_map_front)) */
	struct ua_map_record *ua_map;
	u32 ua_map_cnt, ua_map_cap, ua_map_front;
	u32 file_cnt; /* files read: 1 + overlays */
	/* allocations to free with the db */
	struct arena_blk *arena;
};

/*
 * Parse a p0f .fp file.  On error returns -EINVAL (or -errno for I/O)
 * and writes "file:line: what" into err (errlen bytes).
 */
int sigdb_load(struct sigdb *db, const char *path, char *err, size_t errlen);
/* Same, from a buffer (for tests and fuzzing); `name` is used in errors. */
int sigdb_load_buf(struct sigdb *db, const char *name, const char *buf,
		   size_t len, char *err, size_t errlen);
/*
 * Overlay another .fp file on a loaded db (osprey's `-f A -f B`).  Within
 * the file p0f's rules hold; across files the later one wins: its sigs
 * are tried before the earlier files' ones, a sig of exactly the same
 * shape (or MTU) in an earlier file is dropped, and it may use and add
 * classes and names.  On error the whole db is freed (as a failed load)
 * and err says "file:line: what".
 */
int sigdb_overlay(struct sigdb *db, const char *path, char *err, size_t errlen);
int sigdb_overlay_buf(struct sigdb *db, const char *name, const char *buf,
		      size_t len, char *err, size_t errlen);
/* paths[0] loaded, paths[1..n) overlaid in order. */
int sigdb_load_files(struct sigdb *db, const char *const *paths, int n,
		     char *err, size_t errlen);
void sigdb_free(struct sigdb *db);
/* name id for a class/name string, or -1 */
s32 sigdb_lookup_name(const struct sigdb *db, const char *name, size_t len);

/* ---------------------------------------------------------------------- */
/* Hosts (flow.c keeps them; the modules fill them in)                    */
/* ---------------------------------------------------------------------- */

/* host.last_quality: how the OS was matched (p0f's P0F_MATCH_*) */
#define MATCH_FUZZY 0x01
#define MATCH_GENERIC 0x02

/*
 * Hosts are the engine's bulk: a record of 224 bytes, with room for its
 * two TCP signatures beside it (struct host_blk in flow.h) 320, and with
 * its share of the hash buckets at most 336 (see flow.c).  Fields are in
 * two groups so that a SYN, with a million hosts tracked, touches three
 * cache lines of its client's block: what HTTP, TLS and the server side
 * use first, then from `next` on what a lookup and a SYN use (flow.h
 * places the block).  The engine takes hosts from a pool; a host pointer
 * stays valid until the host is pruned or expired.  After that its memory
 * stays readable until engine_free(): ip_ver is 0 until the record is
 * reused for a host (which may have another address), so a caller that
 * kept a pointer can tell.
 */
struct host {
	/* what a SYN leaves alone */
	struct http_host_sig *http_req_os; /* last OS-matched request */
	struct http_host_sig *http_resp; /* last response */
	const char *http_flavor;
	const char *language;
	/* osprey: the latest ClientHello's JA4 and SNI, shared with the
	 * hosts that have the same pair (host_tls.h); NULL = none yet */
	const struct host_tls *tls;
	u32 first_seen; /* unix seconds */
	s32 http_name_id; /* -1 = unknown */
	u8 srv_scores[NAT_SCORES];
	/* what a lookup and a SYN use */
	u16 last_mtu; /* osprey: raw MTU of the last SYN */
	u16 nat_reasons;
	u16 last_port;
	u8 tcp_sigs; /* HOST_SIG_*: which TCP signatures the block holds */
	u8 bad_sw;
	struct host *next; /* hash bucket chain */
	struct host *older, *newer; /* age list */
	u8 addr[16];
	u32 use_cnt;
	u32 last_seen;
	u32 total_conn;
	u8 ip_ver;
	u8 last_quality; /* MATCH_FUZZY | MATCH_GENERIC */
	u8 distance;
	s32 last_class_id; /* -1 = unknown */
	s32 last_name_id; /* -1 = unknown */
	const char *last_flavor;
	const char *link_type;
	u32 last_nat;
	u32 last_chg;
	s32 last_up_min; /* -1 = none */
	u32 up_mod_days;
	u8 cli_scores[NAT_SCORES];
	u16 http_resp_port;
};

/* struct host.tcp_sigs: the last SYN's / SYN+ACK's signature is kept
 * (flow.h, host_last_sig) */
#define HOST_SIG_SYN 0x01
#define HOST_SIG_SYNACK 0x02

/* ---------------------------------------------------------------------- */
/* Observations                                                           */
/* ---------------------------------------------------------------------- */

#define OBS_MAX_FIELDS 8
/* p0f prints HTTP raw_sig without a length limit (up to 32 headers with
 * 200-char values), so a value must hold several kB. */
#define OBS_VAL_LEN 8192

struct obs_field {
	const char *key;
	u8 unknown; /* value was NULL: prints "???" */
	/* NUL-terminated, at most OBS_VAL_LEN - 1 chars; points into the
	 * owning obs's text[] (copy an obs with obs_copy(), not memcpy) */
	const char *val;
	u32 val_len; /* strlen(val) */
};

/* Structured label of an os/app field, for JSON and the hosts map. */
struct obs_label {
	u8 set;
	u8 is_app; /* printed as "app" (class -1) */
	u8 generic;
	u8 fuzzy;
	const char *cls; /* NULL for apps */
	const char *name;
	const char *flavor; /* may be NULL */
};

struct obs {
	const char *mod; /* "syn", "syn+ack", "mtu", ... */
	/* interface of the packet that led to it (struct pkt_meta), NULL
	 * when unknown (offline); valid while the feed call runs */
	const char *ifname;
	u8 to_srv; /* subj = cli if 1 */
	u8 ip_ver;
	u8 cli_addr[16], srv_addr[16];
	u16 cli_port, srv_port;
	u64 ts_ms; /* packet time, unix ms */
	u32 nfields;
	struct obs_field f[OBS_MAX_FIELDS];
	struct obs_label label;
	const struct host *subject; /* host the observation is about */
	/* storage of the field values: one shared buffer, filled in order
	 * and never cleared, so an observation costs only what it holds */
	u32 text_len;
	char text[OBS_MAX_FIELDS * OBS_VAL_LEN];
};

/* An observation is valid while the callback runs (copy it with
 * obs_copy() to keep it); a callback must not feed the engine. */
typedef void (*obs_cb)(void *ctx, const struct obs *o);
typedef void (*host_cb)(void *ctx, const struct host *h);

/* Copy an observation (its values point into its own text). */
void obs_copy(struct obs *dst, const struct obs *src);

/* Observation module names, in engine_stats.obs_by_mod order: p0f's ten,
 * then osprey's "tls client" and "tls server". */
#define OBS_MODS 12
extern const char *const obs_mod_names[OBS_MODS];
/* Index of a module name in engine_stats.obs_by_mod, or -1. */
int obs_mod_index(const char *mod);

/* ---------------------------------------------------------------------- */
/* The engine                                                             */
/* ---------------------------------------------------------------------- */

struct engine_config {
	u32 max_conn; /* default DEF_MAX_CONN */
	u32 max_hosts; /* default DEF_MAX_HOSTS */
	u32 conn_max_age; /* seconds, default 30 */
	u32 host_idle_limit; /* minutes, default 120 */
};

struct engine_stats {
	u64 packets; /* engine_feed() calls */
	u64 pkt_err[PKT_ERR_MAX]; /* skipped, by reason */
	u64 syn, synack;
	u64 obs_by_mod[OBS_MODS]; /* see obs_mod_index() */
	u64 flows_created, flows_expired, flows_pruned;
	u64 hosts_created, hosts_pruned;
	/* TLS (tls_conn.c): connections followed for their hellos; hellos
	 * never completed (connection ended, expired or evicted first) or
	 * refused (malformed, SSLv2, too large); connections dropped for
	 * room; TSO frames (IP length 0) read for TLS only; h2c clients
	 * fingerprinted */
	u64 tls_conns, tls_incomplete, tls_refused, tls_evicted;
	u64 tls_tso_frames, h2c;
};

/*
 * What the caller knows of a packet besides its bytes: handed to
 * engine_feed_meta() and, through the observations the packet leads to
 * (struct obs), back to the caller's outputs.  Fields may be NULL.
 */
struct pkt_meta {
	const char *ifname; /* capture interface (live), NULL offline */
};

struct engine {
	struct sigdb *db;
	struct engine_config cfg;
	struct engine_stats st;
	obs_cb on_obs;
	void *obs_ctx;
	host_cb on_host; /* host record changed; may be NULL */
	void *host_ctx;
	u64 now_ms; /* time of the packet being processed */
	const struct pkt_meta *meta; /* of that packet, or NULL */
	/* the observation being built: one, reused (its text is 64 kB) */
	struct obs *obs;
	struct tables *tables; /* flows and hosts, owned by flow.c */
	/* SYN / SYN+ACK results by exact signature (tcp_host.c); NULL when
	 * it could not be allocated */
	struct tcp_memo *tcp_memo;
	/* signatures being made (struct tcp_sig, fingerprint_tcp); a host
	 * keeps a copy of its last ones beside its record (flow.h) */
	struct pool *tcp_sigs;
	/* connections followed for TLS / h2c (tls_conn.c) */
	struct tls_table *tls;
	/* hosts' JA4 / SNI pairs (host_tls.c); made on first use */
	struct host_tls_table *host_tls;
	/* the packet engine_feed() is processing (from the IP header), for
	 * callbacks that want its bytes (--unknown-pcap); NULL between
	 * packets */
	const u8 *pkt_ip;
	u32 pkt_len;
};

int engine_init(struct engine *e, struct sigdb *db,
		const struct engine_config *cfg);
void engine_free(struct engine *e);
/*
 * Feed one packet, bytes from the IP header on, received at ts_ms (unix
 * milliseconds).  Returns PKT_OK or the PKT_ERR_* it was skipped for.
 */
int engine_feed(struct engine *e, const u8 *ip, size_t len, u64 ts_ms);
/* The same with what the caller knows of the packet (meta may be NULL;
 * it must stay valid until the call returns). */
int engine_feed_meta(struct engine *e, const u8 *ip, size_t len, u64 ts_ms,
		     const struct pkt_meta *meta);
/*
 * The feed pipeline (pipe.c), for a caller that has packets in bursts (the
 * live daemon's ring-buffer rounds).  With a host table larger than the
 * caches most of a SYN's cost is waiting for memory, one miss after the
 * other; the pipeline holds each packet back ENGINE_PIPE_DEPTH places and
 * meanwhile prefetches, step by step, the host-table lines its two hosts
 * will need, so the misses of several packets overlap.  Packets are still
 * processed one at a time in the order given, by engine_feed_meta(): the
 * result is the same as feeding them directly.  The pipeline only engages
 * while the table holds at least min_hosts hosts (a smaller one is in
 * cache and the prefetching would only cost); packets longer than
 * ENGINE_PIPE_PKT go through directly, after the ones held.
 */
#define ENGINE_PIPE_DEPTH 4
#define ENGINE_PIPE_PKT 256
#define ENGINE_PIPE_MIN_HOSTS 32768 /* about 10 MB of host records */

struct engine_pipe_slot {
	u64 ts_ms;
	u32 len;
	u32 bucket[2]; /* host-table buckets of source and destination */
	u8 lines[2]; /* and the lines of their blocks to fetch (flow.h) */
	u8 ip_ver; /* 0: not an IP packet the prefetch understands */
	u8 has_meta;
	struct pkt_meta meta;
	char ifname[16]; /* meta.ifname's text, copied (IF_NAMESIZE) */
	u8 pkt[ENGINE_PIPE_PKT];
};

struct engine_pipe {
	struct engine_pipe_slot s[ENGINE_PIPE_DEPTH];
	u32 head, n; /* oldest held packet, packets held */
	u32 min_hosts;
	u64 errors; /* packets engine_feed_meta() refused (not PKT_OK) */
};

void engine_pipe_init(struct engine_pipe *p, u32 min_hosts);
/* Feed one packet through p (it may be processed later; meta is copied). */
void engine_pipe_feed(struct engine *e, struct engine_pipe *p, const u8 *ip,
		      size_t len, u64 ts_ms, const struct pkt_meta *meta);
/* Process every packet p holds (end of a burst; before reading results). */
void engine_pipe_drain(struct engine *e, struct engine_pipe *p);
/* The input is over (end of a capture file): a TLS hello still open is
 * reported incomplete.  p0f's modules report nothing at the end. */
void engine_end_input(struct engine *e);
/*
 * Switch the engine to the database *nd (a reload), keeping its hosts and
 * flows: what they hold of the old database is re-pointed into the new
 * one (rebase.c), the old one is freed and *e->db takes nd's contents (nd
 * is left empty).  0, or -ENOMEM with nothing changed (nd still the
 * caller's to free).
 */
int engine_swap_db(struct engine *e, struct sigdb *nd);
/* Look up a host by address (for the API socket and tests). */
struct host *engine_lookup_host(struct engine *e, const u8 *addr, u8 ip_ver);
u32 engine_host_count(const struct engine *e);
/* Call fn for every host tracked, oldest first; fn must not feed the
 * engine (metrics: hosts by OS class). */
void engine_host_foreach(const struct engine *e, host_cb fn, void *ctx);
/* Bytes the tables hold now (pool slabs and bucket arrays; flow payload
 * buffers and HTTP strings not included). */
struct engine_mem {
	u64 hosts; /* host records with room for their last SYN and SYN+ACK
		    * signatures, tracked or free for reuse */
	u64 tcp_sigs; /* signatures being made */
	u64 flows; /* flow records */
	u64 buckets; /* both hash tables' bucket arrays */
};
void engine_memory(const struct engine *e, struct engine_mem *m);
u32 engine_flow_count(const struct engine *e);
/* The tracked flow between a/a_port and b/b_port, either direction, or
 * NULL (tests, diagnostics). */
struct flow *engine_lookup_flow(struct engine *e, u8 ip_ver, const u8 *a,
				u16 a_port, const u8 *b, u16 b_port);

/* ---------------------------------------------------------------------- */
/* Outputs (output.c): one observation record, three formats              */
/* ---------------------------------------------------------------------- */

/* p0f's stdout box: ".-[ a/p -> b/p (mod) ]-" ... "`----" */
void out_box(FILE *fp, const struct obs *o);
/* p0f's -o log line; time printed in local time like p0f (set TZ). */
void out_log(FILE *fp, const struct obs *o);
/* The same line appended to sb (strbuf.h): a sink that keeps its own
 * buffer in a strbuf gets the line written there, with no copy between. */
struct strbuf;
void out_log_to(struct strbuf *sb, const struct obs *o);
/* One JSON object per line with typed fields (tools/osprey.schema.json,
 * "event"); sensor names the capturing host (NULL: left out). */
void out_json(FILE *fp, const struct obs *o, const char *sensor);
/* unix_ms as RFC 3339 in UTC, "2024-01-31T12:00:00.123Z" (with_ms) or
 * "2024-01-31T12:00:00Z"; returns buf (32 bytes are enough). */
const char *fmt_rfc3339(u64 unix_ms, int with_ms, char *buf, size_t len);
/* Community ID v1 (Corelight's spec: seed, SHA-1, base64, "1:") of the
 * flow a:a_port <-> b:b_port of IP protocol proto; either direction gives
 * the same string.  out needs COMMUNITY_ID_LEN bytes.  0 or -ENOSPC. */
#define COMMUNITY_ID_LEN 32
int community_id_v1(u8 ip_ver, const u8 *a, u16 a_port, const u8 *b, u16 b_port,
		    u8 proto, u16 seed, char *out, size_t len);
/* An SNI or ALPN name as the TLS observations hold it (bytes outside
 * printable ASCII as "\xHH") written as a JSON string of its bytes, one
 * code point per byte, as out_json() writes it. */
void out_json_tls_name(FILE *fp, const char *text);
/* An address as p0f prints it (dotted quad, or eight uncompressed hex
 * groups); returns buf. */
const char *addr_to_str(const u8 *addr, u8 ip_ver, char *buf, size_t len);

/* Write a printf-style message into err (errlen bytes; err may be NULL);
 * returns -EINVAL, so a parser can `return errmsg(...)`. */
int errmsg(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* OSPREY_ENGINE_H */
