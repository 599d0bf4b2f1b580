// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * HTTP signatures: the header-name table and matching, p0f 3.09b exactly
 * (it is the reference the parity tests diff against).  The .fp grammar
 * is in http_db.c, the wire parser in http_wire.c, the observation and
 * host bookkeeping in http_host.c, the raw_sig / params text in
 * http_dump.c.
 *
 * Header names are interned per database: every name seen in a signature
 * or in one of the fixed lists below gets a small id, so that matching
 * compares integers.  Like p0f, names are case-sensitive: "user-agent" on
 * the wire is a different (unknown) header than "User-Agent".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "http_int.h"
#include "sigstore.h"

/*
 * Header lists that shape matching and raw_sig output; the same contents
 * as p0f's config.h.  Their ids are fixed by http_init(): the six named
 * HDR_* headers first, then these lists in this order.
 */
static const char *const hlist_names[HL_COUNT][HL_MAX_LEN + 1] = {
	/* optional in requests: printed with '?', value never shown */
	[HL_REQ_OPT] = { "Cookie", "Referer", "Origin", "Range",
			 "If-Modified-Since", "If-None-Match", "Via",
			 "X-Forwarded-For", "Authorization",
			 "Proxy-Authorization", "Cache-Control", NULL },
	[HL_RESP_OPT] = { "Set-Cookie", "Last-Modified", "ETag",
			  "Content-Length", "Content-Disposition",
			  "Cache-Control", "Expires", "Pragma", "Location",
			  "Refresh", "Content-Range", "Vary", NULL },
	/* values that vary per site: name shown, value not */
	[HL_REQ_SKIP] = { "Host", "User-Agent", NULL },
	[HL_RESP_SKIP] = { "Date", "Content-Type", "Server", NULL },
	/* expected everywhere: listed in the habsent part when missing */
	[HL_REQ_COMMON] = { "Host", "User-Agent", "Connection", "Accept",
			    "Accept-Encoding", "Accept-Language",
			    "Accept-Charset", "Keep-Alive", NULL },
	[HL_RESP_COMMON] = { "Content-Type", "Connection", "Keep-Alive",
			     "Accept-Ranges", "Date", NULL },
};

static const char *const fixed_hdrs[] = {
	[HDR_UA] = "User-Agent",       [HDR_SRV] = "Server",
	[HDR_AL] = "Accept-Language",  [HDR_VIA] = "Via",
	[HDR_XFF] = "X-Forwarded-For", [HDR_DATE] = "Date",
};

/* ------------------------------------------------------------ helpers */

/* FNV-1a: spreads header names over the lookup buckets. */
static u32 name_hash(const char *s, size_t len)
{
	u32 h = 2166136261u;

	while (len--) {
		h ^= (u8)*s++;
		h *= 16777619u;
	}
	return h;
}

/*
 * Four bits out of 64 for a header id.  A set's filter is the OR of its
 * members' bits, so "sig filter is a subset of packet filter" is a cheap
 * test that never rejects a packet holding all the sig's headers.
 */
u64 http_bloom4(u32 id)
{
	u32 h = id * 0x9e3779b1u;

	h ^= h >> 15;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	return (1ULL << (h & 63)) | (1ULL << ((h >> 8) & 63)) |
	       (1ULL << ((h >> 16) & 63)) | (1ULL << ((h >> 24) & 63));
}

static struct hdr_index *hidx(const struct sigdb *db)
{
	return db->hnames.index;
}

s32 http_hdr_lookup(const struct sigdb *db, const char *name, size_t len)
{
	const struct hdr_index *ix = hidx(db);
	u32 b, i;

	if (!ix)
		return -1;
	b = name_hash(name, len) % SIG_BUCKETS;
	for (i = 0; i < ix->bcnt[b]; i++) {
		const char *n = db->hnames.name[ix->bucket[b][i]];

		if (!strncmp(n, name, len) && !n[len])
			return (s32)ix->bucket[b][i];
	}
	return -1;
}

/* Id of a header name, adding it when new; -ENOMEM on failure. */
s32 http_hdr_intern(struct sigdb *db, const char *name, size_t len)
{
	struct http_names *hn = &db->hnames;
	struct hdr_index *ix = hidx(db);
	s32 id = http_hdr_lookup(db, name, len);
	char **nn, *copy;
	u32 b, *nb;

	if (id >= 0)
		return id;
	if (!ix)
		return -ENOMEM;
	nn = sigstore_grow(db, hn->name, hn->cnt, &hn->cap, sizeof(*nn));
	if (!nn)
		return -ENOMEM;
	hn->name = nn;
	b = name_hash(name, len) % SIG_BUCKETS;
	nb = sigstore_grow(db, ix->bucket[b], ix->bcnt[b], &ix->bcap[b],
			   sizeof(*nb));
	if (!nb)
		return -ENOMEM;
	ix->bucket[b] = nb;
	copy = sigstore_strndup(db, name, len);
	if (!copy)
		return -ENOMEM;
	hn->name[hn->cnt] = copy;
	nb[ix->bcnt[b]++] = hn->cnt;
	return (s32)hn->cnt++;
}

int http_in_list(const struct sigdb *db, int list, s32 id)
{
	const struct hdr_index *ix = hidx(db);
	u32 i;

	if (!ix)
		return 0;
	for (i = 0; i < ix->list_cnt[list]; i++)
		if (ix->list_id[list][i] == id)
			return 1;
	return 0;
}

/* -------------------------------------------------------- init / free */

int http_init(struct sigdb *db)
{
	struct hdr_index *ix;
	u32 i, l;
	s32 id;

	if (db->hnames.index)
		return 0;
	ix = sigstore_alloc(db, sizeof(*ix));
	if (!ix)
		return -ENOMEM;
	db->hnames.index = ix;

	/* HDR_* ids are positional: register these six first */
	for (i = 0; i < sizeof(fixed_hdrs) / sizeof(fixed_hdrs[0]); i++) {
		id = http_hdr_intern(db, fixed_hdrs[i], strlen(fixed_hdrs[i]));
		if (id < 0)
			return id;
	}
	for (l = 0; l < HL_COUNT; l++) {
		for (i = 0; hlist_names[l][i]; i++) {
			id = http_hdr_intern(db, hlist_names[l][i],
					     strlen(hlist_names[l][i]));
			if (id < 0)
				return id;
			ix->list_id[l][i] = id;
		}
		ix->list_cnt[l] = i;
	}
	return 0;
}

const char *http_list_name(int list, u32 i)
{
	return hlist_names[list][i];
}

/* Free a header string unless it lives in the sig's block. */
void http_free_str(struct http_sig *hs, char *p)
{
	if (hs->strs && p >= hs->strs && p < hs->strs + hs->strs_cap)
		return;
	free(p);
}

static void free_hdrs(struct http_sig *hs)
{
	u32 i;

	for (i = 0; i < hs->hdr_cnt && i < HTTP_MAX_HDRS; i++) {
		http_free_str(hs, hs->hdr[i].name);
		http_free_str(hs, hs->hdr[i].value);
		hs->hdr[i].name = NULL;
		hs->hdr[i].value = NULL;
	}
	hs->hdr_cnt = 0;
	free(hs->strs);
	hs->strs = NULL;
	hs->strs_len = hs->strs_cap = 0;
}

/* Flow-owned header strings (the observed sig being built). */
void http_free_flow(struct flow *f)
{
	free_hdrs(&f->http_tmp);
}

/* Host snapshots own no strings (see snapshot() in http_wire.c). */
void http_free_sig(struct http_host_sig *h)
{
	free(h);
}

/* ----------------------------------------------------------- matching */

/* Are the sig's headers present in hs, in order, with matching values? */
static int order_ok(const struct http_sig *rs, const struct http_sig *hs)
{
	u32 r, t = 0, k;

	for (r = 0; r < rs->hdr_cnt; r++) {
		const struct http_hdr *want = &rs->hdr[r];
		u32 start = t;

		while (t < hs->hdr_cnt && hs->hdr[t].id != want->id)
			t++;
		if (t == hs->hdr_cnt) {
			if (!want->optional)
				return 0;
			/* a skipped optional header must be absent
			 * altogether, not merely out of order */
			for (k = 0; k < hs->hdr_cnt; k++)
				if (hs->hdr[k].id == want->id)
					return 0;
			t = start;
			continue;
		}
		if (want->value && (!hs->hdr[t].value ||
				    !strstr(hs->hdr[t].value, want->value)))
			return 0;
		t++;
	}
	return 1;
}

/* None of the sig's banned headers appears in hs. */
static int absent_ok(const struct http_sig *rs, const struct http_sig *hs)
{
	u32 m, t;

	for (m = 0; m < rs->miss_cnt; m++) {
		u64 bits = http_bloom4(rs->miss[m]);

		if ((hs->hdr_bloom4 & bits) != bits)
			continue;
		for (t = 0; t < hs->hdr_cnt; t++)
			if (hs->hdr[t].id == (s32)rs->miss[m])
				return 0;
	}
	return 1;
}

/*
 * For duplicate detection: an earlier sig only covers a new one if it
 * bans a subset of what the new one bans (so a sig with more banned
 * headers may precede a broader one).
 */
static int miss_subset(const struct http_sig *rs, const struct http_sig *hs)
{
	u32 m, t;

	if (rs->miss_cnt > hs->miss_cnt)
		return 0;
	for (m = 0; m < rs->miss_cnt; m++) {
		for (t = 0; t < hs->miss_cnt; t++)
			if (rs->miss[m] == hs->miss[t])
				break;
		if (t == hs->miss_cnt)
			return 0;
	}
	return 1;
}

static void set_match(struct http_sig *hs, struct http_sig_record *r)
{
	hs->matched = r;
	/* claimed software must contain the sig's sw string */
	if (r->sig->sw && hs->sw && !strstr(hs->sw, r->sig->sw))
		hs->dishonest = 1;
}

/*
 * p0f's selection: the first non-generic sig in file order wins, else
 * the first generic one; there is no fuzzy HTTP matching.  With dupe_det
 * only non-generic sigs count (a sig may refine an earlier generic one).
 */
void http_find_match(const struct sigdb *db, u8 to_srv, struct http_sig *hs,
		     int dupe_det)
{
	const struct rec_list *rl = &db->http[to_srv ? 1 : 0];
	struct http_sig_record *gen = NULL;
	u32 i;

	for (i = 0; i < rl->cnt; i++) {
		struct http_sig_record *r = rl->v[i];
		const struct http_sig *rs = r->sig;

		if (rs->http_ver != -1 && rs->http_ver != hs->http_ver)
			continue;
		if ((hs->hdr_bloom4 & rs->hdr_bloom4) != rs->hdr_bloom4)
			continue;
		if (!order_ok(rs, hs) || !absent_ok(rs, hs))
			continue;
		if (dupe_det && !miss_subset(rs, hs))
			continue;
		if (!r->lb.generic) {
			set_match(hs, r);
			return;
		}
		if (!gen)
			gen = r;
	}
	if (!dupe_det && gen)
		set_match(hs, gen);
}
