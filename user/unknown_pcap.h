/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * --unknown-pcap FILE (unknown_pcap.c): every SYN and SYN+ACK that no
 * signature matched, written to a pcap file (raw IP link type) that
 * `osprey sig -r FILE` turns into database lines and users can send in.
 *
 * Bounded: one packet per distinct signature (the line `osprey sig` would
 * write for it, so a host seen again, or at another distance, adds
 * nothing; an unmatched SYN+ACK comes with the SYN it answers), at most
 * UNKNOWN_MAX_PACKETS packets and UNKNOWN_MAX_BYTES bytes per run; what
 * the bounds leave out is counted and logged.
 */
#ifndef OSPREY_UNKNOWN_PCAP_H
#define OSPREY_UNKNOWN_PCAP_H

#include <stdint.h>

#include "user/engine/engine.h"

#define UNKNOWN_MAX_PACKETS 1000
#define UNKNOWN_MAX_BYTES (4u << 20)

struct unknown_pcap;

/*
 * Create (truncate) path, 0600, no symlinks, and put the writer in front
 * of the engine's observation callback (which it calls on).  0 or -errno
 * (logged).
 */
int unknown_pcap_open(struct unknown_pcap **u, const char *path,
		      struct engine *e);
/* Restore the engine's callback, log what was written, close. */
void unknown_pcap_close(struct unknown_pcap *u, struct engine *e);

#endif /* OSPREY_UNKNOWN_PCAP_H */
