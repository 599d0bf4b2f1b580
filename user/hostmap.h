/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * State the daemon publishes in bpffs for readers that are not the daemon
 * (`osprey lookup`, `osprey stats`, tc/iptables programs, bpftool):
 *
 *   PIN_DIR/hosts    struct osprey_host per address (LRU, created by the
 *                    capture object; hostmap.c fills it from the engine)
 *   PIN_DIR/dstats   daemon counters: u32 index (enum dstat) -> u64,
 *                    an array created here from userspace
 *
 * Both outlive the daemon: a lookup after it stopped still answers, and
 * `osprey stats` shows what the last run counted.
 */
#ifndef OSPREY_HOSTMAP_H
#define OSPREY_HOSTMAP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "bpf/osprey_abi.h"
#include "user/engine/engine.h"

/* ------------------------------------------------------------ hosts */

/* Key of an address (IPv4 left-aligned, rest zero). */
void hostmap_key(struct osprey_host_key *k, const u8 *addr, u8 ip_ver);
/* Translate an engine host into the pinned record (every field). */
void hostmap_fill(struct osprey_host *v, const struct sigdb *db,
		  const struct host *h);
/* Write h's record into the hosts map fd.  0 or -errno. */
int hostmap_update(int fd, const struct sigdb *db, const struct host *h);
/*
 * Writes gathered over a ring buffer round and done in one
 * BPF_MAP_UPDATE_BATCH (one element at a time on kernels without it).
 * Each element is replaced whole, as a single update does, so a reader
 * sees a host's old record or its new one, never a mix.
 */
/*
 * The hosts to write to the pinned map (of map_entries entries) at the
 * next flush, the most recently noted first to go in last.
 */
struct hostmap_batch;
int hostmap_batch_new(struct hostmap_batch **out, uint32_t map_entries);
void hostmap_batch_free(struct hostmap_batch *b);
/* Note the engine's record h for the next flush.  1 when the batch is
 * full and must be flushed before the next host (only for maps larger
 * than the batch may grow), else 0. */
int hostmap_batch_add(struct hostmap_batch *b, const struct host *h);
uint32_t hostmap_batch_pending(const struct hostmap_batch *b);
/* Hosts not written because as many more recent ones as the map holds
 * were noted after them (the map would have evicted them at once). */
uint64_t hostmap_batch_superseded(const struct hostmap_batch *b);
/* Write the noted hosts as the engine has them now into fd, and empty the
 * batch (hosts the engine pruned meanwhile are not written).  *written and
 * *failed count records written and refused.  0 or -errno of a failure. */
int hostmap_batch_flush(struct hostmap_batch *b, int fd, struct engine *e,
			uint64_t *written, uint64_t *failed);
/*
 * Open the pinned map DIR/NAME.  Readers pass rdonly: BPF_OBJ_GET with
 * BPF_F_RDONLY needs only read permission on the pin, so a member of the
 * --group the pins belong to (0640) can read them.  fd or -errno.
 */
int pinned_map_open(const char *dir, const char *name, bool rdonly);
/* Open PIN_DIR/hosts read-only.  fd, -EPROTO for a map of another
 * layout (an older osprey's), or -errno. */
int hostmap_open(const char *pin_dir);
/* Remove a pinned PIN_DIR/hosts of another layout, so that the next
 * object loaded pins a new one (its contents come back from traffic).
 * 0 none or same layout, 1 removed, or -errno. */
int hostmap_drop_stale(const char *pin_dir);
/* The map's max_entries (0 if fd is not a map). */
uint32_t hostmap_capacity(int fd);
/* Read one record.  0, -ENOENT when the host is unknown, or -errno. */
int hostmap_get(int fd, const u8 *addr, u8 ip_ver, struct osprey_host *v);

/* "192.0.2.1" or "2001:db8::1" into addr/ip_ver.  0 or -EINVAL. */
int hostmap_parse_addr(const char *s, u8 addr[16], u8 *ip_ver);

/* Print a record the way p0f-client prints an API answer. */
void hostmap_print(FILE *fp, const struct osprey_host *v);
/* The same as one JSON object (one line): the "lookup" record of
 * tools/osprey.schema.json, for the address addr/ip_ver. */
void hostmap_print_json(FILE *fp, const u8 *addr, u8 ip_ver,
			const struct osprey_host *v);
/* The JSON record of the address text addr in the hosts map fd.  0,
 * -EINVAL (not an address), -ENOENT (unknown host) or -errno. */
int hostmap_json_of(int fd, const char *addr, FILE *fp);

/* ----------------------------------------------------------- dstats */

#define DSTATS_MAP "dstats"
/* Room for counters added later without changing the map's size. */
#define DSTATS_ENTRIES 64

enum dstat {
	DST_PID, /* pid of the daemon that wrote these */
	DST_RUNNING, /* 1 while it runs, 0 after a clean stop */
	DST_START_TIME, /* unix seconds */
	DST_UPDATE_TIME, /* unix seconds of the last update */
	DST_EVENTS, /* ring buffer records consumed */
	DST_EVENT_BYTES, /* packet bytes handed to the engine */
	DST_ENGINE_ERRORS, /* packets the engine could not parse */
	DST_BAD_RECORDS, /* malformed ring buffer records */
	DST_RB_DROPS, /* kernel: ring buffer full (copy) */
	DST_HOSTS, /* hosts in the engine's table now */
	DST_FLOWS, /* connections tracked now */
	DST_CONNECTIONS, /* connections seen since start */
	DST_HOST_UPDATES, /* hosts map writes */
	DST_HOST_UPDATE_ERRORS, /* hosts map writes that failed */
	DST_API_QUERIES, /* API queries answered */
	DST_API_REJECTED, /* API clients turned away (-S limit) */
	DST_OBS_FIRST, /* observations by module, obs_mod_names */
	DST_OBS_LAST = DST_OBS_FIRST + 9,
	DST_FILTERED, /* events the filter expression rejected */
	DST_API_IDLE_CLOSED, /* API clients closed after the idle timeout */
	/* added after the layout above, which stays as it was */
	DST_OBS_TLS_CLIENT, /* observations of the modules after obs_mod_names' */
	DST_OBS_TLS_SERVER, /* first ten, in their order */
	DST_TLS_INCOMPLETE, /* hellos begun and not completed */
	DST_TLS_REFUSED, /* hellos malformed, SSLv2 or too large */
	DST_HOST_SUPERSEDED, /* hosts map writes left out: superseded */
	DST_TIMES_ESTIMATED, /* event times from the tick alone (evclock) */
	DST_MAX,
};
_Static_assert(DST_MAX <= DSTATS_ENTRIES, "dstats map too small");

extern const char *const dstat_names[DST_MAX];
/* The counter of an observation module (obs_mod_index()), or -1. */
int dstat_obs_index(int mod);

/*
 * Open PIN_DIR/dstats, creating and pinning it when absent (create) or
 * when a pinned one has another layout.  fd or -errno.
 */
int dstats_open(const char *pin_dir, bool create);
/* Store / load all counters.  0 or -errno. */
int dstats_store(int fd, const uint64_t v[DST_MAX]);
int dstats_load(int fd, uint64_t v[DST_MAX]);

#endif /* OSPREY_HOSTMAP_H */
