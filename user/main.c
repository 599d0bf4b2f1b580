// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * osprey entry point: `osprey lookup|stats|policy|sig ...` are subcommands,
 * anything else is a p0f-style run (-r capture or -i interfaces).
 */
#include <stdarg.h>
#include <stdio.h>
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
	va_list cp;
	char line[512];

	/* demoting only lowers a level: nothing to do unless it prints */
	if (!log_enabled(LOG_LVL_INFO + (int)lvl))
		return 0;
	/*
	 * Attaching to an interface that already has a clsact qdisc is the
	 * normal case (bpf_tc_hook_create() then fails with EEXIST and we go
	 * on); the kernel's "Exclusivity flag on" extack that libbpf prints
	 * for it reads like an error, so it is debug output.  Only the
	 * kernel's messages are formatted to look.
	 */
	if (strstr(fmt, "Kernel error message")) {
		va_copy(cp, ap);
		vsnprintf(line, sizeof(line), fmt, cp);
		va_end(cp);
		if (strstr(line, "Exclusivity flag on"))
			return log_vraw(LOG_LVL_INFO + LIBBPF_DEBUG, fmt, ap);
	}
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
