/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The pinned policy maps (policy_maps.c): DIR/policy, the rules the BPF
 * programs read, and DIR/policy_names, each rule's text.  The rules' text
 * form is policy_rule.h.
 */
#ifndef OSPREY_POLICY_MAPS_H
#define OSPREY_POLICY_MAPS_H

#include <stdbool.h>
#include <stddef.h>
#include "bpf/osprey_abi.h"
#include "user/policy_rule.h"

/*
 * Name of the pinned side map that keeps each rule's text, keyed like the
 * policy map (value: char[POLICY_TEXT_MAX]).  It also records, under
 * kind POLICY_META_TC_QDISC and id = ifindex, that `attach-tc` created the
 * clsact qdisc, so `detach-tc` removes only what osprey added.
 */
#define POLICY_NAMES_MAP "policy_names"
#define POLICY_META_TC_QDISC 0x100
/* Pinned program names under the pin dir. */
#define POLICY_IPT_PIN "policy_ipt"

struct policy_maps {
	int pol_fd; /* DIR/policy */
	int names_fd; /* DIR/policy_names, -1 if absent */
};
/* Open (create = make them when absent); 0 or -errno, message in err. */
int policy_maps_open(const char *pin_dir, bool create, struct policy_maps *m,
		     char *err, size_t errlen);
void policy_maps_close(struct policy_maps *m);
/* Add or replace one rule with its text; 0 or -errno. */
int policy_rule_store(const struct policy_maps *m, const struct policy_rule *r);

/*
 * Write rules (text form, as in the config file) into the pinned policy
 * map under pin_dir, creating the policy maps when absent.  For the
 * daemon: call after its BPF objects are loaded with pin_root_path.
 * 0 or -errno with a message in err.
 */
int policy_apply_rules(const char *pin_dir, const char *const *rules, int n,
		       char *err, size_t errlen);

#endif /* OSPREY_POLICY_MAPS_H */
