/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The benchmark baselines: an XDP and a tc program that do nothing but
 * pass the packet, so tools/bench_xdp can show the cost of running any
 * program beside the capture programs'.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("xdp")
int osprey_empty(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("tc")
int osprey_empty_tc(struct __sk_buff *skb)
{
	return -1; /* TC_ACT_UNSPEC */
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
