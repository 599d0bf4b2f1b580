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
#include "sigstore.h"
#include "strbuf.h"

static inline size_t addr_len(u8 ip_ver)
{
	return ip_ver == IP_VER4 ? 4 : 16;
}

const char *const obs_mod_names[OBS_MODS] = {
	"syn",		 "syn+ack",	     "mtu",	    "uptime",
	"http request",	 "http response",    "host change", "ip sharing",
	"sendsyn probe", "sendsyn response", "tls client",  "tls server",
};

int obs_mod_index(const char *mod)
{
	int i;

	if (!mod)
		return -1;
	/* called for every observation: compare pointers first (callers pass
	 * the names' literals), then only names with the same first letter */
	for (i = 0; i < OBS_MODS; i++)
		if (obs_mod_names[i] == mod)
			return i;
	for (i = 0; i < OBS_MODS; i++)
		if (obs_mod_names[i][0] == mod[0] &&
		    !strcmp(obs_mod_names[i], mod))
			return i;
	return -1;
}

/* --------------------------------------------------------- observations */

struct obs *obs_begin_at(struct engine *e, const char *mod, u8 to_srv,
			 const struct obs_ends *ends,
			 const struct host *subject)
{
	struct obs *o = e->obs;
	size_t n = addr_len(ends->ip_ver);

	/* the value buffer is large: clear only the header */
	o->mod = mod;
	o->ifname = e->meta ? e->meta->ifname : NULL;
	o->to_srv = to_srv;
	o->ip_ver = ends->ip_ver;
	memset(o->cli_addr, 0, sizeof(o->cli_addr));
	memset(o->srv_addr, 0, sizeof(o->srv_addr));
	memcpy(o->cli_addr, ends->cli, n);
	memcpy(o->srv_addr, ends->srv, n);
	o->cli_port = ends->cli_port;
	o->srv_port = ends->srv_port;
	o->ts_ms = e->now_ms;
	o->nfields = 0;
	o->text_len = 0;
	memset(&o->label, 0, sizeof(o->label));
	o->subject = subject;
	return o;
}

struct obs *obs_begin(struct engine *e, const char *mod, u8 to_srv,
		      const struct flow *f)
{
	struct obs_ends ends = {
		.ip_ver = f->client->ip_ver,
		.cli = f->client->addr,
		.srv = f->server->addr,
		.cli_port = f->cli_port,
		.srv_port = f->srv_port,
	};

	return obs_begin_at(e, mod, to_srv, &ends,
			    to_srv ? f->client : f->server);
}

void obs_field_begin(struct obs *o, struct strbuf *sb)
{
	size_t room = sizeof(o->text) - o->text_len;

	if (o->nfields >= OBS_MAX_FIELDS || room < 1) {
		sb_init(sb, NULL, 0);
		return;
	}
	sb_init(sb, o->text + o->text_len,
		room > OBS_VAL_LEN ? OBS_VAL_LEN : room);
}

void obs_field_end(struct obs *o, const char *key, const struct strbuf *sb)
{
	struct obs_field *fl;

	if (!sb->cap || o->nfields >= OBS_MAX_FIELDS)
		return;
	fl = &o->f[o->nfields++];
	fl->key = key;
	fl->unknown = 0;
	fl->val = sb->buf;
	fl->val_len = (u32)sb->len;
	o->text_len += (u32)sb->len + 1;
}

/*
 * Formats made of literal text, %s and %u only (nearly every field the
 * engine adds) are expanded here without printf's machinery: this runs
 * several times for every SYN.  Returns 0 if the format needs printf.
 */
static int simple_format(struct strbuf *sb, const char *fmt, va_list ap)
{
	const char *p;

	for (p = fmt; *p; p++)
		if (*p == '%' && p[1] != 's' && p[1] != 'u')
			return 0;
	for (p = fmt; *p; p++) {
		if (*p != '%') {
			sb_ch(sb, *p); /* literal runs are a few chars */
			continue;
		}
		p++;
		if (*p == 's')
			sb_str(sb, va_arg(ap, const char *));
		else
			sb_u(sb, va_arg(ap, unsigned));
	}
	return 1;
}

void obs_add(struct obs *o, const char *key, const char *fmt, ...)
{
	struct strbuf sb;
	va_list ap;

	if (!fmt) {
		obs_add_unknown(o, key);
		return;
	}
	obs_field_begin(o, &sb);
	if (!sb.cap)
		return;
	va_start(ap, fmt);
	if (fmt[0] == '%' && fmt[1] == 's' && !fmt[2])
		sb_str(&sb, va_arg(ap, const char *)); /* the most common */
	else if (!simple_format(&sb, fmt, ap))
		sb_vprintf(&sb, fmt, ap);
	va_end(ap);
	obs_field_end(o, key, &sb);
}

void obs_add_match(struct obs *o, const struct sigdb *db, const char *key,
		   const struct sig_label *lb)
{
	struct obs_label *l = &o->label;

	l->set = 1;
	l->generic = lb->generic;
	l->cls = (lb->class_id >= 0 && (u32)lb->class_id < db->class_cnt) ?
			 db->classes[lb->class_id] :
			 NULL;
	l->name = (lb->name_id >= 0 && (u32)lb->name_id < db->name_cnt) ?
			  db->names[lb->name_id] :
			  "";
	l->flavor = lb->flavor;
	obs_add(o, key, "%s%s%s", l->name, l->flavor ? " " : "",
		l->flavor ? l->flavor : "");
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
	fl->val_len = 3;
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
