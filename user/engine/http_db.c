// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The [http:request] / [http:response] signature grammar and the ua_os
 * line of p0f 3.09b's .fp files, parsed into records in the store.
 */
#include <errno.h>
#include <string.h>

#include "http_int.h"
#include "sigstore.h"

/* "[text]" after '=': copies text, moves *pp past ']'. */
static int parse_bracket(struct sigdb *db, const char **pp, char **out,
			 char *err, size_t errlen)
{
	const char *p = *pp, *end;

	if (p[1] != '[')
		return errmsg(err, errlen, "missing '[' after '='");
	p += 2;
	end = strchr(p, ']');
	if (!end || end == p)
		return errmsg(
			err, errlen,
			"malformed signature (empty or unterminated '[...]')");
	*out = sigstore_strndup(db, p, end - p);
	if (!*out)
		return -ENOMEM;
	*pp = end + 1;
	return 0;
}

/* A header name at *pp, the cnt-th of its list: its id (*pp moved past
 * it), or -EINVAL / -ENOMEM. */
static s32 parse_hdr_name(struct sigdb *db, const char **pp, u32 cnt, char *err,
			  size_t errlen)
{
	const char *p = *pp, *e;
	s32 id;

	if (cnt >= HTTP_MAX_HDRS)
		return errmsg(err, errlen, "too many headers listed");
	for (e = p; http_hdr_char((u8)*e); e++)
		;
	if (e == p)
		return errmsg(err, errlen, "malformed header name");
	id = http_hdr_intern(db, p, e - p);
	if (id >= 0)
		*pp = e;
	return id;
}

/* After a list entry: ',' or the ':' that ends the list (like p0f, "A,:"
 * with a trailing comma is accepted). */
static int parse_list_sep(const char **pp, char *err, size_t errlen)
{
	if (**pp == ',')
		(*pp)++;
	else if (**pp != ':')
		return errmsg(
			err, errlen,
			"malformed signature (expected ',' or ':' after header)");
	return 0;
}

/* horder: "Name,?Name,Name=[val],..." up to ':' */
static int parse_horder(struct sigdb *db, const char **pp, struct http_sig *hs,
			char *err, size_t errlen)
{
	const char *p = *pp;
	int rc;

	while (*p != ':') {
		u8 opt = *p == '?';
		struct http_hdr *h;
		s32 id;

		p += opt;
		id = parse_hdr_name(db, &p, hs->hdr_cnt, err, errlen);
		if (id < 0)
			return id;
		h = &hs->hdr[hs->hdr_cnt++];
		h->id = id;
		h->optional = opt;
		if (!opt)
			hs->hdr_bloom4 |= http_bloom4(id);
		if (*p == '=') {
			rc = parse_bracket(db, &p, &h->value, err, errlen);
			if (rc)
				return rc;
		}
		rc = parse_list_sep(&p, err, errlen);
		if (rc)
			return rc;
	}
	*pp = p + 1;
	return 0;
}

/* habsent: "Name,Name,..." up to ':' */
static int parse_habsent(struct sigdb *db, const char **pp, struct http_sig *hs,
			 char *err, size_t errlen)
{
	const char *p = *pp;
	int rc;

	while (*p != ':') {
		s32 id = parse_hdr_name(db, &p, hs->miss_cnt, err, errlen);

		if (id < 0)
			return id;
		hs->miss[hs->miss_cnt++] = (u32)id;
		rc = parse_list_sep(&p, err, errlen);
		if (rc)
			return rc;
	}
	*pp = p + 1;
	return 0;
}

static int parse_http_sig(struct sigdb *db, const char *val,
			  struct http_sig *hs, char *err, size_t errlen)
{
	const char *p = val;
	int rc;

	if (!val[0] || val[1] != ':')
		return errmsg(err, errlen,
			      "malformed signature (expected 'ver:')");
	switch (val[0]) {
	case '0':
		hs->http_ver = 0;
		break;
	case '1':
		hs->http_ver = 1;
		break;
	case '*':
		hs->http_ver = -1;
		break;
	default:
		return errmsg(err, errlen, "bad HTTP version '%c'", val[0]);
	}
	p += 2;
	rc = parse_horder(db, &p, hs, err, errlen);
	if (!rc)
		rc = parse_habsent(db, &p, hs, err, errlen);
	if (rc)
		return rc;
	if (*p) {
		if (strchr(p, ':'))
			return errmsg(
				err, errlen,
				"malformed signature (':' in software string)");
		hs->sw = sigstore_strndup(db, p, strlen(p));
		if (!hs->sw)
			return -ENOMEM;
	}
	return 0;
}

static int same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Two database sigs alike in every field the grammar sets. */
static int same_shape(const void *rec, const void *ctx)
{
	const struct http_sig *a = ((const struct http_sig_record *)rec)->sig;
	const struct http_sig *b = ((const struct http_sig_record *)ctx)->sig;
	u32 i;

	if (a->http_ver != b->http_ver || a->hdr_cnt != b->hdr_cnt ||
	    a->miss_cnt != b->miss_cnt || !same_str(a->sw, b->sw))
		return 0;
	for (i = 0; i < a->hdr_cnt; i++)
		if (a->hdr[i].id != b->hdr[i].id ||
		    a->hdr[i].optional != b->hdr[i].optional ||
		    !same_str(a->hdr[i].value, b->hdr[i].value))
			return 0;
	return !memcmp(a->miss, b->miss, a->miss_cnt * sizeof(a->miss[0]));
}

int http_register_sig(struct sigdb *db, u8 to_srv, const struct sig_label *lb,
		      const char *val, u32 line_no, char *err, size_t errlen)
{
	struct rec_list *rl = &db->http[to_srv ? 1 : 0];
	struct http_sig_record *rec;
	struct http_sig *hs;
	int rc;

	if (!db->hnames.index && (rc = http_init(db)))
		return rc;
	hs = sigstore_alloc(db, sizeof(*hs));
	rec = sigstore_alloc(db, sizeof(*rec));
	if (!hs || !rec)
		return -ENOMEM;
	rc = parse_http_sig(db, val, hs, err, errlen);
	if (rc)
		return rc;

	/* as for TCP sigs (tcp_db.c): a dupe within the file is fatal, an
	 * earlier file's sig of the same shape is replaced */
	http_find_match(db, to_srv, hs, 1);
	if (hs->matched && rec_list_in_front(rl, hs->matched) >= 0)
		return errmsg(err, errlen,
			      "signature is already covered by line %u",
			      hs->matched->line_no);
	hs->matched = NULL;
	hs->dishonest = 0;

	rec->lb = *lb;
	rec->line_no = line_no;
	rec->sig = hs;
	rec_list_drop_old(rl, same_shape, rec);
	return rec_list_push(rl, rec);
}

/* ------------------------------------------------------------- ua_os */

static int ua_push(struct sigdb *db, u32 id, char *name)
{
	struct ua_map_record *nm;

	nm = sigstore_grow(db, db->ua_map, db->ua_map_cnt, &db->ua_map_cap,
			   sizeof(*nm));
	if (!nm)
		return -ENOMEM;
	db->ua_map = nm;
	/* an overlay's entries are tried first (see rec_list) */
	memmove(nm + db->ua_map_front + 1, nm + db->ua_map_front,
		(db->ua_map_cnt - db->ua_map_front) * sizeof(*nm));
	nm[db->ua_map_front].id = id;
	nm[db->ua_map_front].name = name;
	db->ua_map_front++;
	db->ua_map_cnt++;
	return 0;
}

/*
 * "ua_os = Linux,Windows,iOS=[iPad],..."  Each entry names an OS and the
 * User-Agent substring that implies it (the OS name itself by default).
 * Entries are tried in this order against an honest-looking User-Agent.
 */
int http_parse_ua(struct sigdb *db, const char *val, u32 line_no, char *err,
		  size_t errlen)
{
	const char *p = val, *e;
	int rc;

	(void)line_no;
	while (*p) {
		char *sub = NULL;
		s32 id;

		for (e = p; sig_name_char((u8)*e); e++)
			;
		if (e == p)
			return errmsg(err, errlen, "malformed system name");
		/* like p0f, a name not seen yet is added */
		id = sigstore_intern_name(db, p, e - p);
		if (id < 0) {
			errmsg(err, errlen, "cannot add system name '%.*s'",
			       (int)(e - p), p);
			return id;
		}
		if (*e == '=') {
			rc = parse_bracket(db, &e, &sub, err, errlen);
			if (rc)
				return rc;
		} else {
			sub = sigstore_strndup(db, p, e - p);
			if (!sub)
				return -ENOMEM;
		}
		rc = ua_push(db, (u32)id, sub);
		if (rc)
			return rc;
		p = e;
		/* p0f steps over one ',' and otherwise just carries on */
		if (*p == ',')
			p++;
	}
	return 0;
}
