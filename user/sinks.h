/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Output sinks: where the engine's observations go.  The p0f box or JSON
 * lines on stdout, and p0f's log format in the -o file (opened like p0f:
 * append, no symlinks, 0600, locked; created for the -u user; reopened on
 * SIGHUP for logrotate).
 * The only caller of the engine's output formatters.
 */
#ifndef OSPREY_SINKS_H
#define OSPREY_SINKS_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>
#include "user/engine/engine.h"
#include "user/engine/strbuf.h"

struct sinks_cfg {
	bool box; /* p0f's stdout box */
	bool json; /* JSON lines on stdout */
	const char *log_path; /* -o FILE, NULL for none */
	bool live; /* the caller flushes (sinks_flush) once per round */
	const char *owner; /* -u user: a log file we create is theirs */
	const char *sensor; /* the JSON records' "sensor" */
};

struct sinks {
	bool box, json;
	FILE *log; /* unbuffered: the lines are buffered in log_sb */
	char *log_buf; /* log_sb's buffer */
	struct strbuf log_sb;
	bool chown; /* give log files we create to uid:gid */
	uid_t uid;
	gid_t gid;
	const char *log_path;
	const char *sensor;
};

/* Open the log file and set up stdout.  0 or -errno (logged). */
int sinks_open(struct sinks *s, const struct sinks_cfg *cfg);
/* The engine's observation callback (obs_cb): o to every sink. */
void sinks_emit(void *sinks, const struct obs *o);
/* SIGHUP: reopen the log file when it was rotated.  0 or -errno; on
 * failure the old file stays in use. */
int sinks_reopen_log(struct sinks *s);
/* Push out what the buffers hold: one write per sink (live: after each
 * ring buffer round). */
void sinks_flush(struct sinks *s);
void sinks_close(struct sinks *s);

#endif /* OSPREY_SINKS_H */
