// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * osprey entry point: `osprey lookup|stats|policy|sig ...` are subcommands,
 * anything else is a p0f-style run (-r capture or -i interfaces).
 */
#include <stdarg.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "user/cmd.h"
#include "user/log.h"

struct subcmd {
	const char *name;
	int (*fn)(int argc, char **argv);
};

static const struct subcmd subcmds[] = {
	{ "lookup", cmd_lookup },
	{ "stats", cmd_stats },
	{ "policy", cmd_policy },
	{ "sig", cmd_sig },
};

/*
 * libbpf's messages, one level down as xdp-tools does: its warnings are
 * often about things it then works around, so they are info (shown by
 * default), its info needs -v and its debug output -vv.
 */
static int libbpf_log(enum libbpf_print_level lvl, const char *fmt, va_list ap)
{
	return log_vraw(LOG_LVL_INFO + (int)lvl, fmt, ap);
}

int main(int argc, char **argv)
{
	size_t i;

	libbpf_set_print(libbpf_log);
	/* subcommands get argv shifted so that their argv[0] is the name */
	if (argc > 1)
		for (i = 0; i < sizeof(subcmds) / sizeof(subcmds[0]); i++)
			if (!strcmp(argv[1], subcmds[i].name))
				return subcmds[i].fn(argc - 1, argv + 1);
	return cmd_run(argc, argv);
}
