/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The signature databases of a run (dbload.c): which files (-f, given up
 * to OSPREY_MAX_DBS times, else the default database), loading them, and
 * reloading them on SIGHUP while the engine keeps running.
 */
#ifndef OSPREY_DBLOAD_H
#define OSPREY_DBLOAD_H

#include "user/engine/engine.h"
#include "user/options.h"

/* Load the run's databases into db.  0, or -errno with the reason
 * ("file:line: what") logged. */
int db_load(const struct osprey_opts *o, struct sigdb *db);
/* Load one file, or the default database when path is NULL (commands
 * that check names against the database: osprey policy).  As db_load. */
int db_load_path(const char *path, struct sigdb *db);
/*
 * Read the run's databases again and switch the engine to them.  The new
 * database is built aside: on any error the engine keeps the one it has
 * and the reason is logged with file:line.  0 or -errno.
 */
int db_reload(const struct osprey_opts *o, struct engine *e);

#endif /* OSPREY_DBLOAD_H */
