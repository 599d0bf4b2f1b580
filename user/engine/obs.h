/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * obs.c: how the modules build an observation (struct obs, engine.h) and
 * hand it to the engine's on_obs callback.
 */
#ifndef OSPREY_OBS_H
#define OSPREY_OBS_H

#include "engine.h"

/* Begin an observation about flow f (its client if to_srv). */
void obs_begin(struct engine *e, struct obs *o, const char *mod, u8 to_srv,
	       const struct flow *f);
/* Add key=value; printf rules (%s and %u without printf's cost). */
void obs_add(struct obs *o, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Add key with an unknown value (printed "???"). */
void obs_add_unknown(struct obs *o, const char *key);
/* Write a value in place: obs_field_buf() gives where (room bytes, at
 * most OBS_VAL_LEN, NULL when the obs is full), obs_field_done() adds the
 * field once len bytes are there (len < room; a NUL is put after them). */
char *obs_field_buf(struct obs *o, size_t *room);
void obs_field_done(struct obs *o, const char *key, size_t len);
/* Count the observation and hand it to on_obs (and its host to on_host). */
void obs_emit(struct engine *e, struct obs *o);

#endif /* OSPREY_OBS_H */
