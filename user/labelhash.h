/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Stable ids for OS labels, shared by the hosts map writer and the policy
 * CLI: 32-bit FNV-1a over the text.  Text ids survive restarts and
 * database edits, where numeric class/name ids would not.
 *   class id  = fnv1a("unix")
 *   name id   = fnv1a("Linux")
 *   label id  = fnv1a("unix:Linux:3.11 and newer")  (flavor may be empty)
 */
#ifndef OSPREY_LABELHASH_H
#define OSPREY_LABELHASH_H

#include <stdint.h>
#include <stdio.h>

static inline uint32_t osprey_fnv1a(const char *s)
{
	uint32_t h = 2166136261u;

	while (s && *s) {
		h ^= (uint8_t)*s++;
		h *= 16777619u;
	}
	return h;
}

/* FNV-1a of s continued from h, at most *budget bytes (counted down). */
static inline uint32_t osprey_fnv1a_more(uint32_t h, const char *s,
					 uint32_t *budget)
{
	while (s && *s && *budget) {
		h ^= (uint8_t)*s++;
		h *= 16777619u;
		(*budget)--;
	}
	return h;
}

/*
 * fnv1a("CLASS:NAME:FLAVOR") of the text as a 256-byte buffer holds it
 * (255 characters at most), hashed as it goes: the hosts map writer does
 * this for every host record, and formatting the text first cost more
 * than the rest of the record.
 */
static inline uint32_t osprey_label_hash(const char *cls, const char *name,
					 const char *flavor)
{
	uint32_t budget = 255, h = 2166136261u;

	h = osprey_fnv1a_more(h, cls, &budget);
	h = osprey_fnv1a_more(h, ":", &budget);
	h = osprey_fnv1a_more(h, name, &budget);
	h = osprey_fnv1a_more(h, ":", &budget);
	return osprey_fnv1a_more(h, flavor, &budget);
}

#endif /* OSPREY_LABELHASH_H */
