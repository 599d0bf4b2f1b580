// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `osprey [options] ['filter']`: p0f-compatible command line, offline
 * (-r) and live (-i) runs.
 *
 * Flags are read in two passes: the first only looks for --config, whose
 * file fills the options; the second applies the command line on top, so
 * a flag always overrides the configuration file.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <pcap.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpf/osprey_abi.h"
#include "user/cmd.h"
#include "user/config.h"
#include "user/live.h"
#include "user/log.h"
#include "user/options.h"
#include "user/osprey.h"
#include "user/pcap_src.h"
#include "user/service.h"
#include "user/sinks.h"

enum {
	OPT_JSON = 256,
	OPT_QUIET,
	OPT_XDP_MODE,
	OPT_PIN_DIR,
	OPT_CONFIG,
	OPT_GROUP,
	OPT_XDP_POLICY,
	OPT_FLOW_ENTRIES,
	OPT_FLOW_BUDGET,
	OPT_FLOW_AGE,
	OPT_RINGBUF,
	OPT_PORT_ALLOW,
	OPT_PORT_DENY,
	OPT_NET_ALLOW,
	OPT_NET_DENY,
	OPT_HELP,
	OPT_VERSION,
};

static const char short_opts[] = "+f:i:r:o:s:S:m:t:Lpu:dvh";

static const struct option long_opts[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ "verbose", no_argument, NULL, 'v' },
	{ "xdp-mode", required_argument, NULL, OPT_XDP_MODE },
	{ "pin-dir", required_argument, NULL, OPT_PIN_DIR },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "group", required_argument, NULL, OPT_GROUP },
	{ "xdp-policy", no_argument, NULL, OPT_XDP_POLICY },
	{ "flow-entries", required_argument, NULL, OPT_FLOW_ENTRIES },
	{ "flow-budget", required_argument, NULL, OPT_FLOW_BUDGET },
	{ "flow-age", required_argument, NULL, OPT_FLOW_AGE },
	{ "ringbuf", required_argument, NULL, OPT_RINGBUF },
	{ "port-allow", required_argument, NULL, OPT_PORT_ALLOW },
	{ "port-deny", required_argument, NULL, OPT_PORT_DENY },
	{ "net-allow", required_argument, NULL, OPT_NET_ALLOW },
	{ "net-deny", required_argument, NULL, OPT_NET_DENY },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *fp)
{
	fprintf(fp,
		"Usage: osprey [options] ['filter rule']\n"
		"       osprey lookup|stats|policy ...   (see osprey CMD --help)\n"
		"\n"
		"Passive OS and application fingerprinting (p0f 3.09b compatible) with\n"
		"XDP capture.\n"
		"\n"
		"Input (p0f flags):\n"
		"  -i iface       capture on this interface with XDP (repeatable)\n"
		"  -r file        read a pcap / pcapng capture instead\n"
		"  -p             promiscuous mode (accepted; XDP sees all frames anyway)\n"
		"  -L             list interfaces and exit\n"
		"\n"
		"Database and output (p0f flags):\n"
		"  -f file        signature database (default: db/osprey.fp of the build\n"
		"                 tree, then " OSPREY_DEFAULT_DB ",\n"
		"                 then ./db/osprey.fp)\n"
		"  -o file        append p0f log lines to file (reopened on SIGHUP)\n"
		"  -s path        answer p0f API queries on this unix socket (live only)\n"
		"  -S limit       max parallel API clients, 1..100 (default 20)\n"
		"  -u user        drop privileges to this user after setup\n"
		"  -d             daemon mode: no stdout box (needs -o, -s or --json)\n"
		"\n"
		"Tables (p0f flags):\n"
		"  -m c,h         max tracked connections, hosts (default %u,%u;\n"
		"                 c 1..100000, h 1..500000)\n"
		"  -t c,h         connection age limit in seconds, host idle limit in\n"
		"                 minutes (default %u,%u; 1..1000000 each)\n"
		"\n"
		"osprey options:\n"
		"  --json         JSON lines on stdout instead of the p0f box\n"
		"  --quiet        nothing on stdout (use with -o, -s or the pinned map)\n"
		"  -v, --verbose  more diagnostics on stderr (repeatable)\n"
		"  --config FILE  read KEY = VALUE settings; flags override them\n"
		"  --xdp-mode M   auto (native, else generic), native or generic\n"
		"  --pin-dir DIR  bpffs directory for pinned maps (default " OSPREY_PIN_DIR
		")\n"
		"  --group NAME   group owning the pinned maps and the API socket\n"
		"  --xdp-policy   let policy rules drop SYNs in XDP\n"
		"  --flow-entries N  kernel flow table size, 64..16777216\n"
		"  --flow-budget N   payload bytes captured per flow direction, 0..1M\n"
		"                    (k/m suffixes allowed)\n"
		"  --flow-age S      seconds before an idle kernel flow is reused\n"
		"  --ringbuf N       ring buffer size in bytes, 4k..1G (power of two)\n"
		"  --port-allow L, --port-deny L   ports to capture / ignore\n"
		"                    (\"80,443,8000-8100\")\n"
		"  --net-allow L, --net-deny L     networks to capture / ignore\n"
		"                    (\"10.0.0.0/8,2001:db8::/32\")\n"
		"  -h, --help     this text\n"
		"  --version      print the version\n"
		"\n"
		"A trailing tcpdump-style filter expression limits what is examined (with\n"
		"-r it is compiled by libpcap, combined with \"tcp\" as p0f does).\n"
		"\n"
		"Exit status: 0 ok, 1 runtime error (or damaged capture), 2 bad arguments,\n"
		"database or configuration.\n"
		"\n"
		"EXAMPLES:\n"
		"  osprey -r capture.pcap                  p0f boxes for a capture\n"
		"  osprey -r capture.pcap -o p0f.log       ...and p0f's log format\n"
		"  osprey -r capture.pcap --json 'port 80' JSON lines, port 80 only\n"
		"  osprey -i eth0 -o /var/log/osprey.log -s /run/osprey.sock -d\n"
		"  osprey --config /etc/osprey/osprey.conf -v\n"
		"  osprey lookup 192.0.2.7                 ask the running daemon\n",
		DEF_MAX_CONN, DEF_MAX_HOSTS, DEF_CONN_MAX_AGE,
		DEF_HOST_IDLE_LIMIT);
}

void opts_defaults(struct osprey_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->api_max_clients = 20;
	o->eng.max_conn = DEF_MAX_CONN;
	o->eng.max_hosts = DEF_MAX_HOSTS;
	o->eng.conn_max_age = DEF_CONN_MAX_AGE;
	o->eng.host_idle_limit = DEF_HOST_IDLE_LIMIT;
	o->xdp_mode = XDP_MODE_AUTO;
	o->pin_dir = OSPREY_PIN_DIR;
}

/* ---------------------------------------------------------- numbers */

/* Decimal u32 in [min, max]; with `suffixes`, k/m/g multiply by 2^10.. */
static int parse_u32(const char *what, const char *s, uint32_t min,
		     uint32_t max, int suffixes, uint32_t *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	if (!*s || *s == '-' || *s == '+')
		goto bad;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		goto bad;
	if (suffixes && *end && !end[1]) {
		int shift = 0;

		switch (*end) {
		case 'k':
		case 'K':
			shift = 10;
			break;
		case 'm':
		case 'M':
			shift = 20;
			break;
		case 'g':
		case 'G':
			shift = 30;
			break;
		}
		if (shift && v <= (ULLONG_MAX >> shift)) {
			v <<= shift;
			end++;
		}
	}
	if (*end)
		goto bad;
	if (v < min || v > max) {
		pr_err("%s: %s is out of range %u..%u", what, s, min, max);
		return -ERANGE;
	}
	*out = (uint32_t)v;
	return 0;
bad:
	pr_err("%s: '%s' is not a number", what, s);
	return -EINVAL;
}

/* "A,B" with each part in its own range (p0f's -m and -t). */
static int parse_pair(const char *what, const char *s, uint32_t max_a,
		      uint32_t max_b, uint32_t *a, uint32_t *b)
{
	char buf[64], *comma;

	if (strlen(s) >= sizeof(buf) || !(comma = strchr(s, ','))) {
		pr_err("%s: expected two numbers, 'A,B'", what);
		return -EINVAL;
	}
	memcpy(buf, s, comma - s);
	buf[comma - s] = 0;
	if (parse_u32(what, buf, 1, max_a, 0, a) ||
	    parse_u32(what, comma + 1, 1, max_b, 0, b))
		return -EINVAL;
	return 0;
}

/* ----------------------------------------------------------- parsing */

static const char *find_config(int argc, char **argv)
{
	const char *cfg = NULL;
	int c;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, short_opts, long_opts, NULL)) != -1)
		if (c == OPT_CONFIG)
			cfg = optarg;
	opterr = 1;
	optind = 0;
	return cfg;
}

/* Apply one command-line option; returns 0, -EINVAL, or 1 to exit 0. */
static int apply_opt(int c, struct osprey_opts *o, bool *cli_ifaces)
{
	uint32_t v;

	switch (c) {
	case 'f':
		o->db_path = optarg;
		break;
	case 'i':
		if (!*cli_ifaces) {
			/* -i replaces the config file's interfaces */
			o->n_ifaces = 0;
			*cli_ifaces = true;
		}
		if (o->n_ifaces >= OSPREY_MAX_IFACES) {
			pr_err("at most %d interfaces", OSPREY_MAX_IFACES);
			return -EINVAL;
		}
		o->ifaces[o->n_ifaces++] = optarg;
		break;
	case 'r':
		o->read_file = optarg;
		break;
	case 'o':
		o->log_file = optarg;
		break;
	case 's':
		o->api_sock = optarg;
		break;
	case 'S':
		if (parse_u32("-S", optarg, 1, 100, 0, &v))
			return -EINVAL;
		o->api_max_clients = (int)v;
		break;
	case 'm':
		return parse_pair("-m", optarg, 100000, 500000,
				  &o->eng.max_conn, &o->eng.max_hosts);
	case 't':
		return parse_pair("-t", optarg, 1000000, 1000000,
				  &o->eng.conn_max_age,
				  &o->eng.host_idle_limit);
	case 'L':
		o->list_ifaces = true;
		break;
	case 'p':
		o->promisc = true;
		break;
	case 'u':
		o->user = optarg;
		break;
	case 'd':
		o->daemon = true;
		break;
	case 'v':
		o->verbose++;
		break;
	case OPT_JSON:
		o->json = true;
		break;
	case OPT_QUIET:
		o->quiet = true;
		break;
	case OPT_XDP_MODE:
		if (!strcmp(optarg, "auto"))
			o->xdp_mode = XDP_MODE_AUTO;
		else if (!strcmp(optarg, "native") || !strcmp(optarg, "drv"))
			o->xdp_mode = XDP_MODE_NATIVE;
		else if (!strcmp(optarg, "generic") || !strcmp(optarg, "skb"))
			o->xdp_mode = XDP_MODE_GENERIC;
		else {
			pr_err("--xdp-mode: expected auto, native or generic");
			return -EINVAL;
		}
		break;
	case OPT_PIN_DIR:
		o->pin_dir = optarg;
		break;
	case OPT_CONFIG:
		o->config = optarg;
		break;
	case OPT_GROUP:
		o->group = optarg;
		break;
	case OPT_XDP_POLICY:
		o->xdp_policy = true;
		break;
	case OPT_FLOW_ENTRIES:
		return parse_u32("--flow-entries", optarg, 64, 16777216, 0,
				 &o->flow_entries);
	case OPT_FLOW_BUDGET:
		return parse_u32("--flow-budget", optarg, 0, 1048576, 1,
				 &o->flow_budget);
	case OPT_FLOW_AGE:
		return parse_u32("--flow-age", optarg, 1, 86400, 0,
				 &o->flow_age);
	case OPT_RINGBUF:
		if (parse_u32("--ringbuf", optarg, 4096, 1u << 30, 1, &v))
			return -EINVAL;
		if (v & (v - 1)) {
			pr_err("--ringbuf: %s is not a power of two", optarg);
			return -EINVAL;
		}
		o->ringbuf_bytes = v;
		break;
	case OPT_PORT_ALLOW:
		o->port_allow = optarg;
		break;
	case OPT_PORT_DENY:
		o->port_deny = optarg;
		break;
	case OPT_NET_ALLOW:
		o->net_allow = optarg;
		break;
	case OPT_NET_DENY:
		o->net_deny = optarg;
		break;
	case 'h':
	case OPT_HELP:
		usage(stdout);
		return 1;
	case OPT_VERSION:
		printf("osprey %s\n", OSPREY_VERSION);
		return 1;
	default:
		fputs("Try 'osprey --help'.\n", stderr);
		return -EINVAL;
	}
	return 0;
}

/* Fills *o from --config and argv.  0, 1 (exit 0 now) or -EINVAL. */
static int parse_args(int argc, char **argv, struct osprey_opts *o)
{
	const char *cfg = find_config(argc, argv);
	bool cli_ifaces = false;
	char err[512];
	int c, rc;

	opts_defaults(o);
	if (cfg) {
		rc = config_load(cfg, o, err, sizeof(err));
		if (rc) {
			pr_err("%s", err);
			return -EINVAL;
		}
		o->config = cfg;
	}
	while ((c = getopt_long(argc, argv, short_opts, long_opts, NULL)) !=
	       -1) {
		rc = apply_opt(c, o, &cli_ifaces);
		if (rc)
			return rc;
	}
	/* -r (command line only) wins over the config file's interfaces */
	if (o->read_file && !cli_ifaces)
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

static int check_opts(const struct osprey_opts *o)
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
	else if (o->daemon && !o->log_file && !o->api_sock && !o->json)
		why = "-d needs -o, -s or --json";
	if (why) {
		pr_err("%s", why);
		return -EINVAL;
	}
	return 0;
}

/* ---------------------------------------------------------- database */

/* db/osprey.fp of the source tree when running .output/osprey */
static int build_tree_db(char *buf, size_t len)
{
	char exe[PATH_MAX], *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return -ENOENT;
	exe[n] = 0;
	slash = strrchr(exe, '/');
	if (!slash)
		return -ENOENT;
	*slash = 0;
	/* .output/osprey -> .output/../db/osprey.fp */
	if (snprintf(buf, len, "%s/../db/osprey.fp", exe) >= (int)len)
		return -ENAMETOOLONG;
	if (access(buf, R_OK))
		return -ENOENT;
	if (realpath(buf, exe) && strlen(exe) < len)
		strcpy(buf, exe);
	return 0;
}

static const char *pick_db(const struct osprey_opts *o, char *buf, size_t len)
{
	if (o->db_path)
		return o->db_path;
	if (!build_tree_db(buf, len))
		return buf;
	if (!access(OSPREY_DEFAULT_DB, R_OK))
		return OSPREY_DEFAULT_DB;
	return "db/osprey.fp";
}

static int load_db(const struct osprey_opts *o, struct sigdb *db)
{
	char path[PATH_MAX + 32], err[512];
	const char *p = pick_db(o, path, sizeof(path));
	int rc;

	memset(db, 0, sizeof(*db));
	rc = sigdb_load(db, p, err, sizeof(err));
	if (rc) {
		if (err[0])
			pr_err("%s", err);
		else
			pr_err("%s: %s", p, strerror(-rc));
		return rc;
	}
	pr_debug("database %s: %u tcp request, %u tcp response, %u mtu sigs", p,
		 db->tcp_cnt[1], db->tcp_cnt[0], db->mtu_cnt);
	return 0;
}

static int open_sinks(struct sinks *s, const struct osprey_opts *o)
{
	struct sinks_cfg cfg = {
		.json = o->json && !o->quiet,
		.box = !o->json && !o->quiet && !o->daemon,
		.log_path = o->log_file,
		.live = !o->read_file,
	};

	return sinks_open(s, &cfg);
}

/* --------------------------------------------------------------- -L */

static int list_interfaces(void)
{
	char perr[PCAP_ERRBUF_SIZE], addr[64];
	pcap_if_t *all, *d;
	pcap_addr_t *a;
	int i = 0;

	if (pcap_findalldevs(&all, perr)) {
		pr_err("pcap_findalldevs: %s", perr);
		return EXIT_FAIL;
	}
	printf("\n-- Available interfaces --\n");
	for (d = all; d; d = d->next) {
		printf("\n%3d: Name        : %s\n", i++, d->name);
		printf("     Description : %s\n",
		       d->description ? d->description : "-");
		for (a = d->addresses; a; a = a->next)
			if (a->addr && (a->addr->sa_family == AF_INET ||
					a->addr->sa_family == AF_INET6))
				break;
		if (!a) {
			printf("     IP address  : (none)\n");
			continue;
		}
		if (a->addr->sa_family == AF_INET)
			addr_to_str((const u8 *)&((struct sockaddr_in *)a->addr)
					    ->sin_addr,
				    IP_VER4, addr, sizeof(addr));
		else
			addr_to_str(
				(const u8 *)&((struct sockaddr_in6 *)a->addr)
					->sin6_addr,
				IP_VER6, addr, sizeof(addr));
		printf("     IP address  : %s\n", addr);
	}
	printf("\n");
	pcap_freealldevs(all);
	return EXIT_OK;
}

/* ------------------------------------------------------------ offline */

static void on_signal(int sig)
{
	(void)sig;
	pcap_src_stop();
}

static int run_offline(const struct osprey_opts *o, struct engine *e)
{
	struct pcap_src_stats st;
	char err[512] = "";
	int rc;

	FILE *fp;

	memset(&st, 0, sizeof(st));
	fp = fopen(o->read_file, "rb");
	if (!fp) {
		pr_err("%s: %s", o->read_file, strerror(errno));
		return EXIT_USAGE;
	}
	/* like p0f: inputs and outputs are open, now give up root */
	if (o->user) {
		rc = service_drop_privs(o->user, err, sizeof(err));
		if (rc) {
			pr_err("%s", err);
			fclose(fp);
			return EXIT_FAIL;
		}
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	rc = pcap_src_read_fp(fp, o->read_file, o->filter, e, &st, err,
			      sizeof(err));
	if (!rc || rc == -EIO)
		pr_debug(
			"%s: link %s, %llu packets, %llu with IP, %llu VLAN-tagged, %llu link drops, %u flows, %u hosts tracked",
			o->read_file, st.linkname ? st.linkname : "?",
			(unsigned long long)st.packets,
			(unsigned long long)st.fed, (unsigned long long)st.vlan,
			(unsigned long long)st.link_drops, engine_flow_count(e),
			engine_host_count(e));
	if (rc) {
		pr_err("%s", err);
		return rc == -EINVAL && !st.packets ? EXIT_USAGE : EXIT_FAIL;
	}
	return EXIT_OK;
}

int cmd_run(int argc, char **argv)
{
	struct osprey_opts o;
	struct sinks sinks;
	struct sigdb db;
	struct engine e;
	int rc, status = EXIT_FAIL;

	rc = parse_args(argc, argv, &o);
	if (rc)
		return rc > 0 ? EXIT_OK : EXIT_USAGE;
	log_set_verbosity(o.verbose);
	if (o.list_ifaces)
		return list_interfaces();
	if (check_opts(&o))
		return EXIT_USAGE;

	if (load_db(&o, &db))
		return EXIT_USAGE;
	if (open_sinks(&sinks, &o)) {
		status = EXIT_FAIL;
		goto free_db;
	}
	rc = engine_init(&e, &db, &o.eng);
	if (rc) {
		pr_err("engine: %s", strerror(-rc));
		goto close_sinks;
	}
	e.on_obs = sinks_emit;
	e.obs_ctx = &sinks;

	if (o.read_file)
		status = run_offline(&o, &e);
	else
		status = live_run(&o, &e, &sinks);

	engine_free(&e);
close_sinks:
	sinks_close(&sinks);
free_db:
	sigdb_free(&db);
	return status;
}
