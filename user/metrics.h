/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The daemon's state in Prometheus' text exposition format (version
 * 0.0.4), for the HTTP API's /metrics: every kernel and daemon counter,
 * observations per module, hosts tracked and hosts per OS class.
 */
#ifndef OSPREY_METRICS_H
#define OSPREY_METRICS_H

#include <stdint.h>
#include <stdio.h>
#include "user/engine/engine.h"

struct metrics_in {
	const uint64_t *kernel; /* OSPREY_CTR_MAX counters, NULL if unread */
	const uint64_t *daemon; /* DST_MAX counters (hostmap.h) */
	const struct engine *e;
	uint64_t http_requests;
};

/* Write every metric to fp.  0 or -errno. */
int metrics_write(FILE *fp, const struct metrics_in *m);

#endif /* OSPREY_METRICS_H */
