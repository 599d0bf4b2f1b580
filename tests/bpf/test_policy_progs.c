// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The policy programs under BPF_PROG_TEST_RUN: the tc classifier's mark
 * and the iptables match's verdict for canned packets, with host records
 * and rules written into private (unpinned) maps.
 *
 * Packets are built here field by field: Ethernet (optionally one or two
 * VLAN tags) + IPv4/IPv6 + a 20-byte TCP SYN to port 80.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "tests/harness.h"
#include "bpf/osprey_abi.h"
#include "user/labelhash.h"
#include "user/policy_maps.h"
#include "policy_ipt.skel.h"
#include "policy_tc.skel.h"

static struct policy_tc_bpf *tc;
static struct policy_ipt_bpf *ipt;
static int hosts_fd = -1, policy_fd = -1;

/* Build a frame with n_vlan tags from src (v4 or v6 text); its length. */
static size_t build_frame(unsigned char *f, int n_vlan, const char *src)
{
	struct in6_addr a6;
	struct in_addr a4;
	size_t off = 12;
	int i;

	memset(f, 0, 128);
	memcpy(f, "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02", 12);
	for (i = 0; i < n_vlan; i++) {
		/* outer 802.1ad when double tagged, inner 802.1Q */
		f[off] = (n_vlan == 2 && i == 0) ? 0x88 : 0x81;
		f[off + 1] = (n_vlan == 2 && i == 0) ? 0xa8 : 0x00;
		f[off + 3] = (unsigned char)(10 + i); /* VID */
		off += 4;
	}
	if (inet_pton(AF_INET, src, &a4) == 1) {
		f[off] = 0x08, f[off + 1] = 0x00;
		off += 2;
		f[off] = 0x45; /* v4, IHL 5 */
		f[off + 3] = 40; /* total length */
		f[off + 8] = 64; /* TTL */
		f[off + 9] = 6; /* TCP */
		memcpy(f + off + 12, &a4, 4);
		memcpy(f + off + 16, "\x0a\x00\x00\xfe", 4);
		off += 20;
	} else {
		inet_pton(AF_INET6, src, &a6);
		f[off] = 0x86, f[off + 1] = 0xdd;
		off += 2;
		f[off] = 0x60;
		f[off + 5] = 20; /* payload length */
		f[off + 6] = 6; /* next header TCP */
		f[off + 7] = 64;
		memcpy(f + off + 8, &a6, 16);
		f[off + 39] = 1; /* dst ::1 */
		off += 40;
	}
	f[off + 2] = 0, f[off + 3] = 80; /* dport 80 */
	f[off + 12] = 0x50; /* doff 5 */
	f[off + 13] = 0x02; /* SYN */
	return off + 20;
}

static void put_host(const char *src, const char *cls, const char *name,
		     const char *flavor, unsigned int quality)
{
	struct osprey_host_key k;
	struct osprey_host h;

	memset(&k, 0, sizeof(k));
	memset(&h, 0, sizeof(h));
	if (inet_pton(AF_INET, src, k.addr) == 1)
		k.family = 4;
	else {
		inet_pton(AF_INET6, src, k.addr);
		k.family = 6;
	}
	if (name) {
		h.flags = OSPREY_HF_OS_KNOWN;
		h.os_class_hash = osprey_fnv1a(cls);
		h.os_name_hash = osprey_fnv1a(name);
		h.os_label_hash = osprey_label_hash(cls, name, flavor);
		h.os_quality = (__u8)quality;
		snprintf(h.os_name, sizeof(h.os_name), "%s", name);
	}
	h.distance = -1;
	bpf_map_update_elem(hosts_fd, &k, &h, BPF_ANY);
}

/* Give the record of src a ClientHello's JA4 (as the daemon does). */
static void put_ja4(const char *src, const char *ja4)
{
	struct osprey_host_key k;
	struct osprey_host h;

	memset(&k, 0, sizeof(k));
	k.family = 4;
	inet_pton(AF_INET, src, k.addr);
	if (bpf_map_lookup_elem(hosts_fd, &k, &h))
		return;
	h.flags |= OSPREY_HF_TLS;
	h.ja4_hash = osprey_fnv1a(ja4);
	snprintf(h.ja4, sizeof(h.ja4), "%s", ja4);
	bpf_map_update_elem(hosts_fd, &k, &h, BPF_ANY);
}

static void put_rule(__u32 kind, __u32 id, __u8 action, __u32 mark, __u8 minq)
{
	struct osprey_policy_key k = { kind, id };
	struct osprey_policy_val v = { .mark = mark,
				       .action = action,
				       .min_quality = minq };

	bpf_map_update_elem(policy_fd, &k, &v, BPF_ANY);
}

static void clear_rules(void)
{
	struct osprey_policy_key k;

	while (!bpf_map_get_next_key(policy_fd, NULL, &k))
		bpf_map_delete_elem(policy_fd, &k);
}

/* Run the tc program on a frame; returns skb->mark after (or -errno). */
static long long tc_mark(int n_vlan, const char *src, int *retval)
{
	unsigned char f[128];
	struct __sk_buff ctx = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f, .ctx_in = &ctx,
		    .ctx_size_in = sizeof(ctx), .ctx_out = &ctx,
		    .ctx_size_out = sizeof(ctx));
	int rc;

	o.data_size_in = (__u32)build_frame(f, n_vlan, src);
	rc = bpf_prog_test_run_opts(bpf_program__fd(tc->progs.osprey_policy_tc),
				    &o);
	if (rc)
		return -errno;
	*retval = (int)o.retval;
	return ctx.mark;
}

/* Run the iptables match (it sees data from the IP header on). */
static int ipt_match(const char *src)
{
	unsigned char f[128];
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f);

	o.data_size_in = (__u32)build_frame(f, 0, src);
	if (bpf_prog_test_run_opts(
		    bpf_program__fd(ipt->progs.osprey_policy_ipt), &o))
		return -errno;
	return (int)o.retval;
}

/* No pinning for the maps of one object: nothing left in bpffs. */
static void unpin(struct bpf_map *const *maps, int n)
{
	int i;

	for (i = 0; i < n; i++)
		bpf_map__set_pin_path(maps[i], NULL);
}

static int setup(void)
{
	__u32 slot = 0;
	int err, i;

	tc = policy_tc_bpf__open();
	ipt = policy_ipt_bpf__open();
	if (!tc || !ipt)
		return -errno;
	struct bpf_map *tmaps[] = { tc->maps.hosts, tc->maps.policy,
				    tc->maps.policy_a, tc->maps.policy_b };
	struct bpf_map *imaps[] = { ipt->maps.hosts, ipt->maps.policy,
				    ipt->maps.policy_a, ipt->maps.policy_b };
	unpin(tmaps, 4);
	err = policy_tc_bpf__load(tc);
	if (err)
		return err;
	hosts_fd = bpf_map__fd(tc->maps.hosts);
	/* the rules go to policy_a, made the set in force */
	policy_fd = bpf_map__fd(tc->maps.policy_a);
	if (bpf_map_update_elem(bpf_map__fd(tc->maps.policy), &slot, &policy_fd,
				BPF_ANY))
		return -errno;
	/* The iptables program shares the tc program's maps. */
	unpin(imaps, 4);
	for (i = 0; !err && i < 4; i++)
		err = bpf_map__reuse_fd(imaps[i], bpf_map__fd(tmaps[i]));
	return err ?: policy_ipt_bpf__load(ipt);
}

static void tc_marks_by_name(void)
{
	int ret = -1;

	clear_rules();
	put_host("10.0.0.1", "unix", "Linux", "3.11 and newer", 0);
	put_host("10.0.0.2", "win", "Windows", "7 or 8", 0);
	put_rule(OSPREY_POL_NAME, osprey_fnv1a("Linux"), OSPREY_ACT_MARK, 0x10,
		 OSPREY_PQ_ANY);
	ASSERT_EQ(tc_mark(0, "10.0.0.1", &ret), 0x10, "Linux host mark");
	ASSERT_EQ(ret, -1, "TC_ACT_UNSPEC");
	ASSERT_EQ(tc_mark(0, "10.0.0.2", &ret), 0, "Windows host mark");
	ASSERT_EQ(ret, -1, "TC_ACT_UNSPEC for unmatched");
	ASSERT_EQ(tc_mark(0, "10.9.9.9", &ret), 0, "absent host mark");
}

static void tc_lookup_order(void)
{
	int ret;

	clear_rules();
	put_host("10.0.0.1", "unix", "Linux", "3.11 and newer", 0);
	put_rule(OSPREY_POL_CLASS, osprey_fnv1a("unix"), OSPREY_ACT_MARK, 3, 0);
	ASSERT_EQ(tc_mark(0, "10.0.0.1", &ret), 3, "class rule");
	put_rule(OSPREY_POL_NAME, osprey_fnv1a("Linux"), OSPREY_ACT_MARK, 2, 0);
	ASSERT_EQ(tc_mark(0, "10.0.0.1", &ret), 2, "name beats class");
	put_rule(OSPREY_POL_LABEL,
		 osprey_label_hash("unix", "Linux", "3.11 and newer"),
		 OSPREY_ACT_MARK, 1, 0);
	ASSERT_EQ(tc_mark(0, "10.0.0.1", &ret), 1, "label beats name");
	put_rule(OSPREY_POL_ANY, 0, OSPREY_ACT_MARK, 9, 0);
	ASSERT_EQ(tc_mark(0, "10.0.0.1", &ret), 1, "any is last");
	ASSERT_EQ(tc_mark(0, "10.9.9.9", &ret), 9, "any for absent host");
	put_rule(OSPREY_POL_UNKNOWN, 0, OSPREY_ACT_MARK, 8, 0);
	ASSERT_EQ(tc_mark(0, "10.9.9.9", &ret), 8, "unknown beats any");
	/* A record without an OS counts as unknown. */
	put_host("10.0.0.3", NULL, NULL, NULL, 0);
	ASSERT_EQ(tc_mark(0, "10.0.0.3", &ret), 8, "host without OS");
}

static void tc_quality(void)
{
	int ret;

	clear_rules();
	put_host("10.0.0.4", "unix", "Linux", "2.2.x-3.x", OSPREY_Q_FUZZY);
	put_host("10.0.0.5", "unix", "Linux", "2.2.x-3.x", OSPREY_Q_GENERIC);
	put_host("10.0.0.6", "unix", "Linux", "2.2.x-3.x", 0);
	put_rule(OSPREY_POL_NAME, osprey_fnv1a("Linux"), OSPREY_ACT_MARK, 0x77,
		 OSPREY_PQ_EXACT);
	put_rule(OSPREY_POL_CLASS, osprey_fnv1a("unix"), OSPREY_ACT_MARK, 0x55,
		 OSPREY_PQ_NOT_FUZZY);
	ASSERT_EQ(tc_mark(0, "10.0.0.6", &ret), 0x77, "exact meets exact");
	ASSERT_EQ(tc_mark(0, "10.0.0.5", &ret), 0x55,
		  "generic falls to not-fuzzy class rule");
	ASSERT_EQ(tc_mark(0, "10.0.0.4", &ret), 0, "fuzzy meets neither");
}

static void tc_vlan_and_ipv6(void)
{
	int ret;

	clear_rules();
	put_host("10.0.0.1", "unix", "Linux", "3.11 and newer", 0);
	put_host("2001:db8::7", "unix", "Linux", "3.11 and newer", 0);
	put_rule(OSPREY_POL_NAME, osprey_fnv1a("Linux"), OSPREY_ACT_MARK, 0x10,
		 0);
	ASSERT_EQ(tc_mark(1, "10.0.0.1", &ret), 0x10, "802.1Q");
	ASSERT_EQ(tc_mark(2, "10.0.0.1", &ret), 0x10, "QinQ");
	ASSERT_EQ(tc_mark(0, "2001:db8::7", &ret), 0x10, "IPv6");
	ASSERT_EQ(tc_mark(1, "2001:db8::7", &ret), 0x10, "IPv6 in VLAN");
	ASSERT_EQ(tc_mark(0, "2001:db8::8", &ret), 0, "other IPv6");
}

static void tc_mark_needs_mark_action(void)
{
	int ret;

	clear_rules();
	put_host("10.0.0.1", "unix", "Linux", "3.11 and newer", 0);
	put_rule(OSPREY_POL_NAME, osprey_fnv1a("Linux"), OSPREY_ACT_MATCH, 0x10,
		 0);
	ASSERT_EQ(tc_mark(0, "10.0.0.1", &ret), 0, "match-only rule");
}

#define JA4_ONE "t13d3112h2_e8f1e7e78f70_6bebaf5329ac"
#define JA4_TWO "t13d1516h2_8daaf6152771_d8a2da3f94cd"

/* JA4 rules: a host's latest hello, before its OS rules; exact, so a
 * rule's quality is not looked at. */
static void tc_ja4(void)
{
	int ret;

	clear_rules();
	put_host("10.0.0.1", "unix", "Linux", "3.11 and newer", OSPREY_Q_FUZZY);
	put_host("10.0.0.2", "unix", "Linux", "3.11 and newer", 0);
	put_host("10.0.0.3", NULL, NULL, NULL, 0);
	put_rule(OSPREY_POL_NAME, osprey_fnv1a("Linux"), OSPREY_ACT_MARK, 2, 0);
	put_rule(OSPREY_POL_UNKNOWN, 0, OSPREY_ACT_MARK, 8, 0);
	put_rule(OSPREY_POL_JA4, osprey_fnv1a(JA4_ONE),
		 OSPREY_ACT_MARK | OSPREY_ACT_MATCH, 0x40, OSPREY_PQ_EXACT);
	ASSERT_EQ(tc_mark(0, "10.0.0.1", &ret), 2, "no hello yet: OS rule");
	put_ja4("10.0.0.1", JA4_ONE);
	put_ja4("10.0.0.2", JA4_TWO);
	put_ja4("10.0.0.3", JA4_ONE);
	ASSERT_EQ(tc_mark(0, "10.0.0.1", &ret), 0x40,
		  "JA4 rule beats the OS rule (fuzzy OS, rule quality exact)");
	ASSERT_EQ(tc_mark(0, "10.0.0.2", &ret), 2, "other JA4: OS rule");
	ASSERT_EQ(tc_mark(0, "10.0.0.3", &ret), 0x40,
		  "JA4 rule beats unknown for a host without an OS");
	ASSERT_EQ(ipt_match("10.0.0.1"), 1, "iptables: JA4 rule matches");
	ASSERT_EQ(ipt_match("10.0.0.2"), 0, "iptables: other JA4");
	/* a JA4 rule without the host flag set is not applied */
	put_host("10.0.0.1", "unix", "Linux", "3.11 and newer", 0);
	ASSERT_EQ(tc_mark(0, "10.0.0.1", &ret), 2, "record without a hello");
}

static void ipt_matches(void)
{
	clear_rules();
	put_host("10.0.0.1", "unix", "Linux", "3.11 and newer", 0);
	put_host("10.0.0.2", "win", "Windows", "7 or 8", 0);
	put_host("2001:db8::7", "unix", "Linux", "3.11 and newer", 0);
	put_rule(OSPREY_POL_NAME, osprey_fnv1a("Linux"), OSPREY_ACT_MATCH, 0,
		 0);
	ASSERT_EQ(ipt_match("10.0.0.1"), 1, "Linux v4 matches");
	ASSERT_EQ(ipt_match("2001:db8::7"), 1, "Linux v6 matches");
	ASSERT_EQ(ipt_match("10.0.0.2"), 0, "Windows does not");
	ASSERT_EQ(ipt_match("10.9.9.9"), 0, "absent host does not");
	put_rule(OSPREY_POL_NAME, osprey_fnv1a("Linux"), OSPREY_ACT_MARK, 1, 0);
	ASSERT_EQ(ipt_match("10.0.0.1"), 0, "mark-only rule does not");
	put_rule(OSPREY_POL_UNKNOWN, 0, OSPREY_ACT_MATCH, 0, 0);
	ASSERT_EQ(ipt_match("10.9.9.9"), 1, "unknown rule matches absent");
}

/* Pin the rule maps the programs use under dir, for policy_maps.c. */
static int pin_rule_maps(const char *dir)
{
	struct bpf_map *maps[] = { tc->maps.policy, tc->maps.policy_a,
				   tc->maps.policy_b };
	char path[256];
	int i;

	if (mkdir(dir, 0700))
		return -errno;
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir,
			 bpf_map__name(maps[i]));
		if (bpf_obj_pin(bpf_map__fd(maps[i]), path))
			return -errno;
	}
	return 0;
}

static void unpin_dir(const char *dir)
{
	static const char *const names[] = { "policy", "policy_a", "policy_b",
					     "policy_names" };
	char path[256];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

static __u32 map_id(int fd)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info);

	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.id;
}

static int apply(const char *dir, const char *const *rules, int n)
{
	char err[256] = "";
	int rc = policy_apply_rules(dir, rules, n, NULL, err, sizeof(err));

	if (rc)
		printf("# policy_apply_rules: %s\n", err);
	return rc;
}

/* A rule set replaced through policy_maps.c acts whole: rules left out
 * of the new set stop acting, and the set swapped is emptied. */
static void replace_set(void)
{
	static const char *const set1[] = { "name:Linux mark=0x10",
					    "unknown mark=0x20" };
	static const char *const set2[] = { "class:unix mark=0x30" };
	static const char *const dup[] = { "name:Linux mark=1",
					   "name:Linux match" };
	char dir[64];
	__u32 slot = 0, id = 0, n = 0;
	struct osprey_policy_key k;
	int ret, other;

	snprintf(dir, sizeof(dir), "/sys/fs/bpf/osprey-pp-%d", (int)getpid());
	if (!ASSERT_EQ(pin_rule_maps(dir), 0, "pin the rule maps"))
		goto out;
	put_host("10.0.0.1", "unix", "Linux", "3.11 and newer", 0);
	if (!ASSERT_EQ(apply(dir, set1, 2), 0, "apply set 1"))
		goto out;
	ASSERT_EQ(tc_mark(0, "10.0.0.1", &ret), 0x10, "set 1: name rule");
	ASSERT_EQ(tc_mark(0, "10.9.9.9", &ret), 0x20, "set 1: unknown rule");
	if (!ASSERT_EQ(apply(dir, set2, 1), 0, "apply set 2"))
		goto out;
	ASSERT_EQ(tc_mark(0, "10.0.0.1", &ret), 0x30, "set 2: name rule gone");
	ASSERT_EQ(tc_mark(0, "10.9.9.9", &ret), 0, "set 2: unknown rule gone");
	/* two swaps from policy_a: a is in force again, b was emptied */
	bpf_map_lookup_elem(bpf_map__fd(tc->maps.policy), &slot, &id);
	ASSERT_EQ(id, map_id(policy_fd), "set in force after two swaps");
	other = bpf_map__fd(tc->maps.policy_b);
	while (!bpf_map_get_next_key(other, n ? &k : NULL, &k))
		n++;
	ASSERT_EQ(n, 0, "rules left in the swapped-out set");
	ASSERT_TRUE(apply(dir, dup, 2) != 0, "a selector given twice refused");
	ASSERT_EQ(tc_mark(0, "10.0.0.1", &ret), 0x30,
		  "refused set changed nothing");
	ASSERT_EQ(apply(dir, NULL, 0), 0, "apply the empty set");
	ASSERT_EQ(tc_mark(0, "10.0.0.1", &ret), 0, "empty set: no mark");
out:
	unpin_dir(dir);
	/* the other cases write into policy_a: make it the set again */
	bpf_map_update_elem(bpf_map__fd(tc->maps.policy), &slot, &policy_fd,
			    BPF_ANY);
}

int main(void)
{
	static const struct th_case cases[] = {
		TH_CASE(tc_marks_by_name),
		TH_CASE(tc_lookup_order),
		TH_CASE(tc_quality),
		TH_CASE(tc_vlan_and_ipv6),
		TH_CASE(tc_mark_needs_mark_action),
		TH_CASE(tc_ja4),
		TH_CASE(ipt_matches),
		TH_CASE(replace_set),
	};
	int err, rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	err = setup();
	if (err) {
		printf("FAIL: policy_progs/load: loading the programs: "
		       "expected 0, got %d (%s)\n",
		       err, strerror(-err));
		rc = 1;
		goto cleanup;
	}
	rc = th_run("policy_progs", cases, sizeof(cases) / sizeof(cases[0]));
cleanup:
	policy_ipt_bpf__destroy(ipt);
	policy_tc_bpf__destroy(tc);
	return rc;
}
