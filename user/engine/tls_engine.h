/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TLS and cleartext HTTP/2 inside the engine: osprey's modules beside
 * p0f's, fed the same parsed packets.
 *
 * They keep their own table of connections (tls_conn.c) instead of
 * p0f's flows: p0f ends a flow as soon as its first payload is not HTTP
 * (every TLS connection), and which flows exist decides what p0f prints,
 * so the p0f modules' flows must live exactly as long as in p0f.  A
 * connection is followed from the first payload of p0f's flow, if that
 * payload may open a hello (a plain HTTP, SSH or SMTP connection costs a
 * look at one byte and no memory): the client's stream starts at the
 * SYN's sequence number + 1, the server's at the SYN+ACK's, as p0f's
 * flow still holds them then (a hello in the SYN, TFO, from the SYN on).
 * Each stream
 * is a struct tls_stream (tls.h): in-order bytes joined by sequence
 * number up to the first hello, which is parsed once.  A client stream
 * that opens with the HTTP/2 preface is read for the h2c fingerprint
 * instead (h2.h).  A direction whose start was not seen (no SYN+ACK in a
 * capture, a ring buffer loss) starts at its first payload.  A connection
 * without a p0f flow (a capture that begins mid-connection, a handshake
 * p0f's flow did not survive, a protocol p0f gave up on: HTTP CONNECT,
 * SOCKS, STARTTLS) is picked up at a payload that opens with a plausible
 * ClientHello or ServerHello record (or the h2c preface), as FoxIO's and
 * Wireshark's readers do.  A connection stays known after its hellos
 * (so a retransmitted hello is not a second one) until RST, FIN from
 * both sides, the engine's conn_max_age, or it is the oldest when room
 * is needed (at most max_conn connections, like p0f's flows).  A hello
 * begun (its first record header seen) and not finished by then is
 * reported as incomplete, never fingerprinted.
 *
 * Memory: sizeof(struct tls_conn) per connection followed (the two
 * streams are most of it), plus a buffer of the hello's size only while
 * a hello spans segments; a hello whole in one segment is parsed in the
 * packet.  Hosts keep only the latest JA4 and SNI (struct host).
 */
#ifndef OSPREY_TLS_ENGINE_H
#define OSPREY_TLS_ENGINE_H

#include "engine.h"
#include "tls.h"

enum tls_dir {
	TLS_CLI = 0, /* client -> server: the ClientHello */
	TLS_SRV = 1, /* server -> client: the ServerHello */
};

/* What the client's stream turned out to be for h2c. */
enum tls_h2 {
	H2_NO = 0, /* not (yet) seen to start with the preface */
	H2_ON, /* starts with the preface: read for the fingerprint */
	H2_DONE, /* fingerprinted, or given up */
};

struct tls_conn {
	struct tls_conn *next, *prev; /* bucket chain */
	struct tls_conn *older, *newer; /* age list, oldest first */
	u32 hash;
	u32 created; /* packet seconds */
	u8 ip_ver;
	u8 open; /* bit per direction whose stream start is known */
	u8 fin; /* bit per direction that sent FIN */
	u8 h2; /* enum tls_h2 */
	u8 mid; /* picked up mid-stream: its handshake was not seen */
	u8 done; /* both hellos settled: kept only to know the connection */
	u16 cli_port, srv_port;
	u8 cli[16], srv[16];
	struct tls_stream st[2]; /* enum tls_dir */
};

/* The table (tls_conn.c) and the scratch the observations use. */
struct tls_table {
	struct tls_conn **b;
	u32 mask; /* buckets - 1 */
	u32 cnt;
	struct tls_conn *oldest, *newest;
	struct tls_conn *spare; /* freed connections kept for reuse */
	u32 spare_cnt;
	u32 seed;
	u32 last_expire; /* packet second of the last expiry pass */
	/* ja4_r / ja3 strings, built before they are added (the field
	 * order puts them last); allocated once, not per hello */
	char raw[OBS_VAL_LEN];
	char str[OBS_VAL_LEN];
};

/* tls_conn.c: set up / tear down e->tls; 0 or -ENOMEM. */
int tls_table_init(struct engine *e);
void tls_table_free(struct engine *e);
/* Every packet pkt_parse() accepted, before p0f's modules have it (they
 * may end f): f is p0f's flow of the packet or NULL, to_srv its
 * direction in f.  A connection is followed from the first payload of
 * p0f's flow, whose sequence numbers say where the two streams start. */
struct flow;
void tls_packet(struct engine *e, const struct pkt *pk, const struct flow *f,
		u8 to_srv);
/* A packet pkt_parse() refused: read it for TLS alone if it is a
 * segmentation-offload frame (IP length 0, see pkt_parse_len0()). */
void tls_packet_len0(struct engine *e, const u8 *ip, size_t len, u64 ts_ms);
/* End connections older than conn_max_age (once per packet second). */
void tls_expire(struct engine *e);
/* End every connection (the input is over): open hellos are incomplete. */
void tls_end_all(struct engine *e);

/* tls_obs.c: the observations, and the client host's JA4 / SNI. */
void tls_obs_client(struct engine *e, const struct tls_conn *c,
		    const struct tls_hello *h);
void tls_obs_server(struct engine *e, const struct tls_conn *c,
		    const struct tls_hello *h);
/* A hello not fingerprinted: "tls client|server" with error=WHY
 * (-EAGAIN: incomplete; -EBADMSG, -EMSGSIZE, -EPROTONOSUPPORT). */
void tls_obs_error(struct engine *e, const struct tls_conn *c, int dir,
		   int err);
/* The h2c fingerprint of the client's stream s[0..len): emits an
 * "http request" with h2=... and returns 0, or h2_fingerprint()'s
 * -errno (-EAGAIN with *need) and emits nothing. */
int tls_obs_h2(struct engine *e, const struct tls_conn *c, const u8 *s,
	       size_t len, size_t *need);

#endif /* OSPREY_TLS_ENGINE_H */
