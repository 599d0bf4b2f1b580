/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Maps shared by every osprey BPF object.  Each object that includes this
 * declares them with LIBBPF_PIN_BY_NAME, so when objects are opened with
 * pin_root_path = OSPREY_PIN_DIR they all reuse one pinned instance:
 *   OSPREY_PIN_DIR/hosts     what is known of each host (daemon writes)
 *   OSPREY_PIN_DIR/policy    the rule set in force: one slot holding
 *                            policy_a or policy_b (osprey policy writes)
 *   OSPREY_PIN_DIR/policy_a, policy_b   two rule sets, OS -> action
 * Userspace may resize `hosts` with bpf_map__set_max_entries() before load.
 *
 * Two rule sets behind a map-in-map slot make a replacement atomic for
 * the programs: userspace fills the idle set, then stores it in the slot;
 * the kernel returns from that update only once every program that may
 * still hold the old set has finished (synchronize_rcu for map-in-map
 * updates), so a packet is judged by the old rules or the new, never a
 * mix, and rules deleted from the configuration stop acting at once.
 */
#ifndef OSPREY_MAPS_BPF_H
#define OSPREY_MAPS_BPF_H

#include "bpf/osprey_abi.h"

#define OSPREY_DEFAULT_HOSTS 10000
#define OSPREY_POLICY_ENTRIES 1024

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, OSPREY_DEFAULT_HOSTS);
	__type(key, struct osprey_host_key);
	__type(value, struct osprey_host);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} hosts SEC(".maps");

/* A rule set; as the slot's template it may not carry a pinning. */
struct osprey_policy_rules {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, OSPREY_POLICY_ENTRIES);
	__type(key, struct osprey_policy_key);
	__type(value, struct osprey_policy_val);
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, OSPREY_POLICY_ENTRIES);
	__type(key, struct osprey_policy_key);
	__type(value, struct osprey_policy_val);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} policy_a SEC(".maps"), policy_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
	__array(values, struct osprey_policy_rules); /* last: flexible */
} policy SEC(".maps");

#endif /* OSPREY_MAPS_BPF_H */
