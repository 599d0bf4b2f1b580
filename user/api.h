/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * p0f 3 API socket (-s PATH, -S max clients): a unix stream socket that
 * answers 21-byte queries with 232-byte responses, byte for byte the
 * layout, magic numbers and status codes of p0f 3.09b, from the engine's
 * in-memory host table (and the pinned hosts map for hosts it does not
 * know).  Clients idle for the idle timeout are closed.  Everything is non-blocking and driven by the
 * daemon's epoll loop, so a slow or stuck client never stalls capture.
 */
#ifndef OSPREY_API_H
#define OSPREY_API_H

#include <stddef.h>
#include <stdint.h>
#include "user/engine/engine.h"

#define P0F_QUERY_MAGIC 0x50304601u
#define P0F_RESP_MAGIC 0x50304602u

#define P0F_STATUS_BADQUERY 0x00
#define P0F_STATUS_OK 0x10
#define P0F_STATUS_NOMATCH 0x20

#define P0F_ADDR_IPV4 0x04
#define P0F_ADDR_IPV6 0x06

#define P0F_STR_MAX 31
#define P0F_MATCH_FUZZY 0x01
#define P0F_MATCH_GENERIC 0x02

/* Integers are in host byte order, as p0f sends them. */
struct p0f_api_query {
	uint32_t magic;
	uint8_t addr_type; /* P0F_ADDR_* */
	uint8_t addr[16]; /* network order, IPv4 left-aligned */
} __attribute__((packed));
_Static_assert(sizeof(struct p0f_api_query) == 21, "p0f query layout");

struct p0f_api_response {
	uint32_t magic;
	uint32_t status; /* P0F_STATUS_* */
	uint32_t first_seen; /* unix seconds */
	uint32_t last_seen;
	uint32_t total_conn;
	uint32_t uptime_min; /* 0 when unknown */
	uint32_t up_mod_days;
	uint32_t last_nat;
	uint32_t last_chg;
	int16_t distance;
	uint8_t bad_sw;
	uint8_t os_match_q; /* P0F_MATCH_* bits */
	char os_name[P0F_STR_MAX + 1];
	char os_flavor[P0F_STR_MAX + 1];
	char http_name[P0F_STR_MAX + 1];
	char http_flavor[P0F_STR_MAX + 1];
	char link_type[P0F_STR_MAX + 1];
	char language[P0F_STR_MAX + 1];
} __attribute__((packed));
_Static_assert(sizeof(struct p0f_api_response) == 232, "p0f response layout");

struct api_server;

/*
 * Create the socket at path (replacing a stale socket, refusing any other
 * file), mode 0660 owned by `group` when given, else 0600.  max_clients
 * is p0f's -S (1..100).  0 or -errno with a message in err.
 */
int api_open(struct api_server **out, const char *path, int max_clients,
	     const char *group, struct engine *e, char *err, size_t errlen);
/* One fd for the caller's epoll: readable when anything needs service. */
int api_fd(const struct api_server *a);
/* Accept, read queries, write answers: whatever is ready, never blocks. */
void api_service(struct api_server *a);
/* Queries answered, clients refused and clients closed as idle so far. */
uint64_t api_queries(const struct api_server *a);
uint64_t api_rejected(const struct api_server *a);
uint64_t api_timed_out(const struct api_server *a);
/* Answer hosts the engine does not know from the pinned hosts map fd
 * (-1: none), as `osprey lookup` does; e.g. after a restart. */
void api_set_hosts_map(struct api_server *a, int fd);
/* Close clients idle (no byte in or out) for this long; 0: never. */
void api_set_idle_timeout(struct api_server *a, uint32_t seconds);
/* Close the clients idle too long (call every second or so). */
void api_expire(struct api_server *a);
/* Close every client and the socket, and remove the socket file. */
void api_close(struct api_server *a);

/* The answer to one query from the engine's host table, else from the
 * pinned hosts map hosts_fd (-1: none). */
void api_answer(struct engine *e, int hosts_fd, const struct p0f_api_query *q,
		struct p0f_api_response *r);

#endif /* OSPREY_API_H */
