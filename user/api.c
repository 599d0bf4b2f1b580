// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * p0f 3 API socket.  Each client sends a 21-byte query and gets a 232-byte
 * response back, as many times as it likes on one connection.  A client is
 * either reading (query incomplete) or writing (answer pending); while an
 * answer is pending we stop reading from it, so a client that never reads
 * costs one slot and one buffer, never a blocked daemon.
 *
 * The sockets live on a private epoll instance whose fd the daemon adds to
 * its own loop; api_service() then handles whatever is ready.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "user/api.h"
#include "user/hostmap.h"
#include "user/log.h"

#define API_MAX_CLIENTS 100 /* p0f's upper bound for -S */
#define LISTEN_TAG 0u

struct api_client {
	int fd;
	uint64_t active_ms; /* last byte read or written, or accept */
	size_t in_off, out_off;
	struct p0f_api_query q;
	struct p0f_api_response r;
};

struct api_server {
	int listen_fd;
	int ep_fd;
	int max_clients;
	int n_clients;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct engine *e;
	int hosts_fd; /* the pinned hosts map, or -1 */
	uint32_t idle_ms; /* clients idle this long are closed; 0: never */
	uint64_t queries, rejected, timed_out;
	struct api_client cl[];
};

/* ----------------------------------------------------------- answer */

static void copy_field(char dst[P0F_STR_MAX + 1], const char *src)
{
	/* zero-padded like p0f's answer, and always terminated */
	memset(dst, 0, P0F_STR_MAX + 1);
	if (src)
		snprintf(dst, P0F_STR_MAX + 1, "%s", src);
}

/* The answer's fields from a host record (the pinned map's layout). */
static void answer_from(struct p0f_api_response *r, const struct osprey_host *v)
{
	r->status = P0F_STATUS_OK;
	r->first_seen = v->first_seen;
	r->last_seen = v->last_seen;
	r->total_conn = v->total_conn;
	if (v->uptime_min >= 0)
		r->uptime_min = v->uptime_min;
	r->up_mod_days = v->up_mod_days;
	r->last_nat = v->last_nat;
	r->last_chg = v->last_chg;
	/*
	 * p0f keeps the distance in a u8 that starts at -1 and copies it
	 * into the s16 answer, so a never-measured host reads 255 there (its
	 * README says -1).  Existing clients see p0f's bytes, so send those.
	 */
	r->distance = v->distance < 0 ? 255 : v->distance;
	r->bad_sw = v->bad_sw;
	r->os_match_q = v->os_quality;
	if (v->flags & OSPREY_HF_OS_KNOWN) {
		copy_field(r->os_name, v->os_name);
		copy_field(r->os_flavor, v->os_flavor);
	}
	if (v->flags & OSPREY_HF_HTTP_KNOWN) {
		copy_field(r->http_name, v->http_name);
		copy_field(r->http_flavor, v->http_flavor);
	}
	copy_field(r->link_type, v->link_type);
	copy_field(r->language, v->language);
}

void api_answer(struct engine *e, int hosts_fd, const struct p0f_api_query *q,
		struct p0f_api_response *r)
{
	struct osprey_host v;
	struct host *h;

	memset(r, 0, sizeof(*r));
	r->magic = P0F_RESP_MAGIC;
	if (q->magic != P0F_QUERY_MAGIC ||
	    (q->addr_type != P0F_ADDR_IPV4 && q->addr_type != P0F_ADDR_IPV6)) {
		r->status = P0F_STATUS_BADQUERY;
		return;
	}
	/*
	 * The engine knows best; a host it does not know (yet: the daemon
	 * restarted) may still be in the pinned map, which outlives us and
	 * which `osprey lookup` reads: answer the same from it.
	 */
	h = engine_lookup_host(e, q->addr, q->addr_type);
	if (h)
		hostmap_fill(&v, e->db, h);
	else if (hosts_fd < 0 ||
		 hostmap_get(hosts_fd, q->addr, q->addr_type, &v)) {
		r->status = P0F_STATUS_NOMATCH;
		return;
	}
	/* one translation for the map and the API: same text, same rules */
	answer_from(r, &v);
}

/* ----------------------------------------------------------- socket */

static int resolve_group(const char *group, gid_t *gid)
{
	struct group gr, *res = NULL;
	char buf[4096];
	char *end;
	long v;

	if (!getgrnam_r(group, &gr, buf, sizeof(buf), &res) && res) {
		*gid = res->gr_gid;
		return 0;
	}
	v = strtol(group, &end, 10);
	if (*group && !*end && v >= 0) {
		*gid = (gid_t)v;
		return 0;
	}
	return -ENOENT;
}

static int bind_socket(struct api_server *a, const char *group, char *err,
		       size_t errlen)
{
	struct sockaddr_un u = { .sun_family = AF_UNIX };
	mode_t mode = group ? 0660 : 0600, old;
	struct stat st;
	gid_t gid = 0;
	int rc;

	if (group && resolve_group(group, &gid)) {
		errmsg(err, errlen, "API socket: unknown group '%s'", group);
		return -ENOENT;
	}
	memcpy(u.sun_path, a->path, sizeof(u.sun_path));
	/* only a stale socket may be replaced, never another file */
	if (!lstat(a->path, &st) && !S_ISSOCK(st.st_mode)) {
		errmsg(err, errlen, "%s exists and is not a socket", a->path);
		return -EEXIST;
	}
	if (unlink(a->path) && errno != ENOENT) {
		rc = -errno;
		errmsg(err, errlen, "remove old %s: %s", a->path,
		       strerror(-rc));
		return rc;
	}
	/* the umask closes the window between bind() and chmod() */
	old = umask(0777 & ~mode);
	rc = bind(a->listen_fd, (struct sockaddr *)&u, sizeof(u)) ? -errno : 0;
	umask(old);
	if (rc) {
		errmsg(err, errlen, "bind %s: %s", a->path, strerror(-rc));
		return rc;
	}
	if ((group && chown(a->path, (uid_t)-1, gid)) || chmod(a->path, mode)) {
		rc = -errno;
		errmsg(err, errlen, "set owner/mode of %s: %s", a->path,
		       strerror(-rc));
		unlink(a->path);
		return rc;
	}
	return 0;
}

static int ep_set(struct api_server *a, int op, int fd, uint32_t events,
		  uint32_t tag)
{
	struct epoll_event ev = { .events = events, .data.u32 = tag };

	return epoll_ctl(a->ep_fd, op, fd, &ev) ? -errno : 0;
}

int api_open(struct api_server **out, const char *path, int max_clients,
	     const char *group, struct engine *e, char *err, size_t errlen)
{
	struct api_server *a;
	int rc, i;

	*out = NULL;
	if (max_clients < 1 || max_clients > API_MAX_CLIENTS) {
		errmsg(err, errlen, "API clients (-S) must be 1..%d, not %d",
		       API_MAX_CLIENTS, max_clients);
		return -EINVAL;
	}
	if (!path || !*path ||
	    strlen(path) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
		errmsg(err, errlen, "API socket path is empty or too long");
		return -ENAMETOOLONG;
	}
	a = calloc(1, sizeof(*a) + max_clients * sizeof(a->cl[0]));
	if (!a) {
		errmsg(err, errlen, "out of memory");
		return -ENOMEM;
	}
	a->e = e;
	a->hosts_fd = -1;
	a->max_clients = max_clients;
	a->ep_fd = -1;
	for (i = 0; i < max_clients; i++)
		a->cl[i].fd = -1;
	snprintf(a->path, sizeof(a->path), "%s", path);
	a->listen_fd =
		socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	a->ep_fd = epoll_create1(EPOLL_CLOEXEC);
	if (a->listen_fd < 0 || a->ep_fd < 0) {
		rc = -errno;
		errmsg(err, errlen, "API socket: %s", strerror(-rc));
		goto fail;
	}
	rc = bind_socket(a, group, err, errlen);
	if (rc) {
		a->path[0] = 0; /* nothing of ours to unlink */
		goto fail;
	}
	if (listen(a->listen_fd, max_clients)) {
		rc = -errno;
		errmsg(err, errlen, "listen on %s: %s", path, strerror(-rc));
		goto fail;
	}
	rc = ep_set(a, EPOLL_CTL_ADD, a->listen_fd, EPOLLIN, LISTEN_TAG);
	if (rc) {
		errmsg(err, errlen, "API epoll: %s", strerror(-rc));
		goto fail;
	}
	*out = a;
	return 0;
fail:
	api_close(a);
	return rc;
}

int api_fd(const struct api_server *a)
{
	return a->ep_fd;
}

uint64_t api_queries(const struct api_server *a)
{
	return a ? a->queries : 0;
}

uint64_t api_rejected(const struct api_server *a)
{
	return a ? a->rejected : 0;
}

static uint64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

static void drop_client(struct api_server *a, struct api_client *c)
{
	if (c->fd < 0)
		return;
	epoll_ctl(a->ep_fd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
	a->n_clients--;
}

static void accept_clients(struct api_server *a)
{
	int fd, i;

	for (;;) {
		fd = accept4(a->listen_fd, NULL, NULL,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return; /* EAGAIN, or a client gone before accept */
		for (i = 0; i < a->max_clients && a->cl[i].fd >= 0; i++)
			;
		/*
		 * p0f leaves extra clients in the backlog; closing them
		 * instead keeps a level-triggered loop from spinning.
		 */
		if (i == a->max_clients ||
		    ep_set(a, EPOLL_CTL_ADD, fd, EPOLLIN, i + 1)) {
			if (!a->rejected++)
				pr_warn("too many API clients (limit %d, see -S)",
					a->max_clients);
			close(fd);
			continue;
		}
		memset(&a->cl[i], 0, sizeof(a->cl[i]));
		a->cl[i].fd = fd;
		a->cl[i].active_ms = now_ms();
		a->n_clients++;
	}
}

/* Write what we can of the pending answer; 0, or -1 if the client died. */
static int client_write(struct api_server *a, struct api_client *c)
{
	while (c->out_off < sizeof(c->r)) {
		ssize_t n = send(c->fd, (char *)&c->r + c->out_off,
				 sizeof(c->r) - c->out_off, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return ep_set(a, EPOLL_CTL_MOD, c->fd, EPOLLOUT,
				      (uint32_t)(c - a->cl) + 1) ?
				       -1 :
				       0;
		if (n <= 0)
			return -1;
		c->out_off += n;
		c->active_ms = now_ms();
	}
	/* answered: ready for the next query */
	c->in_off = c->out_off = 0;
	return ep_set(a, EPOLL_CTL_MOD, c->fd, EPOLLIN,
		      (uint32_t)(c - a->cl) + 1) ?
		       -1 :
		       0;
}

/* Read the query; answer once complete.  0, or -1 if the client died. */
static int client_read(struct api_server *a, struct api_client *c)
{
	while (c->in_off < sizeof(c->q)) {
		ssize_t n = recv(c->fd, (char *)&c->q + c->in_off,
				 sizeof(c->q) - c->in_off, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n <= 0)
			return -1; /* EOF or error: p0f closes too */
		c->in_off += n;
		c->active_ms = now_ms();
	}
	api_answer(a->e, a->hosts_fd, &c->q, &c->r);
	a->queries++;
	c->out_off = 0;
	return client_write(a, c);
}

void api_service(struct api_server *a)
{
	struct epoll_event evs[32];
	struct api_client *c;
	int n, i;

	n = epoll_wait(a->ep_fd, evs, 32, 0);
	for (i = 0; i < n; i++) {
		uint32_t tag = evs[i].data.u32;

		if (tag == LISTEN_TAG) {
			accept_clients(a);
			continue;
		}
		if (tag > (uint32_t)a->max_clients)
			continue;
		c = &a->cl[tag - 1];
		if (c->fd < 0)
			continue;
		if (evs[i].events & EPOLLOUT) {
			if (client_write(a, c))
				drop_client(a, c);
		} else if (evs[i].events & EPOLLIN) {
			if (client_read(a, c))
				drop_client(a, c);
		} else if (evs[i].events & (EPOLLERR | EPOLLHUP)) {
			drop_client(a, c);
		}
	}
}

void api_set_hosts_map(struct api_server *a, int fd)
{
	if (a)
		a->hosts_fd = fd;
}

void api_set_idle_timeout(struct api_server *a, uint32_t seconds)
{
	if (a)
		a->idle_ms = seconds * 1000u;
}

/*
 * Close clients that neither sent nor took a byte for the idle timeout:
 * a slot held by a client that went quiet (or never reads its answers)
 * is given back, so idle connections cannot lock the others out for
 * longer than that.
 */
void api_expire(struct api_server *a)
{
	uint64_t now = now_ms();
	int i;

	if (!a || !a->idle_ms)
		return;
	for (i = 0; i < a->max_clients; i++) {
		struct api_client *c = &a->cl[i];

		if (c->fd >= 0 && now - c->active_ms >= a->idle_ms) {
			drop_client(a, c);
			a->timed_out++;
		}
	}
}

uint64_t api_timed_out(const struct api_server *a)
{
	return a ? a->timed_out : 0;
}

void api_close(struct api_server *a)
{
	int i;

	if (!a)
		return;
	for (i = 0; i < a->max_clients; i++)
		drop_client(a, &a->cl[i]);
	if (a->listen_fd >= 0)
		close(a->listen_fd);
	if (a->ep_fd >= 0)
		close(a->ep_fd);
	if (a->path[0])
		unlink(a->path);
	free(a);
}
