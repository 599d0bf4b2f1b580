// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The signature store (see sigstore.h): an allocation list freed as one,
 * OS class and name interning with p0f's ids, and record lists.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sigstore.h"

/* One allocation owned by the db (flavors, sys lists, records). */
struct arena_blk {
	struct arena_blk *next;
	max_align_t data[];
};

void *sigstore_alloc(struct sigdb *db, size_t n)
{
	struct arena_blk *b = calloc(1, sizeof(*b) + n);

	if (!b)
		return NULL;
	b->next = db->arena;
	db->arena = b;
	return b->data;
}

char *sigstore_strndup(struct sigdb *db, const char *s, size_t n)
{
	char *d = sigstore_alloc(db, n + 1);

	if (d)
		memcpy(d, s, n);
	return d;
}

void *sigstore_grow(struct sigdb *db, void *arr, u32 cnt, u32 *cap, size_t elem)
{
	u32 ncap;
	void *na;

	if (cnt < *cap)
		return arr;
	ncap = *cap ? *cap * 2 : 8;
	na = sigstore_alloc(db, (size_t)ncap * elem);
	if (!na)
		return NULL;
	if (cnt)
		memcpy(na, arr, (size_t)cnt * elem);
	*cap = ncap;
	return na;
}

int rec_list_push(struct rec_list *rl, void *item)
{
	if (rl->cnt == rl->cap) {
		u32 cap = rl->cap ? rl->cap * 2 : 8;
		void **nv = realloc(rl->v, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		rl->v = nv;
		rl->cap = cap;
	}
	/* the first file appends (front == cnt); overlays insert */
	memmove(rl->v + rl->front + 1, rl->v + rl->front,
		(rl->cnt - rl->front) * sizeof(*rl->v));
	rl->v[rl->front++] = item;
	rl->cnt++;
	return 0;
}

s32 rec_list_in_front(const struct rec_list *rl, const void *item)
{
	u32 i;

	for (i = 0; i < rl->front; i++)
		if (rl->v[i] == item)
			return (s32)i;
	return -1;
}

u32 rec_list_drop_old(struct rec_list *rl,
		      int (*same)(const void *rec, const void *ctx),
		      const void *ctx)
{
	u32 i, n = rl->front;

	for (i = rl->front; i < rl->cnt; i++)
		if (!same(rl->v[i], ctx))
			rl->v[n++] = rl->v[i];
	i = rl->cnt - n;
	rl->cnt = n;
	return i;
}

void sigstore_begin_file(struct sigdb *db)
{
	u32 d, i;

	for (d = 0; d < 2; d++) {
		for (i = 0; i < SIG_BUCKETS; i++)
			db->tcp[d][i].front = 0;
		db->http[d].front = 0;
	}
	for (i = 0; i < SIG_BUCKETS; i++)
		db->mtu[i].front = 0;
	db->ua_map_front = 0;
	db->file_cnt++;
}

static int push_str(char ***arr, u32 *cnt, const char *s, size_t n)
{
	char **na = realloc(*arr, (*cnt + 1) * sizeof(*na));
	char *d;

	if (!na)
		return -ENOMEM;
	*arr = na;
	d = strndup(s, n);
	if (!d)
		return -ENOMEM;
	na[(*cnt)++] = d;
	return 0;
}

s32 sigdb_lookup_name(const struct sigdb *db, const char *name, size_t len)
{
	u32 i;

	for (i = 0; i < db->name_cnt; i++)
		if (!strncasecmp(name, db->names[i], len) && !db->names[i][len])
			return (s32)i;
	return -1;
}

s32 sigstore_intern_name(struct sigdb *db, const char *name, size_t len)
{
	s32 id = sigdb_lookup_name(db, name, len);

	if (id >= 0)
		return id;
	if (push_str(&db->names, &db->name_cnt, name, len))
		return -ENOMEM;
	return (s32)db->name_cnt - 1;
}

int sigstore_add_class(struct sigdb *db, const char *name, size_t len)
{
	return push_str(&db->classes, &db->class_cnt, name, len);
}

s32 sigstore_find_class(const struct sigdb *db, const char *name)
{
	u32 i;

	for (i = 0; i < db->class_cnt; i++)
		if (!strcasecmp(name, db->classes[i]))
			return (s32)i;
	return -1;
}

static void free_strs(char **v, u32 cnt)
{
	u32 i;

	for (i = 0; i < cnt; i++)
		free(v[i]);
	free(v);
}

void sigdb_free(struct sigdb *db)
{
	struct arena_blk *b, *nx;
	u32 d, i;

	if (!db)
		return;
	for (d = 0; d < 2; d++) {
		for (i = 0; i < SIG_BUCKETS; i++)
			free(db->tcp[d][i].v);
		free(db->http[d].v);
	}
	for (i = 0; i < SIG_BUCKETS; i++)
		free(db->mtu[i].v);
	free_strs(db->classes, db->class_cnt);
	free_strs(db->names, db->name_cnt);
	for (b = db->arena; b; b = nx) {
		nx = b->next;
		free(b);
	}
	memset(db, 0, sizeof(*db));
}
