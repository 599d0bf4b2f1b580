/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The hosts waiting to be written to the pinned hosts map: the engine's
 * records, each once, oldest first, and never more than the map holds.
 *
 * The map is an LRU hash of `cap` entries: of a run of writes only the
 * last `cap` distinct hosts stay in it, the earlier ones are evicted by
 * the later ones.  So the window keeps the `cap` hosts touched most
 * recently; noting one more pushes out the oldest (its write would have
 * been undone by the writes after it) and counts it.  A host noted again
 * moves to the newest place, as its write would have.
 *
 * No libbpf here: unit-tested on its own (tests/unit/test_hostwin.c).
 */
#ifndef OSPREY_HOSTWIN_H
#define OSPREY_HOSTWIN_H

#include <stdint.h>

struct host;
struct hostwin;

/* A window of at most cap hosts (cap >= 1).  0 or -ENOMEM/-EINVAL. */
int hostwin_new(struct hostwin **out, uint32_t cap);
void hostwin_free(struct hostwin *w);
/* Note h as the newest pending host.  1 when that pushed the oldest
 * pending host out, else 0. */
int hostwin_add(struct hostwin *w, const struct host *h);
/* Hosts pending now. */
uint32_t hostwin_pending(const struct hostwin *w);
/* Hosts pushed out since the window was made. */
uint64_t hostwin_superseded(const struct hostwin *w);
/* Take up to max pending hosts, oldest first, into out[]; they are no
 * longer pending.  The number taken (0: the window is empty). */
uint32_t hostwin_take(struct hostwin *w, const struct host **out, uint32_t max);

#endif
