// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The NAT / host-change scoreboard (p0f 3.09b's add_nat_score and
 * verify_tool_class): each host keeps its last NAT_SCORES scores per
 * direction; a burst of non-zero ones means several systems share the
 * address, a single big one that the host changed.
 */
#include <string.h>

#include "flow.h"
#include "nat.h"
#include "obs.h"
#include "sigstore.h"
#include "strbuf.h"

static inline u32 now_sec(const struct engine *e)
{
	return (u32)(e->now_ms / 1000);
}

static const struct {
	u16 bit;
	const char *name;
} nat_reason_names[] = {
	{ NAT_APP_SIG, "app_vs_os" }, { NAT_OS_SIG, "os_diff" },
	{ NAT_UNK_DIFF, "sig_diff" }, { NAT_TO_UNK, "x_known" },
	{ NAT_TS, "tstamp" },	      { NAT_TTL, "ttl" },
	{ NAT_PORT, "port" },	      { NAT_MSS, "mtu" },
	{ NAT_FUZZY, "fuzzy" },	      { NAT_APP_VIA, "via" },
	{ NAT_APP_DATE, "date" },     { NAT_APP_LB, "srv_sig_lb" },
	{ NAT_APP_UA, "ua_vs_os" },
};

/* "reason": the names of the bits set, space-separated, or unknown. */
static void add_reason(struct obs *o, u16 reason)
{
	struct strbuf sb;
	size_t i;

	obs_field_begin(o, &sb);
	for (i = 0; i < sizeof(nat_reason_names) / sizeof(nat_reason_names[0]);
	     i++)
		if (reason & nat_reason_names[i].bit)
			sb_word(&sb, 0, nat_reason_names[i].name);
	if (sb.len)
		obs_field_end(o, "reason", &sb);
	else
		obs_add_unknown(o, "reason");
}

/*
 * Push a score onto the host's 32-slot board.  Many recent non-zero
 * scores mean several systems behind one address ("ip sharing"); a single
 * big one means the host changed ("host change").
 */
void add_nat_score(struct engine *e, u8 to_srv, const struct flow *f,
		   u16 reason, u8 score)
{
	struct host *h = to_srv ? f->client : f->server;
	u8 *board = to_srv ? h->cli_scores : h->srv_scores;
	u32 ge6 = 0, ge3 = 0, ge2 = 0, ge1 = 0, i;
	const char *mod;
	struct obs *o;

	memmove(board, board + 1, NAT_SCORES - 1);
	board[NAT_SCORES - 1] = score;
	h->nat_reasons |= reason;
	if (!score)
		return;

	for (i = 0; i < NAT_SCORES; i++) {
		ge6 += board[i] >= 6;
		ge3 += board[i] >= 3;
		ge2 += board[i] >= 2;
		ge1 += board[i] >= 1;
	}

	if (ge6 > 2 || ge3 > 4 || ge2 > 6 || ge1 > 8) {
		mod = "ip sharing";
		reason = h->nat_reasons;
		h->last_nat = now_sec(e);
		memset(board, 0, NAT_SCORES);
		h->nat_reasons = 0;
	} else {
		/* a score of one alone is too weak to report */
		if (score == 1)
			return;
		mod = "host change";
		h->last_chg = now_sec(e);
	}

	o = obs_begin(e, mod, to_srv, f);
	add_reason(o, reason);
	obs_add(o, "raw_hits", "%u,%u,%u,%u", ge6, ge3, ge2, ge1);
	obs_emit(e, o);
}

/* An application signature names the systems it runs on: check the OS. */
void verify_tool_class(struct engine *e, u8 to_srv, struct flow *f,
		       const u32 *sys, u32 sys_cnt)
{
	const struct host *h = to_srv ? f->client : f->server;
	u32 i;

	/* nothing known about the OS yet: nothing to contradict */
	if (h->last_class_id == -1)
		return;
	for (i = 0; i < sys_cnt; i++) {
		if (sys[i] & SYS_CLASS_FLAG) {
			if ((s32)SYS_NF(sys[i]) == h->last_class_id)
				break;
		} else if ((s32)SYS_NF(sys[i]) == h->last_name_id) {
			break;
		}
	}
	if (i == sys_cnt)
		add_nat_score(e, to_srv, f, NAT_APP_SIG, 4);
	else
		add_nat_score(e, to_srv, f, 0, 0);
}
