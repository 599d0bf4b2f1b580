// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The engine: engine_init / engine_feed / engine_free, and the dispatch of
 * each parsed packet by its TCP flags to the flow tables (flow.c) and the
 * modules, in p0f 3.09b's order.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "host_tls.h"
#include "http.h"
#include "mtu.h"
#include "pool.h"
#include "tcp.h"
#include "tls_engine.h"

/* p0f looks for stale entries on every 50th packet, at most once a second */
#define EXPIRE_INTERVAL 50

/* ------------------------------------------------------------- dispatch */

static void notify_host(struct engine *e, const struct host *h)
{
	if (e->on_host && h)
		e->on_host(e->host_ctx, h);
}

/*
 * What a SYN (to_srv) and a SYN+ACK both go through, in p0f's order: the
 * TCP signature, MTU and uptime; the signature then becomes the host's
 * last one of its kind.  Returns 0, or -1 when the flow was ended.
 */
static int handshake(struct engine *e, u8 to_srv, const struct pkt *pk,
		     struct flow *f)
{
	struct host *h = to_srv ? f->client : f->server;
	struct tcp_sig *sig = fingerprint_tcp(e, to_srv, pk, f);

	/* Tool signatures (nmap, ...) end the flow: nothing more to learn. */
	if (!sig && !f->sendsyn) {
		flow_destroy(e, f);
		return -1;
	}
	fingerprint_mtu(e, to_srv, pk, f);
	check_ts_tcp(e, to_srv, pk, f);
	/* stored only now: check_ts_tcp compares with the previous one */
	if (sig) {
		*host_sig_slot(h, to_srv) = *sig;
		h->tcp_sigs |= to_srv ? HOST_SIG_SYN : HOST_SIG_SYNACK;
		pool_put(e->tcp_sigs, sig);
	}
	notify_host(e, h);
	return 0;
}

static void on_syn(struct engine *e, const struct pkt *pk, struct flow *f,
		   u8 to_srv)
{
	if (f) {
		/* the same SYN again: a retransmission, not a new flow */
		if (to_srv && f->next_cli_seq - 1 == pk->seq)
			return;
		flow_destroy(e, f);
	}
	f = flow_create(e, pk);
	if (!f)
		return;
	e->st.syn++;
	handshake(e, 1, pk, f);
}

static void on_synack(struct engine *e, const struct pkt *pk, struct flow *f,
		      u8 to_srv)
{
	if (!f)
		return;
	/* a p0f-sendsyn probe's answer is reported, and that is all */
	if (f->sendsyn) {
		fingerprint_tcp(e, 0, pk, f);
		flow_destroy(e, f);
		return;
	}
	if (to_srv || f->acked)
		return;
	f->acked = 1;
	e->st.synack++;
	if (!handshake(e, 0, pk, f))
		f->next_srv_seq = pk->seq + 1;
}

/*
 * Append in-order payload, NUL-terminated, up to MAX_FLOW_DATA.  The
 * buffer grows in 1 kB steps and stays with the flow when it is recycled,
 * so a busy engine stops allocating once its flows have grown theirs.
 */
static int append_data(u8 **buf, u32 *len, u32 *cap, const struct pkt *pk)
{
	u32 amt, want;
	u8 *nb;

	if (*len >= MAX_FLOW_DATA || !pk->pay_len)
		return 0;
	amt = pk->pay_len;
	if (amt > MAX_FLOW_DATA - *len)
		amt = MAX_FLOW_DATA - *len;
	want = (*len + amt + 1 + 1023) & ~1023u;
	if (want > *cap) {
		nb = realloc(*buf, want);
		if (!nb)
			return -ENOMEM;
		*buf = nb;
		*cap = want;
	}
	memcpy(*buf + *len, pk->payload, amt);
	*len += amt;
	(*buf)[*len] = 0;
	return 0;
}

static void on_ack(struct engine *e, const struct pkt *pk, struct flow *f,
		   u8 to_srv)
{
	u8 done;

	if (!f)
		return;
	if (f->sendsyn || !f->acked) {
		flow_destroy(e, f);
		return;
	}
	/* no reassembly: anything but the next expected segment is ignored */
	if (to_srv) {
		if (f->next_cli_seq != pk->seq)
			return;
		if (append_data(&f->request, &f->req_len, &f->req_cap, pk))
			return;
		check_ts_tcp(e, 1, pk, f);
		f->next_cli_seq += pk->pay_len;
	} else {
		if (f->next_srv_seq != pk->seq)
			return;
		if (append_data(&f->response, &f->resp_len, &f->resp_cap, pk))
			return;
		check_ts_tcp(e, 0, pk, f);
		f->next_srv_seq += pk->pay_len;
	}
	if (!pk->pay_len)
		return;

	if (!f->http_ready) {
		memset(&f->http_tmp, 0, sizeof(f->http_tmp));
		f->http_ready = 1;
	}
	done = process_http(e, to_srv, f);
	if (done ||
	    (f->req_len >= MAX_FLOW_DATA && f->resp_len >= MAX_FLOW_DATA))
		flow_destroy(e, f);
}

static void dispatch(struct engine *e, const struct pkt *pk)
{
	u8 to_srv = 0;
	struct flow *f = flow_lookup(e, pk, &to_srv);

	/* osprey's TLS first: it reads where the streams start off p0f's
	 * flow, which p0f's modules may end */
	tls_packet(e, pk, f, to_srv);
	switch (pk->tcp_type) {
	case TCP_SYN:
		on_syn(e, pk, f, to_srv);
		break;
	case TCP_SYN | TCP_ACK:
		on_synack(e, pk, f, to_srv);
		break;
	case TCP_RST | TCP_ACK:
	case TCP_RST:
	case TCP_FIN | TCP_ACK:
	case TCP_FIN:
		if (f) {
			check_ts_tcp(e, to_srv, pk, f);
			flow_destroy(e, f);
		}
		break;
	case TCP_ACK:
		on_ack(e, pk, f, to_srv);
		break;
	default:
		break;
	}
}

int engine_feed(struct engine *e, const u8 *ip, size_t len, u64 ts_ms)
{
	return engine_feed_meta(e, ip, len, ts_ms, NULL);
}

int engine_feed_meta(struct engine *e, const u8 *ip, size_t len, u64 ts_ms,
		     const struct pkt_meta *meta)
{
	static const u8 empty[1];
	struct pkt pk;
	int rc;

	e->st.packets++;
	e->now_ms = ts_ms;
	/* flows expired below were opened by other packets: no meta */
	e->meta = NULL;
	/* p0f counts every packet its filter passes, parsable or not */
	if (!(e->st.packets % EXPIRE_INTERVAL)) {
		flow_expire(e);
		tls_expire(e);
	}

	rc = pkt_parse(ip ? ip : empty, ip ? len : 0, ts_ms, &pk);
	if (rc != PKT_OK) {
		if (rc > 0 && rc < PKT_ERR_MAX)
			e->st.pkt_err[rc]++;
		/* refused as p0f refuses it, but TLS can read an offload
		 * frame's hello (tls_engine.h) */
		if (rc == PKT_ERR_SHORT && ip)
			tls_packet_len0(e, ip, len, ts_ms);
		return rc;
	}
	e->meta = meta;
	e->pkt_ip = ip;
	e->pkt_len = (u32)len;
	dispatch(e, &pk);
	e->meta = NULL;
	e->pkt_ip = NULL;
	e->pkt_len = 0;
	return PKT_OK;
}

void engine_end_input(struct engine *e)
{
	tls_end_all(e);
}

/* --------------------------------------------------------------- engine */

int engine_init(struct engine *e, struct sigdb *db,
		const struct engine_config *cfg)
{
	int rc = -ENOMEM;

	memset(e, 0, sizeof(*e));
	e->db = db;
	if (cfg)
		e->cfg = *cfg;
	if (!e->cfg.max_conn)
		e->cfg.max_conn = DEF_MAX_CONN;
	if (!e->cfg.max_hosts)
		e->cfg.max_hosts = DEF_MAX_HOSTS;
	if (!e->cfg.conn_max_age)
		e->cfg.conn_max_age = DEF_CONN_MAX_AGE;
	if (!e->cfg.host_idle_limit)
		e->cfg.host_idle_limit = DEF_HOST_IDLE_LIMIT;
	e->obs = calloc(1, sizeof(*e->obs));
	if (!e->obs)
		goto cleanup;
	/* the tables are sized from the limits above */
	rc = flow_tables_init(e);
	if (rc)
		goto cleanup;
	/* without the memo fingerprinting still works, only slower */
	e->tcp_memo = tcp_memo_new();
	/* sized by max_conn, so after the defaults */
	rc = tls_table_init(e);
	if (rc)
		goto cleanup;
	return 0;
cleanup:
	flow_tables_free(e);
	tcp_memo_free(e->tcp_memo);
	e->tcp_memo = NULL;
	free(e->obs);
	e->obs = NULL;
	return rc;
}

void engine_free(struct engine *e)
{
	tls_table_free(e);
	flow_tables_free(e);
	host_tls_free(e); /* after the hosts that point into it */
	tcp_memo_free(e->tcp_memo);
	e->tcp_memo = NULL;
	free(e->obs);
	e->obs = NULL;
}
