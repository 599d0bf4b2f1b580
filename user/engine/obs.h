/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * obs.c: how the modules build an observation (struct obs, engine.h) and
 * hand it to the engine's on_obs callback.
 */
#ifndef OSPREY_OBS_H
#define OSPREY_OBS_H

#include "engine.h"

struct sig_label;
struct strbuf;

/*
 * Begin an observation about flow f (its client if to_srv).  There is one
 * per engine (e->obs, set up by engine_init): each is emitted before the
 * next one begins, and the callbacks see it only while they run.
 */
struct obs *obs_begin(struct engine *e, const char *mod, u8 to_srv,
		      const struct flow *f);
/* The two ends of a connection an observation is about. */
struct obs_ends {
	u8 ip_ver;
	const u8 *cli, *srv; /* 4 or 16 bytes */
	u16 cli_port, srv_port;
};

/* The same for modules that keep no struct flow (TLS): the ends and the
 * host whose record the observation changes (NULL: none). */
struct obs *obs_begin_at(struct engine *e, const char *mod, u8 to_srv,
			 const struct obs_ends *ends,
			 const struct host *subject);
/* Add key=value; printf rules (%s and %u without printf's cost). */
void obs_add(struct obs *o, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Add key = "name flavor" of a matched signature's label, and set the
 * observation's structured label (the caller adds is_app and fuzzy). */
void obs_add_match(struct obs *o, const struct sigdb *db, const char *key,
		   const struct sig_label *lb);
/* Add key with an unknown value (printed "???"). */
void obs_add_unknown(struct obs *o, const char *key);
/* Write a value in place: obs_field_begin() gives a bounded strbuf over
 * the room for the next value (at most OBS_VAL_LEN bytes; none when the
 * obs is full), obs_field_end() adds the field with what sb holds. */
void obs_field_begin(struct obs *o, struct strbuf *sb);
void obs_field_end(struct obs *o, const char *key, const struct strbuf *sb);
/* Count the observation and hand it to on_obs (and its host to on_host). */
void obs_emit(struct engine *e, struct obs *o);

#endif /* OSPREY_OBS_H */
