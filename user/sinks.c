// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Output sinks (sinks.h): the engine's formatters onto stdout and the -o
 * log file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "user/log.h"
#include "user/sinks.h"

#define LOG_MODE 0600

/*
 * Offline runs write a few hundred MB of records: stdio's default 4 KB
 * buffers cost one write() per handful of them.  Static, because stdout
 * is flushed after sinks_close() returns.
 */
#define SINK_BUF_SIZE (256u << 10)
static char stdout_buf[SINK_BUF_SIZE], log_buf[SINK_BUF_SIZE];

/*
 * Open like p0f: append, no symlinks, create 0600, one writer at a time.
 * With `cur` (SIGHUP), a path that still names the open file returns cur.
 */
static FILE *open_log(const char *path, FILE *cur)
{
	struct stat st, cst;
	FILE *fp;
	int fd;

	fd = open(path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0) {
		if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
			pr_err("%s: not a regular file", path);
			close(fd);
			return NULL;
		}
	} else if (errno == ENOENT) {
		fd = open(path,
			  O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			  LOG_MODE);
	}
	if (fd < 0) {
		pr_err("cannot open log %s: %s", path, strerror(errno));
		return NULL;
	}
	/* not rotated: keep writing where we are (and keep our lock) */
	if (cur && !fstat(fd, &st) && !fstat(fileno(cur), &cst) &&
	    st.st_dev == cst.st_dev && st.st_ino == cst.st_ino) {
		close(fd);
		return cur;
	}
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		pr_err("%s is in use by another process", path);
		close(fd);
		return NULL;
	}
	fp = fdopen(fd, "a");
	if (!fp) {
		pr_err("fdopen %s: %s", path, strerror(errno));
		close(fd);
	}
	return fp;
}

int sinks_open(struct sinks *s, const struct sinks_cfg *cfg)
{
	memset(s, 0, sizeof(*s));
	s->box = cfg->box;
	s->json = cfg->json;
	s->flush = cfg->live;
	s->sensor = cfg->sensor;
	/* nothing has been written to stdout yet; a terminal stays as it is */
	if (cfg->live)
		setlinebuf(stdout);
	else if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, stdout_buf, _IOFBF, sizeof(stdout_buf));
	if (cfg->log_path) {
		s->log_path = cfg->log_path;
		s->log = open_log(cfg->log_path, NULL);
		if (!s->log)
			return -EIO;
		if (!cfg->live)
			setvbuf(s->log, log_buf, _IOFBF, sizeof(log_buf));
	}
	return 0;
}

void sinks_emit(void *ctx, const struct obs *o)
{
	struct sinks *s = ctx;

	if (s->box)
		out_box(stdout, o);
	if (s->json)
		out_json(stdout, o, s->sensor);
	if (s->log)
		out_log(s->log, o);
	/* live: records must not wait in stdio buffers for minutes */
	if (s->flush) {
		if (s->box || s->json)
			fflush(stdout);
		if (s->log)
			fflush(s->log);
	}
}

int sinks_reopen_log(struct sinks *s)
{
	FILE *fp;

	if (!s->log_path)
		return 0;
	/* on failure keep the old file: a late line beats a lost one */
	fp = open_log(s->log_path, s->log);
	if (!fp)
		return -EIO;
	if (fp != s->log) {
		if (s->log)
			fclose(s->log);
		s->log = fp;
	}
	return 0;
}

void sinks_flush(struct sinks *s)
{
	if (s->log)
		fflush(s->log);
	fflush(stdout);
}

void sinks_close(struct sinks *s)
{
	if (s->log)
		fclose(s->log);
	s->log = NULL;
	fflush(stdout);
}
