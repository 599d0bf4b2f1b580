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
/* "any", "not-fuzzy", "exact" <-> OSPREY_PQ_*; -EINVAL if unknown. */
int policy_quality_parse(const char *s);
const char *policy_quality_name(unsigned int q);
/* Render the options of r ("mark=0x10 drop-syn quality=exact"). */
void policy_actions_str(const struct policy_rule *r, char *buf, size_t len);

#endif /* OSPREY_POLICY_RULE_H */
