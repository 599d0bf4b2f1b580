// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: raw IP/TCP bytes through pkt_parse() and the whole
 * engine (engine_feed: flows, hosts, TCP/MTU/uptime/HTTP/NAT modules).
 *
 * The input is a sequence of packets: [len_hi len_lo dt] then len bytes,
 * where dt is milliseconds since the previous packet.  Running several
 * packets through one engine reaches flow state (SYN -> SYN+ACK -> data),
 * which a single packet never would.  The database is db/osprey.fp,
 * loaded once.  Every observation is also formatted (box, log, JSON) so
 * output.c sees what the modules produced.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "user/engine/engine.h"

#define MAX_PKTS 64

static struct sigdb db;
static int db_ok;
static FILE *sink;

static void on_obs(void *ctx, const struct obs *o)
{
	out_box(sink, o);
	out_log(sink, o);
	out_json(sink, o, "fuzz");
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[256];
	const char *path = getenv("OSPREY_FUZZ_DB");

	if (!path)
		path = "db/osprey.fp";
	if (sigdb_load(&db, path, err, sizeof(err))) {
		fprintf(stderr, "fuzz_packet: %s (run from the repo top)\n",
			err);
		abort();
	}
	db_ok = 1;
	sink = fopen("/dev/null", "w");
	if (!sink)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct engine e;
	struct pkt pk;
	u64 ts = 1700000000000ull;
	size_t off = 0, len;
	int n = 0;

	if (!db_ok || engine_init(&e, &db, NULL))
		return 0;
	e.on_obs = on_obs;
	while (off + 3 <= size && n++ < MAX_PKTS) {
		len = (size_t)data[off] << 8 | data[off + 1];
		ts += data[off + 2];
		off += 3;
		if (len > size - off)
			len = size - off;
		/* a private copy, so reads past len are caught by ASan */
		uint8_t *p = malloc(len ? len : 1);
		if (!p)
			break;
		memcpy(p, data + off, len);
		pkt_parse(p, len, ts, &pk);
		engine_feed(&e, p, len, ts);
		free(p);
		off += len;
	}
	engine_free(&e);
	return 0;
}
