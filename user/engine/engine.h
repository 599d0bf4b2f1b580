/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * osprey fingerprinting engine: the interface shared by its modules.
 *
 * The engine turns raw IP/TCP bytes plus a timestamp into p0f 3.09b's
 * observations.  It has no libbpf, libpcap or kernel dependency: live
 * capture (ring buffer) and offline capture (libpcap) both hand it bytes
 * starting at the IP header through engine_feed().
 *
 * Modules:
 *   packet.c     raw IP/TCP -> struct pkt (p0f's parse_packet, minus link)
 *   sigstore.c   the memory of struct sigdb: allocations, names, lists
 *   sigdb.c      p0f .fp reader: classes, labels, sections; sig lines go
 *                to tcp_db.c, mtu.c, http_db.c
 *   tcp_sig.c    TCP: packet -> signature, matching
 *   tcp_db.c     TCP: [tcp:*] signature grammar
 *   tcp_dump.c   TCP: raw_sig / params text
 *   tcp_host.c   TCP: syn / syn+ack observation, NAT score, host record
 *   tcp_uptime.c TCP: uptime from timestamps
 *   mtu.c        MTU -> link type: grammar, lookup, observation
 *   http_sig.c   HTTP: header names, matching
 *   http_db.c    HTTP: [http:*] signature grammar, ua_os
 *   http_dump.c  HTTP: raw_sig / params text
 *   http_host.c  HTTP: observation, NAT score, host record
 *   http_wire.c  HTTP: request / response header parser on flow bytes
 *   http_lang.c  HTTP: Accept-Language names
 *   process.c    flows, hosts, dispatch
 *   obs.c        observations, NAT scoreboard, address text
 *   output.c     observation -> p0f box, p0f log line, JSON line
 *   errmsg.c     error text into a caller's buffer
 *
 * Conventions: functions return 0 or -errno; no exit() below main; no
 * globals, everything hangs off struct engine.
 */
#ifndef OSPREY_ENGINE_H
#define OSPREY_ENGINE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

struct engine;
struct tcp_sig_record;
struct http_sig_record;

/* ---------------------------------------------------------------------- */
/* Limits (p0f 3.09b config.h values)                                     */
/* ---------------------------------------------------------------------- */

#define MAX_TCP_OPT 24
#define MAX_FLOW_DATA 8192
#define MIN_TSCALE 0.7
#define MAX_TSCALE 1500
#define MIN_TWAIT 25
#define MAX_TWAIT (1000 * 60 * 10)
#define TSTAMP_GRACE 100
#define MAX_NAT_TS (1000 * 60 * 60 * 24)
#define MIN_PORT_DROP 64
#define SMALL_TTL_CHG 2
#define LOCAL_TTL_LIMIT 5
#define NEAR_TTL_LIMIT 9
#define NAT_SCORES 32
#define SIG_BUCKETS 64
#define MAX_DIST 35
#define SPECIAL_MSS 1331
#define SPECIAL_WIN 1337
#define HTTP_MAX_URL 1024
#define HTTP_MAX_HDRS 32
#define HTTP_MAX_HDR_NAME 32
#define HTTP_MAX_HDR_VAL 1024
#define HTTP_MAX_SHOW 200
#define HTTP_MAX_DATE_DIFF 10

/* Table defaults (p0f's -m c,h and its expiry constants) */
#define DEF_MAX_CONN 1000
#define DEF_MAX_HOSTS 10000
#define DEF_CONN_MAX_AGE 30 /* seconds */
#define DEF_HOST_IDLE_LIMIT 120 /* minutes */
#define KILL_PERCENT 10

#define IP_VER4 0x04
#define IP_VER6 0x06

/* TCP flags as on the wire */
#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PUSH 0x08
#define TCP_ACK 0x10
#define TCP_URG 0x20
#define TCP_ECE 0x40
#define TCP_CWR 0x80

/* TCP option kinds */
#define TCPOPT_EOL 0
#define TCPOPT_NOP 1
#define TCPOPT_MAXSEG 2
#define TCPOPT_WSCALE 3
#define TCPOPT_SACKOK 4
#define TCPOPT_SACK 5
#define TCPOPT_TSTAMP 8

/* ---------------------------------------------------------------------- */
/* Quirks (bit values as in p0f so that raw_sig ordering is identical)    */
/* ---------------------------------------------------------------------- */

#define QUIRK_ECN 0x00000001 /* ECN supported */
#define QUIRK_DF 0x00000002 /* DF set */
#define QUIRK_NZ_ID 0x00000004 /* non-zero IP ID with DF */
#define QUIRK_ZERO_ID 0x00000008 /* zero IP ID without DF */
#define QUIRK_NZ_MBZ 0x00000010 /* IP "must be zero" bit set */
#define QUIRK_FLOW 0x00000020 /* IPv6 flow label set */
#define QUIRK_ZERO_SEQ 0x00001000 /* SEQ is zero */
#define QUIRK_NZ_ACK 0x00002000 /* ACK non-zero, ACK flag clear */
#define QUIRK_ZERO_ACK 0x00004000 /* ACK zero, ACK flag set */
#define QUIRK_NZ_URG 0x00008000 /* URG ptr non-zero, URG clear */
#define QUIRK_URG 0x00010000 /* URG flag set */
#define QUIRK_PUSH 0x00020000 /* PUSH on a control packet */
#define QUIRK_OPT_ZERO_TS1 0x01000000 /* own timestamp zero */
#define QUIRK_OPT_NZ_TS2 0x02000000 /* peer timestamp non-zero on SYN */
#define QUIRK_OPT_EOL_NZ 0x04000000 /* non-zero bytes past EOL */
#define QUIRK_OPT_EXWS 0x08000000 /* window scale > 14 */
#define QUIRK_OPT_BAD 0x10000000 /* malformed options */

/* ---------------------------------------------------------------------- */
/* Parsed packet (packet.c)                                               */
/* ---------------------------------------------------------------------- */

/* pkt.tcp_type: the flags that drive dispatch */
#define PKT_SYN TCP_SYN
#define PKT_ACK TCP_ACK
#define PKT_FIN TCP_FIN
#define PKT_RST TCP_RST

struct pkt {
	u8 ip_ver; /* IP_VER4 / IP_VER6 */
	u8 tcp_type; /* TCP flags & (SYN|ACK|FIN|RST) */
	u8 src[16]; /* left-aligned */
	u8 dst[16];
	u16 sport, dport;
	u8 ttl;
	u8 tos; /* tos >> 2 (DSCP), as p0f keeps it */
	u16 mss;
	u16 win;
	u8 wscale;
	u16 tot_hdr; /* IP header + TCP header length */
	u8 opt_layout[MAX_TCP_OPT];
	u8 opt_cnt;
	u8 opt_eol_pad;
	u32 ts1;
	u32 ts2; /* peer timestamp (for tests) */
	u32 quirks;
	u8 ip_opt_len;
	const u8 *payload; /* points into the caller's buffer */
	u16 pay_len;
	u32 seq;
	u64 ts_ms; /* receive time, unix milliseconds */
};

/* Why engine_feed() skipped a packet (counted in struct engine_stats) */
enum pkt_err {
	PKT_OK = 0,
	PKT_ERR_SHORT, /* truncated IP or TCP header */
	PKT_ERR_VERSION, /* not IPv4 / IPv6 */
	PKT_ERR_NOT_TCP, /* not TCP (incl. v6 extension headers) */
	PKT_ERR_FRAGMENT, /* fragment */
	PKT_ERR_IP_HDR, /* bogus IHL / total length */
	PKT_ERR_TCP_HDR, /* bogus data offset */
	PKT_ERR_FLAGS, /* nonsense flags (none, SYN+FIN, FIN+RST...) */
	PKT_ERR_MAX,
};

/*
 * Parse bytes starting at the IP header into *pk, exactly as p0f's
 * parse_packet() does after the link layer.  `wire_len` is the original
 * length (p0f uses the captured length; pass caplen unless told apart).
 * Returns PKT_OK or a PKT_ERR_* (never reads past len).
 */
int pkt_parse(const u8 *data, size_t len, u64 ts_ms, struct pkt *pk);

/* p0f's hash32 over the option layout (used for bucketing). */
u32 tcp_opt_hash(const u8 *layout, u8 cnt);

/* ---------------------------------------------------------------------- */
/* Signature database (sigdb.c)                                           */
/* ---------------------------------------------------------------------- */

#define SYS_CLASS_FLAG (1u << 31)
#define SYS_NF(x) ((x) & ~SYS_CLASS_FLAG)

#define WIN_TYPE_NORMAL 0x00
#define WIN_TYPE_ANY 0x01
#define WIN_TYPE_MOD 0x02
#define WIN_TYPE_MSS 0x03
#define WIN_TYPE_MTU 0x04

/* A TCP signature: both a database entry's sig and an observed packet's.
 * (Fields ordered to leave no padding: every host keeps two.) */
struct tcp_sig {
	u32 opt_hash;
	u32 quirks;
	u8 opt_eol_pad;
	u8 ip_opt_len;
	s8 ip_ver; /* -1 = any */
	u8 ttl;
	s32 mss; /* -1 = any */
	u16 win;
	u8 win_type; /* WIN_TYPE_* */
	s8 pay_class; /* -1 any, 0 zero, 1 non-zero */
	s16 wscale; /* -1 = any */
	u16 tot_hdr;
	u32 ts1;
	/* match result (observed sigs only) */
	u8 fuzzy;
	u8 dist;
	u64 recv_ms;
	struct tcp_sig_record *matched; /* NULL = no match */
};

struct tcp_sig_record {
	u8 generic;
	s32 class_id; /* -1 = application (user) sig */
	s32 name_id;
	const char *flavor; /* NULL = none */
	u32 label_id;
	u32 *sys;
	u32 sys_cnt;
	u32 line_no;
	u8 bad_ttl;
	struct tcp_sig *sig;
};

struct mtu_sig_record {
	const char *name;
	u16 mtu;
};

struct http_hdr {
	s32 id; /* header name id, -1 = none */
	char *name; /* observed name when id is -1 */
	char *value; /* NULL = any / none */
	u8 optional;
};

struct http_sig {
	s8 http_ver; /* -1 = any */
	struct http_hdr hdr[HTTP_MAX_HDRS];
	u32 hdr_cnt;
	u64 hdr_bloom4;
	u32 miss[HTTP_MAX_HDRS];
	u32 miss_cnt;
	char *sw; /* User-Agent or Server */
	char *lang; /* Accept-Language */
	char *via; /* Via or X-Forwarded-For */
	u32 date; /* parsed Date (unix seconds) */
	u32 recv_date;
	struct http_sig_record *matched;
	u8 dishonest;
	/* observed sigs: one block holding the hdr[] names and values (each
	 * outside it is a separate allocation); NULL for database sigs */
	char *strs;
	u32 strs_len, strs_cap;
};

struct http_sig_record {
	s32 class_id;
	s32 name_id;
	const char *flavor;
	u32 label_id;
	u32 *sys;
	u32 sys_cnt;
	u32 line_no;
	u8 generic;
	struct http_sig *sig;
};

struct ua_map_record {
	char *name; /* substring of the User-Agent */
	u32 id; /* OS name id */
};

/* Growable list of records of one kind (pointer array, file order). */
struct rec_list {
	void **v;
	u32 cnt, cap;
};

/* Interned header names seen in [http:*] sigs and p0f's fixed lists. */
struct http_names {
	char **name;
	u32 cnt, cap;
	/* hash buckets by name for lookups (fp_http_int.h), in the store */
	void *index;
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
	/* ua_os = ... */
	struct ua_map_record *ua_map;
	u32 ua_map_cnt, ua_map_cap;
	/* allocations to free with the db */
	void *arena;
};

/*
 * Parse a p0f .fp file.  On error returns -EINVAL (or -errno for I/O)
 * and writes "file:line: what" into err (errlen bytes).
 */
int sigdb_load(struct sigdb *db, const char *path, char *err, size_t errlen);
/* Same, from a buffer (for tests and fuzzing); `name` is used in errors. */
int sigdb_load_buf(struct sigdb *db, const char *name, const char *buf,
		   size_t len, char *err, size_t errlen);
void sigdb_free(struct sigdb *db);
/* name id for a class/name string, or -1 */
s32 sigdb_lookup_name(const struct sigdb *db, const char *name, size_t len);

/*
 * Module registration hooks called by the .fp parser for each sig line.
 * `val` is the text after "sig = ", NUL-terminated.  Return 0 or -EINVAL
 * with a message in err.
 */
struct sig_label {
	u8 generic;
	s32 class_id; /* -1 for s:!:... app labels */
	s32 name_id;
	const char *flavor; /* NULL if empty */
	u32 label_id;
	u32 *sys;
	u32 sys_cnt;
};
int tcp_register_sig(struct sigdb *db, u8 to_srv, const struct sig_label *lb,
		     const char *val, u32 line_no, char *err, size_t errlen);
int mtu_register_sig(struct sigdb *db, const char *name, const char *val,
		     u32 line_no, char *err, size_t errlen);
int http_register_sig(struct sigdb *db, u8 to_srv, const struct sig_label *lb,
		      const char *val, u32 line_no, char *err, size_t errlen);
int http_parse_ua(struct sigdb *db, const char *val, u32 line_no, char *err,
		  size_t errlen);
/* Set up fp_http's fixed header-name tables; called by sigdb before load. */
int http_init(struct sigdb *db);

/* ---------------------------------------------------------------------- */
/* Hosts and flows (process.c)                                            */
/* ---------------------------------------------------------------------- */

/* NAT / host change reasons */
#define NAT_APP_SIG 0x0001
#define NAT_OS_SIG 0x0002
#define NAT_UNK_DIFF 0x0004
#define NAT_TO_UNK 0x0008
#define NAT_TS 0x0010
#define NAT_PORT 0x0020
#define NAT_TTL 0x0040
#define NAT_FUZZY 0x0080
#define NAT_MSS 0x0100
#define NAT_APP_LB 0x0200
#define NAT_APP_VIA 0x0400
#define NAT_APP_DATE 0x0800
#define NAT_APP_UA 0x1000

/*
 * What a host keeps of its last HTTP sig of a kind: only what the next one
 * is scored against (its match, its Date and when it was received).  The
 * headers themselves are not needed once the observation is out.
 */
struct http_host_sig {
	struct http_sig_record *matched;
	u32 date; /* parsed Date, 0 = none */
	u32 recv_date; /* packet time, unix seconds */
};

/* host.last_quality: how the OS was matched (p0f's P0F_MATCH_*) */
#define MATCH_FUZZY 0x01
#define MATCH_GENERIC 0x02

/* Fields ordered to leave no padding: hosts are the engine's bulk. */
struct host {
	struct host *prev, *next; /* hash bucket chain */
	struct host *older, *newer; /* age list */
	u32 use_cnt;
	u32 first_seen; /* unix seconds */
	u32 last_seen;
	u32 total_conn;
	u8 ip_ver;
	u8 addr[16];
	u8 last_quality; /* MATCH_FUZZY | MATCH_GENERIC */
	struct tcp_sig *last_syn;
	struct tcp_sig *last_synack;
	s32 last_class_id; /* -1 = unknown */
	s32 last_name_id; /* -1 = unknown */
	const char *last_flavor;
	const char *link_type;
	u16 last_mtu; /* osprey: raw MTU of the last SYN */
	u8 cli_scores[NAT_SCORES];
	u8 srv_scores[NAT_SCORES];
	u16 nat_reasons;
	u32 last_nat;
	u32 last_chg;
	u16 last_port;
	u8 distance;
	s32 last_up_min; /* -1 = none */
	u32 up_mod_days;
	struct http_host_sig *http_req_os; /* last OS-matched request */
	struct http_host_sig *http_resp; /* last response */
	s32 http_name_id; /* -1 = unknown */
	u8 bad_sw;
	u16 http_resp_port;
	const char *http_flavor;
	const char *language;
};

struct flow {
	struct flow *prev, *next;
	struct flow *older, *newer;
	u32 bucket;
	struct host *client;
	struct host *server;
	u16 cli_port;
	u16 srv_port;
	u8 acked;
	u8 sendsyn;
	s16 srv_tps; /* -1 = bad */
	s16 cli_tps;
	u8 *request;
	u32 req_len;
	u32 next_cli_seq;
	u8 *response;
	u32 resp_len;
	u32 next_srv_seq;
	u16 syn_mss;
	u32 created;
	/* HTTP state */
	s8 in_http; /* 0 tbd, 1 yes, -1 no */
	u8 http_req_done;
	u32 http_pos;
	u8 http_gotresp1;
	struct http_sig http_tmp;
	u32 hash; /* full bucket hash: cheap chain filter */
	/* http_tmp is zeroed only once the flow carries payload (it is most
	 * of the flow's size and most flows never need it); process.c */
	u8 http_ready;
};

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

typedef void (*obs_cb)(void *ctx, const struct obs *o);
typedef void (*host_cb)(void *ctx, const struct host *h);

/* Used by modules: begin an observation about flow f. */
void obs_begin(struct engine *e, struct obs *o, const char *mod, u8 to_srv,
	       const struct flow *f);
/* Add key=value; value NULL prints "???". Formats with printf rules. */
void obs_add(struct obs *o, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void obs_add_unknown(struct obs *o, const char *key);
/* Write a value in place: obs_field_buf() gives where (room bytes, at
 * most OBS_VAL_LEN, NULL when the obs is full), obs_field_done() adds the
 * field once len bytes are there (len < room; a NUL is put after them). */
char *obs_field_buf(struct obs *o, size_t *room);
void obs_field_done(struct obs *o, const char *key, size_t len);
/* Copy an observation (its values point into its own text). */
void obs_copy(struct obs *dst, const struct obs *src);
/* Hand the finished observation to the output callback. */
void obs_emit(struct engine *e, struct obs *o);

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
	u64 obs_by_mod[10]; /* see obs_mod_index() */
	u64 flows_created, flows_expired, flows_pruned;
	u64 hosts_created, hosts_pruned;
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
	/* tables, owned by process.c */
	void *tables;
	/* SYN / SYN+ACK results by exact signature (fp_tcp_host.c); NULL in
	 * engines not set up by engine_init() */
	struct tcp_memo *tcp_memo;
};

/* Index of a module name in engine_stats.obs_by_mod, or -1. */
int obs_mod_index(const char *mod);
extern const char *const obs_mod_names[10];

int engine_init(struct engine *e, struct sigdb *db,
		const struct engine_config *cfg);
void engine_free(struct engine *e);
/*
 * Feed one packet, bytes from the IP header on, received at ts_ms (unix
 * milliseconds).  Returns PKT_OK or the PKT_ERR_* it was skipped for.
 */
int engine_feed(struct engine *e, const u8 *ip, size_t len, u64 ts_ms);
/* Look up a host by address (for the API socket and tests). */
struct host *engine_lookup_host(struct engine *e, const u8 *addr, u8 ip_ver);
u32 engine_host_count(const struct engine *e);
u32 engine_flow_count(const struct engine *e);
/* The tracked flow between a/a_port and b/b_port, either direction, or
 * NULL (tests, diagnostics). */
struct flow *engine_lookup_flow(struct engine *e, u8 ip_ver, const u8 *a,
				u16 a_port, const u8 *b, u16 b_port);

/* Module entry points used by process.c ------------------------------- */

/* Fingerprint a SYN (to_srv) or SYN+ACK; emits syn/syn+ack; returns a
 * heap copy of the packet's sig for the host record (or NULL). */
struct tcp_sig *fingerprint_tcp(struct engine *e, u8 to_srv,
				const struct pkt *pk, struct flow *f);
/* The memo of fingerprint_tcp() results: engine_init()/engine_free(). */
struct tcp_memo *tcp_memo_new(void);
void tcp_memo_free(struct tcp_memo *m);
/* Uptime check on any packet of a flow; may emit "uptime". */
void check_ts_tcp(struct engine *e, u8 to_srv, const struct pkt *pk,
		  struct flow *f);
/* MTU on SYN / SYN+ACK; emits "mtu". */
void fingerprint_mtu(struct engine *e, u8 to_srv, const struct pkt *pk,
		     struct flow *f);
/* Process newly appended request/response bytes; returns 1 when the flow
 * needs no more data for HTTP. */
u8 process_http(struct engine *e, u8 to_srv, struct flow *f);
void http_free_flow(struct flow *f);
void http_free_sig(struct http_host_sig *h);

/* NAT scoreboard (process.c) and the score helpers */
void add_nat_score(struct engine *e, u8 to_srv, const struct flow *f,
		   u16 reason, u8 score);
void verify_tool_class(struct engine *e, u8 to_srv, struct flow *f,
		       const u32 *sys, u32 sys_cnt);

/* Outputs (output.c): one observation record, three formats. ------- */

/* p0f's stdout box: ".-[ a/p -> b/p (mod) ]-" ... "`----" */
void out_box(FILE *fp, const struct obs *o);
/* p0f's -o log line; time printed in local time like p0f (set TZ). */
void out_log(FILE *fp, const struct obs *o);
/* One JSON object per line with typed fields. */
void out_json(FILE *fp, const struct obs *o);

/* Text helpers */
/* Write a printf-style message into err (errlen bytes; err may be NULL);
 * returns -EINVAL. */
int errmsg(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *addr_to_str(const u8 *addr, u8 ip_ver, char *buf, size_t len);

/* ---------------------------------------------------------------------- */
/* Internals of sigdb.c / fp_tcp.c exposed for the modules and tests      */
/* ---------------------------------------------------------------------- */

/* Observed packet -> sig (p0f's packet_to_sig); recv_ms = packet time. */
void tcp_sig_from_pkt(const struct pkt *pk, u64 recv_ms, struct tcp_sig *ts);
/* p0f's tcp_find_match(): sets ts->matched / fuzzy / dist. */
void tcp_find_match(const struct sigdb *db, u8 to_srv, struct tcp_sig *ts,
		    u8 dupe_det, u16 syn_mss);
/* p0f's detect_win_multi(): window as a multiple of MSS/MTU, or -1. */
s16 tcp_win_multi(const struct tcp_sig *ts, u8 *use_mtu, u16 syn_mss);
/* p0f's guess_dist() */
u8 tcp_guess_dist(u8 ttl);
/* Names of quirks and options, as p0f prints and parses them. */
struct tcp_name {
	u32 val; /* QUIRK_* bit or TCPOPT_* kind */
	const char *name;
	u8 bad_ver; /* quirks: IP version it cannot occur on, or 0 */
};
#define TCP_QUIRK_NAMES 17
#define TCP_OPT_NAMES 6
extern const struct tcp_name tcp_quirk_names[TCP_QUIRK_NAMES];
extern const struct tcp_name tcp_opt_names[TCP_OPT_NAMES];

/* raw_sig and params text exactly as p0f prints them. */
void tcp_dump_sig(const struct pkt *pk, const struct tcp_sig *ts, u16 syn_mss,
		  char *buf, size_t len);
void tcp_dump_flags(const struct pkt *pk, const struct tcp_sig *ts, char *buf,
		    size_t len);

#endif /* OSPREY_ENGINE_H */
