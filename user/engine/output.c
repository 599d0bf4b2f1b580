// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One observation, three renderings:
 *   out_box   p0f's stdout box, byte for byte
 *   out_log   p0f's -o log line, byte for byte (local time, like p0f)
 *   out_json  one JSON object per line, values typed for machines
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"

#define ADDR_STR_LEN 64

const char *addr_to_str(const u8 *addr, u8 ip_ver, char *buf, size_t len)
{
	if (ip_ver == IP_VER4) {
		snprintf(buf, len, "%u.%u.%u.%u", addr[0], addr[1], addr[2],
			 addr[3]);
		return buf;
	}
	/* p0f prints all eight groups, no "::" compression */
	snprintf(buf, len, "%x:%x:%x:%x:%x:%x:%x:%x", (addr[0] << 8) | addr[1],
		 (addr[2] << 8) | addr[3], (addr[4] << 8) | addr[5],
		 (addr[6] << 8) | addr[7], (addr[8] << 8) | addr[9],
		 (addr[10] << 8) | addr[11], (addr[12] << 8) | addr[13],
		 (addr[14] << 8) | addr[15]);
	return buf;
}

static const char *obs_cli(const struct obs *o, char *buf)
{
	return addr_to_str(o->cli_addr, o->ip_ver, buf, ADDR_STR_LEN);
}

static const char *obs_srv(const struct obs *o, char *buf)
{
	return addr_to_str(o->srv_addr, o->ip_ver, buf, ADDR_STR_LEN);
}

/*
 * The box and the log line are written for every observation of an
 * offline run, so they are assembled here in a small buffer and handed
 * to stdio in one piece instead of going through printf field by field.
 * The bytes are those of the printf formats named beside each piece.
 */
struct wbuf {
	FILE *fp;
	size_t n;
	char b[2048];
};

static void wb_flush(struct wbuf *w)
{
	if (w->n)
		fwrite(w->b, 1, w->n, w->fp);
	w->n = 0;
}

static void wb_put(struct wbuf *w, const char *s, size_t len)
{
	if (len > sizeof(w->b) - w->n) {
		wb_flush(w);
		if (len >= sizeof(w->b)) {
			fwrite(s, 1, len, w->fp);
			return;
		}
	}
	memcpy(w->b + w->n, s, len);
	w->n += len;
}

/* "%s" (glibc prints a NULL string as "(null)") */
static void wb_str(struct wbuf *w, const char *s)
{
	if (!s)
		s = "(null)";
	wb_put(w, s, strlen(s));
}

/* "%-*s" */
static void wb_str_pad(struct wbuf *w, const char *s, size_t width)
{
	static const char spaces[] = "                ";
	size_t len;

	if (!s)
		s = "(null)";
	len = strlen(s);
	wb_put(w, s, len);
	while (len < width) {
		size_t k = width - len;

		if (k > sizeof(spaces) - 1)
			k = sizeof(spaces) - 1;
		wb_put(w, spaces, k);
		len += k;
	}
}

/* Room for n more bytes (n much smaller than the buffer). */
static char *wb_room(struct wbuf *w, size_t n)
{
	if (n > sizeof(w->b) - w->n)
		wb_flush(w);
	return w->b + w->n;
}

/* "%u": the digits are counted first and written in place, backwards */
static char *put_uint(char *p, unsigned v)
{
	unsigned n = 1, t = v;
	char *end;

	while (t >= 10) {
		t /= 10;
		n++;
	}
	end = p + n;
	p = end;
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

/* "%x" of a 16-bit group */
static char *put_hex16(char *p, unsigned v)
{
	static const char digits[] = "0123456789abcdef";
	int shift = 12;

	while (shift > 0 && !(v >> shift))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		*p++ = digits[(v >> shift) & 0xf];
	return p;
}

/*
 * "%s/%u" of an endpoint, the address as addr_to_str() writes it: dotted
 * quad, or eight uncompressed hex groups.
 */
static void wb_endpoint(struct wbuf *w, const u8 *a, u8 ip_ver, u16 port)
{
	char *start = wb_room(w, ADDR_STR_LEN), *p = start;
	int i;

	if (ip_ver == IP_VER4) {
		for (i = 0; i < 4; i++) {
			p = put_uint(p, a[i]);
			*p++ = '.';
		}
		p--; /* no dot after the last byte */
	} else {
		for (i = 0; i < 16; i += 2) {
			p = put_hex16(p, (unsigned)(a[i] << 8 | a[i + 1]));
			*p++ = ':';
		}
		p--;
	}
	*p++ = '/';
	p = put_uint(p, port);
	w->n += (size_t)(p - start);
}

static const char *field_val(const struct obs_field *f)
{
	return f->unknown ? "???" : f->val;
}

void out_box(FILE *fp, const struct obs *o)
{
	struct wbuf w = { .fp = fp };
	u32 i;

	/* ".-[ %s/%u -> %s/%u (%s) ]-\n|\n" */
	wb_put(&w, ".-[ ", 4);
	wb_endpoint(&w, o->cli_addr, o->ip_ver, o->cli_port);
	wb_put(&w, " -> ", 4);
	wb_endpoint(&w, o->srv_addr, o->ip_ver, o->srv_port);
	wb_put(&w, " (", 2);
	wb_str(&w, o->mod);
	wb_put(&w, ") ]-\n|\n", 7);
	/* "| %-8s = %s/%u\n" */
	if (o->to_srv) {
		wb_put(&w, "| client   = ", 13);
		wb_endpoint(&w, o->cli_addr, o->ip_ver, o->cli_port);
	} else {
		wb_put(&w, "| server   = ", 13);
		wb_endpoint(&w, o->srv_addr, o->ip_ver, o->srv_port);
	}
	wb_put(&w, "\n", 1);
	/* "| %-8s = %s\n" */
	for (i = 0; i < o->nfields && i < OBS_MAX_FIELDS; i++) {
		wb_put(&w, "| ", 2);
		wb_str_pad(&w, o->f[i].key, 8);
		wb_put(&w, " = ", 3);
		wb_str(&w, field_val(&o->f[i]));
		wb_put(&w, "\n", 1);
	}
	wb_put(&w, "|\n`----\n\n", 9);
	wb_flush(&w);
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
};

static const char *log_when(time_t t)
{
	static __thread struct when_cache c;
	struct tm tm;

	if (c.valid && c.t == t && c.zone == timezone &&
	    c.daylight == daylight && c.name[0] == tzname[0] &&
	    c.name[1] == tzname[1])
		return c.text;
	/* p0f stamps lines with the packet's second in local time */
	if (!localtime_r(&t, &tm) ||
	    !strftime(c.text, sizeof(c.text), "%Y/%m/%d %H:%M:%S", &tm))
		strcpy(c.text, "?");
	/* localtime_r() has set the zone globals this text depends on */
	c.valid = 1;
	c.t = t;
	c.zone = timezone;
	c.daylight = daylight;
	c.name[0] = tzname[0];
	c.name[1] = tzname[1];
	return c.text;
}

void out_log(FILE *fp, const struct obs *o)
{
	struct wbuf w = { .fp = fp };
	u32 i;

	/* "[%s] mod=%s|cli=%s/%u|srv=%s/%u|subj=%s" */
	wb_put(&w, "[", 1);
	wb_str(&w, log_when((time_t)(o->ts_ms / 1000)));
	wb_put(&w, "] mod=", 6);
	wb_str(&w, o->mod);
	wb_put(&w, "|cli=", 5);
	wb_endpoint(&w, o->cli_addr, o->ip_ver, o->cli_port);
	wb_put(&w, "|srv=", 5);
	wb_endpoint(&w, o->srv_addr, o->ip_ver, o->srv_port);
	wb_put(&w, o->to_srv ? "|subj=cli" : "|subj=srv", 9);
	/* "|%s=%s" */
	for (i = 0; i < o->nfields && i < OBS_MAX_FIELDS; i++) {
		wb_put(&w, "|", 1);
		wb_str(&w, o->f[i].key);
		wb_put(&w, "=", 1);
		wb_str(&w, field_val(&o->f[i]));
	}
	wb_put(&w, "\n", 1);
	wb_flush(&w);
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
 * Write s as a JSON string.  Bytes that are not valid UTF-8 (HTTP headers
 * can carry anything) are written as the Latin-1 code point of the byte,
 * so the output is always valid JSON and nothing is silently dropped.
 */
static void json_str(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), k;

	fputc('"', fp);
	while (n) {
		unsigned char c = *p;

		if (c == '"' || c == '\\') {
			fputc('\\', fp);
			fputc(c, fp);
		} else if (c == '\n') {
			fputs("\\n", fp);
		} else if (c == '\r') {
			fputs("\\r", fp);
		} else if (c == '\t') {
			fputs("\\t", fp);
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(fp, "\\u%04x", c);
		} else if (c < 0x80) {
			fputc(c, fp);
		} else if ((k = utf8_seq(p, n))) {
			fwrite(p, 1, k, fp);
			p += k;
			n -= k;
			continue;
		} else {
			fprintf(fp, "\\u%04x", c);
		}
		p++;
		n--;
	}
	fputc('"', fp);
}

static void json_str_or_null(FILE *fp, const char *s)
{
	if (s)
		json_str(fp, s);
	else
		fputs("null", fp);
}

static void json_key(FILE *fp, const char *k)
{
	fputc(',', fp);
	json_str(fp, k);
	fputc(':', fp);
}

/* Space-separated words as a list of strings; `none` is the empty list. */
static void json_words(FILE *fp, const char *s)
{
	const char *p = s, *end;
	char word[OBS_VAL_LEN];
	int first = 1;

	fputc('[', fp);
	if (strcmp(s, "none")) {
		while (*p) {
			while (*p == ' ')
				p++;
			if (!*p)
				break;
			end = strchr(p, ' ');
			if (!end)
				end = p + strlen(p);
			memcpy(word, p, end - p);
			word[end - p] = 0;
			if (!first)
				fputc(',', fp);
			json_str(fp, word);
			first = 0;
			p = end;
		}
	}
	fputc(']', fp);
}

static void json_label(FILE *fp, const struct obs *o, const char *text)
{
	const struct obs_label *l = &o->label;

	fputs("{\"text\":", fp);
	json_str(fp, text);
	if (l->set) {
		fputs(",\"class\":", fp);
		json_str_or_null(fp, l->is_app ? NULL : l->cls);
		fputs(",\"name\":", fp);
		json_str_or_null(fp, l->name);
		fputs(",\"flavor\":", fp);
		json_str_or_null(fp, l->flavor);
		fprintf(fp, ",\"generic\":%s,\"fuzzy\":%s",
			l->generic ? "true" : "false",
			l->fuzzy ? "true" : "false");
	}
	fputc('}', fp);
}

/* A number, or the text as a string when it is not one. */
static void json_uint(FILE *fp, const char *key, const char *v)
{
	char *end;
	unsigned long n = strtoul(v, &end, 10);

	json_key(fp, key);
	if (end != v && !*end)
		fprintf(fp, "%lu", n);
	else
		json_str(fp, v);
}

static void json_field(FILE *fp, const struct obs *o, const struct obs_field *f)
{
	const char *k = f->key, *v = f->val;
	unsigned d, h, m, mod, a, b, c, e;
	double hz;

	if (f->unknown) {
		json_key(fp, k);
		fputs(!strcmp(k, "params") || !strcmp(k, "reason") ? "[]" :
								     "null",
		      fp);
		return;
	}
	if (!strcmp(k, "os") || !strcmp(k, "app")) {
		json_key(fp, k);
		json_label(fp, o, v);
	} else if (!strcmp(k, "dist")) {
		/* "<= N" when the signature says the TTL is randomised */
		if (!strncmp(v, "<= ", 3)) {
			json_uint(fp, k, v + 3);
			fputs(",\"dist_max\":true", fp);
		} else {
			json_uint(fp, k, v);
		}
	} else if (!strcmp(k, "lang") && !strcmp(v, "none")) {
		json_key(fp, k); /* p0f's "none": no Accept-Language seen */
		fputs("null", fp);
	} else if (!strcmp(k, "raw_mtu")) {
		json_uint(fp, k, v);
	} else if (!strcmp(k, "params") || !strcmp(k, "reason")) {
		json_key(fp, k);
		json_words(fp, v);
	} else if (!strcmp(k, "raw_freq") && sscanf(v, "%lf", &hz) == 1) {
		json_key(fp, k);
		fprintf(fp, "%.2f", hz);
	} else if (!strcmp(k, "raw_hits") &&
		   sscanf(v, "%u,%u,%u,%u", &a, &b, &c, &e) == 4) {
		json_key(fp, k);
		fprintf(fp, "[%u,%u,%u,%u]", a, b, c, e);
	} else if (!strcmp(k, "uptime") &&
		   sscanf(v, "%u days %u hrs %u min (modulo %u days)", &d, &h,
			  &m, &mod) == 4) {
		json_key(fp, k);
		json_str(fp, v);
		fprintf(fp, ",\"uptime_min\":%llu,\"uptime_modulo_days\":%u",
			(unsigned long long)d * 1440 + h * 60 + m, mod);
	} else {
		json_key(fp, k);
		json_str(fp, v);
	}
}

void out_json(FILE *fp, const struct obs *o)
{
	char cli[ADDR_STR_LEN], srv[ADDR_STR_LEN], when[40];
	time_t t = (time_t)(o->ts_ms / 1000);
	struct tm tm;
	u32 i;

	if (!gmtime_r(&t, &tm) ||
	    !strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm))
		strcpy(when, "1970-01-01T00:00:00");
	fprintf(fp, "{\"ts\":\"%s.%03uZ\",\"ts_ms\":%" PRIu64 ",\"mod\":", when,
		(unsigned)(o->ts_ms % 1000), o->ts_ms);
	json_str(fp, o->mod ? o->mod : "");
	fprintf(fp, ",\"client\":{\"addr\":\"%s\",\"port\":%u}",
		obs_cli(o, cli), o->cli_port);
	fprintf(fp, ",\"server\":{\"addr\":\"%s\",\"port\":%u}",
		obs_srv(o, srv), o->srv_port);
	fprintf(fp, ",\"subj\":\"%s\"", o->to_srv ? "cli" : "srv");
	for (i = 0; i < o->nfields && i < OBS_MAX_FIELDS; i++)
		json_field(fp, o, &o->f[i]);
	fputs("}\n", fp);
}
