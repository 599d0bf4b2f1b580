// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Interface lifecycle and -i any (ifwatch.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if_arp.h>

#include "user/ifwatch.h"
#include "user/log.h"

struct ifwatch {
	struct capture *cap;
	struct netmon *nm;
	enum xdp_mode_opt mode;
	bool any;
	bool started;
	int n_names;
	struct {
		char name[IF_NAMESIZE];
		int ifindex; /* attached there, or 0 (gone, waiting) */
	} want[OSPREY_MAX_IFACES];
	bool full_warned;
	/* -i any: interfaces that refused the programs, not tried again
	 * (nor warned about) until they are removed */
	int refused[CAPTURE_MAX_IFACES];
	int n_refused;
};

static const char *const upper_kinds[] = {
	"bridge",  "bond",    "team",	"vrf",	  "vlan",
	"macvlan", "macvtap", "ipvlan", "ipvtap", "vxcan",
};

bool ifwatch_eligible(const struct netmon_link *l)
{
	size_t i;

	if (l->gone || !(l->flags & IFF_UP))
		return false;
	if (l->type != ARPHRD_ETHER && !(l->flags & IFF_LOOPBACK))
		return false;
	for (i = 0; i < sizeof(upper_kinds) / sizeof(upper_kinds[0]); i++)
		if (!strcmp(l->kind, upper_kinds[i]))
			return false;
	return true;
}

static const char *mode_str(enum xdp_mode_opt m)
{
	return m == XDP_MODE_NATIVE ? "native" : "generic";
}

/* Attach to ifname and say how.  0 or -errno (err holds the reason). */
static int attach(struct ifwatch *w, const char *ifname, char *err,
		  size_t errlen)
{
	enum xdp_mode_opt used = w->mode;
	unsigned int hooks;
	int rc;

	rc = capture_attach(w->cap, ifname, w->mode, &used, err, errlen);
	if (rc)
		return rc;
	hooks = capture_hooks(w->cap, ifname);
	if (!(hooks & CAPTURE_HOOK_XDP))
		pr_info("%s: attached in tc egress only", ifname);
	else if (w->mode == XDP_MODE_AUTO && used == XDP_MODE_GENERIC)
		pr_info("%s: native XDP refused, attached in generic mode",
			ifname);
	else
		pr_info("%s: attached in %s XDP mode%s", ifname, mode_str(used),
			hooks & CAPTURE_HOOK_XDP_MULTI ?
				" (libxdp dispatcher)" :
				"");
	if ((hooks & CAPTURE_HOOK_XDP) && (hooks & CAPTURE_HOOK_EGRESS))
		pr_info("%s: tc egress attached", ifname);
	return 0;
}

static int find_name(const struct ifwatch *w, const char *name)
{
	int i;

	for (i = 0; i < w->n_names; i++)
		if (!strcmp(w->want[i].name, name))
			return i;
	return -1;
}

/* A named interface's link event. */
static void on_named(struct ifwatch *w, int i, const struct netmon_link *l)
{
	char err[256] = "";

	if (l->gone) {
		if (w->want[i].ifindex != l->ifindex)
			return;
		capture_detach(w->cap, l->ifindex);
		w->want[i].ifindex = 0;
		pr_warn("%s: interface removed: not capturing there until it comes back",
			l->name);
		return;
	}
	if (w->want[i].ifindex == l->ifindex)
		return; /* a change of flags or such: still attached */
	if (w->want[i].ifindex) /* a new one of that name: we missed the old
				 * one's removal */
		capture_detach(w->cap, w->want[i].ifindex);
	w->want[i].ifindex = 0;
	if (attach(w, l->name, err, sizeof(err))) {
		pr_err("%s: is back, but attaching failed: %s", l->name, err);
		return;
	}
	w->want[i].ifindex = l->ifindex;
	pr_info("%s: interface is back, capturing again", l->name);
}

/* Index of ifindex in w->refused, or -1. */
static int find_refused(const struct ifwatch *w, int ifindex)
{
	int i;

	for (i = 0; i < w->n_refused; i++)
		if (w->refused[i] == ifindex)
			return i;
	return -1;
}

/* -i any: a link event. */
static void on_any(struct ifwatch *w, const struct netmon_link *l)
{
	bool att = capture_attached(w->cap, l->ifindex);
	int r = find_refused(w, l->ifindex);
	char err[256] = "";

	if (l->gone) {
		if (r >= 0)
			w->refused[r] = w->refused[--w->n_refused];
		if (att) {
			capture_detach(w->cap, l->ifindex);
			pr_info("%s: interface removed", l->name);
		}
		return;
	}
	if (att || r >= 0 || !ifwatch_eligible(l))
		return;
	if (ifwatch_count(w) >= CAPTURE_MAX_IFACES) {
		if (!w->full_warned)
			pr_warn("%s: not attached: already on %d interfaces",
				l->name, CAPTURE_MAX_IFACES);
		w->full_warned = true;
		return;
	}
	if (attach(w, l->name, err, sizeof(err))) {
		pr_warn("%s: skipped (-i any): %s", l->name, err);
		if (w->n_refused < CAPTURE_MAX_IFACES)
			w->refused[w->n_refused++] = l->ifindex;
	}
}

static void on_link(void *ctx, const struct netmon_link *l)
{
	struct ifwatch *w = ctx;
	int i;

	if (!w->started)
		return;
	if (w->any) {
		on_any(w, l);
		return;
	}
	i = find_name(w, l->name);
	if (i >= 0)
		on_named(w, i, l);
}

int ifwatch_open(struct ifwatch **out, struct capture *cap,
		 const char *const *names, int n, enum xdp_mode_opt mode)
{
	struct ifwatch *w = calloc(1, sizeof(*w));
	int i, rc;

	*out = NULL;
	if (!w)
		return -ENOMEM;
	w->cap = cap;
	w->mode = mode;
	w->any = n == 1 && !strcmp(names[0], "any");
	for (i = 0; !w->any && i < n && i < OSPREY_MAX_IFACES; i++)
		snprintf(w->want[i].name, IF_NAMESIZE, "%s", names[i]);
	w->n_names = w->any ? 0 : i;
	rc = netmon_open(&w->nm, on_link, w);
	if (rc) {
		pr_err("interface monitor (netlink): %s", strerror(-rc));
		free(w);
		return rc;
	}
	*out = w;
	return 0;
}

int ifwatch_start(struct ifwatch *w)
{
	char err[256] = "";
	int i, rc;

	w->started = true;
	if (w->any) {
		rc = netmon_dump_wait(w->nm, 5000);
		if (rc)
			pr_err("-i any: listing interfaces: %s", strerror(-rc));
		else if (!ifwatch_count(w))
			pr_warn("-i any: no interface to attach to yet; waiting for one");
		return rc;
	}
	for (i = 0; i < w->n_names; i++) {
		rc = attach(w, w->want[i].name, err, sizeof(err));
		if (rc) {
			pr_err("%s", err[0] ? err : strerror(-rc));
			return rc;
		}
		w->want[i].ifindex = (int)if_nametoindex(w->want[i].name);
	}
	return 0;
}

int ifwatch_fd(const struct ifwatch *w)
{
	return netmon_fd(w->nm);
}

void ifwatch_service(struct ifwatch *w)
{
	int rc = netmon_read(w->nm);

	/* events were lost: look at every link again */
	if (rc == -ENOBUFS) {
		pr_warn("interface monitor: events lost, re-reading the links");
		netmon_dump(w->nm);
	} else if (rc) {
		pr_warn("interface monitor: %s", strerror(-rc));
	}
}

int ifwatch_count(const struct ifwatch *w)
{
	return capture_count(w->cap);
}

void ifwatch_status(const struct ifwatch *w, char *buf, size_t len)
{
	size_t off;
	int i;

	off = snprintf(buf, len, "capturing on %d interface%s",
		       ifwatch_count(w), ifwatch_count(w) == 1 ? "" : "s");
	for (i = 0; i < w->n_names && off < len; i++)
		if (!w->want[i].ifindex)
			off += snprintf(buf + off, len - off,
					"; %s gone, waiting", w->want[i].name);
}

void ifwatch_close(struct ifwatch *w)
{
	if (!w)
		return;
	netmon_close(w->nm);
	free(w);
}
