/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The commands main() dispatches to: `osprey CMD ...`, each returning an
 * exit status (EXIT_* in osprey.h).  argv[0] is the command's name.
 */
#ifndef OSPREY_CMD_H
#define OSPREY_CMD_H

int cmd_run(int argc, char **argv); /* p0f-style: -r / -i (cmd_run.c) */
int cmd_lookup(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_sig(int argc, char **argv); /* raw_sig -> sig line (cmd_sig.c) */

#endif /* OSPREY_CMD_H */
