// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Configuration file (/etc/osprey/osprey.conf): "KEY = VALUE" lines, '#'
 * comments, blank lines ignored.  Keys may use '-' or '_'.  Values may be
 * double-quoted.  `interface` and `policy` may repeat (and `interface`
 * takes a comma/space separated list); any other key repeated: last wins.
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
#include "user/parse.h"
#include "user/policy_rule.h"

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

/* Value parsers: 0 or -errno, message in err. */

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
	key = str_trim(line);
	if (!*key)
		return 0;
	eq = strchr(key, '=');
	if (!eq) {
		errmsg(msg, msglen, "expected KEY = VALUE");
		return -EINVAL;
	}
	*eq = '\0';
	key = str_trim(key);
	val = unquote(str_trim(eq + 1));
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
