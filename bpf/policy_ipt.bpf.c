/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Match for `iptables/ip6tables -m bpf --object-pinned PIN_DIR/policy_ipt`:
 * true for packets whose source host has a policy rule with
 * OSPREY_ACT_MATCH, e.g.
 *
 *   iptables -A INPUT -p tcp --syn \
 *       -m bpf --object-pinned /sys/fs/bpf/osprey/policy_ipt -j DROP
 *
 * xt_bpf runs socket filter programs on an skb whose data starts at the IP
 * header; a non-zero return means "match".
 */
#include "bpf/policy.bpf.h"

SEC("socket")
int osprey_policy_ipt(struct __sk_buff *skb)
{
	const struct osprey_policy_val *v;
	struct osprey_host_key k;

	if (osprey_key_from_skb(skb, 0, &k))
		return 0;
	v = osprey_policy_for(&k);
	return v && (v->action & OSPREY_ACT_MATCH) ? 1 : 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
