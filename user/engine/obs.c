// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Observations: the modules build one with obs_begin() / obs_add...() and
 * hand it to the caller's on_obs with obs_emit().
 *
 * Kept apart from the flow tables so that the fingerprinting modules and
 * their unit tests can emit observations without the dispatcher.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "flow.h"
#include "obs.h"

static inline size_t addr_len(u8 ip_ver)
{
	return ip_ver == IP_VER4 ? 4 : 16;
}

const char *const obs_mod_names[10] = {
	"syn",		 "syn+ack",	     "mtu",	    "uptime",
	"http request",	 "http response",    "host change", "ip sharing",
	"sendsyn probe", "sendsyn response",
};

int obs_mod_index(const char *mod)
{
	int i;

	if (!mod)
		return -1;
	/* called for every observation: compare pointers first (callers pass
	 * the names' literals), then only names with the same first letter */
	for (i = 0; i < 10; i++)
		if (obs_mod_names[i] == mod)
			return i;
	for (i = 0; i < 10; i++)
		if (obs_mod_names[i][0] == mod[0] &&
		    !strcmp(obs_mod_names[i], mod))
			return i;
	return -1;
}

/* --------------------------------------------------------- observations */

void obs_begin(struct engine *e, struct obs *o, const char *mod, u8 to_srv,
	       const struct flow *f)
{
	size_t n = addr_len(f->client->ip_ver);

	/* the value buffer is large: clear only the header */
	o->mod = mod;
	o->to_srv = to_srv;
	o->ip_ver = f->client->ip_ver;
	memset(o->cli_addr, 0, sizeof(o->cli_addr));
	memset(o->srv_addr, 0, sizeof(o->srv_addr));
	memcpy(o->cli_addr, f->client->addr, n);
	memcpy(o->srv_addr, f->server->addr, n);
	o->cli_port = f->cli_port;
	o->srv_port = f->srv_port;
	o->ts_ms = e->now_ms;
	o->nfields = 0;
	o->text_len = 0;
	memset(&o->label, 0, sizeof(o->label));
	o->subject = to_srv ? f->client : f->server;
}

/* Append at most `room - 1` bytes of s to dst; returns the bytes stored. */
static size_t put_str(char *dst, size_t pos, size_t room, const char *s)
{
	size_t n;

	if (!s)
		s = "(null)"; /* what printf's %s would have shown */
	n = strnlen(s, room - 1 - pos);
	memcpy(dst + pos, s, n);
	return n;
}

static size_t put_uint(char *dst, size_t pos, size_t room, unsigned v)
{
	char d[12];
	size_t i = sizeof(d), n;

	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	n = sizeof(d) - i;
	if (n > room - 1 - pos)
		n = room - 1 - pos;
	memcpy(dst + pos, d + i, n);
	return n;
}

/*
 * Formats made of literal text, %s and %u only (nearly every field the
 * engine adds) are expanded here without printf's machinery: this runs
 * several times for every SYN.  Returns the length, or -1 if the format
 * needs vsnprintf.  The result is what vsnprintf would write in `room`.
 */
static int fast_format(char *dst, size_t room, const char *fmt, va_list ap)
{
	const char *p;
	size_t pos = 0;

	for (p = fmt; *p; p++)
		if (*p == '%' && p[1] != 's' && p[1] != 'u')
			return -1;
	for (p = fmt; *p && pos < room - 1; p++) {
		if (*p != '%') {
			dst[pos++] = *p;
			continue;
		}
		p++;
		if (*p == 's')
			pos += put_str(dst, pos, room,
				       va_arg(ap, const char *));
		else
			pos += put_uint(dst, pos, room, va_arg(ap, unsigned));
	}
	dst[pos] = 0;
	return (int)pos;
}

void obs_add(struct obs *o, const char *key, const char *fmt, ...)
{
	struct obs_field *fl;
	size_t room = sizeof(o->text) - o->text_len;
	char *dst = o->text + o->text_len;
	va_list ap;
	int n;

	if (o->nfields >= OBS_MAX_FIELDS)
		return;
	if (!fmt) {
		obs_add_unknown(o, key);
		return;
	}
	if (room > OBS_VAL_LEN)
		room = OBS_VAL_LEN;
	if (room < 1)
		return;
	va_start(ap, fmt);
	if (fmt[0] == '%' && fmt[1] == 's' && !fmt[2]) {
		/* the most common format: a plain copy */
		n = (int)put_str(dst, 0, room, va_arg(ap, const char *));
		dst[n] = 0;
	} else {
		n = fast_format(dst, room, fmt, ap);
	}
	va_end(ap);
	if (n < 0) {
		va_start(ap, fmt);
		n = vsnprintf(dst, room, fmt, ap);
		va_end(ap);
		if (n < 0) {
			dst[0] = 0;
			n = 0;
		}
		if ((size_t)n > room - 1)
			n = (int)(room - 1);
	}
	fl = &o->f[o->nfields++];
	fl->key = key;
	fl->unknown = 0;
	fl->val = dst;
	o->text_len += (u32)n + 1;
}

char *obs_field_buf(struct obs *o, size_t *room)
{
	size_t r = sizeof(o->text) - o->text_len;

	if (o->nfields >= OBS_MAX_FIELDS || r < 1)
		return NULL;
	*room = r > OBS_VAL_LEN ? OBS_VAL_LEN : r;
	return o->text + o->text_len;
}

void obs_field_done(struct obs *o, const char *key, size_t len)
{
	struct obs_field *fl;
	char *dst = o->text + o->text_len;

	if (o->nfields >= OBS_MAX_FIELDS)
		return;
	dst[len] = 0;
	fl = &o->f[o->nfields++];
	fl->key = key;
	fl->unknown = 0;
	fl->val = dst;
	o->text_len += (u32)len + 1;
}

void obs_add_unknown(struct obs *o, const char *key)
{
	struct obs_field *fl;

	if (o->nfields >= OBS_MAX_FIELDS)
		return;
	fl = &o->f[o->nfields++];
	fl->key = key;
	fl->unknown = 1;
	fl->val = "???";
}

void obs_copy(struct obs *dst, const struct obs *src)
{
	u32 i;

	/* header and fields, then only the text in use */
	memcpy(dst, src, offsetof(struct obs, text));
	memcpy(dst->text, src->text, src->text_len);
	for (i = 0; i < src->nfields && i < OBS_MAX_FIELDS; i++) {
		const char *v = src->f[i].val;

		if (v >= src->text && v < src->text + src->text_len)
			dst->f[i].val = dst->text + (v - src->text);
	}
}

void obs_emit(struct engine *e, struct obs *o)
{
	int i = obs_mod_index(o->mod);

	if (i >= 0)
		e->st.obs_by_mod[i]++;
	if (e->on_obs)
		e->on_obs(e->obs_ctx, o);
	if (e->on_host && o->subject)
		e->on_host(e->host_ctx, o->subject);
}
