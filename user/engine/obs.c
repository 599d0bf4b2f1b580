// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Observations (obs_*), the NAT / host-change scoreboard and address text.
 *
 * Kept apart from the flow tables so that the fingerprinting modules and
 * their unit tests can emit observations without the dispatcher.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "engine.h"

static inline size_t addr_len(u8 ip_ver)
{
	return ip_ver == IP_VER4 ? 4 : 16;
}

static inline u32 now_sec(const struct engine *e)
{
	return (u32)(e->now_ms / 1000);
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

/* ------------------------------------------------------ NAT scoreboard */

static const struct {
	u16 bit;
	const char *name;
} nat_reason_names[] = {
	{ NAT_APP_SIG, "app_vs_os" }, { NAT_OS_SIG, "os_diff" },
	{ NAT_UNK_DIFF, "sig_diff" }, { NAT_TO_UNK, "x_known" },
	{ NAT_TS, "tstamp" },	      { NAT_TTL, "ttl" },
	{ NAT_PORT, "port" },	      { NAT_MSS, "mtu" },
	{ NAT_FUZZY, "fuzzy" },	      { NAT_APP_VIA, "via" },
	{ NAT_APP_DATE, "date" },     { NAT_APP_LB, "srv_sig_lb" },
	{ NAT_APP_UA, "ua_vs_os" },
};

static void nat_reason_text(u16 reason, char *buf, size_t len)
{
	size_t i, n, pos = 0;

	buf[0] = 0;
	for (i = 0; i < sizeof(nat_reason_names) / sizeof(nat_reason_names[0]);
	     i++) {
		if (!(reason & nat_reason_names[i].bit))
			continue;
		n = strlen(nat_reason_names[i].name);
		if (pos + !!pos + n + 1 > len)
			break;
		if (pos)
			buf[pos++] = ' ';
		memcpy(buf + pos, nat_reason_names[i].name, n + 1);
		pos += n;
	}
}

/*
 * Push a score onto the host's 32-slot board.  Many recent non-zero
 * scores mean several systems behind one address ("ip sharing"); a single
 * big one means the host changed ("host change").
 */
void add_nat_score(struct engine *e, u8 to_srv, const struct flow *f,
		   u16 reason, u8 score)
{
	struct host *h = to_srv ? f->client : f->server;
	u8 *board = to_srv ? h->cli_scores : h->srv_scores;
	u32 ge6 = 0, ge3 = 0, ge2 = 0, ge1 = 0, i;
	const char *mod;
	char text[160];
	struct obs o;

	memmove(board, board + 1, NAT_SCORES - 1);
	board[NAT_SCORES - 1] = score;
	h->nat_reasons |= reason;
	if (!score)
		return;

	for (i = 0; i < NAT_SCORES; i++) {
		ge6 += board[i] >= 6;
		ge3 += board[i] >= 3;
		ge2 += board[i] >= 2;
		ge1 += board[i] >= 1;
	}

	if (ge6 > 2 || ge3 > 4 || ge2 > 6 || ge1 > 8) {
		mod = "ip sharing";
		reason = h->nat_reasons;
		h->last_nat = now_sec(e);
		memset(board, 0, NAT_SCORES);
		h->nat_reasons = 0;
	} else {
		/* a score of one alone is too weak to report */
		if (score == 1)
			return;
		mod = "host change";
		h->last_chg = now_sec(e);
	}

	nat_reason_text(reason, text, sizeof(text));
	obs_begin(e, &o, mod, to_srv, f);
	if (text[0])
		obs_add(&o, "reason", "%s", text);
	else
		obs_add_unknown(&o, "reason");
	obs_add(&o, "raw_hits", "%u,%u,%u,%u", ge6, ge3, ge2, ge1);
	obs_emit(e, &o);
}

/* An application signature names the systems it runs on: check the OS. */
void verify_tool_class(struct engine *e, u8 to_srv, struct flow *f,
		       const u32 *sys, u32 sys_cnt)
{
	const struct host *h = to_srv ? f->client : f->server;
	u32 i;

	/* nothing known about the OS yet: nothing to contradict */
	if (h->last_class_id == -1)
		return;
	for (i = 0; i < sys_cnt; i++) {
		if (sys[i] & SYS_CLASS_FLAG) {
			if ((s32)SYS_NF(sys[i]) == h->last_class_id)
				break;
		} else if ((s32)SYS_NF(sys[i]) == h->last_name_id) {
			break;
		}
	}
	if (i == sys_cnt)
		add_nat_score(e, to_srv, f, NAT_APP_SIG, 4);
	else
		add_nat_score(e, to_srv, f, 0, 0);
}

/* ----------------------------------------------------------------- text */

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
