/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The capture program in libxdp's multi-program dispatcher, so that it
 * shares an interface with xdp-filter or any other program loaded
 * through libxdp (the xdp-tools convention).  Used by capture_attach.c;
 * it includes no osprey header (libxdp's enum xdp_attach_mode and
 * osprey's enum xdp_mode_opt share enumerator names), so modes are
 * plain numbers here.
 *
 * The dispatcher runs its programs as freplace (BPF_PROG_TYPE_EXT)
 * extensions, so the XDP program the capture loaded cannot be used as
 * it is: xdp_multi_new() loads a second copy of it from the same object
 * bytes as an extension, with every map (ring buffer, flows, counters,
 * filters, the frozen .rodata) reused from the loaded object, so both
 * copies fill the same maps.
 */
#ifndef OSPREY_XDP_MULTI_H
#define OSPREY_XDP_MULTI_H

#include <stddef.h>

struct bpf_object;
struct xdp_multi;

#define XDP_MULTI_AUTO 0 /* the dispatcher's mode, else native, else skb */
#define XDP_MULTI_NATIVE 1
#define XDP_MULTI_SKB 2

/*
 * Prepare the extension copy of program prog_name from the object bytes
 * elf (elf_len), sharing the maps of `loaded`.  Loaded by libxdp on the
 * first attach.  0 or -errno.
 */
int xdp_multi_new(struct xdp_multi **out, const void *elf, size_t elf_len,
		  struct bpf_object *loaded, const char *prog_name);
/*
 * Attach to ifindex in mode (XDP_MULTI_*; *used gets the mode used).
 * A copy of our program left there by a run that was killed (it uses the
 * same pinned map `shared_map_id`) is removed first.  0, -EOPNOTSUPP when
 * the kernel cannot run the dispatcher (nothing is left attached: use a
 * plain link), or -errno (-EEXIST/-EBUSY: another XDP program that is
 * not in a libxdp dispatcher, or one in another mode).
 */
int xdp_multi_attach(struct xdp_multi *m, int ifindex, int mode, int *used,
		     unsigned int shared_map_id);
/* Take our program out of ifindex's dispatcher.  0 or -errno. */
int xdp_multi_detach(struct xdp_multi *m, int ifindex);
/* Our program's id (0 before the first attach). */
unsigned int xdp_multi_prog_id(const struct xdp_multi *m);
void xdp_multi_free(struct xdp_multi *m);

#endif /* OSPREY_XDP_MULTI_H */
