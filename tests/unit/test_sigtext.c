// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * raw_sig -> sig line (user/sigtext.c): parsing, the line p0f's README
 * asks for, the label placeholder, and the plain-words explanation; every
 * generated line is read back by the engine's .fp reader.
 */
#include <errno.h>
#include <stdlib.h>

#include "tests/harness.h"
#include "user/engine/engine.h"
#include "user/sigtext.h"

/* The generated label and sig load as a [tcp:request] database. */
static int loads(const struct raw_sig *r, const char *line)
{
	char text[1024], label[128], err[256];
	struct sigdb db;
	int rc;

	rawsig_label(r, label, sizeof(label));
	snprintf(text, sizeof(text),
		 "classes = win,unix,other\n[tcp:request]\n%s\nsig = %s\n",
		 label, line);
	rc = sigdb_load_buf(&db, "gen", text, strlen(text), err, sizeof(err));
	if (rc)
		printf("# %s\n", err);
	else
		sigdb_free(&db);
	return !rc;
}

static void lines(void)
{
	static const struct {
		const char *raw, *sig, *label;
	} t[] = {
		{ "4:57+7:0:1460:mss*44,8:mss,nop,ws,nop,nop,sok:df,id+:0",
		  "*:64:0:*:mss*44,8:mss,nop,ws,nop,nop,sok:df,id+:0",
		  "label = s:unix:NAME:FLAVOR" },
		{ "4:121+7:0:1360:64240,8:mss,nop,ws,nop,nop,sok:df,id+:0",
		  "*:128:0:*:64240,8:mss,nop,ws,nop,nop,sok:df,id+:0",
		  "label = s:win:NAME:FLAVOR" },
		{ "6:64+0:0:1440:mss*45,10:mss,sok,ts,nop,ws:flow:0",
		  "6:64:0:*:mss*45,10:mss,sok,ts,nop,ws:flow:0",
		  "label = s:unix:NAME:FLAVOR" },
		/* loopback and jumbo MSS are the stack's: copied */
		{ "4:64+0:0:65495:mss*1,7:mss,sok,ts,nop,ws:df,id+:0",
		  "*:64:0:65495:mss*1,7:mss,sok,ts,nop,ws:df,id+:0",
		  "label = s:unix:NAME:FLAVOR" },
		/* no MSS option, a scanner's odd TTL, payload */
		{ "4:30+2:0:0:1024,0:::+", "*:32:0:0:1024,0:::+",
		  "label = s:other:NAME:FLAVOR" },
		/* too far for p0f's hop guess: the next standard TTL */
		{ "4:190+?:0:1460:mss*44,7:mss,nop,nop,sok,nop,ws:df,id+:0",
		  "*:255:0:*:mss*44,7:mss,nop,nop,sok,nop,ws:df,id+:0",
		  "label = s:unix:NAME:FLAVOR" },
		/* a SYN+ACK answering p0f-sendsyn, unknown option, EOL */
		{ "4:128+0:0:*:8192,0:mss,?30,eol+7:ecn,ts1-:0",
		  "*:128:0:*:8192,0:mss,?30,eol+7:ecn,ts1-:0",
		  "label = s:win:NAME:FLAVOR" },
	};
	struct raw_sig r;
	char sig[RAWSIG_LEN], label[128], err[256];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (!ASSERT_EQ(rawsig_parse(t[i].raw, &r, err, sizeof(err)), 0,
			       t[i].raw))
			continue;
		rawsig_to_sig(&r, false, sig, sizeof(sig));
		ASSERT_STREQ(sig, t[i].sig, t[i].raw);
		rawsig_label(&r, label, sizeof(label));
		ASSERT_STREQ(label, t[i].label, t[i].raw);
		ASSERT_TRUE(loads(&r, sig), t[i].raw);
	}
	rawsig_parse(t[0].raw, &r, err, sizeof(err));
	rawsig_to_sig(&r, true, sig, sizeof(sig));
	ASSERT_STREQ(sig, "4:64:0:*:mss*44,8:mss,nop,ws,nop,nop,sok:df,id+:0",
		     "exact version");
}

static void bad_raw_sigs(void)
{
	static const char *const bad[] = {
		"",
		"5:64+0:0:1460:mss*44,7:mss:df:0",
		"4:64:0:1460:mss*44,7:mss:df:0", /* no +dist */
		"4:64+0:0:1460:mss*44:mss:df:0", /* no ,ws */
		"4:64+0:0:1460:mss*44,7:mss:df", /* no payload class */
		"4:64+0:0:1460:mss*44,7:mss:df:x",
		"4:300+0:0:1460:mss*44,7:mss:df:0",
		"4:64+0:0:99999:mss*44,7:mss:df:0",
		"4:64+0:0:1460:,7:mss:df:0",
		"4:64+0:0:1460:mss*44,7:mss:df:0:extra",
	};
	struct raw_sig r;
	char err[512];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = 0;
		ASSERT_EQ(rawsig_parse(bad[i], &r, err, sizeof(err)), -EINVAL,
			  bad[i]);
		ASSERT_TRUE(strstr(err, "is not a TCP raw_sig") != NULL, err);
	}
}

/* Explanation: one line per field, option and quirk, each saying it. */
static void explanation(void)
{
	struct raw_sig r;
	char *buf = NULL, err[256];
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	int n = 0;
	const char *p;

	if (!ASSERT_TRUE(fp != NULL, "memstream"))
		return;
	rawsig_parse("4:64+0:0:1460:65535,6:mss,nop,ws,nop,nop,ts,sok,eol+1:"
		     "df,ecn:0",
		     &r, err, sizeof(err));
	rawsig_explain(fp, &r, false, false);
	fclose(fp);
	for (p = buf; p && *p; p++)
		n += *p == '\n';
	/* ver ittl olen mss window scale, 8 options, 2 quirks, payload */
	ASSERT_EQ(n, 6 + 8 + 2 + 1, "lines");
	ASSERT_TRUE(strstr(buf, ";   option  eol+1     end of options, then 1 "
				"bytes of padding") != NULL,
		    buf);
	ASSERT_TRUE(strstr(buf, ";   quirk   ecn       ECN flags set") != NULL,
		    buf);
	ASSERT_TRUE(strstr(buf, ";   window  65535     a fixed window") != NULL,
		    buf);
	ASSERT_TRUE(strstr(buf, "initial TTL: seen 64, 0 hops away") != NULL,
		    buf);
	free(buf);
}

TH_MAIN("sigtext", TH_CASE(lines), TH_CASE(bad_raw_sigs), TH_CASE(explanation))
