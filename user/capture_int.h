/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The capture loader's private state, shared by its files: capture.c
 * (open, configure, read) and capture_attach.c (XDP and tc egress
 * attachment).  Nothing outside user/capture*.c includes this.
 */
#ifndef OSPREY_CAPTURE_INT_H
#define OSPREY_CAPTURE_INT_H

#include <stdbool.h>
#include "user/capture.h"
#include "user/evclock.h"
#include "capture.skel.h"

/* What one interface has of ours. */
struct iface_att {
	int ifindex;
	bool xdp, tc;
	bool multi; /* XDP through libxdp's dispatcher (else a link) */
	bool made_qdisc; /* the tc attach created the clsact qdisc */
	int link_fd; /* XDP bpf_link, or -1 for a legacy attachment */
	__u32 legacy_flags;
};

struct capture {
	struct capture_bpf *skel;
	struct ring_buffer *rb;
	capture_event_fn fn;
	void *ctx;
	int ncpus;
	enum capture_direction dir;
	struct iface_att att[CAPTURE_MAX_IFACES];
	int n_att;
	uint64_t bad_records; /* ring buffer records too short to use */
	void *flows_mem[2]; /* mmap of flows4, flows6 (lazily) */
	size_t flows_len[2];
	/* the XDP program as libxdp's dispatcher runs it (xdp_multi.h),
	 * made at the first XDP attach; multi_off: plain links only */
	struct xdp_multi *multi;
	bool multi_off;
	/* event times in jiffies (coarse_clock): their CLOCK_MONOTONIC
	 * (capture_clock.c); tick_ns 0 when events carry ns */
	struct evclock_ticks ticks;
};

/* Fit c->ticks for the loaded programs.  0, or -ERANGE with the reason
 * in err (the caller may load again with the precise clock). */
int capture_clock_calibrate(struct capture *c, char *err, size_t errlen);

/* Detach from every interface (capture_close). */
void capture_detach_all(struct capture *c);

#endif /* OSPREY_CAPTURE_INT_H */
