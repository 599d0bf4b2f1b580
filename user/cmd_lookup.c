// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `osprey lookup ADDR [--json] [--pin-dir DIR]`: what the pinned hosts map
 * knows about one address.  It reads the map in bpffs, so it answers while
 * the daemon runs and after it stopped, without talking to it.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "user/cmd.h"
#include "user/hostmap.h"
#include "user/log.h"
#include "user/osprey.h"

static const char usage_text[] =
	"Usage: osprey lookup ADDR [--json] [--pin-dir DIR] [-v]\n"
	"\n"
	"Print what osprey knows about the host ADDR (IPv4 or IPv6), read\n"
	"from the pinned hosts map DIR/hosts (default " OSPREY_PIN_DIR ").\n"
	"The text form follows p0f-client; --json prints one JSON object.\n"
	"\n"
	"Exit status: 0 found, 1 unknown host or no map, 2 bad arguments.\n";

static const struct option long_opts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "pin-dir", required_argument, NULL, 'P' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int open_map(const char *pin_dir)
{
	int fd = hostmap_open(pin_dir);

	if (fd >= 0)
		return fd;
	if (fd == -ENOENT)
		pr_err("%s/hosts does not exist (has the daemon run with this --pin-dir?)",
		       pin_dir);
	else if (fd == -EPROTO)
		pr_err("%s/hosts has an older record layout (restart the daemon to replace it)",
		       pin_dir);
	else if (fd == -EPERM || fd == -EACCES)
		pr_err("%s/hosts: %s (needs root or CAP_BPF and read access to the pin directory)",
		       pin_dir, strerror(-fd));
	else
		pr_err("%s/hosts: %s", pin_dir, strerror(-fd));
	return fd;
}

int cmd_lookup(int argc, char **argv)
{
	const char *pin_dir = OSPREY_PIN_DIR, *addr_s;
	struct osprey_host v;
	bool json = false;
	u8 addr[16], ver;
	int verbose = 0, opt, fd, rc;

	optind = 0;
	opterr = 1;
	while ((opt = getopt_long(argc, argv, "hjP:v", long_opts, NULL)) !=
	       -1) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		case 'P':
			pin_dir = optarg;
			break;
		case 'v':
			verbose++;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_OK;
		default:
			fputs(usage_text, stderr);
			return EXIT_USAGE;
		}
	}
	log_set_verbosity(verbose);
	if (argc - optind != 1) {
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	addr_s = argv[optind];
	if (hostmap_parse_addr(addr_s, addr, &ver)) {
		pr_err("'%s' is not an IPv4 or IPv6 address", addr_s);
		return EXIT_USAGE;
	}
	fd = open_map(pin_dir);
	if (fd < 0)
		return EXIT_FAIL;
	rc = hostmap_get(fd, addr, ver, &v);
	close(fd);
	if (rc == -ENOENT) {
		pr_err("%s: host not known", addr_s);
		return EXIT_FAIL;
	}
	if (rc) {
		pr_err("%s/hosts: lookup: %s", pin_dir, strerror(-rc));
		return EXIT_FAIL;
	}
	if (json)
		hostmap_print_json(stdout, addr, ver, &v);
	else
		hostmap_print(stdout, &v);
	return EXIT_OK;
}
