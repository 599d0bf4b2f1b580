// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * synflood: send TCP SYNs from many distinct hosts out of an interface as
 * fast as this machine can, for benchmarks (make bench-live) and the
 * flood-recovery test.  Raw Ethernet frames through AF_PACKET, in batches
 * of sendmmsg() with the qdisc bypassed.
 *
 *   synflood -i IFACE -d DST_MAC -t DST_IP [-n COUNT | -T SECONDS]
 *            [-s FIRST_SRC_IP] [-H HOSTS] [-p DPORT]
 *
 * SYN number k comes from source address FIRST_SRC_IP + (k % HOSTS)
 * (default: as many hosts as SYNs), port 1024 + (k / HOSTS) % 60000, with
 * the options of a Linux SYN (MSS, SACK, timestamps, window scale), so a
 * fingerprinter names each one.  Checksums are correct.  Prints
 * "sent N in S s (R/s)" on stdout.  Only for namespaces and veths of
 * one's own: it sends what it is told to, as fast as it can.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 256
#define FRAME 74 /* 14 Ethernet + 20 IP + 40 TCP */

static const uint8_t syn_opts[20] = { 2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0,
				      0, 1, 0, 0,    0, 0, 1, 3,  3, 7 };

static volatile sig_atomic_t stop;

static void on_sig(int sig)
{
	(void)sig;
	stop = 1;
}

static uint16_t csum_fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static uint32_t csum_add(uint32_t s, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = (uint8_t)v;
}

/* Frame k into f: everything but the source MAC (zero is fine). */
static void build(uint8_t *f, const uint8_t dmac[6], uint32_t src, uint32_t dst,
		  uint16_t sport, uint16_t dport, uint32_t k)
{
	uint8_t *ip = f + 14, *t = ip + 20, ph[12];
	uint32_t s;

	memset(f, 0, FRAME);
	memcpy(f, dmac, 6);
	f[6] = 0x02; /* locally administered source */
	f[11] = 1;
	put16(f + 12, ETHERTYPE_IP);
	ip[0] = 0x45;
	put16(ip + 2, 60);
	put16(ip + 4, (uint16_t)k);
	ip[6] = 0x40; /* DF */
	ip[8] = 64;
	ip[9] = IPPROTO_TCP;
	memcpy(ip + 12, &src, 4);
	memcpy(ip + 16, &dst, 4);
	put16(ip + 10, csum_fold(csum_add(0, ip, 20)));
	put16(t, sport);
	put16(t + 2, dport);
	put16(t + 4, (uint16_t)(k >> 16));
	put16(t + 6, (uint16_t)k);
	t[12] = 10 << 4; /* 40 bytes of header */
	t[13] = 0x02; /* SYN */
	put16(t + 14, 64240);
	memcpy(t + 20, syn_opts, sizeof(syn_opts));
	memcpy(ph, ip + 12, 8);
	ph[8] = 0;
	ph[9] = IPPROTO_TCP;
	put16(ph + 10, 40);
	s = csum_add(csum_add(0, ph, 12), t, 40);
	put16(t + 16, csum_fold(s));
}

static int parse_mac(const char *s, uint8_t m[6])
{
	unsigned int v[6];
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4],
		   &v[5]) != 6)
		return -1;
	for (i = 0; i < 6; i++)
		m[i] = (uint8_t)v[i];
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int open_sock(const char *ifname, struct sockaddr_ll *sll)
{
	int fd, one = 1;

	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	/* straight to the driver: no qdisc, no per-packet lock */
	setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one));
	memset(sll, 0, sizeof(*sll));
	sll->sll_family = AF_PACKET;
	sll->sll_ifindex = if_nametoindex(ifname);
	sll->sll_halen = 6;
	if (!sll->sll_ifindex) {
		close(fd);
		errno = ENODEV;
		return -1;
	}
	return fd;
}

struct cfg {
	const char *ifname;
	uint8_t dmac[6];
	uint32_t dst, src0; /* host order */
	uint64_t count;
	double seconds;
	uint32_t hosts;
	uint16_t dport;
};

static uint64_t flood(int fd, struct sockaddr_ll *sll, const struct cfg *c)
{
	static uint8_t frames[BATCH][FRAME];
	static struct mmsghdr msg[BATCH];
	static struct iovec iov[BATCH];
	double end = c->seconds > 0 ? now_s() + c->seconds : 0;
	uint64_t k = 0, hosts = c->hosts ? c->hosts : c->count;
	int i, n, sent;

	if (!hosts)
		hosts = 1u << 20;
	for (i = 0; i < BATCH; i++) {
		iov[i].iov_base = frames[i];
		iov[i].iov_len = FRAME;
		msg[i].msg_hdr.msg_iov = &iov[i];
		msg[i].msg_hdr.msg_iovlen = 1;
		msg[i].msg_hdr.msg_name = sll;
		msg[i].msg_hdr.msg_namelen = sizeof(*sll);
	}
	while (!stop && (c->count ? k < c->count : now_s() < end)) {
		n = BATCH;
		if (c->count && c->count - k < BATCH)
			n = (int)(c->count - k);
		for (i = 0; i < n; i++) {
			uint64_t j = k + i;

			build(frames[i], c->dmac,
			      htonl(c->src0 + (uint32_t)(j % hosts)),
			      htonl(c->dst),
			      (uint16_t)(1024 + (j / hosts) % 60000), c->dport,
			      (uint32_t)j);
		}
		sent = sendmmsg(fd, msg, n, 0);
		if (sent < 0) {
			if (errno == ENOBUFS || errno == EAGAIN ||
			    errno == EINTR)
				continue;
			perror("synflood: sendmmsg");
			break;
		}
		k += sent;
	}
	return k;
}

static void usage(FILE *fp)
{
	fprintf(fp, "usage: synflood -i IFACE -d DST_MAC -t DST_IP "
		    "[-n COUNT | -T SECONDS] [-s FIRST_SRC_IP] [-H HOSTS] "
		    "[-p DPORT]\n");
}

int main(int argc, char **argv)
{
	struct cfg c = { .dport = 80 };
	struct sockaddr_ll sll;
	struct in_addr a;
	double t0, dt;
	uint64_t sent;
	int opt, fd;

	inet_pton(AF_INET, "10.64.0.1", &a);
	c.src0 = ntohl(a.s_addr);
	while ((opt = getopt(argc, argv, "i:d:t:n:T:s:H:p:h")) != -1) {
		switch (opt) {
		case 'i':
			c.ifname = optarg;
			break;
		case 'd':
			if (parse_mac(optarg, c.dmac))
				goto bad;
			break;
		case 't':
		case 's':
			if (inet_pton(AF_INET, optarg, &a) != 1)
				goto bad;
			*(opt == 't' ? &c.dst : &c.src0) = ntohl(a.s_addr);
			break;
		case 'n':
			c.count = strtoull(optarg, NULL, 10);
			break;
		case 'T':
			c.seconds = atof(optarg);
			break;
		case 'H':
			c.hosts = (uint32_t)strtoul(optarg, NULL, 10);
			break;
		case 'p':
			c.dport = (uint16_t)atoi(optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			goto bad;
		}
	}
	if (!c.ifname || !c.dst || (!c.count && c.seconds <= 0))
		goto bad;
	fd = open_sock(c.ifname, &sll);
	if (fd < 0) {
		fprintf(stderr, "synflood: %s: %s\n", c.ifname,
			strerror(errno));
		return 1;
	}
	signal(SIGINT, on_sig);
	signal(SIGTERM, on_sig);
	t0 = now_s();
	sent = flood(fd, &sll, &c);
	dt = now_s() - t0;
	printf("sent %llu in %.3f s (%.0f/s)\n", (unsigned long long)sent, dt,
	       dt > 0 ? sent / dt : 0);
	close(fd);
	return 0;
bad:
	usage(stderr);
	return 2;
}
