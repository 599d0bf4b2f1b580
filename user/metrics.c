// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Prometheus text format for /metrics (metrics.h).  Names follow
 * Prometheus' conventions: osprey_ prefix, _total for counters, units in
 * the name; per-kind values are one family with a label (module, kind,
 * class) rather than one name each.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "user/capture.h"
#include "user/hostmap.h"
#include "user/metrics.h"
#include "user/osprey.h"

/* What each kernel counter counts (osprey_ctr_names has the names). */
static const char *const kernel_help[OSPREY_CTR_MAX] = {
	[OSPREY_CTR_PACKETS] = "Packets the capture programs looked at.",
	[OSPREY_CTR_TCP] = "Packets that were TCP over IPv4 or IPv6.",
	[OSPREY_CTR_SYN] = "SYNs reported to the daemon.",
	[OSPREY_CTR_SYNACK] = "SYN+ACKs reported to the daemon.",
	[OSPREY_CTR_FLOW_PKTS] = "Later packets of new flows reported.",
	[OSPREY_CTR_PAYLOAD_BYTES] = "Payload bytes copied into events.",
	[OSPREY_CTR_FLOW_EVICT] = "Kernel flow slots taken from a live flow.",
	[OSPREY_CTR_FLOW_END] = "Kernel flows ended (FIN/RST, budget, age).",
	[OSPREY_CTR_FILTERED] = "Packets left out by --port-*/--net-* filters.",
	[OSPREY_CTR_FRAGMENTS] = "Non-first IP fragments (not examined).",
	[OSPREY_CTR_ERR_ETH] = "Truncated link-layer or VLAN headers.",
	[OSPREY_CTR_ERR_IP] = "Truncated or malformed IPv4 headers.",
	[OSPREY_CTR_ERR_IP6] = "Truncated IPv6 (extension) headers.",
	[OSPREY_CTR_ERR_TCP] = "Truncated or malformed TCP headers.",
	[OSPREY_CTR_POLICY_DROPS] = "SYNs dropped by XDP policy rules.",
	[OSPREY_CTR_FLOW_NEW] = "Kernel flows opened by a SYN or SYN+ACK.",
	[OSPREY_CTR_RB_FLOW_HELD] =
		"Flow events held back to keep ring buffer room for SYNs.",
	[OSPREY_CTR_EGRESS_PACKETS] = "Packets seen by the tc egress program.",
	[OSPREY_CTR_FWD_SKIPPED] =
		"Egress packets skipped because XDP saw them arrive.",
};

/* The daemon's own counters (dstat_names has the names); NULL: not a
 * counter of its own here (a gauge, or exported under another name). */
static const char *const daemon_help[DST_MAX] = {
	[DST_EVENTS] = "Ring buffer records consumed.",
	[DST_EVENT_BYTES] = "Packet bytes handed to the engine.",
	[DST_ENGINE_ERRORS] = "Packets the engine could not parse.",
	[DST_BAD_RECORDS] = "Malformed ring buffer records.",
	[DST_CONNECTIONS] = "Connections seen since the start.",
	[DST_HOST_UPDATES] = "Writes to the pinned hosts map.",
	[DST_HOST_UPDATE_ERRORS] =
		"Writes to the pinned hosts map that failed.",
	[DST_API_QUERIES] = "p0f API queries answered.",
	[DST_API_REJECTED] = "p0f API clients turned away (-S limit).",
	[DST_FILTERED] = "Events the filter expression rejected.",
	[DST_API_IDLE_CLOSED] =
		"p0f API clients closed after the idle timeout.",
	[DST_TLS_INCOMPLETE] = "TLS hellos begun and not completed.",
	[DST_TLS_REFUSED] = "TLS hellos malformed, SSLv2 or too large.",
	[DST_HOST_SUPERSEDED] = "Hosts map writes left out because as many "
				"more recent hosts were written after them.",
	[DST_TIMES_ESTIMATED] = "Events read more than a tick late, timed as "
				"the middle of their kernel tick.",
};

static void family(FILE *fp, const char *name, const char *type,
		   const char *help)
{
	fprintf(fp, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A family of one value without labels. */
static void single(FILE *fp, const char *name, const char *type,
		   const char *help, unsigned long long v)
{
	family(fp, name, type, help);
	fprintf(fp, "%s %llu\n", name, v);
}

/* A label value, escaped as the format asks (\\, \", \n). */
static void label_value(FILE *fp, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fprintf(fp, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", fp);
		else
			fputc(*s, fp);
	}
}

static void kernel_metrics(FILE *fp, const uint64_t *k)
{
	static const struct {
		int ctr;
		const char *kind;
	} lost[] = {
		{ OSPREY_CTR_RB_DROP_SYN, "syn" },
		{ OSPREY_CTR_RB_DROP_SYNACK, "synack" },
		{ OSPREY_CTR_RB_DROP_FLOW, "flow" },
	};
	char name[96];
	size_t i;

	for (i = 0; i < OSPREY_CTR_MAX; i++) {
		if (!kernel_help[i] || !osprey_ctr_names[i])
			continue;
		snprintf(name, sizeof(name), "osprey_kernel_%s_total",
			 osprey_ctr_names[i]);
		single(fp, name, "counter", kernel_help[i], k[i]);
	}
	/* the kernel counts each kind; their sum is ringbuf_drops */
	family(fp, "osprey_kernel_ringbuf_drops_total", "counter",
	       "Events lost because the ring buffer was full, by kind.");
	for (i = 0; i < sizeof(lost) / sizeof(lost[0]); i++)
		fprintf(fp,
			"osprey_kernel_ringbuf_drops_total{kind=\"%s\"} %llu\n",
			lost[i].kind, (unsigned long long)k[lost[i].ctr]);
}

static void daemon_metrics(FILE *fp, const struct metrics_in *m)
{
	const uint64_t *d = m->daemon;
	char name[96];
	int i;

	for (i = 0; i < DST_MAX; i++) {
		if (!daemon_help[i])
			continue;
		snprintf(name, sizeof(name), "osprey_daemon_%s_total",
			 dstat_names[i]);
		single(fp, name, "counter", daemon_help[i], d[i]);
	}
	single(fp, "osprey_daemon_start_time_seconds", "gauge",
	       "When the daemon started, unix seconds.", d[DST_START_TIME]);
	single(fp, "osprey_hosts_tracked", "gauge",
	       "Hosts in the engine's table.", engine_host_count(m->e));
	single(fp, "osprey_connections_tracked", "gauge",
	       "Connections in the engine's table.", engine_flow_count(m->e));
	single(fp, "osprey_http_requests_total", "counter",
	       "HTTP API requests answered.", m->http_requests);
}

static void obs_metrics(FILE *fp, const struct engine *e)
{
	char mod[32];
	size_t i, j;

	family(fp, "osprey_observations_total", "counter",
	       "Observations made, by module (as the JSON records' mod).");
	for (i = 0; i < OBS_MODS; i++) {
		for (j = 0; obs_mod_names[i][j] && j < sizeof(mod) - 1; j++)
			mod[j] = strchr(" +", obs_mod_names[i][j]) ?
					 '_' :
					 obs_mod_names[i][j];
		mod[j] = '\0';
		fprintf(fp, "osprey_observations_total{module=\"%s\"} %llu\n",
			mod, (unsigned long long)e->st.obs_by_mod[i]);
	}
}

struct class_count {
	const struct sigdb *db;
	uint64_t *n; /* [class_cnt] unknown */
};

static void count_class(void *ctx, const struct host *h)
{
	struct class_count *c = ctx;
	u32 id = (u32)h->last_class_id;

	c->n[h->last_class_id >= 0 && id < c->db->class_cnt ?
		     id :
		     c->db->class_cnt]++;
}

static int class_metrics(FILE *fp, const struct engine *e)
{
	struct class_count c = { .db = e->db };
	u32 i;

	c.n = calloc(e->db->class_cnt + 1, sizeof(*c.n));
	if (!c.n)
		return -ENOMEM;
	engine_host_foreach(e, count_class, &c);
	family(fp, "osprey_hosts_by_os_class", "gauge",
	       "Hosts tracked, by the OS class of their last SYN match "
	       "(\"unknown\": none).");
	for (i = 0; i <= e->db->class_cnt; i++) {
		fputs("osprey_hosts_by_os_class{class=\"", fp);
		label_value(fp, i < e->db->class_cnt ? e->db->classes[i] :
						       "unknown");
		fprintf(fp, "\"} %llu\n", (unsigned long long)c.n[i]);
	}
	free(c.n);
	return 0;
}

int metrics_write(FILE *fp, const struct metrics_in *m)
{
	family(fp, "osprey_build_info", "gauge", "osprey's version.");
	fprintf(fp, "osprey_build_info{version=\"%s\"} 1\n", OSPREY_VERSION);
	single(fp, "osprey_kernel_counters_up", "gauge",
	       "1 if the kernel counters could be read for this scrape.",
	       m->kernel != NULL);
	if (m->kernel)
		kernel_metrics(fp, m->kernel);
	daemon_metrics(fp, m);
	obs_metrics(fp, m->e);
	return class_metrics(fp, m->e);
}
