/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internals shared by the files of the HTTP module (http_sig.c, http_db.c,
 * http_wire.c, http_host.c, http_dump.c, http_lang.c).  Not for other
 * modules.
 */
#ifndef OSPREY_HTTP_INT_H
#define OSPREY_HTTP_INT_H

#include "http.h"

struct strbuf;

/* Header name characters, [A-Za-z0-9_-] (as p0f accepts them). */
static inline int http_hdr_char(u8 c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* Header ids fixed by http_init() (registered first, in this order). */
#define HDR_UA 0
#define HDR_SRV 1
#define HDR_AL 2
#define HDR_VIA 3
#define HDR_XFF 4
#define HDR_DATE 5

/* The fixed header lists (contents in http_sig.c, as p0f's config.h). */
enum {
	HL_REQ_OPT,
	HL_RESP_OPT,
	HL_REQ_SKIP,
	HL_RESP_SKIP,
	HL_REQ_COMMON,
	HL_RESP_COMMON,
	HL_COUNT,
};
#define HL_MAX_LEN 16

/* What db->hnames.index points to. */
struct hdr_index {
	u32 *bucket[SIG_BUCKETS]; /* header ids by name hash */
	u32 bcnt[SIG_BUCKETS], bcap[SIG_BUCKETS];
	s32 list_id[HL_COUNT][HL_MAX_LEN];
	u32 list_cnt[HL_COUNT];
};

void http_free_str(struct http_sig *hs, char *p);
u64 http_bloom4(u32 id);
s32 http_hdr_lookup(const struct sigdb *db, const char *name, size_t len);
s32 http_hdr_intern(struct sigdb *db, const char *name, size_t len);
int http_in_list(const struct sigdb *db, int list, s32 id);
const char *http_list_name(int list, u32 i);

void http_find_match(const struct sigdb *db, u8 to_srv, struct http_sig *hs,
		     int dupe_det);
void http_dump_sig(const struct sigdb *db, u8 to_srv, const struct http_sig *hs,
		   struct strbuf *sb);
void http_dump_flags(const struct http_sig *hs, const struct http_sig_record *m,
		     struct strbuf *sb);

/* http_lang.c: English name of the ISO 639-1 language with code c0 c1
 * (case-sensitive, as p0f looks it up: "en" is English, "EN" is unknown),
 * or NULL. */
const char *http_lang_name(char c0, char c1);

/* http_host.c: a complete header block in f->http_tmp; match, report,
 * score, remember. */
void fingerprint_http(struct engine *e, u8 to_srv, struct flow *f);

#endif /* OSPREY_HTTP_INT_H */
