/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nat.c: p0f's NAT / host-change scoreboard.  The TCP and HTTP modules
 * score how much a new signature disagrees with what the host showed
 * before; nat.c keeps the last scores and reports "host change" or
 * "ip sharing".
 */
#ifndef OSPREY_NAT_H
#define OSPREY_NAT_H

#include "engine.h"

/* NAT / host change reasons */
#define NAT_APP_SIG 0x0001
#define NAT_OS_SIG 0x0002
#define NAT_UNK_DIFF 0x0004
#define NAT_TO_UNK 0x0008
#define NAT_TS 0x0010
#define NAT_PORT 0x0020
#define NAT_TTL 0x0040
#define NAT_FUZZY 0x0080
#define NAT_MSS 0x0100
#define NAT_APP_LB 0x0200
#define NAT_APP_VIA 0x0400
#define NAT_APP_DATE 0x0800
#define NAT_APP_UA 0x1000

/* A NAT score being summed up by a module, and why (NAT_* bits). */
struct nat_score {
	u8 score;
	u16 reason;
};

static inline void nat_add(struct nat_score *ns, u8 points, u16 reason)
{
	ns->score += points;
	ns->reason |= reason;
}

/* Push a score for the client (to_srv) or server of f; reason: NAT_*. */
void add_nat_score(struct engine *e, u8 to_srv, const struct flow *f,
		   u16 reason, u8 score);
/* An application signature names the systems it runs on (sys, as in
 * struct sig_label): score the host's OS against them. */
void verify_tool_class(struct engine *e, u8 to_srv, struct flow *f,
		       const u32 *sys, u32 sys_cnt);

#endif /* OSPREY_NAT_H */
