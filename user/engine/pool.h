/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pool.c: fixed-size objects carved from large slabs, recycled through a
 * free list.  The flow and host tables take their hosts, flows and TCP
 * signatures from pools, so a busy engine does no malloc per packet: an
 * object freed by a prune or an expiry is the next one handed out.  Slabs
 * are kept until the pool is freed, so a pool holds at most what the
 * tables held at their fullest (which -m bounds), and each object costs
 * exactly its size (no allocator header, no rounding).
 */
#ifndef OSPREY_POOL_H
#define OSPREY_POOL_H

#include <stddef.h>

#include "defs.h"

struct pool_slab;

struct pool {
	size_t size; /* bytes per object, a multiple of a pointer */
	u32 per_slab; /* objects in the first slab */
	u32 next_slab; /* objects in the next one (slabs grow) */
	struct pool_slab *slabs;
	void *free; /* free list, linked through each object's first word */
	char *carve; /* the newest slab's untouched objects ... */
	u32 carve_left; /* ... and how many there are */
	u32 live; /* objects handed out and not yet put back */
	/* slab bytes in use: objects carved so far (handed out or free for
	 * reuse) and slab headers.  The rest of a slab is address space
	 * only: its pages are first touched when objects are carved. */
	u64 bytes;
};

/* A pool of objects of `size` bytes, `per_slab` in the first slab (each
 * next one twice as many, up to 32 MiB).  No memory is taken until the
 * first pool_get(). */
void pool_init(struct pool *p, size_t size, u32 per_slab);
/*
 * An object, or NULL when out of memory.  One never handed out before is
 * all zero; a recycled one holds what it held when put back, but for its
 * first pointer-sized word (the free list link).
 */
void *pool_get(struct pool *p);
/* Give obj (from pool_get of p) back; NULL is ignored. */
void pool_put(struct pool *p, void *obj);
/* An object from the free list (recycled ones only), or NULL. */
void *pool_take_free(struct pool *p);
/* Free every slab; every object of the pool is gone. */
void pool_free(struct pool *p);

/* len zeroed bytes (NULL when out of memory); from 2 MiB on mapped on
 * their own and offered to transparent huge pages.  Free with
 * pool_zfree(m, len), the same len. */
void *pool_zalloc(size_t len);
void pool_zfree(void *m, size_t len);

#endif /* OSPREY_POOL_H */
