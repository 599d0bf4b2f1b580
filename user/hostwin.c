// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The pending hosts (hostwin.h): a ring of places, oldest at head, and an
 * open-addressing set from host to place so that a host is found in O(1).
 *
 * A host noted again leaves a hole at its old place and takes a new one
 * at the end.  The ring has twice the window's places, so when it is
 * full of places at least half of them are holes: it is then compacted,
 * which costs O(cap) at most once per cap notes.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "user/hostwin.h"

#define NO_PLACE UINT32_MAX

/* A set member: the host beside its place, so that a probe reads one
 * line and not the ring too.  h NULL: an empty slot. */
struct hw_slot {
	const struct host *h;
	uint32_t place;
};

struct hostwin {
	uint32_t cap; /* hosts pending at most */
	uint32_t places; /* ring size, 2 * cap */
	uint32_t head, len; /* oldest place, places in use (holes too) */
	uint32_t live; /* hosts pending */
	uint32_t mask; /* set size - 1 */
	const struct host **ring; /* NULL: a hole */
	struct hw_slot *set;
	uint64_t superseded;
};

static uint32_t home(const struct hostwin *w, const struct host *h)
{
	uint64_t p = (uintptr_t)h;

	return (uint32_t)((p >> 4) * 0x9e3779b97f4a7c15ull >> 32) & w->mask;
}

static uint32_t place_at(const struct hostwin *w, uint32_t i)
{
	return (w->head + i) % w->places;
}

/* The set slot of h, or NO_PLACE when h is not pending. */
static uint32_t find(const struct hostwin *w, const struct host *h)
{
	uint32_t i;

	for (i = home(w, h); w->set[i].h; i = (i + 1) & w->mask)
		if (w->set[i].h == h)
			return i;
	return NO_PLACE;
}

static void set_put(struct hostwin *w, const struct host *h, uint32_t place)
{
	uint32_t i;

	for (i = home(w, h); w->set[i].h; i = (i + 1) & w->mask)
		;
	w->set[i].h = h;
	w->set[i].place = place;
}

/* Empty slot i, moving later members of its probe run back so that
 * every member stays reachable from its home. */
static void set_del(struct hostwin *w, uint32_t i)
{
	uint32_t j = i, k;

	for (;;) {
		w->set[i].h = NULL;
		for (;;) {
			j = (j + 1) & w->mask;
			if (!w->set[j].h)
				return;
			k = home(w, w->set[j].h);
			/* stays if its home lies cyclically in (i, j] */
			if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
				continue;
			break;
		}
		w->set[i] = w->set[j];
		i = j;
	}
}

int hostwin_new(struct hostwin **out, uint32_t cap)
{
	struct hostwin *w;
	uint32_t slots = 16;

	*out = NULL;
	if (!cap || cap > UINT32_MAX / 4)
		return -EINVAL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	while (slots < 2 * cap)
		slots <<= 1;
	w->cap = cap;
	w->places = 2 * cap;
	w->mask = slots - 1;
	w->ring = calloc(w->places, sizeof(*w->ring));
	w->set = calloc(slots, sizeof(*w->set));
	if (!w->ring || !w->set) {
		hostwin_free(w);
		return -ENOMEM;
	}
	*out = w;
	return 0;
}

void hostwin_free(struct hostwin *w)
{
	if (!w)
		return;
	free(w->ring);
	free(w->set);
	free(w);
}

/*
 * Close the holes: the pending hosts move up to the places right after
 * head, in their order, and the set is rebuilt for their new places.  A
 * host goes to the n-th place from head while the i-th (i >= n) is read,
 * so no place is written before it has been read, wrapped or not.
 */
static void compact(struct hostwin *w)
{
	uint32_t i, n = 0;

	for (i = 0; i < w->len; i++) {
		const struct host *h = w->ring[place_at(w, i)];

		if (h)
			w->ring[place_at(w, n++)] = h;
	}
	for (i = n; i < w->len; i++) /* what moved up leaves copies behind */
		w->ring[place_at(w, i)] = NULL;
	memset(w->set, 0, (w->mask + 1) * sizeof(*w->set));
	for (i = 0; i < n; i++)
		set_put(w, w->ring[place_at(w, i)], place_at(w, i));
	w->len = n;
}

/* The oldest pending host (there is one), past the holes before it. */
static const struct host *oldest(struct hostwin *w)
{
	while (!w->ring[w->head]) {
		w->head = (w->head + 1) % w->places;
		w->len--;
	}
	return w->ring[w->head];
}

/* Remove the oldest pending host (there is one). */
static void drop_oldest(struct hostwin *w)
{
	set_del(w, find(w, oldest(w)));
	w->ring[w->head] = NULL;
	w->head = (w->head + 1) % w->places;
	w->len--;
	w->live--;
}

int hostwin_add(struct hostwin *w, const struct host *h)
{
	uint32_t s = find(w, h), place;
	int pushed = 0;

	if (s != NO_PLACE) {
		place = w->set[s].place;
		if (place == place_at(w, w->len - 1))
			return 0; /* already the newest */
		w->ring[place] = NULL; /* a hole; h takes a new place */
		w->live--;
	} else if (w->live == w->cap) {
		drop_oldest(w);
		w->superseded++;
		pushed = 1;
	}
	if (w->len == w->places) {
		compact(w); /* the set is rebuilt, without h */
		s = NO_PLACE;
	}
	place = place_at(w, w->len);
	w->ring[place] = h;
	w->len++;
	w->live++;
	if (s != NO_PLACE)
		w->set[s].place =
			place; /* h's slot stays: only its place moved */
	else
		set_put(w, h, place);
	return pushed;
}

uint32_t hostwin_pending(const struct hostwin *w)
{
	return w->live;
}

uint64_t hostwin_superseded(const struct hostwin *w)
{
	return w->superseded;
}

uint32_t hostwin_take(struct hostwin *w, const struct host **out, uint32_t max)
{
	uint32_t n = 0;

	while (n < max && w->live) {
		out[n++] = oldest(w);
		drop_oldest(w);
	}
	if (!w->live)
		w->head = w->len = 0; /* only holes were left, all NULL */
	return n;
}
