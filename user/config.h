/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The configuration file's syntax (/etc/osprey/osprey.conf): KEY = VALUE
 * lines, '#' comments, optional double quotes.  What the keys mean is the
 * caller's: options.c hands each one to its options table.
 */
#ifndef OSPREY_CONFIG_H
#define OSPREY_CONFIG_H

#include <stddef.h>

/*
 * One KEY = VALUE line.  val is a copy that stays valid until
 * config_release() (the callee may keep it, or cut it up in place).
 * 0, or -errno with what is wrong in err.
 */
typedef int (*config_set_fn)(void *ctx, const char *key, char *val, char *err,
			     size_t errlen);

/* Every line of path through set.  0, or -errno with "file:line: what"
 * (or "file: what") in err. */
int config_read(const char *path, config_set_fn set, void *ctx, char *err,
		size_t errlen);
/* Free the value copies config_read made. */
void config_release(void);
/* Where the copies stand now; config_release_to() frees those made since
 * (a file read again while the first read's values are still in use). */
const void *config_mark(void);
void config_release_to(const void *mark);

#endif /* OSPREY_CONFIG_H */
