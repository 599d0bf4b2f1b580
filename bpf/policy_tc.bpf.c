/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * tc classifier for the clsact ingress hook: set skb->mark from the policy
 * rule that applies to the packet's source host, so iptables, nftables or
 * tc filters can act on the mark (`meta mark 0x10 drop`, `-m mark`).
 * Never drops: always TC_ACT_OK.
 *
 * Opened by `osprey policy attach-tc` with pin_root_path, so `hosts` and
 * `policy` are the maps the daemon and the policy CLI share.
 */
#include "bpf/policy.bpf.h"

#ifndef TC_ACT_UNSPEC
#define TC_ACT_UNSPEC (-1)
#endif

SEC("tc")
int osprey_policy_tc(struct __sk_buff *skb)
{
	const struct osprey_policy_val *v;
	struct osprey_host_key k;
	int l3;

	l3 = osprey_l3_off_eth(skb);
	if (l3 < 0)
		return TC_ACT_UNSPEC;
	if (osprey_key_from_skb(skb, l3, &k))
		return TC_ACT_UNSPEC;
	v = osprey_policy_for(&k);
	if (v && (v->action & OSPREY_ACT_MARK))
		skb->mark = v->mark;
	return TC_ACT_UNSPEC;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
