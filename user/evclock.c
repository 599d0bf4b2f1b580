// SPDX-License-Identifier: GPL-2.0-or-later
/* Precise event times from tick stamps, and jiffies on CLOCK_MONOTONIC:
 * see evclock.h. */
#include <errno.h>
#include <time.h>

#include "user/evclock.h"

/* HZ=250, the commonest tick, if the kernel will not say. */
#define EVCLOCK_DEFAULT_TICK 4000000ull

uint64_t evclock_mono_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static uint64_t mono_now(void *ctx)
{
	(void)ctx;
	return evclock_mono_ns();
}

uint64_t evclock_tick_ns(void)
{
	struct timespec r;

	if (!clock_getres(CLOCK_MONOTONIC_COARSE, &r) && !r.tv_sec &&
	    r.tv_nsec > 0)
		return (uint64_t)r.tv_nsec;
	return EVCLOCK_DEFAULT_TICK;
}

void evclock_init(struct evclock *c, uint64_t tick_ns, evclock_now_fn now,
		  void *ctx)
{
	if (!tick_ns)
		tick_ns = evclock_tick_ns();
	*c = (struct evclock){
		.tick_ns = tick_ns,
		.now = now ? now : mono_now,
		.ctx = ctx,
	};
}

uint64_t evclock_time(struct evclock *c, uint64_t coarse_ns)
{
	uint64_t window_end = coarse_ns + c->tick_ns + c->tick_ns / 4;

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
	return coarse_ns + c->tick_ns / 2;
}

int evclock_ticks_fit(struct evclock_ticks *t, const struct evclock_sample *s,
		      int n, uint64_t tick_ns)
{
	struct evclock_ticks f = { .tick_ns = tick_ns };
	int i;

	if (n <= 0 || !tick_ns)
		return -EINVAL;
	f.j0 = s[0].jiffies;
	f.base_ns = s[0].ns;
	/* each sample's jiffies became current at or before it: carried
	 * back to j0, every sample bounds j0's moment from above */
	for (i = 0; i < n; i++) {
		uint64_t at =
			s[i].ns - (uint64_t)((int64_t)(s[i].jiffies - f.j0) *
					     (int64_t)tick_ns);

		if (at < f.base_ns)
			f.base_ns = at;
	}
	for (i = 0; i < n; i++)
		if (s[i].ns - evclock_ticks_ns(&f, s[i].jiffies) > 3 * tick_ns)
			return -EINVAL;
	*t = f;
	return 0;
}
