// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --unknown-pcap FILE: unmatched SYNs and SYN+ACKs into a pcap file.
 *
 * It sits in the engine's observation callback chain: a "syn" or
 * "syn+ack" observation without a label is an unmatched signature, and
 * the engine's current packet (struct engine's pkt_ip, the bytes from the
 * IP header on, as the capture handed them over) is what produced it.
 * The same path serves -r and live capture.
 *
 * A SYN+ACK is only fingerprinted after the SYN it answers (p0f's rule,
 * and its window is read against that SYN's MSS), so an unmatched
 * SYN+ACK is written after a copy of its SYN: the recent SYNs are kept in
 * a small table by connection, whatever their label.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <pcap/pcap.h>

#include "user/log.h"
#include "user/sigtext.h"
#include "user/unknown_pcap.h"

/* Signatures written so far, by a 64-bit hash of their sig line. */
#define SEEN_SLOTS 2048 /* > 2 x UNKNOWN_MAX_PACKETS */
/* Recent SYNs, by connection: a SYN+ACK follows within a round trip. */
#define SYN_SLOTS 4096
#define SYN_COPY 256 /* bytes kept; more (TCP Fast Open data) is cut */

struct conn_key {
	uint8_t ip_ver;
	uint8_t cli[16], srv[16];
	uint16_t cli_port, srv_port;
};

struct syn_copy {
	struct conn_key key;
	uint64_t ts_ms;
	uint32_t len, caplen;
	uint8_t written; /* already in the file (an unmatched SYN) */
	uint8_t data[SYN_COPY];
};

struct unknown_pcap {
	pcap_t *dead;
	pcap_dumper_t *dump;
	const char *path;
	obs_cb next;
	void *next_ctx;
	struct engine *e;
	uint64_t seen[SEEN_SLOTS];
	struct syn_copy *syn; /* SYN_SLOTS */
	uint32_t packets, bytes;
	uint64_t repeats, over_limit;
};

static uint64_t fnv64(const char *s, uint8_t synack)
{
	uint64_t h = 14695981039346656037ull ^ synack;

	while (*s) {
		h ^= (uint8_t)*s++;
		h *= 1099511628211ull;
	}
	return h ? h : 1;
}

/* 1 if h was not in the set (and now is), 0 if it was. */
static int seen_add(struct unknown_pcap *u, uint64_t h)
{
	uint32_t i = (uint32_t)(h % SEEN_SLOTS);

	while (u->seen[i]) {
		if (u->seen[i] == h)
			return 0;
		i = (i + 1) % SEEN_SLOTS;
	}
	u->seen[i] = h;
	return 1;
}

static const char *raw_field(const struct obs *o)
{
	uint32_t i;

	for (i = 0; i < o->nfields; i++)
		if (!strcmp(o->f[i].key, "raw_sig") && !o->f[i].unknown)
			return o->f[i].val;
	return NULL;
}

static int room(struct unknown_pcap *u, uint32_t bytes)
{
	if (u->packets < UNKNOWN_MAX_PACKETS &&
	    u->bytes + bytes <= UNKNOWN_MAX_BYTES)
		return 1;
	if (!u->over_limit++)
		pr_warn("%s: limit of %u packets / %u bytes reached; further unknown signatures are not written",
			u->path, UNKNOWN_MAX_PACKETS, UNKNOWN_MAX_BYTES);
	return 0;
}

static void dump(struct unknown_pcap *u, uint64_t ts_ms, const uint8_t *p,
		 uint32_t caplen, uint32_t len)
{
	struct pcap_pkthdr h;

	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = (time_t)(ts_ms / 1000);
	h.ts.tv_usec = (suseconds_t)(ts_ms % 1000 * 1000);
	h.caplen = caplen;
	h.len = len;
	pcap_dump((u_char *)u->dump, &h, p);
	u->packets++;
	u->bytes += (uint32_t)sizeof(h) + caplen;
}

static void make_key(struct conn_key *k, const struct obs *o)
{
	memset(k, 0, sizeof(*k));
	k->ip_ver = o->ip_ver;
	memcpy(k->cli, o->cli_addr, 16);
	memcpy(k->srv, o->srv_addr, 16);
	k->cli_port = o->cli_port;
	k->srv_port = o->srv_port;
}

static struct syn_copy *syn_slot(struct unknown_pcap *u,
				 const struct conn_key *k)
{
	const uint8_t *b = (const uint8_t *)k;
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < sizeof(*k); i++)
		h = (h ^ b[i]) * 16777619u;
	return &u->syn[h % SYN_SLOTS];
}

/* Every SYN, matched or not, as the SYN+ACK's companion. */
static void keep_syn(struct unknown_pcap *u, const struct obs *o)
{
	const struct engine *e = u->e;
	struct conn_key k;
	struct syn_copy *c;

	make_key(&k, o);
	c = syn_slot(u, &k);
	c->key = k;
	c->ts_ms = o->ts_ms;
	c->len = e->pkt_len;
	c->caplen = e->pkt_len < SYN_COPY ? e->pkt_len : SYN_COPY;
	c->written = 0;
	memcpy(c->data, e->pkt_ip, c->caplen);
}

static void write_packet(struct unknown_pcap *u, const struct obs *o,
			 uint8_t synack)
{
	const struct engine *e = u->e;
	struct syn_copy *c = NULL;
	struct conn_key k;
	uint32_t need = (uint32_t)sizeof(struct pcap_pkthdr) + e->pkt_len;

	make_key(&k, o);
	if (synack) {
		c = syn_slot(u, &k);
		if (memcmp(&c->key, &k, sizeof(k)) || c->written)
			c = NULL;
		else
			need += (uint32_t)sizeof(struct pcap_pkthdr) +
				c->caplen;
	}
	if (!room(u, need))
		return;
	if (c)
		dump(u, c->ts_ms, c->data, c->caplen, c->len);
	dump(u, o->ts_ms, e->pkt_ip, e->pkt_len, e->pkt_len);
	if (!synack)
		syn_slot(u, &k)->written = 1;
	/* usable while the daemon runs, and nothing lost if it dies */
	pcap_dump_flush(u->dump);
}

static void on_obs(void *ctx, const struct obs *o)
{
	struct unknown_pcap *u = ctx;
	uint8_t synack = !strcmp(o->mod, "syn+ack");
	char line[RAWSIG_LEN];
	struct raw_sig rs;
	const char *raw;

	if (u->next)
		u->next(u->next_ctx, o);
	if ((!synack && strcmp(o->mod, "syn")) || !u->e->pkt_ip)
		return;
	if (!synack)
		keep_syn(u, o);
	if (o->label.set)
		return;
	raw = raw_field(o);
	if (!raw || rawsig_parse(raw, &rs, NULL, 0))
		return;
	rawsig_to_sig(&rs, false, line, sizeof(line));
	if (!seen_add(u, fnv64(line, synack))) {
		u->repeats++;
		return;
	}
	write_packet(u, o, synack);
}

/* path created afresh, 0600, not through a symlink, a regular file. */
static FILE *create(const char *path)
{
	struct stat st;
	FILE *fp;
	int fd;

	fd = open(path,
		  O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_NONBLOCK |
			  O_CLOEXEC,
		  0600);
	if (fd < 0) {
		pr_err("--unknown-pcap %s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || fcntl(fd, F_SETFL, 0)) {
		pr_err("--unknown-pcap %s: not a regular file", path);
		close(fd);
		return NULL;
	}
	fp = fdopen(fd, "wb");
	if (!fp) {
		pr_err("--unknown-pcap %s: %s", path, strerror(errno));
		close(fd);
	}
	return fp;
}

int unknown_pcap_open(struct unknown_pcap **up, const char *path,
		      struct engine *e)
{
	struct unknown_pcap *u = calloc(1, sizeof(*u));
	FILE *fp;

	*up = NULL;
	if (u)
		u->syn = calloc(SYN_SLOTS, sizeof(*u->syn));
	if (!u || !u->syn) {
		free(u);
		pr_err("out of memory");
		return -ENOMEM;
	}
	fp = create(path);
	/* raw IP: the engine's packets start at the IP header */
	u->dead = fp ? pcap_open_dead(DLT_RAW, 65535) : NULL;
	u->dump = u->dead ? pcap_dump_fopen(u->dead, fp) : NULL;
	if (!u->dump) {
		if (u->dead)
			pr_err("--unknown-pcap %s: %s", path,
			       pcap_geterr(u->dead));
		if (fp)
			fclose(fp);
		if (u->dead)
			pcap_close(u->dead);
		free(u->syn);
		free(u);
		return -EIO;
	}
	u->path = path;
	u->e = e;
	u->next = e->on_obs;
	u->next_ctx = e->obs_ctx;
	e->on_obs = on_obs;
	e->obs_ctx = u;
	*up = u;
	return 0;
}

void unknown_pcap_close(struct unknown_pcap *u, struct engine *e)
{
	if (!u)
		return;
	if (e->obs_ctx == u) {
		e->on_obs = u->next;
		e->obs_ctx = u->next_ctx;
	}
	pr_info("%s: %u packets of unmatched signatures written (%llu repeats and %llu over the limit left out)",
		u->path, u->packets, (unsigned long long)u->repeats,
		(unsigned long long)u->over_limit);
	pcap_dump_close(u->dump);
	pcap_close(u->dead);
	free(u->syn);
	free(u);
}
