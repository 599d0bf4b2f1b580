// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `osprey sig RAW_SIG...` and `osprey sig -r CAPTURE ['filter']`: new
 * TCP signatures, ready to paste into a local database (loaded with a
 * second -f, no rebuild).  Each distinct signature becomes a `label =`
 * placeholder and a `sig =` line, with what every part of it means
 * (sigtext.c) and, for a capture, what the loaded databases call it now.
 *
 * The output is itself a database file: before it is printed it is read
 * back with the engine's reader, and a line that an earlier line of the
 * output already covers (p0f refuses those) is turned into a comment
 * saying so.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "user/cmd.h"
#include "user/dbload.h"
#include "user/log.h"
#include "user/osprey.h"
#include "user/pcap_src.h"
#include "user/sigtext.h"

#define MAX_ENTRIES 1024

static const char usage_text[] =
	"Usage: osprey sig [--synack] RAW_SIG...\n"
	"       osprey sig [-f DB]... [--unmatched] -r CAPTURE ['filter']\n"
	"\n"
	"Turn TCP raw_sigs (as osprey and p0f print them) or the SYNs and\n"
	"SYN+ACKs of a capture into `sig =` lines for a local database, each\n"
	"with a label to fill in and its fields, options and quirks explained.\n"
	"Load the result over the default: osprey -f DEFAULT -f LOCAL.\n"
	"\n"
	"  --synack       the raw_sigs are SYN+ACKs ([tcp:response])\n"
	"  -r CAPTURE     every distinct SYN / SYN+ACK signature of a capture\n"
	"  -f DB          databases to say what each is called now (default:\n"
	"                 osprey's own); repeatable, as for a run\n"
	"  --unmatched    only signatures no database sig matches exactly\n"
	"\n"
	"Exit status: 0 ok, 1 unreadable capture, 2 bad arguments.\n";

static const struct option long_opts[] = {
	{ "synack", no_argument, NULL, 'S' },
	{ "unmatched", no_argument, NULL, 'U' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct entry {
	struct raw_sig rs;
	char raw[RAWSIG_LEN]; /* as first seen */
	char line[RAWSIG_LEN]; /* the sig line's value */
	char where[160]; /* first packet: "a/p -> b/p" */
	char now[192]; /* what the databases say ("" for raw input) */
	unsigned int count;
	unsigned int sig_line; /* its line in the output */
	bool synack, exact, covered;
	bool ver4; /* the line says 4, not '*' (see render_valid) */
};

struct sig_run {
	struct osprey_opts o;
	const char *pcap, *filter;
	bool synack, unmatched;
	struct entry *ent;
	unsigned int n, dropped;
};

/* ------------------------------------------------------------ collect */

static struct entry *find_or_add(struct sig_run *s, const struct raw_sig *rs,
				 bool synack)
{
	char line[RAWSIG_LEN];
	unsigned int i;

	rawsig_to_sig(rs, false, line, sizeof(line));
	for (i = 0; i < s->n; i++)
		if (s->ent[i].synack == synack && !strcmp(s->ent[i].line, line))
			return &s->ent[i];
	if (s->n == MAX_ENTRIES) {
		s->dropped++;
		return NULL;
	}
	memset(&s->ent[s->n], 0, sizeof(s->ent[0]));
	s->ent[s->n].rs = *rs;
	s->ent[s->n].synack = synack;
	snprintf(s->ent[s->n].line, sizeof(line), "%s", line);
	return &s->ent[s->n++];
}

static const char *field(const struct obs *o, const char *key)
{
	u32 i;

	for (i = 0; i < o->nfields; i++)
		if (!strcmp(o->f[i].key, key))
			return o->f[i].unknown ? NULL : o->f[i].val;
	return NULL;
}

static void note_first(struct entry *en, const struct obs *o, const char *raw)
{
	char a[64], b[64];
	const char *os = field(o, "os"), *app = field(o, "app");

	snprintf(en->raw, sizeof(en->raw), "%s", raw);
	addr_to_str(o->cli_addr, o->ip_ver, a, sizeof(a));
	addr_to_str(o->srv_addr, o->ip_ver, b, sizeof(b));
	if (o->to_srv)
		snprintf(en->where, sizeof(en->where), "%s/%u -> %s/%u", a,
			 o->cli_port, b, o->srv_port);
	else
		snprintf(en->where, sizeof(en->where), "%s/%u -> %s/%u", b,
			 o->srv_port, a, o->cli_port);
	en->exact = o->label.set && !o->label.generic && !o->label.fuzzy;
	snprintf(en->now, sizeof(en->now), "%s%s%s",
		 os  ? os :
		 app ? app :
		       "no match",
		 o->label.set && o->label.generic ? " (generic)" : "",
		 o->label.set && o->label.fuzzy ? " (fuzzy)" : "");
}

static void on_obs(void *ctx, const struct obs *o)
{
	struct sig_run *s = ctx;
	bool synack = !strcmp(o->mod, "syn+ack");
	const char *raw = field(o, "raw_sig");
	struct raw_sig rs;
	struct entry *en;

	if ((!synack && strcmp(o->mod, "syn")) || !raw ||
	    rawsig_parse(raw, &rs, NULL, 0))
		return;
	en = find_or_add(s, &rs, synack);
	if (en && !en->count++)
		note_first(en, o, raw);
}

static int from_capture(struct sig_run *s)
{
	struct sigdb db;
	struct engine e;
	char err[512] = "";
	int rc;

	if (db_load(&s->o, &db))
		return EXIT_USAGE;
	rc = engine_init(&e, &db, &s->o.eng);
	if (rc) {
		pr_err("engine: %s", strerror(-rc));
		sigdb_free(&db);
		return EXIT_FAIL;
	}
	e.on_obs = on_obs;
	e.obs_ctx = s;
	rc = pcap_src_read(s->pcap, s->filter, &e, NULL, err, sizeof(err));
	engine_free(&e);
	sigdb_free(&db);
	if (rc)
		pr_err("%s", err);
	return !rc || rc == -EIO ? EXIT_OK :
	       rc == -EINVAL	 ? EXIT_USAGE :
				   EXIT_FAIL;
}

static int from_args(struct sig_run *s, char **raws, int n)
{
	struct raw_sig rs;
	struct entry *en;
	char err[640];
	int i;

	for (i = 0; i < n; i++) {
		if (rawsig_parse(raws[i], &rs, err, sizeof(err))) {
			pr_err("%s", err);
			return EXIT_USAGE;
		}
		en = find_or_add(s, &rs, s->synack);
		if (en && !en->count++)
			snprintf(en->raw, sizeof(en->raw), "%s", raws[i]);
	}
	return EXIT_OK;
}

/* -------------------------------------------------------------- print */

static void print_entry(FILE *fp, const struct entry *en)
{
	char label[128];

	fprintf(fp, "\n; %s %s\n", en->synack ? "SYN+ACK" : "SYN", en->raw);
	if (en->where[0])
		fprintf(fp, ";   seen %u time%s, first %s; now: %s\n",
			en->count, en->count == 1 ? "" : "s", en->where,
			en->now);
	if (en->covered) {
		fprintf(fp,
			";   covered by a sig above, which matches it too:\n"
			";   sig = %s\n",
			en->line);
		return;
	}
	rawsig_explain(fp, &en->rs, en->synack, en->ver4);
	rawsig_label(&en->rs, label, sizeof(label));
	fprintf(fp, "%s\nsig   = %s\n", label, en->line);
}

static bool shown(const struct sig_run *s, const struct entry *en, int d)
{
	return en->synack == d && !(s->unmatched && en->exact);
}

/* The whole output into a malloc'd buffer. */
static char *render(struct sig_run *s, size_t *len)
{
	static const char *const sect[2] = { "[tcp:request]",
					     "[tcp:response]" };
	unsigned int i, n = 0;
	char *buf = NULL;
	FILE *fp = open_memstream(&buf, len);
	int d;

	if (!fp)
		return NULL;
	for (i = 0; i < s->n; i++)
		n += shown(s, &s->ent[i], s->ent[i].synack);
	fprintf(fp, "; osprey sig: %u signature%s%s%s\n", n, n == 1 ? "" : "s",
		s->pcap ? " from " : "", s->pcap ? s->pcap : "");
	if (s->dropped)
		fprintf(fp, "; (%u more distinct ones left out: over %u)\n",
			s->dropped, MAX_ENTRIES);
	fprintf(fp, "; load it over the default: osprey -f DEFAULT -f FILE\n"
		    "classes = win,unix,other\n");
	for (d = 0; d < 2; d++) {
		bool any = false;

		for (i = 0; i < s->n; i++) {
			if (!shown(s, &s->ent[i], d))
				continue;
			if (!any)
				fprintf(fp, "\n%s\n", sect[d]);
			any = true;
			print_entry(fp, &s->ent[i]);
		}
	}
	if (fclose(fp)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* The entry whose sig line is line `no` of text (sig lines come in the
 * order render() shows the uncovered entries). */
static struct entry *entry_at(struct sig_run *s, const char *text,
			      unsigned int no)
{
	unsigned int line = 1, k = 0, i;
	const char *p;
	int d;

	for (p = text; *p && line < no; p++)
		if (*p == '\n') {
			line++;
			k += !strncmp(p + 1, "sig   = ", 8);
		}
	if (strncmp(p, "sig   = ", 8) || !k)
		return NULL;
	for (d = 0; d < 2; d++)
		for (i = 0; i < s->n; i++)
			if (shown(s, &s->ent[i], d) && !s->ent[i].covered &&
			    !--k)
				return &s->ent[i];
	return NULL;
}

/*
 * Render, read back, and mark the lines p0f's duplicate rule refuses
 * until the output loads.  A '*' line is first narrowed to IPv4: p0f
 * drops the IPv4-only quirks of an earlier '*' sig when it checks a new
 * '*' one, so "*:...:df:0" covers "*:...::0" but not "4:...::0".
 * Returns the text or NULL (logged).
 */
static char *render_valid(struct sig_run *s)
{
	char err[512], *text;
	struct sigdb db;
	struct entry *en;
	unsigned int no;
	size_t len;

	for (;;) {
		text = render(s, &len);
		if (!text) {
			pr_err("out of memory");
			return NULL;
		}
		if (!sigdb_load_buf(&db, "out", text, len, err, sizeof(err))) {
			sigdb_free(&db);
			return text;
		}
		en = NULL;
		if (sscanf(err, "out:%u:", &no) == 1 &&
		    strstr(err, "already covered"))
			en = entry_at(s, text, no);
		free(text);
		if (!en) {
			pr_err("generated database does not load: %s", err);
			return NULL;
		}
		if (en->rs.ver == 4 && !en->ver4) {
			en->ver4 = true;
			rawsig_to_sig(&en->rs, true, en->line,
				      sizeof(en->line));
		} else {
			en->covered = true;
		}
	}
}

/* ---------------------------------------------------------- arguments */

static int parse_args(struct sig_run *s, int argc, char **argv)
{
	int opt;

	opts_defaults(&s->o);
	optind = 0;
	opterr = 1;
	while ((opt = getopt_long(argc, argv, "+f:r:hv", long_opts, NULL)) !=
	       -1) {
		switch (opt) {
		case 'f':
			if (s->o.n_dbs == OSPREY_MAX_DBS) {
				pr_err("-f: more than %d database files",
				       OSPREY_MAX_DBS);
				return EXIT_USAGE;
			}
			s->o.db_paths[s->o.n_dbs++] = optarg;
			break;
		case 'r':
			s->pcap = optarg;
			break;
		case 'S':
			s->synack = true;
			break;
		case 'U':
			s->unmatched = true;
			break;
		case 'v':
			s->o.verbose++;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return -1;
		default:
			fputs(usage_text, stderr);
			return EXIT_USAGE;
		}
	}
	log_set_verbosity(s->o.verbose);
	if (s->pcap && argc - optind > 1) {
		pr_err("the filter rule must be a single argument (use quotes)");
		return EXIT_USAGE;
	}
	if (s->pcap)
		s->filter = optind < argc ? argv[optind] : NULL;
	else if (optind == argc) {
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

int cmd_sig(int argc, char **argv)
{
	struct sig_run s;
	char *text;
	int rc;

	memset(&s, 0, sizeof(s));
	rc = parse_args(&s, argc, argv);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	s.ent = calloc(MAX_ENTRIES, sizeof(*s.ent));
	if (!s.ent) {
		pr_err("out of memory");
		return EXIT_FAIL;
	}
	rc = s.pcap ? from_capture(&s) :
		      from_args(&s, argv + optind, argc - optind);
	if (rc == EXIT_OK) {
		text = render_valid(&s);
		if (text)
			fputs(text, stdout);
		else
			rc = EXIT_FAIL;
		free(text);
	}
	free(s.ent);
	return rc;
}
