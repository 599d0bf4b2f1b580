/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internals shared by the two halves of the HTTP module: fp_http.c
 * (names, signatures, matching, raw_sig text) and http_wire.c (parsing
 * the flow's bytes, observations, NAT scoring).  Not for other modules.
 */
#ifndef OSPREY_FP_HTTP_INT_H
#define OSPREY_FP_HTTP_INT_H

#include "engine.h"

/* Header ids fixed by http_init() (registered first, in this order). */
#define HDR_UA 0
#define HDR_SRV 1
#define HDR_AL 2
#define HDR_VIA 3
#define HDR_XFF 4
#define HDR_DATE 5

/* The fixed header lists (contents in fp_http.c, as p0f's config.h). */
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

/* Bounded string builder; output is cut (never overrun) at cap - 1. */
struct sbuf {
	char *buf;
	size_t len, cap;
};
void sbuf_add(struct sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void http_free_str(struct http_sig *hs, char *p);
u64 http_bloom4(u32 id);
s32 http_hdr_lookup(const struct sigdb *db, const char *name, size_t len);
int http_hdr_char(int c);
int http_in_list(const struct sigdb *db, int list, s32 id);
const char *http_list_name(int list, u32 i);

void http_find_match(const struct sigdb *db, u8 to_srv, struct http_sig *hs,
		     int dupe_det);
void http_dump_sig(const struct sigdb *db, u8 to_srv, const struct http_sig *hs,
		   struct sbuf *b);
void http_dump_flags(const struct http_sig *hs, const struct http_sig_record *m,
		     struct sbuf *b);

#endif /* OSPREY_FP_HTTP_INT_H */
