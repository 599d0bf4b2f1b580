// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bpffs and pin paths (pin.h).  No libbpf: only paths, mkdir and mount.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>

#include "user/engine/engine.h"
#include "user/pin.h"

int pin_path(char *buf, size_t len, const char *dir, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", dir, name);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int pin_dir_create(const char *dir, mode_t mode)
{
	char buf[PATH_MAX], *p;

	if (snprintf(buf, sizeof(buf), "%s", dir) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, mode) && errno != EEXIST)
		return -errno;
	return 0;
}

/* The deepest existing directory on the way to path. */
static void existing_ancestor(const char *path, char *buf, size_t len)
{
	struct stat st;
	char *slash;

	snprintf(buf, len, "%s", path);
	while (stat(buf, &st)) {
		slash = strrchr(buf, '/');
		if (!slash || slash == buf) {
			snprintf(buf, len, "/");
			return;
		}
		*slash = '\0';
	}
}

bool pin_on_bpffs(const char *path)
{
	char anc[PATH_MAX];
	struct statfs st;

	existing_ancestor(path, anc, sizeof(anc));
	return !statfs(anc, &st) && st.f_type == BPF_FS_MAGIC;
}

int pin_bpffs_ensure(const char *dir, char *err, size_t errlen)
{
	size_t n = strlen(BPFFS_ROOT);
	int rc;

	if (pin_on_bpffs(dir))
		return 0;
	if (strncmp(dir, BPFFS_ROOT, n) || (dir[n] && dir[n] != '/')) {
		errmsg(err, errlen,
		       "pin directory %s is not on a BPF filesystem", dir);
		return -ENOTSUP;
	}
	if (mount("bpf", BPFFS_ROOT, "bpf", 0, "mode=0700")) {
		rc = -errno;
		errmsg(err, errlen,
		       "bpffs is not mounted at %s and mounting it failed: %s (try: mount -t bpf bpf %s)",
		       BPFFS_ROOT, strerror(-rc), BPFFS_ROOT);
		return rc;
	}
	return 1;
}

const char *pin_bpffs_hint(const char *dir, char *buf, size_t len)
{
	char parent[PATH_MAX], *slash;

	if (pin_on_bpffs(dir))
		return "";
	snprintf(parent, sizeof(parent), "%s", dir);
	slash = strrchr(parent, '/');
	if (slash && slash != parent)
		*slash = '\0';
	snprintf(buf, len,
		 "; %s is not on a BPF filesystem (mount -t bpf bpf %s)", dir,
		 parent);
	return buf;
}
