/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The tree's database for unit tests that run packets through a real
 * engine: db/NAME under $TOP (else the working directory), loaded on
 * first use into `db`, one per test program.
 */
#ifndef OSPREY_TESTS_UNIT_DB_H
#define OSPREY_TESTS_UNIT_DB_H

#include <stdio.h>
#include <stdlib.h>

#include "user/engine/sigstore.h"

static struct sigdb db;

/* 1 if db/name is loaded (its error is printed once as a comment). */
static int unit_db_load(const char *name)
{
	static int ok = -1;
	char path[512], err[256];
	const char *top = getenv("TOP");

	if (ok >= 0)
		return ok;
	snprintf(path, sizeof(path), "%s/db/%s", top ? top : ".", name);
	ok = !sigdb_load(&db, path, err, sizeof(err));
	if (!ok)
		printf("# %s\n", err);
	return ok;
}

#endif /* OSPREY_TESTS_UNIT_DB_H */
