/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A tiny in-tree test harness.  Each test case prints one line that
 * tests/run.sh counts:
 *   PASS: <suite>/<case>
 *   FAIL: <suite>/<case>: <what>: expected <x>, got <y>
 *   SKIPPED: <suite>/<case>: <reason>
 * Assertions report both values and return a bool, so a test can stop
 * early:   if (!ASSERT_EQ(rc, 0, "load")) goto out;
 */
#ifndef OSPREY_TEST_HARNESS_H
#define OSPREY_TEST_HARNESS_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const char *th_suite = "test";
static const char *th_case;
static int th_case_failed, th_case_skipped;
static int th_passed, th_failed, th_skipped;

static inline void th_fail_hdr(const char *file, int line)
{
	if (!th_case_failed)
		printf("FAIL: %s/%s: ", th_suite, th_case ? th_case : "?");
	else
		printf("      %s/%s: ", th_suite, th_case ? th_case : "?");
	printf("%s:%d: ", file, line);
	th_case_failed = 1;
}

#define ASSERT_TRUE(cond, what)                                         \
	({                                                              \
		bool ok_ = (cond);                                      \
		if (!ok_) {                                             \
			th_fail_hdr(__FILE__, __LINE__);                \
			printf("%s: expected true: %s\n", what, #cond); \
		}                                                       \
		ok_;                                                    \
	})

#define ASSERT_EQ(actual, expected, what)                                      \
	({                                                                     \
		long long a_ = (long long)(actual);                            \
		long long e_ = (long long)(expected);                          \
		if (a_ != e_) {                                                \
			th_fail_hdr(__FILE__, __LINE__);                       \
			printf("%s: expected %lld, got %lld\n", what, e_, a_); \
		}                                                              \
		a_ == e_;                                                      \
	})

#define ASSERT_STREQ(actual, expected, what)                              \
	({                                                                \
		const char *a_ = (actual), *e_ = (expected);              \
		bool ok_ = (a_ && e_) ? !strcmp(a_, e_) : a_ == e_;       \
		if (!ok_) {                                               \
			th_fail_hdr(__FILE__, __LINE__);                  \
			printf("%s: expected \"%s\", got \"%s\"\n", what, \
			       e_ ? e_ : "(null)", a_ ? a_ : "(null)");   \
		}                                                         \
		ok_;                                                      \
	})

#define ASSERT_MEMEQ(actual, expected, n, what)                            \
	({                                                                 \
		const unsigned char *a_ = (const void *)(actual);          \
		const unsigned char *e_ = (const void *)(expected);        \
		size_t n_ = (n), i_;                                       \
		bool ok_ = !memcmp(a_, e_, n_);                            \
		if (!ok_) {                                                \
			for (i_ = 0; i_ < n_ && a_[i_] == e_[i_]; i_++)    \
				;                                          \
			th_fail_hdr(__FILE__, __LINE__);                   \
			printf("%s: first difference at byte %zu of %zu: " \
			       "expected 0x%02x, got 0x%02x\n",            \
			       what, i_, n_, e_[i_], a_[i_]);              \
		}                                                          \
		ok_;                                                       \
	})

/* Mark the current case skipped with a reason (counted, never a pass). */
#define TEST_SKIP(reason)                                                  \
	do {                                                               \
		printf("SKIPPED: %s/%s: %s\n", th_suite, th_case, reason); \
		th_case_skipped = 1;                                       \
	} while (0)

typedef void (*th_fn)(void);
struct th_case {
	const char *name;
	th_fn fn;
};
#define TH_CASE(fn)     \
	{               \
#fn, fn \
	}

/* Start and finish one case by hand (table-driven tests); th_end()
 * prints the PASS line unless the case failed or was skipped. */
static inline void th_begin(const char *name)
{
	th_case = name;
	th_case_failed = th_case_skipped = 0;
}

static inline void th_end(void)
{
	if (th_case_failed)
		th_failed++;
	else if (th_case_skipped)
		th_skipped++;
	else {
		th_passed++;
		printf("PASS: %s/%s\n", th_suite, th_case);
	}
	fflush(stdout);
}

static inline int th_run(const char *suite, const struct th_case *cases,
			 size_t n)
{
	th_suite = suite;
	for (size_t i = 0; i < n; i++) {
		th_begin(cases[i].name);
		cases[i].fn();
		th_end();
	}
	return th_failed ? 1 : 0;
}

#define TH_MAIN(suite, ...)                                             \
	int main(void)                                                  \
	{                                                               \
		static const struct th_case cases_[] = { __VA_ARGS__ }; \
		setvbuf(stdout, NULL, _IOLBF, 0);                       \
		return th_run(suite, cases_,                            \
			      sizeof(cases_) / sizeof(cases_[0]));      \
	}

#endif /* OSPREY_TEST_HARNESS_H */
