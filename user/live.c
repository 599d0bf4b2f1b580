// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Live mode: load and attach the XDP capture program, then run one epoll
 * loop over
 *   - the ring buffer     events -> engine_feed() -> outputs + hosts map
 *   - a signalfd          SIGINT/SIGTERM stop, SIGHUP reopens the -o log
 *                         and reloads the databases (dbload.c)
 *   - the API socket      p0f queries answered from the engine's hosts
 *   - a timerfd           systemd watchdog, daemon counters, clock offset
 * Everything that can fail is set up before the first attach, and every
 * failure path detaches what was attached, so an error leaves nothing
 * behind in the kernel except the pinned maps (which are meant to stay).
 */
#include <errno.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <pcap/pcap.h>

#include "user/api.h"
#include "user/capture.h"
#include "user/dbload.h"
#include "user/hostmap.h"
#include "user/live.h"
#include "user/log.h"
#include "user/osprey.h"
#include "user/pin.h"
#include "user/policy_maps.h"
#include "user/service.h"
#include "user/sinks.h"

#ifndef CAP_BPF
#define CAP_BPF 39
#endif

#define SYSFS_BTF "/sys/kernel/btf/vmlinux"
/* Records handled per wakeup before the loop looks at its other fds. */
#define EVENT_BATCH 4096
/* Hosts touched by one packet (client, server, a few observations). */
#define PENDING_HOSTS 16
/* Re-measure the monotonic -> wall clock offset this often (ms). */
#define CLOCK_RESYNC_MS 60000
#define TICK_MS 1000

enum ep_tag { TAG_RING = 1, TAG_SIGNAL, TAG_TIMER, TAG_API };

struct pending {
	u8 ip_ver;
	u8 addr[16];
};

struct live {
	const struct osprey_opts *o;
	struct engine *e;
	struct sinks *s;
	struct capture *cap;
	struct api_server *api;
	const char *pin_dir;
	int hosts_fd, dstats_fd;
	int ep_fd, sig_fd, timer_fd;
	gid_t gid;
	bool have_gid;
	bool stop;
	/* CLOCK_REALTIME - CLOCK_MONOTONIC, ns */
	int64_t clock_off;
	uint64_t clock_at_ms, wd_ms;
	uint64_t batch;
	/* the CLI's observation callback, called before we publish */
	obs_cb next_obs;
	void *next_ctx;
	struct pending pend[PENDING_HOSTS];
	int n_pend;
	/* the trailing filter expression, run on each event's IP bytes */
	struct bpf_program filt;
	bool have_filt;
	uint64_t st[DST_MAX];
};

static uint64_t ts_ns(const struct timespec *t)
{
	return (uint64_t)t->tv_sec * 1000000000ull + (uint64_t)t->tv_nsec;
}

static uint64_t mono_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return ts_ns(&t) / 1000000ull;
}

/* Wall clock minus monotonic clock, read as close together as we can. */
static void measure_clock(struct live *l)
{
	struct timespec m1, r, m2;

	clock_gettime(CLOCK_MONOTONIC, &m1);
	clock_gettime(CLOCK_REALTIME, &r);
	clock_gettime(CLOCK_MONOTONIC, &m2);
	l->clock_off =
		(int64_t)ts_ns(&r) - (int64_t)((ts_ns(&m1) + ts_ns(&m2)) / 2);
	l->clock_at_ms = ts_ns(&m2) / 1000000ull;
}

static uint64_t event_unix_ms(const struct live *l, uint64_t mono_ns)
{
	return (uint64_t)((int64_t)mono_ns + l->clock_off) / 1000000ull;
}

/* ------------------------------------------------------- preflight */

static bool have_cap(const struct __user_cap_data_struct d[2], int cap)
{
	return d[cap / 32].effective & (1u << (cap % 32));
}

static int check_privs(struct live *l)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &hdr, d))
		return 0; /* cannot tell: let the kernel decide */
	if ((have_cap(d, CAP_BPF) || have_cap(d, CAP_SYS_ADMIN)) &&
	    have_cap(d, CAP_NET_ADMIN))
		return 0;
	pr_err("live capture needs root, or CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN (running as uid %d without them)",
	       (int)getuid());
	return -EPERM;
}

static int check_btf(struct live *l)
{
	if (!access(SYSFS_BTF, R_OK))
		return 0;
	pr_err("kernel BTF not found (%s): the capture program needs a kernel built with CONFIG_DEBUG_INFO_BTF",
	       SYSFS_BTF);
	return -ENOENT;
}

/*
 * The trailing filter expression works as with -r: compiled by libpcap,
 * ANDed with "tcp" as p0f does, here against the raw IP bytes of each
 * event (the kernel filters are --port-* / --net-*).
 */
static int compile_filter(struct live *l)
{
	char expr[4096];
	pcap_t *p;
	int rc = 0;

	if (!l->o->filter || !*l->o->filter)
		return 0;
	if (snprintf(expr, sizeof(expr), "tcp and (%s)", l->o->filter) >=
	    (int)sizeof(expr)) {
		pr_err("filter expression too long");
		return -EINVAL;
	}
	p = pcap_open_dead(DLT_RAW, 65535);
	if (!p) {
		pr_err("filter: out of memory");
		return -ENOMEM;
	}
	if (pcap_compile(p, &l->filt, expr, 1, PCAP_NETMASK_UNKNOWN)) {
		pr_err("bad filter '%s': %s", l->o->filter, pcap_geterr(p));
		rc = -EINVAL;
	} else {
		l->have_filt = true;
	}
	pcap_close(p);
	return rc;
}

static int check_ifaces(struct live *l)
{
	int i;

	for (i = 0; i < l->o->n_ifaces; i++) {
		if (!if_nametoindex(l->o->ifaces[i])) {
			pr_err("%s: no such interface", l->o->ifaces[i]);
			return -ENODEV;
		}
	}
	return 0;
}

/* The interface of the IPv4 default route, like p0f's default device. */
static int default_iface(char *buf, size_t len)
{
	char line[256], name[IF_NAMESIZE + 1];
	unsigned long dst, flags;
	FILE *fp = fopen("/proc/net/route", "r");
	int rc = -ENOENT;

	if (!fp)
		return -errno;
	while (fgets(line, sizeof(line), fp)) {
		if (sscanf(line, "%16s %lx %*x %lx", name, &dst, &flags) != 3)
			continue;
		if (dst == 0 && (flags & 0x1 /* RTF_UP */)) {
			snprintf(buf, len, "%s", name);
			rc = 0;
			break;
		}
	}
	fclose(fp);
	return rc;
}

/* The pin directory must be on bpffs; mount bpffs where systemd would. */
static int ensure_bpffs(struct live *l)
{
	char err[PATH_MAX + 128];
	int rc = pin_bpffs_ensure(l->pin_dir, err, sizeof(err));

	if (rc < 0)
		pr_err("%s", err);
	else if (rc > 0)
		pr_info("mounted bpffs at %s", BPFFS_ROOT);
	return rc < 0 ? rc : 0;
}

static int resolve_gid(struct live *l)
{
	struct group gr, *res = NULL;
	char buf[4096];

	if (!l->o->group)
		return 0;
	if (getgrnam_r(l->o->group, &gr, buf, sizeof(buf), &res) || !res) {
		pr_err("unknown group '%s' (--group)", l->o->group);
		return -ENOENT;
	}
	l->gid = res->gr_gid;
	l->have_gid = true;
	return 0;
}

/* Owner root (or whoever we are), group as configured, no world access. */
static int set_perms(struct live *l, const char *path, mode_t mode)
{
	if (l->have_gid && chown(path, (uid_t)-1, l->gid))
		return -errno;
	return chmod(path, mode) ? -errno : 0;
}

static int make_pin_dir(struct live *l)
{
	int rc = pin_dir_create(l->pin_dir, 0700);

	if (rc) {
		pr_err("create %s: %s", l->pin_dir, strerror(-rc));
		return rc;
	}
	rc = set_perms(l, l->pin_dir, l->have_gid ? 0750 : 0700);
	if (rc)
		pr_err("%s: set group/mode: %s", l->pin_dir, strerror(-rc));
	return rc;
}

/* Pins are created 0600; let the configured group read them as well. */
static void pin_perms(struct live *l)
{
	static const char *const names[] = { "hosts", "counters", "policy",
					     DSTATS_MAP, POLICY_NAMES_MAP };
	char path[PATH_MAX];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (pin_path(path, sizeof(path), l->pin_dir, names[i]) ||
		    access(path, F_OK))
			continue;
		rc = set_perms(l, path, l->have_gid ? 0640 : 0600);
		if (rc)
			pr_warn("%s: set group/mode: %s", path, strerror(-rc));
	}
}

/* -------------------------------------------------------- publish */

static void queue_host(struct live *l, const struct host *h)
{
	int i;

	for (i = 0; i < l->n_pend; i++)
		if (l->pend[i].ip_ver == h->ip_ver &&
		    !memcmp(l->pend[i].addr, h->addr, 16))
			return;
	if (l->n_pend == PENDING_HOSTS)
		return; /* cannot happen for one packet; the next one catches up */
	l->pend[l->n_pend].ip_ver = h->ip_ver;
	memcpy(l->pend[l->n_pend].addr, h->addr, 16);
	l->n_pend++;
}

/*
 * Write the hosts one packet touched.  Done after engine_feed() returns,
 * looking each host up again: the engine has finished updating it then,
 * and a host it pruned meanwhile is simply not written.
 */
static void flush_hosts(struct live *l)
{
	struct host *h;
	int i;

	for (i = 0; i < l->n_pend; i++) {
		h = engine_lookup_host(l->e, l->pend[i].addr,
				       l->pend[i].ip_ver);
		if (!h)
			continue;
		if (hostmap_update(l->hosts_fd, l->e->db, h))
			l->st[DST_HOST_UPDATE_ERRORS]++;
		else
			l->st[DST_HOST_UPDATES]++;
	}
	l->n_pend = 0;
}

static void on_host(void *ctx, const struct host *h)
{
	queue_host(ctx, h);
}

static void on_obs(void *ctx, const struct obs *o)
{
	struct live *l = ctx;
	int i = obs_mod_index(o->mod);

	if (i >= 0 && i <= DST_OBS_LAST - DST_OBS_FIRST)
		l->st[DST_OBS_FIRST + i]++;
	if (l->next_obs)
		l->next_obs(l->next_ctx, o);
	if (o->subject)
		queue_host(l, o->subject);
}

/* 1 if the event passes the filter expression (or there is none). */
static int filter_pass(const struct live *l, const struct osprey_event *ev)
{
	struct pcap_pkthdr hdr = { .caplen = ev->cap_len };

	if (!l->have_filt)
		return 1;
	hdr.len = ev->frame_len > ev->l3_off ? ev->frame_len - ev->l3_off :
					       ev->cap_len;
	return pcap_offline_filter(&l->filt, &hdr, ev->data) != 0;
}

static int on_event(void *ctx, const struct osprey_event *ev, size_t size)
{
	struct live *l = ctx;

	(void)size;
	l->st[DST_EVENTS]++;
	if (!filter_pass(l, ev)) {
		l->st[DST_FILTERED]++;
		goto out;
	}
	l->st[DST_EVENT_BYTES] += ev->cap_len;
	if (engine_feed(l->e, ev->data, ev->cap_len,
			event_unix_ms(l, ev->ts_ns)) != PKT_OK)
		l->st[DST_ENGINE_ERRORS]++;
	flush_hosts(l);
out:
	/* a negative value makes libbpf stop here and keep the rest */
	return ++l->batch >= EVENT_BATCH || l->stop ? -EINTR : 0;
}

static void publish_stats(struct live *l)
{
	uint64_t ctr[OSPREY_CTR_MAX];

	if (l->cap && !capture_counters(l->cap, ctr))
		l->st[DST_RB_DROPS] = ctr[OSPREY_CTR_RB_DROPS];
	if (l->cap)
		l->st[DST_BAD_RECORDS] = capture_bad_records(l->cap);
	l->st[DST_HOSTS] = engine_host_count(l->e);
	l->st[DST_FLOWS] = engine_flow_count(l->e);
	l->st[DST_CONNECTIONS] = l->e->st.flows_created;
	l->st[DST_API_QUERIES] = api_queries(l->api);
	l->st[DST_API_REJECTED] = api_rejected(l->api);
	l->st[DST_UPDATE_TIME] = (uint64_t)time(NULL);
	if (l->dstats_fd >= 0)
		dstats_store(l->dstats_fd, l->st);
}

/* ------------------------------------------------------------ setup */

static int ep_add(struct live *l, int fd, uint32_t tag)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = tag };

	int rc;

	if (epoll_ctl(l->ep_fd, EPOLL_CTL_ADD, fd, &ev)) {
		rc = -errno;
		pr_err("epoll: %s", strerror(-rc));
		return rc;
	}
	return 0;
}

static int setup_loop(struct live *l)
{
	uint64_t tick = TICK_MS;
	struct itimerspec its;
	sigset_t mask;
	int rc;

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	l->ep_fd = epoll_create1(EPOLL_CLOEXEC);
	l->sig_fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	l->timer_fd =
		timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (l->ep_fd < 0 || l->sig_fd < 0 || l->timer_fd < 0) {
		rc = -errno;
		pr_err("event loop: %s", strerror(-rc));
		return rc;
	}
	l->wd_ms = service_watchdog_ms();
	if (l->wd_ms && l->wd_ms < tick)
		tick = l->wd_ms;
	memset(&its, 0, sizeof(its));
	its.it_interval.tv_sec = tick / 1000;
	its.it_interval.tv_nsec = (tick % 1000) * 1000000;
	its.it_value = its.it_interval;
	if (timerfd_settime(l->timer_fd, 0, &its, NULL)) {
		rc = -errno;
		pr_err("timer: %s", strerror(-rc));
		return rc;
	}
	if (ep_add(l, l->sig_fd, TAG_SIGNAL) ||
	    ep_add(l, l->timer_fd, TAG_TIMER) ||
	    ep_add(l, capture_fd(l->cap), TAG_RING))
		return -EIO;
	if (l->api && ep_add(l, api_fd(l->api), TAG_API))
		return -EIO;
	return 0;
}

static int open_capture(struct live *l)
{
	const struct osprey_opts *o = l->o;
	struct capture_cfg cfg = {
		.pin_dir = l->pin_dir,
		.max_hosts =
			o->eng.max_hosts ? o->eng.max_hosts : DEF_MAX_HOSTS,
		.flow_entries = o->flow_entries,
		.flow_budget = o->flow_budget,
		.flow_age = o->flow_age,
		.ringbuf_bytes = o->ringbuf_bytes,
		.xdp_policy = o->xdp_policy,
		.port_allow = o->port_allow,
		.port_deny = o->port_deny,
		.net_allow = o->net_allow,
		.net_deny = o->net_deny,
		.direction = o->direction,
	};
	char err[256] = "";
	int rc;

	rc = capture_open(&l->cap, &cfg, on_event, l, err, sizeof(err));
	if (rc) {
		pr_err("%s", err[0] ? err : strerror(-rc));
		return rc;
	}
	l->hosts_fd = capture_hosts_fd(l->cap);
	l->dstats_fd = dstats_open(l->pin_dir, true);
	if (l->dstats_fd < 0)
		pr_warn("%s/%s: %s (daemon counters not published)", l->pin_dir,
			DSTATS_MAP, strerror(-l->dstats_fd));
	if (o->n_policy) {
		rc = policy_apply_rules(l->pin_dir, o->policy_rules,
					o->n_policy, err, sizeof(err));
		if (rc) {
			pr_err("policy: %s", err);
			return rc;
		}
	}
	pin_perms(l);
	return 0;
}

static int open_api(struct live *l)
{
	const struct osprey_opts *o = l->o;
	char err[512] = "";
	int rc;

	if (!o->api_sock)
		return 0;
	rc = api_open(&l->api, o->api_sock, o->api_max_clients, o->group, l->e,
		      err, sizeof(err));
	if (rc)
		pr_err("%s", err[0] ? err : strerror(-rc));
	else
		pr_info("API socket %s (max %d clients)", o->api_sock,
			o->api_max_clients);
	return rc;
}

static const char *mode_str(enum xdp_mode_opt m)
{
	return m == XDP_MODE_NATIVE ? "native" : "generic";
}

static int attach_all(struct live *l, const char *const *ifs, int n)
{
	enum xdp_mode_opt used;
	unsigned int hooks;
	char err[256] = "";
	int i, rc;

	for (i = 0; i < n; i++) {
		used = l->o->xdp_mode;
		rc = capture_attach(l->cap, ifs[i], l->o->xdp_mode, &used, err,
				    sizeof(err));
		if (rc) {
			pr_err("%s", err[0] ? err : strerror(-rc));
			return rc;
		}
		hooks = capture_hooks(l->cap, ifs[i]);
		if (!(hooks & CAPTURE_HOOK_XDP))
			pr_info("%s: attached in tc egress only", ifs[i]);
		else if (l->o->xdp_mode == XDP_MODE_AUTO &&
			 used == XDP_MODE_GENERIC)
			pr_info("%s: native XDP refused, attached in generic mode",
				ifs[i]);
		else
			pr_info("%s: attached in %s XDP mode", ifs[i],
				mode_str(used));
		if ((hooks & CAPTURE_HOOK_XDP) && (hooks & CAPTURE_HOOK_EGRESS))
			pr_info("%s: tc egress attached", ifs[i]);
	}
	return 0;
}

/* ------------------------------------------------------------- loop */

static void on_signal(struct live *l)
{
	struct signalfd_siginfo si;

	while (read(l->sig_fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			if (sinks_reopen_log(l->s))
				pr_warn("SIGHUP: cannot reopen the log file");
			db_reload(l->o, l->e);
			continue;
		}
		pr_debug("signal %u, stopping", si.ssi_signo);
		l->stop = true;
	}
}

static void on_tick(struct live *l)
{
	uint64_t expirations, now = mono_ms();

	if (read(l->timer_fd, &expirations, sizeof(expirations)) < 0 &&
	    errno != EAGAIN)
		return;
	if (l->wd_ms)
		service_watchdog_ping();
	if (now - l->clock_at_ms >= CLOCK_RESYNC_MS)
		measure_clock(l);
	sinks_flush(l->s);
	publish_stats(l);
}

static int run_loop(struct live *l)
{
	struct epoll_event evs[8];
	int n, i, rc;

	while (!l->stop) {
		n = epoll_wait(l->ep_fd, evs, 8, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			pr_err("epoll_wait: %s", strerror(-rc));
			return rc;
		}
		for (i = 0; i < n; i++) {
			switch (evs[i].data.u32) {
			case TAG_RING:
				l->batch = 0;
				rc = capture_poll(l->cap, 0);
				if (rc < 0) {
					pr_err("ring buffer: %s",
					       strerror(-rc));
					return rc;
				}
				break;
			case TAG_SIGNAL:
				on_signal(l);
				break;
			case TAG_TIMER:
				on_tick(l);
				break;
			case TAG_API:
				api_service(l->api);
				break;
			}
		}
	}
	return 0;
}

/* -------------------------------------------------------- live_run */

static int drop_privs(struct live *l)
{
	char err[256] = "";
	int rc;

	if (!l->o->user)
		return 0;
	rc = service_drop_privs(l->o->user, err, sizeof(err));
	if (rc)
		pr_err("%s", err[0] ? err : strerror(-rc));
	return rc;
}

static int preflight(struct live *l, const char **ifs, int *n_ifs, char *defif,
		     size_t deflen)
{
	int rc, i;

	rc = compile_filter(l);
	if (rc)
		return rc;
	rc = check_privs(l);
	if (!rc)
		rc = check_btf(l);
	if (!rc)
		rc = check_ifaces(l);
	if (rc)
		return rc;
	for (i = 0; i < l->o->n_ifaces; i++)
		ifs[i] = l->o->ifaces[i];
	*n_ifs = l->o->n_ifaces;
	if (!*n_ifs) {
		if (default_iface(defif, deflen)) {
			pr_err("no interface given (-i) and no default route to pick one from");
			return -ENODEV;
		}
		pr_info("no -i given, using %s", defif);
		ifs[0] = defif;
		*n_ifs = 1;
	}
	rc = resolve_gid(l);
	if (!rc)
		rc = ensure_bpffs(l);
	if (!rc)
		rc = make_pin_dir(l);
	return rc;
}

static void teardown(struct live *l, sigset_t *old)
{
	if (l->dstats_fd >= 0) {
		l->st[DST_RUNNING] = 0;
		publish_stats(l);
		close(l->dstats_fd);
	}
	api_close(l->api);
	capture_close(l->cap); /* detaches from every interface */
	if (l->timer_fd >= 0)
		close(l->timer_fd);
	if (l->sig_fd >= 0)
		close(l->sig_fd);
	if (l->ep_fd >= 0)
		close(l->ep_fd);
	l->e->on_obs = l->next_obs;
	l->e->obs_ctx = l->next_ctx;
	l->e->on_host = NULL;
	l->e->host_ctx = NULL;
	if (l->have_filt)
		pcap_freecode(&l->filt);
	sigprocmask(SIG_SETMASK, old, NULL);
}

int live_run(const struct osprey_opts *o, struct engine *e, struct sinks *s)
{
	const char *ifs[OSPREY_MAX_IFACES];
	char defif[IF_NAMESIZE + 1];
	struct live *l;
	sigset_t mask, old;
	int n_ifs = 0, rc, status;

	l = calloc(1, sizeof(*l));
	if (!l) {
		pr_err("out of memory");
		return EXIT_FAIL;
	}
	l->o = o;
	l->e = e;
	l->s = s;
	l->pin_dir = o->pin_dir && *o->pin_dir ? o->pin_dir : OSPREY_PIN_DIR;
	l->hosts_fd = l->dstats_fd = l->ep_fd = l->sig_fd = l->timer_fd = -1;
	l->next_obs = e->on_obs;
	l->next_ctx = e->obs_ctx;
	e->on_obs = on_obs;
	e->obs_ctx = l;
	e->on_host = on_host;
	e->host_ctx = l;

	/* signals go to the signalfd from now on, also during setup */
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, &old);
	signal(SIGPIPE, SIG_IGN);

	rc = preflight(l, ifs, &n_ifs, defif, sizeof(defif));
	if (!rc)
		rc = open_capture(l);
	if (!rc)
		rc = open_api(l);
	if (!rc)
		rc = setup_loop(l);
	if (!rc)
		rc = attach_all(l, ifs, n_ifs);
	if (!rc)
		rc = drop_privs(l);
	if (!rc) {
		measure_clock(l);
		l->st[DST_PID] = (uint64_t)getpid();
		l->st[DST_RUNNING] = 1;
		l->st[DST_START_TIME] = (uint64_t)time(NULL);
		publish_stats(l);
		service_notify_ready("capturing");
		rc = run_loop(l);
		service_notify_stopping();
	}
	/* a bad filter is a bad argument; anything else a runtime error */
	status = !rc			  ? EXIT_OK :
		 rc == -EINVAL && !l->cap ? EXIT_USAGE :
					    EXIT_FAIL;
	teardown(l, &old);
	free(l);
	return status;
}
