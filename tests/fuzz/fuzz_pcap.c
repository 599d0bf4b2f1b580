// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the offline capture reader (user/pcap_src.c) on a
 * whole capture file: libpcap's pcap/pcapng parsing, then our link layer
 * decoding (Ethernet + VLAN, SLL/SLL2, raw, loopback, NFLOG, 802.11,
 * radiotap, pflog, offset guessing) and the engine behind it.  The input
 * is written to a temporary file and read with pcap_src_read(), the path
 * `osprey -r` takes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "user/pcap_src.h"

static struct sigdb db;
static int db_ok;
static char path[64];

static void ignore(void *ctx, const struct obs *o)
{
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[256];
	const char *dbp = getenv("OSPREY_FUZZ_DB");

	if (sigdb_load(&db, dbp ? dbp : "db/osprey.fp", err, sizeof(err))) {
		fprintf(stderr, "fuzz_pcap: %s (run from the repo top)\n", err);
		abort();
	}
	db_ok = 1;
	snprintf(path, sizeof(path), "/tmp/osprey-fuzz-pcap.%d", (int)getpid());
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pcap_src_stats st;
	struct engine e;
	char err[256];
	FILE *fp;

	if (!db_ok)
		return 0;
	fp = fopen(path, "w");
	if (!fp)
		return 0;
	if (size && fwrite(data, size, 1, fp) != 1) {
		fclose(fp);
		return 0;
	}
	fclose(fp);
	if (!engine_init(&e, &db, NULL)) {
		e.on_obs = ignore;
		pcap_src_read(path, NULL, &e, &st, err, sizeof(err));
		engine_free(&e);
	}
	unlink(path);
	return 0;
}
