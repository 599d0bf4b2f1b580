// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * raw_sig -> `sig =` line, and each part of it in plain words.
 *
 * A raw_sig is what the packet showed ("4:57+7:0:1460:mss*44,8:...");
 * a database line says what the stack does.  The differences follow the
 * advice of p0f's README for new signatures:
 *   ver    '*' for an IPv4 SYN: one line then also covers IPv6 SYNs of the
 *          stack that carry no flow label (the IPv4-only quirks df, id+
 *          and id- are not required of IPv6 packets).  An IPv6 SYN keeps
 *          '6': it says nothing about what the stack does over IPv4.
 *   ittl   the initial TTL p0f guessed (seen TTL + hops).
 *   mss    '*' where a link decides it (1200..1460, the range of
 *          Ethernet, PPPoE, tunnels and VPNs): the [mtu] section names
 *          the link instead.  Anything else is copied.
 *   the rest is copied: p0f already wrote the window as a multiple of
 *   the MSS or MTU where it is one.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "user/engine/engine.h"
#include "user/sigtext.h"

/* MSS values a link, not the stack, decides (see above). */
#define LINK_MSS_MIN 1200
#define LINK_MSS_MAX 1460

struct word {
	const char *name;
	const char *text;
};

static const struct word opt_words[] = {
	{ "mss", "maximum segment size: the largest segment it accepts" },
	{ "nop", "no-op: one byte of padding" },
	{ "ws", "window scale" },
	{ "sok", "selective acknowledgement permitted" },
	{ "sack", "selective acknowledgement blocks (odd in a SYN)" },
	{ "ts", "timestamps" },
};

static const struct word quirk_words[] = {
	{ "df", "IPv4 \"don't fragment\" set (path MTU discovery)" },
	{ "id+", "IPv4 ID not zero although DF is set" },
	{ "id-", "IPv4 ID zero without DF" },
	{ "ecn", "ECN flags set: it offers explicit congestion notification" },
	{ "0+", "the IPv4 header's must-be-zero bit is set" },
	{ "flow", "IPv6 flow label not zero" },
	{ "seq-", "sequence number zero" },
	{ "ack+", "acknowledgement number not zero without the ACK flag" },
	{ "ack-", "ACK flag with a zero acknowledgement number" },
	{ "uptr+", "urgent pointer not zero without the URG flag" },
	{ "urgf+", "URG flag set" },
	{ "pushf+", "PUSH flag set" },
	{ "ts1-", "its own timestamp is zero" },
	{ "ts2+", "echoed timestamp not zero on an opening SYN" },
	{ "opt+", "non-zero bytes after the end of the options" },
	{ "exws", "window scale above 14, more than TCP allows" },
	{ "bad", "malformed TCP options" },
};

#define N_WORDS(t) (sizeof(t) / sizeof((t)[0]))

static const char *lookup(const struct word *t, size_t n, const char *w,
			  size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(t[i].name) == len && !strncmp(t[i].name, w, len))
			return t[i].text;
	return NULL;
}

/* ------------------------------------------------------------- parse */

/* A decimal number ending at one of `ends`; *s moves past it. */
static int take_num(const char **s, const char *ends, long max, long *out)
{
	char *e;

	if (!isdigit((unsigned char)**s))
		return -EINVAL;
	*out = strtol(*s, &e, 10);
	if (*out > max || !*e || !strchr(ends, *e))
		return -EINVAL;
	*s = e;
	return 0;
}

/* Text up to the next ':' into buf; *s moves past the ':'. */
static int take_text(const char **s, char *buf, size_t len)
{
	const char *c = strchr(*s, ':');

	if (!c || (size_t)(c - *s) >= len)
		return -EINVAL;
	memcpy(buf, *s, c - *s);
	buf[c - *s] = 0;
	*s = c + 1;
	return 0;
}

static int parse_head(const char **s, struct raw_sig *r)
{
	long n;

	if (((*s)[0] != '4' && (*s)[0] != '6') || (*s)[1] != ':')
		return -EINVAL;
	r->ver = (uint8_t)((*s)[0] - '0');
	*s += 2;
	if (take_num(s, "+", 255, &n))
		return -EINVAL;
	r->ttl = (uint8_t)n;
	(*s)++;
	if (**s == '?') {
		r->dist = -1;
		(*s)++;
	} else if (!take_num(s, ":", 255, &n)) {
		r->dist = (int16_t)n;
	} else {
		return -EINVAL;
	}
	if (*(*s)++ != ':' || take_num(s, ":", 255, &n))
		return -EINVAL;
	r->olen = (uint8_t)n;
	(*s)++;
	if (**s == '*' && (*s)[1] == ':') {
		r->mss = -1;
		*s += 2;
		return 0;
	}
	if (take_num(s, ":", 65535, &n))
		return -EINVAL;
	r->mss = (int32_t)n;
	(*s)++;
	return 0;
}

int rawsig_parse(const char *s, struct raw_sig *r, char *err, size_t errlen)
{
	const char *p = s, *comma;
	long n;

	memset(r, 0, sizeof(*r));
	while (isspace((unsigned char)*p))
		p++;
	if (parse_head(&p, r))
		goto bad;
	comma = strchr(p, ',');
	if (!comma || (size_t)(comma - p) >= sizeof(r->win) || comma == p)
		goto bad;
	memcpy(r->win, p, comma - p);
	p = comma + 1;
	if (take_num(&p, ":", 255, &n))
		goto bad;
	r->ws = (uint8_t)n;
	p++;
	if (take_text(&p, r->layout, sizeof(r->layout)) ||
	    take_text(&p, r->quirks, sizeof(r->quirks)))
		goto bad;
	if ((*p != '0' && *p != '+') || (p[1] && !isspace((unsigned char)p[1])))
		goto bad;
	r->pclass = *p;
	return 0;
bad:
	return errmsg(err, errlen,
		      "'%s' is not a TCP raw_sig "
		      "(ver:ttl+dist:olen:mss:win,ws:options:quirks:payload)",
		      s);
}

/* -------------------------------------------------------------- lines */

unsigned int rawsig_ittl(const struct raw_sig *r)
{
	unsigned int t = r->ttl;

	if (r->dist >= 0)
		return t + (unsigned int)r->dist;
	/* p0f's guess, the hop count of which it would not print */
	return t <= 32 ? 32 : t <= 64 ? 64 : t <= 128 ? 128 : 255;
}

static int link_mss(const struct raw_sig *r)
{
	return r->mss >= LINK_MSS_MIN && r->mss <= LINK_MSS_MAX;
}

void rawsig_to_sig(const struct raw_sig *r, bool exact_ver, char *out,
		   size_t len)
{
	char mss[16];

	if (r->mss < 0 || link_mss(r))
		snprintf(mss, sizeof(mss), "*");
	else
		snprintf(mss, sizeof(mss), "%d", (int)r->mss);
	snprintf(out, len, "%s:%u:%u:%s:%s,%u:%s:%s:%c",
		 r->ver == 6 ? "6" :
		 exact_ver   ? "4" :
			       "*",
		 rawsig_ittl(r), (unsigned)r->olen, mss, r->win,
		 (unsigned)r->ws, r->layout, r->quirks, r->pclass);
}

void rawsig_label(const struct raw_sig *r, char *out, size_t len)
{
	unsigned int t = rawsig_ittl(r);

	snprintf(out, len, "label = s:%s:NAME:FLAVOR",
		 t == 128	       ? "win" :
		 (t == 64 || t == 255) ? "unix" :
					 "other");
}

/* ------------------------------------------------------------ explain */

#define EXPL(fp, field, val, ...)                          \
	do {                                               \
		fprintf(fp, ";   %-7s %-9s ", field, val); \
		fprintf(fp, __VA_ARGS__);                  \
		fputc('\n', fp);                           \
	} while (0)

static void explain_head(FILE *fp, const struct raw_sig *r, const char *pkt,
			 bool exact_ver)
{
	char v[16];

	if (r->ver == 4 && exact_ver)
		EXPL(fp, "ver", "4",
		     "an IPv4 %s, written 4: a '*' line above with IPv4 "
		     "quirks would cover a '*' line for it",
		     pkt);
	else if (r->ver == 4)
		EXPL(fp, "ver", "*",
		     "an IPv4 %s; '*' also covers the stack's IPv6 ones "
		     "without a flow label (write 4 to leave them out)",
		     pkt);
	else
		EXPL(fp, "ver", "6",
		     "an IPv6 %s: it says nothing of the stack's IPv4 "
		     "quirks",
		     pkt);
	snprintf(v, sizeof(v), "%u", rawsig_ittl(r));
	if (r->dist >= 0)
		EXPL(fp, "ittl", v, "initial TTL: seen %u, %d hops away",
		     (unsigned)r->ttl, (int)r->dist);
	else
		EXPL(fp, "ittl", v,
		     "initial TTL guessed: seen %u, too far for p0f to count "
		     "the hops; check with traceroute (until then the match "
		     "is fuzzy)",
		     (unsigned)r->ttl);
	snprintf(v, sizeof(v), "%u", (unsigned)r->olen);
	EXPL(fp, "olen", v, "%s",
	     r->olen ? "bytes of IP options or IPv6 extension headers" :
		       "no IP options");
	snprintf(v, sizeof(v), "%d", (int)r->mss);
	if (r->mss < 0)
		EXPL(fp, "mss", "*", "the answer to a p0f-sendsyn probe");
	else if (link_mss(r))
		EXPL(fp, "mss", "*",
		     "seen %d: the link decides the MSS, and [mtu] names it",
		     (int)r->mss);
	else if (!r->mss)
		EXPL(fp, "mss", "0", "no MSS option");
	else
		EXPL(fp, "mss", v,
		     "copied: outside %d..%d, so likely the stack's own",
		     LINK_MSS_MIN, LINK_MSS_MAX);
}

static void explain_window(FILE *fp, const struct raw_sig *r, bool synack)
{
	char v[16];
	long n = strtol(r->win + 4, NULL, 10);

	/* p0f divides the window by the first that fits of: the MSS (the
	 * SYN's, for a SYN+ACK), the MSS less 12 with timestamps, 1460 and
	 * 1448 (an Ethernet MTU); so the window itself is not in raw_sig */
	if (!strncmp(r->win, "mss*", 4))
		EXPL(fp, "window", r->win,
		     "%ld x the %sMSS (or it less 12 with timestamps, or "
		     "1460): a stack that sends one fixed window whatever "
		     "the MSS is better written as that number",
		     n, synack ? "SYN's " : "");
	else if (!strncmp(r->win, "mtu*", 4))
		EXPL(fp, "window", r->win, "%ld x the MTU (MSS + headers)", n);
	else
		EXPL(fp, "window", r->win, "a fixed window, as sent");
	snprintf(v, sizeof(v), "%u", (unsigned)r->ws);
	if (strstr(r->layout, "ws"))
		EXPL(fp, "scale", v, "window scale: a factor of 2^%u",
		     (unsigned)r->ws);
	else
		EXPL(fp, "scale", v, "no window scale option");
}

/* One line per comma-separated item of list, from the table t. */
static void explain_list(FILE *fp, const char *field, const char *list,
			 const struct word *t, size_t n)
{
	const char *w = list, *e, *txt;
	char item[32];
	size_t len;

	while (*w) {
		e = strchr(w, ',');
		len = e ? (size_t)(e - w) : strlen(w);
		snprintf(item, sizeof(item), "%.*s", (int)len, w);
		txt = lookup(t, n, w, len);
		if (txt)
			EXPL(fp, field, item, "%s", txt);
		else if (!strncmp(item, "eol+", 4))
			EXPL(fp, field, item,
			     "end of options, then %s bytes of padding",
			     item + 4);
		else if (item[0] == '?')
			EXPL(fp, field, item, "option kind %s, unknown to p0f",
			     item + 1);
		else
			EXPL(fp, field, item, "?");
		w += len;
		if (*w == ',')
			w++;
	}
}

void rawsig_explain(FILE *fp, const struct raw_sig *r, bool synack,
		    bool exact_ver)
{
	const char *pkt = synack ? "SYN+ACK" : "SYN";

	explain_head(fp, r, pkt, exact_ver);
	explain_window(fp, r, synack);
	if (!r->layout[0])
		EXPL(fp, "options", "", "none");
	explain_list(fp, "option", r->layout, opt_words, N_WORDS(opt_words));
	if (!r->quirks[0])
		EXPL(fp, "quirks", "", "none");
	explain_list(fp, "quirk", r->quirks, quirk_words, N_WORDS(quirk_words));
	EXPL(fp, "payload", r->pclass == '+' ? "+" : "0", "%s in the %s",
	     r->pclass == '+' ? "data (TCP Fast Open)" : "no data", pkt);
}
