/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The options of a run (`osprey [options]`), filled from the command line
 * and the configuration file (config.h).  options.c defines each option
 * once, in a table from which the command line, the configuration file's
 * keys and --help are derived.
 */
#ifndef OSPREY_OPTIONS_H
#define OSPREY_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "user/engine/engine.h"
#include "user/osprey.h"

#define OSPREY_MAX_POLICY 64 /* `policy =` lines in the config */

struct osprey_opts {
	/* p0f-compatible flags */
	/* -f, repeatable: later files overlay earlier ones; none = default */
	const char *db_paths[OSPREY_MAX_DBS];
	int n_dbs;
	const char *ifaces[OSPREY_MAX_IFACES]; /* -i (several allowed) */
	int n_ifaces;
	const char *read_file; /* -r */
	const char *log_file; /* -o */
	const char *api_sock; /* -s */
	int api_max_clients; /* -S, default 20 */
	uint32_t api_idle; /* --api-idle seconds, default 10, 0 = never */
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
	enum capture_direction direction; /* --direction, default both */
	const char *pin_dir; /* --pin-dir, default OSPREY_PIN_DIR */
	const char *config; /* --config FILE */
	const char *group; /* --group: pinned dir & socket group */
	bool xdp_policy; /* --xdp-policy: drop denied SYNs */
	bool xdp_link; /* --xdp-link: plain bpf_link, not libxdp */
	const char *sensor; /* --sensor: JSON "sensor", default hostname */
	const char *http; /* --http ADDR:PORT: /metrics and /hosts/ADDR */
	const char *unknown_pcap; /* --unknown-pcap: unmatched SYNs */
	/* capture limits */
	uint32_t flow_entries;
	uint32_t flow_budget;
	uint32_t flow_age;
	uint32_t ringbuf_bytes;
	bool precise_clock; /* --precise-clock: bpf_ktime_get_ns per event */
	/* kernel filters: textual specs, parsed by capture.c */
	const char *port_allow, *port_deny; /* "80,443,8000-8100" */
	const char *net_allow, *net_deny; /* "10.0.0.0/8,2001:db8::/32" */
	/* policy rules from the config file, text form (policy_rule.h);
	 * the daemon applies them with policy_apply_rules() once loaded */
	const char *policy_rules[OSPREY_MAX_POLICY];
	int n_policy;
};

void opts_defaults(struct osprey_opts *o);
/*
 * The command line, over the --config file when one is given (a flag
 * overrides the file).  0; 1 when --help or --version was printed (exit
 * 0 now); -EINVAL for bad arguments or a bad config file (logged).
 */
int opts_parse(int argc, char **argv, struct osprey_opts *o);
/* Options that do not go together (-r with -i, -d without output...).
 * 0 or -EINVAL (logged). */
int opts_check(const struct osprey_opts *o);
/*
 * A configuration file's settings into o (opts_parse does it for
 * --config).  0, or -errno with "file:line: KEY: what" in err; the
 * strings live until config_release().
 */
int opts_load_config(const char *path, struct osprey_opts *o, char *err,
		     size_t errlen);
/* --help */
void opts_usage(FILE *fp);

#endif /* OSPREY_OPTIONS_H */
