// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel's packet selection on a capture file (offline_sel.h).  The
 * rules are capture.bpf.c's, step for step: filtered(), flow_open_syn(),
 * flow_open_synack() and flow_packet(); the lists are parsed by the same
 * functions as live (capture_parse_ports, capture_parse_cidrs).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "user/capture.h"
#include "user/engine/engine.h"
#include "user/offline_sel.h"

#define SEL_BUCKETS (1u << 16)
#define SEL_MAX_FLOWS (1u << 20) /* beyond: new flows are not tracked */
#define SEL_FLOW_PKTS 64 /* OSPREY_FLOW_MAX_PKTS, the kernel's default */
#define SEL_SNAP 65536

struct sel_flow {
	struct sel_flow *next;
	u8 ip_ver;
	u8 a[16], b[16]; /* endpoints in a fixed order: a <= b */
	u16 ap, bp;
	bool client_is_a;
	u32 budget[2], pkts[2], next_seq[2]; /* [0] client -> server */
	bool seq_known[2];
};

struct offline_sel {
	struct osprey_port_bitmap ports[2]; /* allow, deny */
	bool port_set[2];
	struct capture_cidr net[2][OSPREY_MAX_CIDRS];
	size_t n_net[2];
	u32 budget;
	struct sel_flow **tab;
	u32 n_flows;
	u64 filtered;
	u8 buf[SEL_SNAP];
};

/* ---------------------------------------------------------- filters */

static bool port_in(const struct offline_sel *s, int l, u16 sp, u16 dp)
{
	const u8 *bits = s->ports[l].bits;

	return (bits[sp >> 3] & (1u << (sp & 7))) ||
	       (bits[dp >> 3] & (1u << (dp & 7)));
}

static bool cidr_has(const struct capture_cidr *c, const u8 *addr, u8 ver)
{
	u8 fam = ver == IP_VER6 ? 6 : 4, full = c->prefix / 8,
	   rest = c->prefix % 8;

	if (c->family != fam || memcmp(c->addr, addr, full))
		return false;
	return !rest || !((c->addr[full] ^ addr[full]) & (0xff00 >> rest));
}

static bool net_in(const struct offline_sel *s, int l, const struct pkt *pk)
{
	size_t i;

	for (i = 0; i < s->n_net[l]; i++)
		if (cidr_has(&s->net[l][i], pk->src, pk->ip_ver) ||
		    cidr_has(&s->net[l][i], pk->dst, pk->ip_ver))
			return true;
	return false;
}

/* capture.bpf.c's filtered(): deny lists win, an allow list must match */
static bool filtered(const struct offline_sel *s, const struct pkt *pk)
{
	if (s->port_set[1] && port_in(s, 1, pk->sport, pk->dport))
		return true;
	if (s->port_set[0] && !port_in(s, 0, pk->sport, pk->dport))
		return true;
	if (s->n_net[1] && net_in(s, 1, pk))
		return true;
	return s->n_net[0] && !net_in(s, 0, pk);
}

/* ------------------------------------------------------------ flows */

static size_t alen(u8 ver)
{
	return ver == IP_VER6 ? 16 : 4;
}

/* Is the sender the endpoint `a` of the flow's fixed order? */
static bool sender_is_a(const struct pkt *pk)
{
	int c = memcmp(pk->src, pk->dst, alen(pk->ip_ver));

	return c < 0 || (!c && pk->sport <= pk->dport);
}

static u32 flow_hash(const struct sel_flow *f)
{
	u32 h = 2166136261u, i;

	for (i = 0; i < 16; i++)
		h = (h ^ (f->a[i] ^ f->b[i])) * 16777619u;
	return (h ^ f->ap ^ ((u32)f->bp << 16) ^ f->ip_ver) & (SEL_BUCKETS - 1);
}

/* The flow of pk (its key filled into k), and where its link is. */
static struct sel_flow **flow_slot(struct offline_sel *s, const struct pkt *pk,
				   struct sel_flow *k)
{
	bool a = sender_is_a(pk);
	struct sel_flow **p;

	memset(k, 0, sizeof(*k));
	k->ip_ver = pk->ip_ver;
	memcpy(k->a, a ? pk->src : pk->dst, alen(pk->ip_ver));
	memcpy(k->b, a ? pk->dst : pk->src, alen(pk->ip_ver));
	k->ap = a ? pk->sport : pk->dport;
	k->bp = a ? pk->dport : pk->sport;
	for (p = &s->tab[flow_hash(k)]; *p; p = &(*p)->next)
		if ((*p)->ip_ver == k->ip_ver && (*p)->ap == k->ap &&
		    (*p)->bp == k->bp && !memcmp((*p)->a, k->a, 16) &&
		    !memcmp((*p)->b, k->b, 16))
			break;
	return p;
}

/* A flow in *slot (reused, or new), initialised for a client. */
static struct sel_flow *flow_open(struct offline_sel *s, struct sel_flow **slot,
				  const struct sel_flow *k, bool client_is_a)
{
	struct sel_flow *f = *slot;

	if (!f) {
		if (s->n_flows >= SEL_MAX_FLOWS || !(f = malloc(sizeof(*f))))
			return NULL;
		*f = *k;
		*slot = f;
		s->n_flows++;
	}
	f->client_is_a = client_is_a;
	f->budget[0] = f->budget[1] = s->budget;
	f->pkts[0] = f->pkts[1] = SEL_FLOW_PKTS;
	return f;
}

static void flow_end(struct offline_sel *s, struct sel_flow **slot)
{
	struct sel_flow *f = *slot;

	*slot = f->next;
	free(f);
	s->n_flows--;
}

static u32 be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

/* flow_open_syn / flow_open_synack */
static void handshake(struct offline_sel *s, const struct pkt *pk,
		      const u8 *tcp)
{
	bool synack = pk->tcp_type & TCP_ACK, a = sender_is_a(pk);
	struct sel_flow k, **slot = flow_slot(s, pk, &k), *f = *slot;

	if (synack && f) {
		if (f->client_is_a != a) { /* the server's ISN */
			f->next_seq[1] = pk->seq + 1;
			f->seq_known[1] = true;
		}
		return;
	}
	f = flow_open(s, slot, &k, synack ? !a : a);
	if (!f)
		return;
	f->next_seq[0] = synack ? be32(tcp + 8) : pk->seq + 1;
	f->next_seq[1] = synack ? pk->seq + 1 : 0;
	f->seq_known[0] = true;
	f->seq_known[1] = synack;
}

/* Copy of the packet with cap payload bytes; its IP length rewritten. */
static const u8 *cut(struct offline_sel *s, const u8 *ip, const struct pkt *pk,
		     u32 cap, size_t *len)
{
	size_t n = pk->tot_hdr + cap, v;

	if (n > sizeof(s->buf))
		n = sizeof(s->buf);
	memcpy(s->buf, ip, n);
	v = pk->ip_ver == IP_VER6 ? n - 40 : n; /* IPv6: payload length */
	s->buf[pk->ip_ver == IP_VER6 ? 4 : 2] = (u8)(v >> 8);
	s->buf[pk->ip_ver == IP_VER6 ? 5 : 3] = (u8)v;
	*len = n;
	return s->buf;
}

/* flow_packet(): 0 to leave the packet out, else 1 (maybe cut). */
static int later_packet(struct offline_sel *s, const struct pkt *pk,
			const u8 **ip, size_t *len)
{
	struct sel_flow k, **slot = flow_slot(s, pk, &k), *f = *slot;
	bool last = pk->tcp_type & (TCP_FIN | TCP_RST), in_order = false;
	u32 cap = 0;
	int d;

	if (!f)
		return 0;
	d = sender_is_a(pk) == f->client_is_a ? 0 : 1;
	if (!last && (!f->budget[d] || !f->pkts[d]))
		return 0;
	if (pk->pay_len) {
		if (!f->seq_known[d]) {
			f->next_seq[d] = pk->seq;
			f->seq_known[d] = true;
		}
		in_order = pk->seq == f->next_seq[d];
		cap = !in_order			 ? 0 :
		      pk->pay_len < f->budget[d] ? pk->pay_len :
						   f->budget[d];
		if (cap < pk->pay_len)
			*ip = cut(s, *ip, pk, cap, len);
	}
	if (in_order) {
		f->next_seq[d] = pk->seq + pk->pay_len;
		f->budget[d] -= cap;
	}
	if (f->pkts[d])
		f->pkts[d]--;
	if (last ||
	    ((!f->budget[0] || !f->pkts[0]) && (!f->budget[1] || !f->pkts[1])))
		flow_end(s, slot);
	return 1;
}

int offline_sel_packet(void *ctx, const uint8_t **ip, size_t *len)
{
	struct offline_sel *s = ctx;
	struct pkt pk;
	size_t tcp_off;

	/* what the engine will refuse anyway, it may count as it does */
	if (pkt_parse(*ip, *len, 0, &pk) != PKT_OK)
		return 1;
	if ((pk.tcp_type & (TCP_SYN | TCP_FIN | TCP_RST)) == TCP_SYN) {
		if (filtered(s, &pk)) {
			s->filtered++;
			return 0;
		}
		tcp_off =
			pk.ip_ver == IP_VER6 ? 40 : (size_t)((*ip)[0] & 15) * 4;
		if (s->budget)
			handshake(s, &pk, *ip + tcp_off);
		return 1;
	}
	return s->budget ? later_packet(s, &pk, ip, len) : 1;
}

/* -------------------------------------------------------- lifecycle */

static bool set(const char *spec)
{
	return spec && spec[strspn(spec, " \t")];
}

static int parse_lists(struct offline_sel *s, const struct offline_sel_cfg *c,
		       char *err, size_t errlen)
{
	const char *ports[2] = { c->port_allow, c->port_deny };
	const char *nets[2] = { c->net_allow, c->net_deny };
	int i, rc;

	for (i = 0; i < 2; i++) {
		if (set(ports[i])) {
			rc = capture_parse_ports(ports[i], s->ports[i].bits,
						 err, errlen);
			if (rc)
				return rc;
			s->port_set[i] = true;
		}
		if (set(nets[i])) {
			rc = capture_parse_cidrs(nets[i], s->net[i],
						 OSPREY_MAX_CIDRS, &s->n_net[i],
						 err, errlen);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int offline_sel_new(struct offline_sel **out, const struct offline_sel_cfg *c,
		    char *err, size_t errlen)
{
	struct offline_sel *s;
	int rc;

	*out = NULL;
	if (!set(c->port_allow) && !set(c->port_deny) && !set(c->net_allow) &&
	    !set(c->net_deny) && !c->flow_budget)
		return 0;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->budget = c->flow_budget;
	rc = parse_lists(s, c, err, errlen);
	if (!rc && s->budget) {
		s->tab = calloc(SEL_BUCKETS, sizeof(*s->tab));
		rc = s->tab ? 0 : -ENOMEM;
	}
	if (rc) {
		offline_sel_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

uint64_t offline_sel_filtered(const struct offline_sel *s)
{
	return s ? s->filtered : 0;
}

void offline_sel_free(struct offline_sel *s)
{
	u32 i;

	if (!s)
		return;
	for (i = 0; s->tab && i < SEL_BUCKETS; i++)
		while (s->tab[i])
			flow_end(s, &s->tab[i]);
	free(s->tab);
	free(s);
}
