/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Live capture (live.c): attach the XDP program, feed its events to the
 * engine, publish (sinks, pinned maps, API socket) until SIGINT/SIGTERM.
 */
#ifndef OSPREY_LIVE_H
#define OSPREY_LIVE_H

#include "user/engine/engine.h"
#include "user/options.h"
#include "user/sinks.h"

/* Returns an exit status once stopped or on a fatal error (logged). */
int live_run(const struct osprey_opts *o, struct engine *e, struct sinks *s);

#endif /* OSPREY_LIVE_H */
