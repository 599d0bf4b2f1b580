/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Running fixture rows (fixtures.h) through the capture programs with
 * BPF_PROG_TEST_RUN, for the BPF tier's capture tests (test_capture.c,
 * test_egress.c).  A row runs through the XDP program, or with .egress
 * through the tc egress program (a __sk_buff ctx: ifindex, the row's GSO
 * fields, and run_iif as ingress_ifindex).  Every event is checked against
 * the row (reason, flags, cap_len, header fields; its bytes must be the
 * frame's IP packet from l3_off, with the IP length rewritten when cut),
 * every counter's delta against the row's list (all others must not
 * move), and each event's bytes go through the engine's pkt_parse(),
 * which must read them like the original frame (kernel/user parity).
 */
#ifndef OSPREY_TEST_CAPTURE_RUN_H
#define OSPREY_TEST_CAPTURE_RUN_H

#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "tests/harness.h"
#include "tests/bpf/fixtures.h"
#include "user/capture.h"
#include "user/engine/engine.h"

#define MAX_EV 256
#define N(a) (sizeof(a) / sizeof((a)[0]))

struct ev_copy {
	struct osprey_event h;
	uint8_t data[OSPREY_MAX_CAPTURE];
	size_t size;
};

static struct ev_copy evs[MAX_EV];
static int n_ev;
/* ifindex/rx queue given to XDP runs; ifindex of egress runs; the
 * ingress_ifindex egress runs carry (0: sent by this host) */
static int test_ifindex = 1, test_rxq, run_iif;
static int parity_checked;

static inline int on_event(void *ctx, const struct osprey_event *ev,
			   size_t size)
{
	if (n_ev < MAX_EV) {
		memcpy(&evs[n_ev].h, ev,
		       size < sizeof(evs[0].h) + OSPREY_MAX_CAPTURE ?
			       size :
			       sizeof(evs[0].h) + OSPREY_MAX_CAPTURE);
		evs[n_ev].size = size;
	}
	n_ev++;
	return 0;
}

/*
 * Captures of this tier attach XDP by a plain bpf_link: the cases check
 * the loader's own attach semantics (one XDP program per interface, what
 * a failed attach leaves), which libxdp's dispatcher changes on kernels
 * that can run it; tests/integration/test_xdp_share.sh covers that path.
 */
static inline int open_cap(struct capture **c, struct capture_cfg *cfg)
{
	char err[256] = "";
	int rc;

	cfg->xdp_link = true;
	rc = capture_open(c, cfg, on_event, NULL, err, sizeof(err));

	if (rc)
		printf("# capture_open: %d %s\n", rc, err);
	return rc;
}

/* Open a capture for a group of cases; a failure is the group's FAIL. */
static inline int open_group(struct capture **c, struct capture_cfg *cfg,
			     const char *group)
{
	int rc = open_cap(c, cfg);

	if (rc) {
		th_begin(group);
		ASSERT_EQ(rc, 0, "capture_open");
		th_end();
	}
	return rc;
}

static inline void clear_flows(struct capture *c)
{
	if (capture_flows_clear(c))
		printf("# capture_flows_clear: %s\n", strerror(errno));
}

/* One BPF_PROG_TEST_RUN of prog over f with the given ctx. */
static inline int test_run(int prog_fd, const struct fx_frame *f, void *ctx,
			   size_t ctx_len, uint32_t *retval)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f->b,
		    .data_size_in = f->len, .ctx_in = ctx,
		    .ctx_size_in = ctx_len, .repeat = 1);
	int rc = bpf_prog_test_run_opts(prog_fd, &o);

	*retval = o.retval;
	return rc ? -errno : 0;
}

static inline int run_xdp(struct capture *c, const struct fx_frame *f,
			  uint32_t *retval)
{
	struct xdp_md ctx = { .data_end = f->len,
			      .ingress_ifindex = test_ifindex,
			      .rx_queue_index = test_rxq };

	return test_run(capture_prog_fd(c), f, &ctx, sizeof(ctx), retval);
}

static inline int run_tc(struct capture *c, const struct row *r,
			 const struct fx_frame *f, uint32_t *retval)
{
	struct __sk_buff ctx = { .ifindex = test_ifindex,
				 .ingress_ifindex = run_iif,
				 .gso_segs = r->gso_segs,
				 .gso_size = r->gso_size };

	return test_run(capture_egress_prog_fd(c), f, &ctx, sizeof(ctx),
			retval);
}

static inline int run_frame(struct capture *c, const struct row *r,
			    const struct fx_frame *f, uint32_t *retval)
{
	return r->egress ? run_tc(c, r, f, retval) : run_xdp(c, f, retval);
}

/* IP length the frame's header claims (after patches). */
static inline uint32_t claimed_len(const struct fx_frame *f, int ver)
{
	const uint8_t *ip = f->b + f->l3_off;
	uint32_t len = ver == 4 ? (uint32_t)(ip[2] << 8 | ip[3]) :
				  (uint32_t)(ip[4] << 8 | ip[5]) + 40;

	/* 0: BIG TCP, the frame says how long */
	return len > (ver == 4 ? 0u : 40u) ? len : f->len - f->l3_off;
}

/* Parse both copies with the engine's parser; they must agree. */
static inline void check_parity(const struct fx_frame *f,
				const struct ev_copy *e)
{
	struct pkt a, b;
	int ra, rb, cut = e->h.flags & OSPREY_EVF_PAYLOAD_CUT;
	uint32_t flen = f->len - f->l3_off;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	ra = pkt_parse(e->data, e->h.cap_len, 0, &a);
	/* pkt_parse() reads as much as p0f's 64 KiB snaplen would */
	rb = pkt_parse(f->b + f->l3_off, flen > 65535 ? 65535 : flen, 0, &b);
	parity_checked++;
	ASSERT_EQ(ra, rb, "parity: pkt_parse result");
	if (ra != PKT_OK || rb != PKT_OK)
		return;
	ASSERT_EQ(a.ip_ver, b.ip_ver, "parity: ip_ver");
	ASSERT_EQ(a.tcp_type, b.tcp_type, "parity: tcp_type");
	ASSERT_MEMEQ(a.src, b.src, 16, "parity: src");
	ASSERT_MEMEQ(a.dst, b.dst, 16, "parity: dst");
	ASSERT_EQ(a.sport, b.sport, "parity: sport");
	ASSERT_EQ(a.dport, b.dport, "parity: dport");
	ASSERT_EQ(a.ttl, b.ttl, "parity: ttl");
	ASSERT_EQ(a.tos, b.tos, "parity: tos");
	ASSERT_EQ(a.mss, b.mss, "parity: mss");
	ASSERT_EQ(a.win, b.win, "parity: win");
	ASSERT_EQ(a.wscale, b.wscale, "parity: wscale");
	ASSERT_EQ(a.tot_hdr, b.tot_hdr, "parity: tot_hdr");
	ASSERT_EQ(a.opt_cnt, b.opt_cnt, "parity: opt_cnt");
	ASSERT_MEMEQ(a.opt_layout, b.opt_layout, MAX_TCP_OPT,
		     "parity: opt_layout");
	ASSERT_EQ(a.opt_eol_pad, b.opt_eol_pad, "parity: opt_eol_pad");
	ASSERT_EQ(a.ts1, b.ts1, "parity: ts1");
	ASSERT_EQ(a.ts2, b.ts2, "parity: ts2");
	ASSERT_EQ(a.quirks, b.quirks, "parity: quirks");
	ASSERT_EQ(a.ip_opt_len, b.ip_opt_len, "parity: ip_opt_len");
	ASSERT_EQ(a.seq, b.seq, "parity: seq");
	if (!cut) {
		ASSERT_EQ(a.pay_len, b.pay_len, "parity: pay_len");
	} else {
		ASSERT_EQ(a.pay_len, e->h.cap_len - (f->l4_off + f->thl),
			  "parity: cut pay_len");
		ASSERT_TRUE(a.pay_len <= b.pay_len, "parity: cut is a prefix");
	}
	if (a.pay_len && a.pay_len <= b.pay_len)
		ASSERT_MEMEQ(a.payload, b.payload, a.pay_len,
			     "parity: payload");
}

/* Ring buffer record size for cap bytes: the program's size classes. */
static inline size_t record_class(uint32_t cap)
{
	size_t sz;

	for (sz = 128; sz <= 8192; sz *= 2)
		if (sizeof(struct osprey_event) + cap <= sz)
			return sz;
	return sizeof(struct osprey_event) + OSPREY_MAX_CAPTURE;
}

static inline void check_event(const struct row *r, const struct fx_frame *f,
			       const struct ev_copy *e)
{
	static uint8_t want[OSPREY_MAX_CAPTURE];
	uint32_t cap = r->cap, n = r->p.n_vlans;

	ASSERT_EQ(e->size, record_class(r->cap), "record size");
	ASSERT_EQ(e->h.cap_len, r->cap, "cap_len");
	ASSERT_EQ(e->h.reason, r->reason, "reason");
	ASSERT_EQ(e->h.flags, r->evf | (r->egress ? OSPREY_EVF_EGRESS : 0),
		  "flags");
	ASSERT_EQ(e->h.ip_ver, r->p.ip_ver, "ip_ver");
	ASSERT_EQ(e->h.ifindex, test_ifindex, "ifindex");
	ASSERT_EQ(e->h.rx_queue, r->egress ? 0 : test_rxq, "rx_queue");
	ASSERT_EQ(e->h.frame_len, f->len, "frame_len");
	ASSERT_EQ(e->h.l3_off, 14 + 4 * n, "l3_off");
	ASSERT_EQ(e->h.n_vlans, n, "n_vlans");
	ASSERT_EQ(e->h.vlan_id[0], n > 0 ? fx_vlan_id(&r->p, 0) & 0xfff : 0,
		  "vlan_id[0]");
	ASSERT_EQ(e->h.vlan_id[1], n > 1 ? fx_vlan_id(&r->p, 1) & 0xfff : 0,
		  "vlan_id[1]");
	ASSERT_TRUE(e->h.ts > 0, "timestamp set");
	if (cap > OSPREY_MAX_CAPTURE || e->h.cap_len != cap)
		return;
	memcpy(want, f->b + f->l3_off, cap);
	if (cap < claimed_len(f, r->p.ip_ver)) {
		/* the program rewrites the IP length to what it kept */
		if (r->p.ip_ver == 4)
			fx_put16(want + 2, cap);
		else
			fx_put16(want + 4, cap - 40);
	}
	ASSERT_MEMEQ(e->data, want, cap, "event bytes");
	check_parity(f, e);
}

static inline void run_row(struct capture *c, const struct row *r)
{
	uint64_t before[OSPREY_CTR_MAX], after[OSPREY_CTR_MAX];
	int64_t want[OSPREY_CTR_MAX] = { [OSPREY_CTR_PACKETS] = 1 };
	static struct fx_frame f;
	uint32_t verdict;
	int i, rc;

	if (r->egress)
		want[OSPREY_CTR_EGRESS_PACKETS] = 1;
	fx_build(&r->p, &f);
	n_ev = 0;
	if (!ASSERT_EQ(capture_counters(c, before), 0, "counters"))
		return;
	rc = run_frame(c, r, &f, &verdict);
	if (!ASSERT_EQ(rc, 0, "BPF_PROG_TEST_RUN"))
		return;
	capture_poll(c, 0);
	if (r->egress)
		ASSERT_EQ((int32_t)verdict, TC_ACT_UNSPEC, "verdict");
	else
		ASSERT_EQ(verdict, r->drop ? XDP_DROP : XDP_PASS, "verdict");
	ASSERT_EQ(n_ev, r->n_ev, "events");
	if (n_ev == 1 && r->n_ev == 1)
		check_event(r, &f, &evs[0]);
	for (i = 0; i < 6; i++)
		if (r->ctr[i].d)
			want[r->ctr[i].ctr] += r->ctr[i].d;
	if (!ASSERT_EQ(capture_counters(c, after), 0, "counters"))
		return;
	for (i = 0; i < OSPREY_CTR_MAX; i++) {
		char what[64];

		snprintf(what, sizeof(what), "counter %s delta",
			 osprey_ctr_names[i]);
		ASSERT_EQ((int64_t)(after[i] - before[i]), want[i], what);
	}
}

/* Single rows: each from an empty flow cache. */
static inline void run_rows(struct capture *c, const char *group,
			    const struct row *rows, size_t n)
{
	char name[160];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s/%s", group, rows[i].name);
		th_begin(name);
		clear_flows(c);
		run_row(c, &rows[i]);
		th_end();
	}
}

/* A sequence: one case, rows in order over the same flow cache. */
static inline void run_seq(struct capture *c, const char *name,
			   const struct row *rows, size_t n)
{
	int failed = 0;
	size_t i;

	th_begin(name);
	clear_flows(c);
	for (i = 0; i < n && !failed; i++) {
		run_row(c, &rows[i]);
		if (th_case_failed) {
			printf("      (at step %zu: %s)\n", i + 1,
			       rows[i].name);
			failed = 1;
		}
	}
	th_end();
}

/* The parity case and the summary line that end a capture suite. */
static inline int finish_suite(const char *parity_case)
{
	th_begin(parity_case);
	ASSERT_TRUE(parity_checked > 0, "events were parity-checked");
	th_end();
	printf("# %d passed, %d failed, %d skipped; parity checked on %d "
	       "events\n",
	       th_passed, th_failed, th_skipped, parity_checked);
	return th_failed ? 1 : 0;
}

#endif /* OSPREY_TEST_CAPTURE_RUN_H */
