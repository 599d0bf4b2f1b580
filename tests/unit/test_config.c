// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The configuration file (user/config.c), linked from the app files that
 * use no libbpf.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/harness.h"
#include "user/config.h"

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
	rc = config_load(p, o, err, errlen);
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

	if (!ASSERT_EQ(rc, 0, "config_load") || !ASSERT_STREQ(err, "", "err"))
		return;
	ASSERT_EQ(o.n_ifaces, 3, "n_ifaces");
	ASSERT_STREQ(o.ifaces[0], "eth0", "ifaces[0]");
	ASSERT_STREQ(o.ifaces[1], "eth1", "ifaces[1]");
	ASSERT_STREQ(o.ifaces[2], "veth9", "ifaces[2]");
	ASSERT_STREQ(o.db_path, "/etc/osprey/test.fp", "database");
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
	rc = config_load("/nonexistent/osprey.conf", &o, err, sizeof(err));
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
	rc = config_load("tools/osprey.conf", &o, err, sizeof(err));
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
	ASSERT_EQ(o.ringbuf_bytes, 4u << 20, "example ringbuf");
	config_release();
}

TH_MAIN("config", TH_CASE(full_config), TH_CASE(errors_have_line_numbers),
	TH_CASE(too_many_interfaces), TH_CASE(missing_file),
	TH_CASE(example_config))
