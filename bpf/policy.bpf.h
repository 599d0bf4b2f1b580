/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Policy lookup shared by the tc classifier (policy_tc.bpf.c), the
 * iptables/ip6tables match (policy_ipt.bpf.c) and, optionally, the XDP
 * capture program.  Standalone: include it after nothing or after
 * vmlinux.h / bpf_helpers.h; it pulls in the pinned `hosts` and `policy`
 * maps from osprey_maps.bpf.h (`policy` is a slot holding the rule set
 * in force, a hash map of rules).
 *
 *   struct osprey_host_key k;
 *   const struct osprey_policy_val *v;
 *
 *   if (osprey_key_from_skb(skb, l3_off, &k) == 0 &&
 *       (v = osprey_policy_for(&k)) && (v->action & OSPREY_ACT_MARK))
 *           skb->mark = v->mark;
 *
 * Lookup order (see osprey_abi.h): the JA4 of the host's latest
 * ClientHello (it names one TLS client build, narrower than any OS
 * label); label, name, class of the host's OS; UNKNOWN for hosts absent
 * from the map or without an OS; then ANY.  A rule whose min_quality the
 * host's OS match does not meet is passed over, so a less specific rule
 * may still apply; JA4 rules match exactly and have no quality.
 */
#ifndef OSPREY_POLICY_BPF_H
#define OSPREY_POLICY_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "bpf/osprey_maps.bpf.h"
/* ETH_P_* and the protocol numbers */
#include "bpf/parse.bpf.h"

/* Does the host's match quality satisfy the rule? */
static __always_inline int osprey_quality_ok(const struct osprey_host *h,
					     const struct osprey_policy_val *v)
{
	if (v->min_quality >= OSPREY_PQ_EXACT)
		return !(h->os_quality & (OSPREY_Q_FUZZY | OSPREY_Q_GENERIC));
	if (v->min_quality == OSPREY_PQ_NOT_FUZZY)
		return !(h->os_quality & OSPREY_Q_FUZZY);
	return 1;
}

/* The rule of kind/id in the rule set `rules`, if h's quality allows. */
static __always_inline const struct osprey_policy_val *
osprey_rule(void *rules, __u32 kind, __u32 id, const struct osprey_host *h)
{
	struct osprey_policy_key pk = { .kind = kind, .id = id };
	const struct osprey_policy_val *v;

	v = bpf_map_lookup_elem(rules, &pk);
	if (!v)
		return NULL;
	if (h && !osprey_quality_ok(h, v))
		return NULL;
	return v;
}

/* The rule that applies to the host with key k, or NULL. */
static __always_inline const struct osprey_policy_val *
osprey_policy_for(const struct osprey_host_key *k)
{
	const struct osprey_host *h;
	const struct osprey_policy_val *v;
	__u32 slot = 0;
	void *rules;

	/* one rule set for the whole decision, even if it is replaced now */
	rules = bpf_map_lookup_elem(&policy, &slot);
	if (!rules)
		return NULL; /* no rules set yet */
	h = bpf_map_lookup_elem(&hosts, k);
	if (h && (h->flags & OSPREY_HF_TLS)) {
		v = osprey_rule(rules, OSPREY_POL_JA4, h->ja4_hash, NULL);
		if (v)
			return v;
	}
	if (h && (h->flags & OSPREY_HF_OS_KNOWN)) {
		v = osprey_rule(rules, OSPREY_POL_LABEL, h->os_label_hash, h);
		if (v)
			return v;
		v = osprey_rule(rules, OSPREY_POL_NAME, h->os_name_hash, h);
		if (v)
			return v;
		v = osprey_rule(rules, OSPREY_POL_CLASS, h->os_class_hash, h);
		if (v)
			return v;
	} else {
		v = osprey_rule(rules, OSPREY_POL_UNKNOWN, 0, NULL);
		if (v)
			return v;
	}
	return osprey_rule(rules, OSPREY_POL_ANY, 0, NULL);
}

/*
 * Source address of the IP packet at l3_off in skb into *k, reading with
 * bpf_skb_load_bytes (works for tc and socket filter programs alike).
 * 0, or -1 if it is not IPv4/IPv6 or is truncated.
 */
static __always_inline int osprey_key_from_skb(struct __sk_buff *skb,
					       __u32 l3_off,
					       struct osprey_host_key *k)
{
	__u8 ver;

	__builtin_memset(k, 0, sizeof(*k));
	if (bpf_skb_load_bytes(skb, l3_off, &ver, 1))
		return -1;
	switch (ver >> 4) {
	case 4:
		k->family = 4;
		/* iphdr.saddr */
		return bpf_skb_load_bytes(skb, l3_off + 12, k->addr, 4) ? -1 :
									  0;
	case 6:
		k->family = 6;
		/* ipv6hdr.saddr */
		return bpf_skb_load_bytes(skb, l3_off + 8, k->addr, 16) ? -1 :
									  0;
	}
	return -1;
}

/*
 * Offset of the IP header in an Ethernet frame held by skb, skipping up
 * to two VLAN tags left in the data (tags the driver stripped into
 * skb->vlan_tci are not there).  -1 if the frame does not carry IP.
 */
static __always_inline int osprey_l3_off_eth(struct __sk_buff *skb)
{
	__u32 off = 12; /* ethhdr.h_proto */
	__be16 proto;
	int i;

	for (i = 0; i < 3; i++) {
		if (bpf_skb_load_bytes(skb, off, &proto, sizeof(proto)))
			return -1;
		if (proto == bpf_htons(ETH_P_IP) ||
		    proto == bpf_htons(ETH_P_IPV6))
			return off + 2;
		if (proto != bpf_htons(ETH_P_8021Q) &&
		    proto != bpf_htons(ETH_P_8021AD))
			return -1;
		off += 4; /* TCI, then the next EtherType */
	}
	return -1;
}

/*
 * Same for direct packet access (XDP): ip points at the IP header.
 * 0 or -1 when the header does not fit before data_end.
 */
static __always_inline int osprey_key_from_ip(const void *ip,
					      const void *data_end,
					      struct osprey_host_key *k)
{
	const __u8 *p = ip;

	__builtin_memset(k, 0, sizeof(*k));
	if (p + 1 > (const __u8 *)data_end)
		return -1;
	if ((p[0] >> 4) == 4) {
		if (p + 20 > (const __u8 *)data_end)
			return -1;
		k->family = 4;
		__builtin_memcpy(k->addr, p + 12, 4);
		return 0;
	}
	if ((p[0] >> 4) == 6) {
		if (p + 40 > (const __u8 *)data_end)
			return -1;
		k->family = 6;
		__builtin_memcpy(k->addr, p + 8, 16);
		return 0;
	}
	return -1;
}

#endif /* OSPREY_POLICY_BPF_H */
