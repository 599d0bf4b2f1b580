/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The HTTP module: header signatures and matching (http_sig.c), their .fp
 * grammar and ua_os (http_db.c), the request / response parser on a
 * flow's bytes (http_wire.c), what a match does to the host
 * (http_host.c) and the raw_sig / params text (http_dump.c).
 */
#ifndef OSPREY_HTTP_H
#define OSPREY_HTTP_H

#include "engine.h"
#include "sigstore.h"

struct flow;

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

/* An [http:*] sig line: its label, where it is, and the sig. */
struct http_sig_record {
	struct sig_label lb;
	u32 line_no;
	struct http_sig *sig;
};

struct ua_map_record {
	char *name; /* substring of the User-Agent */
	u32 id; /* OS name id */
};

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

/* The database side ---------------------------------------------------- */

/* Set up the fixed header-name tables; the .fp reader calls it before a
 * load so that the fixed names get the first ids. 0 or -ENOMEM. */
int http_init(struct sigdb *db);
/* One "sig = ..." line of [http:request] (to_srv) or [http:response]
 * under label lb into db.  0, -EINVAL with the reason in err, or -ENOMEM. */
int http_register_sig(struct sigdb *db, u8 to_srv, const struct sig_label *lb,
		      const char *val, u32 line_no, char *err, size_t errlen);
/* The "ua_os = ..." line. */
int http_parse_ua(struct sigdb *db, const char *val, u32 line_no, char *err,
		  size_t errlen);

/* The traffic side ----------------------------------------------------- */

/* Process newly appended request/response bytes; returns 1 when the flow
 * needs no more data for HTTP. */
u8 process_http(struct engine *e, u8 to_srv, struct flow *f);
/* Free the strings of the flow's observed sig (not the flow). */
void http_free_flow(struct flow *f);
void http_free_sig(struct http_host_sig *h);

#endif /* OSPREY_HTTP_H */
