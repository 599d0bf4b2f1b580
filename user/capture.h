/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Kernel capture: load the capture programs (capture.bpf.c: XDP for what
 * an interface receives, tc egress for what the host sends), configure
 * them, attach them to interfaces and read their ring buffer and counters.
 * Implemented in capture.c (and capture_tc.c) with libbpf.
 */
#ifndef OSPREY_CAPTURE_H
#define OSPREY_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "bpf/osprey_abi.h"
#include "user/osprey.h"

struct capture;

/* Interfaces one capture can be attached to at once (-i any). */
#define CAPTURE_MAX_IFACES 64

/* What capture_hooks() reports as attached to an interface. */
#define CAPTURE_HOOK_XDP 0x1
#define CAPTURE_HOOK_EGRESS 0x2
#define CAPTURE_HOOK_XDP_MULTI 0x4

struct capture_cfg {
	const char *pin_dir; /* NULL: don't pin (tests) */
	uint32_t max_hosts; /* size of the pinned hosts map */
	uint32_t flow_entries; /* 0 = default */
	uint32_t flow_budget; /* per direction; 0 = default */
	uint32_t flow_age; /* seconds; 0 = default */
	uint32_t ringbuf_bytes; /* 0 = default */
	bool xdp_policy;
	const char *port_allow, *port_deny, *net_allow, *net_deny;
	uint32_t flow_pkts; /* events per flow direction (<= 65535);
					 * 0 = OSPREY_FLOW_MAX_PKTS */
	/* capture_open() fails with -ERANGE when it cannot put jiffies on
	 * the clock (load again without) */
	bool coarse_clock; /* event times in jiffies (one load, not
			    * a clock read in the kernel), put on
			    * CLOCK_MONOTONIC by capture_event_ns():
			    * up to a tick early; the daemon
			    * refines them (evclock.h) */
	enum capture_direction direction; /* default CAPTURE_BOTH */
	bool xdp_link; /* XDP by a plain bpf_link only, not libxdp's
			* multi-program dispatcher */
};

/* Called for each ring buffer record; return non-zero to stop polling. */
typedef int (*capture_event_fn)(void *ctx, const struct osprey_event *ev,
				size_t size);

/* Open and load (not attached).  Returns 0 or -errno, message in err. */
int capture_open(struct capture **out, const struct capture_cfg *cfg,
		 capture_event_fn fn, void *ctx, char *err, size_t errlen);
/*
 * Attach to an interface in cfg->direction: the XDP program (XDP_MODE_AUTO
 * tries native then generic and reports the mode used in *used_mode), the
 * tc egress program, or both.  XDP goes into libxdp's multi-program
 * dispatcher, beside other programs loaded through libxdp (xdp-filter,
 * xdp-loader), unless cfg->xdp_link, the kernel cannot run the
 * dispatcher, or the process lacks CAP_SYS_ADMIN (libxdp reads the
 * programs on an interface by id): then by a plain bpf_link, exclusive.  On a loopback device CAPTURE_BOTH attaches
 * XDP only: there every packet is both sent and received, and is reported
 * once, as p0f on lo sees it once.  A forwarded packet is reported once
 * too: the egress program skips packets that arrived on an interface this
 * capture has XDP on.  On error nothing stays attached to ifname.
 */
int capture_attach(struct capture *c, const char *ifname,
		   enum xdp_mode_opt mode, enum xdp_mode_opt *used_mode,
		   char *err, size_t errlen);
/* CAPTURE_HOOK_* bits attached to ifname (0: not attached);
 * CAPTURE_HOOK_XDP_MULTI when XDP is in libxdp's dispatcher. */
unsigned int capture_hooks(struct capture *c, const char *ifname);
/* Interfaces attached now. */
int capture_count(struct capture *c);
/* Is the interface with this index one we are attached to? */
bool capture_attached(struct capture *c, int ifindex);
/* Detach from the interface with this index (also when it is gone: the
 * kernel took our programs off with it; this forgets it).  0 or -ENOENT
 * when not attached there. */
int capture_detach(struct capture *c, int ifindex);
/* "ingress", "egress" or "both" into *out.  0 or -EINVAL. */
/* epoll-able fd of the ring buffer. */
int capture_fd(struct capture *c);
/* Consume available records; returns count or -errno. */
int capture_poll(struct capture *c, int timeout_ms);
/* An event's time on CLOCK_MONOTONIC, in ns (with coarse_clock, the
 * moment its tick began: less than a tick before the packet, give or
 * take the calibration's microseconds). */
uint64_t capture_event_ns(const struct capture *c,
			  const struct osprey_event *ev);
/* Kernel counters summed over CPUs. */
int capture_counters(struct capture *c, uint64_t out[OSPREY_CTR_MAX]);
/* fd of the pinned hosts map, and of the rule set in force (policy_a
 * unless another is; tests) (shared through OSPREY_PIN_DIR). */
int capture_hosts_fd(struct capture *c);
int capture_policy_fd(struct capture *c);
/* Detach from every interface and free. */
void capture_close(struct capture *c);

extern const char *const osprey_ctr_names[OSPREY_CTR_MAX];

/* ---- appended: helpers for tests, tools and `osprey stats` ---------- */

/* The loaded XDP and tc egress programs (for BPF_PROG_TEST_RUN). */
int capture_prog_fd(struct capture *c);
int capture_egress_prog_fd(struct capture *c);
/* The flow caches, mapped read-write: *n buckets each (NULL, errno set,
 * on failure), and a way to empty both. */
struct osprey_flow4_bucket *capture_flows4(struct capture *c, uint32_t *n);
struct osprey_flow6_bucket *capture_flows6(struct capture *c, uint32_t *n);
int capture_flows_clear(struct capture *c);
/* Ring buffer records dropped as too short to hold their cap_len. */
uint64_t capture_bad_records(struct capture *c);
/* Counters pinned under pin_dir (NULL: OSPREY_PIN_DIR), summed over CPUs;
 * works while no daemon runs.  0, -ENOENT if never pinned, or -errno. */
int capture_counters_pinned(const char *pin_dir, uint64_t out[OSPREY_CTR_MAX]);

/* Port list "80,443,8000-8100" into a bitmap.  0 or -EINVAL (err set). */
int capture_parse_ports(const char *spec,
			uint8_t bits[OSPREY_PORT_BITMAP_BYTES], char *err,
			size_t errlen);

struct capture_cidr {
	uint8_t family; /* 4 or 6 */
	uint8_t prefix; /* prefix length */
	uint8_t addr[16];
};
/* Network list "10.0.0.0/8,2001:db8::/32" (no /LEN: one host) into
 * out[0..*n).  0, -EINVAL or -E2BIG (err set). */
int capture_parse_cidrs(const char *spec, struct capture_cidr *out, size_t max,
			size_t *n, char *err, size_t errlen);

#endif /* OSPREY_CAPTURE_H */
