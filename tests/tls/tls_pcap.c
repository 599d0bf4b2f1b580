// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tls_pcap: the TLS module run over a capture, standalone (until the engine
 * carries it and `osprey -r --json` prints the same records).
 *
 *   tls_pcap [-a] FILE
 *
 * Reads FILE with libpcap (link layers as osprey's reader: user/pcap_src.c),
 * follows TCP connections by their 4-tuple, and hands each direction's
 * segments to a struct tls_stream (reassembly by sequence number, first
 * hello only).  A direction's stream starts after the SYN's sequence number
 * when the SYN was captured, else at the first payload seen.  One JSON line
 * per hello, in the shape planned for osprey's own records:
 *   {"mod":"tls client","client":{"addr":..,"port":..},"server":{..},
 *    "ja4":..,"ja4_r":..,"ja3":..,"ja3_string":..,"sni":..,"alpn":[..],
 *    "version":..}
 *   {"mod":"tls server",...,"ja3s":..,"ja3s_string":..,"version":..,
 *    "alpn":..}
 * and {"mod":"tls error",...,"error":..} for a stream that started like a
 * TLS handshake record and then failed (incomplete ones at the end too);
 * with -a also {"mod":"tls none",...,"first":HEX} for each direction whose
 * stream does not start with a handshake record (its first 8 bytes).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "user/engine/tls.h"
#include "user/pcap_src.h"

#define FLOW_BUCKETS 65536
#define RAW_MAX 65536

struct dir {
	struct tls_stream want[2]; /* ClientHello, ServerHello */
	uint8_t started, payload;
	uint8_t nfirst, first[8]; /* the stream's first bytes (-a) */
};

struct conn {
	uint8_t v6;
	uint8_t addr[2][16]; /* [0] = the side that sent the first packet */
	uint16_t port[2];
	struct dir d[2];
	uint8_t syn[2]; /* SYN seen from side i */
	struct conn *next;
};

static struct conn *tab[FLOW_BUCKETS];
static int show_all;

static unsigned hash_key(const uint8_t *a, const uint8_t *b, uint16_t pa,
			 uint16_t pb)
{
	unsigned h = 2166136261u, i;

	for (i = 0; i < 16; i++)
		h = (h ^ (a[i] ^ b[i])) * 16777619u;
	return (h ^ (pa ^ pb)) % FLOW_BUCKETS;
}

/* Finds or makes the flow; *side is the sender's index in it. */
static struct conn *lookup(uint8_t v6, const uint8_t *src, const uint8_t *dst,
			   uint16_t sp, uint16_t dp, int *side)
{
	unsigned h = hash_key(src, dst, sp, dp);
	struct conn *f;

	for (f = tab[h]; f; f = f->next) {
		if (f->v6 != v6)
			continue;
		for (*side = 0; *side < 2; (*side)++)
			if (!memcmp(f->addr[*side], src, 16) &&
			    !memcmp(f->addr[!*side], dst, 16) &&
			    f->port[*side] == sp && f->port[!*side] == dp)
				return f;
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->v6 = v6;
	memcpy(f->addr[0], src, 16);
	memcpy(f->addr[1], dst, 16);
	f->port[0] = sp;
	f->port[1] = dp;
	f->next = tab[h];
	tab[h] = f;
	*side = 0;
	return f;
}

static void put_str(const uint8_t *p, size_t n)
{
	size_t i;

	putchar('"');
	for (i = 0; i < n; i++) {
		if (p[i] == '"' || p[i] == '\\')
			printf("\\%c", p[i]);
		else if (p[i] < 0x20 || p[i] >= 0x7f)
			printf("\\u%04x", p[i]);
		else
			putchar(p[i]);
	}
	putchar('"');
}

/* The two ends, `cli` first, under the given names. */
static void put_ends_as(const struct conn *f, int cli, const char *n0,
			const char *n1)
{
	char a[INET6_ADDRSTRLEN];
	int i, s;

	for (i = 0; i < 2; i++) {
		s = i ? !cli : cli;
		inet_ntop(f->v6 ? AF_INET6 : AF_INET, f->addr[s], a, sizeof(a));
		printf(",\"%s\":{\"addr\":\"%s\",\"port\":%u}", i ? n1 : n0, a,
		       f->port[s]);
	}
}

static void put_ends(const struct conn *f, int cli)
{
	put_ends_as(f, cli, "client", "server");
}

static void put_alpn(const struct tls_hello *h)
{
	struct tls_span name;
	uint32_t off = 0;
	int first = 1;

	printf(",\"alpn\":[");
	while (tls_alpn_next(h, &off, &name)) {
		if (!first)
			putchar(',');
		put_str(name.p, name.len);
		first = 0;
	}
	putchar(']');
}

static void print_client(const struct conn *f, int side,
			 const struct tls_hello *h)
{
	static char raw[RAW_MAX], str[RAW_MAX];
	char ja4[JA4_LEN + 1], ja3[JA3_HASH_LEN + 1];

	ja4_client(h, ja4, raw, sizeof(raw), NULL);
	ja3_client(h, ja3, str, sizeof(str), NULL);
	printf("{\"mod\":\"tls client\"");
	put_ends(f, side);
	printf(",\"ja4\":\"%s\",\"ja4_r\":\"%s\",\"ja3\":\"%s\","
	       "\"ja3_string\":\"%s\",\"sni\":",
	       ja4, raw, ja3, str);
	if (h->sni.p)
		put_str(h->sni.p, h->sni.len);
	else
		printf("null");
	put_alpn(h);
	printf(",\"version\":\"0x%04x\"}\n", tls_client_version(h));
}

static void print_server(const struct conn *f, int side,
			 const struct tls_hello *h)
{
	static char str[RAW_MAX];
	char ja3s[JA3_HASH_LEN + 1];

	ja3_server(h, ja3s, str, sizeof(str), NULL);
	printf("{\"mod\":\"tls server\"");
	put_ends(f, !side);
	printf(",\"ja3s\":\"%s\",\"ja3s_string\":\"%s\",\"version\":"
	       "\"0x%04x\",\"hrr\":%s",
	       ja3s, str, h->sel_version ? h->sel_version : h->version,
	       h->hrr ? "true" : "false");
	put_alpn(h);
	printf("}\n");
}

static void print_error(const struct conn *f, int side, int want, int err)
{
	printf("{\"mod\":\"tls error\"");
	put_ends(f, want == TLS_HS_CLIENT_HELLO ? side : !side);
	printf(",\"hello\":\"%s\",\"error\":\"%s\"}\n",
	       want == TLS_HS_CLIENT_HELLO ? "client" : "server",
	       err == -EAGAIN ? "incomplete" : strerror(-err));
}

static void feed_dir(struct conn *f, int side, uint32_t seq, const uint8_t *d,
		     size_t n)
{
	struct dir *dr = &f->d[side];
	struct tls_hello h;
	int i, err;

	if (!dr->started) {
		/* no SYN captured: the stream starts here */
		for (i = 0; i < 2; i++)
			tls_stream_init(&dr->want[i], i + 1, seq);
		dr->started = 1;
	}
	dr->payload = 1;
	if (seq == dr->want[0].ra.base && !dr->nfirst) {
		dr->nfirst =
			n < sizeof(dr->first) ? (uint8_t)n : sizeof(dr->first);
		memcpy(dr->first, d, dr->nfirst);
	}
	for (i = 0; i < 2; i++) {
		err = tls_stream_feed(&dr->want[i], seq, d, n, &h);
		if (!err && i == 0)
			print_client(f, side, &h);
		else if (!err)
			print_server(f, side, &h);
		else if (err != -EAGAIN && err != -EALREADY && err != -ENOMSG)
			print_error(f, side, i + 1, err);
	}
}

/* IPv4 / IPv6 (no extension headers) + TCP. */
static void packet(const uint8_t *p, size_t len)
{
	uint8_t src[16] = { 0 }, dst[16] = { 0 }, v6, flags;
	size_t ip_len, tot, th;
	struct conn *f;
	uint32_t seq;
	int side, i;

	if (len < 20)
		return;
	v6 = (p[0] >> 4) == 6;
	if (!v6 && (p[0] >> 4) == 4) {
		ip_len = (p[0] & 15) * 4;
		tot = (size_t)p[2] << 8 | p[3];
		if (p[9] != 6 || ip_len < 20 || (p[6] & 0x3f) || p[7])
			return; /* not TCP, or a fragment */
		memcpy(src, p + 12, 4);
		memcpy(dst, p + 16, 4);
	} else if (v6 && len >= 40 && p[6] == 6) {
		ip_len = 40;
		tot = 40 + ((size_t)p[4] << 8 | p[5]);
		memcpy(src, p + 8, 16);
		memcpy(dst, p + 24, 16);
	} else {
		return;
	}
	/* a zero total length: segmentation offload on the capturing host
	 * (the frame is whole; Wireshark reads it the same way) */
	if (tot && tot < len)
		len = tot;
	if (len < ip_len + 20)
		return;
	p += ip_len;
	len -= ip_len;
	th = (p[12] >> 4) * 4;
	if (th < 20 || th > len)
		return;
	flags = p[13];
	seq = (uint32_t)p[4] << 24 | p[5] << 16 | p[6] << 8 | p[7];
	f = lookup(v6, src, dst, p[0] << 8 | p[1], p[2] << 8 | p[3], &side);
	if (!f)
		return;
	if ((flags & 0x02) && !f->d[side].payload) {
		/* (re)start the direction after its SYN */
		for (i = 0; i < 2; i++) {
			tls_stream_free(&f->d[side].want[i]);
			tls_stream_init(&f->d[side].want[i], i + 1, seq + 1);
		}
		f->d[side].started = 1;
	}
	if (len > th)
		feed_dir(f, side, seq, p + th, len - th);
}

/* -a: a stream that does not start with a TLS handshake record, with its
 * first bytes (how a tunnelled or STARTTLS hello is told apart). */
static void print_none(const struct conn *f, int side)
{
	const struct dir *dr = &f->d[side];
	int i;

	if (!show_all || !dr->nfirst || dr->first[0] == 22 ||
	    dr->first[0] == 21)
		return;
	printf("{\"mod\":\"tls none\"");
	put_ends_as(f, side, "from", "to");
	printf(",\"first\":\"");
	for (i = 0; i < dr->nfirst; i++)
		printf("%02x", dr->first[i]);
	printf("\"}\n");
}

static void finish(void)
{
	struct conn *f, *nx;
	unsigned b;
	int s, i;

	for (b = 0; b < FLOW_BUCKETS; b++) {
		for (f = tab[b]; f; f = nx) {
			nx = f->next;
			for (s = 0; s < 2; s++)
				print_none(f, s);
			for (s = 0; s < 2; s++)
				for (i = 0; i < 2; i++) {
					struct tls_stream *t = &f->d[s].want[i];

					if (t->state == TLS_ST_OPEN &&
					    t->ra.n && t->ra.buf &&
					    t->ra.buf[0] == 22)
						print_error(f, s, i + 1,
							    -EAGAIN);
					tls_stream_free(t);
				}
			free(f);
		}
		tab[b] = NULL;
	}
}

int main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *ph;
	const uint8_t *frame;
	int dlt, off, vlan, rc;
	pcap_t *pc;

	if (argc == 3 && !strcmp(argv[1], "-a")) {
		show_all = 1;
		argv++;
		argc--;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: %s [-a] FILE\n", argv[0]);
		return 2;
	}
	pc = pcap_open_offline(argv[1], errbuf);
	if (!pc) {
		fprintf(stderr, "tls_pcap: %s\n", errbuf);
		return 1;
	}
	dlt = pcap_datalink(pc);
	while ((rc = pcap_next_ex(pc, &ph, &frame)) == 1) {
		off = pcap_src_ip_offset(dlt, frame, ph->caplen, &vlan);
		if (off >= 0 && (size_t)off < ph->caplen)
			packet(frame + off, ph->caplen - off);
	}
	if (rc == -1)
		fprintf(stderr, "tls_pcap: %s: %s (read so far is printed)\n",
			argv[1], pcap_geterr(pc));
	finish();
	pcap_close(pc);
	return 0;
}
