// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fixed-size object pools (pool.h).
 *
 * Slabs double in size (per_slab objects first, up to MAX_SLAB_BYTES), so
 * a small table takes little and a large one few slabs.  Slabs of 2 MiB
 * and more are 2 MiB aligned and offered to transparent huge pages: with
 * a million hosts the records span hundreds of MB, and a lookup that
 * needs no page walk (the TLB covers them) is a good part faster.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "pool.h"

/* Slabs and the objects in them start on a cache line: an object whose
 * size is a multiple of 64 (a host block) takes whole lines. */
#define LINE 64

struct pool_slab {
	struct pool_slab *next;
	size_t len; /* bytes, header included */
	_Alignas(LINE) char obj[];
};

void pool_init(struct pool *p, size_t size, u32 per_slab)
{
	size_t w = sizeof(void *);

	p->size = (size < w ? w : size + w - 1) / w * w;
	p->per_slab = per_slab ? per_slab : 1;
	p->next_slab = p->per_slab;
	p->slabs = NULL;
	p->free = NULL;
	p->carve = NULL;
	p->carve_left = 0;
	p->live = 0;
	p->bytes = 0;
}

#define HUGE_PAGE (2u << 20)
#define MAX_SLAB_BYTES (32u << 20)

void *pool_zalloc(size_t len)
{
	void *m;

	if (len < HUGE_PAGE)
		return calloc(1, len); /* large callocs are fresh zero pages */
	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	madvise(m, len, MADV_HUGEPAGE); /* a hint: fine if refused */
	return m;
}

void pool_zfree(void *m, size_t len)
{
	if (len < HUGE_PAGE)
		free(m);
	else if (m)
		munmap(m, len);
}

/* len zeroed bytes on a cache line; pool_zfree(m, len) frees them. */
static void *slab_zalloc(size_t len)
{
	void *m;

	if (len >= HUGE_PAGE)
		return pool_zalloc(len); /* page-aligned */
	m = aligned_alloc(LINE, len);
	if (m)
		memset(m, 0, len);
	return m;
}

/* A new slab to carve objects from.  0 or -1 (out of memory). */
static int add_slab(struct pool *p)
{
	u32 n = p->next_slab;
	size_t len = sizeof(struct pool_slab) + (size_t)n * p->size;
	struct pool_slab *s;

	if (len >= HUGE_PAGE) /* whole huge pages: no tail left unused */
		len = (len + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
	else /* aligned_alloc wants a multiple of the alignment */
		len = (len + LINE - 1) / LINE * LINE;
	s = slab_zalloc(len);
	if (!s)
		return -1;
	s->next = p->slabs;
	s->len = len;
	p->slabs = s;
	p->carve = (char *)s->obj;
	p->carve_left = (len - sizeof(*s)) / p->size;
	p->bytes += sizeof(*s);
	if ((size_t)n * 2 * p->size <= MAX_SLAB_BYTES)
		p->next_slab = n * 2;
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
		pool_zfree(s, s->len);
	}
	pool_init(p, p->size, p->per_slab);
}
