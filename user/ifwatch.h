/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Which interfaces the daemon captures on, kept current while it runs
 * (ifwatch.c, over netmon.c's link events):
 *
 *   -i NAME ...  those interfaces.  All must attach at startup.  One that
 *                disappears is reported (stderr / journal) and forgotten;
 *                when an interface of that name appears again, capture
 *                re-attaches there and says so.
 *   -i any       every interface that is up and carries Ethernet frames,
 *                and each new one as it comes up; see ifwatch_eligible().
 *
 * The capture program's xdp_ifaces map (what the egress program skips as
 * forwarded) follows, since attach and detach keep it.
 */
#ifndef OSPREY_IFWATCH_H
#define OSPREY_IFWATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "user/capture.h"
#include "user/netmon.h"
#include "user/osprey.h"

struct ifwatch;

/* Watch for cap: the n names (n = 1 and names[0] "any": -i any). */
int ifwatch_open(struct ifwatch **out, struct capture *cap,
		 const char *const *names, int n, enum xdp_mode_opt mode);
/* Attach where we should now.  Named interfaces: all or an error (-errno,
 * logged); any: every eligible one, those refused are skipped with a
 * warning.  0 or -errno. */
int ifwatch_start(struct ifwatch *w);
/* The netlink fd for epoll, and what to do when it is readable. */
int ifwatch_fd(const struct ifwatch *w);
void ifwatch_service(struct ifwatch *w);
/* One line for systemd's STATUS=: where we capture, what we wait for. */
void ifwatch_status(const struct ifwatch *w, char *buf, size_t len);
/* Interfaces attached now. */
int ifwatch_count(const struct ifwatch *w);
void ifwatch_close(struct ifwatch *w);

/*
 * -i any takes a link when it is up, has an Ethernet header (ARPHRD_ETHER)
 * or is the loopback device, and is not an upper device whose traffic
 * its lower devices already carry (bridge, bond, team, vrf masters:
 * their ports are taken; vlan, macvlan, ipvlan devices: their lower
 * device is taken), so each packet is seen once.  Links without an
 * Ethernet header (wireguard, tun, ip tunnels, ppp: ARPHRD_NONE and
 * others) are skipped: the capture program parses Ethernet frames.
 */
bool ifwatch_eligible(const struct netmon_link *l);

#endif /* OSPREY_IFWATCH_H */
