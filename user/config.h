/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The configuration file (/etc/osprey/osprey.conf, `--config FILE`):
 * KEY = VALUE lines into struct osprey_opts.
 */
#ifndef OSPREY_CONFIG_H
#define OSPREY_CONFIG_H

#include <stddef.h>
#include "user/options.h"

/* 0, or -errno with "file:line: what" in err. */
int config_load(const char *path, struct osprey_opts *o, char *err,
		size_t errlen);
/* Free the strings config_load allocated (they live until then). */
void config_release(void);

#endif /* OSPREY_CONFIG_H */
