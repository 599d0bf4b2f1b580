#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make fuzz: run each libFuzzer harness for a bounded time.
#
#   tests/fuzz/run.sh [FUZZ_BINARY ...]     (default: .output/tests/fuzz/*)
#   FUZZ_TIME=60  seconds per target (-max_total_time)
#
# Each target starts from tests/fuzz/seeds/<name>/ (read only) and grows a
# scratch corpus under .output/fuzz-corpus/<name>/.  A crash, leak, timeout
# or sanitizer report makes the run fail; the reproducer is kept under
# .output/fuzz-crashes/<name>/ and its path printed.  One PASS/FAIL line
# per target; exit status is non-zero if any target failed.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
OUTPUT=${OUTPUT:-$TOP/.output}
FUZZ_TIME=${FUZZ_TIME:-60}
cd "$TOP" || exit 1

[ $# -gt 0 ] || set -- "$OUTPUT"/tests/fuzz/fuzz_*
failed=0
for bin in "$@"; do
	[ -x "$bin" ] || continue
	name=$(basename "$bin")
	seeds="$TOP/tests/fuzz/seeds/$name"
	corpus="$OUTPUT/fuzz-corpus/$name"
	crashes="$OUTPUT/fuzz-crashes/$name"
	log="$OUTPUT/fuzz-$name.log"
	mkdir -p "$corpus" "$crashes"
	dirs=("$corpus")
	[ -d "$seeds" ] && dirs+=("$seeds")
	# -rss_limit_mb: the engine must stay small on any input
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		"$bin" -max_total_time="$FUZZ_TIME" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$crashes/" "${dirs[@]}" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
	if [ $rc -eq 0 ]; then
		echo "PASS: fuzz/$name: ${FUZZ_TIME}s, ${execs:-?} runs, ${cov:-cov: ?}"
	else
		art=$(ls -t "$crashes" 2>/dev/null | head -1)
		what=$(grep -m1 -E 'ERROR: |runtime error|SUMMARY' "$log")
		echo "FAIL: fuzz/$name: exit $rc: ${what:-see $log}" \
			"(reproducer: $crashes/${art:-none}; log: $log)"
		failed=1
	fi
done
exit $failed
