// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `osprey policy`: manage the pinned policy map (OS -> action rules) and
 * the programs that enforce it: a tc classifier that marks packets and an
 * iptables `-m bpf` match.  Rule text parsing lives in policy_rule.c.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "user/cmd.h"
#include "user/config.h"
#include "user/dbload.h"
#include "user/hostmap.h"
#include "user/log.h"
#include "user/options.h"
#include "user/osprey.h"
#include "user/parse.h"
#include "user/pin.h"
#include "user/policy_maps.h"
#include "user/tc_hook.h"
#include "policy_ipt.skel.h"
#include "policy_tc.skel.h"

/* Our tc filter's identity on clsact ingress, so detach finds it. */
#define TC_HANDLE 0x0b5e
#define TC_PRIORITY 0x0b5e

struct pol_ctx {
	const char *pin_dir;
	const char *db_path; /* -f: the database selectors are checked in */
	int verbose;
	struct policy_maps m;
};

static const char usage_text[] =
	"Usage: osprey policy [--pin-dir DIR] COMMAND [OPTIONS]\n"
	"\n"
	"Rules say what to do with hosts by what they were fingerprinted as.\n"
	"They live in pinned maps under DIR (default " OSPREY_PIN_DIR ") and\n"
	"are enforced by:\n"
	"  tc       attach-tc sets skb->mark on ingress (rules with --mark)\n"
	"  iptables -m bpf --object-pinned DIR/" POLICY_IPT_PIN
	" (rules with --match)\n"
	"  XDP      the daemon with --xdp-policy drops SYNs (--drop-syn)\n"
	"\n"
	"Commands:\n"
	"  set SELECTOR ACTION... [--quality Q] [--replace]\n"
	"                                        add actions to a rule (or\n"
	"                                        make one); --replace: only these\n"
	"  list                                  print the rules\n"
	"  clear SELECTOR | --all                remove one rule or all\n"
	"  load [--config FILE]                  make the config file's rules\n"
	"                                        the whole rule set (atomic)\n"
	"  attach-tc IFACE                       mark packets on IFACE ingress\n"
	"  detach-tc IFACE [--keep-qdisc]        remove the tc classifier\n"
	"  pin-ipt                               pin the iptables match program\n"
	"  unpin-ipt                             remove that pin\n"
	"\n"
	"Selectors (lookup order: ja4; label, name, class; unknown; any);\n"
	"classes and names must be in the signature database (-f FILE, any\n"
	"case):\n"
	"  --ja4 FP                    hosts whose latest TLS ClientHello had\n"
	"                              this JA4 (applies from the next packet\n"
	"                              after the hello is seen)\n"
	"  --label CLASS:NAME:FLAVOR   one exact label, e.g. \"unix:Linux:3.11 "
	"and newer\"\n"
	"  --name NAME                 an OS name, e.g. Linux, Windows\n"
	"  --class CLASS               an OS class, e.g. unix, win\n"
	"  --unknown                   hosts with no OS fingerprint\n"
	"  --any                       every host no other rule matched\n"
	"Actions:\n"
	"  --mark V                    tc: set skb->mark = V (0x.. allowed)\n"
	"  --match                     iptables -m bpf: match\n"
	"  --drop-syn                  XDP (daemon --xdp-policy): drop SYNs\n"
	"  --quality any|not-fuzzy|exact  least match quality the rule needs\n"
	"Options: --pin-dir DIR, -f/--database FILE, -v\n"
	"\n"
	"Examples:\n"
	"  osprey policy set --name Linux --mark 0x10\n"
	"  osprey policy attach-tc eth0\n"
	"  nft add rule inet filter input meta mark 0x10 tcp flags syn drop\n"
	"  iptables -A INPUT -m mark --mark 0x10 -j LOG\n"
	"  osprey policy set --class win --match --quality not-fuzzy\n"
	"  osprey policy set --ja4 t13d1516h2_8daaf6152771_e5627efa2ab1 "
	"--mark 0x20\n"
	"  osprey policy pin-ipt\n"
	"  iptables -A INPUT -p tcp --syn -m bpf --object-pinned "
	"/sys/fs/bpf/osprey/policy_ipt -j DROP\n"
	"  osprey policy clear --name Linux; osprey policy detach-tc eth0\n"
	"\n"
	"Exit status: 0 ok, 1 runtime error, 2 usage error.\n";

/* Open the pinned policy maps; 0, or exit status 1 (message printed). */
static int open_maps(struct pol_ctx *c, enum policy_access acc)
{
	char err[PATH_MAX + 128];

	if (!policy_maps_open(c->pin_dir, acc, &c->m, err, sizeof(err)))
		return 0;
	pr_err("%s", err);
	return EXIT_FAIL;
}

static void close_maps(struct pol_ctx *c)
{
	policy_maps_close(&c->m);
}

/* ------------------------------------------------------------------ */
/* set / clear / list / load                                           */
/* ------------------------------------------------------------------ */

enum {
	OPT_CLASS = 256,
	OPT_NAME,
	OPT_LABEL,
	OPT_JA4,
	OPT_UNKNOWN,
	OPT_ANY,
	OPT_MARK,
	OPT_DROP_SYN,
	OPT_MATCH,
	OPT_QUALITY,
	OPT_ALL,
	OPT_CONFIG,
	OPT_KEEP_QDISC,
	OPT_PIN_DIR,
	OPT_REPLACE,
};

static const struct option long_opts[] = {
	{ "class", required_argument, NULL, OPT_CLASS },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "label", required_argument, NULL, OPT_LABEL },
	{ "ja4", required_argument, NULL, OPT_JA4 },
	{ "unknown", no_argument, NULL, OPT_UNKNOWN },
	{ "any", no_argument, NULL, OPT_ANY },
	{ "mark", required_argument, NULL, OPT_MARK },
	{ "drop-syn", no_argument, NULL, OPT_DROP_SYN },
	{ "match", no_argument, NULL, OPT_MATCH },
	{ "quality", required_argument, NULL, OPT_QUALITY },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "keep-qdisc", no_argument, NULL, OPT_KEEP_QDISC },
	{ "pin-dir", required_argument, NULL, OPT_PIN_DIR },
	{ "replace", no_argument, NULL, OPT_REPLACE },
	{ "database", required_argument, NULL, 'f' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct pol_args {
	const char *cmd;
	char selector[POLICY_TEXT_MAX + 16];
	int n_selectors;
	struct policy_rule rule;
	bool all, keep_qdisc, replace, quality_given;
	const char *config;
	const char *iface;
};

static int set_selector(struct pol_args *a, const char *kind, const char *v)
{
	a->n_selectors++;
	if (v)
		snprintf(a->selector, sizeof(a->selector), "%s:%s", kind, v);
	else
		snprintf(a->selector, sizeof(a->selector), "%s", kind);
	return 0;
}

/* One option; 0, or EXIT_USAGE. */
static int parse_opt(int opt, struct pol_args *a, struct pol_ctx *c)
{
	uint32_t v;
	int q;

	switch (opt) {
	case OPT_CLASS:
		return set_selector(a, "class", optarg);
	case OPT_NAME:
		return set_selector(a, "name", optarg);
	case OPT_LABEL:
		return set_selector(a, "label", optarg);
	case OPT_JA4:
		return set_selector(a, "ja4", optarg);
	case OPT_UNKNOWN:
		return set_selector(a, "unknown", NULL);
	case OPT_ANY:
		return set_selector(a, "any", NULL);
	case OPT_MARK:
		if (parse_u32(optarg, 0, UINT32_MAX, false, &v, NULL, 0)) {
			pr_err("--mark '%s': expected a 32-bit number", optarg);
			return EXIT_USAGE;
		}
		a->rule.val.mark = v;
		a->rule.val.action |= OSPREY_ACT_MARK;
		return 0;
	case OPT_DROP_SYN:
		a->rule.val.action |= OSPREY_ACT_DROP_SYN;
		return 0;
	case OPT_MATCH:
		a->rule.val.action |= OSPREY_ACT_MATCH;
		return 0;
	case OPT_QUALITY:
		q = policy_quality_parse(optarg);
		if (q < 0) {
			pr_err("--quality '%s': expected any|not-fuzzy|exact",
			       optarg);
			return EXIT_USAGE;
		}
		a->rule.val.min_quality = (__u8)q;
		a->quality_given = true;
		return 0;
	case OPT_ALL:
		a->all = true;
		return 0;
	case OPT_CONFIG:
		a->config = optarg;
		return 0;
	case OPT_KEEP_QDISC:
		a->keep_qdisc = true;
		return 0;
	case OPT_PIN_DIR:
		c->pin_dir = optarg;
		return 0;
	case OPT_REPLACE:
		a->replace = true;
		return 0;
	case 'f':
		c->db_path = optarg;
		return 0;
	case 'v':
		c->verbose++;
		return 0;
	}
	fputs(usage_text, stderr);
	return EXIT_USAGE;
}

/* Check the selector against the database, in its spelling.  0 or
 * EXIT_USAGE / EXIT_FAIL (printed). */
static int resolve(struct pol_ctx *c, const char *cmd, struct policy_rule *r)
{
	struct sigdb db;
	char err[1024];
	int rc;

	if (r->key.kind == OSPREY_POL_UNKNOWN ||
	    r->key.kind == OSPREY_POL_ANY || r->key.kind == OSPREY_POL_JA4)
		return 0;
	if (db_load_path(c->db_path, &db))
		return EXIT_FAIL;
	rc = policy_rule_resolve(r, &db, err, sizeof(err));
	sigdb_free(&db);
	if (rc)
		pr_err("%s: %s", cmd, err);
	return rc ? EXIT_USAGE : 0;
}

static int cmd_set(struct pol_ctx *c, struct pol_args *a)
{
	struct policy_rule cur;
	char err[256], acts[96];
	int rc;

	if (a->n_selectors != 1) {
		pr_err("set: give exactly one of --class, --name, --label, --ja4, --unknown, --any");
		return EXIT_USAGE;
	}
	if (!a->rule.val.action) {
		pr_err("set: give an action: --mark V, --match or --drop-syn");
		return EXIT_USAGE;
	}
	if (policy_selector_parse(a->selector, &a->rule, err, sizeof(err))) {
		pr_err("set: %s", err);
		return EXIT_USAGE;
	}
	if (a->rule.key.kind == OSPREY_POL_JA4 && a->rule.val.min_quality) {
		pr_err("set: --quality applies to OS matches, not to --ja4");
		return EXIT_USAGE;
	}
	rc = resolve(c, "set", &a->rule);
	if (rc)
		return rc;
	rc = open_maps(c, POLICY_CREATE);
	if (rc)
		return rc;
	/* without --replace, the actions go to the rule already there */
	if (!a->replace && !policy_rule_get(&c->m, &a->rule.key, &cur)) {
		policy_rule_merge(&cur, &a->rule, a->quality_given);
		snprintf(cur.text, sizeof(cur.text), "%s", a->rule.text);
		a->rule = cur;
	}
	rc = policy_rule_store(&c->m, &a->rule);
	close_maps(c);
	if (rc) {
		pr_err("set %s: %s", a->rule.text, strerror(-rc));
		return EXIT_FAIL;
	}
	policy_actions_str(&a->rule, acts, sizeof(acts));
	printf("set %s %s\n", a->rule.text, acts);
	return EXIT_OK;
}

static void key_text(struct pol_ctx *c, const struct osprey_policy_key *k,
		     char *buf, size_t len)
{
	char text[POLICY_TEXT_MAX];

	if (c->m.names_fd >= 0 &&
	    !bpf_map_lookup_elem(c->m.names_fd, k, text)) {
		text[sizeof(text) - 1] = '\0';
		snprintf(buf, len, "%s", text);
		return;
	}
	switch (k->kind) {
	case OSPREY_POL_LABEL:
		snprintf(buf, len, "label:#%08x", k->id);
		break;
	case OSPREY_POL_NAME:
		snprintf(buf, len, "name:#%08x", k->id);
		break;
	case OSPREY_POL_CLASS:
		snprintf(buf, len, "class:#%08x", k->id);
		break;
	case OSPREY_POL_UNKNOWN:
		snprintf(buf, len, "unknown");
		break;
	case OSPREY_POL_ANY:
		snprintf(buf, len, "any");
		break;
	default:
		snprintf(buf, len, "kind%u:#%08x", k->kind, k->id);
		break;
	}
}

static int cmd_list(struct pol_ctx *c)
{
	struct osprey_policy_key k, next, *prev = NULL;
	struct policy_rule r;
	char acts[96];
	int rc, n = 0;

	rc = open_maps(c, POLICY_READ);
	if (rc)
		return rc;
	while (c->m.pol_fd >= 0 &&
	       !bpf_map_get_next_key(c->m.pol_fd, prev, &next)) {
		k = next;
		prev = &k;
		memset(&r, 0, sizeof(r));
		r.key = k;
		if (bpf_map_lookup_elem(c->m.pol_fd, &k, &r.val))
			continue; /* deleted meanwhile */
		key_text(c, &k, r.text, sizeof(r.text));
		policy_actions_str(&r, acts, sizeof(acts));
		printf("%-40s %s\n", r.text, acts);
		n++;
	}
	pr_debug("%d rule(s) in %s/policy", n, c->pin_dir);
	close_maps(c);
	return EXIT_OK;
}

/* Clear every rule: an empty set takes the place of the one in force. */
static int clear_all(struct pol_ctx *c)
{
	struct osprey_policy_key k, next, *prev = NULL;
	int n = 0, rc;

	while (c->m.pol_fd >= 0 &&
	       !bpf_map_get_next_key(c->m.pol_fd, prev, &next)) {
		k = next;
		prev = &k;
		n++;
	}
	rc = policy_rules_replace(&c->m, NULL, 0);
	if (!rc)
		printf("cleared %d rule(s)\n", n);
	return rc;
}

/* `clear --name linux` when the rule is name:Linux: find it by its text,
 * ignoring case (the selectors of `set` are matched that way too). */
static int clear_nocase(struct pol_ctx *c, struct pol_args *a)
{
	struct osprey_policy_key k, next, *prev = NULL;
	struct policy_rule r;

	while (c->m.pol_fd >= 0 &&
	       !bpf_map_get_next_key(c->m.pol_fd, prev, &next)) {
		k = next;
		prev = &k;
		if (policy_rule_get(&c->m, &k, &r) || !r.text[0] ||
		    strcasecmp(r.text, a->rule.text))
			continue;
		snprintf(a->rule.text, sizeof(a->rule.text), "%s", r.text);
		return policy_rule_delete(&c->m, &k);
	}
	return -ENOENT;
}

static int cmd_clear(struct pol_ctx *c, struct pol_args *a)
{
	char err[256];
	int rc;

	if (a->all == (a->n_selectors > 0) || a->n_selectors > 1) {
		pr_err("clear: give one selector (--class, --name, --label, --unknown, --any) or --all");
		return EXIT_USAGE;
	}
	if (!a->all &&
	    policy_selector_parse(a->selector, &a->rule, err, sizeof(err))) {
		pr_err("clear: %s", err);
		return EXIT_USAGE;
	}
	/* clearing needs no database: a rule for a name it lost must go */
	rc = open_maps(c, POLICY_WRITE);
	if (rc)
		return rc;
	if (a->all) {
		rc = clear_all(c);
	} else {
		rc = policy_rule_delete(&c->m, &a->rule.key);
		if (rc == -ENOENT)
			rc = clear_nocase(c, a);
		if (!rc)
			printf("cleared %s\n", a->rule.text);
	}
	close_maps(c);
	if (rc) {
		pr_err("clear %s: %s", a->all ? "--all" : a->rule.text,
		       rc == -ENOENT ? "no such rule" : strerror(-rc));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

static int cmd_load(struct pol_ctx *c, struct pol_args *a)
{
	const char *path = a->config ? a->config : "/etc/osprey/osprey.conf";
	struct osprey_opts o;
	struct sigdb db;
	char err[1024];
	int rc;

	memset(&o, 0, sizeof(o));
	if (opts_load_config(path, &o, err, sizeof(err))) {
		pr_err("%s", err);
		return EXIT_USAGE;
	}
	if (o.pin_dir && !c->pin_dir)
		c->pin_dir = o.pin_dir;
	if (!c->pin_dir)
		c->pin_dir = OSPREY_PIN_DIR;
	/* the database the daemon would check the rules in */
	rc = c->db_path ? db_load_path(c->db_path, &db) : db_load(&o, &db);
	if (rc) {
		config_release();
		return EXIT_FAIL;
	}
	rc = policy_apply_rules(c->pin_dir, o.policy_rules, o.n_policy, &db,
				err, sizeof(err));
	if (rc)
		pr_err("%s", err);
	else
		printf("loaded %d rule(s) from %s (the whole rule set now)\n",
		       o.n_policy, path);
	sigdb_free(&db);
	config_release();
	return rc ? (rc == -EINVAL ? EXIT_USAGE : EXIT_FAIL) : EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* Programs: tc classifier and iptables match                         */
/* ------------------------------------------------------------------ */

/*
 * Our objects reuse the pinned hosts map; libbpf refuses to reuse it if
 * its size differs from the object's, so adopt the pinned map's size.
 */
static void adopt_hosts_size(const char *dir, struct bpf_map *m)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);
	char path[PATH_MAX];
	int fd;

	/* one of an older layout cannot be reused: a new one replaces it */
	if (hostmap_drop_stale(dir) == 1)
		pr_warn("%s/hosts had an older record layout: replaced (restart the daemon so it writes the new one)",
			dir);
	if (pin_path(path, sizeof(path), dir, "hosts"))
		return;
	fd = bpf_obj_get(path);
	if (fd < 0)
		return;
	memset(&info, 0, sizeof(info));
	if (!bpf_obj_get_info_by_fd(fd, &info, &len) && info.max_entries)
		bpf_map__set_max_entries(m, info.max_entries);
	close(fd);
}

static int pin_ipt(struct pol_ctx *c)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .pin_root_path = c->pin_dir);
	struct policy_ipt_bpf *skel;
	char path[PATH_MAX];
	int rc;

	rc = pin_path(path, sizeof(path), c->pin_dir, POLICY_IPT_PIN);
	if (rc)
		return rc;
	policy_pins_upgrade(c->pin_dir);
	skel = policy_ipt_bpf__open_opts(&oo);
	if (!skel)
		return -errno;
	adopt_hosts_size(c->pin_dir, skel->maps.hosts);
	rc = policy_ipt_bpf__load(skel);
	if (rc)
		goto cleanup;
	/* Replace an older pin; rules already using it keep their copy. */
	if (unlink(path) && errno != ENOENT) {
		rc = -errno;
		goto cleanup;
	}
	rc = bpf_program__pin(skel->progs.osprey_policy_ipt, path);
cleanup:
	policy_ipt_bpf__destroy(skel);
	return rc;
}

static int cmd_pin_ipt(struct pol_ctx *c)
{
	int rc = open_maps(c, POLICY_CREATE);

	if (rc)
		return rc;
	close_maps(c);
	rc = pin_ipt(c);
	if (rc) {
		pr_err("pin-ipt: %s", strerror(-rc));
		return EXIT_FAIL;
	}
	printf("pinned %s/%s\n", c->pin_dir, POLICY_IPT_PIN);
	return EXIT_OK;
}

static int cmd_unpin_ipt(struct pol_ctx *c)
{
	char path[PATH_MAX];

	if (pin_path(path, sizeof(path), c->pin_dir, POLICY_IPT_PIN) ||
	    unlink(path)) {
		pr_err("unpin-ipt: %s: %s", path, strerror(errno));
		return EXIT_FAIL;
	}
	printf("removed %s\n", path);
	return EXIT_OK;
}

static int iface_index(const char *cmd, const char *iface)
{
	unsigned int ifindex = if_nametoindex(iface);

	if (!ifindex)
		pr_err("%s: interface '%s': %s", cmd, iface, strerror(errno));
	return (int)ifindex;
}

static const struct tc_filter_id policy_tc = { TC_HANDLE, TC_PRIORITY };

static int tc_attach(struct pol_ctx *c, int ifindex, bool *created)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .pin_root_path = c->pin_dir);
	struct osprey_policy_key mk = { POLICY_META_TC_QDISC, ifindex };
	char text[POLICY_TEXT_MAX] = "tc-qdisc";
	struct policy_tc_bpf *skel;
	int rc;

	policy_pins_upgrade(c->pin_dir);
	skel = policy_tc_bpf__open_opts(&oo);
	if (!skel)
		return -errno;
	adopt_hosts_size(c->pin_dir, skel->maps.hosts);
	rc = policy_tc_bpf__load(skel);
	if (!rc)
		rc = tc_filter_attach(
			ifindex, BPF_TC_INGRESS, policy_tc,
			bpf_program__fd(skel->progs.osprey_policy_tc), created);
	/* Remember that the clsact qdisc is ours to remove at detach. */
	if (!rc && *created && c->m.names_fd >= 0)
		bpf_map_update_elem(c->m.names_fd, &mk, text, BPF_ANY);
	/* The filter holds its own reference: the program stays. */
	policy_tc_bpf__destroy(skel);
	return rc;
}

static int cmd_attach_tc(struct pol_ctx *c, struct pol_args *a)
{
	int ifindex = iface_index("attach-tc", a->iface);
	bool created = false;
	int rc;

	if (!ifindex)
		return EXIT_FAIL;
	rc = open_maps(c, POLICY_CREATE);
	if (rc)
		return rc;
	rc = tc_attach(c, ifindex, &created);
	close_maps(c);
	if (rc) {
		pr_err("attach-tc %s: %s", a->iface, strerror(-rc));
		return EXIT_FAIL;
	}
	printf("attached tc ingress classifier to %s%s\n", a->iface,
	       created ? " (clsact qdisc added)" : "");
	rc = pin_ipt(c);
	if (rc)
		pr_warn("warning: pinning the iptables match: %s",
			strerror(-rc));
	else
		printf("pinned %s/%s\n", c->pin_dir, POLICY_IPT_PIN);
	return EXIT_OK;
}

static int cmd_detach_tc(struct pol_ctx *c, struct pol_args *a)
{
	int ifindex = iface_index("detach-tc", a->iface);
	struct osprey_policy_key mk = { POLICY_META_TC_QDISC, ifindex };
	char text[POLICY_TEXT_MAX];
	bool ours = false;
	int rc;

	if (!ifindex)
		return EXIT_FAIL;
	if (!open_maps(c, POLICY_WRITE) && c->m.names_fd >= 0)
		ours = !bpf_map_lookup_elem(c->m.names_fd, &mk, text);
	rc = tc_filter_detach(ifindex, BPF_TC_INGRESS, policy_tc);
	if (rc) {
		pr_err("detach-tc %s: %s", a->iface,
		       rc == -ENOENT ? "no osprey classifier attached" :
				       strerror(-rc));
		close_maps(c);
		return EXIT_FAIL;
	}
	printf("detached tc classifier from %s\n", a->iface);
	if (ours && !a->keep_qdisc) {
		rc = tc_qdisc_remove(ifindex);
		if (rc && rc != -ENOENT)
			pr_warn("warning: removing clsact qdisc: %s",
				strerror(-rc));
		else
			printf("removed clsact qdisc from %s\n", a->iface);
	}
	if (ours && c->m.names_fd >= 0)
		bpf_map_delete_elem(c->m.names_fd, &mk);
	close_maps(c);
	return EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* Entry                                                               */
/* ------------------------------------------------------------------ */

/* `set name:Linux mark=0x10` : the rule's text form as arguments. */
static int rule_from_words(struct pol_args *a, int argc, char **argv)
{
	char buf[512] = "", err[256];
	size_t n = 0;
	int i;

	for (i = 0; i < argc; i++)
		n += snprintf(buf + n, n < sizeof(buf) ? sizeof(buf) - n : 0,
			      "%s%s", i ? " " : "", argv[i]);
	if (n >= sizeof(buf) ||
	    policy_rule_parse(buf, &a->rule, err, sizeof(err))) {
		pr_err("set: %s", n >= sizeof(buf) ? "rule too long" : err);
		return EXIT_USAGE;
	}
	snprintf(a->selector, sizeof(a->selector), "%s", a->rule.text);
	a->n_selectors = 1;
	a->quality_given = strstr(buf, "quality=") != NULL;
	return 0;
}

static int check_args(struct pol_args *a, int npos, char **pos)
{
	bool iface =
		!strcmp(a->cmd, "attach-tc") || !strcmp(a->cmd, "detach-tc");
	bool sel = !strcmp(a->cmd, "set") || !strcmp(a->cmd, "clear");

	if (iface) {
		if (npos != 1) {
			pr_err("%s: expected one interface name", a->cmd);
			return EXIT_USAGE;
		}
		a->iface = pos[0];
	} else if (npos && !strcmp(a->cmd, "set") && !a->n_selectors &&
		   !a->rule.val.action) {
		return rule_from_words(a, npos, pos);
	} else if (npos) {
		pr_err("%s: unexpected argument '%s'", a->cmd, pos[0]);
		return EXIT_USAGE;
	}
	if (!sel && (a->n_selectors || a->rule.val.action || a->all)) {
		pr_err("%s: takes no selector or action", a->cmd);
		return EXIT_USAGE;
	}
	return 0;
}

static int dispatch(struct pol_ctx *c, struct pol_args *a)
{
	if (!strcmp(a->cmd, "set"))
		return cmd_set(c, a);
	if (!strcmp(a->cmd, "list"))
		return cmd_list(c);
	if (!strcmp(a->cmd, "clear"))
		return cmd_clear(c, a);
	if (!strcmp(a->cmd, "load"))
		return cmd_load(c, a);
	if (!strcmp(a->cmd, "attach-tc"))
		return cmd_attach_tc(c, a);
	if (!strcmp(a->cmd, "detach-tc"))
		return cmd_detach_tc(c, a);
	if (!strcmp(a->cmd, "pin-ipt"))
		return cmd_pin_ipt(c);
	if (!strcmp(a->cmd, "unpin-ipt"))
		return cmd_unpin_ipt(c);
	pr_err("unknown command '%s' (try: osprey policy --help)", a->cmd);
	return EXIT_USAGE;
}

int cmd_policy(int argc, char **argv)
{
	struct pol_ctx c = { .m = POLICY_MAPS_INIT };
	struct pol_args a;
	int opt, rc;

	memset(&a, 0, sizeof(a));
	log_set_ident("osprey policy");
	optind = 0; /* full getopt reset: main may have parsed before us */
	opterr = 1;
	while ((opt = getopt_long(argc, argv, "f:hv", long_opts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(usage_text, stdout);
			return EXIT_OK;
		}
		rc = parse_opt(opt, &a, &c);
		if (rc)
			return rc;
	}
	if (optind >= argc) {
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	a.cmd = argv[optind];
	if (!strcmp(a.cmd, "help")) {
		fputs(usage_text, stdout);
		return EXIT_OK;
	}
	rc = check_args(&a, argc - optind - 1, argv + optind + 1);
	if (rc)
		return rc;
	log_set_verbosity(c.verbose);
	if (!strcmp(a.cmd, "load"))
		return cmd_load(&c, &a);
	if (!c.pin_dir)
		c.pin_dir = OSPREY_PIN_DIR;
	return dispatch(&c, &a);
}
