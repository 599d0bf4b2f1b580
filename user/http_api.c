// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The HTTP API (http_api.h) on libmicrohttpd.  The listening socket is
 * ours (so a bind error is reported as such); libmicrohttpd parses the
 * requests and runs in external-epoll mode, each step driven by the
 * caller's loop through http_api_run().
 *
 * Bounds: HTTP_MAX_CONN connections at once (HTTP_MAX_PER_IP from one
 * address), HTTP_TIMEOUT_S seconds of inactivity before a connection is
 * closed, HTTP_CONN_MEM bytes of request memory per connection; only GET
 * and HEAD are answered, with a body produced in one go by the daemon.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <microhttpd.h>

#include "user/engine/engine.h"
#include "user/http_api.h"
#include "user/log.h"
#include "user/parse.h"

#define HTTP_MAX_CONN 16
#define HTTP_MAX_PER_IP 8
#define HTTP_TIMEOUT_S 5
#define HTTP_CONN_MEM (32u << 10)
#define HTTP_BACKLOG 16

struct http_api {
	struct MHD_Daemon *d;
	int listen_fd;
	struct http_api_ops ops;
	uint64_t requests;
};

/* ------------------------------------------------------------ listen */

static int listen_on(const struct sockaddr_storage *sa)
{
	socklen_t len = sa->ss_family == AF_INET6 ?
				sizeof(struct sockaddr_in6) :
				sizeof(struct sockaddr_in);
	int fd, one = 1, rc;

	fd = socket(sa->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (sa->ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)sa, len) ||
	    listen(fd, HTTP_BACKLOG)) {
		rc = -errno;
		close(fd);
		return rc;
	}
	return fd;
}

/* ----------------------------------------------------------- requests */

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int status,
			     const char *type, char *body, size_t len)
{
	struct MHD_Response *r;
	enum MHD_Result ok;

	r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	ok = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ok;
}

/* An error as a small JSON object. */
static enum MHD_Result reply_error(struct MHD_Connection *c,
				   unsigned int status, const char *what)
{
	char *body = NULL;

	if (asprintf(&body, "{\"error\":\"%s\"}\n", what) < 0)
		return MHD_NO;
	return reply(c, status, "application/json", body, strlen(body));
}

/* Run a body writer; its status as HTTP's. */
static enum MHD_Result produce(struct MHD_Connection *c, const char *type,
			       int (*fn)(void *, const char *, FILE *),
			       void *ctx, const char *arg)
{
	char *body = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&body, &len);
	int rc;

	if (!fp)
		return reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
				   "out of memory");
	rc = fn(ctx, arg, fp);
	if (fclose(fp) && !rc)
		rc = -ENOMEM;
	if (!rc)
		return reply(c, MHD_HTTP_OK, type, body, len);
	free(body);
	if (rc == -ENOENT)
		return reply_error(c, MHD_HTTP_NOT_FOUND, "host not known");
	if (rc == -EINVAL)
		return reply_error(c, MHD_HTTP_BAD_REQUEST,
				   "not an IPv4 or IPv6 address");
	return reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, strerror(-rc));
}

static int metrics_body(void *ctx, const char *arg, FILE *fp)
{
	const struct http_api *a = ctx;

	(void)arg;
	return a->ops.metrics(a->ops.ctx, fp);
}

static int host_body(void *ctx, const char *arg, FILE *fp)
{
	const struct http_api *a = ctx;

	return a->ops.host(a->ops.ctx, arg, fp);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_len, void **req)
{
	struct http_api *a = cls;

	(void)version;
	(void)upload;
	(void)req;
	a->requests++;
	if (strcmp(method, MHD_HTTP_METHOD_GET) &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply_error(c, MHD_HTTP_METHOD_NOT_ALLOWED,
				   "only GET and HEAD");
	if (*upload_len)
		return reply_error(c, MHD_HTTP_BAD_REQUEST,
				   "a GET takes no body");
	if (!strcmp(url, "/metrics"))
		return produce(c, "text/plain; version=0.0.4; charset=utf-8",
			       metrics_body, a, NULL);
	if (!strncmp(url, "/hosts/", 7) && url[7])
		return produce(c, "application/json", host_body, a, url + 7);
	return reply_error(c, MHD_HTTP_NOT_FOUND,
			   "try /metrics or /hosts/ADDR");
}

/* libmicrohttpd's complaints, as our warnings (no trailing newline). */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[256];
	size_t n;

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	pr_debug("http: %s", msg);
}

/* ---------------------------------------------------------- lifecycle */

int http_api_open(struct http_api **out, const char *spec,
		  const struct http_api_ops *ops, char *err, size_t errlen)
{
	struct sockaddr_storage sa;
	struct http_api *a;
	int rc;

	*out = NULL;
	rc = parse_listen_addr(spec, &sa, err, errlen);
	if (rc)
		return rc;
	a = calloc(1, sizeof(*a));
	if (!a) {
		errmsg(err, errlen, "out of memory");
		return -ENOMEM;
	}
	a->ops = *ops;
	a->listen_fd = listen_on(&sa);
	if (a->listen_fd < 0) {
		rc = a->listen_fd;
		errmsg(err, errlen, "--http %s: %s", spec, strerror(-rc));
		free(a);
		return rc;
	}
	a->d = MHD_start_daemon(
		MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
			(sa.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0),
		0, NULL, NULL, on_request, a, MHD_OPTION_EXTERNAL_LOGGER,
		mhd_log, NULL, MHD_OPTION_LISTEN_SOCKET, a->listen_fd,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned int)HTTP_MAX_CONN,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT,
		(unsigned int)HTTP_MAX_PER_IP, MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned int)HTTP_TIMEOUT_S,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_CONN_MEM,
		MHD_OPTION_END);
	if (!a->d) {
		errmsg(err, errlen, "--http %s: libmicrohttpd did not start",
		       spec);
		close(a->listen_fd);
		free(a);
		return -EIO;
	}
	*out = a;
	return 0;
}

int http_api_fd(const struct http_api *a)
{
	const union MHD_DaemonInfo *i =
		MHD_get_daemon_info(a->d, MHD_DAEMON_INFO_EPOLL_FD);

	return i ? i->epoll_fd : -1;
}

void http_api_run(struct http_api *a)
{
	if (a)
		MHD_run(a->d);
}

uint64_t http_api_requests(const struct http_api *a)
{
	return a ? a->requests : 0;
}

void http_api_close(struct http_api *a)
{
	if (!a)
		return;
	MHD_stop_daemon(a->d); /* closes the listening socket too */
	free(a);
}
