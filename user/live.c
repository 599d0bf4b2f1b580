// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Live mode: load and attach the capture programs, then run one epoll
 * loop over
 *   - the ring buffer     events -> engine_feed() -> outputs + hosts map,
 *                         written once per round of records
 *   - a signalfd          SIGINT/SIGTERM stop, SIGHUP reopens the -o log,
 *                         reloads the databases (dbload.c) and applies
 *                         the config file's policy rules again
 *   - the API socket      p0f queries answered from the engine's hosts
 *   - a netlink socket    interfaces removed, back, new (ifwatch.c)
 *   - a timerfd           systemd watchdog, daemon counters, clock offset,
 *                         idle API clients
 * The checks before capture starts are in live_setup.c.  Everything that
 * can fail is set up before the first attach, and every
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
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include <pcap/pcap.h>

#include "user/api.h"
#include "user/capture.h"
#include "user/config.h"
#include "user/dbload.h"
#include "user/hostmap.h"
#include "user/http_api.h"
#include "user/ifwatch.h"
#include "user/live.h"
#include "user/live_int.h"
#include "user/log.h"
#include "user/metrics.h"
#include "user/osprey.h"
#include "user/pin.h"
#include "user/policy_maps.h"
#include "user/service.h"
#include "user/sinks.h"

/*
 * Records handled per round; the round's output is then written (one
 * write per sink).  While the ring holds more, rounds follow one another
 * for up to RING_SLICE_MS before the loop looks at its other fds.
 */
#define EVENT_BATCH 4096
#define RING_SLICE_MS 50
/*
 * The hosts the rounds touched go to the pinned map in batches: when the
 * ring is empty, and while it is not (a flood), every HOST_DEFER_MS, so
 * that of a flood's hosts only those the map can hold are written.
 */
#define HOST_DEFER_MS 100
/* Re-measure the monotonic -> wall clock offset this often (ms). */
#define CLOCK_RESYNC_MS 60000
#define TICK_MS 1000
/* Rounds of records read after a stop signal, before detaching. */
#define DRAIN_ROUNDS 64

enum ep_tag {
	TAG_RING = 1,
	TAG_SIGNAL,
	TAG_TIMER,
	TAG_API,
	TAG_LINK,
	TAG_HTTP,
};

static uint64_t ts_ns(const struct timespec *t)
{
	return (uint64_t)t->tv_sec * 1000000000ull + (uint64_t)t->tv_nsec;
}

static uint64_t mono_ms(void)
{
	return evclock_mono_ns() / 1000000ull;
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

/* -------------------------------------------------------- publish */

/*
 * Write the hosts this round touched, as the engine has them now (the
 * engine has finished with them; a host it pruned meanwhile is simply not
 * written), in one batch.
 */
static void flush_hosts(struct live *l)
{
	uint64_t ok = 0, bad = 0;

	l->last_queued = NULL;
	l->hosts_ms = mono_ms();
	if (!l->hosts || !hostmap_batch_pending(l->hosts))
		return;
	if (hostmap_batch_flush(l->hosts, l->hosts_fd, l->e, &ok, &bad) &&
	    !l->st[DST_HOST_UPDATE_ERRORS])
		pr_warn("hosts map: a batch write failed (counted in host_map_errors)");
	l->st[DST_HOST_UPDATES] += ok;
	l->st[DST_HOST_UPDATE_ERRORS] += bad;
}

static void queue_host(struct live *l, const struct host *h)
{
	/* one packet names its hosts several times (observations, record
	 * changes): skip the repeats before the batch's own check */
	if (h == l->last_queued || !l->hosts)
		return;
	l->last_queued = h;
	if (hostmap_batch_add(l->hosts, h))
		flush_hosts(l); /* full: a map larger than the batch */
}

static void on_host(void *ctx, const struct host *h)
{
	queue_host(ctx, h);
}

static void on_obs(void *ctx, const struct obs *o)
{
	struct live *l = ctx;
	int i = dstat_obs_index(obs_mod_index(o->mod));

	if (i >= 0)
		l->st[i]++;
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

/* The name of ifindex, looked up once (NULL if it has none now). */
static const char *ifname_of(struct live *l, int ifindex)
{
	char name[IF_NAMESIZE];
	struct ifname_cache *c;
	int i;

	for (i = 0; i < CAPTURE_MAX_IFACES && l->ifn[i].ifindex; i++)
		if (l->ifn[i].ifindex == ifindex)
			return l->ifn[i].name;
	if (!if_indextoname(ifindex, name))
		return NULL;
	/* full: reuse the last slot rather than grow */
	c = &l->ifn[i < CAPTURE_MAX_IFACES ? i : CAPTURE_MAX_IFACES - 1];
	memcpy(c->name, name, sizeof(name));
	c->ifindex = ifindex;
	return c->name;
}

/* The event's time on CLOCK_MONOTONIC: a tick stamp made precise. */
static uint64_t event_time(struct live *l, const struct osprey_event *ev)
{
	if (!l->coarse)
		return ev->ts;
	return evclock_time(&l->evc, capture_event_ns(l->cap, ev));
}

static int on_event(void *ctx, const struct osprey_event *ev, size_t size)
{
	struct live *l = ctx;
	struct pkt_meta meta;

	(void)size;
	l->st[DST_EVENTS]++;
	if (!filter_pass(l, ev)) {
		l->st[DST_FILTERED]++;
		goto out;
	}
	l->st[DST_EVENT_BYTES] += ev->cap_len;
	meta.ifname = ifname_of(l, (int)ev->ifindex);
	/* refusals are counted from the pipe at the end of the round */
	engine_pipe_feed(l->e, &l->pipe, ev->data, ev->cap_len,
			 event_unix_ms(l, event_time(l, ev)), &meta);
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
	if (l->hosts)
		l->st[DST_HOST_SUPERSEDED] = hostmap_batch_superseded(l->hosts);
	l->st[DST_TIMES_ESTIMATED] = l->evc.late;
	l->st[DST_FLOWS] = engine_flow_count(l->e);
	l->st[DST_CONNECTIONS] = l->e->st.flows_created;
	l->st[DST_TLS_INCOMPLETE] = l->e->st.tls_incomplete;
	l->st[DST_TLS_REFUSED] = l->e->st.tls_refused;
	l->st[DST_API_QUERIES] = api_queries(l->api);
	l->st[DST_API_REJECTED] = api_rejected(l->api);
	l->st[DST_API_IDLE_CLOSED] = api_timed_out(l->api);
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
	if (l->http && ep_add(l, http_api_fd(l->http), TAG_HTTP))
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
		.xdp_link = o->xdp_link,
		.coarse_clock = !o->precise_clock,
	};
	char err[1024] = "";
	uint32_t cap;
	int rc;

	rc = capture_open(&l->cap, &cfg, on_event, l, err, sizeof(err));
	if (rc == -ERANGE && cfg.coarse_clock) {
		pr_warn("%s; reading the precise clock instead", err);
		cfg.coarse_clock = false;
		err[0] = '\0';
		rc = capture_open(&l->cap, &cfg, on_event, l, err, sizeof(err));
	}
	l->coarse = cfg.coarse_clock;
	evclock_init(&l->evc, 0, NULL, NULL);
	if (!rc)
		pr_debug("event times: %s",
			 l->coarse ? "jiffies on CLOCK_MONOTONIC, made precise "
				     "as read" :
				     "the kernel's precise clock");
	if (rc) {
		pr_err("%s", err[0] ? err : strerror(-rc));
		return rc;
	}
	l->hosts_fd = capture_hosts_fd(l->cap);
	cap = hostmap_capacity(l->hosts_fd);
	rc = hostmap_batch_new(&l->hosts, cap ? cap : DEF_MAX_HOSTS);
	if (rc) {
		pr_err("hosts map batch: %s", strerror(-rc));
		return rc;
	}
	l->dstats_fd = dstats_open(l->pin_dir, true);
	if (l->dstats_fd < 0)
		pr_warn("%s/%s: %s (daemon counters not published)", l->pin_dir,
			DSTATS_MAP, strerror(-l->dstats_fd));
	/* a config file is the source of truth for the rules: its set
	 * (maybe empty) replaces the pinned one, atomically */
	if (o->config || o->n_policy) {
		rc = policy_apply_rules(l->pin_dir, o->policy_rules,
					o->n_policy, l->e->db, err,
					sizeof(err));
		if (rc) {
			pr_err("policy: %s", err);
			return rc;
		}
	}
	live_pin_perms(l);
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
	if (rc) {
		pr_err("%s", err[0] ? err : strerror(-rc));
		return rc;
	}
	api_set_hosts_map(l->api, l->hosts_fd);
	api_set_idle_timeout(l->api, o->api_idle);
	pr_info("API socket %s (max %d clients)", o->api_sock,
		o->api_max_clients);
	return 0;
}

/* Watch the links, then attach where we should (ifwatch.h). */
static int attach_all(struct live *l, const char *const *ifs, int n)
{
	int rc;

	rc = ifwatch_open(&l->ifw, l->cap, ifs, n, l->o->xdp_mode);
	if (!rc)
		rc = ep_add(l, ifwatch_fd(l->ifw), TAG_LINK);
	if (!rc)
		rc = ifwatch_start(l->ifw);
	return rc;
}

/* /metrics: the counters as they are now, from this (the loop's) thread. */
static int http_metrics(void *ctx, FILE *fp)
{
	struct live *l = ctx;
	uint64_t k[OSPREY_CTR_MAX];
	struct metrics_in m = {
		.daemon = l->st,
		.e = l->e,
		.http_requests = http_api_requests(l->http),
	};

	publish_stats(l);
	if (!capture_counters(l->cap, k))
		m.kernel = k;
	return metrics_write(fp, &m);
}

/* /hosts/ADDR: the pinned record, as `osprey lookup --json` prints it. */
static int http_host(void *ctx, const char *addr, FILE *fp)
{
	return hostmap_json_of(((struct live *)ctx)->hosts_fd, addr, fp);
}

static int open_http(struct live *l)
{
	struct http_api_ops ops = { http_metrics, http_host, l };
	char err[512] = "";
	int rc;

	if (!l->o->http)
		return 0;
	rc = http_api_open(&l->http, l->o->http, &ops, err, sizeof(err));
	if (rc)
		pr_err("%s", err[0] ? err : strerror(-rc));
	else
		pr_info("HTTP API on %s (/metrics, /hosts/ADDR)", l->o->http);
	return rc;
}

/* Tell systemd where we capture when that changed (systemctl status). */
static void update_status(struct live *l)
{
	char buf[sizeof(l->status)];

	ifwatch_status(l->ifw, buf, sizeof(buf));
	if (!strcmp(buf, l->status))
		return;
	snprintf(l->status, sizeof(l->status), "%s", buf);
	service_notify_status(l->status);
}

/* ------------------------------------------------------------- loop */

/*
 * SIGHUP with a config file: its policy rules become the rule set again,
 * as at start, checked against the databases just reloaded.  A file that
 * does not read, or a rule that does not check, keeps the rules in force.
 * The file's other settings take effect at the next start.
 */
static void reload_policy(struct live *l)
{
	const void *mark = config_mark();
	struct osprey_opts o;
	char err[1024] = "";

	if (!l->o->config)
		return;
	memset(&o, 0, sizeof(o));
	if (opts_load_config(l->o->config, &o, err, sizeof(err)))
		pr_err("reload: %s; keeping the policy rules in force", err);
	else if (policy_apply_rules(l->pin_dir, o.policy_rules, o.n_policy,
				    l->e->db, err, sizeof(err)))
		pr_err("reload: policy: %s; keeping the rules in force", err);
	else
		pr_info("reload: %d policy rule(s) from %s in force (other "
			"settings apply at the next start)",
			o.n_policy, l->o->config);
	config_release_to(mark);
}

static void on_signal(struct live *l)
{
	struct signalfd_siginfo si;

	while (read(l->sig_fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			if (sinks_reopen_log(l->s))
				pr_warn("SIGHUP: cannot reopen the log file");
			db_reload(l->o, l->e);
			reload_policy(l);
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
	flush_hosts(l); /* a slice that ended with the ring's last record */
	sinks_flush(l->s);
	api_expire(l->api);
	publish_stats(l);
	http_api_run(l->http); /* closes connections idle too long */
}

/*
 * One round: up to EVENT_BATCH records through the engine, then what
 * they produced goes out: one write per sink.
 */
static int ring_round(struct live *l)
{
	int rc;

	l->batch = 0;
	rc = capture_poll(l->cap, 0);
	/* the events the pipe still holds belong to this round */
	engine_pipe_drain(l->e, &l->pipe);
	l->st[DST_ENGINE_ERRORS] += l->pipe.errors;
	l->pipe.errors = 0;
	if (rc < 0) {
		pr_err("ring buffer: %s", strerror(-rc));
		return rc;
	}
	sinks_flush(l->s);
	return 0;
}

/*
 * The ring is readable: rounds until it is empty or RING_SLICE_MS are
 * used (the ring wakes the loop again at once if it still holds records).
 * Hosts go to the map when a round found the ring empty, and while it
 * was not, every HOST_DEFER_MS.
 */
static int ring_service(struct live *l)
{
	uint64_t t0 = mono_ms(), now;
	int rc;

	do {
		rc = ring_round(l);
		if (rc < 0)
			return rc;
		now = mono_ms();
		if (l->batch < EVENT_BATCH ||
		    now - l->hosts_ms >= HOST_DEFER_MS)
			flush_hosts(l);
	} while (l->batch >= EVENT_BATCH && now - t0 < RING_SLICE_MS);
	return 0;
}

/*
 * Stopping (SIGTERM, SIGINT): what the kernel captured before the signal
 * still goes out, in rounds, bounded so that a flood cannot hold the exit
 * back for long (DRAIN_ROUNDS * EVENT_BATCH records at most).
 */
static void drain_ring(struct live *l)
{
	int i;

	l->stop = false;
	for (i = 0; i < DRAIN_ROUNDS; i++)
		if (ring_round(l) < 0 || !l->batch)
			break;
	l->stop = true;
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
				rc = ring_service(l);
				if (rc < 0)
					return rc;
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
			case TAG_HTTP:
				http_api_run(l->http);
				break;
			case TAG_LINK:
				ifwatch_service(l->ifw);
				update_status(l);
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

static void teardown(struct live *l, sigset_t *old)
{
	if (l->hosts) {
		flush_hosts(l);
		hostmap_batch_free(l->hosts);
		l->hosts = NULL;
	}
	sinks_flush(l->s);
	if (l->dstats_fd >= 0) {
		l->st[DST_RUNNING] = 0;
		publish_stats(l);
		close(l->dstats_fd);
	}
	api_close(l->api);
	http_api_close(l->http);
	ifwatch_close(l->ifw);
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
	engine_pipe_init(&l->pipe, ENGINE_PIPE_MIN_HOSTS);
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

	rc = live_preflight(l, ifs, &n_ifs, defif, sizeof(defif));
	if (!rc)
		rc = open_capture(l);
	if (!rc)
		rc = open_api(l);
	if (!rc)
		rc = open_http(l);
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
		ifwatch_status(l->ifw, l->status, sizeof(l->status));
		service_notify_ready(l->status);
		rc = run_loop(l);
		service_notify_stopping();
		if (!rc)
			drain_ring(l);
	}
	/* a bad filter is a bad argument; anything else a runtime error */
	status = !rc			  ? EXIT_OK :
		 rc == -EINVAL && !l->cap ? EXIT_USAGE :
					    EXIT_FAIL;
	teardown(l, &old);
	free(l);
	return status;
}
