// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * MTU -> link type ([mtu] section), as p0f 3.09b: MTU is the SYN's MSS plus
 * the minimal IPv4 (40) or IPv6 (60) header size, looked up exactly.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "mtu.h"
#include "obs.h"
#include "sigstore.h"

static int same_mtu(const void *rec, const void *ctx)
{
	return ((const struct mtu_sig_record *)rec)->mtu ==
	       ((const struct mtu_sig_record *)ctx)->mtu;
}

int mtu_register_sig(struct sigdb *db, const char *name, const char *val,
		     u32 line_no, char *err, size_t errlen)
{
	struct mtu_sig_record *rec;
	struct rec_list *rl;
	const char *e = val;
	s32 mtu;
	int rc;

	while (isdigit((u8)*e))
		e++;
	if (e == val || *e)
		return errmsg(err, errlen, "malformed MTU value");
	/* p0f stores atol() in an s32; same conversion, same verdicts */
	mtu = (s32)atol(val);
	if (mtu <= 0 || mtu > 65535)
		return errmsg(err, errlen, "malformed MTU value");
	rec = sigstore_alloc(db, sizeof(*rec));
	if (!rec)
		return -ENOMEM;
	rec->name = name;
	rec->mtu = (u16)mtu;
	rl = &db->mtu[mtu % SIG_BUCKETS];
	/* an overlay's MTU replaces an earlier file's (within a file the
	 * first one wins, as in p0f) */
	db->mtu_cnt -= rec_list_drop_old(rl, same_mtu, rec);
	rc = rec_list_push(rl, rec);
	if (rc)
		return rc;
	db->mtu_cnt++;
	(void)line_no;
	return 0;
}

static const char *mtu_lookup(const struct sigdb *db, u32 mtu)
{
	const struct rec_list *rl = &db->mtu[mtu % SIG_BUCKETS];
	u32 i;

	for (i = 0; i < rl->cnt; i++) {
		const struct mtu_sig_record *r = rl->v[i];

		if (r->mtu == mtu)
			return r->name;
	}
	return NULL;
}

void fingerprint_mtu(struct engine *e, u8 to_srv, const struct pkt *pk,
		     struct flow *f)
{
	struct host *h = to_srv ? f->client : f->server;
	const char *name;
	struct obs *o;
	u32 mtu;

	if (!pk->mss || f->sendsyn)
		return;
	mtu = pk->mss + (pk->ip_ver == IP_VER4 ? 40 : 60);
	name = mtu_lookup(e->db, mtu);
	if (name)
		h->link_type = name;
	h->last_mtu = mtu > 0xffff ? 0xffff : (u16)mtu;

	o = obs_begin(e, "mtu", to_srv, f);
	if (name)
		obs_add(o, "link", "%s", name);
	else
		obs_add_unknown(o, "link");
	obs_add(o, "raw_mtu", "%u", mtu);
	obs_emit(e, o);
}
