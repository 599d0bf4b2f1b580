// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Kernel capture with libbpf: open the capture.bpf.c skeleton, size and
 * configure it, pin the shared maps, load, attach to interfaces (XDP by
 * bpf_link, native with generic fallback; tc egress by capture_tc.c), and
 * read its ring buffer and counters.
 * Filter specs ("80,443,8000-8100", "10.0.0.0/8,2001:db8::/32") are parsed
 * here into the port bitmaps and LPM tries the program consults.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "user/capture_int.h"
#include "user/engine/engine.h"
#include "user/hostmap.h"
#include "user/log.h"
#include "user/pin.h"
#include "user/policy_maps.h"
#include "user/xdp_multi.h"

const char *const osprey_ctr_names[OSPREY_CTR_MAX] = {
	[OSPREY_CTR_PACKETS] = "packets",
	[OSPREY_CTR_TCP] = "tcp",
	[OSPREY_CTR_SYN] = "syn",
	[OSPREY_CTR_SYNACK] = "synack",
	[OSPREY_CTR_FLOW_PKTS] = "flow_packets",
	[OSPREY_CTR_PAYLOAD_BYTES] = "payload_bytes",
	[OSPREY_CTR_RB_DROPS] = "ringbuf_drops",
	[OSPREY_CTR_FLOW_EVICT] = "flows_evicted",
	[OSPREY_CTR_FLOW_END] = "flows_ended",
	[OSPREY_CTR_FILTERED] = "filtered",
	[OSPREY_CTR_FRAGMENTS] = "fragments",
	[OSPREY_CTR_ERR_ETH] = "err_eth",
	[OSPREY_CTR_ERR_IP] = "err_ip",
	[OSPREY_CTR_ERR_IP6] = "err_ip6",
	[OSPREY_CTR_ERR_TCP] = "err_tcp",
	[OSPREY_CTR_POLICY_DROPS] = "policy_drops",
	[OSPREY_CTR_FLOW_NEW] = "flows_opened",
	[OSPREY_CTR_RB_DROP_SYN] = "ringbuf_drops_syn",
	[OSPREY_CTR_RB_DROP_SYNACK] = "ringbuf_drops_synack",
	[OSPREY_CTR_RB_DROP_FLOW] = "ringbuf_drops_flow",
	[OSPREY_CTR_RB_FLOW_HELD] = "ringbuf_flow_held",
	[OSPREY_CTR_EGRESS_PACKETS] = "egress_packets",
	[OSPREY_CTR_FWD_SKIPPED] = "egress_forwarded_skipped",
};

/* Parsed filters, kept until the maps exist. */
struct filters {
	struct osprey_port_bitmap ports[OSPREY_PORT_LISTS];
	bool port_set[OSPREY_PORT_LISTS];
	struct capture_cidr net[2][OSPREY_MAX_CIDRS]; /* [0] allow, [1] deny */
	size_t n_net[2];
};

/* ------------------------------------------------------------- filters */

static const char *skip_space(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* One port number at *s; advances *s.  0 or -EINVAL. */
static int parse_port(const char **s, unsigned int *out)
{
	unsigned long v;
	char *end;

	if (!isdigit((unsigned char)**s))
		return -EINVAL;
	errno = 0;
	v = strtoul(*s, &end, 10);
	if (errno || v > 65535)
		return -EINVAL;
	*s = end;
	*out = v;
	return 0;
}

int capture_parse_ports(const char *spec,
			uint8_t bits[OSPREY_PORT_BITMAP_BYTES], char *err,
			size_t errlen)
{
	const char *s = spec, *item;
	unsigned int lo, hi, p;

	memset(bits, 0, OSPREY_PORT_BITMAP_BYTES);
	for (;;) {
		s = item = skip_space(s);
		if (parse_port(&s, &lo))
			goto bad;
		hi = lo;
		s = skip_space(s);
		if (*s == '-') {
			s = skip_space(s + 1);
			if (parse_port(&s, &hi) || hi < lo)
				goto bad;
			s = skip_space(s);
		}
		for (p = lo; p <= hi; p++)
			bits[p >> 3] |= 1u << (p & 7);
		if (*s == '\0')
			return 0;
		if (*s != ',')
			goto bad;
		s++;
	}
bad:
	errmsg(err, errlen, "bad port list \"%s\" at \"%s\"", spec, item);
	return -EINVAL;
}

/* "ADDR[/LEN]" of n bytes into *c.  0 or -EINVAL. */
static int parse_one_cidr(const char *s, size_t n, struct capture_cidr *c)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash, *end;
	unsigned long len;
	int maxlen;

	if (n == 0 || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	memset(c, 0, sizeof(*c));
	if (inet_pton(AF_INET, buf, c->addr) == 1) {
		c->family = 4;
		maxlen = 32;
	} else if (inet_pton(AF_INET6, buf, c->addr) == 1) {
		c->family = 6;
		maxlen = 128;
	} else {
		return -EINVAL;
	}
	c->prefix = maxlen;
	if (slash) {
		if (!isdigit((unsigned char)slash[1]))
			return -EINVAL;
		errno = 0;
		len = strtoul(slash + 1, &end, 10);
		if (errno || *end || len > (unsigned long)maxlen)
			return -EINVAL;
		c->prefix = len;
	}
	return 0;
}

int capture_parse_cidrs(const char *spec, struct capture_cidr *out, size_t max,
			size_t *n, char *err, size_t errlen)
{
	const char *s = spec, *item, *stop;
	size_t len;

	*n = 0;
	for (;;) {
		item = skip_space(s);
		stop = strchr(item, ',');
		len = stop ? (size_t)(stop - item) : strlen(item);
		while (len && (item[len - 1] == ' ' || item[len - 1] == '\t'))
			len--;
		if (*n >= max) {
			errmsg(err, errlen, "more than %zu networks in \"%s\"",
			       max, spec);
			return -E2BIG;
		}
		if (parse_one_cidr(item, len, &out[*n])) {
			errmsg(err, errlen,
			       "bad network list \"%s\" at \"%.*s\"", spec,
			       (int)len, item);
			return -EINVAL;
		}
		(*n)++;
		if (!stop)
			return 0;
		s = stop + 1;
	}
}

static int parse_filters(struct filters *f, const struct capture_cfg *cfg,
			 char *err, size_t errlen)
{
	const char *ports[OSPREY_PORT_LISTS] = { cfg->port_allow,
						 cfg->port_deny };
	const char *nets[2] = { cfg->net_allow, cfg->net_deny };
	int i, rc;

	for (i = 0; i < OSPREY_PORT_LISTS; i++) {
		if (!ports[i] || !*skip_space(ports[i]))
			continue;
		rc = capture_parse_ports(ports[i], f->ports[i].bits, err,
					 errlen);
		if (rc)
			return rc;
		f->port_set[i] = true;
	}
	for (i = 0; i < 2; i++) {
		if (!nets[i] || !*skip_space(nets[i]))
			continue;
		rc = capture_parse_cidrs(nets[i], f->net[i], OSPREY_MAX_CIDRS,
					 &f->n_net[i], err, errlen);
		if (rc)
			return rc;
	}
	return 0;
}

static int lpm_insert(const struct capture_cidr *c, int fd4, int fd6)
{
	struct osprey_lpm4_key k4 = { .prefixlen = c->prefix };
	struct osprey_lpm6_key k6 = { .prefixlen = c->prefix };
	__u8 one = 1;

	if (c->family == 4) {
		memcpy(k4.addr, c->addr, 4);
		return bpf_map_update_elem(fd4, &k4, &one, BPF_ANY) ? -errno :
								      0;
	}
	memcpy(k6.addr, c->addr, 16);
	return bpf_map_update_elem(fd6, &k6, &one, BPF_ANY) ? -errno : 0;
}

/* Fill the loaded program's filter maps from f. */
static int store_filters(struct capture_bpf *skel, const struct filters *f)
{
	int fd4[2] = { bpf_map__fd(skel->maps.net_allow4),
		       bpf_map__fd(skel->maps.net_deny4) };
	int fd6[2] = { bpf_map__fd(skel->maps.net_allow6),
		       bpf_map__fd(skel->maps.net_deny6) };
	int bits_fd = bpf_map__fd(skel->maps.port_bits);
	size_t j;
	__u32 i;
	int rc;

	for (i = 0; i < OSPREY_PORT_LISTS; i++) {
		if (f->port_set[i] &&
		    bpf_map_update_elem(bits_fd, &i, &f->ports[i], BPF_ANY))
			return -errno;
	}
	for (i = 0; i < 2; i++) {
		for (j = 0; j < f->n_net[i]; j++) {
			rc = lpm_insert(&f->net[i][j], fd4[i], fd6[i]);
			if (rc)
				return rc;
		}
	}
	return 0;
}

/* ------------------------------------------------------------- pinning */

static int pinned_info(const char *dir, const char *name,
		       struct bpf_map_info *info)
{
	__u32 len = sizeof(*info);
	int fd, rc;

	fd = pinned_map_open(dir, name, true);
	if (fd < 0)
		return fd;
	memset(info, 0, sizeof(*info));
	rc = bpf_obj_get_info_by_fd(fd, info, &len) ? -errno : 0;
	close(fd);
	return rc;
}

/*
 * Make our map definitions agree with maps already pinned: the hosts map
 * keeps the size it was created with (other programs share it), and a
 * counters map from an older layout is replaced (it only holds stats).
 */
static void adopt_pinned(struct capture_bpf *skel, const char *dir)
{
	struct bpf_map_info info;
	char path[PATH_MAX];

	/* an older layout is replaced; programs still holding it must be
	 * loaded again to see the new one */
	if (hostmap_drop_stale(dir) == 1)
		pr_warn("%s/hosts had an older record layout: replaced by a new, empty map (re-run `osprey policy attach-tc` / `pin-ipt` if policy programs use it)",
			dir);
	if (pinned_info(dir, "hosts", &info) == 0 && info.max_entries &&
	    info.max_entries != bpf_map__max_entries(skel->maps.hosts)) {
		pr_info("%s/hosts exists with %u entries; using that size", dir,
			info.max_entries);
		bpf_map__set_max_entries(skel->maps.hosts, info.max_entries);
	}
	policy_pins_upgrade(dir);
	if (pinned_info(dir, "counters", &info) == 0 &&
	    (info.max_entries != 1 ||
	     info.value_size != sizeof(struct osprey_counters)) &&
	    pin_path(path, sizeof(path), dir, "counters") == 0)
		unlink(path);
}

/* Tests run unpinned: keep libbpf from pinning under /sys/fs/bpf. */
static int unpin_all(struct capture_bpf *skel)
{
	struct bpf_map *m;
	int rc;

	bpf_object__for_each_map(m, skel->obj)
	{
		if (!bpf_map__pin_path(m))
			continue;
		rc = bpf_map__set_pin_path(m, NULL);
		if (rc)
			return rc;
	}
	return 0;
}

/* --------------------------------------------------------------- open */

static __u32 ringbuf_size(__u32 want)
{
	long page = sysconf(_SC_PAGESIZE);
	__u32 sz = page > 0 ? page : 4096;

	if (!want)
		want = OSPREY_DEFAULT_RINGBUF;
	while (sz < want && sz < (1u << 30))
		sz <<= 1;
	return sz;
}

/* Buckets per flow cache for `entries` flows: a power of two, >= 1. */
static __u32 flow_buckets(__u32 entries)
{
	__u32 want, n = 1;

	if (!entries)
		entries = OSPREY_DEFAULT_FLOW_ENTRIES;
	want = entries / OSPREY_FLOW_WAYS;
	while (n < want && n < (1u << 24))
		n <<= 1;
	return n;
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct capture *c = ctx;
	const struct osprey_event *ev = data;
	int rc;

	if (size < sizeof(*ev) || ev->cap_len > size - sizeof(*ev)) {
		c->bad_records++;
		return 0;
	}
	if (!c->fn)
		return 0;
	rc = c->fn(c->ctx, ev, size);
	/* libbpf stops on negative values only; capture_poll() reports a
	 * requested stop (-EINTR) as a normal return */
	return rc > 0 ? -EINTR : rc;
}

static int configure(struct capture *c, const struct capture_cfg *cfg,
		     const struct filters *f)
{
	struct capture_bpf *skel = c->skel;
	__u32 age = cfg->flow_age ? cfg->flow_age : OSPREY_DEFAULT_FLOW_AGE;
	__u32 buckets = flow_buckets(cfg->flow_entries);
	__u32 ring = ringbuf_size(cfg->ringbuf_bytes);
	__u64 seed = 0, age_units, tick = evclock_tick_ns();
	int rc;

	/* a seed nobody can guess keeps crafted tuples from colliding */
	if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed))
		return errno ? -errno : -EIO;
	skel->rodata->cfg_flow_budget = cfg->flow_budget ?
						cfg->flow_budget :
						OSPREY_DEFAULT_FLOW_BUDGET;
	/* in the event clock's units: ns, or ticks (jiffies) */
	age_units = (__u64)age * 1000000000ull;
	if (cfg->coarse_clock)
		age_units = (age_units + tick - 1) / tick;
	skel->rodata->cfg_flow_age = age_units;
	skel->rodata->cfg_flow_max_pkts =
		cfg->flow_pkts ?
			(cfg->flow_pkts > 65535 ? 65535 : cfg->flow_pkts) :
			OSPREY_FLOW_MAX_PKTS;
	skel->rodata->cfg_xdp_policy = cfg->xdp_policy;
	skel->rodata->cfg_coarse_clock = cfg->coarse_clock;
	skel->rodata->cfg_port_allow = f->port_set[OSPREY_PORTS_ALLOW];
	skel->rodata->cfg_port_deny = f->port_set[OSPREY_PORTS_DENY];
	skel->rodata->cfg_net_allow = f->n_net[0] > 0;
	skel->rodata->cfg_net_deny = f->n_net[1] > 0;
	skel->rodata->cfg_flow_mask = buckets - 1;
	skel->rodata->cfg_flow_seed = seed;
	skel->rodata->cfg_ring_size = ring;

	/* each family's cache gets the configured size */
	rc = bpf_map__set_max_entries(skel->maps.flows6, buckets);
	if (!rc)
		rc = bpf_map__set_max_entries(skel->maps.flows4, buckets);
	if (!rc)
		rc = bpf_map__set_max_entries(skel->maps.events, ring);
	if (!rc)
		rc = bpf_map__set_max_entries(skel->maps.xdp_ifaces,
					      CAPTURE_MAX_IFACES);
	if (!rc && cfg->max_hosts)
		rc = bpf_map__set_max_entries(skel->maps.hosts, cfg->max_hosts);
	return rc;
}

int capture_open(struct capture **out, const struct capture_cfg *cfg,
		 capture_event_fn fn, void *ctx, char *err, size_t errlen)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .pin_root_path = cfg->pin_dir);
	struct filters *f = NULL;
	struct capture *c;
	int rc, i;

	*out = NULL;
	c = calloc(1, sizeof(*c));
	f = calloc(1, sizeof(*f));
	if (!c || !f) {
		rc = -ENOMEM;
		errmsg(err, errlen, "out of memory");
		goto cleanup;
	}
	for (i = 0; i < CAPTURE_MAX_IFACES; i++)
		c->att[i].link_fd = -1;
	c->fn = fn;
	c->ctx = ctx;
	c->dir = cfg->direction;
	c->multi_off = cfg->xdp_link;
	rc = parse_filters(f, cfg, err, errlen);
	if (rc)
		goto cleanup;
	c->ncpus = libbpf_num_possible_cpus();
	if (c->ncpus <= 0) {
		rc = c->ncpus ? c->ncpus : -EINVAL;
		errmsg(err, errlen, "cannot count CPUs: %s", strerror(-rc));
		goto cleanup;
	}
	if (cfg->pin_dir) {
		rc = pin_dir_create(cfg->pin_dir, 0755);
		if (rc) {
			errmsg(err, errlen, "%s: %s (is bpffs mounted?)",
			       cfg->pin_dir, strerror(-rc));
			goto cleanup;
		}
	}
	c->skel = capture_bpf__open_opts(&oo);
	if (!c->skel) {
		rc = -errno;
		errmsg(err, errlen, "open capture program: %s", strerror(-rc));
		goto cleanup;
	}
	rc = configure(c, cfg, f);
	if (!rc)
		rc = cfg->pin_dir ? 0 : unpin_all(c->skel);
	if (rc) {
		errmsg(err, errlen, "configure capture program: %s",
		       strerror(-rc));
		goto cleanup;
	}
	if (cfg->pin_dir)
		adopt_pinned(c->skel, cfg->pin_dir);
	rc = capture_bpf__load(c->skel);
	if (rc) {
		errmsg(err, errlen, "load capture program: %s%s", strerror(-rc),
		       cfg->pin_dir ? " (a map pinned in the pin directory "
				      "may have an old layout)" :
				      "");
		goto cleanup;
	}
	rc = store_filters(c->skel, f);
	if (rc) {
		errmsg(err, errlen, "store filters: %s", strerror(-rc));
		goto cleanup;
	}
	if (cfg->coarse_clock) {
		rc = capture_clock_calibrate(c, err, errlen);
		if (rc)
			goto cleanup;
	}
	c->rb = ring_buffer__new(bpf_map__fd(c->skel->maps.events), on_record,
				 c, NULL);
	if (!c->rb) {
		rc = -errno;
		errmsg(err, errlen, "ring buffer: %s", strerror(-rc));
		goto cleanup;
	}
	*out = c;
	c = NULL;
cleanup:
	free(f);
	capture_close(c);
	return rc;
}

/* --------------------------------------------------------------- read */

int capture_fd(struct capture *c)
{
	return ring_buffer__epoll_fd(c->rb);
}

int capture_poll(struct capture *c, int timeout_ms)
{
	int n = ring_buffer__poll(c->rb, timeout_ms);

	return n == -EINTR ? 0 : n;
}

/* The per-CPU counters element of fd, summed. */
static int sum_counters(int fd, int ncpus, uint64_t out[OSPREY_CTR_MAX])
{
	struct osprey_counters *vals;
	__u32 key = 0, i;
	int cpu, rc = 0;

	vals = calloc(ncpus, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	memset(out, 0, OSPREY_CTR_MAX * sizeof(out[0]));
	if (bpf_map_lookup_elem(fd, &key, vals))
		rc = -errno;
	for (cpu = 0; !rc && cpu < ncpus; cpu++)
		for (i = 0; i < OSPREY_CTR_MAX; i++)
			out[i] += vals[cpu].c[i];
	free(vals);
	return rc;
}

int capture_counters(struct capture *c, uint64_t out[OSPREY_CTR_MAX])
{
	return sum_counters(bpf_map__fd(c->skel->maps.counters), c->ncpus, out);
}

int capture_counters_pinned(const char *pin_dir, uint64_t out[OSPREY_CTR_MAX])
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);
	int fd, ncpus, rc = 0;

	ncpus = libbpf_num_possible_cpus();
	if (ncpus <= 0)
		return ncpus ? ncpus : -EINVAL;
	fd = pinned_map_open(pin_dir ? pin_dir : OSPREY_PIN_DIR, "counters",
			     true);
	if (fd < 0)
		return fd;
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		rc = -errno;
	else if (info.max_entries != 1 ||
		 info.value_size != sizeof(struct osprey_counters))
		rc = -EPROTO; /* a layout this build cannot read */
	else
		rc = sum_counters(fd, ncpus, out);
	close(fd);
	return rc;
}

int capture_hosts_fd(struct capture *c)
{
	return bpf_map__fd(c->skel->maps.hosts);
}

int capture_policy_fd(struct capture *c)
{
	int set = bpf_map__fd(c->skel->maps.policy_a);
	__u32 slot = 0;

	/* policy_a becomes the set in force unless one is */
	if (bpf_map_lookup_elem(bpf_map__fd(c->skel->maps.policy), &slot,
				&(__u32){ 0 }) &&
	    bpf_map_update_elem(bpf_map__fd(c->skel->maps.policy), &slot, &set,
				BPF_ANY))
		return -errno;
	return set;
}

int capture_prog_fd(struct capture *c)
{
	return bpf_program__fd(c->skel->progs.osprey_capture);
}

int capture_egress_prog_fd(struct capture *c)
{
	return bpf_program__fd(c->skel->progs.osprey_egress);
}

/* Map flows4 (i = 0) or flows6 (1) into this process, once. */
static void *flows_map(struct capture *c, int i, uint32_t *n)
{
	struct bpf_map *m = i ? c->skel->maps.flows6 : c->skel->maps.flows4;
	long page = sysconf(_SC_PAGESIZE);
	size_t len;
	void *mem;

	*n = bpf_map__max_entries(m);
	if (c->flows_mem[i])
		return c->flows_mem[i];
	len = (size_t)*n * bpf_map__value_size(m);
	if (page > 0)
		len = (len + page - 1) / page * page;
	mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
		   bpf_map__fd(m), 0);
	if (mem == MAP_FAILED)
		return NULL;
	c->flows_mem[i] = mem;
	c->flows_len[i] = len;
	return mem;
}

struct osprey_flow4_bucket *capture_flows4(struct capture *c, uint32_t *n)
{
	return flows_map(c, 0, n);
}

struct osprey_flow6_bucket *capture_flows6(struct capture *c, uint32_t *n)
{
	return flows_map(c, 1, n);
}

int capture_flows_clear(struct capture *c)
{
	uint32_t n4, n6;
	struct osprey_flow4_bucket *b4 = capture_flows4(c, &n4);
	struct osprey_flow6_bucket *b6 = capture_flows6(c, &n6);

	if (!b4 || !b6)
		return -errno;
	memset(b4, 0, (size_t)n4 * sizeof(*b4));
	memset(b6, 0, (size_t)n6 * sizeof(*b6));
	return 0;
}

uint64_t capture_bad_records(struct capture *c)
{
	return c->bad_records;
}

void capture_close(struct capture *c)
{
	int i;

	if (!c)
		return;
	if (c->skel)
		capture_detach_all(c);
	xdp_multi_free(c->multi);
	for (i = 0; i < 2; i++)
		if (c->flows_mem[i])
			munmap(c->flows_mem[i], c->flows_len[i]);
	ring_buffer__free(c->rb);
	capture_bpf__destroy(c->skel);
	free(c);
}
