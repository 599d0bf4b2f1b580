// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The run's signature databases: the files of -f (or the default), loaded
 * first to last, each later one overlaid on those before it (the engine's
 * sigdb_overlay(): its sigs are tried first and replace earlier ones of
 * the same shape), and reloaded on SIGHUP.
 *
 * A reload reads every file again into a database of its own.  Only when
 * all of them loaded does the engine switch to it (engine_swap_db(),
 * which carries the hosts and flows over); otherwise the running database
 * stays and the error, with file and line, goes to the log (the journal
 * under systemd).  A daemon that dropped root (-u) reads the files as
 * that user.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "user/dbload.h"
#include "user/log.h"
#include "user/osprey.h"

/* db/osprey.fp of the source tree when running .output/osprey */
static int build_tree_db(char *buf, size_t len)
{
	char exe[PATH_MAX], *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return -ENOENT;
	exe[n] = 0;
	slash = strrchr(exe, '/');
	if (!slash)
		return -ENOENT;
	*slash = 0;
	/* .output/osprey -> .output/../db/osprey.fp */
	if (snprintf(buf, len, "%s/../db/osprey.fp", exe) >= (int)len)
		return -ENAMETOOLONG;
	if (access(buf, R_OK))
		return -ENOENT;
	if (realpath(buf, exe) && strlen(exe) < len)
		strcpy(buf, exe);
	return 0;
}

/* The files to read: -f's, else the one default (into buf). */
static int db_files(const struct osprey_opts *o, const char **paths, char *buf,
		    size_t len)
{
	int i;

	for (i = 0; i < o->n_dbs; i++)
		paths[i] = o->db_paths[i];
	if (o->n_dbs)
		return o->n_dbs;
	if (!build_tree_db(buf, len))
		paths[0] = buf;
	else if (!access(OSPREY_DEFAULT_DB, R_OK))
		paths[0] = OSPREY_DEFAULT_DB;
	else
		paths[0] = "db/osprey.fp";
	return 1;
}

/* Read the files into db; what: "database" or "reload" for messages. */
static int read_dbs(const struct osprey_opts *o, struct sigdb *db,
		    const char *what)
{
	const char *paths[OSPREY_MAX_DBS] = { NULL };
	char buf[PATH_MAX + 32], err[512] = "";
	int n = db_files(o, paths, buf, sizeof(buf)), rc, i;

	rc = sigdb_load_files(db, paths, n, err, sizeof(err));
	if (rc) {
		pr_err("%s: %s", what, err[0] ? err : strerror(-rc));
		return rc;
	}
	for (i = 0; i < n; i++)
		pr_debug("%s: %s%s", what, paths[i], i ? " (overlay)" : "");
	pr_debug("%s: %u tcp request, %u tcp response, %u mtu sigs", what,
		 db->tcp_cnt[1], db->tcp_cnt[0], db->mtu_cnt);
	return 0;
}

int db_load(const struct osprey_opts *o, struct sigdb *db)
{
	return read_dbs(o, db, "database");
}

int db_load_path(const char *path, struct sigdb *db)
{
	struct osprey_opts o;

	memset(&o, 0, sizeof(o));
	if (path) {
		o.db_paths[0] = path;
		o.n_dbs = 1;
	}
	return db_load(&o, db);
}

int db_reload(const struct osprey_opts *o, struct engine *e)
{
	struct sigdb nd;
	int rc;

	rc = read_dbs(o, &nd, "reload");
	if (rc) {
		pr_err("reload: keeping the databases in use");
		return rc;
	}
	rc = engine_swap_db(e, &nd);
	if (rc) {
		sigdb_free(&nd);
		pr_err("reload: %s; keeping the databases in use",
		       strerror(-rc));
		return rc;
	}
	pr_info("reload: databases reloaded (%u tcp request, %u tcp response, %u mtu sigs)",
		e->db->tcp_cnt[1], e->db->tcp_cnt[0], e->db->mtu_cnt);
	return 0;
}
