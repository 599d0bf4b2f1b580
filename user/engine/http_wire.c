// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * HTTP on the wire: the request or status line and the headers read out
 * of the bytes a flow has collected, into the flow's observed signature;
 * a complete header block goes to fingerprint_http() (http_host.c).
 *
 * The parser reproduces p0f 3.09b's process_http()/parse_pairs() to the
 * byte, including its odd corners, because parity with p0f's output is
 * the goal:
 *   - only "GET /" and "HEAD /" requests are considered;
 *   - a header line needs a name of [A-Za-z0-9_-]{1,32} then ':'; one
 *     blank after ':' is skipped; the value runs to '\n' minus one '\r';
 *     a folded or otherwise malformed line ends HTTP parsing of the flow;
 *   - a line starting with '\r' or '\n' ends the header block;
 *   - more than HTTP_MAX_HDRS headers or a value over HTTP_MAX_HDR_VAL
 *     ends parsing of the flow;
 *   - p0f never sets its "got the response's first line" flag, so every
 *     response segment after the first re-runs the status-line check
 *     from the current parse position: that swallows the header line that
 *     was incomplete at the end of the previous segment.  Reproduced.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "flow.h"
#include "http_int.h"

static int is_blank_c(int c)
{
	return c == ' ' || c == '\t';
}

/* ---------------------------------------------------------------- Date */

/*
 * Parse an HTTP Date value to unix seconds; 0 if it does not parse.
 *
 * p0f uses strptime("%a, %d %b %Y %H:%M:%S %Z") into an uninitialised
 * struct tm and then mktime().  mktime() reads local time and the stray
 * tm_isdst: when that stack garbage is positive glibc shifts the result
 * by an hour, which is why two p0f runs over one capture can differ by a
 * "host change ... reason=date" line.  (The receive time p0f compares
 * against is the capture time, not the wall clock; we use e->now_ms.)
 * Here the struct is zeroed and read as UTC with timegm(), so the result
 * is the same on every run and in every time zone; the drift test only
 * looks at differences, which match p0f's whenever its isdst is sane.
 */
static u32 parse_http_date(const char *s)
{
	struct tm t;

	memset(&t, 0, sizeof(t));
	if (!strptime(s, "%a, %d %b %Y %H:%M:%S %Z", &t))
		return 0;
	return (u32)timegm(&t);
}

/* -------------------------------------------------------------- parse */

/* Stop looking at this flow's HTTP. */
static int give_up(struct flow *f)
{
	f->in_http = -1;
	return 0;
}

/* Out of bytes mid-block: wait for more if more can come. */
static int short_data(struct flow *f, u8 can_more)
{
	if (!can_more)
		f->in_http = -1;
	return can_more;
}

static int block_done(struct engine *e, u8 to_srv, struct flow *f)
{
	f->http_tmp.recv_date = (u32)(e->now_ms / 1000);
	fingerprint_http(e, to_srv, f);
	if (!to_srv)
		return give_up(f);
	/* request done: start afresh for the response */
	f->http_req_done = 1;
	f->http_pos = 0;
	http_free_flow(f);
	memset(&f->http_tmp, 0, sizeof(f->http_tmp));
	return 1;
}

/*
 * A NUL-terminated copy of n bytes for hdr[] of an observed sig.  Names
 * and values are disjoint pieces of the flow's bytes, so a block as large
 * as the bytes still to parse (plus a NUL per string) holds them all and
 * spares a malloc per header; strings that arrive after the block was
 * sized get their own allocation.
 */
static char *hdr_strdup(struct http_sig *hs, const u8 *s, u32 n, u32 left)
{
	char *p;

	if (!hs->strs) {
		u32 cap = left + 2 * HTTP_MAX_HDRS + 2;

		hs->strs = malloc(cap);
		if (hs->strs) {
			hs->strs_cap = cap;
			hs->strs_len = 0;
		}
	}
	if (hs->strs && n + 1 <= hs->strs_cap - hs->strs_len) {
		p = hs->strs + hs->strs_len;
		memcpy(p, s, n);
		p[n] = 0;
		hs->strs_len += n + 1;
		return p;
	}
	return strndup((const char *)s, n);
}

/* Record one header; the value (NULL if empty) is taken over. */
static int add_header(struct engine *e, u8 to_srv, struct flow *f,
		      const u8 *name, u32 nlen, char *val, u32 left)
{
	struct http_sig *hs = &f->http_tmp;
	struct http_hdr *h = &hs->hdr[hs->hdr_cnt];
	s32 id = http_hdr_lookup(e->db, (const char *)name, nlen);

	h->id = id;
	h->name = NULL;
	h->value = NULL;
	if (id < 0) {
		h->name = hdr_strdup(hs, name, nlen, left);
		if (!h->name)
			return -1; /* val stays the caller's */
	} else {
		hs->hdr_bloom4 |= http_bloom4((u32)id);
	}
	h->value = val;
	hs->hdr_cnt++;
	if (!val)
		return 0;
	if (id == HDR_VIA || id == HDR_XFF)
		hs->via = val;
	else if (to_srv && id == HDR_UA)
		hs->sw = val;
	else if (to_srv && id == HDR_AL)
		hs->lang = val;
	else if (!to_srv && id == HDR_SRV)
		hs->sw = val;
	else if (!to_srv && id == HDR_DATE)
		hs->date = parse_http_date(val);
	return 0;
}

/*
 * "Name: value" lines from f->http_pos on.  Returns p0f's "need more"
 * value: 0 done with the flow, 1 more wanted, -1 gave up but p0f keeps
 * the flow until its next segment (an over-long value).
 */
static int parse_headers(struct engine *e, u8 to_srv, struct flow *f,
			 u8 can_more)
{
	const u8 *pay = to_srv ? f->request : f->response;
	u32 plen = to_srv ? f->req_len : f->resp_len;

	while (f->http_pos < plen) {
		u32 off = f->http_pos, nlen = 0, vstart, vlen = 0;
		char *val = NULL;

		if (pay[off] == '\r' || pay[off] == '\n')
			return block_done(e, to_srv, f);
		if (f->http_tmp.hdr_cnt >= HTTP_MAX_HDRS)
			return give_up(f);

		while (off < plen && nlen <= HTTP_MAX_HDR_NAME &&
		       http_hdr_char(pay[off])) {
			off++;
			nlen++;
		}
		if (off == plen)
			return short_data(f, can_more);
		if (!nlen || pay[off] != ':' || nlen > HTTP_MAX_HDR_NAME)
			return give_up(f);

		off++;
		if (off < plen && is_blank_c(pay[off]))
			off++;
		vstart = off;
		/* up to '\n', looking at most one byte past the longest value */
		if (off < plen) {
			u32 lim = plen - off;
			const u8 *nl;

			if (lim > HTTP_MAX_HDR_VAL + 1)
				lim = HTTP_MAX_HDR_VAL + 1;
			nl = memchr(pay + off, '\n', lim);
			vlen = nl ? (u32)(nl - (pay + off)) : lim;
			off += vlen;
		}
		if (vlen > HTTP_MAX_HDR_VAL) {
			f->in_http = -1;
			return -1;
		}
		if (off == plen)
			return short_data(f, can_more);
		if (pay[off - 1] == '\r')
			vlen--;

		if (vlen) {
			val = hdr_strdup(&f->http_tmp, pay + vstart, vlen,
					 plen - f->http_pos);
			if (!val)
				return give_up(f);
		}
		if (add_header(e, to_srv, f, pay + f->http_pos, nlen, val,
			       plen - f->http_pos)) {
			http_free_str(&f->http_tmp, val);
			return give_up(f);
		}
		f->http_pos = off + 1;
	}
	return short_data(f, can_more);
}

/*
 * Scan the first line from f->http_pos: printable ASCII (or '\r') up to
 * '\n' within HTTP_MAX_URL bytes and at least min_len bytes in.
 * Returns 1 with *eol set, 0 for "need more", -1 for "not HTTP".
 */
static int scan_first_line(const u8 *pay, u32 len, u32 pos, u32 min_len,
			   u32 *eol)
{
	u32 off = pos;

	while (off < len && off < HTTP_MAX_URL && pay[off] != '\n') {
		if (pay[off] != '\r' && (pay[off] < 0x20 || pay[off] > 0x7f))
			return -1;
		off++;
	}
	if (off == HTTP_MAX_URL || off < min_len)
		return -1;
	*eol = off;
	return off == len ? 0 : 1;
}

static int http_request(struct engine *e, struct flow *f)
{
	const u8 *pay = f->request;
	u8 can_more = f->req_len < MAX_FLOW_DATA;
	u32 eol, ver_at;
	int rc;

	if (f->http_req_done)
		return 1; /* waiting for the response */
	if (!f->in_http) {
		if (f->req_len < 15)
			return can_more;
		if (!f->http_pos && memcmp(pay, "GET /", 5) &&
		    memcmp(pay, "HEAD /", 6))
			return give_up(f);
		rc = scan_first_line(pay, f->req_len, f->http_pos, 14, &eol);
		if (rc < 0)
			return give_up(f);
		if (!rc) {
			f->http_pos = eol;
			return short_data(f, can_more);
		}
		/* "... HTTP/1.x" ends the request line */
		ver_at = eol - 8 - (pay[eol - 1] == '\r');
		if (memcmp(pay + ver_at, "HTTP/1.", 7))
			return give_up(f);
		f->http_tmp.http_ver = pay[ver_at + 7] == '1';
		f->in_http = 1;
		f->http_pos = eol + 1;
	}
	return parse_headers(e, 1, f, can_more);
}

static int http_response(struct engine *e, struct flow *f)
{
	const u8 *pay = f->response;
	u8 can_more = f->resp_len < MAX_FLOW_DATA;
	u32 eol;
	int rc;

	/* a response without a complete HTTP request before it */
	if (!f->in_http || !f->http_req_done)
		return give_up(f);

	/* http_gotresp1 stays 0 as in p0f: see the comment at the top */
	if (!f->http_gotresp1) {
		if (f->resp_len < 13)
			return can_more;
		rc = scan_first_line(pay, f->resp_len, f->http_pos, 13, &eol);
		if (rc < 0)
			return give_up(f);
		if (!rc) {
			f->http_pos = eol;
			return short_data(f, can_more);
		}
		if (memcmp(pay, "HTTP/1.", 7))
			return give_up(f);
		f->http_tmp.http_ver = pay[7] == '1';
		f->http_pos = eol + 1;
	}
	return parse_headers(e, 0, f, can_more);
}

/*
 * Newly appended bytes in f->request (to_srv) or f->response.  Returns 1
 * when HTTP needs nothing more from this flow (p0f's "need more" == 0).
 */
u8 process_http(struct engine *e, u8 to_srv, struct flow *f)
{
	int more;

	if (f->in_http < 0)
		return 1;
	more = to_srv ? http_request(e, f) : http_response(e, f);
	return more == 0;
}
