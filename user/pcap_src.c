// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Offline capture input (see pcap_src.h).
 *
 * Link layers: p0f 3.09b uses a fixed IP offset per link type, or guesses
 * one from the first packet for types it does not know.  We use the same
 * offsets where p0f's are right, decode what p0f cannot (802.1Q/802.1ad
 * tags, Linux SLL2, NFLOG, DLT_LOOP) and keep its guessing for the rest.
 *
 * Packet counting matters for parity: p0f runs its table expiry on every
 * 50th packet that passed its capture filter ("tcp", or the user's rule
 * and "tcp"), so we hand the engine exactly the packets that filter would
 * pass, including those whose IP header then turns out to be unusable.
 */
#include <errno.h>
#include <pcap.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "user/pcap_src.h"

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif
#ifndef DLT_IPV4
#define DLT_IPV4 228
#endif
#ifndef DLT_IPV6
#define DLT_IPV6 229
#endif
#ifndef DLT_NFLOG
#define DLT_NFLOG 239
#endif

/* p0f never looks at more than this many bytes of a packet */
#define SNAP_MAX 65535
#define ETH_HLEN 14
#define MIN_TCP4 40
#define MIN_TCP6 60
#define PROTO_TCP 6
#define NFULA_PAYLOAD 9
/*
 * stdio buffer for capture files: libpcap freads each record header and
 * body separately, and glibc's default (st_blksize, 4 KB) turned a 269 MB
 * capture into 64,000 read() calls.
 */
#define READ_BUF_SIZE (1u << 20)

static volatile sig_atomic_t stop_flag;

void pcap_src_stop(void)
{
	stop_flag = 1;
}

static inline uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static int is_vlan_tpid(uint16_t t)
{
	return t == 0x8100 || t == 0x88a8 || t == 0x9100;
}

/* Bytes of VLAN tags after the MAC addresses of an Ethernet frame: any
 * number of them, as far as the captured bytes go. */
static size_t vlan_tag_bytes(const uint8_t *fr, size_t len)
{
	size_t off = 12;

	while (len >= off + 8 && is_vlan_tpid(be16(fr + off)))
		off += 4;
	return off - 12;
}

/* Ethernet: 14 bytes, plus any number of VLAN tags (p0f sees none). */
static int eth_offset(const uint8_t *fr, size_t len, int *vlan)
{
	size_t off;
	int tags;
	uint16_t type;

	if (len < ETH_HLEN)
		return -1;
	off = 12 + vlan_tag_bytes(fr, len);
	tags = off > 12;
	type = be16(fr + off);
	if (is_vlan_tpid(type))
		return -1; /* a tag cut short */
	if (!tags)
		return ETH_HLEN; /* p0f's fixed offset, whatever the type */
	*vlan = 1;
	if (type != 0x0800 && type != 0x86dd)
		return -1;
	return (int)off + 2;
}

/*
 * 802.11 data frame + LLC/SNAP.  p0f assumes a fixed 32 bytes, right only
 * for plain (non-QoS, 3-address) data frames; this gives the same offset
 * there and the right one for QoS and 4-address frames.
 */
static int wifi_offset(const uint8_t *fr, size_t len)
{
	static const uint8_t snap[6] = { 0xaa, 0xaa, 0x03, 0, 0, 0 };
	uint8_t fc, flags;
	size_t hdr = 24;
	uint16_t type;

	if (len < hdr)
		return -1;
	fc = fr[0];
	flags = fr[1];
	if (((fc >> 2) & 3) != 2 || (flags & 0x40))
		return -1; /* not data, or encrypted */
	if ((flags & 3) == 3)
		hdr += 6;
	if (fc & 0x80) {
		hdr += 2; /* QoS control */
		if (flags & 0x80)
			hdr += 4; /* HT control */
	}
	if (len < hdr + 8 || memcmp(fr + hdr, snap, 6))
		return -1;
	type = be16(fr + hdr + 6);
	if (type != 0x0800 && type != 0x86dd)
		return -1;
	return (int)(hdr + 8);
}

/* Radiotap: its own length (little endian) precedes the 802.11 frame. */
static int radiotap_offset(const uint8_t *fr, size_t len)
{
	size_t rt;
	int off;

	if (len < 4)
		return -1;
	rt = fr[2] | (size_t)fr[3] << 8;
	if (rt < 8 || rt > len)
		return -1;
	off = wifi_offset(fr + rt, len - rt);
	return off < 0 ? -1 : (int)rt + off;
}

/* NFLOG: 4-byte header, then TLVs (host byte order); payload is TLV 9. */
static int nflog_offset(const uint8_t *fr, size_t len)
{
	size_t off = 4;
	uint16_t tlen, ttype;

	while (off + 4 <= len) {
		memcpy(&tlen, fr + off, 2);
		memcpy(&ttype, fr + off + 2, 2);
		if (tlen < 4 || off + tlen > len)
			return -1;
		if (ttype == NFULA_PAYLOAD)
			return (int)off + 4;
		off += (tlen + 3u) & ~3u;
	}
	return -1;
}

/*
 * p0f's guess for unknown link types: the first even offset below 40
 * where an IPv6 (room for IPv6+TCP) or IPv4 header announcing TCP starts.
 */
static int guess_offset(const uint8_t *fr, size_t len)
{
	size_t i;

	for (i = 0; i < 40 && i < len; i += 2) {
		size_t left = len - i;

		if (left < MIN_TCP4)
			break;
		if (left >= MIN_TCP6 && (fr[i] >> 4) == 6 &&
		    fr[i + 6] == PROTO_TCP)
			return (int)i;
		if ((fr[i] >> 4) == 4 && fr[i + 9] == PROTO_TCP)
			return (int)i;
	}
	return -1;
}

static int dlt_known(int dlt)
{
	switch (dlt) {
	case DLT_EN10MB:
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
	case DLT_NULL:
	case DLT_LOOP:
	case DLT_PPP:
#ifdef DLT_PPP_SERIAL
	case DLT_PPP_SERIAL:
#endif
	case DLT_PPP_ETHER:
	case DLT_LINUX_SLL:
	case DLT_LINUX_SLL2:
	case DLT_PFLOG:
	case DLT_IEEE802_11:
	case DLT_IEEE802_11_RADIO:
	case DLT_NFLOG:
		return 1;
	}
	return 0;
}

int pcap_src_ip_offset(int dlt, const uint8_t *fr, size_t len, int *vlan)
{
	int dummy;

	if (!vlan)
		vlan = &dummy;
	*vlan = 0;
	switch (dlt) {
	case DLT_EN10MB:
		return eth_offset(fr, len, vlan);
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
		return 0;
	case DLT_NULL:
	case DLT_LOOP: /* p0f says 8 here, but the header is 4 bytes */
	case DLT_PPP:
#ifdef DLT_PPP_SERIAL
	case DLT_PPP_SERIAL:
#endif
		return 4;
	case DLT_PPP_ETHER:
		return 8;
	case DLT_LINUX_SLL:
		return 16;
	case DLT_LINUX_SLL2:
		return 20;
	case DLT_PFLOG:
		/* the header states its own length, padded to 4 bytes */
		return len ? (int)((fr[0] + 3u) & ~3u) : -1;
	case DLT_IEEE802_11:
		return wifi_offset(fr, len);
	case DLT_IEEE802_11_RADIO:
		return radiotap_offset(fr, len);
	case DLT_NFLOG:
		return nflog_offset(fr, len);
	default:
		return guess_offset(fr, len);
	}
}

/* Would libpcap's "tcp" primitive accept this IP packet? */
static int ip_is_tcp(const uint8_t *ip, size_t len)
{
	if (!len)
		return 0;
	switch (ip[0] >> 4) {
	case 4:
		return len >= 10 && ip[9] == PROTO_TCP;
	case 6:
		if (len < 7)
			return 0;
		if (ip[6] == PROTO_TCP)
			return 1;
		/* libpcap also looks through a fragment header */
		return ip[6] == 44 && len >= 41 && ip[40] == PROTO_TCP;
	}
	return 0;
}

struct reader {
	pcap_t *pc;
	int dlt;
	int guessed; /* p0f keeps its first good guess */
	int user_filter;
	struct bpf_program prog; /* p0f's rule around the user's */
	struct bpf_program inner; /* "tcp and (F)", for QinQ frames */
	int have_inner;
	uint8_t *strip; /* QinQ frame without its tags */
	struct engine *e;
	struct pcap_src_stats *st;
	struct fast_rd *fast; /* NULL: every record through libpcap */
	const struct pcap_src_sel *sel; /* NULL: every packet examined */
};

/*
 * Fast path for plain pcap files (version 2.4, the common case): records
 * are read with pread() in large blocks and used in place, instead of
 * libpcap's two freads and a copy per record.  It only takes records
 * libpcap would hand over unchanged (caplen within the snapshot length
 * and 65535, whole in the file, link types libpcap does not rewrite);
 * at the first other one, or at the end of the file, the FILE is set to
 * that record and libpcap carries on, so errors, truncation and damaged
 * records are handled and worded exactly as before.
 */
#define FAST_BUF_SIZE (1u << 20)
#define PCAP_FILE_HDR 24
#define PCAP_REC_HDR 16

struct fast_rd {
	int fd;
	int swapped, nano;
	uint32_t max_caplen;
	off_t base; /* file offset of buf[0] */
	size_t pos, end;
	struct pcap_pkthdr h;
	uint8_t buf[FAST_BUF_SIZE];
};

static uint32_t rd32(const uint8_t *p, int swapped)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swapped ? __builtin_bswap32(v) : v;
}

/* Link types whose records libpcap hands over as stored in the file. */
static int fast_dlt_ok(int dlt, int swapped)
{
	switch (dlt) {
	case DLT_EN10MB:
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
	case DLT_NULL:
	case DLT_LOOP:
	case DLT_PPP:
		return 1;
	case DLT_LINUX_SLL:
	case DLT_LINUX_SLL2:
		return !swapped; /* libpcap fixes swapped CAN headers */
	}
	return 0;
}

static struct fast_rd *fast_open(pcap_t *pc, int dlt)
{
	FILE *fp = pcap_file(pc);
	uint8_t hdr[PCAP_FILE_HDR];
	struct fast_rd *f;
	int swapped, nano, snap;
	struct stat sb;
	uint32_t magic;

	if (!fp || fileno(fp) < 0 || fstat(fileno(fp), &sb) ||
	    !S_ISREG(sb.st_mode) || ftell(fp) != PCAP_FILE_HDR ||
	    pread(fileno(fp), hdr, sizeof(hdr), 0) != (ssize_t)sizeof(hdr))
		return NULL;
	memcpy(&magic, hdr, 4);
	swapped = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
	nano = magic == 0xa1b23c4d || magic == 0x4d3cb2a1;
	if (!swapped && magic != 0xa1b2c3d4 && magic != 0xa1b23c4d)
		return NULL; /* pcapng, or a variant with other headers */
	if (pcap_major_version(pc) != 2 || pcap_minor_version(pc) != 4 ||
	    pcap_get_tstamp_precision(pc) != PCAP_TSTAMP_PRECISION_MICRO ||
	    !fast_dlt_ok(dlt, swapped))
		return NULL;
	f = malloc(sizeof(*f));
	if (!f)
		return NULL;
	f->fd = fileno(fp);
	f->swapped = swapped;
	f->nano = nano;
	snap = pcap_snapshot(pc);
	f->max_caplen = snap > 0 && snap < SNAP_MAX ? (uint32_t)snap : SNAP_MAX;
	f->base = PCAP_FILE_HDR;
	f->pos = f->end = 0;
	return f;
}

/* Have at least `need` bytes from pos on in buf; 0 if the file ends. */
static int fast_fill(struct fast_rd *f, size_t need)
{
	ssize_t n;

	if (f->end - f->pos >= need)
		return 1;
	memmove(f->buf, f->buf + f->pos, f->end - f->pos);
	f->base += (off_t)f->pos;
	f->end -= f->pos;
	f->pos = 0;
	while (f->end < need) {
		n = pread(f->fd, f->buf + f->end, sizeof(f->buf) - f->end,
			  f->base + (off_t)f->end);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		f->end += (size_t)n;
	}
	return 1;
}

/* 1 and the next record, or 0: hand the rest of the file to libpcap. */
static int fast_next(struct fast_rd *f, struct pcap_pkthdr **h,
		     const u_char **fr)
{
	const uint8_t *p;
	uint32_t caplen, usec;

	if (!fast_fill(f, PCAP_REC_HDR))
		return 0;
	p = f->buf + f->pos;
	caplen = rd32(p + 8, f->swapped);
	if (caplen > f->max_caplen || !fast_fill(f, PCAP_REC_HDR + caplen))
		return 0;
	p = f->buf + f->pos;
	/* as libpcap: seconds are a signed 32-bit field, ns become us */
	f->h.ts.tv_sec = (int32_t)rd32(p, f->swapped);
	usec = rd32(p + 4, f->swapped);
	f->h.ts.tv_usec = f->nano ? usec / 1000 : usec;
	f->h.caplen = caplen;
	f->h.len = rd32(p + 12, f->swapped);
	*h = &f->h;
	*fr = p + PCAP_REC_HDR;
	f->pos += PCAP_REC_HDR + caplen;
	return 1;
}

/* Leave the fast path: libpcap reads on from the first unread record. */
static int fast_close(struct reader *r)
{
	off_t at = r->fast->base + (off_t)r->fast->pos;
	int rc = fseeko(pcap_file(r->pc), at, SEEK_SET);

	free(r->fast);
	r->fast = NULL;
	return rc; /* -1 with errno set, as fseeko */
}

/*
 * p0f's rule: the user's expression and "tcp", VLAN-aware on Ethernet.
 * libpcap's "vlan" only looks through one tag, so for frames with two or
 * more (which p0f never sees) the expression is also compiled plainly and
 * run on a copy of the frame with its tags removed.
 */
static int set_filter(struct reader *r, const char *filter, char *err,
		      size_t errlen)
{
	int vlan = r->dlt == DLT_EN10MB, rc = 0;
	char *rule;
	size_t n;

	if (!filter || !*filter)
		return 0;
	n = strlen(filter) * 2 + 64;
	rule = malloc(n);
	if (!rule)
		return -ENOMEM;
retry:
	if (vlan)
		snprintf(rule, n, "(tcp and (%s)) or (vlan and tcp and (%s))",
			 filter, filter);
	else
		snprintf(rule, n, "tcp and (%s)", filter);
	if (pcap_compile(r->pc, &r->prog, rule, 1, PCAP_NETMASK_UNKNOWN)) {
		if (vlan) {
			vlan = 0;
			goto retry;
		}
		snprintf(err, errlen, "bad filter expression '%s': %s", filter,
			 pcap_geterr(r->pc));
		rc = -EINVAL;
		goto cleanup;
	}
	r->user_filter = 1;
	if (vlan) {
		snprintf(rule, n, "tcp and (%s)", filter);
		r->strip = malloc(SNAP_MAX + 16);
		if (r->strip && !pcap_compile(r->pc, &r->inner, rule, 1,
					      PCAP_NETMASK_UNKNOWN))
			r->have_inner = 1;
	}
cleanup:
	free(rule);
	return rc;
}

/* Does the user's filter take this frame? */
static int filter_pass(struct reader *r, const struct pcap_pkthdr *h,
		       const uint8_t *fr)
{
	struct pcap_pkthdr h2;
	size_t tags;

	if (pcap_offline_filter(&r->prog, h, fr))
		return 1;
	if (!r->have_inner || h->caplen > SNAP_MAX)
		return 0;
	tags = vlan_tag_bytes(fr, h->caplen);
	if (tags < 8)
		return 0;
	/* MAC addresses, then what follows the last tag */
	memcpy(r->strip, fr, 12);
	memcpy(r->strip + 12, fr + 12 + tags, h->caplen - 12 - tags);
	h2 = *h;
	h2.caplen -= tags;
	h2.len = h2.len > tags ? h2.len - tags : 0;
	return pcap_offline_filter(&r->inner, &h2, r->strip) != 0;
}

static void handle_frame(struct reader *r, const struct pcap_pkthdr *h,
			 const uint8_t *fr)
{
	size_t len = h->caplen < h->len ? h->caplen : h->len;
	uint64_t ts_ms;
	int off, vlan = 0;

	if (len > SNAP_MAX)
		len = SNAP_MAX;
	/* p0f keeps seconds as a u32: a pre-1970 (negative) stamp wraps */
	ts_ms = (uint64_t)(uint32_t)h->ts.tv_sec * 1000 +
		(uint64_t)h->ts.tv_usec / 1000;

	if (r->guessed >= 0) {
		off = r->guessed;
	} else {
		off = pcap_src_ip_offset(r->dlt, fr, len, &vlan);
		/* unknown type: like p0f, keep the first good guess */
		if (off >= 0 && !dlt_known(r->dlt))
			r->guessed = off;
	}

	if (off < 0 || (size_t)off > len) {
		r->st->link_drops++;
		/* the user's filter passed it: p0f would have counted it */
		if (r->user_filter) {
			r->st->packets++;
			engine_feed(r->e, NULL, 0, ts_ms);
		}
		return;
	}
	if (!r->user_filter && !ip_is_tcp(fr + off, len - off))
		return;
	r->st->packets++;
	r->st->vlan += vlan;
	fr += off;
	len -= off;
	if (r->sel && !r->sel->fn(r->sel->ctx, &fr, &len))
		return;
	r->st->fed++;
	engine_feed(r->e, fr, len, ts_ms);
}

#define NEXT_SEEK_FAILED 2

/* pcap_next_ex()'s answers, from the fast path while it lasts. */
static int next_record(struct reader *r, struct pcap_pkthdr **h,
		       const u_char **fr)
{
	if (r->fast) {
		if (fast_next(r->fast, h, fr))
			return 1;
		if (fast_close(r))
			return NEXT_SEEK_FAILED;
	}
	return pcap_next_ex(r->pc, h, fr);
}

static int read_loop(struct reader *r, const char *filter, char *err,
		     size_t errlen)
{
	struct pcap_pkthdr *h;
	const u_char *fr;
	int rc;

	r->dlt = pcap_datalink(r->pc);
	r->guessed = -1;
	r->st->linktype = r->dlt;
	r->st->linkname = pcap_datalink_val_to_name(r->dlt);
	rc = set_filter(r, filter, err, errlen);
	if (rc)
		return rc;

	/* OSPREY_PCAP_NO_FASTPATH=1 sends every record through libpcap, so
	 * the tests can check that both readers give the same output. */
	if (!getenv("OSPREY_PCAP_NO_FASTPATH"))
		r->fast = fast_open(r->pc, r->dlt);
	stop_flag = 0;
	while (!stop_flag) {
		rc = next_record(r, &h, &fr);
		if (rc == NEXT_SEEK_FAILED) {
			snprintf(err, errlen, "capture: cannot seek: %s",
				 strerror(errno));
			return -EIO;
		}
		if (rc == 1) {
			if (!r->user_filter || filter_pass(r, h, fr))
				handle_frame(r, h, fr);
			continue;
		}
		if (rc == PCAP_ERROR_BREAK)
			return 0; /* end of file */
		snprintf(err, errlen, "capture damaged after %llu packets: %s",
			 (unsigned long long)r->st->packets,
			 pcap_geterr(r->pc));
		return -EIO;
	}
	return 0;
}

static int run_reader(pcap_t *pc, const char *filter, struct engine *e,
		      struct pcap_src_stats *st, void *iobuf,
		      const struct pcap_src_sel *sel, char *err, size_t errlen)
{
	struct pcap_src_stats local;
	struct reader r = { .pc = pc, .e = e, .sel = sel };
	int rc;

	if (!st)
		st = &local;
	memset(st, 0, sizeof(*st));
	r.st = st;
	rc = read_loop(&r, filter, err, errlen);
	free(r.fast);
	if (r.have_inner)
		pcap_freecode(&r.inner);
	if (r.user_filter)
		pcap_freecode(&r.prog);
	free(r.strip);
	pcap_close(pc);
	free(iobuf); /* stdio's buffer: only once pcap_close() closed the FILE */
	return rc;
}

int pcap_src_read(const char *path, const char *filter, struct engine *e,
		  struct pcap_src_stats *st, char *err, size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	pcap_t *pc;

	if (st)
		memset(st, 0, sizeof(*st));
	pc = pcap_open_offline(path, perr);
	if (!pc) {
		/* libpcap names the file itself when it cannot open it */
		if (strstr(perr, path))
			snprintf(err, errlen, "%s", perr);
		else
			snprintf(err, errlen, "%s: %s", path, perr);
		return -EINVAL;
	}
	return run_reader(pc, filter, e, st, NULL, NULL, err, errlen);
}

int pcap_src_read_fp(FILE *fp, const char *name, const char *filter,
		     struct engine *e, struct pcap_src_stats *st, char *err,
		     size_t errlen)
{
	return pcap_src_read_sel(fp, name, filter, NULL, e, st, err, errlen);
}

int pcap_src_read_sel(FILE *fp, const char *name, const char *filter,
		      const struct pcap_src_sel *sel, struct engine *e,
		      struct pcap_src_stats *st, char *err, size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	void *iobuf;
	pcap_t *pc;

	if (st)
		memset(st, 0, sizeof(*st));
	/* fp is fresh (no I/O yet); without the memory, stdio's default */
	iobuf = malloc(READ_BUF_SIZE);
	if (iobuf && setvbuf(fp, iobuf, _IOFBF, READ_BUF_SIZE)) {
		free(iobuf);
		iobuf = NULL;
	}
	/* on success pcap owns fp and pcap_close() closes it */
	pc = pcap_fopen_offline(fp, perr);
	if (!pc) {
		fclose(fp);
		free(iobuf);
		snprintf(err, errlen, "%s: %s", name, perr);
		return -EINVAL;
	}
	return run_reader(pc, filter, e, st, iobuf, sel, err, errlen);
}

int pcap_src_read_mem(const void *buf, size_t len, const char *filter,
		      struct engine *e, struct pcap_src_stats *st, char *err,
		      size_t errlen)
{
	FILE *fp;

	if (st)
		memset(st, 0, sizeof(*st));
	if (!len) {
		snprintf(err, errlen, "empty capture");
		return -EINVAL;
	}
	fp = fmemopen((void *)buf, len, "rb");
	if (!fp) {
		snprintf(err, errlen, "fmemopen: %s", strerror(errno));
		return -errno;
	}
	return pcap_src_read_fp(fp, "capture", filter, e, st, err, errlen);
}
