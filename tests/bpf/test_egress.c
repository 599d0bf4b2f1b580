// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tc egress half of the capture and what came with it, under
 * BPF_PROG_TEST_RUN and with real attachments, in a network namespace of
 * its own (unshare: a private lo and veth, nothing seen by other tests):
 *   - egress rows: a host's own SYN, a server conversation whose halves
 *     run through XDP (received) and tc (sent) and share one flow, GSO
 *     skbs (many segments, the stream moves past all of them), a budget
 *     that cuts a GSO skb;
 *   - forwarded once: egress skips skbs that arrived where our XDP runs;
 *   - ring buffer overload: drops counted by kind, flow events held back
 *     while SYN room is kept;
 *   - flow cache collisions: a full bucket evicts its older flow;
 *   - the loader: direction both/ingress/egress, loopback gets XDP only,
 *     tc filter and clsact qdisc removed at close (a shared qdisc kept),
 *     nothing left behind when an attach fails.
 */
#include <sched.h>

#include "user/parse.h"
#include "tests/bpf/capture_run.h"

static char dev[IFNAMSIZ], peer[IFNAMSIZ];

/* A server at 10.0.0.2:80 (this host), client 10.0.0.1:40000. */
#define H_IN V4, .sport = 40000, .dport = 80
#define H_OUT \
	V4, .src = "10.0.0.2", .dst = "10.0.0.1", .sport = 80, .dport = 40000
#define EG .egress = 1

static const struct row egress_rows[] = {
	{ "host-sends-syn",
	  "Ether()/IP(src=host)/TCP(dport=443,flags='S') leaving the host",
	  { V4, .sport = 50000, .dport = 443, .seq = 77, .flags = TH_SYN,
	    OPT(OPT_LINUX) },
	  EG,
	  EV_SYN(60),
	  .ctr = { SYNROW } },
	{ "host-sends-synack-v6",
	  "Ether()/IPv6(src=host)/TCP(sport=80,flags='SA') leaving the host",
	  { V6, .src = "2001:db8::2", .dst = "2001:db8::1", .sport = 80,
	    .dport = 44000, .seq = 1, .ack = 1001, .flags = TH_SYN | TH_ACK,
	    OPT(OPT_LINUX_SA) },
	  EG,
	  EV_SA(80),
	  .ctr = { SAROW } },
	{ "untracked-data-leaves-unseen",
	  "IP(src=host)/TCP(flags='PA')/Raw(300)",
	  { H_OUT, .seq = 5, .flags = TH_ACK | TH_PSH, .pay_len = 300 },
	  EG,
	  .ctr = { C(TCP, 1) } },
	{ "udp-ignored",
	  "IP(src=host)/UDP()/Raw(18)",
	  { V4, .proto = 17, .pay_len = 18 },
	  EG },
	{ "two-vlan-tags-in-the-data",
	  "Ether()/Dot1AD(vlan=7)/Dot1Q(vlan=8)/IP(src=host)/TCP(flags='S')",
	  { V4, .sport = 50001, .dport = 443, .flags = TH_SYN, .n_vlans = 2,
	    .vlan = { 7, 8 } },
	  EG,
	  EV_SYN(40),
	  .ctr = { SYNROW } },
};

#define DATA(c) C(TCP, 1), C(FLOW_PKTS, 1), C(PAYLOAD_BYTES, c)

/* The whole conversation of a server on the monitored interface: the
 * client's packets arrive (XDP), the server's leave (tc). */
static const struct row host_server[] = {
	{ "client SYN arrives",
	  "IP(src=cli)/TCP(sport=40000,dport=80,flags='S',seq=1000)",
	  { H_IN, .seq = 1000, .flags = TH_SYN, OPT(OPT_LINUX) },
	  EV_SYN(60),
	  .ctr = { SYNROW } },
	{ "server SYN+ACK leaves",
	  "IP(src=host)/TCP(flags='SA',seq=5000,ack=1001)",
	  { H_OUT, .seq = 5000, .ack = 1001, .flags = TH_SYN | TH_ACK,
	    OPT(OPT_LINUX_SA) },
	  EG,
	  EV_SA(60),
	  .ctr = { C(TCP, 1), C(SYNACK, 1) } },
	{ "request arrives",
	  "IP(src=cli)/TCP(flags='PA',seq=1001)/Raw(300)",
	  { H_IN, .seq = 1001, .ack = 5001, .flags = TH_ACK | TH_PSH,
	    OPT(OPT_TS_ACK), .pay_len = 300 },
	  EV_FL(352, TOS),
	  .ctr = { DATA(300) } },
	{ "response leaves as one GSO skb of two segments",
	  "IP(src=host,len=2948)/TCP(flags='A',seq=5001)/Raw(2896), gso_segs 2",
	  { H_OUT, .seq = 5001, .ack = 1301, .flags = TH_ACK, OPT(OPT_TS_ACK),
	    .pay_len = 2896 },
	  EG,
	  .gso_segs = 2,
	  .gso_size = 1448,
	  EV_FL(2948, 0),
	  .ctr = { DATA(2896) } },
	{ "next response continues after both segments",
	  "IP(src=host)/TCP(flags='PA',seq=7897)/Raw(100)",
	  { H_OUT, .seq = 7897, .ack = 1301, .flags = TH_ACK | TH_PSH,
	    .pay_len = 100, .pay_seed = 1 },
	  EG,
	  EV_FL(140, 0),
	  .ctr = { DATA(100) } },
	{ "server FIN leaves and ends the flow",
	  "IP(src=host)/TCP(flags='FA',seq=7997)",
	  { H_OUT, .seq = 7997, .ack = 1301, .flags = TH_FIN | TH_ACK },
	  EG,
	  EV_FL(40, END),
	  .ctr = { C(TCP, 1), C(FLOW_PKTS, 1), C(FLOW_END, 1) } },
	{ "client ACK afterwards: untracked",
	  "IP(src=cli)/TCP(flags='A',seq=1301)",
	  { H_IN, .seq = 1301, .ack = 7998, .flags = TH_ACK },
	  .ctr = { C(TCP, 1) } },
};

/* flow_budget = 1000: a GSO skb larger than the budget is cut; the
 * stream still moves past all its segments. */
static const struct row gso_budget[] = {
	{ "client SYN arrives",
	  "IP(src=cli)/TCP(sport=40000,dport=80,flags='S',seq=1000)",
	  { H_IN, .seq = 1000, .flags = TH_SYN },
	  EV_SYN(40),
	  .ctr = { SYNROW } },
	{ "server SYN+ACK leaves",
	  "IP(src=host)/TCP(flags='SA',seq=5000,ack=1001)",
	  { H_OUT, .seq = 5000, .ack = 1001, .flags = TH_SYN | TH_ACK },
	  EG,
	  EV_SA(40),
	  .ctr = { C(TCP, 1), C(SYNACK, 1) } },
	{ "GSO response of 3 segments: 1000 of 3000 bytes",
	  "IP(src=host)/TCP(flags='A',seq=5001)/Raw(3000), gso_segs 3",
	  { H_OUT, .seq = 5001, .ack = 1001, .flags = TH_ACK, .pay_len = 3000 },
	  EG,
	  .gso_segs = 3,
	  .gso_size = 1000,
	  EV_FL(1040, CUT),
	  .ctr = { DATA(1000) } },
	{ "server direction spent: nothing more",
	  "IP(src=host)/TCP(flags='A',seq=8001)/Raw(10)",
	  { H_OUT, .seq = 8001, .ack = 1001, .flags = TH_ACK, .pay_len = 10 },
	  EG,
	  .ctr = { C(TCP, 1) } },
};

/* ---------------------------------------------------------------- cases */

/* Forwarded from an interface our XDP watches: skipped, counted. */
static void test_forwarded_once(void)
{
	struct capture_cfg cfg = { .direction = CAPTURE_INGRESS };
	const struct row fwd = {
		.p = { V4, .sport = 40000, .dport = 80, .flags = TH_SYN },
		.egress = 1,
		.ctr = { C(PACKETS, -1), C(EGRESS_PACKETS, -1),
			 C(FWD_SKIPPED, 1) },
	};
	const struct row other = {
		.p = { V4, .sport = 40000, .dport = 80, .flags = TH_SYN },
		.egress = 1,
		EV_SYN(40),
		.ctr = { SYNROW },
	};
	char err[256] = "";
	struct capture *c = NULL;

	th_begin("forwarded/skipped-if-xdp-saw-it-arrive");
	if (!ASSERT_EQ(open_cap(&c, &cfg), 0, "open"))
		goto out;
	if (!ASSERT_EQ(capture_attach(c, dev, XDP_MODE_GENERIC, NULL, err,
				      sizeof(err)),
		       0, err))
		goto out;
	ASSERT_EQ(capture_hooks(c, dev), CAPTURE_HOOK_XDP, "hooks");
	run_iif = if_nametoindex(dev);
	run_row(c, &fwd);
	/* arrived on an interface without our XDP: this is its only report */
	run_iif = 1;
	clear_flows(c);
	run_row(c, &other);
	/* detached: nothing to skip any more */
	capture_close(c);
	c = NULL;
	if (!ASSERT_EQ(open_cap(&c, &cfg), 0, "reopen"))
		goto out;
	run_iif = if_nametoindex(dev);
	run_row(c, &other);
out:
	run_iif = 0;
	capture_close(c);
	th_end();
}

static void syn_spec(struct fx_spec *s, int i, uint8_t flags)
{
	memset(s, 0, sizeof(*s));
	s->ip_ver = 4;
	s->sport = 1000 + i;
	s->dport = 80;
	s->seq = 1;
	s->ack = flags & TH_ACK ? 1 : 0;
	s->flags = flags;
}

/* Fill a 16 KiB ring with one flow's payload: flow events stop at 3/4,
 * SYNs still fit, then fill up and are dropped; every drop by kind. */
static void test_overload(void)
{
	struct capture_cfg cfg = { .ringbuf_bytes = 16384,
				   .flow_budget = 1 << 20,
				   .flow_pkts = 1000 };
	uint64_t ctr[OSPREY_CTR_MAX];
	static struct fx_frame f;
	struct capture *c = NULL;
	struct fx_spec s;
	uint32_t v, i, flow_ev = 0, syn_ok = 0;

	th_begin("overload/flow-events-keep-syn-room-drops-by-kind");
	if (!ASSERT_EQ(open_cap(&c, &cfg), 0, "open"))
		goto out;
	syn_spec(&s, 0, TH_SYN);
	fx_build(&s, &f);
	run_xdp(c, &f, &v);
	s.flags = TH_ACK;
	s.pay_len = 900;
	for (i = 0; i < 20; i++) {
		s.seq = 2 + i * 900;
		fx_build(&s, &f);
		run_xdp(c, &f, &v);
	}
	capture_counters(c, ctr);
	flow_ev = ctr[OSPREY_CTR_FLOW_PKTS];
	/* 136 B for the SYN, 1032 B per flow event (940 bytes: the 1024
	 * class): 11 fit under 3/4 of the ring, 12288 */
	ASSERT_EQ(flow_ev, 11, "flow events before the hold");
	ASSERT_EQ(ctr[OSPREY_CTR_RB_FLOW_HELD], 1, "held once");
	ASSERT_EQ(ctr[OSPREY_CTR_RB_DROP_FLOW], 1, "flow drops");
	/* the held event spent the direction: later packets make none */
	for (i = 1; i < 40; i++) {
		syn_spec(&s, i, i & 1 ? TH_SYN : TH_SYN | TH_ACK);
		fx_build(&s, &f);
		run_xdp(c, &f, &v);
	}
	capture_counters(c, ctr);
	syn_ok = ctr[OSPREY_CTR_SYN] + ctr[OSPREY_CTR_SYNACK] -
		 ctr[OSPREY_CTR_RB_DROP_SYN] - ctr[OSPREY_CTR_RB_DROP_SYNACK];
	/* 16384 - 136 - 11 * 1032 = 4896 bytes left: 35 records of 136,
	 * as a ring buffer is never filled to its last byte */
	ASSERT_EQ(syn_ok, 1 + 35, "SYN events that fit");
	ASSERT_TRUE(ctr[OSPREY_CTR_RB_DROP_SYN] > 0, "SYN drops counted");
	ASSERT_TRUE(ctr[OSPREY_CTR_RB_DROP_SYNACK] > 0,
		    "SYN+ACK drops counted");
	ASSERT_EQ(ctr[OSPREY_CTR_RB_DROPS],
		  ctr[OSPREY_CTR_RB_DROP_SYN] + ctr[OSPREY_CTR_RB_DROP_SYNACK] +
			  ctr[OSPREY_CTR_RB_DROP_FLOW],
		  "total = sum by kind");
	ASSERT_EQ(ctr[OSPREY_CTR_FLOW_PKTS], flow_ev, "no flow event later");
	n_ev = 0;
	capture_poll(c, 0);
	ASSERT_EQ(n_ev, 1 + 11 + 35, "events drained");
out:
	capture_close(c);
	th_end();
}

/* One bucket of two ways: a third flow evicts the older one. */
static void test_collisions(void)
{
	struct capture_cfg cfg = { .flow_entries = 2 };
	uint64_t ctr[OSPREY_CTR_MAX];
	static struct fx_frame f;
	struct capture *c = NULL;
	struct fx_spec s;
	uint32_t v, i, nb = 0;

	th_begin("flow-cache/full-bucket-evicts-older-flow");
	if (!ASSERT_EQ(open_cap(&c, &cfg), 0, "open"))
		goto out;
	ASSERT_TRUE(capture_flows4(c, &nb) != NULL, "mapped");
	ASSERT_EQ(nb, 1, "one bucket");
	for (i = 0; i < 3; i++) {
		syn_spec(&s, i, TH_SYN);
		fx_build(&s, &f);
		run_xdp(c, &f, &v);
		usleep(10000); /* distinct start times: an order to evict by */
	}
	capture_counters(c, ctr);
	ASSERT_EQ(ctr[OSPREY_CTR_FLOW_NEW], 3, "flows opened");
	ASSERT_EQ(ctr[OSPREY_CTR_FLOW_EVICT], 1, "one eviction");
	/* flow 0 (the oldest) is gone; 1 and 2 still send their data */
	for (i = 0; i < 3; i++) {
		syn_spec(&s, i, TH_ACK | TH_PSH);
		s.seq = 2;
		s.pay_len = 10;
		fx_build(&s, &f);
		run_xdp(c, &f, &v);
	}
	capture_counters(c, ctr);
	ASSERT_EQ(ctr[OSPREY_CTR_FLOW_PKTS], 2, "tracked flows' data");
	/* a retransmitted SYN of a tracked flow takes no other slot */
	syn_spec(&s, 2, TH_SYN);
	fx_build(&s, &f);
	run_xdp(c, &f, &v);
	capture_counters(c, ctr);
	ASSERT_EQ(ctr[OSPREY_CTR_FLOW_EVICT], 1, "no eviction for a resend");
out:
	capture_close(c);
	th_end();
}

/* Is our egress filter on ifname?  (tc prints the program's name.) */
static int tc_has(const char *ifname, const char *what)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd),
		 "tc filter show dev %s egress 2>/dev/null | grep -q '%s'",
		 ifname, what);
	return system(cmd) == 0;
}

static int has_clsact(const char *ifname)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd),
		 "tc qdisc show dev %s 2>/dev/null | grep -q clsact", ifname);
	return system(cmd) == 0;
}

static void test_loader(void)
{
	static const struct {
		enum capture_direction dir;
		const char *ifname;
		unsigned int hooks;
	} cases[] = {
		{ CAPTURE_BOTH, dev, CAPTURE_HOOK_XDP | CAPTURE_HOOK_EGRESS },
		{ CAPTURE_INGRESS, dev, CAPTURE_HOOK_XDP },
		{ CAPTURE_EGRESS, dev, CAPTURE_HOOK_EGRESS },
		{ CAPTURE_BOTH, "lo", CAPTURE_HOOK_XDP },
		{ CAPTURE_EGRESS, "lo", CAPTURE_HOOK_EGRESS },
	};
	char name[128], err[256];
	size_t i;

	for (i = 0; i < N(cases); i++) {
		struct capture_cfg cfg = { .direction = cases[i].dir };
		struct capture *c = NULL;
		unsigned int h = cases[i].hooks;

		snprintf(name, sizeof(name), "loader/%s-on-%s",
			 direction_name(cases[i].dir),
			 strcmp(cases[i].ifname, "lo") ? "veth" : "lo");
		th_begin(name);
		if (!ASSERT_EQ(open_cap(&c, &cfg), 0, "open"))
			goto next;
		err[0] = '\0';
		if (!ASSERT_EQ(capture_attach(c, cases[i].ifname,
					      XDP_MODE_GENERIC, NULL, err,
					      sizeof(err)),
			       0, err))
			goto next;
		ASSERT_EQ(capture_hooks(c, cases[i].ifname), h, "hooks");
		ASSERT_EQ(tc_has(cases[i].ifname, "osprey_egress"),
			  !!(h & CAPTURE_HOOK_EGRESS), "tc filter present");
		capture_close(c);
		c = NULL;
		ASSERT_EQ(tc_has(cases[i].ifname, "osprey_egress"), 0,
			  "tc filter gone after close");
		ASSERT_EQ(has_clsact(cases[i].ifname), 0,
			  "our clsact qdisc gone after close");
next:
		capture_close(c);
		th_end();
	}
}

/* A clsact qdisc someone else made, with their filter: both stay. */
static void test_shared_qdisc(void)
{
	struct capture_cfg cfg = { .direction = CAPTURE_EGRESS };
	struct capture *c = NULL;
	char cmd[256], err[256] = "";

	th_begin("loader/shared-clsact-and-other-filters-kept");
	snprintf(cmd, sizeof(cmd),
		 "tc qdisc add dev %s clsact && tc filter add dev %s ingress "
		 "bpf bytecode '1,6 0 0 0,'",
		 dev, dev);
	if (!ASSERT_EQ(system(cmd), 0, "tc setup"))
		goto out;
	if (!ASSERT_EQ(open_cap(&c, &cfg), 0, "open") ||
	    !ASSERT_EQ(capture_attach(c, dev, XDP_MODE_AUTO, NULL, err,
				      sizeof(err)),
		       0, err))
		goto out;
	ASSERT_TRUE(tc_has(dev, "osprey_egress"), "ours attached");
	capture_close(c);
	c = NULL;
	ASSERT_EQ(tc_has(dev, "osprey_egress"), 0, "ours detached");
	ASSERT_TRUE(has_clsact(dev), "their qdisc kept");
	snprintf(cmd, sizeof(cmd),
		 "tc filter show dev %s ingress | grep -q bytecode", dev);
	ASSERT_EQ(system(cmd), 0, "their filter kept");
out:
	capture_close(c);
	snprintf(cmd, sizeof(cmd), "tc qdisc del dev %s clsact 2>/dev/null",
		 dev);
	if (system(cmd))
		printf("# no clsact left to delete on %s\n", dev);
	th_end();
}

/* The second capture cannot have XDP on dev: it leaves nothing behind. */
static void test_attach_failure(void)
{
	struct capture_cfg xdp_only = { .direction = CAPTURE_INGRESS },
			   both = { 0 };
	struct capture *a = NULL, *b = NULL;
	char err[256] = "";

	th_begin("loader/failed-attach-leaves-nothing");
	if (!ASSERT_EQ(open_cap(&a, &xdp_only), 0, "open a") ||
	    !ASSERT_EQ(open_cap(&b, &both), 0, "open b") ||
	    !ASSERT_EQ(capture_attach(a, dev, XDP_MODE_GENERIC, NULL, err,
				      sizeof(err)),
		       0, err))
		goto out;
	ASSERT_TRUE(capture_attach(b, dev, XDP_MODE_GENERIC, NULL, err,
				   sizeof(err)) < 0,
		    "second XDP refused");
	ASSERT_EQ(capture_hooks(b, dev), 0, "b has nothing");
	ASSERT_EQ(tc_has(dev, "osprey_egress"), 0, "no tc filter");
	ASSERT_EQ(has_clsact(dev), 0, "no qdisc");
	ASSERT_EQ(capture_hooks(a, dev), CAPTURE_HOOK_XDP, "a keeps XDP");
	ASSERT_EQ(parse_direction("sideways", &xdp_only.direction, NULL, 0),
		  -EINVAL, "bad direction refused");
out:
	capture_close(b);
	capture_close(a);
	th_end();
}

static int setup_netns(void)
{
	char cmd[200];

	if (unshare(CLONE_NEWNET))
		return -errno;
	snprintf(dev, sizeof(dev), "oeg%d", (int)getpid() % 100000);
	snprintf(peer, sizeof(peer), "oep%d", (int)getpid() % 100000);
	snprintf(cmd, sizeof(cmd),
		 "ip link set lo up && ip link add %s type veth peer name %s "
		 "&& ip link set %s up && ip link set %s up",
		 dev, peer, dev, peer);
	if (system(cmd) || !if_nametoindex(dev))
		return -ENODEV;
	test_ifindex = if_nametoindex(dev);
	return 0;
}

int main(void)
{
	struct capture_cfg dflt = { 0 }, budget = { .flow_budget = 1000 };
	struct capture *c = NULL;
	int rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	th_suite = "egress";
	if (geteuid() != 0) {
		printf("SKIPPED: egress/all: needs root\n");
		return 0;
	}
	rc = setup_netns();
	if (rc) {
		printf("FAIL: egress/netns: private namespace and veth: %s\n",
		       strerror(-rc));
		return 1;
	}
	if (open_group(&c, &dflt, "egress/load") == 0) {
		run_rows(c, "single", egress_rows, N(egress_rows));
		run_seq(c, "flow/server-conversation-xdp-in-tc-out-gso",
			host_server, N(host_server));
		capture_close(c);
	}
	if (open_group(&c, &budget, "egress/load-budget") == 0) {
		run_seq(c, "flow/gso-skb-cut-by-budget", gso_budget,
			N(gso_budget));
		capture_close(c);
	}
	test_forwarded_once();
	test_overload();
	test_collisions();
	test_loader();
	test_shared_qdisc();
	test_attach_failure();
	return finish_suite("parity/egress-events-vs-frames");
}
