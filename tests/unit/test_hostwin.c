// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hostwin (user/hostwin.[ch]), the hosts waiting for the pinned map: it
 * holds the `cap` hosts noted most recently, each once, oldest first,
 * and counts those pushed out.  Checked against a plain list doing the
 * same by linear search, over long random runs (hosts noted again, the
 * window overflowing, takes of every size) and the edge cases.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "tests/harness.h"
#include "user/hostwin.h"

#define POOL 3000

/* Stand-ins for engine records: only their addresses are used. */
static long long pool[POOL];

static const struct host *H(unsigned i)
{
	return (const struct host *)(void *)&pool[i];
}

/* The reference: distinct hosts, oldest first, at most cap. */
struct model {
	const struct host **v;
	unsigned n, cap;
	unsigned long long pushed;
};

static int model_add(struct model *m, const struct host *h)
{
	unsigned i;

	for (i = 0; i < m->n; i++)
		if (m->v[i] == h) {
			memmove(&m->v[i], &m->v[i + 1],
				(m->n - i - 1) * sizeof(*m->v));
			m->n--;
			m->v[m->n++] = h;
			return 0;
		}
	if (m->n == m->cap) {
		memmove(&m->v[0], &m->v[1], (m->n - 1) * sizeof(*m->v));
		m->n--;
		m->v[m->n++] = h;
		m->pushed++;
		return 1;
	}
	m->v[m->n++] = h;
	return 0;
}

static unsigned model_take(struct model *m, const struct host **out,
			   unsigned max)
{
	unsigned k = m->n < max ? m->n : max;

	memcpy(out, m->v, k * sizeof(*out));
	memmove(&m->v[0], &m->v[k], (m->n - k) * sizeof(*m->v));
	m->n -= k;
	return k;
}

/* One random run: returns false at the first disagreement. */
static bool run_against_model(unsigned cap, unsigned hosts, unsigned steps,
			      unsigned take_one_in, unsigned seed)
{
	const struct host **got = calloc(POOL, sizeof(*got));
	const struct host **want = calloc(POOL, sizeof(*want));
	struct model m = { calloc(cap, sizeof(*m.v)), 0, cap, 0 };
	struct hostwin *w = NULL;
	bool ok = ASSERT_EQ(hostwin_new(&w, cap), 0, "new");
	unsigned s, i, k, kw, max;

	srand(seed);
	for (s = 0; ok && s < steps; s++) {
		if (rand() % take_one_in) {
			/* a few hot hosts noted again and again, many cold */
			i = rand() % 4 ? (unsigned)rand() % hosts :
					 (unsigned)rand() % 8;
			ok = ASSERT_EQ(hostwin_add(w, H(i)),
				       model_add(&m, H(i)), "pushed out");
		} else {
			max = 1 + rand() % (cap + 3);
			k = hostwin_take(w, got, max);
			kw = model_take(&m, want, max);
			ok = ASSERT_EQ(k, kw, "taken") &&
			     ASSERT_TRUE(!memcmp(got, want, k * sizeof(*got)),
					 "taken oldest first");
		}
		ok = ok && ASSERT_EQ(hostwin_pending(w), m.n, "pending") &&
		     ASSERT_EQ(hostwin_superseded(w), m.pushed, "superseded");
	}
	/* what is left comes out whole, in order */
	k = hostwin_take(w, got, POOL);
	kw = model_take(&m, want, POOL);
	ok = ok && ASSERT_EQ(k, kw, "last take") &&
	     ASSERT_TRUE(!memcmp(got, want, k * sizeof(*got)), "last order") &&
	     ASSERT_EQ(hostwin_pending(w), 0, "empty after");
	hostwin_free(w);
	free(m.v);
	free(got);
	free(want);
	return ok;
}

static void random_runs(void)
{
	/* window larger than the hosts, about equal, much smaller, one */
	ASSERT_TRUE(run_against_model(2000, 500, 40000, 50, 1), "cap > hosts");
	ASSERT_TRUE(run_against_model(600, 700, 40000, 50, 2), "cap ~ hosts");
	ASSERT_TRUE(run_against_model(64, 2900, 40000, 50, 3), "cap << hosts");
	ASSERT_TRUE(run_against_model(1, 50, 5000, 50, 4), "cap 1");
}

/* Small windows with frequent partial takes: the ring's oldest place
 * moves round, so holes are closed while the pending hosts wrap past
 * the end of the ring. */
static void small_windows_wrap(void)
{
	unsigned cap, seed;

	for (cap = 2; cap <= 6; cap++)
		for (seed = 1; seed <= 40; seed++)
			if (!ASSERT_TRUE(run_against_model(cap, cap + 3, 400, 4,
							   100 * cap + seed),
					 "small window"))
				return;
}

/* A flood of distinct hosts through a small window: the last cap stay,
 * in order, and the rest are counted, not written. */
static void flood_keeps_newest(void)
{
	const struct host *got[16];
	struct hostwin *w;
	unsigned i, n;

	if (!ASSERT_EQ(hostwin_new(&w, 10), 0, "new"))
		return;
	for (i = 0; i < 2500; i++)
		hostwin_add(w, H(i));
	ASSERT_EQ(hostwin_pending(w), 10, "pending");
	ASSERT_EQ(hostwin_superseded(w), 2490, "superseded");
	n = hostwin_take(w, got, 16);
	ASSERT_EQ(n, 10, "taken");
	for (i = 0; i < n; i++)
		if (!ASSERT_TRUE(got[i] == H(2490 + i), "newest ten in order"))
			break;
	/* one host noted again and again takes one place */
	for (i = 0; i < 5000; i++)
		hostwin_add(w, H(7));
	ASSERT_EQ(hostwin_pending(w), 1, "a repeated host is pending once");
	ASSERT_EQ(hostwin_superseded(w), 2490, "and pushes nothing out");
	hostwin_free(w);
}

static void bad_sizes(void)
{
	struct hostwin *w = (struct hostwin *)1;

	ASSERT_EQ(hostwin_new(&w, 0), -EINVAL, "cap 0");
	ASSERT_TRUE(w == NULL, "no window on failure");
	ASSERT_EQ(hostwin_new(&w, UINT32_MAX), -EINVAL, "cap too large");
}

TH_MAIN("hostwin", TH_CASE(random_runs), TH_CASE(small_windows_wrap),
	TH_CASE(flood_keeps_newest), TH_CASE(bad_sizes))
