// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `osprey [options] ['filter']`: a p0f-style run, offline (-r) or live
 * (-i, live.c).  The options are options.c's.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <pcap.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpf/osprey_abi.h"
#include "user/cmd.h"
#include "user/dbload.h"
#include "user/live.h"
#include "user/log.h"
#include "user/offline_sel.h"
#include "user/options.h"
#include "user/osprey.h"
#include "user/pcap_src.h"
#include "user/service.h"
#include "user/sinks.h"
#include "user/unknown_pcap.h"

static int open_sinks(struct sinks *s, const struct osprey_opts *o, char *host,
		      size_t hostlen)
{
	struct sinks_cfg cfg = {
		.json = o->json && !o->quiet,
		.box = !o->json && !o->quiet && !o->daemon,
		.log_path = o->log_file,
		.live = !o->read_file,
		.sensor = o->sensor,
		.owner = o->user,
	};

	/* the sensor is this host unless named */
	if (!cfg.sensor) {
		if (gethostname(host, hostlen - 1))
			snprintf(host, hostlen, "localhost");
		host[hostlen - 1] = '\0';
		cfg.sensor = host;
	}
	return sinks_open(s, &cfg);
}

/* --------------------------------------------------------------- -L */

static int list_interfaces(void)
{
	char perr[PCAP_ERRBUF_SIZE], addr[64];
	pcap_if_t *all, *d;
	pcap_addr_t *a;
	int i = 0;

	if (pcap_findalldevs(&all, perr)) {
		pr_err("pcap_findalldevs: %s", perr);
		return EXIT_FAIL;
	}
	printf("\n-- Available interfaces --\n");
	for (d = all; d; d = d->next) {
		printf("\n%3d: Name        : %s\n", i++, d->name);
		printf("     Description : %s\n",
		       d->description ? d->description : "-");
		for (a = d->addresses; a; a = a->next)
			if (a->addr && (a->addr->sa_family == AF_INET ||
					a->addr->sa_family == AF_INET6))
				break;
		if (!a) {
			printf("     IP address  : (none)\n");
			continue;
		}
		if (a->addr->sa_family == AF_INET)
			addr_to_str((const u8 *)&((struct sockaddr_in *)a->addr)
					    ->sin_addr,
				    IP_VER4, addr, sizeof(addr));
		else
			addr_to_str(
				(const u8 *)&((struct sockaddr_in6 *)a->addr)
					->sin6_addr,
				IP_VER6, addr, sizeof(addr));
		printf("     IP address  : %s\n", addr);
	}
	printf("\n");
	pcap_freealldevs(all);
	return EXIT_OK;
}

/* ------------------------------------------------------------ offline */

static void on_signal(int sig)
{
	(void)sig;
	pcap_src_stop();
}

/* The kernel's selection, when the options ask for one (offline_sel.h):
 * 0 (maybe *sel NULL) or EXIT_USAGE (printed). */
static int offline_selection(const struct osprey_opts *o,
			     struct offline_sel **sel)
{
	struct offline_sel_cfg c = {
		.port_allow = o->port_allow,
		.port_deny = o->port_deny,
		.net_allow = o->net_allow,
		.net_deny = o->net_deny,
		.flow_budget = o->flow_budget,
	};
	char err[256] = "";
	int rc = offline_sel_new(sel, &c, err, sizeof(err));

	if (!rc)
		return 0;
	pr_err("%s", err[0] ? err : strerror(-rc));
	return rc == -EINVAL ? EXIT_USAGE : EXIT_FAIL;
}

static int run_offline(const struct osprey_opts *o, struct engine *e)
{
	struct offline_sel *sel = NULL;
	struct pcap_src_stats st;
	struct pcap_src_sel hook;
	char err[512] = "";
	int rc;

	FILE *fp;

	memset(&st, 0, sizeof(st));
	rc = offline_selection(o, &sel);
	if (rc)
		return rc;
	hook.fn = offline_sel_packet;
	hook.ctx = sel;
	fp = fopen(o->read_file, "rb");
	if (!fp) {
		pr_err("%s: %s", o->read_file, strerror(errno));
		offline_sel_free(sel);
		return EXIT_USAGE;
	}
	/* like p0f: inputs and outputs are open, now give up root */
	if (o->user) {
		rc = service_drop_privs(o->user, err, sizeof(err));
		if (rc) {
			pr_err("%s", err);
			fclose(fp);
			offline_sel_free(sel);
			return EXIT_FAIL;
		}
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	rc = pcap_src_read_sel(fp, o->read_file, o->filter, sel ? &hook : NULL,
			       e, &st, err, sizeof(err));
	if (sel)
		pr_debug("%s: %llu handshakes left out by --port-*/--net-*",
			 o->read_file,
			 (unsigned long long)offline_sel_filtered(sel));
	offline_sel_free(sel);
	/* what the capture holds is all there is: open TLS hellos end */
	engine_end_input(e);
	if (!rc || rc == -EIO)
		pr_debug(
			"%s: link %s, %llu packets, %llu with IP, %llu VLAN-tagged, %llu link drops, %u flows, %u hosts tracked",
			o->read_file, st.linkname ? st.linkname : "?",
			(unsigned long long)st.packets,
			(unsigned long long)st.fed, (unsigned long long)st.vlan,
			(unsigned long long)st.link_drops, engine_flow_count(e),
			engine_host_count(e));
	if (rc) {
		pr_err("%s", err);
		return rc == -EINVAL && !st.packets ? EXIT_USAGE : EXIT_FAIL;
	}
	return EXIT_OK;
}

int cmd_run(int argc, char **argv)
{
	char host[HOST_NAME_MAX + 1];
	struct unknown_pcap *unk = NULL;
	struct osprey_opts o;
	struct sinks sinks;
	struct sigdb db;
	struct engine e;
	int rc, status = EXIT_FAIL;

	rc = opts_parse(argc, argv, &o);
	if (rc)
		return rc > 0 ? EXIT_OK : EXIT_USAGE;
	log_set_verbosity(o.verbose);
	if (o.list_ifaces)
		return list_interfaces();
	if (opts_check(&o))
		return EXIT_USAGE;

	if (db_load(&o, &db))
		return EXIT_USAGE;
	if (open_sinks(&sinks, &o, host, sizeof(host))) {
		status = EXIT_FAIL;
		goto free_db;
	}
	rc = engine_init(&e, &db, &o.eng);
	if (rc) {
		pr_err("engine: %s", strerror(-rc));
		goto close_sinks;
	}
	e.on_obs = sinks_emit;
	e.obs_ctx = &sinks;
	if (o.unknown_pcap && unknown_pcap_open(&unk, o.unknown_pcap, &e))
		goto free_engine;

	if (o.read_file)
		status = run_offline(&o, &e);
	else
		status = live_run(&o, &e, &sinks);

	unknown_pcap_close(unk, &e);
free_engine:
	engine_free(&e);
close_sinks:
	sinks_close(&sinks);
free_db:
	sigdb_free(&db);
	return status;
}
