// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A BPF filter on a clsact hook (tc_hook.h): create the qdisc when there is
 * none, attach, detach, and count what is left before removing a qdisc.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <bpf/libbpf.h>

#include "user/tc_hook.h"

int tc_filter_attach(int ifindex, enum bpf_tc_attach_point point,
		     struct tc_filter_id id, int prog_fd, bool *made_qdisc)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
		    .attach_point = point);
	LIBBPF_OPTS(bpf_tc_opts, to, .handle = id.handle,
		    .priority = id.priority, .prog_fd = prog_fd,
		    .flags = BPF_TC_F_REPLACE);
	int rc;

	rc = bpf_tc_hook_create(&hook);
	*made_qdisc = rc == 0;
	if (rc && rc != -EEXIST)
		return rc;
	rc = bpf_tc_attach(&hook, &to);
	if (rc && *made_qdisc) {
		tc_qdisc_remove(ifindex);
		*made_qdisc = false;
	}
	return rc;
}

int tc_filter_detach(int ifindex, enum bpf_tc_attach_point point,
		     struct tc_filter_id id)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
		    .attach_point = point);
	LIBBPF_OPTS(bpf_tc_opts, to, .handle = id.handle,
		    .priority = id.priority);
	int rc = bpf_tc_detach(&hook, &to);

	/* libbpf says EINVAL where the qdisc is gone, ENODEV with the link */
	return rc == -EINVAL || rc == -ENODEV ? -ENOENT : rc;
}

int tc_qdisc_remove(int ifindex)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
		    .attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS);
	int rc = bpf_tc_hook_destroy(&hook);

	return rc == -EINVAL || rc == -ENODEV ? -ENOENT : rc;
}

/* Send a filter dump request for one clsact hook. */
static int dump_request(int fd, int ifindex, __u32 parent, __u32 seq)
{
	struct {
		struct nlmsghdr n;
		struct tcmsg t;
	} req = {
		.n.nlmsg_len = NLMSG_LENGTH(sizeof(struct tcmsg)),
		.n.nlmsg_type = RTM_GETTFILTER,
		.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
		.n.nlmsg_seq = seq,
		.t.tcm_family = AF_UNSPEC,
		.t.tcm_ifindex = ifindex,
		.t.tcm_parent = parent,
	};

	return send(fd, &req, req.n.nlmsg_len, 0) < 0 ? -errno : 0;
}

/* Filters the dump reply lists: >= 0, or -errno. */
static int dump_count(int fd, __u32 seq)
{
	char buf[16384] __attribute__((aligned(4)));
	struct nlmsghdr *h;
	int n = 0, len;

	for (;;) {
		len = recv(fd, buf, sizeof(buf), 0);
		if (len < 0)
			return -errno;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (unsigned)len);
		     h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_type == NLMSG_DONE)
				return n;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				return e->error ? e->error : n;
			}
			if (h->nlmsg_type == RTM_NEWTFILTER)
				n++;
		}
	}
}

int tc_filters_left(int ifindex)
{
	static const __u32 parents[2] = {
		TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS),
		TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS),
	};
	int fd, i, n, total = 0;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	for (i = 0; i < 2; i++) {
		n = dump_request(fd, ifindex, parents[i], i + 1);
		if (!n)
			n = dump_count(fd, i + 1);
		if (n < 0) {
			total = n;
			break;
		}
		total += n;
	}
	close(fd);
	return total;
}
