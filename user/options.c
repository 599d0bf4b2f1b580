// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The options of `osprey [options] ['filter']`, each defined once in
 * opt_table[]: getopt's short and long options, the configuration file's
 * keys and --help are derived from it (xdp-tools' DEFINE_OPTION idea,
 * lighter).  A new option is a field in struct osprey_opts and a row here.
 *
 * Values are parsed the same way wherever they come from (parse.h), with
 * the row's range.  Only two things differ by source: a command line
 * string is used in place (argv lives as long as the run), and a config
 * file `interface` takes a list where -i takes one name.
 *
 * The command line is read in two passes: the first only looks for
 * --config, whose file fills the options; the second applies the flags
 * on top, so a flag always overrides the configuration file.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "user/config.h"
#include "user/log.h"
#include "user/options.h"
#include "user/parse.h"
#include "user/policy_rule.h"

enum opt_type {
	OPT_BOOL, /* flag; config: yes/no */
	OPT_COUNT, /* flag counting up (-v); config: a number in range */
	OPT_STR, /* text */
	OPT_U32, /* uint32_t in [min, max] */
	OPT_INT, /* int in [min, max] */
	OPT_PAIR, /* "A,B" (p0f's -m, -t): the rows keyed pair[0], pair[1] */
	OPT_XDP_MODE, /* auto|native|generic */
	OPT_DIRECTION, /* ingress|egress|both */
	OPT_IFACE, /* one interface; config: a list; both append */
	OPT_DB, /* one database file; config: a list; both append */
	OPT_POLICY, /* a policy rule in text form, appended */
	OPT_CONFIG, /* --config FILE (read before the other flags) */
	OPT_HELP,
	OPT_VERSION,
};

#define OPT_F_SIZE 0x1 /* k/m/g suffixes */
#define OPT_F_POW2 0x2 /* a power of two */

/* Sections of --help, in this order. */
enum opt_sec { SEC_NONE, SEC_INPUT, SEC_OUTPUT, SEC_TABLES, SEC_OSPREY };

struct opt_def {
	const char *name; /* --name; NULL: none */
	char shrt; /* -c; 0: none */
	const char *key; /* config file key; NULL: command line only */
	enum opt_type type;
	size_t off; /* the field in struct osprey_opts */
	uint32_t min, max; /* numbers */
	unsigned int flags; /* OPT_F_* */
	const char *pair[2]; /* OPT_PAIR */
	enum opt_sec sec;
	const char *arg; /* argument name in --help */
	const char *help; /* NULL: not listed by --help */
};

/* offsetof(struct osprey_opts, f), refusing to compile unless f is a T. */
#define FIELD(f, T)                                                        \
	(offsetof(struct osprey_opts, f) +                                 \
	 0 * sizeof(char[__builtin_types_compatible_p(                     \
				 __typeof__(((struct osprey_opts *)0)->f), \
				 T) ?                                      \
				 1 :                                       \
				 -1]))
#define T_BOOL(f) .type = OPT_BOOL, .off = FIELD(f, bool)
#define T_COUNT(f, hi) .type = OPT_COUNT, .off = FIELD(f, int), .max = hi
#define T_STR(f) .type = OPT_STR, .off = FIELD(f, const char *)
#define T_U32(f, lo, hi) \
	.type = OPT_U32, .off = FIELD(f, uint32_t), .min = lo, .max = hi
#define T_SIZE(f, lo, hi, fl) T_U32(f, lo, hi), .flags = OPT_F_SIZE | (fl)
#define T_INT(f, lo, hi) \
	.type = OPT_INT, .off = FIELD(f, int), .min = lo, .max = hi
#define T_PAIR(a, b) .type = OPT_PAIR, .pair = { a, b }
#define T_XDP_MODE(f) .type = OPT_XDP_MODE, .off = FIELD(f, enum xdp_mode_opt)
#define T_DIRECTION(f) \
	.type = OPT_DIRECTION, .off = FIELD(f, enum capture_direction)
#define T_CONFIG(f) .type = OPT_CONFIG, .off = FIELD(f, const char *)
#define T_OF(t) .type = t /* types without a field of their own */

/* One option: --name, -short, config key (NULL: none), T_*(field...). */
#define ROW(n, s, k, t, sc, a, h)                                       \
	{                                                               \
		.name = n, .shrt = s, .key = k, t, .sec = sc, .arg = a, \
		.help = h                                               \
	}
/* A config file key alone (not a flag, not in --help's list). */
#define KEY(k, t)           \
	{                   \
		.key = k, t \
	}

static const struct opt_def opt_table[] = {
	/* Input (p0f flags) */
	ROW(NULL, 'i', "interface", T_OF(OPT_IFACE), SEC_INPUT, "iface",
	    "capture on this interface with XDP (repeatable); any: every "
	    "Ethernet interface, and new ones as they come up"),
	KEY("interfaces", T_OF(OPT_IFACE)),
	ROW(NULL, 'r', NULL, T_STR(read_file), SEC_INPUT, "file",
	    "read a pcap / pcapng capture instead"),
	ROW(NULL, 'p', "promisc", T_BOOL(promisc), SEC_INPUT, NULL,
	    "promiscuous mode (accepted; XDP sees all frames anyway)"),
	ROW(NULL, 'L', NULL, T_BOOL(list_ifaces), SEC_INPUT, NULL,
	    "list interfaces and exit"),
	/* Database and output (p0f flags) */
	ROW(NULL, 'f', "database", T_OF(OPT_DB), SEC_OUTPUT, "file",
	    "signature database (default: db/osprey.fp of the build tree, "
	    "then " OSPREY_DEFAULT_DB ", then ./db/osprey.fp); given again, "
	    "a file overlaid on the ones before it (reloaded on SIGHUP)"),
	ROW(NULL, 'o', "log_file", T_STR(log_file), SEC_OUTPUT, "file",
	    "append p0f log lines to file (reopened on SIGHUP)"),
	ROW(NULL, 's', "api_socket", T_STR(api_sock), SEC_OUTPUT, "path",
	    "answer p0f API queries on this unix socket (live only)"),
	ROW("api-idle", 0, "api_idle_timeout", T_U32(api_idle, 0, 86400),
	    SEC_OUTPUT, "S",
	    "close API clients idle this many seconds (default 10, 0: never)"),
	ROW(NULL, 'S', "api_clients", T_INT(api_max_clients, 1, 100),
	    SEC_OUTPUT, "limit", "max parallel API clients"),
	ROW(NULL, 'u', "user", T_STR(user), SEC_OUTPUT, "user",
	    "drop privileges to this user after setup"),
	ROW(NULL, 'd', "daemon", T_BOOL(daemon), SEC_OUTPUT, NULL,
	    "daemon mode: no stdout box (needs -o, -s or --json)"),
	/* Tables (p0f flags): -m and -t set two keys each */
	ROW(NULL, 'm', NULL, T_PAIR("max_connections", "max_hosts"), SEC_TABLES,
	    "c,h", "max tracked connections, hosts"),
	ROW(NULL, 't', NULL, T_PAIR("conn_max_age", "host_idle_limit"),
	    SEC_TABLES, "c,h",
	    "connection age limit in seconds, host idle limit in minutes"),
	KEY("max_connections", T_U32(eng.max_conn, 1, 100000)),
	KEY("max_hosts", T_U32(eng.max_hosts, 1, 500000)),
	KEY("conn_max_age", T_U32(eng.conn_max_age, 1, 1000000)),
	KEY("host_idle_limit", T_U32(eng.host_idle_limit, 1, 1000000)),
	/* osprey options */
	ROW("json", 0, "json", T_BOOL(json), SEC_OSPREY, NULL,
	    "JSON lines on stdout instead of the p0f box"),
	ROW("sensor", 0, "sensor", T_STR(sensor), SEC_OSPREY, "NAME",
	    "this sensor's name in JSON records (default: the hostname)"),
	ROW("quiet", 0, "quiet", T_BOOL(quiet), SEC_OSPREY, NULL,
	    "nothing on stdout (use with -o, -s or the pinned map)"),
	ROW("verbose", 'v', "verbose", T_COUNT(verbose, 5), SEC_OSPREY, NULL,
	    "more diagnostics on stderr; -vv adds libbpf's debug output"),
	ROW("config", 0, NULL, T_CONFIG(config), SEC_OSPREY, "FILE",
	    "read KEY = VALUE settings; flags override them"),
	ROW("xdp-mode", 0, "xdp_mode", T_XDP_MODE(xdp_mode), SEC_OSPREY, "M",
	    "auto (native, else generic), native or generic"),
	ROW("xdp-link", 0, "xdp_link", T_BOOL(xdp_link), SEC_OSPREY, NULL,
	    "attach XDP by a plain bpf_link (exclusive; gone when osprey "
	    "dies) instead of libxdp's multi-program dispatcher"),
	ROW("direction", 0, "direction", T_DIRECTION(direction), SEC_OSPREY,
	    "D", "ingress (XDP), egress (tc) or both (default)"),
	ROW("pin-dir", 0, "pin_dir", T_STR(pin_dir), SEC_OSPREY, "DIR",
	    "bpffs directory for pinned maps (default " OSPREY_PIN_DIR ")"),
	ROW("http", 0, "http", T_STR(http), SEC_OSPREY, "ADDR:PORT",
	    "serve /metrics (Prometheus) and /hosts/ADDR (JSON) over HTTP; "
	    "a PORT alone listens on 127.0.0.1 (default: off)"),
	ROW("group", 0, "group", T_STR(group), SEC_OSPREY, "NAME",
	    "group owning the pinned maps and the API socket"),
	ROW("xdp-policy", 0, "xdp_policy", T_BOOL(xdp_policy), SEC_OSPREY, NULL,
	    "let policy rules drop SYNs in XDP"),
	ROW("unknown-pcap", 0, "unknown_pcap", T_STR(unknown_pcap), SEC_OSPREY,
	    "FILE",
	    "write SYNs and SYN+ACKs no signature matched to FILE (pcap, "
	    "one per distinct signature, at most 1000; see osprey sig)"),
	ROW("flow-entries", 0, "flow_entries",
	    T_U32(flow_entries, 64, 16777216), SEC_OSPREY, "N",
	    "kernel flow table size"),
	ROW("flow-budget", 0, "flow_budget",
	    T_SIZE(flow_budget, 0, 1u << 20, 0), SEC_OSPREY, "N",
	    "payload bytes captured per flow direction"),
	ROW("flow-age", 0, "flow_age", T_U32(flow_age, 1, 86400), SEC_OSPREY,
	    "S", "seconds before an idle kernel flow is reused"),
	ROW("ringbuf", 0, "ringbuf_bytes",
	    T_SIZE(ringbuf_bytes, 4096, 1u << 30, OPT_F_POW2), SEC_OSPREY, "N",
	    "ring buffer size in bytes, a power of two"),
	ROW("precise-clock", 0, "precise_clock", T_BOOL(precise_clock),
	    SEC_OSPREY, NULL,
	    "stamp events with the kernel's precise clock (dearer per "
	    "packet) instead of the tick count the daemon refines; times "
	    "then stay exact when the daemon falls behind"),
	ROW("port-allow", 0, "port_allow", T_STR(port_allow), SEC_OSPREY, "L",
	    "ports to capture (\"80,443,8000-8100\")"),
	ROW("port-deny", 0, "port_deny", T_STR(port_deny), SEC_OSPREY, "L",
	    "ports to ignore"),
	ROW("net-allow", 0, "net_allow", T_STR(net_allow), SEC_OSPREY, "L",
	    "networks to capture (\"10.0.0.0/8,2001:db8::/32\")"),
	ROW("net-deny", 0, "net_deny", T_STR(net_deny), SEC_OSPREY, "L",
	    "networks to ignore"),
	KEY("policy", T_OF(OPT_POLICY)),
	KEY("filter", T_STR(filter)),
	ROW("help", 'h', NULL, T_OF(OPT_HELP), SEC_OSPREY, NULL, "this text"),
	ROW("version", 0, NULL, T_OF(OPT_VERSION), SEC_OSPREY, NULL,
	    "print the version"),
};

#define N_OPTS (sizeof(opt_table) / sizeof(opt_table[0]))

void opts_defaults(struct osprey_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->api_max_clients = 20;
	o->api_idle = 10;
	o->eng.max_conn = DEF_MAX_CONN;
	o->eng.max_hosts = DEF_MAX_HOSTS;
	o->eng.conn_max_age = DEF_CONN_MAX_AGE;
	o->eng.host_idle_limit = DEF_HOST_IDLE_LIMIT;
	o->xdp_mode = XDP_MODE_AUTO;
	o->pin_dir = OSPREY_PIN_DIR;
}

/* ------------------------------------------------------------ values */

/* The row of a config key: '-' and '_' alike, any case. */
static const struct opt_def *opt_by_key(const char *key)
{
	char norm[64];
	size_t i;

	if (strlen(key) >= sizeof(norm))
		return NULL;
	for (i = 0; key[i]; i++)
		norm[i] = key[i] == '-' ? '_' :
					  (char)tolower((unsigned char)key[i]);
	norm[i] = '\0';
	for (i = 0; i < N_OPTS; i++)
		if (opt_table[i].key && !strcmp(opt_table[i].key, norm))
			return &opt_table[i];
	return NULL;
}

static int set_number(const struct opt_def *d, struct osprey_opts *o,
		      const char *v, char *err, size_t errlen)
{
	void *field = (char *)o + d->off;
	uint32_t u;
	int rc;

	rc = parse_u32(v, d->min, d->max, d->flags & OPT_F_SIZE, &u, err,
		       errlen);
	if (rc)
		return rc;
	/* the kernel's rule for ring buffers */
	if ((d->flags & OPT_F_POW2) && (u & (u - 1))) {
		errmsg(err, errlen, "%s is not a power of two", v);
		return -EINVAL;
	}
	if (d->type == OPT_U32)
		*(uint32_t *)field = u;
	else
		*(int *)field = (int)u;
	return 0;
}

/* "A,B": each half as the row it stands for. */
static int set_pair(const struct opt_def *d, struct osprey_opts *o,
		    const char *v, char *err, size_t errlen)
{
	char buf[64], *comma;
	int rc;

	if (strlen(v) >= sizeof(buf) || !strchr(v, ',')) {
		errmsg(err, errlen, "expected two numbers, 'A,B'");
		return -EINVAL;
	}
	snprintf(buf, sizeof(buf), "%s", v);
	comma = strchr(buf, ',');
	*comma = '\0';
	rc = set_number(opt_by_key(d->pair[0]), o, buf, err, errlen);
	if (!rc)
		rc = set_number(opt_by_key(d->pair[1]), o, comma + 1, err,
				errlen);
	return rc;
}

static int set_xdp_mode(enum xdp_mode_opt *out, const char *s, char *err,
			size_t errlen)
{
	if (!strcmp(s, "auto"))
		*out = XDP_MODE_AUTO;
	else if (!strcmp(s, "native") || !strcmp(s, "drv"))
		*out = XDP_MODE_NATIVE;
	else if (!strcmp(s, "generic") || !strcmp(s, "skb"))
		*out = XDP_MODE_GENERIC;
	else
		return errmsg(err, errlen, "'%s': expected auto|native|generic",
			      s);
	return 0;
}

/* s at the end of list[*n] (max entries; "more than MAX WHAT"). */
static int append(const char **list, int *n, int max, const char *what,
		  const char *s, char *err, size_t errlen)
{
	if (*n >= max) {
		errmsg(err, errlen, "more than %d %s", max, what);
		return -E2BIG;
	}
	list[(*n)++] = s;
	return 0;
}

static int add_iface(struct osprey_opts *o, const char *name, char *err,
		     size_t errlen)
{
	if (strlen(name) >= 16) /* IFNAMSIZ */
		return errmsg(err, errlen, "interface name '%s' too long",
			      name);
	return append(o->ifaces, &o->n_ifaces, OSPREY_MAX_IFACES, "interfaces",
		      name, err, errlen);
}

static int add_db(struct osprey_opts *o, const char *path, char *err,
		  size_t errlen)
{
	return append(o->db_paths, &o->n_dbs, OSPREY_MAX_DBS, "database files",
		      path, err, errlen);
}

typedef int (*add_fn)(struct osprey_opts *o, const char *s, char *err,
		      size_t errlen);

/* "eth0, eth1 eth2" (config file), split in place; what: for errors. */
static int add_list(struct osprey_opts *o, char *list, add_fn add,
		    const char *what, char *err, size_t errlen)
{
	char *tok, *save = NULL;
	int rc, n = 0;

	for (tok = strtok_r(list, ", \t", &save); tok;
	     tok = strtok_r(NULL, ", \t", &save), n++) {
		rc = add(o, tok, err, errlen);
		if (rc)
			return rc;
	}
	return n ? 0 : errmsg(err, errlen, "empty %s list", what);
}

static int add_policy(struct osprey_opts *o, const char *s, char *err,
		      size_t errlen)
{
	struct policy_rule r;
	int rc;

	/* Validate now, so a typo is reported where it was made. */
	rc = policy_rule_parse(s, &r, err, errlen);
	if (rc)
		return rc;
	return append(o->policy_rules, &o->n_policy, OSPREY_MAX_POLICY,
		      "policy rules", s, err, errlen);
}

/*
 * Apply one value to its row: v is NULL for a flag without argument; a
 * list (config `interface`) is split in place.  0 or -errno, err set.
 */
static int opt_apply(const struct opt_def *d, struct osprey_opts *o, char *v,
		     bool list, char *err, size_t errlen)
{
	void *field = (char *)o + d->off;

	if (!v && d->type == OPT_BOOL)
		*(bool *)field = true;
	else if (!v && d->type == OPT_COUNT)
		(*(int *)field)++;
	else if (d->type == OPT_BOOL)
		return parse_bool(v, field, err, errlen);
	else if (d->type == OPT_COUNT || d->type == OPT_INT ||
		 d->type == OPT_U32)
		return set_number(d, o, v, err, errlen);
	else if (d->type == OPT_STR || d->type == OPT_CONFIG)
		*(const char **)field = v;
	else if (d->type == OPT_PAIR)
		return set_pair(d, o, v, err, errlen);
	else if (d->type == OPT_XDP_MODE)
		return set_xdp_mode(field, v, err, errlen);
	else if (d->type == OPT_DIRECTION)
		return parse_direction(v, field, err, errlen);
	else if (d->type == OPT_IFACE)
		return list ? add_list(o, v, add_iface, "interface", err,
				       errlen) :
			      add_iface(o, v, err, errlen);
	else if (d->type == OPT_DB)
		return list ? add_list(o, v, add_db, "database", err, errlen) :
			      add_db(o, v, err, errlen);
	else if (d->type == OPT_POLICY)
		return add_policy(o, v, err, errlen);
	return 0;
}

/* One config file line (config_set_fn): "KEY: what" in err. */
static int set_key(void *ctx, const char *key, char *val, char *err,
		   size_t errlen)
{
	const struct opt_def *d = opt_by_key(key);
	struct osprey_opts *o = ctx;
	char msg[256];
	int rc;

	if (!d)
		return errmsg(err, errlen, "unknown key '%s'", key);
	if (!*val)
		return errmsg(err, errlen, "%s: empty value", d->key);
	rc = opt_apply(d, o, val, true, msg, sizeof(msg));
	if (rc)
		errmsg(err, errlen, "%s: %s", d->key, msg);
	return rc;
}

/* ------------------------------------------------------ command line */

static bool opt_takes_arg(const struct opt_def *d)
{
	return d->type != OPT_BOOL && d->type != OPT_COUNT &&
	       d->type != OPT_HELP && d->type != OPT_VERSION;
}

/* getopt's value for row i: its letter, else 256 + i. */
static int opt_val(size_t i)
{
	return opt_table[i].shrt ? opt_table[i].shrt : 256 + (int)i;
}

static const struct opt_def *opt_by_val(int c)
{
	size_t i;

	for (i = 0; i < N_OPTS; i++)
		if ((opt_table[i].name || opt_table[i].shrt) && opt_val(i) == c)
			return &opt_table[i];
	return NULL;
}

struct getopt_spec {
	char shorts[2 * N_OPTS + 2];
	struct option longs[N_OPTS + 1];
};

static void build_getopt(struct getopt_spec *g)
{
	char *s = g->shorts;
	size_t i, n = 0;

	memset(g, 0, sizeof(*g));
	*s++ = '+'; /* stop at the filter expression, like p0f */
	for (i = 0; i < N_OPTS; i++) {
		const struct opt_def *d = &opt_table[i];
		int has_arg =
			opt_takes_arg(d) ? required_argument : no_argument;

		if (d->shrt) {
			*s++ = d->shrt;
			if (has_arg == required_argument)
				*s++ = ':';
		}
		if (d->name)
			g->longs[n++] = (struct option){ d->name, has_arg, NULL,
							 opt_val(i) };
	}
}

/* First pass: only --config, silently (the second pass reports). */
static const char *find_config(int argc, char **argv,
			       const struct getopt_spec *g)
{
	const struct opt_def *d;
	const char *cfg = NULL;
	int c;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, g->shorts, g->longs, NULL)) != -1) {
		d = opt_by_val(c);
		if (d && d->type == OPT_CONFIG)
			cfg = optarg;
	}
	opterr = 1;
	optind = 0;
	return cfg;
}

/* How a row is named in messages: as p0f users type it. */
static void opt_flag_name(const struct opt_def *d, char *buf, size_t len)
{
	if (d->shrt)
		snprintf(buf, len, "-%c", d->shrt);
	else
		snprintf(buf, len, "--%s", d->name);
}

/* Lists the command line replaces rather than extends (-i, -f): the
 * first flag of its kind drops what the config file said. */
struct cli_lists {
	bool ifaces, dbs;
};

/* One flag; 0, 1 (exit 0 now) or -EINVAL (logged). */
static int apply_flag(const struct opt_def *d, struct osprey_opts *o,
		      struct cli_lists *cli)
{
	char err[512], what[32];

	if (d->type == OPT_HELP) {
		opts_usage(stdout);
		return 1;
	}
	if (d->type == OPT_VERSION) {
		printf("osprey %s\n", OSPREY_VERSION);
		return 1;
	}
	/* -i and -f replace the config file's interfaces / databases */
	if (d->type == OPT_IFACE && !cli->ifaces) {
		o->n_ifaces = 0;
		cli->ifaces = true;
	}
	if (d->type == OPT_DB && !cli->dbs) {
		o->n_dbs = 0;
		cli->dbs = true;
	}
	if (!opt_apply(d, o, opt_takes_arg(d) ? optarg : NULL, false, err,
		       sizeof(err)))
		return 0;
	opt_flag_name(d, what, sizeof(what));
	pr_err("%s: %s", what, err);
	return -EINVAL;
}

int opts_load_config(const char *path, struct osprey_opts *o, char *err,
		     size_t errlen)
{
	return config_read(path, set_key, o, err, errlen);
}

static int load_config(const char *path, struct osprey_opts *o)
{
	char err[512];

	if (opts_load_config(path, o, err, sizeof(err))) {
		pr_err("%s", err);
		return -EINVAL;
	}
	o->config = path;
	return 0;
}

int opts_parse(int argc, char **argv, struct osprey_opts *o)
{
	const struct opt_def *d;
	struct getopt_spec g;
	struct cli_lists cli = { false, false };
	const char *cfg;
	int c, rc;

	opts_defaults(o);
	build_getopt(&g);
	cfg = find_config(argc, argv, &g);
	if (cfg && load_config(cfg, o))
		return -EINVAL;
	while ((c = getopt_long(argc, argv, g.shorts, g.longs, NULL)) != -1) {
		d = opt_by_val(c);
		if (!d) {
			fputs("Try 'osprey --help'.\n", stderr);
			return -EINVAL;
		}
		rc = apply_flag(d, o, &cli);
		if (rc)
			return rc;
	}
	/* -r (command line only) wins over the config file's interfaces */
	if (o->read_file && !cli.ifaces)
		o->n_ifaces = 0;
	if (optind < argc) {
		if (optind + 1 != argc) {
			pr_err("the filter rule must be a single argument (use quotes)");
			return -EINVAL;
		}
		o->filter = argv[optind];
	}
	return 0;
}

static int check_http(const struct osprey_opts *o)
{
	struct sockaddr_storage sa;
	char err[256];

	if (!o->http || !parse_listen_addr(o->http, &sa, err, sizeof(err)))
		return 0;
	pr_err("--http %s", err);
	return -EINVAL;
}

int opts_check(const struct osprey_opts *o)
{
	const char *why = NULL;

	if (o->read_file && o->n_ifaces)
		why = "-i and -r are mutually exclusive";
	else if (o->read_file && o->api_sock)
		why = "-s (API) needs live capture, not -r";
	else if (o->read_file && o->daemon)
		why = "-d and -r don't mix";
	else if (o->read_file && o->promisc)
		why = "-p makes no sense with -r";
	else if (o->read_file && o->http)
		why = "--http needs live capture, not -r";
	else if (o->daemon && !o->log_file && !o->api_sock && !o->json &&
		 !o->http)
		why = "-d needs -o, -s, --json or --http";
	if (!why)
		return check_http(o);
	pr_err("%s", why);
	return -EINVAL;
}

/* -------------------------------------------------------------- help */

#define HELP_COL 20 /* where the text of an option starts */
#define HELP_WIDTH 79

/* The words of text from column col on, wrapped at HELP_WIDTH to indent. */
static void put_wrapped(FILE *fp, int col, int indent, const char *text)
{
	const char *w = text, *end;
	int len;

	while (*w) {
		while (*w == ' ')
			w++;
		end = strchrnul(w, ' ');
		len = (int)(end - w);
		if (!len)
			break;
		if (col > indent && col + 1 + len > HELP_WIDTH) {
			fprintf(fp, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', fp);
			col++;
		}
		fprintf(fp, "%.*s", len, w);
		col += len;
		w = end;
	}
	fputc('\n', fp);
}

/* "4096" or, for sizes, "4k". */
static void fmt_num(char *buf, size_t len, uint32_t v, bool size)
{
	static const char units[] = "kmg";
	int u = -1;

	while (size && v && !(v % 1024) && u < 2) {
		v /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%u", v);
	else
		snprintf(buf, len, "%u%c", v, units[u]);
}

/* " (MIN..MAX, default D)" for numbers, from the row and the defaults. */
static void range_text(const struct opt_def *d, const struct osprey_opts *def,
		       char *buf, size_t len)
{
	char lo[16], hi[16], dv[16];
	uint32_t v;

	buf[0] = '\0';
	if (d->type != OPT_U32 && d->type != OPT_INT)
		return;
	fmt_num(lo, sizeof(lo), d->min, d->flags & OPT_F_SIZE);
	fmt_num(hi, sizeof(hi), d->max, d->flags & OPT_F_SIZE);
	v = d->type == OPT_U32 ?
		    *(const uint32_t *)((const char *)def + d->off) :
		    (uint32_t) * (const int *)((const char *)def + d->off);
	fmt_num(dv, sizeof(dv), v, d->flags & OPT_F_SIZE);
	snprintf(buf, len, " (%s..%s%s%s%s)", lo, hi, v ? ", default " : "",
		 v ? dv : "", d->flags & OPT_F_SIZE ? "; k/m/g suffixes" : "");
}

/* " (default A,B; A MIN..MAX, B MIN..MAX)" for p0f's -m c,h and -t c,h. */
static void pair_text(const struct opt_def *d, const struct osprey_opts *def,
		      char *buf, size_t len)
{
	const struct opt_def *a = opt_by_key(d->pair[0]);
	const struct opt_def *b = opt_by_key(d->pair[1]);

	snprintf(buf, len, " (default %u,%u; %u..%u, %u..%u)",
		 *(const uint32_t *)((const char *)def + a->off),
		 *(const uint32_t *)((const char *)def + b->off), a->min,
		 a->max, b->min, b->max);
}

static void usage_row(FILE *fp, const struct opt_def *d,
		      const struct osprey_opts *def)
{
	char left[48], extra[96], text[320];
	int n = 0;

	if (d->shrt)
		n += snprintf(left + n, sizeof(left) - n, "-%c", d->shrt);
	if (d->name)
		n += snprintf(left + n, sizeof(left) - n, "%s--%s",
			      d->shrt ? ", " : "", d->name);
	if (d->arg)
		snprintf(left + n, sizeof(left) - n, " %s", d->arg);
	if (d->type == OPT_PAIR)
		pair_text(d, def, extra, sizeof(extra));
	else
		range_text(d, def, extra, sizeof(extra));
	snprintf(text, sizeof(text), "%s%s", d->help, extra);
	n = fprintf(fp, "  %-*s", HELP_COL - 2, left);
	put_wrapped(fp, n, HELP_COL, text);
}

static const char usage_head[] =
	"Usage: osprey [options] ['filter rule']\n"
	"       osprey lookup|stats|policy|sig ...   (see osprey CMD --help)\n"
	"\n"
	"Passive OS and application fingerprinting (p0f 3.09b compatible) "
	"with\nXDP capture.\n";

static const char *const sec_title[] = {
	[SEC_INPUT] = "Input (p0f flags):",
	[SEC_OUTPUT] = "Database and output (p0f flags):",
	[SEC_TABLES] = "Tables (p0f flags):",
	[SEC_OSPREY] = "osprey options:",
};

static const char usage_tail[] =
	"\n"
	"A trailing tcpdump-style filter expression limits what is examined "
	"(with\n-r it is compiled by libpcap, combined with \"tcp\" as p0f "
	"does).\n"
	"\n"
	"Exit status: 0 ok, 1 runtime error (or damaged capture), 2 bad "
	"arguments,\ndatabase or configuration.\n"
	"\n"
	"EXAMPLES:\n"
	"  osprey -r capture.pcap                  p0f boxes for a capture\n"
	"  osprey -r capture.pcap -o p0f.log       ...and p0f's log format\n"
	"  osprey -r capture.pcap --json 'port 80' JSON lines, port 80 only\n"
	"  osprey -i eth0 -o /var/log/osprey.log -s /run/osprey.sock -d\n"
	"  osprey --config /etc/osprey/osprey.conf -v\n"
	"  osprey lookup 192.0.2.7                 ask the running daemon\n";

/* The config file's keys, from the same rows. */
static void usage_keys(FILE *fp)
{
	char keys[1024];
	size_t i, n = 0;

	for (i = 0; i < N_OPTS && n < sizeof(keys); i++)
		if (opt_table[i].key)
			n += snprintf(keys + n, sizeof(keys) - n, "%s%s",
				      n ? ", " : "", opt_table[i].key);
	fprintf(fp,
		"\nKeys of the --config file (KEY = VALUE, see osprey(8)):\n  ");
	put_wrapped(fp, 2, 2, keys);
}

void opts_usage(FILE *fp)
{
	struct osprey_opts def;
	size_t s, i;

	opts_defaults(&def);
	fputs(usage_head, fp);
	for (s = SEC_INPUT; s <= SEC_OSPREY; s++) {
		fprintf(fp, "\n%s\n", sec_title[s]);
		for (i = 0; i < N_OPTS; i++)
			if (opt_table[i].sec == s && opt_table[i].help)
				usage_row(fp, &opt_table[i], &def);
	}
	usage_keys(fp);
	fputs(usage_tail, fp);
}
