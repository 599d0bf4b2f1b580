/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Event times for the live daemon when the kernel stamps events with the
 * tick-resolution clock (CLOCK_MONOTONIC_COARSE, capture_cfg.coarse_clock).
 *
 * Reading the precise clock is the dearest single step of a captured SYN
 * in the kernel (tools/bench_xdp: about 30 ns of ~100 on the machine this
 * was written on); the coarse one is a load.  Its value lags the packet
 * by less than two ticks: the timekeeper moves on at each tick, in whole
 * tick intervals.  The daemon makes the time precise again from its own
 * clock, read when it takes the record, which is after the packet came:
 *
 *  - when that reading is less than two ticks past the coarse stamp, the
 *    record is fresh and the reading is its time: late by the daemon's
 *    wake-up latency (tens of microseconds when it keeps up), never early;
 *  - otherwise the daemon is behind (a burst, a stopped process), and the
 *    packet came somewhere in the two ticks after the stamp: the middle,
 *    off by at most one tick (4 ms at HZ=250), is the answer.
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
	uint64_t tick_ns; /* the coarse clock's resolution */
	uint64_t now_ns; /* the last reading */
	evclock_now_fn now;
	void *ctx;
	uint64_t reads, fresh, late; /* readings taken; events of each case */
};

/* tick_ns: the coarse clock's resolution (0: ask the kernel with
 * clock_getres(CLOCK_MONOTONIC_COARSE)); now: NULL for CLOCK_MONOTONIC. */
void evclock_init(struct evclock *c, uint64_t tick_ns, evclock_now_fn now,
		  void *ctx);
/* The time of an event the kernel stamped coarse_ns, read just now. */
uint64_t evclock_time(struct evclock *c, uint64_t coarse_ns);

#endif
