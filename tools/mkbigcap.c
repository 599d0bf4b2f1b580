// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mkbigcap: build a large capture for benchmarks out of real ones.
 *
 *   mkbigcap -o OUT.pcap [-n PACKETS] [-l LIST] [CAPTURE ...]
 *
 * The TCP packets of the input captures (any link type osprey reads, VLAN
 * tags included) are written again and again, as Ethernet frames in a
 * classic pcap, until at least PACKETS (default 1000000) were written.
 * Each pass k rewrites every address (IPv4: the 2nd and 3rd bytes; IPv6:
 * bytes 2-5) and every port by a function of k that is the same for both
 * directions, so a pass is a new set of hosts and flows that behave as the
 * originals did.  Each input's timeline is shifted so the output runs
 * forward in time, one input after another (gaps between packets clamped
 * to 0..600 s, so bad clocks in an input cannot stretch it for years).  IP and TCP lengths are left
 * alone; checksums are not fixed (neither p0f nor osprey checks them).
 *
 * -l LIST reads capture paths, one per line (a MANIFEST.tsv works too: its
 * first column, relative to the list's directory; a "file" header line is
 * skipped).  Diagnostics to stderr; a summary line to stdout.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "user/pcap_src.h"

#define DEF_PACKETS 1000000ull
#define MAX_INPUTS 4096
#define ETH_HLEN 14
#define PROTO_TCP 6
#define MAX_PASSES 65535
#define MAX_GAP_US (600ll * 1000000)

struct input {
	char *path;
};

struct writer {
	FILE *fp;
	uint64_t written;
	uint64_t target;
	int64_t cursor_us; /* where the next input's timeline starts */
	uint8_t frame[ETH_HLEN + 65535];
};

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: mkbigcap -o OUT.pcap [-n PACKETS] [-l LIST] [CAPTURE ...]\n"
		"  -o FILE     output, classic pcap, Ethernet link type\n"
		"  -n PACKETS  write at least this many packets (default %llu)\n"
		"  -l LIST     read input paths from LIST, one per line; a\n"
		"              MANIFEST.tsv works (first column, relative to it)\n"
		"  -h          this help\n"
		"The TCP packets of the inputs are repeated, pass after pass,\n"
		"with hosts and ports rewritten per pass (same mapping both ways)\n"
		"so every pass is a new set of flows, and timestamps shifted so\n"
		"the output runs forward in time.  Lengths are kept; checksums\n"
		"are not recomputed.\n",
		DEF_PACKETS);
}

static int put_u32(FILE *fp, uint32_t v)
{
	return fwrite(&v, 4, 1, fp) == 1 ? 0 : -EIO;
}

static int write_header(FILE *fp)
{
	uint16_t ver[2] = { 2, 4 };

	if (put_u32(fp, 0xa1b2c3d4) || fwrite(ver, 2, 2, fp) != 2 ||
	    put_u32(fp, 0) || put_u32(fp, 0) || put_u32(fp, 65535 + ETH_HLEN) ||
	    put_u32(fp, DLT_EN10MB))
		return -EIO;
	return 0;
}

/* Pass k's view of a port: a bijection on 16 bits, identity for k = 0. */
static uint16_t map_port(uint16_t port, uint32_t k)
{
	return (uint16_t)(port + k * 7919u);
}

static void map_addr(uint8_t *a, int v6, uint32_t k)
{
	if (v6) {
		a[2] ^= (uint8_t)(k >> 8);
		a[3] ^= (uint8_t)k;
		a[4] ^= (uint8_t)(k >> 4);
		a[5] ^= (uint8_t)(k * 13);
	} else {
		a[1] ^= (uint8_t)(k >> 8);
		a[2] ^= (uint8_t)k;
	}
}

static void rd16(const uint8_t *p, uint16_t *v)
{
	*v = (uint16_t)(p[0] << 8 | p[1]);
}

static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/*
 * Rewrite the IP packet at ip (len bytes) for pass k.  Returns 1 if it is
 * TCP and was rewritten, 0 if it is not TCP (skip it).
 */
static int rewrite(uint8_t *ip, size_t len, uint32_t k)
{
	size_t l4;
	uint16_t sp, dp;

	if (len < 20)
		return 0;
	if ((ip[0] >> 4) == 4) {
		l4 = (size_t)(ip[0] & 15) * 4;
		if (ip[9] != PROTO_TCP || l4 < 20 || len < l4 + 4)
			return 0;
		map_addr(ip + 12, 0, k);
		map_addr(ip + 16, 0, k);
	} else if ((ip[0] >> 4) == 6) {
		l4 = 40;
		if (ip[6] != PROTO_TCP || len < l4 + 4)
			return 0;
		map_addr(ip + 8, 1, k);
		map_addr(ip + 24, 1, k);
	} else {
		return 0;
	}
	rd16(ip + l4, &sp);
	rd16(ip + l4 + 2, &dp);
	wr16(ip + l4, map_port(sp, k));
	wr16(ip + l4 + 2, map_port(dp, k));
	return 1;
}

static int write_frame(struct writer *w, int64_t ts_us, const uint8_t *ip,
		       size_t caplen, size_t origlen)
{
	uint32_t hdr[4];
	static const uint8_t macs[12] = { 0x02, 0, 0, 0, 0, 1,
					  0x02, 0, 0, 0, 0, 2 };
	uint8_t *fr = w->frame;

	memcpy(fr, macs, sizeof(macs));
	fr[12] = (ip[0] >> 4) == 6 ? 0x86 : 0x08;
	fr[13] = (ip[0] >> 4) == 6 ? 0xdd : 0x00;
	memcpy(fr + ETH_HLEN, ip, caplen);
	hdr[0] = (uint32_t)(ts_us / 1000000);
	hdr[1] = (uint32_t)(ts_us % 1000000);
	hdr[2] = (uint32_t)(caplen + ETH_HLEN);
	hdr[3] = (uint32_t)(origlen + ETH_HLEN);
	if (fwrite(hdr, sizeof(hdr), 1, w->fp) != 1 ||
	    fwrite(fr, caplen + ETH_HLEN, 1, w->fp) != 1)
		return -EIO;
	w->written++;
	return 0;
}

/* One pass over one input.  Returns 0 or -errno. */
static int copy_input(struct writer *w, const char *path, uint32_t k)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	int64_t prev = -1, out = 0, t, gap;
	uint8_t *buf = NULL;
	pcap_t *p;
	int dlt, rc, ret = 0, vlan, off;

	p = pcap_open_offline(path, errbuf);
	if (!p) {
		fprintf(stderr, "mkbigcap: %s: %s\n", path, errbuf);
		return 0; /* skip unreadable inputs, keep going */
	}
	dlt = pcap_datalink(p);
	buf = malloc(65536);
	if (!buf) {
		ret = -ENOMEM;
		goto cleanup;
	}
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		off = pcap_src_ip_offset(dlt, data, h->caplen, &vlan);
		if (off < 0 || (size_t)off >= h->caplen)
			continue;
		size_t cap = h->caplen - (size_t)off;
		size_t orig =
			h->len > (uint32_t)off ? h->len - (size_t)off : cap;
		if (cap > 65535)
			cap = 65535;
		memcpy(buf, data + off, cap);
		if (!rewrite(buf, cap, k))
			continue;
		t = (int64_t)h->ts.tv_sec * 1000000 + h->ts.tv_usec;
		/*
		 * Keep the input's pace but not its calendar: some captures
		 * jump years (bad clocks), which would run the output past
		 * 2106.  Gaps are clamped to [0, MAX_GAP_US].
		 */
		gap = prev < 0 ? 0 : t - prev;
		if (gap < 0)
			gap = 0;
		if (gap > MAX_GAP_US)
			gap = MAX_GAP_US;
		prev = t;
		out += gap;
		ret = write_frame(w, w->cursor_us + out, buf, cap,
				  orig < cap ? cap : orig);
		if (ret)
			goto cleanup;
	}
	w->cursor_us += out + 1000000;
cleanup:
	free(buf);
	pcap_close(p);
	return ret;
}

static int read_list(const char *list, struct input *in, int *n)
{
	char line[4096], *dir, *copy, *tab;
	FILE *fp = fopen(list, "r");
	int ret = 0;

	if (!fp)
		return -errno;
	copy = strdup(list);
	if (!copy) {
		fclose(fp);
		return -ENOMEM;
	}
	dir = dirname(copy);
	while (fgets(line, sizeof(line), fp) && *n < MAX_INPUTS) {
		line[strcspn(line, "\r\n")] = 0;
		tab = strchr(line, '\t');
		if (tab)
			*tab = 0;
		if (!line[0] || !strcmp(line, "file") || line[0] == '#')
			continue;
		if (line[0] == '/') {
			in[*n].path = strdup(line);
		} else if (asprintf(&in[*n].path, "%s/%s", dir, line) < 0) {
			in[*n].path = NULL;
		}
		if (!in[*n].path) {
			ret = -ENOMEM;
			break;
		}
		(*n)++;
	}
	free(copy);
	fclose(fp);
	return ret;
}

int main(int argc, char **argv)
{
	static struct input in[MAX_INPUTS];
	struct writer *w = NULL;
	const char *out = NULL, *list = NULL;
	int n = 0, c, i, ret = 1;
	uint32_t k;
	uint64_t before;

	static struct writer wr;
	w = &wr;
	w->target = DEF_PACKETS;
	while ((c = getopt(argc, argv, "o:n:l:h")) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'n':
			w->target = strtoull(optarg, NULL, 10);
			break;
		case 'l':
			list = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!out || !w->target) {
		usage(stderr);
		return 2;
	}
	if (list && read_list(list, in, &n)) {
		fprintf(stderr, "mkbigcap: %s: cannot read list\n", list);
		goto cleanup;
	}
	for (i = optind; i < argc && n < MAX_INPUTS; i++)
		in[n++].path = strdup(argv[i]);
	if (!n) {
		fprintf(stderr, "mkbigcap: no input captures\n");
		usage(stderr);
		ret = 2;
		goto cleanup;
	}
	w->fp = fopen(out, "w");
	if (!w->fp || write_header(w->fp)) {
		fprintf(stderr, "mkbigcap: %s: %s\n", out, strerror(errno));
		goto cleanup;
	}
	w->cursor_us = 1600000000ll * 1000000;
	for (k = 0; w->written < w->target && k < MAX_PASSES; k++) {
		before = w->written;
		for (i = 0; i < n && w->written < w->target; i++) {
			if (!in[i].path || copy_input(w, in[i].path, k)) {
				fprintf(stderr, "mkbigcap: %s: write failed\n",
					out);
				goto cleanup;
			}
		}
		if (w->written == before) {
			fprintf(stderr,
				"mkbigcap: inputs hold no TCP packet\n");
			goto cleanup;
		}
	}
	if (fclose(w->fp)) {
		w->fp = NULL;
		fprintf(stderr, "mkbigcap: %s: %s\n", out, strerror(errno));
		goto cleanup;
	}
	w->fp = NULL;
	printf("mkbigcap: %llu packets from %d captures in %u passes -> %s\n",
	       (unsigned long long)w->written, n, k, out);
	ret = 0;
cleanup:
	if (w->fp)
		fclose(w->fp);
	for (i = 0; i < n; i++)
		free(in[i].path);
	return ret;
}
