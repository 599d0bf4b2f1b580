// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Output sinks (sinks.h): the engine's formatters onto stdout and the -o
 * log file.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "user/log.h"
#include "user/sinks.h"

#define LOG_MODE 0600

/*
 * Records are written into large buffers and pushed out in one write()
 * per sink: offline when a buffer fills, live once per ring buffer round
 * (sinks_flush), so a busy daemon makes no syscall per record and a quiet
 * one still shows each record at once.  stdout's is its stdio buffer,
 * static because stdout is flushed after sinks_close() returns.  The log's
 * is its own (SIGHUP swaps log files), a strbuf the log line is formatted
 * straight into (the log's FILE is unbuffered, so stdio copies nothing).
 */
#define SINK_BUF_SIZE (256u << 10)
static char stdout_buf[SINK_BUF_SIZE];

/*
 * Open like p0f: append, no symlinks, create 0600, one writer at a time;
 * a file we create belongs to the -u user (s->chown).
 * With `cur` (SIGHUP), a path that still names the open file returns cur.
 */
static FILE *open_log(const struct sinks *s, const char *path, FILE *cur,
		      char **buf)
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
		/* made by root for the -u user it runs as once set up, who
		 * must reopen it (SIGHUP) and logrotate's copy of it */
		if (fd >= 0 && s->chown && fchown(fd, s->uid, s->gid)) {
			pr_err("%s: chown to the -u user: %s", path,
			       strerror(errno));
			close(fd);
			unlink(path);
			return NULL;
		}
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
		return NULL;
	}
	*buf = malloc(SINK_BUF_SIZE);
	if (!*buf) {
		pr_err("%s: no memory for its buffer", path);
		fclose(fp);
		return NULL;
	}
	setvbuf(fp, NULL, _IONBF, 0);
	return fp;
}

int sinks_open(struct sinks *s, const struct sinks_cfg *cfg)
{
	memset(s, 0, sizeof(*s));
	s->box = cfg->box;
	s->json = cfg->json;
	s->sensor = cfg->sensor;
	if (cfg->owner && cfg->log_path && geteuid() == 0) {
		struct passwd *pw = getpwnam(cfg->owner);

		if (!pw) {
			pr_err("user '%s': no such user", cfg->owner);
			return -ENOENT;
		}
		s->chown = pw->pw_uid != 0;
		s->uid = pw->pw_uid;
		s->gid = pw->pw_gid;
	}
	/* nothing has been written to stdout yet; offline, a terminal stays
	 * line-buffered (live flushes every round anyway) */
	if (cfg->live || !isatty(STDOUT_FILENO))
		setvbuf(stdout, stdout_buf, _IOFBF, sizeof(stdout_buf));
	if (cfg->log_path) {
		s->log_path = cfg->log_path;
		s->log = open_log(s, cfg->log_path, NULL, &s->log_buf);
		if (!s->log)
			return -EIO;
		sb_init_file(&s->log_sb, s->log_buf, SINK_BUF_SIZE, s->log);
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
		out_log_to(&s->log_sb, o);
}

int sinks_reopen_log(struct sinks *s)
{
	FILE *fp;

	if (!s->log_path)
		return 0;
	char *buf = NULL;

	/* on failure keep the old file: a late line beats a lost one */
	fp = open_log(s, s->log_path, s->log, &buf);
	if (!fp)
		return -EIO;
	if (fp != s->log) {
		if (s->log) {
			sb_flush(&s->log_sb); /* the old file's last lines */
			fclose(s->log);
		}
		free(s->log_buf);
		s->log = fp;
		s->log_buf = buf;
		sb_init_file(&s->log_sb, buf, SINK_BUF_SIZE, fp);
	}
	return 0;
}

void sinks_flush(struct sinks *s)
{
	if (s->log)
		sb_flush(&s->log_sb);
	fflush(stdout);
}

void sinks_close(struct sinks *s)
{
	if (s->log) {
		sb_flush(&s->log_sb);
		fclose(s->log);
	}
	s->log = NULL;
	free(s->log_buf);
	s->log_buf = NULL;
	fflush(stdout);
}
