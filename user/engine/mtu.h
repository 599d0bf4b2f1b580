/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The MTU module (mtu.c): [mtu] signatures and the "mtu" observation. */
#ifndef OSPREY_MTU_H
#define OSPREY_MTU_H

#include "engine.h"

struct flow;

struct mtu_sig_record {
	const char *name;
	u16 mtu;
};

/* One "sig = N" line of [mtu] under label `name` into db.  0, -EINVAL
 * with the reason in err, or -ENOMEM. */
int mtu_register_sig(struct sigdb *db, const char *name, const char *val,
		     u32 line_no, char *err, size_t errlen);
/* MTU on SYN / SYN+ACK; emits "mtu". */
void fingerprint_mtu(struct engine *e, u8 to_srv, const struct pkt *pk,
		     struct flow *f);

#endif /* OSPREY_MTU_H */
