// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness for pkt_parse() and the TCP fingerprint text: any byte
 * string is parsed; a parsed packet is matched against the real database
 * and its raw_sig / params printed.  ASan checks that nothing reads past
 * the input (libFuzzer hands us an exactly-sized buffer).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "user/engine/engine.h"

static struct sigdb db;
static int db_loaded;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tcp_sig ts;
	struct pkt pk;
	char raw[512], fl[128];

	if (!db_loaded) {
		char err[256];

		/* an empty db still exercises the parser and the text */
		if (sigdb_load(&db, "db/osprey.fp", err, sizeof(err)))
			memset(&db, 0, sizeof(db));
		db_loaded = 1;
	}
	if (pkt_parse(data, size, 0, &pk) != PKT_OK)
		return 0;
	if (pk.pay_len &&
	    (pk.payload < data || pk.payload + pk.pay_len > data + size))
		abort();
	tcp_sig_from_pkt(&pk, 0, &ts);
	tcp_find_match(&db, pk.tcp_type == TCP_SYN, &ts, 0, size & 0xffff);
	tcp_dump_sig(&pk, &ts, size & 0xffff, raw, sizeof(raw));
	tcp_dump_flags(&pk, &ts, fl, sizeof(fl));
	return 0;
}
