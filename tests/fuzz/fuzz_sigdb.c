// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness for the .fp reader: the input is a whole database
 * file (all sections, labels, sys lists and TCP/MTU/HTTP sig lines).  It
 * must load or fail with "name:line: what", and free cleanly either way.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "user/engine/engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sigdb db;
	char err[256] = "";
	int rc;

	rc = sigdb_load_buf(&db, "f.fp", (const char *)data, size, err,
			    sizeof(err));
	if (rc && strncmp(err, "f.fp:", 5))
		abort();
	if (!rc && err[0])
		abort();
	sigdb_free(&db);
	return 0;
}
