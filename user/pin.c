// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bpffs and pin paths (pin.h).  No libbpf: only paths, directories and
 * mount.
 *
 * The pin directory is where other programs find our maps and where we
 * find theirs, so who controls it controls what we load and what they
 * read.  It is resolved one component at a time from "/" with
 * O_NOFOLLOW | O_DIRECTORY, never through a symbolic link, and each
 * component must be a directory owned by root or by the user we run as.
 * A component others may write to must be sticky (as /tmp, or a bpffs
 * mounted mode 1777): there nobody but its owner can rename or replace
 * what we create.  The pin directory itself must not be writable by
 * anybody else at all.  Once checked, the path cannot change under us:
 * only root or we could change it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
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

/* Is the directory open at fd one we may trust (see the top)?  0 or
 * -EPERM with the reason in err. */
static int check_dir(int fd, const char *path, bool last, char *err,
		     size_t errlen)
{
	struct stat st;

	if (fstat(fd, &st))
		return -errno;
	if (st.st_uid != 0 && st.st_uid != geteuid())
		return errmsg(err, errlen,
			      "%s is owned by uid %u, not by root or us: refusing it as (part of) the pin directory",
			      path, (unsigned int)st.st_uid),
		       -EPERM;
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) &&
	    (last || !(st.st_mode & S_ISVTX)))
		return errmsg(err, errlen,
			      "%s is writable by others (mode %04o): refusing it as (part of) the pin directory",
			      path, (unsigned int)(st.st_mode & 07777)),
		       -EPERM;
	return 0;
}

/* Open name in the directory at parent without following a symlink,
 * creating it (mode) when missing and create is set.  fd or -errno. */
static int open_component(int parent, const char *name, bool create,
			  mode_t mode, const char *path, char *err,
			  size_t errlen)
{
	int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, fd, rc;
	struct stat st;

	fd = openat(parent, name, flags);
	if (fd < 0 && errno == ENOENT && create) {
		if (mkdirat(parent, name, mode) && errno != EEXIST) {
			rc = -errno;
			errmsg(err, errlen, "create %s: %s", path,
			       strerror(-rc));
			return rc;
		}
		fd = openat(parent, name, flags);
	}
	if (fd >= 0)
		return fd;
	rc = -errno;
	/* O_NOFOLLOW | O_DIRECTORY on a link fails with ENOTDIR or ELOOP */
	if ((rc == -ENOTDIR || rc == -ELOOP) &&
	    !fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) &&
	    S_ISLNK(st.st_mode))
		rc = -ELOOP;
	if (rc == -ELOOP)
		errmsg(err, errlen,
		       "%s is a symbolic link: refusing it as (part of) the pin directory",
		       path);
	else if (rc == -ENOTDIR)
		errmsg(err, errlen, "%s is not a directory", path);
	else
		errmsg(err, errlen, "%s: %s", path, strerror(-rc));
	return rc;
}

int pin_dir_open(const char *dir, mode_t mode, bool create, char *err,
		 size_t errlen)
{
	char buf[PATH_MAX], *p, *name, *next;
	int fd, nfd, rc;

	if (dir[0] != '/')
		return errmsg(err, errlen,
			      "pin directory %s is not an absolute path", dir);
	if (snprintf(buf, sizeof(buf), "%s", dir) >= (int)sizeof(buf))
		return errmsg(err, errlen, "pin directory path too long"),
		       -ENAMETOOLONG;
	fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (p = buf + 1; *p; p = next) {
		name = p;
		next = strchr(p, '/');
		next = next ? next : p + strlen(p);
		while (*next == '/')
			*next++ = '\0';
		if (!strcmp(name, ".") || !strcmp(name, "..")) {
			close(fd);
			return errmsg(err, errlen,
				      "pin directory %s has . or .. in it",
				      dir);
		}
		nfd = open_component(fd, name, create, *next ? 0755 : mode, buf,
				     err, errlen);
		close(fd);
		if (nfd < 0)
			return nfd;
		fd = nfd;
		/* the path so far, for messages */
		rc = check_dir(fd, buf, !*next, err, errlen);
		if (rc) {
			close(fd);
			return rc;
		}
		if (*next)
			next[-1] = '/';
	}
	return fd;
}

int pin_dir_create(const char *dir, mode_t mode)
{
	int fd = pin_dir_open(dir, mode, true, NULL, 0);

	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

/* The deepest existing directory on the way to path. */
static void existing_ancestor(const char *path, char *buf, size_t len)
{
	struct stat st;
	char *slash;

	snprintf(buf, len, "%s", path);
	while (lstat(buf, &st)) {
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

/* Is BPFFS_ROOT itself (not what a link there points to) a bpffs? */
static bool root_is_bpffs(void)
{
	struct statfs sf;
	struct stat st;

	return !lstat(BPFFS_ROOT, &st) && S_ISDIR(st.st_mode) &&
	       !statfs(BPFFS_ROOT, &sf) && sf.f_type == BPF_FS_MAGIC;
}

int pin_bpffs_ensure(const char *dir, char *err, size_t errlen)
{
	size_t n = strlen(BPFFS_ROOT);
	bool under_root =
		!strncmp(dir, BPFFS_ROOT, n) && (!dir[n] || dir[n] == '/');
	struct stat st;
	int rc;

	/* under a bpffs at its usual place: never mount over it, whatever
	 * lies in the way (the walk in pin_dir_open() refuses that) */
	if (under_root && root_is_bpffs())
		return 0;
	if (!under_root) {
		if (pin_on_bpffs(dir))
			return 0;
		return errmsg(err, errlen,
			      "pin directory %s is not on a BPF filesystem",
			      dir),
		       -ENOTSUP;
	}
	if (lstat(BPFFS_ROOT, &st) || !S_ISDIR(st.st_mode))
		return errmsg(err, errlen,
			      "%s is not a directory: cannot mount bpffs there",
			      BPFFS_ROOT),
		       -ENOTDIR;
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
