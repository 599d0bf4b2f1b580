// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Attaching the capture programs (capture.bpf.c) to interfaces: XDP for
 * what an interface receives (native, with generic fallback), in libxdp's
 * multi-program dispatcher (xdp_multi.c) so that other XDP programs can
 * share the interface, else by a plain bpf_link; and a tc clsact egress
 * filter for what the host sends through it, attached through libbpf's
 * netlink tc API (Debian 12's 6.1 has no tcx links; those need 6.6).
 *
 * The clsact qdisc is shared with anybody else's tc filters, the policy
 * classifier (`osprey policy attach-tc`, on the ingress hook) included.
 * It is created only when absent, and removed at detach only when this
 * capture created it and no filter is left on either of its hooks, so
 * detaching never takes another user's filters along.
 *
 * A tc filter, unlike an XDP link, outlives a killed daemon: the next
 * attach replaces a filter with our handle and priority (a leftover of a
 * previous run) instead of failing.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "user/capture_int.h"
#include "user/engine/engine.h"
#include "user/log.h"
#include "user/tc_hook.h"
#include "user/xdp_multi.h"

/* Our filter's identity on clsact egress.  Priority 1 runs it before
 * other filters, which might end classification (direct-action OK). */
#define CAPTURE_TC_HANDLE 0x0b5f
#define CAPTURE_TC_PRIORITY 1

/* ---------------------------------------------------------------- tc */

static const struct tc_filter_id capture_tc = { CAPTURE_TC_HANDLE,
						CAPTURE_TC_PRIORITY };

static int tc_detach(int ifindex, bool made_qdisc)
{
	int rc = tc_filter_detach(ifindex, BPF_TC_EGRESS, capture_tc);

	/* gone already (interface removed, or qdisc deleted by hand) */
	if (rc == -ENOENT)
		rc = 0;
	if (made_qdisc && tc_filters_left(ifindex) == 0)
		tc_qdisc_remove(ifindex);
	return rc;
}

/* --------------------------------------------------------------- XDP */

static int xdp_link(int ifindex, int prog_fd, __u32 mode_flag,
		    struct iface_att *a)
{
	LIBBPF_OPTS(bpf_link_create_opts, lo, .flags = mode_flag);
	int fd, rc;

	fd = bpf_link_create(prog_fd, ifindex, BPF_XDP, &lo);
	if (fd >= 0) {
		a->link_fd = fd;
		return 0;
	}
	rc = -errno;
	/* Kernels before 5.9 have no XDP links: attach the old way. */
	if (rc != -EINVAL)
		return rc;
	mode_flag |= XDP_FLAGS_UPDATE_IF_NOEXIST;
	if (bpf_xdp_attach(ifindex, prog_fd, mode_flag, NULL))
		return -errno;
	a->link_fd = -1;
	a->legacy_flags = mode_flag;
	return 0;
}

static const char *mode_name(enum xdp_mode_opt m)
{
	return m == XDP_MODE_NATIVE  ? "native" :
	       m == XDP_MODE_GENERIC ? "generic" :
				       "auto";
}

/* CAP_SYS_ADMIN in effect?  libxdp needs it to read the programs on an
 * interface (BPF_PROG_GET_FD_BY_ID), to join a dispatcher and to leave. */
static bool have_sys_admin(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &hdr, d))
		return false;
	return d[CAP_SYS_ADMIN / 32].effective & (1u << (CAP_SYS_ADMIN % 32));
}

static __u32 hosts_map_id(struct capture *c)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	return bpf_obj_get_info_by_fd(bpf_map__fd(c->skel->maps.hosts), &info,
				      &len) ?
		       0 :
		       info.id;
}

/*
 * XDP through libxdp's dispatcher.  0 attached; -EOPNOTSUPP: use a plain
 * link (asked to, not allowed to, or the kernel cannot); else an error.
 */
static int xdp_attach_multi(struct capture *c, struct iface_att *a,
			    enum xdp_mode_opt mode,
			    enum xdp_mode_opt *used_mode)
{
	int want = mode == XDP_MODE_NATIVE  ? XDP_MULTI_NATIVE :
		   mode == XDP_MODE_GENERIC ? XDP_MULTI_SKB :
					      XDP_MULTI_AUTO;
	const void *elf;
	size_t sz;
	int rc, used;

	if (!c->multi_off && !c->multi && !have_sys_admin()) {
		pr_info("no CAP_SYS_ADMIN: XDP by a plain link, not in libxdp's dispatcher (other XDP programs cannot share the interface)");
		c->multi_off = true;
	}
	if (c->multi_off)
		return -EOPNOTSUPP;
	if (!c->multi) {
		elf = capture_bpf__elf_bytes(&sz);
		rc = xdp_multi_new(&c->multi, elf, sz, c->skel->obj,
				   "osprey_capture");
		if (rc) {
			pr_debug("libxdp: %s; XDP by a plain link",
				 strerror(-rc));
			c->multi_off = true;
			return -EOPNOTSUPP;
		}
	}
	rc = xdp_multi_attach(c->multi, a->ifindex, want, &used,
			      hosts_map_id(c));
	if (rc == -EOPNOTSUPP) {
		pr_info("the kernel cannot run libxdp's dispatcher: XDP by a plain link");
		c->multi_off = true;
	}
	if (rc)
		return rc;
	a->multi = true;
	if (used_mode)
		*used_mode = used == XDP_MULTI_NATIVE ? XDP_MODE_NATIVE :
							XDP_MODE_GENERIC;
	return 0;
}

/* XDP by a plain link: native, else (auto) generic. */
static int xdp_attach_link(struct capture *c, struct iface_att *a,
			   enum xdp_mode_opt mode, enum xdp_mode_opt *used_mode)
{
	int prog_fd = bpf_program__fd(c->skel->progs.osprey_capture);
	int rc = -EINVAL;

	if (mode == XDP_MODE_AUTO || mode == XDP_MODE_NATIVE) {
		rc = xdp_link(a->ifindex, prog_fd, XDP_FLAGS_DRV_MODE, a);
		if (!rc && used_mode)
			*used_mode = XDP_MODE_NATIVE;
	}
	if ((mode == XDP_MODE_AUTO && rc) || mode == XDP_MODE_GENERIC) {
		rc = xdp_link(a->ifindex, prog_fd, XDP_FLAGS_SKB_MODE, a);
		if (!rc && used_mode)
			*used_mode = XDP_MODE_GENERIC;
	}
	return rc;
}

/* XDP in mode on a->ifindex; the egress program then skips what XDP saw
 * arrive there (xdp_ifaces). */
static int xdp_attach(struct capture *c, struct iface_att *a,
		      enum xdp_mode_opt mode, enum xdp_mode_opt *used_mode)
{
	__u32 key = a->ifindex;
	__u8 one = 1;
	int rc = xdp_attach_multi(c, a, mode, used_mode);

	if (rc == -EOPNOTSUPP)
		rc = xdp_attach_link(c, a, mode, used_mode);
	if (rc)
		return rc;
	a->xdp = true;
	if (bpf_map_update_elem(bpf_map__fd(c->skel->maps.xdp_ifaces), &key,
				&one, BPF_ANY))
		return -errno;
	return 0;
}

static void xdp_detach(struct capture *c, struct iface_att *a)
{
	int prog_fd = bpf_program__fd(c->skel->progs.osprey_capture);
	LIBBPF_OPTS(bpf_xdp_attach_opts, xo, .old_prog_fd = prog_fd);
	__u32 key = a->ifindex;
	int rc;

	if (!a->xdp)
		return;
	if (a->multi) {
		rc = xdp_multi_detach(c->multi, a->ifindex);
		/* gone with its interface is fine; anything else is worth
		 * saying: our program stays in the dispatcher */
		if (rc && rc != -ENODEV && rc != -ENOENT)
			pr_warn("ifindex %d: leaving libxdp's dispatcher: %s",
				a->ifindex, strerror(-rc));
	} else if (a->link_fd >= 0) {
		close(a->link_fd); /* the link dies with its last fd */
		a->link_fd = -1;
	} else {
		bpf_xdp_detach(a->ifindex,
			       a->legacy_flags & ~XDP_FLAGS_UPDATE_IF_NOEXIST,
			       &xo);
	}
	bpf_map_delete_elem(bpf_map__fd(c->skel->maps.xdp_ifaces), &key);
	a->xdp = false;
	a->multi = false;
}

/* ------------------------------------------------------------ attach */

static bool is_loopback(const char *ifname)
{
	struct ifreq ifr = { 0 };
	bool lo = false;
	int fd;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0)
		lo = ifr.ifr_flags & IFF_LOOPBACK;
	close(fd);
	return lo;
}

static void detach_one(struct capture *c, struct iface_att *a)
{
	if (a->tc)
		tc_detach(a->ifindex, a->made_qdisc);
	a->tc = false;
	xdp_detach(c, a);
}

/* Room for ifname in c->att, or an error. */
static int new_att(struct capture *c, const char *ifname, char *err,
		   size_t errlen, struct iface_att **out)
{
	int ifindex, i;

	ifindex = if_nametoindex(ifname);
	if (!ifindex) {
		errmsg(err, errlen, "%s: no such interface", ifname);
		return -ENODEV;
	}
	for (i = 0; i < c->n_att; i++) {
		if (c->att[i].ifindex == ifindex) {
			errmsg(err, errlen, "%s: already attached", ifname);
			return -EEXIST;
		}
	}
	if (c->n_att >= CAPTURE_MAX_IFACES) {
		errmsg(err, errlen, "%s: more than %d interfaces", ifname,
		       CAPTURE_MAX_IFACES);
		return -E2BIG;
	}
	*out = &c->att[c->n_att];
	memset(*out, 0, sizeof(**out));
	(*out)->ifindex = ifindex;
	(*out)->link_fd = -1;
	return 0;
}

int capture_attach(struct capture *c, const char *ifname,
		   enum xdp_mode_opt mode, enum xdp_mode_opt *used_mode,
		   char *err, size_t errlen)
{
	bool want_xdp = c->dir != CAPTURE_EGRESS;
	bool want_tc = c->dir != CAPTURE_INGRESS;
	struct iface_att *a;
	int rc;

	rc = new_att(c, ifname, err, errlen, &a);
	if (rc)
		return rc;
	/* lo: each packet is sent and received; XDP reports it once */
	if (want_xdp && want_tc && is_loopback(ifname))
		want_tc = false;
	if (want_xdp) {
		rc = xdp_attach(c, a, mode, used_mode);
		if (rc) {
			errmsg(err, errlen, "%s: attach XDP (%s): %s%s", ifname,
			       mode_name(mode), strerror(-rc),
			       rc == -EBUSY || rc == -EEXIST ?
				       " (another XDP program is attached, "
				       "not through libxdp's dispatcher, or "
				       "in another mode)" :
				       "");
			goto fail;
		}
	}
	if (want_tc) {
		rc = tc_filter_attach(
			a->ifindex, BPF_TC_EGRESS, capture_tc,
			bpf_program__fd(c->skel->progs.osprey_egress),
			&a->made_qdisc);
		if (rc) {
			errmsg(err, errlen, "%s: attach tc egress: %s", ifname,
			       strerror(-rc));
			goto fail;
		}
		a->tc = true;
	}
	c->n_att++;
	return 0;
fail:
	detach_one(c, a);
	return rc;
}

unsigned int capture_hooks(struct capture *c, const char *ifname)
{
	int ifindex = if_nametoindex(ifname), i;

	for (i = 0; ifindex && i < c->n_att; i++)
		if (c->att[i].ifindex == ifindex)
			return (c->att[i].xdp ? CAPTURE_HOOK_XDP : 0) |
			       (c->att[i].tc ? CAPTURE_HOOK_EGRESS : 0) |
			       (c->att[i].multi ? CAPTURE_HOOK_XDP_MULTI : 0);
	return 0;
}

int capture_count(struct capture *c)
{
	return c->n_att;
}

bool capture_attached(struct capture *c, int ifindex)
{
	int i;

	for (i = 0; i < c->n_att; i++)
		if (c->att[i].ifindex == ifindex)
			return true;
	return false;
}

int capture_detach(struct capture *c, int ifindex)
{
	int i;

	for (i = 0; i < c->n_att; i++) {
		if (c->att[i].ifindex != ifindex)
			continue;
		detach_one(c, &c->att[i]);
		c->att[i] = c->att[--c->n_att];
		return 0;
	}
	return -ENOENT;
}

void capture_detach_all(struct capture *c)
{
	int i;

	for (i = c->n_att - 1; i >= 0; i--)
		detach_one(c, &c->att[i]);
	c->n_att = 0;
}
