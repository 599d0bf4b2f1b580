// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fixed-size object pools (pool.h).
 */
#include <stdlib.h>

#include "pool.h"

struct pool_slab {
	struct pool_slab *next;
	/* objects follow, pointer-aligned */
	void *obj[];
};

void pool_init(struct pool *p, size_t size, u32 per_slab)
{
	size_t w = sizeof(void *);

	p->size = (size < w ? w : size + w - 1) / w * w;
	p->per_slab = per_slab ? per_slab : 1;
	p->slabs = NULL;
	p->free = NULL;
	p->carve = NULL;
	p->carve_left = 0;
	p->live = 0;
	p->bytes = 0;
}

/* A new slab to carve objects from.  0 or -1 (out of memory). */
static int add_slab(struct pool *p)
{
	size_t len = sizeof(struct pool_slab) + (size_t)p->per_slab * p->size;
	/* zeroed: large callocs are fresh pages, zero at no cost */
	struct pool_slab *s = calloc(1, len);

	if (!s)
		return -1;
	s->next = p->slabs;
	p->slabs = s;
	p->carve = (char *)s->obj;
	p->carve_left = p->per_slab;
	p->bytes += sizeof(*s);
	return 0;
}

void *pool_get(struct pool *p)
{
	void *o = p->free;

	if (o) {
		p->free = *(void **)o;
	} else {
		if (!p->carve_left && add_slab(p))
			return NULL;
		o = p->carve;
		p->carve += p->size;
		p->carve_left--;
		p->bytes += p->size;
	}
	p->live++;
	return o;
}

void pool_put(struct pool *p, void *obj)
{
	if (!obj)
		return;
	*(void **)obj = p->free;
	p->free = obj;
	p->live--;
}

void *pool_take_free(struct pool *p)
{
	void *o = p->free;

	if (o) {
		p->free = *(void **)o;
		*(void **)o = NULL;
		p->live++;
	}
	return o;
}

void pool_free(struct pool *p)
{
	struct pool_slab *s;

	while ((s = p->slabs)) {
		p->slabs = s->next;
		free(s);
	}
	pool_init(p, p->size, p->per_slab);
}
