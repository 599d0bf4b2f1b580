// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * TLS record layer and ClientHello / ServerHello parsing (RFC 5246 6.2,
 * 7.4.1; RFC 8446 4.1, 5.1).  The stream is walked record by record until
 * the first handshake message is whole; its fragments are joined only when
 * it spans records.  Every read is checked against the bytes the caller
 * has; nothing is allocated.
 */
#include <errno.h>
#include <string.h>

#include "tls.h"

#define REC_HDR 5
#define HS_HDR 4
#define REC_ALERT 21
#define REC_HANDSHAKE 22
#define ALERT_LEN 2
/* warning alerts taken before the hello (a server's unrecognized_name) */
#define MAX_LEAD_ALERTS 4
/* TLS 1.3 drafts 0x7f00-0x7f15 sent a ServerHello with neither
 * legacy_session_id nor compression_method (restored in draft 22) */
#define DRAFT_MASK 0xff00
#define DRAFT_TLS13 0x7f00
#define DRAFT_LEGACY_FIELDS 22
/* RFC 8446 5.1: a plaintext record carries at most 2^14 bytes. */
#define REC_MAX 16384
#define RANDOM_LEN 32
#define SESSION_ID_MAX 32
#define SSL2_CLIENT_HELLO 1

/* RFC 8446 4.1.3: a ServerHello with this random is a HelloRetryRequest */
static const uint8_t hrr_random[RANDOM_LEN] = {
	0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c,
	0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb,
	0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

static inline uint16_t be16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

/* Where the first handshake message lies in the stream. */
struct hs_loc {
	uint32_t start; /* first handshake record (after leading alerts) */
	uint32_t msg_len; /* header included */
	uint32_t stream_len; /* through the end of its last record, or of
			      * the message when that record is longer and
			      * not all here yet */
	uint32_t first; /* offset of its first byte (first fragment) */
	uint32_t nfrag; /* records that carry part of it */
};

/* The stream does not start with a TLS handshake record: SSLv2 hello
 * (refused by name), or not TLS at all. */
static int not_tls(const uint8_t *s, size_t len, int want, size_t *need)
{
	if (want != TLS_HS_CLIENT_HELLO || !(s[0] & 0x80))
		return -ENOMSG;
	/* SSLv2 record: 2-byte length with the top bit set, then
	 * msg_type 1 and a version whose major byte is 0 (SSL 2) or 3 */
	if (len < 4) {
		*need = 4;
		return -EAGAIN;
	}
	if (s[2] == SSL2_CLIENT_HELLO && (s[3] == 0 || s[3] == 3))
		return -EPROTONOSUPPORT;
	return -ENOMSG;
}

/* Checks a handshake header once its four bytes are known. */
static int check_hs_hdr(const uint8_t hdr[HS_HDR], int want, uint32_t *msg)
{
	uint32_t body = ((uint32_t)hdr[1] << 16) | (hdr[2] << 8) | hdr[3];

	if (hdr[0] != want)
		return -ENOMSG;
	if (body > TLS_HELLO_MAX - HS_HDR)
		return -EMSGSIZE;
	*msg = body + HS_HDR;
	return 0;
}

/* Stream bytes still needed to finish a message of `msg` bytes (0 while
 * unknown) of which `have` are held, when the stream ends at `end`. */
static size_t need_after(size_t end, uint32_t msg, uint32_t have)
{
	if (!msg) /* the header's bytes still missing, in a next record */
		return end + (have < HS_HDR ? REC_HDR + HS_HDR - have : 0);
	return end + (msg > have ? REC_HDR + msg - have : 0);
}

/* Skips whole alert records (2-byte bodies) before the first handshake
 * record; *off is where that record starts. */
static int skip_alerts(const uint8_t *s, size_t len, size_t *off, size_t *need)
{
	int n;

	for (n = 0; n < MAX_LEAD_ALERTS; n++) {
		if (len - *off < 1 || s[*off] != REC_ALERT)
			return 0;
		if (len - *off < REC_HDR + ALERT_LEN) {
			*need = *off + REC_HDR + ALERT_LEN + REC_HDR + HS_HDR;
			return -EAGAIN;
		}
		if (s[*off + 1] != 3 || be16(s + *off + 3) != ALERT_LEN)
			return -ENOMSG;
		*off += REC_HDR + ALERT_LEN;
	}
	return 0;
}

static int locate(const uint8_t *s, size_t len, int want, struct hs_loc *loc,
		  size_t *need)
{
	uint8_t hdr[HS_HDR];
	uint32_t have = 0, msg = 0, rlen, take, i;
	size_t off = 0;
	int err;

	memset(loc, 0, sizeof(*loc));
	if (len < 1) {
		*need = REC_HDR + HS_HDR;
		return -EAGAIN;
	}
	if (s[0] != REC_HANDSHAKE && s[0] != REC_ALERT)
		return not_tls(s, len, want, need);
	err = skip_alerts(s, len, &off, need);
	if (err)
		return err;
	loc->start = (uint32_t)off;
	while (!msg || have < msg) {
		if (len - off < REC_HDR) {
			*need = need_after(off, msg, have);
			return -EAGAIN;
		}
		if (s[off] != REC_HANDSHAKE || s[off + 1] != 3) {
			/* the first record decides "TLS or not"; a foreign
			 * record inside the hello is a broken stream */
			return off > loc->start ? -EBADMSG : -ENOMSG;
		}
		rlen = be16(s + off + 3);
		if (rlen > REC_MAX)
			return -EBADMSG;
		if (rlen && !loc->nfrag)
			loc->first = (uint32_t)off + REC_HDR;
		/* bytes of this record available (it may be cut short) */
		take = len - off - REC_HDR < rlen ? len - off - REC_HDR : rlen;
		for (i = 0; have + i < HS_HDR && i < take; i++)
			hdr[have + i] = s[off + REC_HDR + i];
		if (!msg && have + i >= HS_HDR) {
			err = check_hs_hdr(hdr, want, &msg);
			if (err)
				return err;
		}
		if (take < rlen && !(msg && have + take >= msg)) {
			*need = need_after(off + REC_HDR + rlen, msg,
					   have + rlen);
			return -EAGAIN;
		}
		if (take < rlen) {
			/* the record goes on (a ServerHello with its
			 * Certificate in one record): the message is whole */
			loc->nfrag++;
			off += REC_HDR + (msg - have);
			have = msg;
			break;
		}
		if (rlen)
			loc->nfrag++;
		have += rlen;
		off += REC_HDR + rlen;
		if (off > TLS_STREAM_MAX)
			return -EMSGSIZE;
	}
	loc->msg_len = msg;
	loc->stream_len = (uint32_t)off;
	return 0;
}

/* Copies the message's fragments, in order, to dst (msg_len bytes).  dst
 * may be the stream itself: every fragment moves towards its start. */
static void join(const uint8_t *s, const struct hs_loc *loc, uint8_t *dst)
{
	uint32_t off = loc->start, got = 0, rlen, take;

	while (got < loc->msg_len) {
		rlen = be16(s + off + 3);
		take = loc->msg_len - got < rlen ? loc->msg_len - got : rlen;
		memmove(dst + got, s + off + REC_HDR, take);
		got += take;
		off += REC_HDR + rlen;
	}
}

/* A cursor over the message body. */
struct cur {
	const uint8_t *p;
	uint32_t left;
};

static int take(struct cur *c, uint32_t n, struct tls_span *out)
{
	if (c->left < n)
		return -EBADMSG;
	if (out) {
		out->p = c->p;
		out->len = n;
	}
	c->p += n;
	c->left -= n;
	return 0;
}

/* A vector with a 1- or 2-byte length prefix. */
static int take_vec(struct cur *c, int lbytes, struct tls_span *out)
{
	uint32_t n;

	if (c->left < (uint32_t)lbytes)
		return -EBADMSG;
	n = lbytes == 1 ? c->p[0] : be16(c->p);
	c->p += lbytes;
	c->left -= lbytes;
	return take(c, n, out);
}

/* A body that is exactly one vector (with an n-byte prefix) of
 * `unit`-byte items. */
static int whole_list(struct tls_span body, int lbytes, uint32_t unit,
		      struct tls_span *out)
{
	struct cur c = { body.p, body.len };
	struct tls_span v;

	if (take_vec(&c, lbytes, &v) || c.left || v.len % unit)
		return -EBADMSG;
	*out = v;
	return 0;
}

/* server_name (RFC 6066 3): the first host_name entry. */
static int parse_sni(struct tls_span body, struct tls_span *name)
{
	struct tls_span list, n;
	struct cur c;
	int found = 0;

	if (whole_list(body, 2, 1, &list))
		return -EBADMSG;
	c = (struct cur){ list.p, list.len };
	while (c.left) {
		uint8_t type = c.p[0];

		if (take(&c, 1, NULL) || take_vec(&c, 2, &n))
			return -EBADMSG;
		if (type == 0 && !found) {
			*name = n;
			found = 1;
		}
	}
	return 0;
}

/* ALPN (RFC 7301 3.1): a list of 1-byte-length names, fully checked. */
static int parse_alpn(struct tls_span body, struct tls_span *list)
{
	struct tls_span l;
	struct cur c;

	if (whole_list(body, 2, 1, &l))
		return -EBADMSG;
	c = (struct cur){ l.p, l.len };
	while (c.left)
		if (take_vec(&c, 1, NULL))
			return -EBADMSG;
	*list = l;
	return 0;
}

/* One extension's values; the first occurrence of a type wins. */
static int parse_ext(struct tls_hello *h, uint16_t type, struct tls_span b)
{
	int client = h->type == TLS_HS_CLIENT_HELLO;

	switch (type) {
	case TLS_EXT_SNI:
		if (h->has_sni)
			return 0;
		h->has_sni = 1;
		/* a ServerHello's server_name is empty (RFC 6066 3) */
		return client ? parse_sni(b, &h->sni) : 0;
	case TLS_EXT_ALPN:
		if (h->has_alpn)
			return 0;
		h->has_alpn = 1;
		return parse_alpn(b, &h->alpn);
	case TLS_EXT_SUPPORTED_VERSIONS:
		if (h->has_versions)
			return 0;
		h->has_versions = 1;
		if (client)
			return whole_list(b, 1, 2, &h->versions);
		if (b.len != 2)
			return -EBADMSG;
		h->sel_version = be16(b.p);
		return 0;
	case TLS_EXT_SIG_ALGS:
		return h->sig_algs.p ? 0 : whole_list(b, 2, 2, &h->sig_algs);
	case TLS_EXT_GROUPS:
		return h->groups.p ? 0 : whole_list(b, 2, 2, &h->groups);
	case TLS_EXT_EC_POINT_FORMATS:
		return h->ec_pf.p ? 0 : whole_list(b, 1, 1, &h->ec_pf);
	}
	return 0;
}

int tls_ext_next(const struct tls_hello *h, uint32_t *off, uint16_t *type,
		 struct tls_span *body)
{
	const uint8_t *p;
	uint32_t blen;

	/* the block was validated by parse_exts() */
	if (*off + 4 > h->exts.len)
		return 0;
	p = h->exts.p + *off;
	*type = be16(p);
	blen = be16(p + 2);
	body->p = p + 4;
	body->len = blen;
	*off += 4 + blen;
	return 1;
}

int tls_alpn_next(const struct tls_hello *h, uint32_t *off,
		  struct tls_span *name)
{
	if (*off >= h->alpn.len)
		return 0;
	name->len = h->alpn.p[*off];
	name->p = h->alpn.p + *off + 1;
	*off += 1 + name->len;
	return 1;
}

/* The extensions block, if any, ends the message exactly. */
static int parse_exts(struct cur *c, struct tls_hello *h)
{
	struct tls_span body;
	struct cur e;
	uint16_t type;

	if (!c->left)
		return 0; /* no extensions (SSL 3.0 style) */
	if (take_vec(c, 2, &h->exts) || c->left)
		return -EBADMSG;
	e = (struct cur){ h->exts.p, h->exts.len };
	while (e.left) {
		if (e.left < 4)
			return -EBADMSG;
		type = be16(e.p);
		if (take(&e, 2, NULL) || take_vec(&e, 2, &body))
			return -EBADMSG;
		h->n_exts++;
		if (parse_ext(h, type, body) && h->bad_exts < UINT8_MAX)
			h->bad_exts++;
	}
	return 0;
}

static int parse_body(const uint8_t *msg, uint32_t msg_len, struct tls_hello *h)
{
	struct cur c = { msg + HS_HDR, msg_len - HS_HDR };
	struct tls_span random, v;
	int draft;

	if (take(&c, 2, &v) || take(&c, RANDOM_LEN, &random))
		return -EBADMSG;
	h->version = be16(v.p);
	draft = h->type == TLS_HS_SERVER_HELLO &&
		(h->version & DRAFT_MASK) == DRAFT_TLS13 &&
		(h->version & 0xff) < DRAFT_LEGACY_FIELDS;
	if (!draft && (take_vec(&c, 1, &h->session_id) ||
		       h->session_id.len > SESSION_ID_MAX))
		return -EBADMSG;
	if (h->type == TLS_HS_CLIENT_HELLO) {
		if (take_vec(&c, 2, &h->ciphers) || h->ciphers.len % 2 ||
		    take_vec(&c, 1, &h->comp))
			return -EBADMSG;
	} else {
		if (take(&c, 2, &v))
			return -EBADMSG;
		h->cipher = be16(v.p);
		h->hrr = !memcmp(random.p, hrr_random, RANDOM_LEN);
		if (!draft && take(&c, 1, &h->comp))
			return -EBADMSG;
	}
	return parse_exts(&c, h);
}

int tls_hello_parse(const uint8_t *s, size_t len, int want, uint8_t *scratch,
		    size_t scratch_size, struct tls_hello *h, size_t *need)
{
	const uint8_t *msg;
	struct hs_loc loc;
	size_t dummy;
	int err;

	memset(h, 0, sizeof(*h));
	err = locate(s, len, want, &loc, need ? need : &dummy);
	if (err)
		return err;
	if (loc.nfrag == 1) {
		msg = s + loc.first;
	} else {
		if (!scratch || scratch_size < loc.msg_len)
			return -ENOBUFS;
		join(s, &loc, scratch);
		msg = scratch;
	}
	h->type = (uint8_t)want;
	h->rec_version = be16(s + loc.start + 1);
	h->msg_len = loc.msg_len;
	h->stream_len = loc.stream_len;
	return parse_body(msg, loc.msg_len, h);
}

uint16_t tls_client_version(const struct tls_hello *h)
{
	uint16_t best = 0, v;
	uint32_t i;

	if (!h->has_versions)
		return h->version;
	for (i = 0; i + 1 < h->versions.len; i += 2) {
		v = be16(h->versions.p + i);
		if (!tls_is_grease(v) && v > best)
			best = v;
	}
	return best;
}
