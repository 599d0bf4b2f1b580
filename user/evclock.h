/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Event times for the live daemon when the kernel stamps events with the
 * tick count (jiffies, capture_cfg.coarse_clock), and the arithmetic that
 * turns jiffies into CLOCK_MONOTONIC.
 *
 * Reading the precise clock is the dearest single step of a captured SYN
 * in the kernel (tools/bench_xdp: about 30 ns of ~100 on the machine this
 * was written on); jiffies is one load.  A tick stamp is the moment the
 * tick count last moved (evclock_ticks below turns it into that moment on
 * CLOCK_MONOTONIC), so the packet came at or after it and, as the count
 * moves at every tick, less than a tick after it (plus the count's own
 * lag: microseconds, rarely more when the timekeeping duty moves between
 * CPUs).  The daemon makes the time precise again from its own clock, read
 * when it takes the record, which is after the packet came:
 *
 *  - when that reading is less than a tick and a quarter past the stamp,
 *    the record is fresh and the reading is its time: late by the
 *    daemon's wake-up latency (tens of microseconds when it keeps up),
 *    never early;
 *  - otherwise the daemon is behind (a burst, a stopped process), and the
 *    packet came somewhere in the tick after the stamp: its middle, off
 *    by at most half a tick (2 ms at HZ=250) and the lag, is the answer.
 *
 * A reading is taken only when the last one could still belong to the
 * first case, so a backlog costs no clock reads at all.  No libbpf here:
 * unit-tested alone (tests/unit/test_evclock.c).
 */
#ifndef OSPREY_EVCLOCK_H
#define OSPREY_EVCLOCK_H

#include <stdint.h>

/* A monotonic clock in ns, CLOCK_MONOTONIC's base (tests pass their own). */
typedef uint64_t (*evclock_now_fn)(void *ctx);

struct evclock {
	uint64_t tick_ns; /* the kernel's tick */
	uint64_t now_ns; /* the last reading */
	evclock_now_fn now;
	void *ctx;
	uint64_t reads, fresh, late; /* readings taken; events of each case */
};

/* tick_ns: the coarse clock's resolution (0: ask the kernel with
 * clock_getres(CLOCK_MONOTONIC_COARSE)); now: NULL for CLOCK_MONOTONIC. */
void evclock_init(struct evclock *c, uint64_t tick_ns, evclock_now_fn now,
		  void *ctx);
/* The time of an event stamped coarse_ns (on CLOCK_MONOTONIC), read just
 * now. */
uint64_t evclock_time(struct evclock *c, uint64_t coarse_ns);

/*
 * Jiffies on CLOCK_MONOTONIC: the count moves by one every tick_ns, so
 * jiffies j became current at base_ns + (j - j0) * tick_ns.
 */
struct evclock_ticks {
	uint64_t j0, base_ns, tick_ns;
};

/* One reading of the clock while jiffies held a value. */
struct evclock_sample {
	uint64_t jiffies, ns;
};

/*
 * Fit from n samples taken over at least a tick.  Each was taken at or
 * after its jiffies value became current, so j0 became current no later
 * than every sample allows: base_ns is that latest moment, late by at most
 * the sample spacing after a tick and the count's own lag.  0, or -EINVAL
 * when there is no sample or one lies more than 3 ticks past its jiffies
 * (a tick_ns far below the kernel's).
 */
int evclock_ticks_fit(struct evclock_ticks *t, const struct evclock_sample *s,
		      int n, uint64_t tick_ns);

static inline uint64_t evclock_ticks_ns(const struct evclock_ticks *t,
					uint64_t jiffies)
{
	return t->base_ns +
	       (uint64_t)((int64_t)(jiffies - t->j0) * (int64_t)t->tick_ns);
}

/* CLOCK_MONOTONIC now, in ns. */
uint64_t evclock_mono_ns(void);

/* The coarse clock's resolution (clock_getres(CLOCK_MONOTONIC_COARSE)),
 * which is the kernel's tick; 4 ms (HZ=250) if it will not say. */
uint64_t evclock_tick_ns(void);

#endif
