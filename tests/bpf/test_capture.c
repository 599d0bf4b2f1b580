// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The XDP capture program (bpf/capture.bpf.c) under BPF_PROG_TEST_RUN,
 * loaded through user/capture.c with private (unpinned) maps.
 *
 * Fixture table in the katran style: each row says how its packet is made
 * (the scapy line; tests/bpf/fixtures.h builds the same bytes), the
 * verdict, the event expected (reason, flags, cap_len; its bytes must be
 * the frame's IP packet from l3_off, with the IP length rewritten when
 * cut) and the counter deltas (every counter not listed must not move,
 * except `packets` +1).  Rows in a sequence share the flow table; single
 * rows start from an empty one.  ifindex/rx_queue come from the test's
 * xdp_md ctx and are asserted on every event.
 *
 * Kernel/user parity: each event's bytes go through the engine's
 * pkt_parse() and must parse like the original frame's IP part.
 */
#include <sys/stat.h>

#include "tests/bpf/capture_run.h"
#include "user/evclock.h"

static char test_dev[IFNAMSIZ];

/* ------------------------------------------------------- special cases */

static void test_truncation(struct capture *c)
{
	static const struct fx_spec bases[] = {
		{ .ip_ver = 4,
		  .n_vlans = 2,
		  .vlan = { 100, 200 },
		  IPOPT(IPOPT_NOPS),
		  .sport = 40001,
		  .dport = 80,
		  .flags = TH_SYN,
		  OPT(OPT_LINUX) },
		{ .ip_ver = 6,
		  .n_vlans = 1,
		  .vlan = { 7 },
		  .v6_ext = 1,
		  .sport = 40002,
		  .dport = 80,
		  .flags = TH_SYN,
		  OPT(OPT_WIN) },
	};
	char name[160];
	size_t b;

	for (b = 0; b < N(bases); b++) {
		struct fx_frame full;
		uint32_t cuts[24], nc = 0, l3, l4, i, fix;

		fx_build(&bases[b], &full);
		l3 = full.l3_off;
		l4 = l3 + full.l4_off;
		cuts[nc++] = 14;
		cuts[nc++] = 16;
		cuts[nc++] = 18;
		if (bases[b].n_vlans == 2)
			cuts[nc++] = 21;
		cuts[nc++] = l3;
		cuts[nc++] = l3 + 1;
		cuts[nc++] = l3 + 19;
		if (bases[b].ip_ver == 4) {
			cuts[nc++] = l3 + 20;
			cuts[nc++] = l3 + full.l4_off - 1;
		} else {
			cuts[nc++] = l3 + 39;
			cuts[nc++] = l3 + 40;
			cuts[nc++] = l3 + 47;
		}
		cuts[nc++] = l4;
		cuts[nc++] = l4 + 1;
		cuts[nc++] = l4 + 12;
		cuts[nc++] = l4 + 19;
		cuts[nc++] = l4 + 20;
		cuts[nc++] = l4 + full.thl - 1;
		/* fix = 0: only the frame is cut (lengths run past it);
		 * fix = 1: the IP length also says the packet ends there */
		for (fix = 0; fix < 2; fix++) {
			for (i = 0; i < nc; i++) {
				struct row r = { .p = bases[b] };
				uint32_t cut = cuts[i], ctr;

				if (cut < l3 && fix)
					continue;
				r.p.cut = cut;
				if (cut < l3)
					ctr = OSPREY_CTR_ERR_ETH;
				else if (!fix)
					ctr = bases[b].ip_ver == 4 ?
						      OSPREY_CTR_ERR_IP :
						      OSPREY_CTR_ERR_IP6;
				else if (cut < l4)
					ctr = bases[b].ip_ver == 4 ?
						      OSPREY_CTR_ERR_IP :
						      OSPREY_CTR_ERR_IP6;
				else
					ctr = OSPREY_CTR_ERR_TCP;
				if (fix && cut >= l3 + 6) {
					uint32_t len = cut - l3;

					if (bases[b].ip_ver == 4) {
						r.p.patch[0] =
							(struct fx_patch)PATCH(
								2, len >> 8);
						r.p.patch[1] =
							(struct fx_patch)PATCH(
								3, len & 0xff);
					} else {
						len = len >= 40 ? len - 40 : 0;
						r.p.patch[0] =
							(struct fx_patch)PATCH(
								4, len >> 8);
						r.p.patch[1] =
							(struct fx_patch)PATCH(
								5, len & 0xff);
					}
				} else if (fix) {
					continue;
				}
				r.ctr[0] = (struct ctr_delta){ ctr, 1 };
				snprintf(name, sizeof(name),
					 "truncated/%s/cut-at-%u%s",
					 bases[b].ip_ver == 4 ?
						 "v4-qinq-ipopt" :
						 "v6-vlan-ext",
					 cut, fix ? "-iplen-fixed" : "");
				r.name = name;
				th_begin(name);
				clear_flows(c);
				run_row(c, &r);
				th_end();
			}
		}
	}
}

/* A small ring buffer, not drained: events are dropped and counted,
 * packets still pass. */
static void test_ringbuf_full(void)
{
	struct capture_cfg cfg = { .ringbuf_bytes = 4096 };
	struct fx_spec s = { .ip_ver = 4,
			     .sport = 1,
			     .dport = 80,
			     .flags = TH_SYN,
			     OPT(OPT_LINUX) };
	uint64_t ctr[OSPREY_CTR_MAX];
	struct capture *c = NULL;
	struct fx_frame f;
	uint32_t verdict, i, pass = 0;

	th_begin("ringbuf/full-drops-events-not-packets");
	if (!ASSERT_EQ(open_cap(&c, &cfg), 0, "open"))
		goto out;
	for (i = 0; i < 100; i++) {
		s.sport = 1000 + i;
		fx_build(&s, &f);
		if (run_xdp(c, &f, &verdict) == 0 && verdict == XDP_PASS)
			pass++;
	}
	ASSERT_EQ(pass, 100, "packets passed");
	capture_counters(c, ctr);
	/* a SYN record takes 8 bytes of ring header + its 128-byte size
	 * class: 4096 bytes hold 30 of them */
	ASSERT_EQ(ctr[OSPREY_CTR_RB_DROPS], 100 - 30, "ringbuf_drops");
	n_ev = 0;
	capture_poll(c, 0);
	ASSERT_EQ(n_ev, 30, "events drained");
out:
	capture_close(c);
	th_end();
}

/* The packet cap: a direction sends OSPREY_FLOW_MAX_PKTS events at most. */
/*
 * Mutated frames: every single-row frame with random bytes changed and a
 * random cut, 20 rounds each (fixed seed).  Whatever the program makes of
 * them, the packet passes and every event is a faithful copy of the frame
 * from its l3_off (length field aside when cut).
 */
static void test_mutations(struct capture *c)
{
	uint32_t seed = 12345, verdict, i, r, k, bad = 0, events = 0;
	struct fx_frame f;

	th_begin("fuzz/mutated-frames-pass-and-copy-faithfully");
	clear_flows(c);
	for (i = 0; i < N(single_rows); i++) {
		for (r = 0; r < 20; r++) {
			fx_build(&single_rows[i].p, &f);
			for (k = 0; k < 3; k++) {
				seed = seed * 1103515245 + 12345;
				f.b[(seed >> 8) % f.len] = seed >> 24;
			}
			seed = seed * 1103515245 + 12345;
			if (r & 1)
				f.len = 14 + (seed >> 8) % (f.len - 13);
			n_ev = 0;
			if (run_xdp(c, &f, &verdict) || verdict != XDP_PASS)
				bad++;
			capture_poll(c, 0);
			for (k = 0; k < (uint32_t)n_ev && k < MAX_EV; k++) {
				const struct ev_copy *e = &evs[k];
				uint32_t cap = e->h.cap_len, l3 = e->h.l3_off;

				events++;
				if (l3 + cap > f.len ||
				    e->h.frame_len != f.len ||
				    cap > OSPREY_MAX_CAPTURE ||
				    e->size < sizeof(e->h) + cap) {
					bad++;
					continue;
				}
				/* skip the IP length field the program may
				 * rewrite; compare everything else */
				if (memcmp(e->data + 6, f.b + l3 + 6,
					   cap - 6) ||
				    e->data[0] != f.b[l3])
					bad++;
			}
		}
	}
	ASSERT_EQ(bad, 0, "frames not passed or events unlike their frame");
	ASSERT_TRUE(events > 0, "some mutated frames still made events");
	th_end();
}

static void test_packet_cap(struct capture *c)
{
	struct fx_spec s = { .ip_ver = 4,
			     .sport = 41000,
			     .dport = 80,
			     .seq = 100,
			     .flags = TH_SYN,
			     OPT(OPT_LINUX) };
	struct fx_frame f;
	uint32_t verdict, i;
	int total = 0;

	th_begin("flow/pure-acks-capped-per-direction");
	clear_flows(c);
	fx_build(&s, &f);
	run_xdp(c, &f, &verdict);
	s.flags = TH_ACK;
	s.seq = 101;
	s.ack = 1;
	s.opt_len = 0;
	for (i = 0; i < OSPREY_FLOW_MAX_PKTS + 10; i++) {
		fx_build(&s, &f);
		run_xdp(c, &f, &verdict);
	}
	n_ev = 0;
	capture_poll(c, 0);
	total = n_ev;
	ASSERT_EQ(total, 1 + OSPREY_FLOW_MAX_PKTS, "events (SYN + cap)");
	th_end();
}

/* Every option at once: the largest program the verifier must accept. */
static void test_all_options(void)
{
	struct capture_cfg cfg = {
		.port_allow = "80",
		.port_deny = "22",
		.net_allow = "10.0.0.0/8,2001:db8::/32",
		.net_deny = "10.9.0.0/16",
		.xdp_policy = true,
		.coarse_clock = true,
		.flow_pkts = 2,
		.flow_budget = 100,
	};
	struct fx_spec s = { .ip_ver = 4,
			     .sport = 40000,
			     .dport = 80,
			     .flags = TH_SYN,
			     OPT(OPT_LINUX) };
	struct capture *c = NULL;
	uint64_t before, after, at, tick = evclock_tick_ns();
	struct fx_frame f;
	uint32_t verdict;

	th_begin("load/all-options-at-once");
	if (!ASSERT_EQ(open_cap(&c, &cfg), 0, "open"))
		goto out;
	fx_build(&s, &f);
	n_ev = 0;
	before = evclock_mono_ns();
	ASSERT_EQ(run_xdp(c, &f, &verdict), 0, "run");
	after = evclock_mono_ns();
	capture_poll(c, 0);
	ASSERT_EQ(verdict, XDP_PASS, "verdict");
	if (!ASSERT_EQ(n_ev, 1, "SYN captured"))
		goto out;
	/* jiffies on CLOCK_MONOTONIC: the tick the SYN came in began at
	 * most two ticks before it, and not after it (the fit may put it
	 * a few tens of microseconds late) */
	at = capture_event_ns(c, &evs[0].h);
	ASSERT_TRUE(evs[0].h.ts > 0, "tick stamp set");
	ASSERT_TRUE(at <= after + 200000, "tick stamp not after the run");
	ASSERT_TRUE(at + 2 * tick >= before,
		    "tick stamp within two ticks before the run");
out:
	capture_close(c);
	th_end();
}

/* Flows older than the age limit are dropped on their next packet, with
 * either event clock (the limit is in its units). */
static void test_flow_age(bool coarse)
{
	struct capture_cfg cfg = { .flow_age = 1, .coarse_clock = coarse };
	static const struct row rows[] = {
		{ "syn",
		  "Ether()/IP()/TCP(sport=42000,dport=80,flags='S')",
		  { .ip_ver = 4,
		    .sport = 42000,
		    .dport = 80,
		    .seq = 9,
		    .flags = TH_SYN },
		  .n_ev = 1,
		  .reason = OSPREY_SEL_SYN,
		  .evf = OSPREY_EVF_TO_SERVER,
		  .cap = 40,
		  .ctr = { SYNROW } },
		{ "data after 1.2 s",
		  "IP()/TCP(flags='PA',seq=10)/Raw(20)",
		  { .ip_ver = 4,
		    .sport = 42000,
		    .dport = 80,
		    .seq = 10,
		    .flags = TH_ACK | TH_PSH,
		    .pay_len = 20 },
		  .ctr = { C(TCP, 1), C(FLOW_END, 1) } },
	};
	struct capture *c = NULL;

	th_begin(coarse ? "flow/age-limit-tick-clock" : "flow/age-limit");
	if (!ASSERT_EQ(open_cap(&c, &cfg), 0, "open"))
		goto out;
	run_row(c, &rows[0]);
	usleep(1200 * 1000);
	run_row(c, &rows[1]);
out:
	capture_close(c);
	th_end();
}

static void test_policy(void)
{
	static const struct {
		const char *name, *src;
		uint8_t flags, enabled, host_q, rule_q, drop;
		uint32_t kind;
	} cases[] = {
		{ "on/label-drop-syn", "10.1.0.1", TH_SYN, 1, 0, 0, 1,
		  OSPREY_POL_LABEL },
		{ "on/name-drop-syn", "10.1.0.1", TH_SYN, 1, 0, 0, 1,
		  OSPREY_POL_NAME },
		{ "on/class-drop-syn", "10.1.0.1", TH_SYN, 1, 0, 0, 1,
		  OSPREY_POL_CLASS },
		{ "on/synack-never-dropped", "10.1.0.1", TH_SYN | TH_ACK, 1, 0,
		  0, 0, OSPREY_POL_LABEL },
		{ "on/fuzzy-host-exact-rule-passes", "10.1.0.1", TH_SYN, 1,
		  OSPREY_Q_FUZZY, OSPREY_PQ_EXACT, 0, OSPREY_POL_LABEL },
		{ "on/unknown-host-unknown-rule", "10.9.9.9", TH_SYN, 1, 0, 0,
		  1, OSPREY_POL_UNKNOWN },
		{ "on/unknown-host-label-rule-passes", "10.9.9.9", TH_SYN, 1, 0,
		  0, 0, OSPREY_POL_LABEL },
		{ "on/v6-label-drop-syn", "2001:db8::77", TH_SYN, 1, 0, 0, 1,
		  OSPREY_POL_LABEL },
		{ "on/any-rule-as-last-resort", "10.1.0.1", TH_SYN, 1, 0, 0, 1,
		  OSPREY_POL_ANY },
		{ "off/label-rule-ignored", "10.1.0.1", TH_SYN, 0, 0, 0, 0,
		  OSPREY_POL_LABEL },
	};
	size_t i;
	char name[128];

	for (i = 0; i < N(cases); i++) {
		struct capture_cfg cfg = { .xdp_policy = cases[i].enabled };
		struct osprey_host_key hk = { 0 };
		struct osprey_host h = { 0 };
		struct osprey_policy_key pk = { .kind = cases[i].kind };
		struct osprey_policy_val pv = { .action = OSPREY_ACT_DROP_SYN,
						.min_quality =
							cases[i].rule_q };
		struct capture *c = NULL;
		int v6 = strchr(cases[i].src, ':') != NULL;
		struct row r = {
			.p = { .ip_ver = v6 ? 6 : 4,
			       .src = cases[i].src,
			       .sport = 43000,
			       .dport = 22,
			       .flags = cases[i].flags,
			       OPT(OPT_LINUX) },
			.drop = cases[i].drop,
			.n_ev = 1,
			.reason = cases[i].flags & TH_ACK ? OSPREY_SEL_SYNACK :
							    OSPREY_SEL_SYN,
			.evf = cases[i].flags & TH_ACK ? 0 :
							 OSPREY_EVF_TO_SERVER,
			.cap = v6 ? 80 : 60,
		};

		r.ctr[0] = (struct ctr_delta){ OSPREY_CTR_TCP, 1 };
		r.ctr[1] = (struct ctr_delta){ cases[i].flags & TH_ACK ?
						       OSPREY_CTR_SYNACK :
						       OSPREY_CTR_SYN,
					       1 };
		r.ctr[2] = (struct ctr_delta){ OSPREY_CTR_FLOW_NEW, 1 };
		r.ctr[3] = (struct ctr_delta){ OSPREY_CTR_POLICY_DROPS,
					       cases[i].drop };
		snprintf(name, sizeof(name), "policy/%s", cases[i].name);
		th_begin(name);
		if (!ASSERT_EQ(open_cap(&c, &cfg), 0, "open"))
			goto next;
		/* the fingerprinted host 10.1.0.1 / 2001:db8::77 */
		hk.family = v6 ? 6 : 4;
		inet_pton(v6 ? AF_INET6 : AF_INET,
			  v6 ? "2001:db8::77" : "10.1.0.1", hk.addr);
		h.flags = OSPREY_HF_OS_KNOWN;
		h.os_label_hash = 0x1111;
		h.os_name_hash = 0x2222;
		h.os_class_hash = 0x3333;
		h.os_quality = cases[i].host_q;
		ASSERT_EQ(bpf_map_update_elem(capture_hosts_fd(c), &hk, &h, 0),
			  0, "hosts update");
		pk.id = pk.kind == OSPREY_POL_LABEL ? 0x1111 :
			pk.kind == OSPREY_POL_NAME  ? 0x2222 :
			pk.kind == OSPREY_POL_CLASS ? 0x3333 :
						      0;
		ASSERT_EQ(
			bpf_map_update_elem(capture_policy_fd(c), &pk, &pv, 0),
			0, "policy update");
		run_row(c, &r);
next:
		capture_close(c);
		th_end();
	}
}

/* A veth with 4 rx queues so rx_queue can be asserted non-zero. */
static void setup_test_dev(void)
{
	char cmd[160];

	snprintf(test_dev, sizeof(test_dev), "ospq%d", (int)getpid() % 100000);
	snprintf(cmd, sizeof(cmd),
		 "ip link add %s numrxqueues 4 type veth peer name %.6sp "
		 "2>/dev/null",
		 test_dev, test_dev);
	if (system(cmd) == 0 && if_nametoindex(test_dev)) {
		test_ifindex = if_nametoindex(test_dev);
		test_rxq = 3;
	} else {
		test_dev[0] = '\0';
	}
}

static void cleanup_test_dev(void)
{
	char cmd[160];

	if (!test_dev[0])
		return;
	snprintf(cmd, sizeof(cmd), "ip link del %s 2>/dev/null", test_dev);
	if (system(cmd) != 0)
		fprintf(stderr, "could not delete %s\n", test_dev);
}

int main(void)
{
	struct capture_cfg dflt = { 0 }, budget = { .flow_budget = 1000 },
			   budget20k = { .flow_budget = 20000 },
			   filt = { .port_allow = "80,443,8000-8100",
				    .port_deny = "8080-8090",
				    .net_deny =
					    "192.0.2.0/24,2001:db8:bad::/48" },
			   allow = { .net_allow = "10.0.0.0/8,2001:db8::/32" };
	struct capture *c = NULL;
	int rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	th_suite = "capture";
	if (geteuid() != 0) {
		printf("SKIPPED: capture/all: needs root\n");
		return 0;
	}
	setup_test_dev();
	rc = open_cap(&c, &dflt);
	if (rc) {
		printf("FAIL: capture/load: capture_open: expected 0, got %d\n",
		       rc);
		cleanup_test_dev();
		return 1;
	}
	run_rows(c, "single", single_rows, N(single_rows));
	test_truncation(c);
	run_seq(c, "flow/v4-handshake-data-retransmit-fin", flow_v4,
		N(flow_v4));
	run_seq(c, "flow/synack-first-ingress-only-rst", flow_synack_first,
		N(flow_synack_first));
	test_packet_cap(c);
	test_mutations(c);
	capture_close(c);

	if (open_group(&c, &budget, "load/budget") == 0) {
		run_seq(c, "flow/v6-budget-spent-both-ways", flow_budget,
			N(flow_budget));
		capture_close(c);
	}
	if (open_group(&c, &budget20k, "load/budget20k") == 0) {
		run_seq(c, "flow/cut-packet-charged-what-was-sent",
			flow_cut_budget, N(flow_cut_budget));
		capture_close(c);
	}
	if (open_group(&c, &filt, "load/filt") == 0) {
		run_rows(c, "filter", filter_rows, N(filter_rows));
		run_seq(c, "filter/denied-syn-opens-no-flow", filter_seq,
			N(filter_seq));
		capture_close(c);
	}
	if (open_group(&c, &allow, "load/allow") == 0) {
		run_rows(c, "net-allow", allow_rows, N(allow_rows));
		capture_close(c);
	}
	test_all_options();
	test_flow_age(false);
	test_flow_age(true);
	test_ringbuf_full();
	test_policy();
	cleanup_test_dev();

	return finish_suite("parity/kernel-events-vs-frames");
}
