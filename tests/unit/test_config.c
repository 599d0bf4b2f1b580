// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The options (user/options.c) from the command line and the
 * configuration file (user/config.c), linked from the app files that use
 * no libbpf.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/harness.h"
#include "user/config.h"
#include "user/options.h"
#include "user/parse.h"

static char tmp_path[64];

/* Write text to a fresh temporary file; returns its path. */
static const char *write_conf(const char *text)
{
	int fd;

	snprintf(tmp_path, sizeof(tmp_path), "/tmp/osprey-conf-XXXXXX");
	fd = mkstemp(tmp_path);
	if (fd < 0)
		return NULL;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		close(fd);
		unlink(tmp_path);
		return NULL;
	}
	close(fd);
	return tmp_path;
}

/* Load text as a config into *o (zeroed first); rc, message in err. */
static int load_text(const char *text, struct osprey_opts *o, char *err,
		     size_t errlen)
{
	const char *p = write_conf(text);
	int rc;

	memset(o, 0, sizeof(*o));
	err[0] = '\0';
	if (!p)
		return -EIO;
	rc = opts_load_config(p, o, err, errlen);
	unlink(p);
	return rc;
}

static void full_config(void)
{
	static const char text[] =
		"# osprey test config\n"
		"\n"
		"interface = eth0, eth1\n"
		"interface = \"veth9\"   # trailing comment\n"
		"database = /etc/osprey/test.fp\n"
		"log-file = /var/log/osprey.log\n"
		"api_socket = /run/osprey/api.sock\n"
		"api_clients = 7\n"
		"max_connections = 2000\n"
		"max_hosts = 0x100\n"
		"conn_max_age = 45\n"
		"host_idle_limit = 60\n"
		"xdp_mode = generic\n"
		"xdp_policy = yes\n"
		"pin_dir = /sys/fs/bpf/osprey-test\n"
		"user = osprey\n"
		"group = adm\n"
		"json = on\n"
		"daemon = true\n"
		"verbose = 2\n"
		"flow_entries = 4096\n"
		"flow_budget = 4k\n"
		"flow_age = 20\n"
		"ringbuf_bytes = 8M\n"
		"port_allow = 80,443,8000-8100\n"
		"net_deny = 10.0.0.0/8,2001:db8::/32\n"
		"policy = name:Linux mark=0x10\n"
		"policy = label:unix:Linux:3.11 and newer drop-syn "
		"quality=exact\n";
	struct osprey_opts o;
	char err[256];
	int rc = load_text(text, &o, err, sizeof(err));

	if (!ASSERT_EQ(rc, 0, "opts_load_config") ||
	    !ASSERT_STREQ(err, "", "err"))
		return;
	ASSERT_EQ(o.n_ifaces, 3, "n_ifaces");
	ASSERT_STREQ(o.ifaces[0], "eth0", "ifaces[0]");
	ASSERT_STREQ(o.ifaces[1], "eth1", "ifaces[1]");
	ASSERT_STREQ(o.ifaces[2], "veth9", "ifaces[2]");
	ASSERT_EQ(o.n_dbs, 1, "one database");
	ASSERT_STREQ(o.db_paths[0], "/etc/osprey/test.fp", "database");
	ASSERT_STREQ(o.log_file, "/var/log/osprey.log", "log_file");
	ASSERT_STREQ(o.api_sock, "/run/osprey/api.sock", "api_socket");
	ASSERT_EQ(o.api_max_clients, 7, "api_clients");
	ASSERT_EQ(o.eng.max_conn, 2000, "max_connections");
	ASSERT_EQ(o.eng.max_hosts, 256, "max_hosts");
	ASSERT_EQ(o.eng.conn_max_age, 45, "conn_max_age");
	ASSERT_EQ(o.eng.host_idle_limit, 60, "host_idle_limit");
	ASSERT_EQ(o.xdp_mode, XDP_MODE_GENERIC, "xdp_mode");
	ASSERT_EQ(o.xdp_policy, true, "xdp_policy");
	ASSERT_STREQ(o.pin_dir, "/sys/fs/bpf/osprey-test", "pin_dir");
	ASSERT_STREQ(o.user, "osprey", "user");
	ASSERT_STREQ(o.group, "adm", "group");
	ASSERT_EQ(o.json, true, "json");
	ASSERT_EQ(o.daemon, true, "daemon");
	ASSERT_EQ(o.verbose, 2, "verbose");
	ASSERT_EQ(o.flow_entries, 4096, "flow_entries");
	ASSERT_EQ(o.flow_budget, 4096, "flow_budget");
	ASSERT_EQ(o.flow_age, 20, "flow_age");
	ASSERT_EQ(o.ringbuf_bytes, 8u << 20, "ringbuf_bytes");
	ASSERT_STREQ(o.port_allow, "80,443,8000-8100", "port_allow");
	ASSERT_STREQ(o.net_deny, "10.0.0.0/8,2001:db8::/32", "net_deny");
	ASSERT_EQ(o.n_policy, 2, "n_policy");
	ASSERT_STREQ(o.policy_rules[0], "name:Linux mark=0x10", "policy[0]");
	config_release();
}

/* Each bad line is reported as file:LINE: what. */
static void errors_have_line_numbers(void)
{
	static const struct {
		const char *text;
		int line;
		const char *what;
	} bad[] = {
		{ "json = yes\nbogus = 1\n", 2, "unknown key 'bogus'" },
		{ "# c\n\njson\n", 3, "expected KEY = VALUE" },
		{ "json = maybe\n", 1, "is not a boolean" },
		{ "max_hosts = 12x\n", 1, "is not a number" },
		{ "max_hosts = -5\n", 1, "is not a number" },
		{ "max_hosts = 0\n", 1, "out of range" },
		{ "api_clients = 99999999999999999999\n", 1, "not a number" },
		{ "xdp_mode = turbo\n", 1, "expected auto|native|generic" },
		{ "ringbuf_bytes = 12k\n", 1, "not a power of two" },
		{ "max_hosts = 500001\n", 1, "out of range 1..500000" },
		{ "database =\n", 1, "empty value" },
		{ "interface = averyveryverylongname0\n", 1, "too long" },
		{ "policy = name:Linux\n", 1, "no action" },
		{ "policy = os:Linux mark=1\n", 1, "unknown kind" },
		{ "policy = name:Linux mark=zz\n", 1, "not a number" },
		{ "policy = name:Linux quality=great mark=1\n", 1,
		  "expected any|not-fuzzy|exact" },
		{ "policy = label:unix:Linux mark=1\n", 1,
		  "CLASS:NAME:FLAVOR" },
	};
	struct osprey_opts o;
	char err[256], want[96];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = load_text(bad[i].text, &o, err, sizeof(err));

		ASSERT_EQ(rc, -EINVAL, bad[i].text);
		snprintf(want, sizeof(want), "%s:%d: ", tmp_path, bad[i].line);
		ASSERT_TRUE(strstr(err, want) == err, err);
		ASSERT_TRUE(strstr(err, bad[i].what) != NULL, err);
	}
	config_release();
}

static void too_many_interfaces(void)
{
	struct osprey_opts o;
	char err[256];
	int rc = load_text("interface = a b c d e f g h i\n", &o, err,
			   sizeof(err));

	ASSERT_EQ(rc, -EINVAL, "rc");
	ASSERT_TRUE(strstr(err, "more than 8 interfaces") != NULL, err);
	config_release();
}

static void missing_file(void)
{
	struct osprey_opts o;
	char err[256];
	int rc;

	memset(&o, 0, sizeof(o));
	rc = opts_load_config("/nonexistent/osprey.conf", &o, err, sizeof(err));
	ASSERT_EQ(rc, -ENOENT, "rc");
	ASSERT_STREQ(err, "/nonexistent/osprey.conf: No such file or directory",
		     "err");
}

/*
 * The shipped example must load as is, and with every commented-out
 * setting ("#key = value") enabled: the documentation stays valid.
 */
static void example_config(void)
{
	static char text[16384];
	struct osprey_opts o;
	char err[256], line[512];
	size_t n = 0;
	FILE *f = fopen("tools/osprey.conf", "r");
	int rc;

	if (!f) {
		TEST_SKIP("tools/osprey.conf not found (run from the top)");
		return;
	}
	memset(&o, 0, sizeof(o));
	rc = opts_load_config("tools/osprey.conf", &o, err, sizeof(err));
	ASSERT_EQ(rc, 0, err);
	while (fgets(line, sizeof(line), f) &&
	       n + sizeof(line) < sizeof(text)) {
		const char *l = line;

		if (line[0] == '#' && line[1] >= 'a' && line[1] <= 'z' &&
		    strstr(line, " = "))
			l++;
		n += snprintf(text + n, sizeof(text) - n, "%s", l);
	}
	fclose(f);
	rc = load_text(text, &o, err, sizeof(err));
	ASSERT_EQ(rc, 0, err);
	ASSERT_EQ(o.n_ifaces, 3, "example interfaces");
	ASSERT_EQ(o.n_policy, 4, "example policy rules");
	ASSERT_EQ(o.ringbuf_bytes, 8u << 20, "example ringbuf");
	config_release();
}

/*
 * The daemon reads its file again on SIGHUP while the first read's values
 * are in use: releasing to a mark frees the second read's copies only.
 */
static void release_to_mark(void)
{
	struct osprey_opts a, b;
	const void *mark;
	char err[256];

	config_release();
	if (!ASSERT_EQ(load_text("policy = name:Linux mark=0x10\n", &a, err,
				 sizeof(err)),
		       0, err))
		return;
	mark = config_mark();
	ASSERT_TRUE(mark != NULL, "the first read's copies are listed");
	if (ASSERT_EQ(load_text("policy = class:win drop-syn\n"
				"policy = name:Linux mark=0x20\n",
				&b, err, sizeof(err)),
		      0, err))
		ASSERT_EQ(b.n_policy, 2, "second read");
	ASSERT_TRUE(config_mark() != mark, "the second read's copies");
	config_release_to(mark);
	ASSERT_TRUE(config_mark() == mark, "released back to the mark");
	/* ASan tier: a use after free here if the mark was passed */
	ASSERT_STREQ(a.policy_rules[0], "name:Linux mark=0x10",
		     "the first read's value intact");
	config_release_to(mark);
	ASSERT_TRUE(config_mark() == mark, "releasing again frees nothing");
	config_release();
	ASSERT_TRUE(config_mark() == NULL, "all released");
}

/* What the code under test logs goes to a file while it runs. */
struct captured {
	FILE *tmp;
	int saved;
};

static void stderr_capture(struct captured *c)
{
	fflush(stderr);
	c->tmp = tmpfile();
	c->saved = dup(STDERR_FILENO);
	if (c->tmp)
		dup2(fileno(c->tmp), STDERR_FILENO);
}

/* Back to the real stderr; the first line logged meanwhile in log. */
static void stderr_restore(struct captured *c, char *log, size_t loglen)
{
	fflush(stderr);
	dup2(c->saved, STDERR_FILENO);
	close(c->saved);
	log[0] = '\0';
	if (!c->tmp)
		return;
	rewind(c->tmp);
	if (!fgets(log, (int)loglen, c->tmp))
		log[0] = '\0';
	log[strcspn(log, "\n")] = '\0';
	fclose(c->tmp);
}

/* opts_parse() on "osprey WORDS..." (NULL-terminated); its log in log. */
static int parse_words(struct osprey_opts *o, char *log, size_t loglen, ...)
{
	char *argv[32] = { "osprey" };
	struct captured c;
	int argc = 1, rc;
	va_list ap;

	va_start(ap, loglen);
	while (argc < 31 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	stderr_capture(&c);
	rc = opts_parse(argc, argv, o);
	stderr_restore(&c, log, loglen);
	return rc;
}

static void cli_values(void)
{
	struct osprey_opts o;
	char log[256];
	int rc;

	rc = parse_words(&o, log, sizeof(log), "-S", "0x10", "-m", "5,0x20",
			 "-t", "7,8", "--flow-budget", "2k", "--ringbuf",
			 "0x2000", "--xdp-mode", "skb", "-vv", "-i", "eth0",
			 "--json", "-d", "tcp port 80", NULL);
	if (!ASSERT_EQ(rc, 0, log))
		return;
	ASSERT_EQ(o.api_max_clients, 16, "-S 0x10");
	ASSERT_EQ(o.eng.max_conn, 5, "-m c");
	ASSERT_EQ(o.eng.max_hosts, 32, "-m h");
	ASSERT_EQ(o.eng.conn_max_age, 7, "-t c");
	ASSERT_EQ(o.eng.host_idle_limit, 8, "-t h");
	ASSERT_EQ(o.flow_budget, 2048, "--flow-budget 2k");
	ASSERT_EQ(o.ringbuf_bytes, 8192, "--ringbuf 0x2000");
	ASSERT_EQ(o.xdp_mode, XDP_MODE_GENERIC, "--xdp-mode skb");
	ASSERT_EQ(o.verbose, 2, "-vv");
	ASSERT_EQ(o.n_ifaces, 1, "-i");
	ASSERT_EQ(o.json && o.daemon, true, "--json -d");
	ASSERT_STREQ(o.filter, "tcp port 80", "filter");
	ASSERT_STREQ(o.pin_dir, "/sys/fs/bpf/osprey", "default pin dir");
	ASSERT_EQ(opts_check(&o), 0, "opts_check");
}

/* Bad flags: status -EINVAL and one line naming the flag and the fault. */
static void cli_errors(void)
{
	static const struct {
		const char *a, *b, *log;
	} bad[] = {
		{ "-S", "101", "osprey: -S: 101 is out of range 1..100" },
		{ "-S", "-1", "osprey: -S: '-1' is not a number" },
		{ "-m", "0,10", "osprey: -m: 0 is out of range 1..100000" },
		{ "-m", "10", "osprey: -m: expected two numbers, 'A,B'" },
		{ "-t", "5,x", "osprey: -t: 'x' is not a number" },
		{ "--ringbuf", "5000",
		  "osprey: --ringbuf: 5000 is not a power of two" },
		{ "--flow-entries", "1",
		  "osprey: --flow-entries: 1 is out of range 64..16777216" },
		{ "--flow-budget", "2m",
		  "osprey: --flow-budget: 2m is out of range 0..1048576" },
		{ "--xdp-mode", "fast",
		  "osprey: --xdp-mode: 'fast': expected auto|native|generic" },
		{ "-i", "averyveryverylongname0",
		  "osprey: -i: interface name 'averyveryverylongname0' too "
		  "long" },
		{ "--nosuch", NULL, "unrecognized option '--nosuch'" },
		{ "one", "two",
		  "osprey: the filter rule must be a single "
		  "argument (use quotes)" },
	};
	struct osprey_opts o;
	char log[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = parse_words(&o, log, sizeof(log), bad[i].a, bad[i].b,
				     NULL);

		ASSERT_EQ(rc, -EINVAL, bad[i].a);
		ASSERT_TRUE(strstr(log, bad[i].log) != NULL, log);
	}
}

/* Flags override the config file; -i replaces its interfaces. */
static void cli_over_config(void)
{
	const char *p = write_conf("interface = eth0, eth1\n"
				   "json = no\nmax_hosts = 77\nverbose = 1\n"
				   "database = /x.fp\n");
	char path[64], log[256];
	struct osprey_opts o;
	int rc;

	if (!ASSERT_TRUE(p != NULL, "write config"))
		return;
	snprintf(path, sizeof(path), "%s", p);
	rc = parse_words(&o, log, sizeof(log), "--json", "-i", "veth1",
			 "--config", path, "-v", NULL);
	if (ASSERT_EQ(rc, 0, log)) {
		ASSERT_STREQ(o.config, path, "config");
		ASSERT_STREQ(o.db_paths[0], "/x.fp", "database from the file");
		ASSERT_EQ(o.n_ifaces, 1, "-i replaces the file's list");
		ASSERT_STREQ(o.ifaces[0], "veth1", "ifaces[0]");
		ASSERT_EQ(o.json, true, "--json over json = no");
		ASSERT_EQ(o.eng.max_hosts, 77, "max_hosts from the file");
		ASSERT_EQ(o.verbose, 2, "-v on top of verbose = 1");
	}
	/* -r (command line only) drops the file's interfaces */
	rc = parse_words(&o, log, sizeof(log), "--config", path, "-r", "x.pcap",
			 NULL);
	if (ASSERT_EQ(rc, 0, log))
		ASSERT_EQ(o.n_ifaces, 0, "-r drops the file's interfaces");
	rc = parse_words(&o, log, sizeof(log), "--config", "/nonexistent/c",
			 NULL);
	ASSERT_EQ(rc, -EINVAL, "missing --config file");
	ASSERT_STREQ(log, "osprey: /nonexistent/c: No such file or directory",
		     "missing --config message");
	unlink(path);
	config_release();
}

/* -f twice overlays; the config file's `database` is a list that the
 * first -f replaces. */
static void database_lists(void)
{
	const char *p = write_conf("database = /a.fp, /b.fp\n");
	char path[64], log[256], err[256];
	struct osprey_opts o;
	int rc;

	if (!ASSERT_TRUE(p != NULL, "write config"))
		return;
	snprintf(path, sizeof(path), "%s", p);
	rc = parse_words(&o, log, sizeof(log), "--config", path, NULL);
	if (ASSERT_EQ(rc, 0, log)) {
		ASSERT_EQ(o.n_dbs, 2, "two files from the config");
		ASSERT_STREQ(o.db_paths[1], "/b.fp", "second");
	}
	rc = parse_words(&o, log, sizeof(log), "--config", path, "-f", "/c.fp",
			 "-f", "/d.fp", NULL);
	if (ASSERT_EQ(rc, 0, log)) {
		ASSERT_EQ(o.n_dbs, 2, "-f replaces the file's list");
		ASSERT_STREQ(o.db_paths[0], "/c.fp", "first -f");
		ASSERT_STREQ(o.db_paths[1], "/d.fp", "second -f");
	}
	rc = parse_words(&o, log, sizeof(log), "-f", "1", "-f", "2", "-f", "3",
			 "-f", "4", "-f", "5", NULL);
	ASSERT_EQ(rc, -EINVAL, "five -f");
	ASSERT_STREQ(log, "osprey: -f: more than 4 database files", "message");
	unlink(path);
	config_release();
	rc = load_text("database = ,\n", &o, err, sizeof(err));
	ASSERT_EQ(rc, -EINVAL, "empty list");
	ASSERT_TRUE(strstr(err, "empty database list") != NULL, err);
	config_release();
}

static void option_conflicts(void)
{
	static const struct {
		const char *a, *b, *c, *d, *log;
	} bad[] = {
		{ "-r", "x", "-i", "lo", "-i and -r are mutually exclusive" },
		{ "-r", "x", "-s", "sock", "-s (API) needs live capture" },
		{ "-r", "x", "-d", "--json", "-d and -r don't mix" },
		{ "-r", "x", "-p", NULL, "-p makes no sense with -r" },
		{ "-d", NULL, NULL, NULL, "-d needs -o, -s, --json or --http" },
		{ "-r", "x", "--http", "9100", "--http needs live capture" },
		{ "-i", "lo", "--http", "99999",
		  "--http '99999': expected PORT" },
		{ "-i", "lo", "--http", "host:80",
		  "--http 'host:80': 'host' is not an IP address" },
		{ "-i", "lo", "--http", "[::1]", "expected PORT, ADDR:PORT" },
	};
	struct osprey_opts o;
	struct captured c;
	char log[256];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (!ASSERT_EQ(parse_words(&o, log, sizeof(log), bad[i].a,
					   bad[i].b, bad[i].c, bad[i].d, NULL),
			       0, log))
			continue;
		stderr_capture(&c);
		rc = opts_check(&o);
		stderr_restore(&c, log, sizeof(log));
		ASSERT_EQ(rc, -EINVAL, bad[i].log);
		ASSERT_TRUE(strstr(log, bad[i].log) != NULL, log);
	}
}

/* --http's address: a port alone is local. */
static void listen_addrs(void)
{
	struct sockaddr_storage sa;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&sa;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&sa;
	char err[128], text[64];

	ASSERT_EQ(parse_listen_addr("9100", &sa, err, sizeof(err)), 0, "port");
	ASSERT_EQ(sa.ss_family, AF_INET, "port: v4");
	ASSERT_STREQ(inet_ntop(AF_INET, &s4->sin_addr, text, sizeof(text)),
		     "127.0.0.1", "port: loopback");
	ASSERT_EQ(ntohs(s4->sin_port), 9100, "port number");
	ASSERT_EQ(parse_listen_addr("0.0.0.0:80", &sa, err, sizeof(err)), 0,
		  "any:80");
	ASSERT_EQ(parse_listen_addr("[::1]:9100", &sa, err, sizeof(err)), 0,
		  "[::1]:9100");
	ASSERT_EQ(sa.ss_family, AF_INET6, "v6");
	ASSERT_EQ(ntohs(s6->sin6_port), 9100, "v6 port");
	ASSERT_EQ(parse_listen_addr("1.2.3.4:0", &sa, err, sizeof(err)),
		  -EINVAL, "port 0");
	ASSERT_EQ(parse_listen_addr("", &sa, err, sizeof(err)), -EINVAL,
		  "empty");
}

/* --help lists every flag with the table's ranges and defaults. */
static void help_text(void)
{
	static const char *const want[] = {
		"  -S limit          max parallel API clients (1..100, "
		"default 20)\n",
		"  -m c,h            max tracked connections, hosts (default "
		"1000,10000;",
		"  --ringbuf N       ring buffer size in bytes, a power of two "
		"(4k..1g; k/m/g",
		"  -v, --verbose     ",
		"interface, interfaces, promisc, database,",
		"EXAMPLES:\n",
	};
	char *text = NULL;
	size_t len = 0, i;
	FILE *fp = open_memstream(&text, &len);

	if (!ASSERT_TRUE(fp != NULL, "open_memstream"))
		return;
	opts_usage(fp);
	fclose(fp);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ASSERT_TRUE(strstr(text, want[i]) != NULL, want[i]);
	free(text);
}

TH_MAIN("config", TH_CASE(full_config), TH_CASE(errors_have_line_numbers),
	TH_CASE(too_many_interfaces), TH_CASE(missing_file),
	TH_CASE(example_config), TH_CASE(cli_values), TH_CASE(cli_errors),
	TH_CASE(cli_over_config), TH_CASE(database_lists),
	TH_CASE(option_conflicts), TH_CASE(listen_addrs), TH_CASE(help_text),
	TH_CASE(release_to_mark))
