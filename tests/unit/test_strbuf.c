// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * strbuf (user/engine/strbuf.[ch]): each append writes what the printf
 * format it stands for writes (checked against snprintf), a bounded
 * buffer cuts and never overruns, a FILE one loses nothing across
 * flushes.
 */
#include <stdlib.h>

#include "tests/harness.h"
#include "user/engine/strbuf.h"

/* The appends against snprintf on the same values. */
static void same_as_printf(void)
{
	static const u64 nums[] = {
		0, 9, 10, 99, 4294967295u, 4294967296ull, 1700000000123ull
	};
	char got[64], want[64];
	struct strbuf sb;
	size_t i;

	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		sb_init(&sb, got, sizeof(got));
		sb_dec(&sb, nums[i], 3);
		snprintf(want, sizeof(want), "%03llu",
			 (unsigned long long)nums[i]);
		ASSERT_STREQ(got, want, "%03llu");
		sb_init(&sb, got, sizeof(got));
		sb_hex(&sb, nums[i], 4);
		snprintf(want, sizeof(want), "%04llx",
			 (unsigned long long)nums[i]);
		ASSERT_STREQ(got, want, "%04llx");
		sb_init(&sb, got, sizeof(got));
		sb_u(&sb, (u32)nums[i]);
		snprintf(want, sizeof(want), "%u", (u32)nums[i]);
		ASSERT_STREQ(got, want, "%u");
	}
	sb_init(&sb, got, sizeof(got));
	sb_pad(&sb, "raw_sig", 8);
	sb_lit(&sb, "|");
	sb_pad(&sb, "a_longer_key", 8);
	sb_lit(&sb, "|");
	sb_str(&sb, NULL);
	snprintf(want, sizeof(want), "%-8s|%-8s|%s", "raw_sig", "a_longer_key",
		 "(null)");
	ASSERT_STREQ(got, want, "%-8s and a NULL %s");
	sb_init(&sb, got, sizeof(got));
	sb_printf(&sb, "%.2f Hz", 99.996);
	ASSERT_STREQ(got, "100.00 Hz", "sb_printf");
	ASSERT_EQ(sb.len, strlen(got), "sb_printf length");
}

/* Every append stops at cap - 1 bytes, NUL-terminated, at every cap. */
static void bounded_cuts(void)
{
	const char *full = "4:64+0:0:1460:mss*20,7:tos:0x08 100.00";
	char buf[48];
	size_t cap;
	int bad = 0;

	for (cap = 1; cap <= sizeof(buf) - 8; cap++) {
		struct strbuf sb;

		memset(buf, 'X', sizeof(buf));
		sb_init(&sb, buf, cap);
		sb_lit(&sb, "4:");
		sb_u(&sb, 64);
		sb_ch(&sb, '+');
		sb_dec(&sb, 0, 0);
		sb_str(&sb, ":0:1460:");
		sb_put(&sb, "mss*20,7", 8);
		sb_word(&sb, sb.len, ":tos:0x");
		sb_hex(&sb, 8, 2);
		sb_printf(&sb, " %.2f", 100.0);
		bad += sb.len != (cap - 1 < strlen(full) ? cap - 1 :
							   strlen(full)) ||
		       strncmp(buf, full, sb.len) || buf[sb.len] ||
		       buf[cap] != 'X';
	}
	ASSERT_EQ(bad, 0, "caps cut wrong or overrun");
	{
		struct strbuf sb;

		sb_init(&sb, NULL, 0);
		sb_lit(&sb, "nothing");
		sb_u(&sb, 7);
		sb_printf(&sb, "%d", 1);
		ASSERT_EQ(sb.len, 0, "no buffer: nothing written");
	}
}

/* A FILE strbuf smaller than what goes through it loses no byte. */
static void file_flushes(void)
{
	char small[8], *out = NULL, want[256];
	size_t outlen = 0, w = 0;
	FILE *fp = open_memstream(&out, &outlen);
	struct strbuf sb;
	int i;

	if (!ASSERT_TRUE(fp != NULL, "open_memstream"))
		return;
	sb_init_file(&sb, small, sizeof(small), fp);
	for (i = 0; i < 20; i++) {
		sb_u(&sb, 1000000 + i);
		sb_lit(&sb, ",");
		sb_printf(&sb, "%s",
			  i == 7 ? "a-longer-piece-than-the-buffer" : "");
		w += snprintf(want + w, sizeof(want) - w, "%u,%s", 1000000 + i,
			      i == 7 ? "a-longer-piece-than-the-buffer" : "");
	}
	sb_put(&sb, "0123456789abcdef", 16);
	w += snprintf(want + w, sizeof(want) - w, "0123456789abcdef");
	sb_flush(&sb);
	fclose(fp);
	ASSERT_EQ(outlen, w, "bytes written");
	ASSERT_STREQ(out, want, "text");
	free(out);
}

TH_MAIN("strbuf", TH_CASE(same_as_printf), TH_CASE(bounded_cuts),
	TH_CASE(file_flushes))
