// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the p0f .fp grammar (sigdb_load_buf), every section
 * (classes, ua_os, [mtu], [tcp:*], [http:*]), label/sys/sig lines and the
 * duplicate-signature checks.  A database that loads is then used once:
 * a SYN and a SYN+ACK are matched against it, so what the parser built is
 * read back by the matcher.
 *
 * Input after a line ";;" is a second file: overlaid on the first
 * (sigdb_overlay_buf), and then loaded alone as the database a running
 * engine is switched to (engine_swap_db), after which the packets are
 * matched again against what the hosts were carried over to.
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

static void feed(struct engine *e, unsigned long long ms)
{
	engine_feed(e, syn, sizeof(syn), ms);
	engine_feed(e, synack, sizeof(synack), ms + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *cut;
	size_t base = size, over = 0;
	struct sigdb db, nd;
	struct engine e;
	char err[256];

	cut = memmem(text, size, "\n;;\n", 4);
	if (cut) {
		base = (size_t)(cut - text);
		over = size - base - 4;
	}
	memset(&db, 0, sizeof(db));
	if (sigdb_load_buf(&db, "fuzz.fp", text, base, err, sizeof(err)))
		return 0;
	if (cut &&
	    sigdb_overlay_buf(&db, "over.fp", cut + 4, over, err, sizeof(err)))
		return 0; /* the db is freed on error */
	if (!engine_init(&e, &db, NULL)) {
		e.on_obs = ignore;
		feed(&e, 1700000000000ull);
		if (cut && !sigdb_load_buf(&nd, "new.fp", cut + 4, over, err,
					   sizeof(err))) {
			if (engine_swap_db(&e, &nd))
				sigdb_free(&nd);
			feed(&e, 1700000001000ull);
		}
		engine_free(&e);
	}
	sigdb_free(&db);
	return 0;
}
