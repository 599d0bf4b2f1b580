/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The live daemon's state, shared by its two files: live.c (the loop and
 * what it publishes) and live_setup.c (checks before capture starts, the
 * pin directory).  Nothing else includes this.
 */
#ifndef OSPREY_LIVE_INT_H
#define OSPREY_LIVE_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <net/if.h>
#include <pcap/pcap.h>

#include "user/capture.h"
#include "user/evclock.h"
#include "user/hostmap.h"
#include "user/options.h"
#include "user/sinks.h"

/* Names of the interfaces events came from (JSON "iface"). */
struct ifname_cache {
	int ifindex;
	char name[IF_NAMESIZE];
};

struct live {
	const struct osprey_opts *o;
	struct engine *e;
	struct sinks *s;
	struct capture *cap;
	struct api_server *api;
	struct http_api *http; /* --http: /metrics and /hosts */
	struct ifwatch *ifw; /* interfaces: attach, removal, return, any */
	char status[256]; /* the last STATUS= sent to systemd */
	const char *pin_dir;
	int hosts_fd, dstats_fd;
	int ep_fd, sig_fd, timer_fd;
	gid_t gid;
	bool have_gid;
	bool stop;
	/* CLOCK_REALTIME - CLOCK_MONOTONIC, ns */
	int64_t clock_off;
	uint64_t clock_at_ms, wd_ms;
	/* event times: kernel tick stamps made precise (evclock.h), unless
	 * --precise-clock */
	struct evclock evc;
	bool coarse;
	uint64_t batch;
	/* the CLI's observation callback, called before we publish */
	obs_cb next_obs;
	void *next_ctx;
	/* events go to the engine through this (engine.h: the feed
	 * pipeline), emptied at the end of each round */
	struct engine_pipe pipe;
	/* written when the ring is empty, or every HOST_DEFER_MS while
	 * records keep coming */
	struct hostmap_batch *hosts;
	const struct host *last_queued; /* the last host noted for it */
	uint64_t hosts_ms; /* when hosts were last written (monotonic) */
	/* the trailing filter expression, run on each event's IP bytes */
	struct bpf_program filt;
	bool have_filt;
	struct ifname_cache ifn[CAPTURE_MAX_IFACES];
	uint64_t st[DST_MAX];
};

/* Everything checked before anything is loaded: the filter, privileges,
 * BTF, interfaces (ifs/n_ifs: the ones to use; defif the default route's
 * when none was given), the group, bpffs and the pin directory.  0 or
 * -errno (logged). */
int live_preflight(struct live *l, const char **ifs, int *n_ifs, char *defif,
		   size_t deflen);
/* Pins are created 0600: give the configured group read access. */
void live_pin_perms(struct live *l);

#endif /* OSPREY_LIVE_INT_H */
