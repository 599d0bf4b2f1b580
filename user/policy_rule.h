/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Policy rules: "what to do with hosts fingerprinted as X".
 *
 * A rule's text form, used by the config file (`policy = ...`) and by
 * `osprey policy list`:
 *
 *   SELECTOR [mark=V] [drop-syn] [match] [quality=any|not-fuzzy|exact]
 *
 *   SELECTOR := class:C | name:N | label:CLASS:NAME:FLAVOR | ja4:FP |
 *               unknown | any
 *
 * ja4:FP is a JA4 (t13d1516h2_8daaf6152771_e5627efa2ab1): hosts whose
 * latest ClientHello had it; quality= does not apply to it.
 *
 * A label's flavor may contain spaces ("label:unix:Linux:3.11 and newer");
 * the options are recognised from the end of the line, or the selector may
 * be quoted (label:"unix:Linux:2.2.x-3.x (barebone)").
 *
 * Parsed and printed here (policy_rule.c, no libbpf, unit-tested alone);
 * the pinned maps are policy_maps.h, the subcommand cmd_policy.c.
 */
#ifndef OSPREY_POLICY_RULE_H
#define OSPREY_POLICY_RULE_H

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

/* Parse "SELECTOR [options]"; 0 or -EINVAL with a message in err. */
int policy_rule_parse(const char *spec, struct policy_rule *r, char *err,
		      size_t errlen);
/* Fill key and text from a selector alone ("name:Linux"). */
int policy_selector_parse(const char *sel, struct policy_rule *r, char *err,
			  size_t errlen);
struct sigdb;
/*
 * Check r's selector against the database's OS classes and names,
 * ignoring case, and rewrite it in the database's spelling (the hash the
 * hosts map carries is of that spelling): "class:WIN" becomes "class:win".
 * A class or name the database does not have is refused, with the list
 * of its classes (or "see osprey policy names") in err.  0 or -EINVAL.
 */
int policy_rule_resolve(struct policy_rule *r, const struct sigdb *db,
			char *err, size_t errlen);
/*
 * Add the actions of `add` to `into` (same key): a mark replaces the
 * mark, flags are added, the quality is add's when quality_given.
 */
void policy_rule_merge(struct policy_rule *into, const struct policy_rule *add,
		       bool quality_given);
/* "any", "not-fuzzy", "exact" <-> OSPREY_PQ_*; -EINVAL if unknown. */
int policy_quality_parse(const char *s);
const char *policy_quality_name(unsigned int q);
/* Render the options of r ("mark=0x10 drop-syn quality=exact"). */
void policy_actions_str(const struct policy_rule *r, char *buf, size_t len);

#endif /* OSPREY_POLICY_RULE_H */
