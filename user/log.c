// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The logger of log.h.  No libbpf here: unit tests link this file, and
 * main() installs libbpf's print hook itself.
 */
#include <stdio.h>

#include "user/log.h"

static const char *log_ident = "osprey";
static enum log_level log_max = LOG_LVL_INFO;

void log_set_ident(const char *ident)
{
	log_ident = ident;
}

void log_set_verbosity(int verbose)
{
	if (verbose < 0)
		verbose = 0;
	log_max = verbose >= LOG_LVL_TRACE - LOG_LVL_INFO ?
			  LOG_LVL_TRACE :
			  (enum log_level)(LOG_LVL_INFO + verbose);
}

bool log_enabled(enum log_level lvl)
{
	return lvl <= log_max;
}

/*
 * The one writer (a later sd-daemon "<N>" prefix goes here).  With an
 * ident, the line gets "IDENT: " before and a newline after.
 */
static int log_write(const char *ident, const char *fmt, va_list ap)
{
	int n = 0;

	if (ident)
		n = fprintf(stderr, "%s: ", ident);
	if (n >= 0)
		n = vfprintf(stderr, fmt, ap);
	if (n >= 0 && ident)
		n = fputc('\n', stderr) == EOF ? -1 : n + 1;
	return n;
}

int log_vraw(enum log_level lvl, const char *fmt, va_list ap)
{
	if (!log_enabled(lvl))
		return 0;
	return log_write(NULL, fmt, ap);
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
	va_list ap;

	if (!log_enabled(lvl))
		return;
	va_start(ap, fmt);
	log_write(log_ident, fmt, ap);
	va_end(ap);
}
