// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench_xdp: cost of the capture programs per packet, from
 * BPF_PROG_TEST_RUN with a large repeat count, next to the empty programs
 * (bpf/empty.bpf.c, XDP and tc) run on the same frame in the same process.
 *
 *   bench_xdp [-n REPEAT] [-r ROUNDS]
 *
 * The capture programs are loaded as the daemon loads them: event times
 * in jiffies (capture_cfg.coarse_clock, which the daemon makes
 * precise again, user/evclock.h), unless a row says otherwise.
 *
 * Cases: a non-TCP frame; a TCP packet of an untracked flow; a SYN that is
 * captured (ring buffer drained between batches; its flow is found in the
 * cache and reset in place, as for a retransmitted SYN); a packet of a
 * tracked flow (an event each time: a repeated packet is a retransmission,
 * so it is sent with headers only; the flow is rewound every 60000 runs so
 * its packet cap never runs out); the same flow's in-order payload packet
 * (1000 bytes copied; the flow is rewound before every run, so it runs
 * with repeat 1 and both columns carry the per-call timer cost); a SYN
 * dropped by a port filter; a SYN that opens a new flow (its slot is freed
 * before each run, so again repeat 1); the captured SYN with
 * --precise-clock (bpf_ktime_get_ns() per event); and the tc egress
 * program on an untracked TCP packet and on the SYN+ACK of the tracked
 * flow.  Then three floors on the SYN frame (empty.bpf.c): a program that
 * only reads bpf_ktime_get_ns(), one that only writes a 64-byte
 * ring-buffer record, and one that does both: what any SYN event costs
 * here before a byte is parsed.  Flows are rewound through the mapped
 * flow cache.
 * The "+empty" column is the osprey figure less the empty program's: what
 * the program adds to the cost of running any program at that hook (the
 * test-run loop's own per-run work is in both columns).
 * Each figure is the best of ROUNDS.  Needs root.  Data (the table) to
 * stdout.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#define FX_NO_ROWS
#include "tests/bpf/fixtures.h"
#include "user/capture.h"
#include "empty.skel.h"

#define BATCH_MAX 100000u

static unsigned long long n_events;

static int count_event(void *ctx, const struct osprey_event *ev, size_t size)
{
	n_events++;
	return 0;
}

/* ns per run of prog over f, repeat times (0 on error). */
static double run_ns(int prog_fd, int tc, const struct fx_frame *f,
		     __u32 repeat)
{
	struct xdp_md xctx = { .data_end = f->len, .ingress_ifindex = 1 };
	struct __sk_buff sctx = { .ifindex = 1 };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f->b,
		    .data_size_in = f->len, .repeat = repeat);

	o.ctx_in = tc ? (void *)&sctx : (void *)&xctx;
	o.ctx_size_in = tc ? sizeof(sctx) : sizeof(xctx);
	if (bpf_prog_test_run_opts(prog_fd, &o)) {
		fprintf(stderr, "bench_xdp: BPF_PROG_TEST_RUN: %s\n",
			strerror(errno));
		return 0;
	}
	return o.duration;
}

/* A flow to put back before runs: its slot and its state then. */
struct rewind {
	struct osprey_flow *slot;
	struct osprey_flow val;
};

/* the floor programs' ring buffer (empty.bpf.c) */
static struct ring_buffer *floor_rb;

static int count_floor(void *ctx, void *data, size_t size)
{
	return 0;
}

static void drain(struct capture *c)
{
	if (c)
		while (capture_poll(c, 0) > 0)
			;
	if (floor_rb)
		ring_buffer__consume(floor_rb);
}

/*
 * Average ns over `repeat` runs in batches of at most BATCH_MAX, draining
 * the ring buffer between batches so captures never hit a full buffer.
 * With rw, the flow is rewound before each batch (a tracked flow sends at
 * most 65535 events per direction).
 */
static double run_batched(int prog_fd, int tc, struct capture *c,
			  const struct fx_frame *f, __u32 repeat,
			  const struct rewind *rw)
{
	__u32 done = 0, n, batch = rw ? 60000 : BATCH_MAX;
	double total = 0;

	while (done < repeat) {
		if (rw)
			*rw->slot = rw->val;
		n = repeat - done < batch ? repeat - done : batch;
		total += run_ns(prog_fd, tc, f, n) * n;
		done += n;
		drain(c);
	}
	return total / repeat;
}

/* A live IPv4 flow in c's cache other than `not` (the bench has two). */
static struct osprey_flow *live_flow(struct capture *c,
				     const struct osprey_flow * not )
{
	struct osprey_flow4_bucket *b;
	uint32_t n, i, w;

	b = capture_flows4(c, &n);
	for (i = 0; b && i < n; i++)
		for (w = 0; w < OSPREY_FLOW_WAYS; w++)
			if (b[i].s[w].v.start && &b[i].s[w].v != not )
				return &b[i].s[w].v;
	return NULL;
}

/* Open the flow of syn; its slot (not `other`, the flow already there). */
static struct osprey_flow *open_flow(struct capture *c, int prog_fd,
				     const struct fx_frame *syn,
				     const struct osprey_flow *other)
{
	run_ns(prog_fd, 0, syn, 1);
	drain(c);
	return live_flow(c, other);
}

struct result {
	const char *name;
	double empty, osprey;
	const char *bar;
};

static void print_table(const struct result *r, int n, __u32 repeat)
{
	int i;

	printf("%-44s %9s %10s %7s %7s  %s\n", "case", "empty ns", "osprey ns",
	       "ratio", "+empty", "bar");
	for (i = 0; i < n; i++)
		printf("%-44s %9.1f %10.1f %7.2f %7.1f  %s\n", r[i].name,
		       r[i].empty, r[i].osprey,
		       r[i].empty > 0 ? r[i].osprey / r[i].empty : 0.0,
		       r[i].osprey - r[i].empty, r[i].bar);
	printf("(BPF_PROG_TEST_RUN, repeat %u, best of rounds; events "
	       "drained: %llu)\n",
	       repeat, n_events);
}

static double best(double a, double b)
{
	return a == 0 || (b > 0 && b < a) ? b : a;
}

static void keep(struct result *r, double e, double o)
{
	r->empty = best(r->empty, e);
	r->osprey = best(r->osprey, o);
}

/* Per-call loop of n runs of prog and empty over f, rw rewound (or the
 * slot freed, free_slot) before each: the repeat-1 cases. */
static void run_single(struct result *r, struct capture *c, int prog, int empty,
		       const struct fx_frame *f, const struct rewind *rw,
		       struct osprey_flow *free_slot)
{
	double e = 0, o = 0;
	int i, n = 20000;

	for (i = 0; i < n; i++) {
		if (rw)
			*rw->slot = rw->val;
		if (free_slot)
			free_slot->start = 0;
		o += run_ns(prog, 0, f, 1);
		e += run_ns(empty, 0, f, 1);
		if ((i & 1023) == 1023)
			drain(c);
	}
	drain(c);
	keep(r, e / n, o / n);
}

struct frames {
	struct fx_frame udp, ack, syn, data, syn2, sa, ack_tc;
};

static void build_frames(struct frames *fr)
{
	struct fx_spec udp = { .ip_ver = 4, .proto = 17, .pay_len = 18 };
	struct fx_spec ack = { .ip_ver = 4,
			       .sport = 40000,
			       .dport = 80,
			       .seq = 2,
			       .ack = 2,
			       .flags = TH_ACK,
			       OPT(OPT_TS_ACK) };
	struct fx_spec syn = { .ip_ver = 4,
			       .sport = 40001,
			       .dport = 80,
			       .seq = 1,
			       .flags = TH_SYN,
			       OPT(OPT_LINUX) };
	struct fx_spec data = { .ip_ver = 4,
				.sport = 40002,
				.dport = 80,
				.seq = 2,
				.ack = 2,
				.flags = TH_ACK | TH_PSH,
				OPT(OPT_TS_ACK),
				.pay_len = 1000 };
	struct fx_spec sa = { .ip_ver = 4,
			      .src = "10.0.0.2",
			      .dst = "10.0.0.1",
			      .sport = 80,
			      .dport = 40001,
			      .seq = 7000,
			      .ack = 2,
			      .flags = TH_SYN | TH_ACK,
			      OPT(OPT_LINUX_SA) };

	fx_build(&udp, &fr->udp);
	fx_build(&ack, &fr->ack);
	fx_build(&syn, &fr->syn);
	fx_build(&data, &fr->data);
	fx_build(&sa, &fr->sa);
	syn.sport = 40002;
	fx_build(&syn, &fr->syn2);
	ack.src = "10.0.0.2";
	ack.dst = "10.0.0.1";
	fx_build(&ack, &fr->ack_tc);
}

enum {
	R_UDP,
	R_UNTRACKED,
	R_SYN,
	R_FLOW,
	R_PAYLOAD,
	R_FILTERED,
	R_NEWFLOW,
	R_PRECISE,
	R_TC_UNTRACKED,
	R_TC_SYNACK,
	R_FLOOR_CLOCK,
	R_FLOOR_RING,
	R_FLOOR_EVENT,
	R_N,
};

/* One round of every case. */
static void round_all(struct result *res, struct capture *c, struct capture *fc,
		      struct capture *cc, const struct empty_bpf *emps,
		      const struct frames *fr, const struct rewind *rw_data,
		      const struct rewind *rw_syn, __u32 repeat)
{
	const struct fx_frame *xdp_fr[4] = { &fr->udp, &fr->ack, &fr->syn,
					     &fr->data };
	int cap = capture_prog_fd(c), tc = capture_egress_prog_fd(c), i;
	int emp = bpf_program__fd(emps->progs.osprey_empty);
	int emp_tc = bpf_program__fd(emps->progs.osprey_empty_tc);
	double e, o;

	for (i = 0; i < 4; i++) {
		e = run_batched(emp, 0, NULL, xdp_fr[i], repeat, NULL);
		o = run_batched(cap, 0, c, xdp_fr[i], repeat,
				i == 3 ? rw_data : NULL);
		keep(&res[i], e, o);
	}
	run_single(&res[R_PAYLOAD], c, cap, emp, &fr->data, rw_data, NULL);
	run_single(&res[R_NEWFLOW], c, cap, emp, &fr->syn, NULL, rw_syn->slot);
	*rw_syn->slot = rw_syn->val;
	/* filtered SYN: a port-80 SYN against port_allow=443 */
	e = run_batched(emp, 0, NULL, &fr->syn, repeat, NULL);
	o = run_batched(capture_prog_fd(fc), 0, fc, &fr->syn, repeat, NULL);
	keep(&res[R_FILTERED], e, o);
	/* the same SYN with the precise event clock */
	o = run_batched(capture_prog_fd(cc), 0, cc, &fr->syn, repeat, NULL);
	keep(&res[R_PRECISE], e, o);
	/* tc egress: untracked TCP, then the tracked flow's SYN+ACK */
	e = run_batched(emp_tc, 1, NULL, &fr->ack_tc, repeat, NULL);
	o = run_batched(tc, 1, c, &fr->ack_tc, repeat, NULL);
	keep(&res[R_TC_UNTRACKED], e, o);
	e = run_batched(emp_tc, 1, NULL, &fr->sa, repeat, NULL);
	o = run_batched(tc, 1, c, &fr->sa, repeat, NULL);
	keep(&res[R_TC_SYNACK], e, o);
	/* the floors, on the SYN frame */
	e = run_batched(emp, 0, NULL, &fr->syn, repeat, NULL);
	o = run_batched(bpf_program__fd(emps->progs.osprey_floor_clock), 0,
			NULL, &fr->syn, repeat, NULL);
	keep(&res[R_FLOOR_CLOCK], e, o);
	o = run_batched(bpf_program__fd(emps->progs.osprey_floor_ring), 0, NULL,
			&fr->syn, repeat, NULL);
	keep(&res[R_FLOOR_RING], e, o);
	o = run_batched(bpf_program__fd(emps->progs.osprey_floor_event), 0,
			NULL, &fr->syn, repeat, NULL);
	keep(&res[R_FLOOR_EVENT], e, o);
}

int main(int argc, char **argv)
{
	/* as the daemon loads them, but for the flow limits: jiffies */
	struct capture_cfg cfg = { .ringbuf_bytes = 64u << 20,
				   .flow_budget = 0xffffffffu,
				   .flow_pkts = 65535,
				   .coarse_clock = true };
	struct capture_cfg fcfg = { .port_allow = "443", .coarse_clock = true };
	struct capture_cfg ccfg = { .ringbuf_bytes = 64u << 20 };
	static struct frames fr;
	struct result res[R_N] = {
		[R_UDP] = { "non-TCP (UDP)", 0, 0, "within 2x of empty" },
		[R_UNTRACKED] = { "TCP, untracked flow", 0, 0, "<= 15 ns" },
		[R_SYN] = { "SYN captured (60 B event)", 0, 0, "<= 40 ns" },
		[R_FLOW] = { "tracked flow packet (headers event)", 0, 0, "-" },
		[R_PAYLOAD] = { "tracked flow payload 1000 B (repeat 1)", 0, 0,
				"-" },
		[R_FILTERED] = { "SYN filtered by port", 0, 0, "-" },
		[R_NEWFLOW] = { "SYN opening a new flow (repeat 1)", 0, 0,
				"-" },
		[R_PRECISE] = { "SYN captured, --precise-clock", 0, 0, "-" },
		[R_TC_UNTRACKED] = { "tc egress: TCP, untracked flow", 0, 0,
				     "-" },
		[R_TC_SYNACK] = { "tc egress: SYN+ACK captured", 0, 0, "-" },
		[R_FLOOR_CLOCK] = { "floor: empty + bpf_ktime_get_ns()", 0, 0,
				    "-" },
		[R_FLOOR_RING] = { "floor: empty + 64 B ringbuf record", 0, 0,
				   "-" },
		[R_FLOOR_EVENT] = { "floor: + clock + 64 B ringbuf record", 0,
				    0, "-" },
	};
	struct capture *c = NULL, *fc = NULL, *cc = NULL;
	struct rewind rw_data, rw_syn;
	struct empty_bpf *empty = NULL;
	__u32 repeat = 1000000, rounds = 5, r;
	int opt, rc = 1, cap_fd;
	char err[256] = "";

	while ((opt = getopt(argc, argv, "n:r:h")) != -1) {
		switch (opt) {
		case 'n':
			repeat = strtoul(optarg, NULL, 10);
			break;
		case 'r':
			rounds = strtoul(optarg, NULL, 10);
			break;
		default:
			fprintf(stderr, "usage: %s [-n REPEAT] [-r ROUNDS]\n",
				argv[0]);
			return opt == 'h' ? 0 : 2;
		}
	}
	if (!repeat || !rounds) {
		fprintf(stderr, "bench_xdp: -n and -r must be positive\n");
		return 2;
	}
	if (capture_open(&c, &cfg, count_event, NULL, err, sizeof(err)) ||
	    capture_open(&fc, &fcfg, count_event, NULL, err, sizeof(err)) ||
	    capture_open(&cc, &ccfg, count_event, NULL, err, sizeof(err))) {
		fprintf(stderr, "bench_xdp: %s\n", err);
		goto cleanup;
	}
	empty = empty_bpf__open_and_load();
	if (!empty) {
		fprintf(stderr, "bench_xdp: load empty.bpf.o: %s\n",
			strerror(errno));
		goto cleanup;
	}
	floor_rb = ring_buffer__new(bpf_map__fd(empty->maps.floor_rb),
				    count_floor, NULL, NULL);
	if (!floor_rb) {
		fprintf(stderr, "bench_xdp: floor ring buffer: %s\n",
			strerror(errno));
		goto cleanup;
	}
	cap_fd = capture_prog_fd(c);
	build_frames(&fr);
	/* the payload case's flow, remembered as it opened (its client
	 * data starts at seq 2), then the SYN case's flow beside it */
	capture_flows_clear(c);
	rw_data.slot = open_flow(c, cap_fd, &fr.syn2, NULL);
	rw_syn.slot = open_flow(c, cap_fd, &fr.syn, rw_data.slot);
	if (!rw_data.slot || !rw_syn.slot) {
		fprintf(stderr, "bench_xdp: flow not opened\n");
		goto cleanup;
	}
	rw_data.val = *rw_data.slot;
	rw_data.val.next_seq[0] = 2;
	rw_syn.val = *rw_syn.slot;

	for (r = 0; r < rounds; r++)
		round_all(res, c, fc, cc, empty, &fr, &rw_data, &rw_syn,
			  repeat);
	print_table(res, R_N, repeat);
	{
		uint64_t ctr[OSPREY_CTR_MAX];

		if (capture_counters(c, ctr) == 0)
			printf("(ring buffer drops during the run: %llu)\n",
			       (unsigned long long)ctr[OSPREY_CTR_RB_DROPS]);
	}
	rc = 0;
cleanup:
	ring_buffer__free(floor_rb);
	empty_bpf__destroy(empty);
	capture_close(cc);
	capture_close(fc);
	capture_close(c);
	return rc;
}
