// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tick clock of the capture programs: with capture_cfg.coarse_clock
 * their event times are jiffies (one load in the kernel instead of a
 * helper call and a clock read).  Here they are put on CLOCK_MONOTONIC:
 * osprey_clock_pair (capture.bpf.c) reads jiffies and the monotonic clock
 * together, a few hundred times over a tick and a quarter, and
 * evclock_ticks_fit() finds when each jiffies value became current.  The
 * relation is fixed: the count moves by one per tick of monotonic time.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "user/capture.h"
#include "user/capture_int.h"
#include "capture.skel.h"

#define CLOCK_SAMPLES 512
/* the pause between samples (timer slack stretches it to tens of us): the
 * fit is late by at most the real gap after a tick */
#define CLOCK_GAP_US 20

/* One round of samples over a tick and a quarter, fitted.  0, -errno of
 * the test run, or -EINVAL from the fit. */
static int calibrate_once(struct capture *c, uint64_t tick, int *n_out)
{
	static struct evclock_sample s[CLOCK_SAMPLES];
	int fd = bpf_program__fd(c->skel->progs.osprey_clock_pair);
	uint64_t start = evclock_mono_ns(), buf[8];
	int n = 0, i;

	for (i = 0; i < CLOCK_SAMPLES; i++) {
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = buf,
			    .data_size_in = sizeof(buf), .data_out = buf,
			    .data_size_out = sizeof(buf));

		memset(buf, 0, sizeof(buf));
		if (bpf_prog_test_run_opts(fd, &o))
			return -errno;
		if (o.retval == XDP_PASS && buf[0] == buf[2] && buf[1]) {
			s[n].jiffies = buf[0];
			s[n].ns = buf[1];
			n++;
		}
		if (evclock_mono_ns() - start > tick + tick / 4)
			break;
		usleep(CLOCK_GAP_US);
	}
	*n_out = n;
	return evclock_ticks_fit(&c->ticks, s, n, tick);
}

int capture_clock_calibrate(struct capture *c, char *err, size_t errlen)
{
	uint64_t tick = evclock_tick_ns();
	int n = 0, rc = -EINVAL, i;

	/* a stalled tick (a busy or emulated machine) spoils one round */
	for (i = 0; i < 3 && rc == -EINVAL; i++)
		rc = calibrate_once(c, tick, &n);
	if (rc == -EINVAL)
		snprintf(err, errlen,
			 "tick clock: %d readings do not fit a %llu ns tick", n,
			 (unsigned long long)tick);
	else if (rc)
		snprintf(err, errlen, "tick clock: BPF_PROG_TEST_RUN: %s",
			 strerror(-rc));
	if (rc)
		memset(&c->ticks, 0, sizeof(c->ticks));
	return rc ? -ERANGE : 0;
}

uint64_t capture_event_ns(const struct capture *c,
			  const struct osprey_event *ev)
{
	return c->ticks.tick_ns ? evclock_ticks_ns(&c->ticks, ev->ts) : ev->ts;
}
