// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the p0f .fp grammar (sigdb_load_buf), every section
 * (classes, ua_os, [mtu], [tcp:*], [http:*]), label/sys/sig lines and the
 * duplicate-signature checks.  A database that loads is then used once:
 * a SYN and a SYN+ACK are matched against it, so what the parser built is
 * read back by the matcher.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "user/engine/engine.h"

static const uint8_t syn[] = {
	0x45, 0x00, 0x00, 0x3c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06, 0,	  0,
	10,   0,    0,	  1,	10,   0,    0,	  2,	0x04, 0x00, 0x00, 0x50,
	0,    0,    0,	  1,	0,    0,    0,	  0,	0xa0, 0x02, 0xfa, 0xf0,
	0,    0,    0,	  0,	2,    4,    5,	  0xb4, 4,    2,    8,	  10,
	0,    0,    0,	  1,	0,    0,    0,	  0,	1,    3,    3,	  7,
};
static const uint8_t synack[] = {
	0x45, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x40, 0x00, 0x40, 0x06, 0,
	0,    10,   0,	  0,	2,    10,   0,	  0,	1,    0x00, 0x50,
	0x04, 0x00, 0,	  0,	0,    9,    0,	  0,	0,    2,    0x60,
	0x12, 0xff, 0xff, 0,	0,    0,    0,	  2,	4,    5,    0xb4,
};

static void ignore(void *ctx, const struct obs *o)
{
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sigdb db;
	struct engine e;
	char err[256];

	memset(&db, 0, sizeof(db));
	if (sigdb_load_buf(&db, "fuzz.fp", (const char *)data, size, err,
			   sizeof(err)))
		return 0;
	if (!engine_init(&e, &db, NULL)) {
		e.on_obs = ignore;
		engine_feed(&e, syn, sizeof(syn), 1700000000000ull);
		engine_feed(&e, synack, sizeof(synack), 1700000000001ull);
		engine_free(&e);
	}
	sigdb_free(&db);
	return 0;
}
