// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Configuration file (/etc/osprey/osprey.conf): "KEY = VALUE" lines, '#'
 * comments, blank lines ignored.  Keys may use '-' or '_'.  Values may be
 * double-quoted.  `interface` and `policy` may repeat (and `interface`
 * takes a comma/space separated list); any other key repeated: last wins.
 *
 * Also the parser of policy rule text (user/policy.h), kept here because
 * both the config file and `osprey policy` use it and this file is pure C
 * (no libbpf), so tests/unit/test_config.c compiles it directly.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "user/config.h"
#include "user/labelhash.h"
#include "user/policy.h"

#define CONF_LINE_MAX 1024

/*
 * Strings handed out in struct osprey_opts live as long as the process
 * (the CLI mixes them with argv pointers, so nobody can free per field).
 * Keeping them on one list keeps them reachable and lets config_release()
 * free them all, e.g. at the end of a test.
 */
struct conf_str {
	struct conf_str *next;
	char s[];
};
static struct conf_str *conf_strings;

static const char *conf_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	struct conf_str *c = malloc(sizeof(*c) + n);

	if (!c)
		return NULL;
	memcpy(c->s, s, n);
	c->next = conf_strings;
	conf_strings = c;
	return c->s;
}

void config_release(void)
{
	while (conf_strings) {
		struct conf_str *c = conf_strings;

		conf_strings = c->next;
		free(c);
	}
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* ------------------------------------------------------------------ */
/* Value parsers: 0 or -EINVAL/-ERANGE, message in err.               */
/* ------------------------------------------------------------------ */

/* Unsigned 32-bit number, decimal or 0x hex, optional k/m/g (x1024). */
static int parse_u32(const char *s, uint32_t min, uint32_t max, bool suffix,
		     uint32_t *out, char *err, size_t errlen)
{
	unsigned long long v;
	char *end;

	if (!*s || *s == '-' || *s == '+') {
		errmsg(err, errlen, "'%s' is not a number", s);
		return -EINVAL;
	}
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s) {
		errmsg(err, errlen, "'%s' is not a number", s);
		return -EINVAL;
	}
	if (suffix && *end) {
		int shift = 0;

		switch (tolower((unsigned char)*end)) {
		case 'k':
			shift = 10;
			break;
		case 'm':
			shift = 20;
			break;
		case 'g':
			shift = 30;
			break;
		}
		if (shift && !end[1] && v <= (ULLONG_MAX >> shift)) {
			v <<= shift;
			end++;
		}
	}
	if (*end) {
		errmsg(err, errlen, "'%s' is not a number", s);
		return -EINVAL;
	}
	if (v < min || v > max) {
		errmsg(err, errlen, "%s out of range %u..%u", s, min, max);
		return -ERANGE;
	}
	*out = (uint32_t)v;
	return 0;
}

static int parse_bool(const char *s, bool *out, char *err, size_t errlen)
{
	static const char *const yes[] = { "1", "yes", "true", "on" };
	static const char *const no[] = { "0", "no", "false", "off" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcasecmp(s, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcasecmp(s, no[i])) {
			*out = false;
			return 0;
		}
	}
	errmsg(err, errlen, "'%s' is not a boolean (yes/no)", s);
	return -EINVAL;
}

static int parse_str(const char *s, const char **out, char *err, size_t errlen)
{
	const char *c;

	if (!*s) {
		errmsg(err, errlen, "empty value");
		return -EINVAL;
	}
	c = conf_strdup(s);
	if (!c) {
		errmsg(err, errlen, "out of memory");
		return -ENOMEM;
	}
	*out = c;
	return 0;
}

static int parse_xdp_mode(const char *s, enum xdp_mode_opt *out, char *err,
			  size_t errlen)
{
	if (!strcmp(s, "auto"))
		*out = XDP_MODE_AUTO;
	else if (!strcmp(s, "native") || !strcmp(s, "drv"))
		*out = XDP_MODE_NATIVE;
	else if (!strcmp(s, "generic") || !strcmp(s, "skb"))
		*out = XDP_MODE_GENERIC;
	else {
		errmsg(err, errlen,
		       "xdp mode '%s': expected auto|native|generic", s);
		return -EINVAL;
	}
	return 0;
}

/* "eth0, eth1 eth2": appends each name to o->ifaces. */
static int parse_ifaces(const char *s, struct osprey_opts *o, char *err,
			size_t errlen)
{
	char buf[CONF_LINE_MAX], *tok, *save = NULL;
	int rc;

	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ", \t", &save); tok;
	     tok = strtok_r(NULL, ", \t", &save)) {
		if (strlen(tok) >= 16) { /* IFNAMSIZ */
			errmsg(err, errlen, "interface name '%s' too long",
			       tok);
			return -EINVAL;
		}
		if (o->n_ifaces >= OSPREY_MAX_IFACES) {
			errmsg(err, errlen, "more than %d interfaces",
			       OSPREY_MAX_IFACES);
			return -E2BIG;
		}
		rc = parse_str(tok, &o->ifaces[o->n_ifaces], err, errlen);
		if (rc)
			return rc;
		o->n_ifaces++;
	}
	if (!o->n_ifaces) {
		errmsg(err, errlen, "empty interface list");
		return -EINVAL;
	}
	return 0;
}

static int add_policy(const char *s, struct osprey_opts *o, char *err,
		      size_t errlen)
{
	struct policy_rule r;
	int rc;

	/* Validate now, so a typo is reported with its line number. */
	rc = policy_rule_parse(s, &r, err, errlen);
	if (rc)
		return rc;
	if (o->n_policy >= OSPREY_MAX_POLICY) {
		errmsg(err, errlen, "more than %d policy rules",
		       OSPREY_MAX_POLICY);
		return -E2BIG;
	}
	rc = parse_str(s, &o->policy_rules[o->n_policy], err, errlen);
	if (!rc)
		o->n_policy++;
	return rc;
}

/* ------------------------------------------------------------------ */
/* Keys                                                                */
/* ------------------------------------------------------------------ */

enum key_type { K_STR, K_BOOL, K_U32, K_SIZE, K_INT, K_SPECIAL };

struct conf_key {
	const char *name;
	enum key_type type;
	size_t off; /* offset in struct osprey_opts */
	uint32_t min, max; /* K_U32 / K_SIZE / K_INT */
};

#define OFF(f) offsetof(struct osprey_opts, f)

static const struct conf_key conf_keys[] = {
	{ "interface", K_SPECIAL, 0, 0, 0 },
	{ "interfaces", K_SPECIAL, 0, 0, 0 },
	{ "policy", K_SPECIAL, 0, 0, 0 },
	{ "xdp_mode", K_SPECIAL, 0, 0, 0 },
	{ "database", K_STR, OFF(db_path), 0, 0 },
	{ "log_file", K_STR, OFF(log_file), 0, 0 },
	{ "api_socket", K_STR, OFF(api_sock), 0, 0 },
	{ "api_clients", K_INT, OFF(api_max_clients), 1, 100 },
	{ "max_connections", K_U32, OFF(eng.max_conn), 1, 100000 },
	{ "max_hosts", K_U32, OFF(eng.max_hosts), 1, 500000 },
	{ "conn_max_age", K_U32, OFF(eng.conn_max_age), 1, 1000000 },
	{ "host_idle_limit", K_U32, OFF(eng.host_idle_limit), 1, 1000000 },
	{ "pin_dir", K_STR, OFF(pin_dir), 0, 0 },
	{ "user", K_STR, OFF(user), 0, 0 },
	{ "group", K_STR, OFF(group), 0, 0 },
	{ "json", K_BOOL, OFF(json), 0, 0 },
	{ "daemon", K_BOOL, OFF(daemon), 0, 0 },
	{ "quiet", K_BOOL, OFF(quiet), 0, 0 },
	{ "promisc", K_BOOL, OFF(promisc), 0, 0 },
	{ "verbose", K_INT, OFF(verbose), 0, 5 },
	{ "xdp_policy", K_BOOL, OFF(xdp_policy), 0, 0 },
	{ "flow_entries", K_U32, OFF(flow_entries), 64, 16777216 },
	{ "flow_budget", K_SIZE, OFF(flow_budget), 0, 1048576 },
	{ "flow_age", K_U32, OFF(flow_age), 1, 86400 },
	{ "ringbuf_bytes", K_SIZE, OFF(ringbuf_bytes), 4096, 1u << 30 },
	{ "port_allow", K_STR, OFF(port_allow), 0, 0 },
	{ "port_deny", K_STR, OFF(port_deny), 0, 0 },
	{ "net_allow", K_STR, OFF(net_allow), 0, 0 },
	{ "net_deny", K_STR, OFF(net_deny), 0, 0 },
	{ "filter", K_STR, OFF(filter), 0, 0 },
};

static int set_key(const struct conf_key *k, const char *v,
		   struct osprey_opts *o, char *err, size_t errlen)
{
	char *field = (char *)o + k->off;
	uint32_t u;
	int rc;

	switch (k->type) {
	case K_STR:
		return parse_str(v, (const char **)field, err, errlen);
	case K_BOOL:
		return parse_bool(v, (bool *)field, err, errlen);
	case K_U32:
	case K_SIZE:
	case K_INT:
		rc = parse_u32(v, k->min, k->max, k->type == K_SIZE, &u, err,
			       errlen);
		if (rc)
			return rc;
		/* the ring buffer must be a power of two (kernel rule) */
		if (k->off == OFF(ringbuf_bytes) && (u & (u - 1))) {
			errmsg(err, errlen, "%s is not a power of two", v);
			return -EINVAL;
		}
		if (k->type == K_INT)
			*(int *)field = (int)u;
		else
			*(uint32_t *)field = u;
		return 0;
	case K_SPECIAL:
		break;
	}
	if (!strncmp(k->name, "interface", 9))
		return parse_ifaces(v, o, err, errlen);
	if (!strcmp(k->name, "policy"))
		return add_policy(v, o, err, errlen);
	return parse_xdp_mode(v, &o->xdp_mode, err, errlen);
}

static const struct conf_key *find_key(const char *name)
{
	char norm[64];
	size_t i;

	if (strlen(name) >= sizeof(norm))
		return NULL;
	for (i = 0; name[i]; i++)
		norm[i] = name[i] == '-' ?
				  '_' :
				  (char)tolower((unsigned char)name[i]);
	norm[i] = '\0';
	for (i = 0; i < sizeof(conf_keys) / sizeof(conf_keys[0]); i++)
		if (!strcmp(conf_keys[i].name, norm))
			return &conf_keys[i];
	return NULL;
}

/* Remove one pair of surrounding double quotes. */
static char *unquote(char *v)
{
	size_t n = strlen(v);

	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		v[n - 1] = '\0';
		return v + 1;
	}
	return v;
}

/* Strip a '#' comment that is not inside double quotes. */
static void strip_comment(char *s)
{
	bool q = false;

	for (; *s; s++) {
		if (*s == '"')
			q = !q;
		else if (*s == '#' && !q) {
			*s = '\0';
			return;
		}
	}
}

static int config_line(char *line, struct osprey_opts *o, char *msg,
		       size_t msglen)
{
	const struct conf_key *k;
	char *eq, *key, *val;

	strip_comment(line);
	key = trim(line);
	if (!*key)
		return 0;
	eq = strchr(key, '=');
	if (!eq) {
		errmsg(msg, msglen, "expected KEY = VALUE");
		return -EINVAL;
	}
	*eq = '\0';
	key = trim(key);
	val = unquote(trim(eq + 1));
	k = find_key(key);
	if (!k) {
		errmsg(msg, msglen, "unknown key '%s'", key);
		return -EINVAL;
	}
	if (!*val) {
		errmsg(msg, msglen, "%s: empty value", key);
		return -EINVAL;
	}
	return set_key(k, val, o, msg, msglen);
}

int config_load(const char *path, struct osprey_opts *o, char *err,
		size_t errlen)
{
	char *line = NULL, msg[256];
	unsigned int lineno = 0;
	size_t cap = 0;
	ssize_t n;
	FILE *f;
	int rc = 0;

	f = fopen(path, "re");
	if (!f) {
		rc = -errno;
		errmsg(err, errlen, "%s: %s", path, strerror(errno));
		return rc;
	}
	while ((n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (n && line[n - 1] == '\n')
			line[--n] = '\0';
		if ((size_t)n > CONF_LINE_MAX) {
			errmsg(err, errlen, "%s:%u: line longer than %d bytes",
			       path, lineno, CONF_LINE_MAX);
			rc = -EINVAL;
			goto cleanup;
		}
		if (strlen(line) != (size_t)n) {
			errmsg(err, errlen, "%s:%u: NUL byte in line", path,
			       lineno);
			rc = -EINVAL;
			goto cleanup;
		}
		rc = config_line(line, o, msg, sizeof(msg));
		if (rc) {
			errmsg(err, errlen, "%s:%u: %s", path, lineno, msg);
			rc = -EINVAL;
			goto cleanup;
		}
	}
	if (ferror(f)) {
		errmsg(err, errlen, "%s: read error", path);
		rc = -EIO;
	}
cleanup:
	free(line);
	fclose(f);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Policy rule text                                                    */
/* ------------------------------------------------------------------ */

int policy_quality_parse(const char *s)
{
	if (!strcmp(s, "any"))
		return OSPREY_PQ_ANY;
	if (!strcmp(s, "not-fuzzy") || !strcmp(s, "not_fuzzy"))
		return OSPREY_PQ_NOT_FUZZY;
	if (!strcmp(s, "exact"))
		return OSPREY_PQ_EXACT;
	return -EINVAL;
}

const char *policy_quality_name(unsigned int q)
{
	switch (q) {
	case OSPREY_PQ_ANY:
		return "any";
	case OSPREY_PQ_NOT_FUZZY:
		return "not-fuzzy";
	case OSPREY_PQ_EXACT:
		return "exact";
	}
	return "?";
}

/* Characters a label may not contain: they would break the text form. */
static bool selector_text_ok(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == '"' || *s == 0x7f)
			return false;
	return true;
}

int policy_selector_parse(const char *sel, struct policy_rule *r, char *err,
			  size_t errlen)
{
	const char *v = strchr(sel, ':');

	memset(&r->key, 0, sizeof(r->key));
	if (strlen(sel) >= sizeof(r->text) || !selector_text_ok(sel)) {
		errmsg(err, errlen, "selector '%.40s' too long or invalid",
		       sel);
		return -EINVAL;
	}
	if (!strcmp(sel, "unknown") || !strcmp(sel, "any")) {
		r->key.kind =
			sel[0] == 'u' ? OSPREY_POL_UNKNOWN : OSPREY_POL_ANY;
		snprintf(r->text, sizeof(r->text), "%s", sel);
		return 0;
	}
	if (!v || !v[1]) {
		errmsg(err, errlen,
		       "selector '%s': expected class:C, name:N, "
		       "label:CLASS:NAME:FLAVOR, unknown or any",
		       sel);
		return -EINVAL;
	}
	v++;
	if (!strncmp(sel, "class:", 6)) {
		r->key.kind = OSPREY_POL_CLASS;
		r->key.id = osprey_fnv1a(v);
	} else if (!strncmp(sel, "name:", 5)) {
		r->key.kind = OSPREY_POL_NAME;
		r->key.id = osprey_fnv1a(v);
	} else if (!strncmp(sel, "label:", 6)) {
		/* class:name:flavor, flavor possibly empty; hash it whole */
		const char *c2 = strchr(v, ':');

		if (!c2 || !strchr(c2 + 1, ':')) {
			errmsg(err, errlen,
			       "label '%s': expected CLASS:NAME:FLAVOR "
			       "(flavor may be empty)",
			       v);
			return -EINVAL;
		}
		r->key.kind = OSPREY_POL_LABEL;
		r->key.id = osprey_fnv1a(v);
	} else {
		errmsg(err, errlen, "selector '%s': unknown kind", sel);
		return -EINVAL;
	}
	snprintf(r->text, sizeof(r->text), "%s", sel);
	return 0;
}

/* One option token; 1 if it was an option, 0 if not, -EINVAL if bad. */
static int rule_option(const char *tok, struct policy_rule *r, char *err,
		       size_t errlen)
{
	uint32_t v;
	int q;

	if (!strncmp(tok, "mark=", 5)) {
		if (parse_u32(tok + 5, 0, UINT32_MAX, false, &v, err, errlen))
			return -EINVAL;
		r->val.mark = v;
		r->val.action |= OSPREY_ACT_MARK;
		return 1;
	}
	if (!strncmp(tok, "quality=", 8)) {
		q = policy_quality_parse(tok + 8);
		if (q < 0) {
			errmsg(err, errlen,
			       "quality '%s': expected any|not-fuzzy|exact",
			       tok + 8);
			return -EINVAL;
		}
		r->val.min_quality = (uint8_t)q;
		return 1;
	}
	if (!strcmp(tok, "drop-syn") || !strcmp(tok, "drop_syn")) {
		r->val.action |= OSPREY_ACT_DROP_SYN;
		return 1;
	}
	if (!strcmp(tok, "match")) {
		r->val.action |= OSPREY_ACT_MATCH;
		return 1;
	}
	return 0;
}

int policy_rule_parse(const char *spec, struct policy_rule *r, char *err,
		      size_t errlen)
{
	char buf[CONF_LINE_MAX], *sel, *end, *sp;
	int rc;

	memset(r, 0, sizeof(*r));
	if (strlen(spec) >= sizeof(buf)) {
		errmsg(err, errlen, "rule too long");
		return -EINVAL;
	}
	snprintf(buf, sizeof(buf), "%s", spec);
	for (sp = buf; *sp; sp++)
		if (*sp == '\t')
			*sp = ' ';
	sel = trim(buf);
	/* Peel option tokens off the end; what remains is the selector. */
	for (;;) {
		sp = strrchr(sel, ' ');
		if (!sp)
			break;
		rc = rule_option(sp + 1, r, err, errlen);
		if (rc < 0)
			return rc;
		if (rc == 0)
			break;
		*sp = '\0';
		sel = trim(sel);
	}
	/* The selector alone may also be an option: "mark=1" has none. */
	if (rule_option(sel, r, err, errlen) != 0) {
		errmsg(err, errlen, "rule '%s': missing selector", spec);
		return -EINVAL;
	}
	/* label:"a:b:c d" -> label:a:b:c d */
	end = strchr(sel, '"');
	if (end) {
		size_t n = strlen(sel);

		if (sel[n - 1] != '"' || end == sel + n - 1 ||
		    (end != sel && end[-1] != ':')) {
			errmsg(err, errlen, "rule '%s': bad quoting", spec);
			return -EINVAL;
		}
		sel[n - 1] = '\0';
		memmove(end, end + 1, strlen(end + 1) + 1);
	}
	if (!r->val.action) {
		errmsg(err, errlen,
		       "rule '%s': no action (mark=V, drop-syn or match)",
		       spec);
		return -EINVAL;
	}
	return policy_selector_parse(sel, r, err, errlen);
}

void policy_actions_str(const struct policy_rule *r, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	if (r->val.action & OSPREY_ACT_MARK)
		n += snprintf(buf + n, len - n, "mark=0x%x ", r->val.mark);
	if (n < len && (r->val.action & OSPREY_ACT_DROP_SYN))
		n += snprintf(buf + n, len - n, "drop-syn ");
	if (n < len && (r->val.action & OSPREY_ACT_MATCH))
		n += snprintf(buf + n, len - n, "match ");
	if (n < len)
		n += snprintf(buf + n, len - n, "quality=%s",
			      policy_quality_name(r->val.min_quality));
}
