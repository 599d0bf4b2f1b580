// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Uptime from TCP timestamps (p0f 3.09b's check_ts_tcp): the clock rate
 * between a host's last SYN (or SYN+ACK) and a later packet of the same
 * kind of flow, and the uptime it implies.
 */
#include "flow.h"
#include "obs.h"
#include "tcp.h"

/* p0f's rounding of a timestamp clock rate. */
static u32 round_freq(u32 freq)
{
	if (freq == 0)
		return 1;
	if (freq <= 10)
		return freq;
	if (freq <= 50)
		return (freq + 3) / 5 * 5;
	if (freq <= 100)
		return (freq + 7) / 10 * 10;
	if (freq <= 500)
		return (freq + 33) / 50 * 50;
	return (freq + 67) / 100 * 100;
}

void check_ts_tcp(struct engine *e, u8 to_srv, const struct pkt *pk,
		  struct flow *f)
{
	struct host *h = to_srv ? f->client : f->server;
	const struct tcp_sig *ref = host_last_sig(h, to_srv);
	s16 *tps = to_srv ? &f->cli_tps : &f->srv_tps;
	u32 ts_diff, freq, up_min, up_mod_days;
	u64 ms_diff;
	double ffreq;
	struct obs *o;

	if (!pk->ts1 || f->sendsyn)
		return;
	/* one estimate (or one failure) per flow and direction */
	if (*tps || !ref || !ref->ts1)
		return;

	ms_diff = e->now_ms - ref->recv_ms;
	ts_diff = pk->ts1 - ref->ts1;
	if (ms_diff < MIN_TWAIT || ms_diff > MAX_TWAIT)
		return;
	/* too few ticks, or a small step back shortly after (reordering) */
	if (ts_diff < 5 || (ms_diff < TSTAMP_GRACE &&
			    (~ts_diff) / 1000 < MAX_TSCALE / TSTAMP_GRACE))
		return;

	/* p0f measures a backward step as ~diff, one tick short of -diff */
	if (ts_diff > ~ts_diff)
		ffreq = ~ts_diff * -1000.0 / ms_diff;
	else
		ffreq = ts_diff * 1000.0 / ms_diff;

	if (ffreq < MIN_TSCALE || ffreq > MAX_TSCALE) {
		/* a SYN may come from another host behind the address */
		if (pk->tcp_type != TCP_SYN)
			*tps = -1;
		return;
	}

	freq = round_freq((u32)ffreq);
	*tps = (s16)freq;
	up_min = pk->ts1 / freq / 60;
	up_mod_days = 0xFFFFFFFFu / (freq * 60 * 60 * 24);
	h->last_up_min = (s32)up_min;
	h->up_mod_days = up_mod_days;

	o = obs_begin(e, "uptime", to_srv, f);
	obs_add(o, "uptime", "%u days %u hrs %u min (modulo %u days)",
		up_min / 60 / 24, (up_min / 60) % 24, up_min % 60, up_mod_days);
	obs_add(o, "raw_freq", "%.02f Hz", ffreq);
	obs_emit(e, o);
}
