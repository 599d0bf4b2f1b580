/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Offline input: read a pcap / pcapng file with libpcap, find the IP header
 * behind the link layer and feed the engine.  No libbpf here, so the fuzz
 * harness (tests/fuzz/fuzz_pcap.c) links this file with the engine alone.
 */
#ifndef OSPREY_PCAP_SRC_H
#define OSPREY_PCAP_SRC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "user/engine/engine.h"

struct pcap_src_stats {
	uint64_t packets; /* records read that passed the filter */
	uint64_t fed; /* handed to the engine with an IP header (and, with
		       * a selection, selected) */
	uint64_t link_drops; /* link layer not understood / too short */
	uint64_t vlan; /* frames that carried 802.1Q/802.1ad tags */
	int linktype; /* pcap's DLT_* of the file */
	const char *linkname; /* its name, e.g. "EN10MB" */
};

/*
 * Read `path` (pcap or pcapng) and feed every TCP packet to `e`, with the
 * packet's own timestamp.  `filter` is an optional tcpdump expression,
 * combined with the built-in "tcp" rule the way p0f does.  `st` may be
 * NULL.
 *
 * Returns 0 at the end of the file.  On a bad filter or unreadable file
 * returns -EINVAL / -errno before anything is fed.  When the capture is
 * truncated or corrupt part-way, everything read before the damage has
 * been fed (its observations emitted) and -EIO is returned.  In every
 * error case a one-line reason is written to err.
 */
int pcap_src_read(const char *path, const char *filter, struct engine *e,
		  struct pcap_src_stats *st, char *err, size_t errlen);

/*
 * Same, from an in-memory capture (fuzzing, tests).  Uses fmemopen().
 */
int pcap_src_read_mem(const void *buf, size_t len, const char *filter,
		      struct engine *e, struct pcap_src_stats *st, char *err,
		      size_t errlen);

/*
 * Same, from an already open capture file (read from its current offset;
 * closed before returning).  Lets the caller open the file, then drop
 * privileges, then read.
 */
int pcap_src_read_fp(FILE *fp, const char *name, const char *filter,
		     struct engine *e, struct pcap_src_stats *st, char *err,
		     size_t errlen);

/*
 * What examines a packet before the engine does (offline_sel.h): fn gets
 * the bytes from the IP header on and returns 1 to feed them (it may
 * point *ip and *len at a shortened copy) or 0 to leave the packet out.
 */
struct pcap_src_sel {
	int (*fn)(void *ctx, const uint8_t **ip, size_t *len);
	void *ctx;
};
/* pcap_src_read_fp() with a selection (sel may be NULL). */
int pcap_src_read_sel(FILE *fp, const char *name, const char *filter,
		      const struct pcap_src_sel *sel, struct engine *e,
		      struct pcap_src_stats *st, char *err, size_t errlen);

/* Ask a running pcap_src_read() to stop after the current packet
 * (async-signal-safe). */
void pcap_src_stop(void);

/*
 * Offset of the IP header in a frame of link type `dlt` (a DLT_* value),
 * or -1 if the frame carries no IPv4/IPv6 we can find.  `*vlan` is set
 * when 802.1Q/802.1ad tags were skipped.  Exposed for tests.
 */
int pcap_src_ip_offset(int dlt, const uint8_t *frame, size_t len, int *vlan);

#endif /* OSPREY_PCAP_SRC_H */
