// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The logger of log.h.  No libbpf here: unit tests link this file, and
 * main() installs libbpf's print hook itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "user/log.h"

static const char *log_ident = "osprey";
static enum log_level log_max = LOG_LVL_INFO;
/* -1 not looked yet, 0 plain stderr, 1 stderr is the journal's stream */
static int log_journal = -1;
/* the last raw text ended a line: the next one starts a new line */
static bool log_at_bol = true;

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
 * Is stderr connected to the journal?  systemd sets JOURNAL_STREAM to
 * "DEV:INODE" of the stream it gave us; a stderr redirected elsewhere
 * by a child's parent no longer matches (systemd.exec(5)).
 */
bool log_to_journal(void)
{
	unsigned long long dev, ino;
	const char *js;
	struct stat st;

	if (log_journal >= 0)
		return log_journal;
	js = getenv("JOURNAL_STREAM");
	log_journal = js && sscanf(js, "%llu:%llu", &dev, &ino) == 2 &&
		      !fstat(STDERR_FILENO, &st) &&
		      (unsigned long long)st.st_dev == dev &&
		      (unsigned long long)st.st_ino == ino;
	return log_journal;
}

/* sd-daemon(3) priorities: SD_ERR, SD_WARNING, SD_INFO, SD_DEBUG. */
static int journal_prio(enum log_level lvl)
{
	static const int prio[] = {
		[LOG_LVL_ERROR] = 3, [LOG_LVL_WARN] = 4,  [LOG_LVL_INFO] = 6,
		[LOG_LVL_DEBUG] = 7, [LOG_LVL_TRACE] = 7,
	};

	return lvl <= LOG_LVL_TRACE ? prio[lvl] : 7;
}

/*
 * The one writer.  With an ident, the line gets "IDENT: " before and a
 * newline after.  Under systemd each line starts with its "<N>" priority,
 * which journald strips and records.
 */
static int log_write(enum log_level lvl, const char *ident, const char *fmt,
		     va_list ap)
{
	int n = 0;

	if (log_at_bol && log_to_journal())
		n = fprintf(stderr, "<%d>", journal_prio(lvl));
	if (n >= 0 && ident)
		n = fprintf(stderr, "%s: ", ident);
	if (n >= 0)
		n = vfprintf(stderr, fmt, ap);
	if (n >= 0 && ident)
		n = fputc('\n', stderr) == EOF ? -1 : n + 1;
	/* raw text (libbpf's) brings its own newline, mostly at the end */
	if (!ident)
		log_at_bol = fmt[0] && fmt[strlen(fmt) - 1] == '\n';
	return n;
}

int log_vraw(enum log_level lvl, const char *fmt, va_list ap)
{
	if (!log_enabled(lvl))
		return 0;
	return log_write(lvl, NULL, fmt, ap);
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
	va_list ap;

	if (!log_enabled(lvl))
		return;
	va_start(ap, fmt);
	log_write(lvl, log_ident, fmt, ap);
	va_end(ap);
}
