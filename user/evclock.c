// SPDX-License-Identifier: GPL-2.0-or-later
/* Precise event times from coarse kernel stamps: see evclock.h. */
#include <time.h>

#include "user/evclock.h"

/* HZ=250, the commonest tick, if the kernel will not say. */
#define EVCLOCK_DEFAULT_TICK 4000000ull

static uint64_t mono_now(void *ctx)
{
	struct timespec t;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

void evclock_init(struct evclock *c, uint64_t tick_ns, evclock_now_fn now,
		  void *ctx)
{
	struct timespec r;

	if (!tick_ns) {
		if (!clock_getres(CLOCK_MONOTONIC_COARSE, &r) && !r.tv_sec &&
		    r.tv_nsec > 0)
			tick_ns = (uint64_t)r.tv_nsec;
		else
			tick_ns = EVCLOCK_DEFAULT_TICK;
	}
	*c = (struct evclock){
		.tick_ns = tick_ns,
		.now = now ? now : mono_now,
		.ctx = ctx,
	};
}

uint64_t evclock_time(struct evclock *c, uint64_t coarse_ns)
{
	uint64_t window_end = coarse_ns + 2 * c->tick_ns;

	/* A reading at or past window_end proves the record old whenever it
	 * was taken; an earlier one may predate the packet: read again. */
	if (c->now_ns < window_end) {
		c->now_ns = c->now(c->ctx);
		c->reads++;
	}
	if (c->now_ns < window_end) {
		c->fresh++;
		/* never before the stamp, whatever the clocks did */
		return c->now_ns > coarse_ns ? c->now_ns : coarse_ns;
	}
	c->late++;
	return coarse_ns + c->tick_ns;
}
