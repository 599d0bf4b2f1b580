// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Hosts' JA4 / SNI pairs, shared and counted (host_tls.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "host_tls.h"

#define PAIR_BUCKETS 4096

struct host_tls_table {
	struct host_tls *b[PAIR_BUCKETS];
	u32 cnt;
};

/* FNV-1a over both strings (the NUL between them included). */
static u32 pair_hash(const char *ja4, const char *sni)
{
	u32 h = 2166136261u;

	for (; *ja4; ja4++)
		h = (h ^ (u8)*ja4) * 16777619u;
	h *= 16777619u;
	for (; *sni; sni++)
		h = (h ^ (u8)*sni) * 16777619u;
	return h;
}

/* The SNI as kept: whole if it fits, else its start and "...", cut
 * before a "\xHH" escape rather than through it. */
static void cut_sni(char out[HOST_SNI_SIZE], const char *sni)
{
	size_t n = strlen(sni), cut, i;

	if (n < HOST_SNI_SIZE) {
		memcpy(out, sni, n + 1);
		return;
	}
	cut = HOST_SNI_SIZE - 4;
	for (i = cut - 3; i < cut; i++)
		if (sni[i] == '\\')
			cut = i;
	memcpy(out, sni, cut);
	memcpy(out + cut, "...", 4);
}

static void put(struct engine *e, const struct host_tls *ct)
{
	struct host_tls_table *t = e->host_tls;
	struct host_tls **pp, *p = (struct host_tls *)ct;

	if (!p || --p->refs)
		return;
	for (pp = &t->b[p->hash % PAIR_BUCKETS]; *pp; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	}
	t->cnt--;
	free(p);
}

int host_tls_set(struct engine *e, struct host *h, const char *ja4,
		 const char *sni)
{
	char kept[HOST_SNI_SIZE];
	struct host_tls *p;
	u32 hash;

	if (!e->host_tls && !(e->host_tls = calloc(1, sizeof(*e->host_tls))))
		return -ENOMEM;
	cut_sni(kept, sni);
	hash = pair_hash(ja4, kept);
	if (h->tls && h->tls->hash == hash && !strcmp(h->tls->ja4, ja4) &&
	    !strcmp(h->tls->sni, kept))
		return 0; /* the same pair again: the common case */
	for (p = e->host_tls->b[hash % PAIR_BUCKETS]; p; p = p->next)
		if (p->hash == hash && !strcmp(p->ja4, ja4) &&
		    !strcmp(p->sni, kept))
			break;
	if (!p) {
		p = calloc(1, sizeof(*p));
		if (!p)
			return -ENOMEM;
		p->hash = hash;
		memcpy(p->ja4, ja4, strnlen(ja4, sizeof(p->ja4) - 1));
		memcpy(p->sni, kept, sizeof(kept));
		p->next = e->host_tls->b[hash % PAIR_BUCKETS];
		e->host_tls->b[hash % PAIR_BUCKETS] = p;
		e->host_tls->cnt++;
	}
	p->refs++;
	put(e, h->tls);
	h->tls = p;
	return 0;
}

void host_tls_drop(struct engine *e, struct host *h)
{
	put(e, h->tls);
	h->tls = NULL;
}

void host_tls_free(struct engine *e)
{
	struct host_tls_table *t = e->host_tls;
	struct host_tls *p;
	u32 i;

	if (!t)
		return;
	for (i = 0; i < PAIR_BUCKETS; i++) {
		while ((p = t->b[i])) {
			t->b[i] = p->next;
			free(p);
		}
	}
	free(t);
	e->host_tls = NULL;
}
