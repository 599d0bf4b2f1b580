/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's packet selection, replayed on a capture file (-r), so that
 * --port-allow/--port-deny/--net-allow/--net-deny and --flow-budget mean
 * the same offline as live (bpf/capture.bpf.c):
 *
 *   - the port and network lists judge SYN and SYN+ACK only (deny lists
 *     first; an allow list must match the source or the destination); a
 *     handshake left out opens no flow, so nothing of that connection is
 *     examined;
 *   - with a flow budget, a connection's later packets are examined per
 *     direction until B bytes of in-order payload and 64 packets were
 *     taken; a packet carrying more than what is left of the budget is
 *     cut (its IP length rewritten, as the kernel does), out-of-order
 *     data keeps its headers only, and a spent direction shows nothing
 *     but FIN/RST.  Packets of connections whose handshake was not seen
 *     are not examined.
 *
 * Without these options -r examines every packet, as p0f does.  Not
 * replayed: the kernel's flow age limit and its cache evictions.
 */
#ifndef OSPREY_OFFLINE_SEL_H
#define OSPREY_OFFLINE_SEL_H

#include <stddef.h>
#include <stdint.h>

struct offline_sel;

struct offline_sel_cfg {
	const char *port_allow, *port_deny, *net_allow, *net_deny;
	uint32_t flow_budget; /* 0: no budget (every packet) */
};

/* *out is NULL when the configuration asks for nothing.  0 or -EINVAL
 * (a bad list, message in err) or -ENOMEM. */
int offline_sel_new(struct offline_sel **out, const struct offline_sel_cfg *c,
		    char *err, size_t errlen);
/* pcap_src's selection hook: 1 to examine the packet at *ip (*ip, *len
 * may be replaced by a shortened copy, valid until the next call), 0 to
 * leave it out. */
int offline_sel_packet(void *sel, const uint8_t **ip, size_t *len);
/* Handshakes the port and network lists left out. */
uint64_t offline_sel_filtered(const struct offline_sel *s);
void offline_sel_free(struct offline_sel *s);

#endif /* OSPREY_OFFLINE_SEL_H */
