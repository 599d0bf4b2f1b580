// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * evclock (user/evclock.[ch]): precise event times from the kernel's
 * tick stamps and the daemon's own reading.  A simulated clock gives each
 * packet a true arrival time, a stamp at the start of its tick (the moment
 * jiffies moved, a little late), and a moment the daemon reads it; the
 * estimate must never be early on a fresh record, late only by the
 * daemon's latency, within half a tick on an old one, and a backlog must
 * cost no clock reads.  Then the fit of jiffies to the clock.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "tests/harness.h"
#include "user/evclock.h"

#define MS 1000000ull
#define TICK (4 * MS)

static uint64_t sim_now;

static uint64_t sim_clock(void *ctx)
{
	(void)ctx;
	return sim_now;
}

static void fresh_record(void)
{
	struct evclock c;

	evclock_init(&c, TICK, sim_clock, NULL);
	sim_now = 1000 * MS + 500000; /* 0.5 ms after the stamp */
	ASSERT_EQ(evclock_time(&c, 1000 * MS), 1000 * MS + 500000,
		  "the reading is the time");
	ASSERT_EQ(c.reads, 1, "one reading");
	/* just inside a tick and a quarter: still fresh */
	sim_now = 1000 * MS + TICK + TICK / 4 - 1;
	ASSERT_EQ(evclock_time(&c, 1000 * MS), 1000 * MS + TICK + TICK / 4 - 1,
		  "fresh up to a tick and a quarter");
	ASSERT_EQ(c.fresh, 2, "counted fresh");
}

static void late_records(void)
{
	struct evclock c;
	int i;

	evclock_init(&c, TICK, sim_clock, NULL);
	sim_now = 1100 * MS;
	ASSERT_EQ(evclock_time(&c, 1000 * MS), 1000 * MS + TICK / 2,
		  "an old record: the middle of its tick");
	ASSERT_EQ(c.reads, 1, "one reading");
	/* the rest of the backlog: no more readings */
	for (i = 1; i < 1000; i++)
		evclock_time(&c, 1000 * MS + i * 50000ull);
	ASSERT_EQ(c.reads, 1, "a backlog costs no readings");
	ASSERT_EQ(c.late, 1000, "all late");
	/* a record newer than the last reading's window: read again */
	sim_now = 1101 * MS;
	ASSERT_EQ(evclock_time(&c, 1099 * MS), 1101 * MS, "fresh again");
	ASSERT_EQ(c.reads, 2, "and read");
}

static void never_before_stamp(void)
{
	struct evclock c;

	evclock_init(&c, TICK, sim_clock, NULL);
	sim_now = 5 * MS; /* a reading before the stamp: clocks disagree */
	ASSERT_EQ(evclock_time(&c, 7 * MS), 7 * MS, "clamped to the stamp");
}

static void default_tick(void)
{
	struct evclock c;

	evclock_init(&c, 0, NULL, NULL);
	ASSERT_TRUE(c.tick_ns >= 1000000 && c.tick_ns <= 10000000,
		    "CLOCK_MONOTONIC_COARSE's resolution is a tick (1-10 ms)");
	ASSERT_TRUE(evclock_time(&c, 0) > 0, "the real clock is read");
}

/*
 * Random runs: packets at random gaps, stamped with the start of their
 * tick as the count shows it (it moves up to LAG after each boundary),
 * read after a latency that is mostly short, sometimes a long stall.
 */
#define LAG 20000ull
static void random_runs(void)
{
	uint64_t arrive = 10 * MS, stamp, lat, got;
	unsigned i, bad_early = 0, bad_fresh = 0, bad_late = 0, fresh = 0;
	struct evclock c;

	srandom(7);
	evclock_init(&c, TICK, sim_clock, NULL);
	sim_now = 0;
	for (i = 0; i < 200000; i++) {
		arrive += (uint64_t)(random() % 3000) * 1000; /* 0-3 ms */
		/* the boundary the count last moved at */
		stamp = (arrive - LAG) / TICK * TICK;
		lat = random() % 50 ? (uint64_t)(random() % 200) * 1000 :
				      (uint64_t)(random() % 40) * MS;
		if (arrive + lat > sim_now)
			sim_now = arrive + lat; /* read in order */
		got = evclock_time(&c, stamp);
		if (sim_now < stamp + TICK + TICK / 4) {
			/* fresh: the reading, so late by the latency only */
			fresh++;
			if (got < arrive)
				bad_early++;
			if (got != sim_now)
				bad_fresh++;
		} else if (got + TICK / 2 + LAG < arrive ||
			   got > arrive + TICK / 2) {
			bad_late++;
		}
	}
	ASSERT_EQ(bad_early, 0, "fresh records never timed early");
	ASSERT_EQ(bad_fresh, 0, "fresh records timed at the reading");
	ASSERT_EQ(bad_late, 0, "old records within half a tick (and the lag)");
	ASSERT_TRUE(fresh > 100000 && c.late > 1000, "both cases ran");
}

/*
 * Jiffies on CLOCK_MONOTONIC: samples of a simulated count that moves at
 * boundaries every TICK (each a little late), read every 30 us over a
 * tick and a half; the fit must put each boundary no earlier than it was
 * and no later than the first sample after it.
 */
static void ticks_fit(void)
{
	struct evclock_sample s[300];
	const uint64_t bound0 = 7777777777ull, j0 = 4294892296ull;
	uint64_t t = bound0 - 1500000, lag = 3000, j, b;
	struct evclock_ticks f;
	int n = 0, i;

	for (i = 0; i < 300 && t < bound0 + TICK + TICK / 2; i++) {
		t += 30000;
		/* the count moves `lag` after each boundary */
		j = t < bound0 + lag ? j0 - 1 : j0 + (t - bound0 - lag) / TICK;
		s[n].jiffies = j;
		s[n].ns = t;
		n++;
	}
	if (!ASSERT_EQ(evclock_ticks_fit(&f, s, n, TICK), 0, "fit"))
		return;
	for (j = j0 - 1; j <= j0 + 1; j++) {
		b = bound0 + (j - j0) * TICK;
		ASSERT_TRUE(evclock_ticks_ns(&f, j) >= b,
			    "not before the boundary");
		ASSERT_TRUE(evclock_ticks_ns(&f, j) <= b + lag + 30000,
			    "late by the lag and one sample gap at most");
	}
	/* a tick shorter than the kernel's leaves samples too far past
	 * their count (a longer one cannot show within one crossing: the
	 * tick comes from clock_getres(), which is the kernel's) */
	ASSERT_EQ(evclock_ticks_fit(&f, s, n, MS), -EINVAL,
		  "1 ms assumed, 4 ms real");
	ASSERT_EQ(evclock_ticks_fit(&f, s, 0, TICK), -EINVAL, "no samples");
}

TH_MAIN("evclock", TH_CASE(fresh_record), TH_CASE(late_records),
	TH_CASE(never_before_stamp), TH_CASE(default_tick),
	TH_CASE(random_runs), TH_CASE(ticks_fit))
