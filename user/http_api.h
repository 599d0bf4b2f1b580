/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The HTTP API (--http ADDR:PORT): GET /metrics (Prometheus text format)
 * and GET /hosts/ADDR (the `osprey lookup --json` record), served by
 * libmicrohttpd in its external-epoll mode: it runs no thread of its own,
 * the daemon's event loop watches http_api_fd() and calls http_api_run(),
 * so the handlers read the engine's state from the loop's own thread.
 * Connections and the time each may take are bounded.
 */
#ifndef OSPREY_HTTP_API_H
#define OSPREY_HTTP_API_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct http_api;

/* What the daemon answers with: write the body into fp; 0, or -ENOENT
 * (404) / -EINVAL (400) / another -errno (500). */
struct http_api_ops {
	int (*metrics)(void *ctx, FILE *fp);
	int (*host)(void *ctx, const char *addr, FILE *fp);
	void *ctx;
};

/* Listen on spec (parse_listen_addr) and start serving (no thread).
 * 0 or -errno, err set. */
int http_api_open(struct http_api **out, const char *spec,
		  const struct http_api_ops *ops, char *err, size_t errlen);
/* The fd to watch for readability (libmicrohttpd's epoll fd). */
int http_api_fd(const struct http_api *a);
/* Do the work that is ready, and time out idle connections; call when
 * http_api_fd() is readable and once a second. */
void http_api_run(struct http_api *a);
/* Requests answered (any status) since the start. */
uint64_t http_api_requests(const struct http_api *a);
void http_api_close(struct http_api *a);

#endif /* OSPREY_HTTP_API_H */
