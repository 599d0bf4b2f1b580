/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The TCP module: SYN and SYN+ACK signatures (tcp_sig.c), their .fp
 * grammar (tcp_db.c), their raw_sig / params text (tcp_dump.c), what a
 * match does to the host (tcp_host.c) and uptime (tcp_uptime.c).
 */
#ifndef OSPREY_TCP_H
#define OSPREY_TCP_H

#include "engine.h"
#include "sigstore.h"

struct flow;
struct strbuf;

#define WIN_TYPE_NORMAL 0x00
#define WIN_TYPE_ANY 0x01
#define WIN_TYPE_MOD 0x02
#define WIN_TYPE_MSS 0x03
#define WIN_TYPE_MTU 0x04

/* A TCP signature: both a database entry's sig and an observed packet's.
 * (Fields ordered to leave no padding: every host keeps two.) */
struct tcp_sig {
	u32 opt_hash;
	u32 quirks;
	u8 opt_eol_pad;
	u8 ip_opt_len;
	s8 ip_ver; /* -1 = any */
	u8 ttl;
	s32 mss; /* -1 = any */
	u16 win;
	u8 win_type; /* WIN_TYPE_* */
	s8 pay_class; /* -1 any, 0 zero, 1 non-zero */
	s16 wscale; /* -1 = any */
	u16 tot_hdr;
	u32 ts1;
	/* match result (observed sigs only) */
	u8 fuzzy;
	u8 dist;
	u64 recv_ms;
	struct tcp_sig_record *matched; /* NULL = no match */
};

/* A [tcp:*] sig line: its label (class_id -1: an application sig), where
 * it is, and the sig. */
struct tcp_sig_record {
	struct sig_label lb;
	u32 line_no;
	u8 bad_ttl;
	struct tcp_sig *sig;
};

/* Names of quirks and options, as p0f prints and parses them. */
struct tcp_name {
	u32 val; /* QUIRK_* bit or TCPOPT_* kind */
	const char *name;
	u8 bad_ver; /* quirks: IP version it cannot occur on, or 0 */
};
#define TCP_QUIRK_NAMES 17
#define TCP_OPT_NAMES 6
extern const struct tcp_name tcp_quirk_names[TCP_QUIRK_NAMES];
extern const struct tcp_name tcp_opt_names[TCP_OPT_NAMES];

/* tcp_sig.c ------------------------------------------------------------ */

/* Observed packet -> sig (p0f's packet_to_sig); recv_ms = packet time. */
void tcp_sig_from_pkt(const struct pkt *pk, u64 recv_ms, struct tcp_sig *ts);
/* p0f's tcp_find_match(): sets ts->matched / fuzzy / dist. */
void tcp_find_match(const struct sigdb *db, u8 to_srv, struct tcp_sig *ts,
		    u8 dupe_det, u16 syn_mss);
/* p0f's detect_win_multi(): window as a multiple of MSS/MTU, or -1. */
s16 tcp_win_multi(const struct tcp_sig *ts, u8 *use_mtu, u16 syn_mss);
/* p0f's guess_dist() */
u8 tcp_guess_dist(u8 ttl);

/* tcp_db.c ------------------------------------------------------------- */

/* One "sig = ..." line of [tcp:request] (to_srv) or [tcp:response] under
 * label lb into db.  0, -EINVAL with the reason in err, or -ENOMEM. */
int tcp_register_sig(struct sigdb *db, u8 to_srv, const struct sig_label *lb,
		     const char *val, u32 line_no, char *err, size_t errlen);
/* Two records (struct tcp_sig_record) whose sigs are alike in every field
 * the grammar sets: the same line written twice. */
int tcp_rec_same_shape(const void *a, const void *b);

/* tcp_dump.c ----------------------------------------------------------- */

/* raw_sig and params text exactly as p0f prints them, appended to sb. */
void tcp_dump_sig(const struct pkt *pk, const struct tcp_sig *ts, u16 syn_mss,
		  struct strbuf *sb);
void tcp_dump_flags(const struct pkt *pk, const struct tcp_sig *ts,
		    struct strbuf *sb);

/* tcp_host.c ----------------------------------------------------------- */

/* Fingerprint a SYN (to_srv) or SYN+ACK; emits syn/syn+ack; returns a
 * heap copy of the packet's sig for the host record (or NULL). */
struct tcp_sig *fingerprint_tcp(struct engine *e, u8 to_srv,
				const struct pkt *pk, struct flow *f);
/* The memo of fingerprint_tcp() results: engine_init()/engine_free(). */
struct tcp_memo *tcp_memo_new(void);
void tcp_memo_free(struct tcp_memo *m);
/* Forget every entry (the database changed under it); m may be NULL. */
void tcp_memo_clear(struct tcp_memo *m);

/* tcp_uptime.c --------------------------------------------------------- */

/* Uptime check on any packet of a flow; may emit "uptime". */
void check_ts_tcp(struct engine *e, u8 to_srv, const struct pkt *pk,
		  struct flow *f);

#endif /* OSPREY_TCP_H */
