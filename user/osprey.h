/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * osprey application: constants every part of it shares.  Each .c file
 * has its own header for its functions (options.h, config.h, sinks.h,
 * live.h, service.h, cmd.h, ...).
 */
#ifndef OSPREY_H
#define OSPREY_H

#define OSPREY_VERSION "0.1.0"
#ifndef OSPREY_DEFAULT_DB /* the Makefile passes $(DATADIR)/osprey.fp */
#define OSPREY_DEFAULT_DB "/usr/local/share/osprey/osprey.fp"
#endif
#define OSPREY_MAX_IFACES 8
/* -f given twice: the default database and a local overlay (and room to
 * spare for a site file between them) */
#define OSPREY_MAX_DBS 4

/* Exit statuses (documented in osprey(8)) */
#define EXIT_OK 0
#define EXIT_FAIL 1 /* runtime error, or lookup: host unknown */
#define EXIT_USAGE 2 /* bad arguments, bad database, bad config */

enum xdp_mode_opt {
	XDP_MODE_AUTO = 0, /* native, falling back to generic */
	XDP_MODE_NATIVE,
	XDP_MODE_GENERIC,
};

/* Which traffic of an interface is captured (--direction). */
enum capture_direction {
	CAPTURE_BOTH = 0, /* XDP and tc egress: the whole conversation */
	CAPTURE_INGRESS, /* XDP only: what the interface receives */
	CAPTURE_EGRESS, /* tc egress only: what the host sends through it */
};

#endif /* OSPREY_H */
