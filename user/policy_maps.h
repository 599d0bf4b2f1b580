/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The pinned policy maps (policy_maps.c):
 *   DIR/policy          the slot the BPF programs read: which rule set is
 *                       in force (an array of maps with one entry)
 *   DIR/policy_a, _b    two rule sets (hash maps); one is in force, the
 *                       other is where a replacement is built
 *   DIR/policy_names    each rule's text, for `osprey policy list`
 * Replacing the whole set (config file, `policy load`, `clear --all`)
 * fills the idle set and swaps the slot: atomic for every reader (see
 * bpf/osprey_maps.bpf.h).  Single rules (`policy set`, `clear`) change
 * the set in force in place, one key at a time, which is atomic too.
 * Writers serialise on an flock of the pin directory.  The rules' text
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

enum policy_access {
	POLICY_READ, /* read-only fds: enough for --group members */
	POLICY_WRITE, /* the maps must exist */
	POLICY_CREATE, /* create and pin what is missing */
};

struct policy_maps {
	int pol_fd; /* the rule set in force, -1 if none is yet */
	int names_fd; /* DIR/policy_names, -1 if absent */
	int slot_fd; /* DIR/policy */
	int set_fd[2]; /* DIR/policy_a, DIR/policy_b */
	int active; /* index of the set in force, or -1 */
	int lock_fd; /* the pin directory, flock'ed by writers */
};
#define POLICY_MAPS_INIT                                          \
	{                                                         \
		.pol_fd = -1, .names_fd = -1, .slot_fd = -1,      \
		.set_fd = { -1, -1 }, .active = -1, .lock_fd = -1 \
	}

/* Open; 0 or -errno, message in err. */
int policy_maps_open(const char *pin_dir, enum policy_access acc,
		     struct policy_maps *m, char *err, size_t errlen);
void policy_maps_close(struct policy_maps *m);
/* Add or replace one rule in the set in force (making policy_a the set
 * in force when none is); 0 or -errno. */
int policy_rule_store(struct policy_maps *m, const struct policy_rule *r);
/* The rule of key k in force into *r (key, val, text).  0, -ENOENT. */
int policy_rule_get(const struct policy_maps *m,
		    const struct osprey_policy_key *k, struct policy_rule *r);
/* Delete one rule from the set in force.  0, -ENOENT or -errno. */
int policy_rule_delete(struct policy_maps *m,
		       const struct osprey_policy_key *k);
/* Make rules[0..n) the whole rule set, atomically.  0 or -errno. */
int policy_rules_replace(struct policy_maps *m, const struct policy_rule *rules,
			 int n);
/*
 * An old layout's DIR/policy (one hash map, before the two sets) is
 * moved aside so that BPF objects can create the new maps; the next
 * writer's policy_maps_open() imports its rules.  Call before loading
 * an object that declares the policy maps.
 */
void policy_pins_upgrade(const char *pin_dir);

struct sigdb;
/*
 * Make rules (text form, as in the config file) the whole rule set under
 * pin_dir, creating the maps when absent; each selector is checked
 * against db (policy_rule_resolve) when db is given.  For the daemon,
 * after its BPF objects are loaded, and `osprey policy load`.
 * 0 or -errno with a message in err.
 */
int policy_apply_rules(const char *pin_dir, const char *const *rules, int n,
		       const struct sigdb *db, char *err, size_t errlen);

#endif /* OSPREY_POLICY_MAPS_H */
