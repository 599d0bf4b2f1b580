/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The benchmark baselines: an XDP and a tc program that do nothing but
 * pass the packet, so tools/bench_xdp can show the cost of running any
 * program beside the capture programs'; and two floors, the part of a
 * captured SYN's cost no parsing or table design removes: one clock read,
 * and one clock read plus one ring-buffer record of a SYN event's size.
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

/* bench_xdp drains it between batches */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 << 20);
} floor_rb SEC(".maps");

__u64 floor_sink;

SEC("xdp")
int osprey_floor_clock(struct xdp_md *ctx)
{
	floor_sink = bpf_ktime_get_ns();
	return XDP_PASS;
}

SEC("xdp")
int osprey_floor_ring(struct xdp_md *ctx)
{
	__u64 *rec = bpf_ringbuf_reserve(&floor_rb, 64, 0);

	if (!rec)
		return XDP_PASS;
	rec[0] = 1;
	bpf_ringbuf_submit(rec, BPF_RB_NO_WAKEUP);
	return XDP_PASS;
}

SEC("xdp")
int osprey_floor_event(struct xdp_md *ctx)
{
	__u64 *rec = bpf_ringbuf_reserve(&floor_rb, 64, 0);

	if (!rec)
		return XDP_PASS;
	rec[0] = bpf_ktime_get_ns();
	bpf_ringbuf_submit(rec, BPF_RB_NO_WAKEUP);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
