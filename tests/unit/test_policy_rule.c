// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Policy rule text (user/policy_rule.c): selectors, options, errors and
 * the printed form reading back as the same rule.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "tests/harness.h"
#include "user/labelhash.h"
#include "user/engine/engine.h"
#include "user/policy_rule.h"

static void rule_selectors(void)
{
	struct policy_rule r;
	char err[128];

	ASSERT_EQ(
		policy_rule_parse("name:Linux mark=0x10", &r, err, sizeof(err)),
		0, "name rule");
	ASSERT_EQ(r.key.kind, OSPREY_POL_NAME, "name kind");
	ASSERT_EQ(r.key.id, osprey_fnv1a("Linux"), "name id");
	ASSERT_EQ(r.val.action, OSPREY_ACT_MARK, "name action");
	ASSERT_EQ(r.val.mark, 0x10, "name mark");
	ASSERT_EQ(r.val.min_quality, OSPREY_PQ_ANY, "name quality");
	ASSERT_STREQ(r.text, "name:Linux", "name text");

	ASSERT_EQ(policy_rule_parse("class:win\tdrop-syn match", &r, err,
				    sizeof(err)),
		  0, "class rule");
	ASSERT_EQ(r.key.kind, OSPREY_POL_CLASS, "class kind");
	ASSERT_EQ(r.key.id, osprey_fnv1a("win"), "class id");
	ASSERT_EQ(r.val.action, OSPREY_ACT_DROP_SYN | OSPREY_ACT_MATCH,
		  "class action");

	/* Label with spaces in the flavor: same id as the hosts map writer. */
	ASSERT_EQ(policy_rule_parse("label:unix:Linux:3.11 and newer match "
				    "quality=not-fuzzy",
				    &r, err, sizeof(err)),
		  0, "label rule");
	ASSERT_EQ(r.key.kind, OSPREY_POL_LABEL, "label kind");
	ASSERT_EQ(r.key.id,
		  osprey_label_hash("unix", "Linux", "3.11 and newer"),
		  "label id");
	ASSERT_EQ(r.val.min_quality, OSPREY_PQ_NOT_FUZZY, "label quality");
	ASSERT_STREQ(r.text, "label:unix:Linux:3.11 and newer", "label text");

	/* Quoted label: a flavor that ends in an option-like word. */
	ASSERT_EQ(policy_rule_parse("label:\"unix:Linux:2.x match\" mark=3", &r,
				    err, sizeof(err)),
		  0, "quoted label");
	ASSERT_EQ(r.key.id, osprey_label_hash("unix", "Linux", "2.x match"),
		  "quoted label id");
	ASSERT_EQ(r.val.action, OSPREY_ACT_MARK, "quoted label action");

	/* Empty flavor. */
	ASSERT_EQ(policy_rule_parse("label:win:Windows: mark=1", &r, err,
				    sizeof(err)),
		  0, "empty flavor");
	ASSERT_EQ(r.key.id, osprey_label_hash("win", "Windows", ""),
		  "empty flavor id");

	/* The id is fnv1a of the text (ids pinned by older runs stay the
	 * same), cut at 255 characters as it always was. */
	ASSERT_EQ(osprey_label_hash("unix", "Linux", "3.11 and newer"),
		  osprey_fnv1a("unix:Linux:3.11 and newer"),
		  "label id = text id");
	{
		char flavor[400], text[256];

		memset(flavor, 'x', sizeof(flavor) - 1);
		flavor[sizeof(flavor) - 1] = 0;
		/* what a 256-byte buffer keeps of "unix:Linux:" + flavor */
		memcpy(text, "unix:Linux:", 11);
		memcpy(text + 11, flavor, 255 - 11);
		text[255] = 0;
		ASSERT_EQ(osprey_label_hash("unix", "Linux", flavor),
			  osprey_fnv1a(text), "long label id cut at 255");
	}

	ASSERT_EQ(policy_rule_parse("unknown mark=0xffffffff", &r, err,
				    sizeof(err)),
		  0, "unknown rule");
	ASSERT_EQ(r.key.kind, OSPREY_POL_UNKNOWN, "unknown kind");
	ASSERT_EQ(r.key.id, 0, "unknown id");
	ASSERT_EQ(r.val.mark, 0xffffffffu, "unknown mark");

	ASSERT_EQ(policy_rule_parse("any match", &r, err, sizeof(err)), 0,
		  "any rule");
	ASSERT_EQ(r.key.kind, OSPREY_POL_ANY, "any kind");

	/* JA4: the hosts map writer's id of the JA4 text */
	ASSERT_EQ(policy_rule_parse(
			  "ja4:t13d1516h2_8daaf6152771_e5627efa2ab1 mark=0x20",
			  &r, err, sizeof(err)),
		  0, "ja4 rule");
	ASSERT_EQ(r.key.kind, OSPREY_POL_JA4, "ja4 kind");
	ASSERT_EQ(r.key.id,
		  osprey_fnv1a("t13d1516h2_8daaf6152771_e5627efa2ab1"),
		  "ja4 id");
	ASSERT_STREQ(r.text, "ja4:t13d1516h2_8daaf6152771_e5627efa2ab1",
		     "ja4 text");
	ASSERT_EQ(policy_rule_parse(
			  "ja4:t12i0300H1_000000000000_000000000000 match", &r,
			  err, sizeof(err)),
		  0, "ja4 with upper-case ALPN characters and empty hashes");

	ASSERT_EQ(policy_rule_parse("mark=1", &r, err, sizeof(err)), -EINVAL,
		  "no selector");
	ASSERT_EQ(policy_rule_parse("name: mark=1", &r, err, sizeof(err)),
		  -EINVAL, "empty name");
	ASSERT_EQ(policy_rule_parse("name:Linux mark=0x100000000", &r, err,
				    sizeof(err)),
		  -EINVAL, "mark too big");
	ASSERT_TRUE(strstr(err, "out of range") != NULL, err);
}

static void rule_round_trip(void)
{
	struct policy_rule r, r2;
	char err[128], line[256], acts[96];

	ASSERT_EQ(policy_rule_parse("name:Mac OS X mark=0x7 drop-syn "
				    "quality=exact",
				    &r, err, sizeof(err)),
		  0, "parse");
	policy_actions_str(&r, acts, sizeof(acts));
	ASSERT_STREQ(acts, "mark=0x7 drop-syn quality=exact", "actions");
	snprintf(line, sizeof(line), "%s %s", r.text, acts);
	ASSERT_EQ(policy_rule_parse(line, &r2, err, sizeof(err)), 0, "reparse");
	ASSERT_MEMEQ(&r2, &r, sizeof(r), "same rule");
}

/* One number syntax: decimal or 0x hex, leading zeros are decimal. */
static void rule_mark_numbers(void)
{
	static const struct {
		const char *rule;
		uint32_t mark;
	} ok[] = {
		{ "any mark=16", 16 },	 { "any mark=0x10", 16 },
		{ "any mark=0X1f", 31 }, { "any mark=010", 10 },
		{ "any mark=0", 0 },	 { "any mark=4294967295", UINT32_MAX },
	};
	static const char *const bad[] = { "any mark=",	  "any mark=0x",
					   "any mark=-1", "any mark=+1",
					   "any mark=1k", "any mark=0xg" };
	struct policy_rule r;
	char err[128];
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		if (ASSERT_EQ(
			    policy_rule_parse(ok[i].rule, &r, err, sizeof(err)),
			    0, ok[i].rule))
			ASSERT_EQ(r.val.mark, ok[i].mark, ok[i].rule);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ASSERT_EQ(policy_rule_parse(bad[i], &r, err, sizeof(err)),
			  -EINVAL, bad[i]);
		ASSERT_TRUE(strstr(err, "is not a number") != NULL, err);
	}
}

/* Each bad rule is refused with a message that says what is wrong. */
static void rule_errors(void)
{
	static const struct {
		const char *rule, *what;
	} bad[] = {
		{ "name:Linux", "no action" },
		{ "os:Linux mark=1", "unknown kind" },
		{ "Linux mark=1", "expected class:C, name:N" },
		{ "name:Linux quality=great mark=1",
		  "expected any|not-fuzzy|exact" },
		{ "label:unix:Linux mark=1", "CLASS:NAME:FLAVOR" },
		{ "mark=1 match", "missing selector" },
		{ "label:\"unix:Linux:x mark=1", "bad quoting" },
		{ "label:u\"nix:Linux:x\" mark=1", "bad quoting" },
		{ "name:a\x01z mark=1", "too long or invalid" },
		{ "ja4:t13d1516h2_8daaf6152771 mark=1", "expected a JA4" },
		{ "ja4:t13d1516h2_8daaf6152771_E5627efa2ab1 mark=1",
		  "expected a JA4" },
		{ "ja4:x13d1516h2_8daaf6152771_e5627efa2ab1 mark=1",
		  "expected a JA4" },
		{ "ja4:t13d1516h2_8daaf6152771_e5627efa2ab1 mark=1 "
		  "quality=exact",
		  "not to ja4" },
	};
	struct policy_rule r;
	char err[256], big[1100];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ASSERT_EQ(policy_rule_parse(bad[i].rule, &r, err, sizeof(err)),
			  -EINVAL, bad[i].rule);
		ASSERT_TRUE(strstr(err, bad[i].what) != NULL, err);
	}
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ASSERT_EQ(policy_rule_parse(big, &r, err, sizeof(err)), -EINVAL,
		  "1 KiB rule");
	ASSERT_STREQ(err, "rule too long", "1 KiB rule message");
}

/* `osprey policy set --name X`: a selector alone, without options. */
static void selector_alone(void)
{
	struct policy_rule r;
	char err[128];

	ASSERT_EQ(policy_selector_parse("class:win", &r, err, sizeof(err)), 0,
		  "class");
	ASSERT_EQ(r.key.kind, OSPREY_POL_CLASS, "class kind");
	ASSERT_STREQ(r.text, "class:win", "class text");
	ASSERT_EQ(policy_selector_parse("unknown", &r, err, sizeof(err)), 0,
		  "unknown");
	ASSERT_EQ(r.key.kind, OSPREY_POL_UNKNOWN, "unknown kind");
	ASSERT_EQ(policy_selector_parse("name:", &r, err, sizeof(err)), -EINVAL,
		  "empty name");
}

static void quality_names(void)
{
	ASSERT_EQ(policy_quality_parse("any"), OSPREY_PQ_ANY, "any");
	ASSERT_EQ(policy_quality_parse("not-fuzzy"), OSPREY_PQ_NOT_FUZZY,
		  "not-fuzzy");
	ASSERT_EQ(policy_quality_parse("not_fuzzy"), OSPREY_PQ_NOT_FUZZY,
		  "not_fuzzy");
	ASSERT_EQ(policy_quality_parse("exact"), OSPREY_PQ_EXACT, "exact");
	ASSERT_EQ(policy_quality_parse("great"), -EINVAL, "great");
	ASSERT_STREQ(policy_quality_name(OSPREY_PQ_EXACT), "exact",
		     "name of exact");
	ASSERT_STREQ(policy_quality_name(99), "?", "name of 99");
}

/* A database with two classes and three names (an app among them). */
static const char mini_fp[] =
	"classes = win,unix\n"
	"[tcp:request]\n"
	"label = s:unix:Linux:3.11 and newer\n"
	"sig   = *:64:0:*:mss*20,10:mss,sok,ts,nop,ws:df,id+:0\n"
	"label = s:win:Windows:7 or 8\n"
	"sig   = *:128:0:*:8192,8:mss,nop,ws,nop,nop,sok:df,id+:0\n"
	"[http:request]\n"
	"label = s:!:Firefox:2.x\n"
	"sys   = Windows,@unix\n"
	"sig   = *:Host,User-Agent:Accept-Encoding:Firefox/\n";

static int resolve(const struct sigdb *db, const char *spec,
		   struct policy_rule *r, char *err, size_t errlen)
{
	int rc = policy_rule_parse(spec, r, err, errlen);

	return rc ? rc : policy_rule_resolve(r, db, err, errlen);
}

/* Selectors in the database's spelling, whatever the case typed. */
static void resolve_in_db(void)
{
	static const struct {
		const char *spec, *text;
	} ok[] = {
		{ "class:UNIX mark=1", "class:unix" },
		{ "name:linux mark=1", "name:Linux" },
		{ "label:WIN:windows:7 or 8 match",
		  "label:win:Windows:7 or 8" },
		{ "unknown mark=2", "unknown" },
		{ "any match", "any" },
	};
	struct policy_rule r, want;
	struct sigdb db;
	char err[512];
	size_t i;

	if (!ASSERT_EQ(sigdb_load_buf(&db, "mini.fp", mini_fp, strlen(mini_fp),
				      err, sizeof(err)),
		       0, err))
		return;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		ASSERT_EQ(resolve(&db, ok[i].spec, &r, err, sizeof(err)), 0,
			  ok[i].spec);
		ASSERT_STREQ(r.text, ok[i].text, ok[i].spec);
		/* the key is the one of the canonical spelling */
		policy_selector_parse(ok[i].text, &want, err, sizeof(err));
		ASSERT_EQ(r.key.id, want.key.id, ok[i].text);
	}
	ASSERT_EQ(
		resolve(&db, "class:nosuchclass mark=1", &r, err, sizeof(err)),
		-EINVAL, "unknown class");
	ASSERT_STREQ(err,
		     "class 'nosuchclass' is not in the signature database "
		     "(classes: win, unix)",
		     "unknown class message");
	ASSERT_EQ(resolve(&db, "name:Lunix mark=1", &r, err, sizeof(err)),
		  -EINVAL, "unknown name");
	ASSERT_TRUE(strstr(err, "name 'Lunix' is not in the signature "
				"database (names: ") != NULL,
		    err);
	ASSERT_EQ(resolve(&db, "label:unix:Lunix: match", &r, err, sizeof(err)),
		  -EINVAL, "label with an unknown name");
	ASSERT_EQ(resolve(&db, "label:bsd:Linux: match", &r, err, sizeof(err)),
		  -EINVAL, "label with an unknown class");
	sigdb_free(&db);
}

/* `policy set` adds actions to a rule; --quality only when given. */
static void merge_actions(void)
{
	struct policy_rule a, b;
	char err[128];

	policy_rule_parse("name:Linux mark=0x10 quality=exact", &a, err,
			  sizeof(err));
	policy_rule_parse("name:Linux match", &b, err, sizeof(err));
	policy_rule_merge(&a, &b, false);
	ASSERT_EQ(a.val.action, OSPREY_ACT_MARK | OSPREY_ACT_MATCH, "actions");
	ASSERT_EQ(a.val.mark, 0x10, "mark kept");
	ASSERT_EQ(a.val.min_quality, OSPREY_PQ_EXACT, "quality kept");
	policy_rule_parse("name:Linux mark=0x20 quality=any", &b, err,
			  sizeof(err));
	policy_rule_merge(&a, &b, true);
	ASSERT_EQ(a.val.mark, 0x20, "mark replaced");
	ASSERT_EQ(a.val.min_quality, OSPREY_PQ_ANY, "quality given");
}

TH_MAIN("policy_rule", TH_CASE(rule_selectors), TH_CASE(rule_round_trip),
	TH_CASE(rule_mark_numbers), TH_CASE(rule_errors),
	TH_CASE(selector_alone), TH_CASE(quality_names), TH_CASE(resolve_in_db),
	TH_CASE(merge_actions))
