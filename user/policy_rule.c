// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Policy rules as text (policy_rule.h): parsing and printing.  Pure C (no
 * libbpf), used by the config file, `osprey policy` and the unit tests.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "user/engine/engine.h"
#include "user/labelhash.h"
#include "user/parse.h"
#include "user/policy_rule.h"

/* Longest rule text accepted. */
#define POLICY_RULE_MAX 1024

int policy_quality_parse(const char *s)
{
	if (!strcmp(s, "any"))
		return OSPREY_PQ_ANY;
	if (!strcmp(s, "not-fuzzy") || !strcmp(s, "not_fuzzy"))
		return OSPREY_PQ_NOT_FUZZY;
	if (!strcmp(s, "exact"))
		return OSPREY_PQ_EXACT;
	return -EINVAL;
}

const char *policy_quality_name(unsigned int q)
{
	switch (q) {
	case OSPREY_PQ_ANY:
		return "any";
	case OSPREY_PQ_NOT_FUZZY:
		return "not-fuzzy";
	case OSPREY_PQ_EXACT:
		return "exact";
	}
	return "?";
}

/* Characters a label may not contain: they would break the text form. */
static bool selector_text_ok(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == '"' || *s == 0x7f)
			return false;
	return true;
}

/*
 * A JA4 as osprey prints it: "t13d1516h2_8daaf6152771_e5627efa2ab1" --
 * protocol (t, q or d), version, d/i, two counts, two ALPN characters,
 * then two 12-digit hex hashes.  Checked so a typo is refused, not a
 * rule that can never match.
 */
static bool ja4_text_ok(const char *s)
{
	static const char *const pattern =
		"pvvsnnnnaa_hhhhhhhhhhhh_hhhhhhhhhhhh";
	size_t i;

	if (strlen(s) != strlen(pattern))
		return false;
	for (i = 0; s[i]; i++) {
		char c = s[i], p = pattern[i];

		if ((p == 'p' && !strchr("tqd", c)) ||
		    (p == 's' && c != 'd' && c != 'i') ||
		    (p == 'n' && !isdigit((unsigned char)c)) ||
		    ((p == 'v' || p == 'a') && !isalnum((unsigned char)c)) ||
		    (p == 'h' && !isdigit((unsigned char)c) &&
		     (c < 'a' || c > 'f')) ||
		    (p == '_' && c != '_'))
			return false;
	}
	return true;
}

int policy_selector_parse(const char *sel, struct policy_rule *r, char *err,
			  size_t errlen)
{
	const char *v = strchr(sel, ':');

	memset(&r->key, 0, sizeof(r->key));
	if (strlen(sel) >= sizeof(r->text) || !selector_text_ok(sel)) {
		errmsg(err, errlen, "selector '%.40s' too long or invalid",
		       sel);
		return -EINVAL;
	}
	if (!strcmp(sel, "unknown") || !strcmp(sel, "any")) {
		r->key.kind =
			sel[0] == 'u' ? OSPREY_POL_UNKNOWN : OSPREY_POL_ANY;
		snprintf(r->text, sizeof(r->text), "%s", sel);
		return 0;
	}
	if (!v || !v[1]) {
		errmsg(err, errlen,
		       "selector '%s': expected class:C, name:N, "
		       "label:CLASS:NAME:FLAVOR, ja4:FP, unknown or any",
		       sel);
		return -EINVAL;
	}
	v++;
	if (!strncmp(sel, "class:", 6)) {
		r->key.kind = OSPREY_POL_CLASS;
		r->key.id = osprey_fnv1a(v);
	} else if (!strncmp(sel, "name:", 5)) {
		r->key.kind = OSPREY_POL_NAME;
		r->key.id = osprey_fnv1a(v);
	} else if (!strncmp(sel, "label:", 6)) {
		/* class:name:flavor, flavor possibly empty; hash it whole */
		const char *c2 = strchr(v, ':');

		if (!c2 || !strchr(c2 + 1, ':')) {
			errmsg(err, errlen,
			       "label '%s': expected CLASS:NAME:FLAVOR "
			       "(flavor may be empty)",
			       v);
			return -EINVAL;
		}
		r->key.kind = OSPREY_POL_LABEL;
		r->key.id = osprey_fnv1a(v);
	} else if (!strncmp(sel, "ja4:", 4)) {
		if (!ja4_text_ok(v)) {
			errmsg(err, errlen,
			       "ja4 '%s': expected a JA4 such as "
			       "t13d1516h2_8daaf6152771_e5627efa2ab1",
			       v);
			return -EINVAL;
		}
		r->key.kind = OSPREY_POL_JA4;
		r->key.id = osprey_fnv1a(v);
	} else {
		errmsg(err, errlen, "selector '%s': unknown kind", sel);
		return -EINVAL;
	}
	snprintf(r->text, sizeof(r->text), "%s", sel);
	return 0;
}

/* One option token; 1 if it was an option, 0 if not, -EINVAL if bad. */
static int rule_option(const char *tok, struct policy_rule *r, char *err,
		       size_t errlen)
{
	uint32_t v;
	int q;

	if (!strncmp(tok, "mark=", 5)) {
		if (parse_u32(tok + 5, 0, UINT32_MAX, false, &v, err, errlen))
			return -EINVAL;
		r->val.mark = v;
		r->val.action |= OSPREY_ACT_MARK;
		return 1;
	}
	if (!strncmp(tok, "quality=", 8)) {
		q = policy_quality_parse(tok + 8);
		if (q < 0) {
			errmsg(err, errlen,
			       "quality '%s': expected any|not-fuzzy|exact",
			       tok + 8);
			return -EINVAL;
		}
		r->val.min_quality = (uint8_t)q;
		return 1;
	}
	if (!strcmp(tok, "drop-syn") || !strcmp(tok, "drop_syn")) {
		r->val.action |= OSPREY_ACT_DROP_SYN;
		return 1;
	}
	if (!strcmp(tok, "match")) {
		r->val.action |= OSPREY_ACT_MATCH;
		return 1;
	}
	return 0;
}

int policy_rule_parse(const char *spec, struct policy_rule *r, char *err,
		      size_t errlen)
{
	char buf[POLICY_RULE_MAX], *sel, *end, *sp;
	int rc;

	memset(r, 0, sizeof(*r));
	if (strlen(spec) >= sizeof(buf)) {
		errmsg(err, errlen, "rule too long");
		return -EINVAL;
	}
	snprintf(buf, sizeof(buf), "%s", spec);
	for (sp = buf; *sp; sp++)
		if (*sp == '\t')
			*sp = ' ';
	sel = str_trim(buf);
	/* Peel option tokens off the end; what remains is the selector. */
	for (;;) {
		sp = strrchr(sel, ' ');
		if (!sp)
			break;
		rc = rule_option(sp + 1, r, err, errlen);
		if (rc < 0)
			return rc;
		if (rc == 0)
			break;
		*sp = '\0';
		sel = str_trim(sel);
	}
	/* The selector alone may also be an option: "mark=1" has none. */
	if (rule_option(sel, r, err, errlen) != 0) {
		errmsg(err, errlen, "rule '%s': missing selector", spec);
		return -EINVAL;
	}
	/* label:"a:b:c d" -> label:a:b:c d */
	end = strchr(sel, '"');
	if (end) {
		size_t n = strlen(sel);

		if (sel[n - 1] != '"' || end == sel + n - 1 ||
		    (end != sel && end[-1] != ':')) {
			errmsg(err, errlen, "rule '%s': bad quoting", spec);
			return -EINVAL;
		}
		sel[n - 1] = '\0';
		memmove(end, end + 1, strlen(end + 1) + 1);
	}
	if (!r->val.action) {
		errmsg(err, errlen,
		       "rule '%s': no action (mark=V, drop-syn or match)",
		       spec);
		return -EINVAL;
	}
	rc = policy_selector_parse(sel, r, err, errlen);
	if (!rc && r->key.kind == OSPREY_POL_JA4 && r->val.min_quality) {
		errmsg(err, errlen,
		       "rule '%s': quality applies to OS matches, not to ja4",
		       spec);
		return -EINVAL;
	}
	return rc;
}

void policy_actions_str(const struct policy_rule *r, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	if (r->val.action & OSPREY_ACT_MARK)
		n += snprintf(buf + n, len - n, "mark=0x%x ", r->val.mark);
	if (n < len && (r->val.action & OSPREY_ACT_DROP_SYN))
		n += snprintf(buf + n, len - n, "drop-syn ");
	if (n < len && (r->val.action & OSPREY_ACT_MATCH))
		n += snprintf(buf + n, len - n, "match ");
	if (n < len)
		n += snprintf(buf + n, len - n, "quality=%s",
			      policy_quality_name(r->val.min_quality));
}

/* ------------------------------------------------- database selectors */

/* Index of s[0..n) in list[0..cnt), ignoring case, or -1. */
static int find_nocase(char *const *list, u32 cnt, const char *s, size_t n)
{
	u32 i;

	for (i = 0; i < cnt; i++)
		if (list[i] && strlen(list[i]) == n &&
		    !strncasecmp(list[i], s, n))
			return (int)i;
	return -1;
}

/* "KIND 'S' is not in the database; its KINDes: a, b, c" into err. */
static int unknown_in_db(const char *kind, const char *s, size_t n,
			 char *const *list, u32 cnt, char *err, size_t errlen)
{
	char known[512];
	size_t len = 0;
	u32 i;

	known[0] = '\0';
	for (i = 0; i < cnt && len < sizeof(known); i++)
		len += snprintf(known + len, sizeof(known) - len, "%s%s",
				i ? ", " : "", list[i] ? list[i] : "");
	if (len >= sizeof(known))
		snprintf(known + sizeof(known) - 5, 5, "...");
	return errmsg(err, errlen,
		      "%s '%.*s' is not in the signature database (%s: %s)",
		      kind, (int)n, s, kind[0] == 'c' ? "classes" : "names",
		      known);
}

int policy_rule_resolve(struct policy_rule *r, const struct sigdb *db,
			char *err, size_t errlen)
{
	char text[POLICY_TEXT_MAX];
	const char *v = strchr(r->text, ':'), *name, *rest = "";
	int cls = -1, nm = -1;
	size_t cn = 0, nn;

	if (r->key.kind != OSPREY_POL_CLASS && r->key.kind != OSPREY_POL_NAME &&
	    r->key.kind != OSPREY_POL_LABEL)
		return 0; /* unknown, any: nothing to look up */
	name = ++v;
	nn = strlen(v);
	if (r->key.kind != OSPREY_POL_NAME) {
		cn = r->key.kind == OSPREY_POL_CLASS ? nn : strcspn(v, ":");
		cls = find_nocase(db->classes, db->class_cnt, v, cn);
		if (cls < 0)
			return unknown_in_db("class", v, cn, db->classes,
					     db->class_cnt, err, errlen);
		name = v + cn + 1;
		nn = r->key.kind == OSPREY_POL_LABEL ? strcspn(name, ":") : 0;
		rest = name + nn; /* ":flavor" */
	}
	if (r->key.kind != OSPREY_POL_CLASS) {
		nm = find_nocase(db->names, db->name_cnt, name, nn);
		if (nm < 0)
			return unknown_in_db("name", name, nn, db->names,
					     db->name_cnt, err, errlen);
	}
	if (r->key.kind == OSPREY_POL_CLASS)
		snprintf(text, sizeof(text), "class:%s", db->classes[cls]);
	else if (r->key.kind == OSPREY_POL_NAME)
		snprintf(text, sizeof(text), "name:%s", db->names[nm]);
	else
		snprintf(text, sizeof(text), "label:%s:%s%s", db->classes[cls],
			 db->names[nm], rest);
	return policy_selector_parse(text, r, err, errlen);
}

void policy_rule_merge(struct policy_rule *into, const struct policy_rule *add,
		       bool quality_given)
{
	if (add->val.action & OSPREY_ACT_MARK)
		into->val.mark = add->val.mark;
	into->val.action |= add->val.action;
	if (quality_given)
		into->val.min_quality = add->val.min_quality;
}
