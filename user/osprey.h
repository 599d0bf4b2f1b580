/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * osprey application: options shared by the CLI, the config file, live
 * capture, publishing (pinned maps, API socket) and policy.
 */
#ifndef OSPREY_H
#define OSPREY_H

#include <stdbool.h>
#include <stdint.h>
#include "user/engine/engine.h"

#define OSPREY_VERSION "0.1.0"
#ifndef OSPREY_DEFAULT_DB /* the Makefile passes $(DATADIR)/osprey.fp */
#define OSPREY_DEFAULT_DB "/usr/local/share/osprey/osprey.fp"
#endif
#define OSPREY_MAX_IFACES 8
#define OSPREY_MAX_POLICY 64 /* `policy =` lines in the config */

/* Exit statuses (documented in osprey(8)) */
#define EXIT_OK 0
#define EXIT_FAIL 1 /* runtime error, or lookup: host unknown */
#define EXIT_USAGE 2 /* bad arguments, bad database, bad config */

enum xdp_mode_opt {
	XDP_MODE_AUTO = 0, /* native, falling back to generic */
	XDP_MODE_NATIVE,
	XDP_MODE_GENERIC,
};

struct osprey_opts {
	/* p0f-compatible flags */
	const char *db_path; /* -f */
	const char *ifaces[OSPREY_MAX_IFACES]; /* -i (several allowed) */
	int n_ifaces;
	const char *read_file; /* -r */
	const char *log_file; /* -o */
	const char *api_sock; /* -s */
	int api_max_clients; /* -S, default 20 */
	struct engine_config eng; /* -m c,h and -t c,h */
	bool list_ifaces; /* -L */
	bool promisc; /* -p (accepted; XDP sees all anyway) */
	const char *user; /* -u */
	bool daemon; /* -d: no stdout box (service model) */
	const char *filter; /* trailing pcap/BPF filter expression */
	/* osprey flags */
	bool json; /* --json: JSON lines on stdout */
	bool quiet; /* no stdout output at all */
	int verbose; /* -v */
	enum xdp_mode_opt xdp_mode; /* --xdp-mode auto|native|generic */
	const char *pin_dir; /* --pin-dir, default OSPREY_PIN_DIR */
	const char *config; /* --config FILE */
	const char *group; /* --group: pinned dir & socket group */
	bool xdp_policy; /* --xdp-policy: drop denied SYNs */
	/* capture limits */
	uint32_t flow_entries;
	uint32_t flow_budget;
	uint32_t flow_age;
	uint32_t ringbuf_bytes;
	/* kernel filters: textual specs, parsed by capture.c */
	const char *port_allow, *port_deny; /* "80,443,8000-8100" */
	const char *net_allow, *net_deny; /* "10.0.0.0/8,2001:db8::/32" */
	/* policy rules from the config file, text form (see user/policy.h);
	 * the daemon applies them with policy_apply_rules() once loaded */
	const char *policy_rules[OSPREY_MAX_POLICY];
	int n_policy;
};

void opts_defaults(struct osprey_opts *o);

/* Output sinks (cli.c): stdout box or JSON lines, and the -o log file. */
struct out_sinks {
	bool box; /* p0f stdout box (not with -d/--json) */
	bool json; /* JSON lines on stdout */
	FILE *log; /* -o FILE, NULL if none */
	const char *log_path;
	bool flush; /* flush after each record (live mode) */
};
/* The engine's observation callback: writes o to every sink. */
void out_sinks_emit(void *sinks, const struct obs *o);
/* SIGHUP: reopen the -o log file (for logrotate). 0 or -errno. */
int out_sinks_reopen_log(struct out_sinks *s);

/* Live capture (live.c): attach, consume events, publish; returns an exit
 * status once SIGINT/SIGTERM arrive or on a fatal error. */
int live_run(const struct osprey_opts *o, struct engine *e,
	     struct out_sinks *s);

/* Configuration file (config.c): KEY = VALUE lines into *o.  Returns 0 or
 * -EINVAL with "file:line: what" in err. */
int config_load(const char *path, struct osprey_opts *o, char *err,
		size_t errlen);
/* Free the strings config_load allocated (they live until then). */
void config_release(void);

/* systemd integration (service.c): no-ops when not under systemd. */
void service_notify_ready(const char *status);
void service_notify_stopping(void);
/* Watchdog interval in ms (half of WATCHDOG_USEC), 0 if none. */
uint64_t service_watchdog_ms(void);
void service_watchdog_ping(void);
/* Drop to `user` keeping only the capabilities live mode still needs.
 * 0 or -errno with a message in err. */
int service_drop_privs(const char *user, char *err, size_t errlen);

/* Subcommands: `osprey CMD ...`; each returns an exit status. */
int cmd_run(int argc, char **argv); /* p0f-style: -r / -i */
int cmd_lookup(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_policy(int argc, char **argv);

#endif /* OSPREY_H */
