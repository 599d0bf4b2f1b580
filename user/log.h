/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Diagnostics: one line each on stderr, "osprey: what happened".  Data
 * (boxes, log lines, JSON, command output) goes to stdout, never here.
 *
 *   pr_err    the command fails because of this
 *   pr_warn   something is degraded, osprey carries on
 *   pr_info   what osprey did (attached, listening); shown by default
 *   pr_debug  details for -v
 *   (trace)   -vv: libbpf's own debug output, through log_vraw()
 *
 * Every command sets the level from its -v count with log_set_verbosity(),
 * so -v and -vv mean the same in `osprey`, `osprey lookup/stats/policy`.
 * main() routes libbpf's messages here, one level down (as xdp-tools
 * does): libbpf warns about things it then works around.
 *
 * All output goes through one function in log.c.  When stderr is the
 * journal's stream (JOURNAL_STREAM, set by systemd), each line starts
 * with its sd-daemon(3) "<N>" priority: <3> error, <4> warning, <6> info,
 * <7> debug.
 */
#ifndef OSPREY_LOG_H
#define OSPREY_LOG_H

#include <stdarg.h>
#include <stdbool.h>

enum log_level {
	LOG_LVL_ERROR,
	LOG_LVL_WARN,
	LOG_LVL_INFO,
	LOG_LVL_DEBUG,
	LOG_LVL_TRACE,
};

/* "osprey" unless set: the prefix of every line ("osprey policy"). */
void log_set_ident(const char *ident);
/* 0: up to info; 1 (-v): debug; 2 or more (-vv): trace. */
void log_set_verbosity(int verbose);
bool log_enabled(enum log_level lvl);
/* stderr is systemd's journal stream (lines get "<N>" prefixes). */
bool log_to_journal(void);

/* "IDENT: " + the message + a newline, if lvl is enabled. */
void log_msg(enum log_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The text as it is (it brings its own prefix and newline), if enabled. */
int log_vraw(enum log_level lvl, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

#define pr_err(...) log_msg(LOG_LVL_ERROR, __VA_ARGS__)
#define pr_warn(...) log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define pr_info(...) log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define pr_debug(...) log_msg(LOG_LVL_DEBUG, __VA_ARGS__)

#endif /* OSPREY_LOG_H */
