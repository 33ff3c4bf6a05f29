#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# hvbench gate on stores built from recorded samples: the same build twice
# (A/A) passes, a 20% slowdown fails with JUnit failures; errors exit 2.
. "$top_srcdir/tests/lib.sh"
FIX="$top_builddir/tests/analysis-fixture"
DATA="$top_srcdir/tests/data/analysis/native-samples.txt"
[ -x "$FIX" ] || skip "tests/analysis-fixture is not built"

junit_check() { # FILE: well-formed XML with the expected number of test cases
	if command -v xmllint >/dev/null; then
		check "xmllint --noout '$1'" "$1 is not well-formed XML"
	else
		check "head -1 '$1' | grep -q '^<?xml' && grep -q '</testsuites>' '$1'" "$1 lacks its XML frame"
	fi
	check "[ \$(grep -c '<testcase ' '$1') = 7 ]" "$1: expected 7 test cases (cells x metrics)"
}

# A/A: even against odd repetitions of the same recorded cells.
"$FIX" "$T/aa.db" aa "$DATA" || fail "fixture aa"
HVBENCH_DB="$T/aa.db" "$HVBENCH" gate --baseline base --candidate cand --junit "$T/aa.xml" --markdown "$T/aa.md" \
	> "$T/aa.out" 2>&1
rc=$?
check "[ $rc = 0 ]" "A/A gate exited $rc, expected 0: $(cat "$T/aa.out")"
check "grep -q 'Gate: PASS' '$T/aa.out'" "A/A: no PASS line"
check "grep -q 'Gate: PASS' '$T/aa.md'" "A/A: markdown has no PASS"
junit_check "$T/aa.xml"
check "grep -q 'failures=\"0\"' '$T/aa.xml'" "A/A: JUnit reports failures"
for rule in ci-overlap minmax; do
	HVBENCH_DB="$T/aa.db" "$HVBENCH" gate --baseline base --candidate cand --rule $rule > "$T/rule.out" 2>&1
	rc=$?
	check "[ $rc = 0 ]" "A/A gate with --rule $rule exited $rc"
	# what the gate could catch is a figure of its own test, not of these rules
	check "! grep -q 'would catch' '$T/rule.out'" "--rule $rule claims the gate's detectable change"
done

# Two outputs that name one file (by name, through a link, or stdout twice): refused
# before anything is written, as the JUnit file would hold the Markdown.
ln -s "$T/one.xml" "$T/one-link.md"
for pair in "--junit $T/one.xml --markdown $T/one.xml" "--junit $T/one.xml --markdown $T/../$(basename "$T")/one.xml" \
	"--output $T/one --junit $T/one" "--junit - --markdown $T/m.md" "--junit $T/one.xml --markdown $T/one-link.md"; do
	# shellcheck disable=SC2086 # the options are words
	HVBENCH_DB="$T/aa.db" "$HVBENCH" gate --baseline base --candidate cand $pair > /dev/null 2> "$T/err"; rc=$?
	check "[ $rc = 2 ] && grep -q 'name one file' '$T/err' && [ ! -e '$T/one.xml' ] && [ ! -e '$T/one' ] && [ ! -e '$T/m.md' ]" \
		"gate $pair: exit $rc, $(cat "$T/err")"
done

# 20% slower candidate at 10 repetitions each.
"$FIX" "$T/reg.db" regress "$DATA" || fail "fixture regress"
HVBENCH_DB="$T/reg.db" "$HVBENCH" gate --baseline base --candidate cand --junit "$T/reg.xml" --markdown "$T/reg.md" \
	--format json --output "$T/reg.json" > "$T/reg.out" 2>&1
rc=$?
check "[ $rc = 1 ]" "regression gate exited $rc, expected 1: $(cat "$T/reg.out")"
junit_check "$T/reg.xml"
check "grep -q 'failures=\"4\"' '$T/reg.xml'" "regression: expected all 4 judged metrics to fail: $(grep testsuite "$T/reg.xml")"
check "grep -q 'type=\"regression\"' '$T/reg.xml'" "regression: no failure element"
check "grep -q 'Gate: FAIL' '$T/reg.md'" "regression: markdown does not say FAIL"
check "grep -qF 'getppid\\_ns' '$T/reg.md'" "regression: markdown does not name the metric"
check "grep -q '\"result\": \"fail\"' '$T/reg.json'" "regression: JSON result is not fail"
check "grep -q '\"detectable\": 0\.' '$T/reg.json'" "regression: JSON has no detectable change"
check "grep -q 'would catch 80% of the time' '$T/reg.md'" "regression: markdown does not say what the gate could catch"
# A threshold above the change lets it pass.
HVBENCH_DB="$T/reg.db" "$HVBENCH" gate --baseline base --candidate cand --max-regression 25 > /dev/null 2>&1
rc=$?
check "[ $rc = 0 ]" "regression of 20% against --max-regression 25 exited $rc, expected 0"
# Errors: exit 2.
HVBENCH_DB="$T/reg.db" "$HVBENCH" gate --baseline base --candidate nosuchlabel > "$T/e1" 2>&1
rc=$?
check "[ $rc = 2 ] && grep -q nosuchlabel '$T/e1'" "unknown candidate: exit $rc, $(cat "$T/e1")"
HVBENCH_DB="$T/reg.db" "$HVBENCH" gate --baseline base > /dev/null 2>&1
rc=$?
check "[ $rc = 2 ]" "missing --candidate: exit $rc"
HVBENCH_DB="$T/reg.db" "$HVBENCH" gate --baseline base --candidate cand --max-regression abc > "$T/e2" 2>&1
rc=$?
check "[ $rc = 2 ] && grep -q percentage '$T/e2'" "bad --max-regression: exit $rc"
HVBENCH_DB="$T/reg.db" "$HVBENCH" gate --baseline base --candidate cand --rule nope > /dev/null 2>&1
rc=$?
check "[ $rc = 2 ]" "bad --rule: exit $rc"

# compare: the same cells side by side; history: the two runs.
HVBENCH_DB="$T/reg.db" "$HVBENCH" compare base cand > "$T/cmp.out" 2>&1
rc=$?
check "[ $rc = 0 ] && grep -q 'cand (run 2) against base (run 1)' '$T/cmp.out'" "compare: exit $rc, $(head -5 "$T/cmp.out")"
check "grep -q 'worse' '$T/cmp.out'" "compare: no 'worse' verdict for the 20% slowdown"
HVBENCH_DB="$T/reg.db" "$HVBENCH" history 'syscall:getppid_ns' --plot "$T/h.svg" > "$T/h.out" 2>&1
rc=$?
check "[ $rc = 0 ] && [ \$(grep -c '^  run ' '$T/h.out') = 2 ]" "history: exit $rc, $(cat "$T/h.out")"
if command -v gnuplot >/dev/null; then
	check "grep -q '<svg' '$T/h.svg'" "history --plot wrote no SVG"
fi
HVBENCH_DB="$T/reg.db" "$HVBENCH" history 'syscall:no_such_metric' > /dev/null 2>&1
rc=$?
check "[ $rc = 1 ]" "history of an unknown metric: exit $rc, expected 1"
done_testing
