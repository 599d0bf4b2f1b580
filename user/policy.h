/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Policy rules: "what to do with hosts fingerprinted as X".
 *
 * A rule's text form, used by the config file (`policy = ...`) and by
 * `osprey policy list`:
 *
 *   SELECTOR [mark=V] [drop-syn] [match] [quality=any|not-fuzzy|exact]
 *
 *   SELECTOR := class:C | name:N | label:CLASS:NAME:FLAVOR | unknown | any
 *
 * A label's flavor may contain spaces ("label:unix:Linux:3.11 and newer");
 * the options are recognised from the end of the line, or the selector may
 * be quoted (label:"unix:Linux:2.2.x-3.x (barebone)").
 *
 * The parser (policy_rule_parse) lives in config.c so it stays pure C and is
 * unit-tested without libbpf; map access lives in policy_maps.c, the
 * subcommand in cmd_policy.c.
 */
#ifndef OSPREY_POLICY_H
#define OSPREY_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include "bpf/osprey_abi.h"

/* Longest selector text kept for `policy list`. */
#define POLICY_TEXT_MAX 96

struct policy_rule {
	struct osprey_policy_key key;
	struct osprey_policy_val val;
	char text[POLICY_TEXT_MAX]; /* canonical selector, e.g. "name:Linux" */
};

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

/* Parse "SELECTOR [options]"; 0 or -EINVAL with a message in err. */
int policy_rule_parse(const char *spec, struct policy_rule *r, char *err,
		      size_t errlen);
/* Fill key and text from a selector alone ("name:Linux"). */
int policy_selector_parse(const char *sel, struct policy_rule *r, char *err,
			  size_t errlen);
/* "any", "not-fuzzy", "exact" <-> OSPREY_PQ_*; -EINVAL if unknown. */
int policy_quality_parse(const char *s);
const char *policy_quality_name(unsigned int q);
/* Render the options of r ("mark=0x10 drop-syn quality=exact"). */
void policy_actions_str(const struct policy_rule *r, char *buf, size_t len);

/* Pinned policy maps (policy_maps.c). */
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

#endif /* OSPREY_POLICY_H */
