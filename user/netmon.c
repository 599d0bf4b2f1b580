// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rtnetlink link events (netmon.h).  Plain netlink: one socket, one
 * buffer, the attributes we need.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "user/netmon.h"

struct netmon {
	int fd;
	netmon_fn fn;
	void *ctx;
	unsigned int seq;
	bool dumping; /* a dump is under way (until its NLMSG_DONE) */
};

int netmon_open(struct netmon **out, netmon_fn fn, void *ctx)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK,
				  .nl_groups = RTMGRP_LINK };
	struct netmon *m = calloc(1, sizeof(*m));
	int rc, rcvbuf = 1 << 20;

	*out = NULL;
	if (!m)
		return -ENOMEM;
	m->fn = fn;
	m->ctx = ctx;
	m->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
		       NETLINK_ROUTE);
	if (m->fd < 0 || bind(m->fd, (struct sockaddr *)&sa, sizeof(sa))) {
		rc = -errno;
		netmon_close(m);
		return rc;
	}
	/* bursts of events (many interfaces at once) must not overflow */
	setsockopt(m->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	*out = m;
	return 0;
}

int netmon_dump(struct netmon *m)
{
	struct {
		struct nlmsghdr n;
		struct ifinfomsg i;
	} req = {
		.n.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)),
		.n.nlmsg_type = RTM_GETLINK,
		.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
		.n.nlmsg_seq = ++m->seq,
		.i.ifi_family = AF_UNSPEC,
	};

	if (send(m->fd, &req, req.n.nlmsg_len, 0) < 0)
		return -errno;
	m->dumping = true;
	return 0;
}

int netmon_dump_wait(struct netmon *m, int timeout_ms)
{
	struct pollfd p = { .fd = m->fd, .events = POLLIN };
	int rc = netmon_dump(m);

	while (!rc && m->dumping) {
		rc = poll(&p, 1, timeout_ms);
		if (rc == 0)
			return -ETIMEDOUT;
		rc = rc < 0 ? -errno : netmon_read(m);
	}
	return rc;
}

int netmon_fd(const struct netmon *m)
{
	return m->fd;
}

/* The kind of a link, from its IFLA_LINKINFO nest. */
static void link_kind(struct rtattr *li, struct netmon_link *l)
{
	int len = RTA_PAYLOAD(li);
	struct rtattr *a;

	for (a = RTA_DATA(li); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type != IFLA_INFO_KIND)
			continue;
		memcpy(l->kind, RTA_DATA(a),
		       RTA_PAYLOAD(a) < sizeof(l->kind) ? RTA_PAYLOAD(a) :
							  sizeof(l->kind) - 1);
	}
}

static void parse_link(struct netmon *m, struct nlmsghdr *h)
{
	struct ifinfomsg *ifi = NLMSG_DATA(h);
	int len = h->nlmsg_len - NLMSG_LENGTH(sizeof(*ifi));
	struct netmon_link l;
	struct rtattr *a;

	if (len < 0)
		return;
	memset(&l, 0, sizeof(l));
	l.ifindex = ifi->ifi_index;
	l.flags = ifi->ifi_flags;
	l.type = ifi->ifi_type;
	l.gone = h->nlmsg_type == RTM_DELLINK;
	for (a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == IFLA_IFNAME)
			memcpy(l.name, RTA_DATA(a),
			       RTA_PAYLOAD(a) < sizeof(l.name) ?
				       RTA_PAYLOAD(a) :
				       sizeof(l.name) - 1);
		else if (a->rta_type == IFLA_MASTER &&
			 RTA_PAYLOAD(a) >= sizeof(int))
			memcpy(&l.master, RTA_DATA(a), sizeof(int));
		else if (a->rta_type == IFLA_LINKINFO)
			link_kind(a, &l);
	}
	l.name[sizeof(l.name) - 1] = '\0';
	if (l.ifindex > 0 && l.name[0])
		m->fn(m->ctx, &l);
}

int netmon_read(struct netmon *m)
{
	char buf[32768] __attribute__((aligned(4)));
	struct nlmsghdr *h;
	int len;

	for (;;) {
		len = recv(m->fd, buf, sizeof(buf), 0);
		if (len < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -errno;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (unsigned int)len);
		     h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_type == RTM_NEWLINK ||
			    h->nlmsg_type == RTM_DELLINK)
				parse_link(m, h);
			else if (h->nlmsg_type == NLMSG_DONE ||
				 h->nlmsg_type == NLMSG_ERROR)
				m->dumping = false;
		}
	}
}

void netmon_close(struct netmon *m)
{
	if (!m)
		return;
	if (m->fd >= 0)
		close(m->fd);
	free(m);
}
