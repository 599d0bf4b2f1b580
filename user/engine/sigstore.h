/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The signature store: the memory a struct sigdb is made of.
 *
 * This is the bottom layer of the database.  The .fp reader (sigdb.c) and
 * the modules' registration code (tcp_sig.c, mtu.c, http_sig.c) put what
 * they parse here; the store calls nobody.  Everything it hands out lives
 * until sigdb_free(), so a failed load is undone by one call.
 */
#ifndef OSPREY_SIGSTORE_H
#define OSPREY_SIGSTORE_H

#include <string.h>

#include "engine.h"

/*
 * What the label and sys lines before a sig line said; the reader hands
 * it to the module that registers the sig.  sys entries are name ids, or
 * class ids with SYS_CLASS_FLAG ("@class").
 */
struct sig_label {
	u8 generic;
	s32 class_id; /* -1 for s:!:... app labels */
	s32 name_id;
	const char *flavor; /* NULL if empty */
	u32 label_id;
	u32 *sys;
	u32 sys_cnt;
};
#define SYS_CLASS_FLAG (1u << 31)
#define SYS_NF(x) ((x) & ~SYS_CLASS_FLAG)

/* Characters of OS/app names in labels, sys and ua_os lines (p0f's). */
#define NAME_CHARS " ./-_!?()"
static inline int sig_name_char(u8 c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr(NAME_CHARS, c));
}

/* Zeroed memory owned by db (records, flavors, sys lists, header names). */
void *sigstore_alloc(struct sigdb *db, size_t n);
/* A NUL-terminated copy of s[0..n) owned by db, or NULL. */
char *sigstore_strndup(struct sigdb *db, const char *s, size_t n);
/*
 * Room for one more element in an array owned by db: returns `arr` when
 * *cap > cnt, else a copy with twice the room (*cap updated), or NULL.
 * The old copy stays in the store until sigdb_free().
 */
void *sigstore_grow(struct sigdb *db, void *arr, u32 cnt, u32 *cap,
		    size_t elem);
/* Add a record of the file being read, after the file's earlier ones and
 * ahead of earlier files' (rec_list in engine.h).  0 or -ENOMEM. */
int rec_list_push(struct rec_list *rl, void *item);
/* Index of item among the records of the file being read, or -1. */
s32 rec_list_in_front(const struct rec_list *rl, const void *item);
/* Drop the earlier files' records for which same(rec, ctx) holds: an
 * overlay's record replaces them.  Returns how many went. */
u32 rec_list_drop_old(struct rec_list *rl,
		      int (*same)(const void *rec, const void *ctx),
		      const void *ctx);
/* A new file begins: its records go ahead of everything read so far. */
void sigstore_begin_file(struct sigdb *db);

/* p0f's lookup_name_id(): like sigdb_lookup_name(), but a name not seen
 * yet is added with the next id.  Returns the id or -ENOMEM. */
s32 sigstore_intern_name(struct sigdb *db, const char *name, size_t len);
/* Append an OS class ("classes = ..."); 0 or -ENOMEM. */
int sigstore_add_class(struct sigdb *db, const char *name, size_t len);
/* Id of an OS class (case-insensitive, as p0f), or -1. */
s32 sigstore_find_class(const struct sigdb *db, const char *name);

#endif /* OSPREY_SIGSTORE_H */
