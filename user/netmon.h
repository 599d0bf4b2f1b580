/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Interface monitor: an rtnetlink socket subscribed to link events
 * (RTM_NEWLINK / RTM_DELLINK), for the daemon's epoll loop.  It tells the
 * daemon which interfaces exist, appear, change and disappear, with what
 * it needs to decide whether to capture there (-i any) and to notice a
 * monitored interface going away and coming back.
 */
#ifndef OSPREY_NETMON_H
#define OSPREY_NETMON_H

#include <stdbool.h>
#include <net/if.h>

struct netmon;

struct netmon_link {
	int ifindex;
	char name[IF_NAMESIZE];
	unsigned int flags; /* IFF_* (IFF_UP, IFF_LOOPBACK, ...) */
	unsigned short type; /* ARPHRD_* */
	int master; /* ifindex of the bridge/bond it is a port of, or 0 */
	char kind[16]; /* IFLA_INFO_KIND: "veth", "bridge", "vlan"; or "" */
	bool gone; /* RTM_DELLINK */
};

typedef void (*netmon_fn)(void *ctx, const struct netmon_link *l);

/* Open the socket, subscribed to link events.  0 or -errno. */
int netmon_open(struct netmon **out, netmon_fn fn, void *ctx);
/* Ask for every current link (answers arrive through netmon_read). */
int netmon_dump(struct netmon *m);
/* The same, and read until the whole answer was handled (fn called for
 * every link).  0 or -errno. */
int netmon_dump_wait(struct netmon *m, int timeout_ms);
int netmon_fd(const struct netmon *m);
/* Read what is waiting and call fn for each link message.  0 or -errno
 * (-ENOBUFS: events were lost, the caller should dump again). */
int netmon_read(struct netmon *m);
void netmon_close(struct netmon *m);

#endif /* OSPREY_NETMON_H */
