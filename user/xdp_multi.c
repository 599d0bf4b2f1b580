// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The capture program in libxdp's dispatcher (xdp_multi.h).
 *
 * libxdp keeps the dispatcher and each program's link pinned in bpffs
 * (/sys/fs/bpf/xdp), so that whoever loads the next program can rebuild
 * the dispatcher with ours in it: a program there outlives its process.
 * A daemon that is killed therefore leaves its program in the chain; the
 * next attach recognises it (named like ours and using our pinned hosts
 * map) and takes it out before adding its own.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "user/log.h"
#include "user/xdp_multi.h"

/* Ahead of programs of the default priority (50), so that osprey sees
 * what arrives before a filter drops it, as a packet capture would. */
#define OSPREY_RUN_PRIO 10
#define STALE_MAX 8

struct xdp_multi {
	struct bpf_object *obj; /* the extension copy */
	struct xdp_program *prog;
	char name[64];
};

/* libxdp's messages, two levels down: it warns about probes it expects
 * to fail; what matters reaches the caller as an error. */
static int libxdp_log(enum libxdp_print_level lvl, const char *fmt, va_list ap)
{
	return log_vraw(lvl == LIBXDP_WARN ? LOG_LVL_DEBUG : LOG_LVL_TRACE, fmt,
			ap);
}

/* libbpf's messages while libxdp probes and attaches: a kernel that
 * cannot run the dispatcher fails its probe loads on purpose, and the
 * caller reports the fallback in one line of its own. */
static int libbpf_probe_log(enum libbpf_print_level lvl, const char *fmt,
			    va_list ap)
{
	return log_vraw(lvl == LIBBPF_WARN ? LOG_LVL_DEBUG : LOG_LVL_TRACE, fmt,
			ap);
}

/* Every map of obj becomes the same-named map of loaded. */
static int share_maps(struct bpf_object *obj, struct bpf_object *loaded)
{
	struct bpf_map *m, *src;
	int rc;

	bpf_object__for_each_map(m, obj)
	{
		src = bpf_object__find_map_by_name(loaded, bpf_map__name(m));
		if (!src)
			return -ENOENT;
		rc = bpf_map__set_pin_path(m, NULL);
		rc = rc ?: bpf_map__reuse_fd(m, bpf_map__fd(src));
		if (rc)
			return rc;
	}
	return 0;
}

int xdp_multi_new(struct xdp_multi **out, const void *elf, size_t elf_len,
		  struct bpf_object *loaded, const char *prog_name)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo,
		    .object_name = bpf_object__name(loaded));
	struct bpf_program *p, *want = NULL;
	struct xdp_multi *m;
	long err;
	int rc;

	libxdp_set_print(libxdp_log);
	*out = NULL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	snprintf(m->name, sizeof(m->name), "%s", prog_name);
	m->obj = bpf_object__open_mem(elf, elf_len, &oo);
	if (!m->obj) {
		rc = -errno;
		goto fail;
	}
	rc = share_maps(m->obj, loaded);
	if (rc)
		goto fail;
	/* only the XDP program: the others are loaded already */
	bpf_object__for_each_program(p, m->obj)
	{
		bool ours = !strcmp(bpf_program__name(p), prog_name);

		bpf_program__set_autoload(p, ours);
		if (ours)
			want = p;
	}
	if (!want) {
		rc = -ENOENT;
		goto fail;
	}
	m->prog = xdp_program__from_bpf_obj(m->obj,
					    bpf_program__section_name(want));
	err = libxdp_get_error(m->prog);
	if (err) {
		m->prog = NULL;
		rc = (int)err;
		goto fail;
	}
	xdp_program__set_run_prio(m->prog, OSPREY_RUN_PRIO);
	*out = m;
	return 0;
fail:
	xdp_multi_free(m);
	return rc;
}

/* Does program fd use the map with id `id`? */
static bool uses_map(int fd, unsigned int id)
{
	struct bpf_prog_info info;
	__u32 ids[64], len = sizeof(info), i;

	memset(&info, 0, sizeof(info));
	info.nr_map_ids = sizeof(ids) / sizeof(ids[0]);
	info.map_ids = (unsigned long)ids;
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return false;
	for (i = 0; i < info.nr_map_ids && i < sizeof(ids) / sizeof(ids[0]);
	     i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* A copy of our program left in ifindex's dispatcher by a killed run, or
 * NULL; *mode gets the dispatcher's mode (XDP_MODE_UNSPEC: none). */
static struct xdp_program *find_stale(struct xdp_multi *m, int ifindex,
				      unsigned int map_id,
				      enum xdp_attach_mode *mode,
				      struct xdp_multiprog **mpp)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(ifindex);
	struct xdp_program *p;

	*mode = XDP_MODE_UNSPEC;
	*mpp = NULL;
	if (!mp || libxdp_get_error(mp))
		return NULL;
	*mpp = mp;
	*mode = xdp_multiprog__attach_mode(mp);
	if (xdp_multiprog__is_legacy(mp))
		return NULL;
	for (p = xdp_multiprog__next_prog(NULL, mp); p;
	     p = xdp_multiprog__next_prog(p, mp))
		if (map_id && !strcmp(xdp_program__name(p), m->name) &&
		    xdp_program__id(p) != xdp_multi_prog_id(m) &&
		    uses_map(xdp_program__fd(p), map_id))
			return p;
	return NULL;
}

/* Take out what killed runs left; the mode of the dispatcher there. */
static enum xdp_attach_mode remove_stale(struct xdp_multi *m, int ifindex,
					 unsigned int map_id)
{
	enum xdp_attach_mode mode = XDP_MODE_UNSPEC;
	struct xdp_multiprog *mp;
	struct xdp_program *p;
	int n;

	for (n = 0; n < STALE_MAX; n++) {
		p = find_stale(m, ifindex, map_id, &mode, &mp);
		if (p) {
			pr_info("ifindex %d: removing program %u that an earlier run of osprey left in the XDP dispatcher",
				ifindex, xdp_program__id(p));
			if (xdp_program__detach(p, ifindex, mode, 0))
				p = NULL; /* cannot: leave it */
		}
		xdp_multiprog__close(mp);
		if (!p)
			break;
	}
	return mode;
}

/* Did libxdp fall back to attaching our program alone (no dispatcher)? */
static bool attached_alone(struct xdp_multi *m, int ifindex)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(ifindex);
	struct xdp_program *main;
	bool alone = false;

	if (!mp || libxdp_get_error(mp))
		return false;
	main = xdp_multiprog__main_prog(mp);
	alone = xdp_multiprog__is_legacy(mp) && main &&
		xdp_program__id(main) == xdp_multi_prog_id(m);
	xdp_multiprog__close(mp);
	return alone;
}

int xdp_multi_attach(struct xdp_multi *m, int ifindex, int mode, int *used,
		     unsigned int shared_map_id)
{
	enum xdp_attach_mode modes[2] = { XDP_MODE_NATIVE, XDP_MODE_SKB };
	enum xdp_attach_mode there = remove_stale(m, ifindex, shared_map_id);
	libbpf_print_fn_t old;
	int i, n = 2, rc = -EINVAL;

	if (mode == XDP_MULTI_NATIVE || mode == XDP_MULTI_SKB) {
		modes[0] = mode == XDP_MULTI_NATIVE ? XDP_MODE_NATIVE :
						      XDP_MODE_SKB;
		n = 1;
	} else if (there == XDP_MODE_NATIVE || there == XDP_MODE_SKB) {
		modes[0] = there; /* join the dispatcher in its mode */
		n = 1;
	}
	old = libbpf_set_print(libbpf_probe_log);
	for (i = 0; i < n; i++) {
		rc = xdp_program__attach(m->prog, ifindex, modes[i], 0);
		if (!rc)
			break;
	}
	libbpf_set_print(old);
	if (rc)
		return rc;
	*used = modes[i] == XDP_MODE_NATIVE ? XDP_MULTI_NATIVE : XDP_MULTI_SKB;
	/* the kernel cannot run the dispatcher: libxdp attached ours alone,
	 * for good (not a link); the caller's plain link does better */
	if (attached_alone(m, ifindex)) {
		xdp_program__detach(m->prog, ifindex, modes[i], 0);
		return -EOPNOTSUPP;
	}
	return 0;
}

int xdp_multi_detach(struct xdp_multi *m, int ifindex)
{
	return xdp_program__detach(m->prog, ifindex, XDP_MODE_UNSPEC, 0);
}

unsigned int xdp_multi_prog_id(const struct xdp_multi *m)
{
	return m && m->prog ? xdp_program__id(m->prog) : 0;
}

void xdp_multi_free(struct xdp_multi *m)
{
	if (!m)
		return;
	xdp_program__close(m->prog);
	bpf_object__close(m->obj);
	free(m);
}
