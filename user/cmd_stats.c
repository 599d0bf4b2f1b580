// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `osprey stats [--json] [--pin-dir DIR]`: the capture program's counters
 * (pinned per-CPU array, summed) and the daemon's counters (pinned
 * dstats array).  Both are read from bpffs, so this works while the
 * daemon runs and shows the last run's figures after it stopped.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "user/capture.h"
#include "user/cmd.h"
#include "user/hostmap.h"
#include "user/log.h"
#include "user/osprey.h"

static const char usage_text[] =
	"Usage: osprey stats [--json] [--pin-dir DIR] [-v]\n"
	"\n"
	"Print the kernel capture counters (DIR/counters) and the daemon's\n"
	"counters (DIR/" DSTATS_MAP "), default DIR " OSPREY_PIN_DIR ".\n"
	"\n"
	"Exit status: 0 printed, 1 nothing published yet, 2 bad arguments.\n";

static const struct option long_opts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "pin-dir", required_argument, NULL, 'P' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct stats {
	uint64_t k[OSPREY_CTR_MAX];
	uint64_t d[DST_MAX];
	int k_rc, d_rc;
	bool alive;
};

/* Is the pid that wrote the counters still running? */
static bool daemon_alive(const uint64_t d[DST_MAX])
{
	pid_t pid = (pid_t)d[DST_PID];

	if (!d[DST_RUNNING] || pid <= 0)
		return false;
	return !kill(pid, 0) || errno == EPERM;
}

static void read_stats(const char *pin_dir, struct stats *s)
{
	int fd;

	memset(s, 0, sizeof(*s));
	s->k_rc = capture_counters_pinned(pin_dir, s->k);
	fd = dstats_open(pin_dir, false);
	if (fd < 0) {
		s->d_rc = fd;
		return;
	}
	s->d_rc = dstats_load(fd, s->d);
	close(fd);
	if (!s->d_rc)
		s->alive = daemon_alive(s->d);
}

static const char *state_name(const struct stats *s)
{
	if (s->alive)
		return "running";
	return s->d[DST_RUNNING] ? "died" : "stopped";
}

static void print_time(const char *label, uint64_t t)
{
	time_t ut = (time_t)t;
	struct tm tm;
	char buf[64];

	if (!t || !localtime_r(&ut, &tm) ||
	    !strftime(buf, sizeof(buf), "%Y/%m/%d %H:%M:%S", &tm))
		snprintf(buf, sizeof(buf), "-");
	printf("  %-22s %s\n", label, buf);
}

static void print_text(const char *pin_dir, const struct stats *s)
{
	int i;

	if (!s->k_rc) {
		printf("kernel (%s/counters):\n", pin_dir);
		for (i = 0; i < OSPREY_CTR_MAX; i++)
			printf("  %-22s %llu\n",
			       osprey_ctr_names[i] ? osprey_ctr_names[i] : "?",
			       (unsigned long long)s->k[i]);
	}
	if (s->d_rc)
		return;
	printf("daemon (%s/%s): pid %llu, %s\n", pin_dir, DSTATS_MAP,
	       (unsigned long long)s->d[DST_PID], state_name(s));
	print_time("started", s->d[DST_START_TIME]);
	print_time("updated", s->d[DST_UPDATE_TIME]);
	for (i = DST_EVENTS; i < DST_MAX; i++)
		printf("  %-22s %llu\n", dstat_names[i],
		       (unsigned long long)s->d[i]);
}

/* The "stats" record of tools/osprey.schema.json. */
static void print_json(const struct stats *s)
{
	const char *sep = "";
	char when[40];
	int i;

	printf("{\"kernel\":");
	if (s->k_rc) {
		printf("null");
	} else {
		printf("{");
		for (i = 0; i < OSPREY_CTR_MAX; i++, sep = ",")
			printf("%s\"%s\":%llu", sep,
			       osprey_ctr_names[i] ? osprey_ctr_names[i] : "?",
			       (unsigned long long)s->k[i]);
		printf("}");
	}
	printf(",\"daemon\":");
	if (s->d_rc) {
		printf("null}\n");
		return;
	}
	printf("{\"state\":\"%s\"", state_name(s));
	for (i = 0; i < DST_MAX; i++) {
		if ((i == DST_START_TIME || i == DST_UPDATE_TIME) && s->d[i])
			printf(",\"%s\":\"%s\"", dstat_names[i],
			       fmt_rfc3339(s->d[i] * 1000, 0, when,
					   sizeof(when)));
		else if (i == DST_START_TIME || i == DST_UPDATE_TIME)
			printf(",\"%s\":null", dstat_names[i]);
		else
			printf(",\"%s\":%llu", dstat_names[i],
			       (unsigned long long)s->d[i]);
	}
	printf("}}\n");
}

int cmd_stats(int argc, char **argv)
{
	const char *pin_dir = OSPREY_PIN_DIR;
	struct stats s;
	bool json = false;
	int verbose = 0, opt;

	optind = 0;
	opterr = 1;
	while ((opt = getopt_long(argc, argv, "hjP:v", long_opts, NULL)) !=
	       -1) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		case 'P':
			pin_dir = optarg;
			break;
		case 'v':
			verbose++;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_OK;
		default:
			fputs(usage_text, stderr);
			return EXIT_USAGE;
		}
	}
	log_set_verbosity(verbose);
	if (optind != argc) {
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	read_stats(pin_dir, &s);
	if (s.k_rc && s.d_rc) {
		pr_err("no counters under %s: %s (has the daemon run with this --pin-dir?)",
		       pin_dir, strerror(-s.k_rc));
		return EXIT_FAIL;
	}
	if (s.k_rc)
		pr_warn("%s/counters: %s", pin_dir, strerror(-s.k_rc));
	if (s.d_rc)
		pr_warn("%s/%s: %s", pin_dir, DSTATS_MAP, strerror(-s.d_rc));
	if (json)
		print_json(&s);
	else
		print_text(pin_dir, &s);
	return EXIT_OK;
}
