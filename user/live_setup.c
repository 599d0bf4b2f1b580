// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Live mode's checks before capture starts (live_int.h): one clear line
 * and an error for a bad filter, missing privileges or BTF, an unknown
 * interface or group, bpffs that cannot be had, or a pin directory that
 * is not safe (pin.h); then the pin directory and pins made ours.
 */
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

#include "user/live_int.h"
#include "user/log.h"
#include "user/pin.h"
#include "user/policy_maps.h"

#ifndef CAP_BPF
#define CAP_BPF 39
#endif

#define SYSFS_BTF "/sys/kernel/btf/vmlinux"

static bool have_cap(const struct __user_cap_data_struct d[2], int cap)
{
	return d[cap / 32].effective & (1u << (cap % 32));
}

static int check_privs(struct live *l)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &hdr, d))
		return 0; /* cannot tell: let the kernel decide */
	if ((have_cap(d, CAP_BPF) || have_cap(d, CAP_SYS_ADMIN)) &&
	    have_cap(d, CAP_NET_ADMIN))
		return 0;
	pr_err("live capture needs root, or CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN (running as uid %d without them)",
	       (int)getuid());
	return -EPERM;
}

static int check_btf(struct live *l)
{
	if (!access(SYSFS_BTF, R_OK))
		return 0;
	pr_err("kernel BTF not found (%s): the capture program needs a kernel built with CONFIG_DEBUG_INFO_BTF",
	       SYSFS_BTF);
	return -ENOENT;
}

/*
 * The trailing filter expression works as with -r: compiled by libpcap,
 * ANDed with "tcp" as p0f does, here against the raw IP bytes of each
 * event (the kernel filters are --port-* / --net-*).
 */
static int compile_filter(struct live *l)
{
	char expr[4096];
	pcap_t *p;
	int rc = 0;

	if (!l->o->filter || !*l->o->filter)
		return 0;
	if (snprintf(expr, sizeof(expr), "tcp and (%s)", l->o->filter) >=
	    (int)sizeof(expr)) {
		pr_err("filter expression too long");
		return -EINVAL;
	}
	p = pcap_open_dead(DLT_RAW, 65535);
	if (!p) {
		pr_err("filter: out of memory");
		return -ENOMEM;
	}
	if (pcap_compile(p, &l->filt, expr, 1, PCAP_NETMASK_UNKNOWN)) {
		pr_err("bad filter '%s': %s", l->o->filter, pcap_geterr(p));
		rc = -EINVAL;
	} else {
		l->have_filt = true;
	}
	pcap_close(p);
	return rc;
}

static bool any_iface(const struct osprey_opts *o)
{
	int i;

	for (i = 0; i < o->n_ifaces; i++)
		if (!strcmp(o->ifaces[i], "any"))
			return true;
	return false;
}

static int check_ifaces(struct live *l)
{
	int i;

	if (any_iface(l->o)) {
		if (l->o->n_ifaces == 1)
			return 0;
		pr_err("-i any takes every interface: it goes alone");
		return -EINVAL;
	}
	for (i = 0; i < l->o->n_ifaces; i++) {
		if (!if_nametoindex(l->o->ifaces[i])) {
			pr_err("%s: no such interface", l->o->ifaces[i]);
			return -ENODEV;
		}
	}
	return 0;
}

/* The interface of the IPv4 default route, like p0f's default device. */
static int default_iface(char *buf, size_t len)
{
	char line[256], name[IF_NAMESIZE + 1];
	unsigned long dst, flags;
	FILE *fp = fopen("/proc/net/route", "r");
	int rc = -ENOENT;

	if (!fp)
		return -errno;
	while (fgets(line, sizeof(line), fp)) {
		if (sscanf(line, "%16s %lx %*x %lx", name, &dst, &flags) != 3)
			continue;
		if (dst == 0 && (flags & 0x1 /* RTF_UP */)) {
			snprintf(buf, len, "%s", name);
			rc = 0;
			break;
		}
	}
	fclose(fp);
	return rc;
}

/* The pin directory must be on bpffs; mount bpffs where systemd would. */
static int ensure_bpffs(struct live *l)
{
	char err[PATH_MAX + 128];
	int rc = pin_bpffs_ensure(l->pin_dir, err, sizeof(err));

	if (rc < 0)
		pr_err("%s", err);
	else if (rc > 0)
		pr_info("mounted bpffs at %s", BPFFS_ROOT);
	return rc < 0 ? rc : 0;
}

static int resolve_gid(struct live *l)
{
	struct group gr, *res = NULL;
	char buf[4096];

	if (!l->o->group)
		return 0;
	if (getgrnam_r(l->o->group, &gr, buf, sizeof(buf), &res) || !res) {
		pr_err("unknown group '%s' (--group)", l->o->group);
		return -ENOENT;
	}
	l->gid = res->gr_gid;
	l->have_gid = true;
	return 0;
}

/* Owner root (or whoever we are), group as configured, no world access. */
static int set_perms(struct live *l, const char *path, mode_t mode)
{
	if (l->have_gid && chown(path, (uid_t)-1, l->gid))
		return -errno;
	return chmod(path, mode) ? -errno : 0;
}

/*
 * --group members reach the pins only if they may search every directory
 * above the pin directory.  systemd mounts bpffs at /sys/fs/bpf with mode
 * 0700, which stops them there.  A bpffs directory of ours (root's) above
 * the pin directory that the group cannot search gets search permission
 * for others (o+x): it lets nobody list it, and what lies in it keeps its
 * own mode (pins are 0600 unless their owner chose otherwise; ours are
 * 0640 root:group in a 0750 directory).  Said on stderr; a directory we
 * cannot change (outside bpffs, read-only in a unit) is a warning with
 * the command that fixes it.
 */
static void open_path_to_group(struct live *l)
{
	char dir[PATH_MAX], *slash;
	struct stat st;

	if (snprintf(dir, sizeof(dir), "%s", l->pin_dir) >= (int)sizeof(dir))
		return;
	while ((slash = strrchr(dir, '/')) && slash != dir) {
		*slash = '\0';
		if (stat(dir, &st) || !S_ISDIR(st.st_mode))
			return;
		if ((st.st_mode & S_IXOTH) ||
		    ((st.st_mode & S_IXGRP) && st.st_gid == l->gid))
			continue;
		if (!pin_on_bpffs(dir) ||
		    (st.st_uid != 0 && st.st_uid != geteuid()) ||
		    chmod(dir, (st.st_mode & 07777) | S_IXOTH)) {
			pr_warn("--group %s: members cannot reach %s: %s (mode %04o) is not searchable for them; `chmod o+x %s` lets them through without making it listable",
				l->o->group, l->pin_dir, dir,
				(unsigned int)(st.st_mode & 07777), dir);
			return;
		}
		pr_info("--group %s: %s was mode %04o, now %04o (search for others, so members reach %s; nothing in it becomes listable or readable)",
			l->o->group, dir, (unsigned int)(st.st_mode & 07777),
			(unsigned int)((st.st_mode & 07777) | S_IXOTH),
			l->pin_dir);
	}
}

/* The pin directory, checked component by component (pin.h) and made
 * ours: owner root (or us), the configured group, no access for others. */
static int make_pin_dir(struct live *l)
{
	char err[PATH_MAX + 160] = "";
	int fd, rc = 0;

	fd = pin_dir_open(l->pin_dir, 0700, true, err, sizeof(err));
	if (fd < 0) {
		pr_err("%s", err[0] ? err : strerror(-fd));
		return fd;
	}
	if ((l->have_gid && fchown(fd, (uid_t)-1, l->gid)) ||
	    fchmod(fd, l->have_gid ? 0750 : 0700)) {
		rc = -errno;
		pr_err("%s: set group/mode: %s", l->pin_dir, strerror(-rc));
	}
	close(fd);
	if (!rc && l->have_gid)
		open_path_to_group(l);
	return rc;
}

/* Pins are created 0600; let the configured group read them as well. */
void live_pin_perms(struct live *l)
{
	static const char *const names[] = { "hosts",	      "counters",
					     "policy",	      "policy_a",
					     "policy_b",      DSTATS_MAP,
					     POLICY_NAMES_MAP };
	char path[PATH_MAX];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (pin_path(path, sizeof(path), l->pin_dir, names[i]) ||
		    access(path, F_OK))
			continue;
		rc = set_perms(l, path, l->have_gid ? 0640 : 0600);
		if (rc)
			pr_warn("%s: set group/mode: %s", path, strerror(-rc));
	}
}

int live_preflight(struct live *l, const char **ifs, int *n_ifs, char *defif,
		   size_t deflen)
{
	int rc, i;

	rc = compile_filter(l);
	if (rc)
		return rc;
	rc = check_privs(l);
	if (!rc)
		rc = check_btf(l);
	if (!rc)
		rc = check_ifaces(l);
	if (rc)
		return rc;
	for (i = 0; i < l->o->n_ifaces; i++)
		ifs[i] = l->o->ifaces[i];
	*n_ifs = l->o->n_ifaces;
	if (!*n_ifs) {
		if (default_iface(defif, deflen)) {
			pr_err("no interface given (-i) and no default route to pick one from");
			return -ENODEV;
		}
		pr_info("no -i given, using %s", defif);
		ifs[0] = defif;
		*n_ifs = 1;
	}
	rc = resolve_gid(l);
	if (!rc)
		rc = ensure_bpffs(l);
	if (!rc)
		rc = make_pin_dir(l);
	return rc;
}
