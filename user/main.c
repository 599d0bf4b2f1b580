// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * osprey entry point: `osprey lookup|stats|policy ...` are subcommands,
 * anything else is a p0f-style run (-r capture or -i interfaces).
 */
#include <string.h>

#include "user/osprey.h"

struct subcmd {
	const char *name;
	int (*fn)(int argc, char **argv);
};

static const struct subcmd subcmds[] = {
	{ "lookup", cmd_lookup },
	{ "stats", cmd_stats },
	{ "policy", cmd_policy },
};

int main(int argc, char **argv)
{
	size_t i;

	/* subcommands get argv shifted so that their argv[0] is the name */
	if (argc > 1)
		for (i = 0; i < sizeof(subcmds) / sizeof(subcmds[0]); i++)
			if (!strcmp(argv[1], subcmds[i].name))
				return subcmds[i].fn(argc - 1, argv + 1);
	return cmd_run(argc, argv);
}
