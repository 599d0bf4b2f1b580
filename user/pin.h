/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bpffs and pin paths: where osprey's pinned maps and programs live
 * (OSPREY_PIN_DIR, or --pin-dir), for the daemon, the capture loader,
 * the hosts and policy maps and the subcommands alike.
 */
#ifndef OSPREY_PIN_H
#define OSPREY_PIN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define BPFFS_ROOT "/sys/fs/bpf"

/* "DIR/NAME" into buf.  0 or -ENAMETOOLONG. */
int pin_path(char *buf, size_t len, const char *dir, const char *name);
/*
 * Open the directory dir (absolute) without following symbolic links,
 * creating what is missing when create is set (parents 0755, dir itself
 * `mode`).  Refused (-EPERM, -ELOOP, -ENOTDIR, with the reason in err):
 * a component that is a symbolic link or not a directory, or is owned by
 * anybody but root and us, or is writable by others without being
 * sticky; and a pin directory writable by others at all.  fd or -errno.
 */
int pin_dir_open(const char *dir, mode_t mode, bool create, char *err,
		 size_t errlen);
/* pin_dir_open() with create, closed again.  0 or -errno. */
int pin_dir_create(const char *dir, mode_t mode);
/* Is path, or the deepest of its ancestors that exists, on bpffs? */
bool pin_on_bpffs(const char *path);
/*
 * Make sure dir can live on bpffs: when it is under BPFFS_ROOT and
 * BPFFS_ROOT itself is not a bpffs, mount one there (mode 0700) as
 * systemd would; never over a bpffs, whatever lies under it.  0 if it
 * already was, 1 if mounted now, or -errno with a message in err.
 */
int pin_bpffs_ensure(const char *dir, char *err, size_t errlen);
/* For an error message about dir: "" when it is on bpffs, else
 * "; DIR is not on a BPF filesystem (mount -t bpf bpf PARENT)" in buf. */
const char *pin_bpffs_hint(const char *dir, char *buf, size_t len);

#endif /* OSPREY_PIN_H */
