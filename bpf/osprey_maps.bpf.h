/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Maps shared by every osprey BPF object.  Each object that includes this
 * declares them with LIBBPF_PIN_BY_NAME, so when objects are opened with
 * pin_root_path = OSPREY_PIN_DIR they all reuse one pinned instance:
 *   OSPREY_PIN_DIR/hosts    what is known of each host (daemon writes)
 *   OSPREY_PIN_DIR/policy   OS -> action rules (osprey policy writes)
 * Userspace may resize `hosts` with bpf_map__set_max_entries() before load.
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

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, OSPREY_POLICY_ENTRIES);
	__type(key, struct osprey_policy_key);
	__type(value, struct osprey_policy_val);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} policy SEC(".maps");

#endif /* OSPREY_MAPS_BPF_H */
