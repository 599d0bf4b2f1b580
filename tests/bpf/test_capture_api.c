// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * user/capture.c's interface around the XDP program: filter spec parsing,
 * pinning under a private bpffs directory (shared maps, counters that
 * outlive the daemon, reuse by a second instance), and attaching to real
 * interfaces (veth: native; ifb: generic only) with clean detach.
 * Needs root; every interface and pin it makes is removed again.
 */
#include <sys/stat.h>

#include "tests/bpf/capture_run.h"

/* One XDP run of f (the verdict is not looked at here). */
static int run_once(struct capture *c, const struct fx_frame *f)
{
	uint32_t verdict;

	return run_xdp(c, f, &verdict);
}

static void test_specs(void)
{
	uint8_t bits[OSPREY_PORT_BITMAP_BYTES];
	struct capture_cidr cidr[4];
	char err[256];
	size_t n;

#define BIT(p) (!!(bits[(p) >> 3] & (1 << ((p)&7))))
	th_begin("spec/ports-list-and-ranges");
	ASSERT_EQ(capture_parse_ports(" 80, 443 ,8000-8100,65535", bits, err,
				      sizeof(err)),
		  0, "parse");
	ASSERT_EQ(BIT(80) + BIT(443) + BIT(8000) + BIT(8050) + BIT(8100) +
			  BIT(65535),
		  6, "set bits");
	ASSERT_EQ(BIT(79) + BIT(81) + BIT(7999) + BIT(8101) + BIT(0), 0,
		  "clear bits");
	th_end();

	th_begin("spec/ports-rejects-bad");
	ASSERT_EQ(capture_parse_ports("80,", bits, err, sizeof(err)), -EINVAL,
		  "trailing comma");
	ASSERT_EQ(capture_parse_ports("65536", bits, err, sizeof(err)), -EINVAL,
		  "too big");
	ASSERT_EQ(capture_parse_ports("90-80", bits, err, sizeof(err)), -EINVAL,
		  "reversed range");
	ASSERT_EQ(capture_parse_ports("http", bits, err, sizeof(err)), -EINVAL,
		  "name");
	ASSERT_TRUE(strstr(err, "http") != NULL, "error names the item");
	th_end();

	th_begin("spec/cidrs");
	ASSERT_EQ(capture_parse_cidrs("10.0.0.0/8, 2001:db8::/32,192.0.2.7",
				      cidr, 4, &n, err, sizeof(err)),
		  0, "parse");
	ASSERT_EQ(n, 3, "count");
	ASSERT_EQ(cidr[0].family * 1000 + cidr[0].prefix, 4008, "v4/8");
	ASSERT_EQ(cidr[1].family * 1000 + cidr[1].prefix, 6032, "v6/32");
	ASSERT_MEMEQ(cidr[1].addr, "\x20\x01\x0d\xb8", 4, "v6 addr");
	ASSERT_EQ(cidr[2].prefix, 32, "host");
	th_end();

	th_begin("spec/cidrs-rejects-bad");
	ASSERT_EQ(capture_parse_cidrs("10.0.0.0/33", cidr, 4, &n, err,
				      sizeof(err)),
		  -EINVAL, "v4 /33");
	ASSERT_EQ(capture_parse_cidrs("::/129", cidr, 4, &n, err, sizeof(err)),
		  -EINVAL, "v6 /129");
	ASSERT_EQ(
		capture_parse_cidrs("10.0.0/8", cidr, 4, &n, err, sizeof(err)),
		-EINVAL, "short v4");
	ASSERT_EQ(capture_parse_cidrs("1.1.1.1,2.2.2.2,3.3.3.3,4.4.4.4,5.5."
				      "5.5",
				      cidr, 4, &n, err, sizeof(err)),
		  -E2BIG, "too many");
	ASSERT_EQ(capture_parse_cidrs("10.0.0.0/8,", cidr, 4, &n, err,
				      sizeof(err)),
		  -EINVAL, "trailing comma");
	th_end();

	th_begin("spec/every-counter-has-a-name");
	for (int i = 0; i < OSPREY_CTR_MAX; i++)
		ASSERT_TRUE(osprey_ctr_names[i] && osprey_ctr_names[i][0],
			    "osprey_ctr_names[i]");
	th_end();

	th_begin("spec/open-rejects-bad-filter");
	{
		struct capture_cfg cfg = { .port_allow = "80-" };
		struct capture *c = (struct capture *)1;

		ASSERT_EQ(capture_open(&c, &cfg, NULL, NULL, err, sizeof(err)),
			  -EINVAL, "capture_open");
		ASSERT_TRUE(c == NULL, "no handle on error");
		ASSERT_TRUE(strstr(err, "80-") != NULL, "message");
	}
	th_end();
#undef BIT
}

/* Pinned maps under a private directory; counters readable after close. */
static void test_pinning(void)
{
	char dir[64], path[128];
	struct capture_cfg cfg = { 0 };
	struct capture *c = NULL;
	uint64_t ctr[OSPREY_CTR_MAX];
	struct fx_spec s = {
		.ip_ver = 4, .sport = 5, .dport = 80, .flags = TH_SYN
	};
	struct fx_frame f;
	static const char *const names[] = { "hosts", "policy", "policy_a",
					     "policy_b", "counters" };
	size_t i;

	th_begin("pin/shared-maps-and-counters-outlive-close");
	snprintf(dir, sizeof(dir), "/sys/fs/bpf/osprey-test-cap-%d",
		 (int)getpid());
	cfg.pin_dir = dir;
	if (!ASSERT_EQ(open_cap(&c, &cfg), 0, "open pinned"))
		goto out;
	for (i = 0; i < N(names); i++) {
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		ASSERT_EQ(stat(path, &st), 0, names[i]);
	}
	fx_build(&s, &f);
	run_once(c, &f);
	run_once(c, &f);
	capture_close(c);
	c = NULL;
	ASSERT_EQ(capture_counters_pinned("/sys/fs/bpf/osprey-test-none", ctr),
		  -ENOENT, "missing pin dir");
	ASSERT_EQ(capture_counters_pinned(dir, ctr), 0, "read pinned");
	ASSERT_EQ(ctr[OSPREY_CTR_SYN], 2, "syn count after close");
	/* a second instance reuses the pinned maps, adopting the hosts
	 * map's size even when asked for another */
	cfg.max_hosts = 500;
	if (ASSERT_EQ(open_cap(&c, &cfg), 0, "reopen")) {
		run_once(c, &f);
		capture_counters(c, ctr);
		ASSERT_EQ(ctr[OSPREY_CTR_SYN], 3, "syn count reused");
	}
out:
	capture_close(c);
	for (i = 0; i < N(names); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
	th_end();
}

/* Attach with the given mode to a new device of `kind` (veth has native
 * XDP, ifb only generic); check the mode, then that close detaches. */
static void attach_case(const char *name, const char *kind,
			enum xdp_mode_opt mode, enum xdp_mode_opt want_used,
			__u8 want_attached)
{
	char cmd[200], err[256] = "", dev[IFNAMSIZ];
	struct capture_cfg cfg = { 0 };
	struct capture *c = NULL;
	enum xdp_mode_opt used = XDP_MODE_AUTO;
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	int ifindex;

	th_begin(name);
	snprintf(dev, sizeof(dev), "ospa%d", (int)getpid() % 100000);
	if (!strcmp(kind, "veth"))
		snprintf(cmd, sizeof(cmd),
			 "ip link add %s type veth peer name ospb%d "
			 "2>/dev/null",
			 dev, (int)getpid() % 100000);
	else
		snprintf(cmd, sizeof(cmd), "ip link add %s type %s 2>/dev/null",
			 dev, kind);
	if (system(cmd) != 0) {
		TEST_SKIP("cannot create a test interface");
		th_end();
		return;
	}
	ifindex = if_nametoindex(dev);
	if (!ASSERT_EQ(open_cap(&c, &cfg), 0, "open"))
		goto out;
	if (!ASSERT_EQ(capture_attach(c, dev, mode, &used, err, sizeof(err)), 0,
		       "attach"))
		printf("      %s\n", err);
	ASSERT_EQ(used, want_used, "mode used");
	ASSERT_EQ(bpf_xdp_query(ifindex, 0, &q), 0, "query");
	ASSERT_EQ(q.attach_mode, want_attached, "attach mode seen");
	ASSERT_EQ(q.prog_id != 0, 1, "program id");
	ASSERT_EQ(capture_attach(c, dev, mode, &used, err, sizeof(err)),
		  -EEXIST, "second attach refused");
	ASSERT_EQ(
		capture_attach(c, "nosuch-if0", mode, &used, err, sizeof(err)),
		-ENODEV, "missing interface");
	ASSERT_TRUE(strstr(err, "nosuch-if0") != NULL, "message names it");
	capture_close(c);
	c = NULL;
	memset(&q, 0, sizeof(q));
	q.sz = sizeof(q);
	ASSERT_EQ(bpf_xdp_query(ifindex, 0, &q), 0, "query after close");
	ASSERT_EQ(q.attach_mode, XDP_ATTACHED_NONE, "detached");
out:
	capture_close(c);
	snprintf(cmd, sizeof(cmd), "ip link del %s 2>/dev/null", dev);
	if (system(cmd) != 0)
		fprintf(stderr, "could not delete %s\n", dev);
	th_end();
}

static void test_attach(void)
{
	attach_case("attach/auto-is-native-on-veth", "veth", XDP_MODE_AUTO,
		    XDP_MODE_NATIVE, XDP_ATTACHED_DRV);
	attach_case("attach/generic-when-asked", "veth", XDP_MODE_GENERIC,
		    XDP_MODE_GENERIC, XDP_ATTACHED_SKB);
	attach_case("attach/auto-falls-back-to-generic-on-ifb", "ifb",
		    XDP_MODE_AUTO, XDP_MODE_GENERIC, XDP_ATTACHED_SKB);
}

/* Events seen by the live test. */
struct live_seen {
	int syn;
	uint32_t ifindex;
	uint8_t src[4];
	uint16_t dport;
};

static int live_event(void *ctx, const struct osprey_event *ev, size_t size)
{
	struct live_seen *ls = ctx;

	if (ev->reason != OSPREY_SEL_SYN || ev->ip_ver != 4 || ev->cap_len < 40)
		return 0;
	ls->syn++;
	ls->ifindex = ev->ifindex;
	memcpy(ls->src, ev->data + 12, 4);
	ls->dport = ev->data[22] << 8 | ev->data[23];
	return 0;
}

/*
 * Real traffic: a veth pair with one end in a new namespace, the capture
 * attached natively to the other, and a TCP connect from the namespace.
 * Its SYN must come out of the ring buffer with the right metadata.
 */
static void test_live_veth(void)
{
	char ns[32], a[IFNAMSIZ], b[IFNAMSIZ], cmd[512], err[256] = "";
	struct live_seen ls = { 0 };
	struct capture_cfg cfg = { 0 };
	struct capture *c = NULL;
	enum xdp_mode_opt used;
	int id = (int)getpid() % 100000, net = (int)getpid() % 250 + 1, i;

	th_begin("live/veth-netns-syn-reaches-ring-buffer");
	snprintf(ns, sizeof(ns), "ospns%d", id);
	snprintf(a, sizeof(a), "ospv%d", id);
	snprintf(b, sizeof(b), "ospw%d", id);
	snprintf(cmd, sizeof(cmd),
		 "ip netns add %s && "
		 "ip link add %s type veth peer name %s && "
		 "ip link set %s netns %s && "
		 "ip addr add 10.213.%d.1/24 dev %s && ip link set %s up && "
		 "ip -n %s addr add 10.213.%d.2/24 dev %s && "
		 "ip -n %s link set %s up && ip -n %s link set lo up",
		 ns, a, b, b, ns, net, a, a, ns, net, b, ns, b, ns);
	if (system(cmd) != 0) {
		TEST_SKIP("cannot create a namespace and veth pair");
		goto out;
	}
	if (capture_open(&c, &cfg, live_event, &ls, err, sizeof(err))) {
		ASSERT_STREQ(err, "", "capture_open");
		goto out;
	}
	if (!ASSERT_EQ(capture_attach(c, a, XDP_MODE_AUTO, &used, err,
				      sizeof(err)),
		       0, "attach"))
		goto out;
	ASSERT_EQ(used, XDP_MODE_NATIVE, "native on veth");
	/* a connect to a closed port: the SYN arrives, a RST answers */
	snprintf(cmd, sizeof(cmd),
		 "ip netns exec %s timeout 3 bash -c "
		 "'echo > /dev/tcp/10.213.%d.1/9' >/dev/null 2>&1",
		 ns, net);
	if (system(cmd) == -1)
		printf("# could not run the connect\n");
	for (i = 0; i < 20 && !ls.syn; i++)
		capture_poll(c, 100);
	ASSERT_TRUE(ls.syn >= 1, "SYN event received");
	ASSERT_EQ(ls.ifindex, if_nametoindex(a), "ifindex");
	ASSERT_EQ(ls.src[3], 2, "source 10.213.x.2");
	ASSERT_EQ(ls.dport, 9, "destination port");
out:
	capture_close(c);
	snprintf(cmd, sizeof(cmd),
		 "ip link del %s 2>/dev/null; ip netns del %s 2>/dev/null", a,
		 ns);
	if (system(cmd) == -1)
		fprintf(stderr, "could not clean up %s\n", ns);
	th_end();
}

static int stop_after_one(void *ctx, const struct osprey_event *ev, size_t size)
{
	(*(int *)ctx)++;
	return 1;
}

/* A callback's non-zero return stops the poll; the rest waits. */
static void test_poll_stop(void)
{
	struct fx_spec s = {
		.ip_ver = 4, .sport = 7, .dport = 80, .flags = TH_SYN
	};
	struct capture_cfg cfg = { 0 };
	struct capture *c = NULL;
	char err[256] = "";
	struct fx_frame f;
	int seen = 0, i, rc;

	th_begin("poll/callback-stop-keeps-the-rest");
	if (!ASSERT_EQ(capture_open(&c, &cfg, stop_after_one, &seen, err,
				    sizeof(err)),
		       0, "open"))
		goto out;
	ASSERT_TRUE(capture_fd(c) >= 0, "epoll fd");
	for (i = 0; i < 3; i++) {
		s.sport = 7 + i;
		fx_build(&s, &f);
		run_once(c, &f);
	}
	rc = capture_poll(c, 0);
	ASSERT_TRUE(rc >= 0, "poll is not an error");
	ASSERT_EQ(seen, 1, "first poll stops after one");
	capture_poll(c, 0);
	capture_poll(c, 0);
	ASSERT_EQ(seen, 3, "later polls get the rest");
out:
	capture_close(c);
	th_end();
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	th_suite = "capture-api";
	test_specs();
	if (geteuid() != 0) {
		printf("SKIPPED: capture-api/root: pinning and attach need "
		       "root\n");
		return th_failed ? 1 : 0;
	}
	test_poll_stop();
	test_pinning();
	test_attach();
	test_live_veth();
	return th_failed ? 1 : 0;
}
