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

static inline uint32_t osprey_label_hash(const char *cls, const char *name,
					 const char *flavor)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "%s:%s:%s", cls ? cls : "", name ? name : "",
		 flavor ? flavor : "");
	return osprey_fnv1a(buf);
}

#endif /* OSPREY_LABELHASH_H */
