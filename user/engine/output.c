// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One observation, three renderings:
 *   out_box   p0f's stdout box, byte for byte
 *   out_log   p0f's -o log line, byte for byte (local time, like p0f)
 *   out_json  one JSON object per line, values typed for machines
 *
 * They are written for every observation of an offline run, so each is
 * assembled in a strbuf and handed to stdio in pieces of a few kB instead
 * of going through printf field by field.  The bytes are those of the
 * printf formats named beside each piece.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "addr_text.h"
#include "engine.h"
#include "strbuf.h"

#define OUT_BUF 2048

/* Writes an address's text at p; returns the end (addr_text.h). */
typedef char *(*addr_writer)(char *p, const u8 *a, u8 ip_ver);

/*
 * An address, and "/port" after it unless port < 0, written in place when
 * the strbuf has room (it nearly always has), else through a copy.
 */
static void put_addr_with(struct strbuf *sb, addr_writer w, const u8 *a,
			  u8 ip_ver, int port)
{
	char tmp[ADDR_TEXT_MAX + 6], *p = sb_room(sb, sizeof(tmp)), *end;

	end = w(p ? p : tmp, a, ip_ver);
	if (port >= 0) {
		*end++ = '/';
		end = text_u16(end, (unsigned)port);
	}
	if (p)
		sb_wrote(sb, end);
	else
		sb_put(sb, tmp, (size_t)(end - tmp));
}

const char *addr_to_str(const u8 *addr, u8 ip_ver, char *buf, size_t len)
{
	struct strbuf sb;

	sb_init(&sb, buf, len);
	put_addr_with(&sb, addr_text_p0f, addr, ip_ver, -1);
	return buf;
}

/* "%s/%u" of an endpoint, the address as p0f prints it (no "::") */
static void put_endpoint(struct strbuf *sb, const u8 *a, u8 ip_ver, u16 port)
{
	put_addr_with(sb, addr_text_p0f, a, ip_ver, port);
}

/* A field's value as p0f prints it; its length is known. */
static void put_val(struct strbuf *sb, const struct obs_field *f)
{
	if (f->unknown)
		sb_lit(sb, "???");
	else
		sb_put(sb, f->val, f->val_len);
}

void out_box(FILE *fp, const struct obs *o)
{
	char buf[OUT_BUF];
	struct strbuf sb;
	u32 i;

	sb_init_file(&sb, buf, sizeof(buf), fp);
	/* ".-[ %s/%u -> %s/%u (%s) ]-\n|\n" */
	sb_lit(&sb, ".-[ ");
	put_endpoint(&sb, o->cli_addr, o->ip_ver, o->cli_port);
	sb_lit(&sb, " -> ");
	put_endpoint(&sb, o->srv_addr, o->ip_ver, o->srv_port);
	sb_lit(&sb, " (");
	sb_str(&sb, o->mod);
	sb_lit(&sb, ") ]-\n|\n");
	/* "| %-8s = %s/%u\n" */
	if (o->to_srv) {
		sb_lit(&sb, "| client   = ");
		put_endpoint(&sb, o->cli_addr, o->ip_ver, o->cli_port);
	} else {
		sb_lit(&sb, "| server   = ");
		put_endpoint(&sb, o->srv_addr, o->ip_ver, o->srv_port);
	}
	sb_lit(&sb, "\n");
	/* "| %-8s = %s\n" */
	for (i = 0; i < o->nfields && i < OBS_MAX_FIELDS; i++) {
		sb_lit(&sb, "| ");
		sb_pad(&sb, o->f[i].key, 8);
		sb_lit(&sb, " = ");
		put_val(&sb, &o->f[i]);
		sb_lit(&sb, "\n");
	}
	sb_lit(&sb, "|\n`----\n\n");
	sb_flush(&sb);
}

/*
 * The local time of the last second formatted: records come in bursts
 * from the same second.  Keyed on the zone as well, for a tzset() with a
 * new TZ in between.
 */
struct when_cache {
	int valid;
	time_t t;
	long zone;
	int daylight;
	const char *name[2];
	char text[64];
	size_t len;
};

static const struct when_cache *log_when(time_t t)
{
	static __thread struct when_cache c;
	struct tm tm;

	if (c.valid && c.t == t && c.zone == timezone &&
	    c.daylight == daylight && c.name[0] == tzname[0] &&
	    c.name[1] == tzname[1])
		return &c;
	/* p0f stamps lines with the packet's second in local time */
	c.len = 0;
	if (localtime_r(&t, &tm))
		c.len = strftime(c.text, sizeof(c.text), "%Y/%m/%d %H:%M:%S",
				 &tm);
	if (!c.len)
		c.len = (size_t)(stpcpy(c.text, "?") - c.text);
	/* localtime_r() has set the zone globals this text depends on */
	c.valid = 1;
	c.t = t;
	c.zone = timezone;
	c.daylight = daylight;
	c.name[0] = tzname[0];
	c.name[1] = tzname[1];
	return &c;
}

void out_log_to(struct strbuf *sb, const struct obs *o)
{
	const struct when_cache *when = log_when((time_t)(o->ts_ms / 1000));
	u32 i;

	/* "[%s] mod=%s|cli=%s/%u|srv=%s/%u|subj=%s" */
	sb_lit(sb, "[");
	sb_put(sb, when->text, when->len);
	sb_lit(sb, "] mod=");
	sb_str(sb, o->mod);
	sb_lit(sb, "|cli=");
	put_endpoint(sb, o->cli_addr, o->ip_ver, o->cli_port);
	sb_lit(sb, "|srv=");
	put_endpoint(sb, o->srv_addr, o->ip_ver, o->srv_port);
	if (o->to_srv)
		sb_lit(sb, "|subj=cli");
	else
		sb_lit(sb, "|subj=srv");
	/* "|%s=%s" */
	for (i = 0; i < o->nfields && i < OBS_MAX_FIELDS; i++) {
		sb_lit(sb, "|");
		sb_str(sb, o->f[i].key);
		sb_lit(sb, "=");
		put_val(sb, &o->f[i]);
	}
	sb_lit(sb, "\n");
}

void out_log(FILE *fp, const struct obs *o)
{
	char buf[OUT_BUF];
	struct strbuf sb;

	sb_init_file(&sb, buf, sizeof(buf), fp);
	out_log_to(&sb, o);
	sb_flush(&sb);
}

/* ----------------------------------------------------------------- JSON */

/* Length of a valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	size_t len, i;
	u32 cp;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	len = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
	if (len > n)
		return 0;
	cp = s[0] & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates and values past U+10FFFF */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

/*
 * Write s[0..n) as a JSON string.  Bytes that are not valid UTF-8 (HTTP
 * headers can carry anything) are written as the Latin-1 code point of
 * the byte, so the output is always valid JSON and nothing is silently
 * dropped.
 */
static void json_strn(struct strbuf *sb, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t k;

	sb_lit(sb, "\"");
	while (n) {
		unsigned char c = *p;

		if (c == '"' || c == '\\') {
			sb_lit(sb, "\\");
			sb_ch(sb, (char)c);
		} else if (c == '\n') {
			sb_lit(sb, "\\n");
		} else if (c == '\r') {
			sb_lit(sb, "\\r");
		} else if (c == '\t') {
			sb_lit(sb, "\\t");
		} else if (c < 0x20 || c == 0x7f) {
			sb_lit(sb, "\\u"); /* "\\u%04x" */
			sb_hex(sb, c, 4);
		} else if (c < 0x80) {
			sb_ch(sb, (char)c);
		} else if ((k = utf8_seq(p, n))) {
			sb_put(sb, (const char *)p, k);
			p += k;
			n -= k;
			continue;
		} else {
			sb_lit(sb, "\\u");
			sb_hex(sb, c, 4);
		}
		p++;
		n--;
	}
	sb_lit(sb, "\"");
}

static void json_str(struct strbuf *sb, const char *s)
{
	json_strn(sb, s, strlen(s));
}

static void json_str_or_null(struct strbuf *sb, const char *s)
{
	if (s)
		json_str(sb, s);
	else
		sb_lit(sb, "null");
}

static void json_key(struct strbuf *sb, const char *k)
{
	sb_lit(sb, ",");
	json_str(sb, k);
	sb_lit(sb, ":");
}

static void json_bool(struct strbuf *sb, int v)
{
	if (v)
		sb_lit(sb, "true");
	else
		sb_lit(sb, "false");
}

/* Space-separated words as a list of strings; `none` is the empty list. */
static void json_words(struct strbuf *sb, const char *s)
{
	const char *p = s, *end;
	int first = 1;

	sb_lit(sb, "[");
	if (strcmp(s, "none")) {
		while (*p) {
			while (*p == ' ')
				p++;
			if (!*p)
				break;
			end = strchr(p, ' ');
			if (!end)
				end = p + strlen(p);
			if (!first)
				sb_lit(sb, ",");
			json_strn(sb, p, end - p);
			first = 0;
			p = end;
		}
	}
	sb_lit(sb, "]");
}

static void json_label(struct strbuf *sb, const struct obs *o, const char *text)
{
	const struct obs_label *l = &o->label;

	sb_lit(sb, "{\"text\":");
	json_str(sb, text);
	if (l->set) {
		sb_lit(sb, ",\"class\":");
		json_str_or_null(sb, l->is_app ? NULL : l->cls);
		sb_lit(sb, ",\"name\":");
		json_str_or_null(sb, l->name);
		sb_lit(sb, ",\"flavor\":");
		json_str_or_null(sb, l->flavor);
		sb_lit(sb, ",\"generic\":");
		json_bool(sb, l->generic);
		sb_lit(sb, ",\"fuzzy\":");
		json_bool(sb, l->fuzzy);
	}
	sb_lit(sb, "}");
}

/*
 * JSON names of p0f's field keys where they differ: the names the lookup
 * and stats records use for the same things (tools/osprey.schema.json).
 */
static const char *json_name(const char *k)
{
	static const char *const map[][2] = {
		{ "dist", "distance" },
		{ "lang", "language" },
		{ "raw_mtu", "mtu" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(k, map[i][0]))
			return map[i][1];
	return k;
}

/*
 * TLS names (SNI, ALPN) as the observation holds them, "\xHH" for bytes
 * outside printable ASCII (tls_obs.c), written back as one JSON code point
 * per byte (U+0000..U+00FF): any byte string round-trips, and printable
 * ASCII reads as itself.  Stops at `stop` (a list separator) or the end;
 * returns where it stopped.
 */
static int hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static const char *json_bytes(struct strbuf *sb, const char *s, char stop)
{
	unsigned c;

	sb_lit(sb, "\"");
	for (; *s && *s != stop; s++) {
		c = (unsigned char)*s;
		if (c == '\\' && s[1] == 'x' && hex_val(s[2]) >= 0 &&
		    hex_val(s[3]) >= 0) {
			c = (unsigned)(hex_val(s[2]) << 4 | hex_val(s[3]));
			s += 3;
		}
		if (c == '"' || c == '\\') {
			sb_lit(sb, "\\");
			sb_ch(sb, (char)c);
		} else if (c < 0x20 || c >= 0x7f) {
			sb_lit(sb, "\\u"); /* "\\u%04x" */
			sb_hex(sb, c, 4);
		} else {
			sb_ch(sb, (char)c);
		}
	}
	sb_lit(sb, "\"");
	return s;
}

void out_json_tls_name(FILE *fp, const char *text)
{
	char buf[256];
	struct strbuf sb;

	sb_init_file(&sb, buf, sizeof(buf), fp);
	json_bytes(&sb, text, 0);
	sb_flush(&sb);
}

/* The TLS fields whose JSON differs from their text: 1 if k is one. */
static int json_tls_field(struct strbuf *sb, const char *k, const char *v)
{
	if (!strcmp(k, "sni")) {
		json_key(sb, k); /* empty: no server_name */
		if (*v)
			json_bytes(sb, v, 0);
		else
			sb_lit(sb, "null");
	} else if (!strcmp(k, "alpn")) {
		json_key(sb, k); /* a list, empty when there is none */
		sb_lit(sb, "[");
		while (*v) {
			v = json_bytes(sb, v, ',');
			if (!*v)
				break;
			v++;
			sb_lit(sb, ",");
			if (!*v)
				json_bytes(sb, v, ','); /* an empty last name */
		}
		sb_lit(sb, "]");
	} else if (!strcmp(k, "ver")) {
		json_key(sb, "version");
		json_str(sb, v);
	} else {
		return 0;
	}
	return 1;
}

/* A number, or the text as a string when it is not one. */
static void json_uint(struct strbuf *sb, const char *key, const char *v)
{
	char *end;
	unsigned long n = strtoul(v, &end, 10);

	json_key(sb, key);
	if (end != v && !*end)
		sb_dec(sb, n, 0); /* "%lu" */
	else
		json_str(sb, v);
}

/* An unknown value: the empty list for word lists, else null. */
static void json_unknown(struct strbuf *sb, const char *k)
{
	json_key(sb, json_name(k));
	if (!strcmp(k, "params") || !strcmp(k, "reason"))
		sb_lit(sb, "[]");
	else
		sb_lit(sb, "null");
}

static void json_field(struct strbuf *sb, const struct obs *o,
		       const struct obs_field *f)
{
	const char *k = f->key, *v = f->val;
	unsigned d, h, m, mod, a, b, c, e;
	double hz;

	if (f->unknown) {
		json_unknown(sb, k);
	} else if (json_tls_field(sb, k, v)) {
		return;
	} else if (!strcmp(k, "os") || !strcmp(k, "app")) {
		json_key(sb, k);
		json_label(sb, o, v);
	} else if (!strcmp(k, "dist")) {
		/* "<= N" when the signature says the TTL is randomised */
		if (!strncmp(v, "<= ", 3)) {
			json_uint(sb, "distance", v + 3);
			sb_lit(sb, ",\"distance_upper_bound\":true");
		} else {
			json_uint(sb, "distance", v);
		}
	} else if (!strcmp(k, "lang") && !strcmp(v, "none")) {
		json_key(sb, "language"); /* p0f's "none": no Accept-Language */
		sb_lit(sb, "null");
	} else if (!strcmp(k, "raw_mtu")) {
		json_uint(sb, "mtu", v);
	} else if (!strcmp(k, "params") || !strcmp(k, "reason")) {
		json_key(sb, k);
		json_words(sb, v);
	} else if (!strcmp(k, "raw_freq") && sscanf(v, "%lf", &hz) == 1) {
		json_key(sb, k);
		sb_printf(sb, "%.2f", hz);
	} else if (!strcmp(k, "raw_hits") &&
		   sscanf(v, "%u,%u,%u,%u", &a, &b, &c, &e) == 4) {
		json_key(sb, k); /* "[%u,%u,%u,%u]" */
		sb_lit(sb, "[");
		sb_u(sb, a);
		sb_lit(sb, ",");
		sb_u(sb, b);
		sb_lit(sb, ",");
		sb_u(sb, c);
		sb_lit(sb, ",");
		sb_u(sb, e);
		sb_lit(sb, "]");
	} else if (!strcmp(k, "uptime") &&
		   sscanf(v, "%u days %u hrs %u min (modulo %u days)", &d, &h,
			  &m, &mod) == 4) {
		json_key(sb, k);
		json_str(sb, v);
		sb_lit(sb, ",\"uptime_min\":");
		sb_dec(sb, (u64)d * 1440 + h * 60 + m, 0);
		sb_lit(sb, ",\"uptime_modulo_days\":");
		sb_u(sb, mod);
	} else {
		json_key(sb, json_name(k));
		json_strn(sb, v, f->val_len);
	}
}

/* "\"%s\":{\"addr\":\"%s\",\"port\":%u}" */
static void json_endpoint(struct strbuf *sb, const char *name, const u8 *a,
			  u8 ip_ver, u16 port)
{
	sb_lit(sb, ",\"");
	sb_str(sb, name);
	sb_lit(sb, "\":{\"addr\":\"");
	put_addr_with(sb, addr_text_std, a, ip_ver, -1); /* RFC 5952 */
	sb_lit(sb, "\",\"port\":");
	sb_u(sb, port);
	sb_lit(sb, "}");
}

/* A module's name as a JSON value: p0f's, spaces and '+' made '_'
 * ("syn+ack" -> "syn_ack", "http request" -> "http_request"). */
static void json_mod(struct strbuf *sb, const char *mod)
{
	char name[64];
	size_t i;

	for (i = 0; mod && mod[i] && i < sizeof(name) - 1; i++)
		name[i] = mod[i] == ' ' || mod[i] == '+' ? '_' : mod[i];
	name[i] = '\0';
	json_str(sb, name);
}

const char *fmt_rfc3339(u64 unix_ms, int with_ms, char *buf, size_t len)
{
	time_t t = (time_t)(unix_ms / 1000);
	struct strbuf sb;
	char when[32];
	struct tm tm;

	if (!gmtime_r(&t, &tm) ||
	    !strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm))
		strcpy(when, "1970-01-01T00:00:00");
	sb_init(&sb, buf, len);
	sb_str(&sb, when);
	if (with_ms) {
		sb_lit(&sb, ".");
		sb_dec(&sb, unix_ms % 1000, 3);
	}
	sb_lit(&sb, "Z");
	return buf;
}

void out_json(FILE *fp, const struct obs *o, const char *sensor)
{
	char buf[OUT_BUF], when[40], cid[COMMUNITY_ID_LEN];
	struct strbuf sb;
	u32 i;

	sb_init_file(&sb, buf, sizeof(buf), fp);
	sb_lit(&sb, "{\"ts\":\"");
	sb_str(&sb, fmt_rfc3339(o->ts_ms, 1, when, sizeof(when)));
	sb_lit(&sb, "\"");
	if (sensor) {
		sb_lit(&sb, ",\"sensor\":");
		json_str(&sb, sensor);
	}
	if (o->ifname) {
		sb_lit(&sb, ",\"iface\":");
		json_str(&sb, o->ifname);
	}
	sb_lit(&sb, ",\"mod\":");
	json_mod(&sb, o->mod);
	/* every observation is of a TCP flow */
	if (!community_id_v1(o->ip_ver, o->cli_addr, o->cli_port, o->srv_addr,
			     o->srv_port, 6, 0, cid, sizeof(cid))) {
		sb_lit(&sb, ",\"community_id\":\"");
		sb_str(&sb, cid);
		sb_lit(&sb, "\"");
	}
	json_endpoint(&sb, "client", o->cli_addr, o->ip_ver, o->cli_port);
	json_endpoint(&sb, "server", o->srv_addr, o->ip_ver, o->srv_port);
	sb_str(&sb, o->to_srv ? ",\"subj\":\"cli\"" : ",\"subj\":\"srv\"");
	for (i = 0; i < o->nfields && i < OBS_MAX_FIELDS; i++)
		json_field(&sb, o, &o->f[i]);
	sb_lit(&sb, "}\n");
	sb_flush(&sb);
}
