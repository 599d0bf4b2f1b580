/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One BPF filter on a clsact hook, through libbpf's netlink tc API: the
 * capture's egress companion (capture_attach.c) and the policy classifier
 * (`osprey policy attach-tc`, ingress) share the clsact qdisc with each
 * other and with anybody else's filters.  The qdisc is created only when
 * absent, and whoever created it says whether to remove it.
 */
#ifndef OSPREY_TC_HOOK_H
#define OSPREY_TC_HOOK_H

#include <stdbool.h>
#include <bpf/libbpf.h>

/* Our filter's identity on a hook: handle and priority. */
struct tc_filter_id {
	__u32 handle, priority;
};

/*
 * Attach prog_fd as filter id on ifindex's `point` hook (BPF_TC_INGRESS
 * or BPF_TC_EGRESS), replacing a filter of the same id (a leftover of an
 * earlier run).  The clsact qdisc is created if there is none; *made_qdisc
 * says so, and a failed attach removes a qdisc it made.  0 or -errno.
 */
int tc_filter_attach(int ifindex, enum bpf_tc_attach_point point,
		     struct tc_filter_id id, int prog_fd, bool *made_qdisc);
/* Remove filter id from the hook.  0, -ENOENT when there is none (or no
 * qdisc, or no interface any more), or -errno. */
int tc_filter_detach(int ifindex, enum bpf_tc_attach_point point,
		     struct tc_filter_id id);
/* Remove ifindex's clsact qdisc, both hooks with what is on them.  0,
 * -ENOENT when there is none, or -errno. */
int tc_qdisc_remove(int ifindex);
/* Filters on either clsact hook of ifindex: >= 0, or -errno. */
int tc_filters_left(int ifindex);

#endif
