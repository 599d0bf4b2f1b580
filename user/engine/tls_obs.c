// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The TLS observations (tls_engine.h):
 *
 *   tls client  ja4, ja3, sni, alpn, ver, ja4_r, ja3_string
 *   tls server  ja3s, ver, alpn, ja3s_string
 *   either      error=incomplete|malformed|too-large|sslv2 for a hello
 *               begun but not fingerprinted
 *   http request  h2=SETTINGS|WINDOW_UPDATE|PRIORITY|pseudo-headers for
 *               an h2c (prior knowledge) client
 *
 * The first five client fields are the log line the README shows; the
 * long raw strings come last.  SNI and ALPN names are bytes the client
 * chose: every byte outside '!'..'~', and '\', '|' and ',' (the log's
 * and the ALPN list's separators), is written "\xHH", so the box and log
 * stay one line each and the JSON writer can give back the exact bytes.
 * ALPN names are joined by ','; an absent SNI or ALPN is empty.  ver is
 * "1.3", "1.2", "1.1", "1.0", "ssl3", else the number in hex.
 */
#include <errno.h>
#include <string.h>

#include "h2.h"
#include "host_tls.h"
#include "obs.h"
#include "strbuf.h"
#include "tls_engine.h"

_Static_assert(HOST_JA4_SIZE == JA4_LEN + 1, "host JA4 size");

static void conn_ends(const struct tls_conn *c, struct obs_ends *x)
{
	x->ip_ver = c->ip_ver;
	x->cli = c->cli;
	x->srv = c->srv;
	x->cli_port = c->cli_port;
	x->srv_port = c->srv_port;
}

static void put_escaped(struct strbuf *sb, const u8 *p, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		if (p[i] > ' ' && p[i] < 0x7f && p[i] != '\\' && p[i] != '|' &&
		    p[i] != ',') {
			sb_ch(sb, (char)p[i]);
			continue;
		}
		sb_lit(sb, "\\x");
		sb_hex(sb, p[i], 2);
	}
}

/* Returns the value as added ("" when the observation had no room). */
static const char *add_sni(struct obs *o, const struct tls_hello *h)
{
	struct strbuf sb;

	obs_field_begin(o, &sb);
	if (!sb.cap)
		return "";
	if (h->has_sni && h->sni.p)
		put_escaped(&sb, h->sni.p, h->sni.len);
	obs_field_end(o, "sni", &sb);
	return sb.buf;
}

static void add_alpn(struct obs *o, const struct tls_hello *h)
{
	struct tls_span name;
	struct strbuf sb;
	uint32_t off = 0;
	int first = 1;

	obs_field_begin(o, &sb);
	while (tls_alpn_next(h, &off, &name)) {
		if (!first)
			sb_lit(&sb, ",");
		put_escaped(&sb, name.p, name.len);
		first = 0;
	}
	obs_field_end(o, "alpn", &sb);
}

static void add_version(struct obs *o, u16 v)
{
	static const char *const name[] = { "ssl3", "1.0", "1.1", "1.2",
					    "1.3" };
	struct strbuf sb;

	if (v >= 0x0300 && v <= 0x0304) {
		obs_add(o, "ver", "%s", name[v - 0x0300]);
		return;
	}
	obs_field_begin(o, &sb);
	sb_lit(&sb, "0x");
	sb_hex(&sb, v, 4);
	obs_field_end(o, "ver", &sb);
}

void tls_obs_client(struct engine *e, const struct tls_conn *c,
		    const struct tls_hello *h)
{
	char ja4[JA4_LEN + 1], ja3[JA3_HASH_LEN + 1];
	struct tls_table *t = e->tls;
	struct host *host = engine_lookup_host(e, c->cli, c->ip_ver);
	struct obs_ends ends;
	const char *sni;
	struct obs *o;

	conn_ends(c, &ends);
	ja4_client(h, ja4, t->raw, sizeof(t->raw), NULL);
	ja3_client(h, ja3, t->str, sizeof(t->str), NULL);
	o = obs_begin_at(e, "tls client", 1, &ends, host);
	obs_add(o, "ja4", "%s", ja4);
	obs_add(o, "ja3", "%s", ja3);
	sni = add_sni(o, h);
	add_alpn(o, h);
	add_version(o, tls_client_version(h));
	obs_add(o, "ja4_r", "%s", t->raw);
	obs_add(o, "ja3_string", "%s", t->str);
	/* not touched in p0f's age order: p0f's host expiry stays its own;
	 * without memory the host keeps its previous pair */
	if (host)
		host_tls_set(e, host, ja4, sni);
	obs_emit(e, o);
}

void tls_obs_server(struct engine *e, const struct tls_conn *c,
		    const struct tls_hello *h)
{
	struct tls_table *t = e->tls;
	char ja3s[JA3_HASH_LEN + 1];
	struct obs_ends ends;
	struct obs *o;

	conn_ends(c, &ends);
	ja3_server(h, ja3s, t->str, sizeof(t->str), NULL);
	o = obs_begin_at(e, "tls server", 0, &ends, NULL);
	obs_add(o, "ja3s", "%s", ja3s);
	add_version(o, h->sel_version ? h->sel_version : h->version);
	add_alpn(o, h);
	obs_add(o, "ja3s_string", "%s", t->str);
	obs_emit(e, o);
}

static const char *error_name(int err)
{
	switch (err) {
	case -EAGAIN:
		return "incomplete";
	case -EBADMSG:
		return "malformed";
	case -EMSGSIZE:
		return "too-large";
	case -EPROTONOSUPPORT:
		return "sslv2";
	}
	return "error";
}

void tls_obs_error(struct engine *e, const struct tls_conn *c, int dir, int err)
{
	struct obs_ends ends;
	struct obs *o;

	conn_ends(c, &ends);
	o = obs_begin_at(e, dir == TLS_CLI ? "tls client" : "tls server",
			 dir == TLS_CLI, &ends, NULL);
	obs_add(o, "error", "%s", error_name(err));
	obs_emit(e, o);
}

int tls_obs_h2(struct engine *e, const struct tls_conn *c, const u8 *s,
	       size_t len, size_t *need)
{
	struct obs_ends ends;
	struct strbuf sb;
	size_t out_len = 0;
	struct obs *o;
	int rc;

	conn_ends(c, &ends);
	o = obs_begin_at(e, "http request", 1, &ends, NULL);
	obs_field_begin(o, &sb);
	rc = h2_fingerprint(s, len, sb.buf, sb.cap, &out_len, need);
	if (rc)
		return rc;
	sb.len = sb.cap && out_len >= sb.cap ? sb.cap - 1 : out_len;
	obs_field_end(o, "h2", &sb);
	e->st.h2c++;
	obs_emit(e, o);
	return 0;
}
