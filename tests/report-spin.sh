#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The spinlock section on a store of known figures (analysis-fixture spin): per mode
# pvspin on and off against the overcommit, the workload's figure judged against the
# pvspin on, 1:1 row with its interval, the p99 wait, polls per op, kicks unknown with
# the event_channel_op calls that bound them (Xen records no argument of it), the
# poll-blocked to woken time, native rows with pvspin n/a; text and Markdown.
. "$top_srcdir/tests/lib.sh"
export COLUMNS=1000
FIX="$top_builddir/tests/analysis-fixture"
[ -x "$FIX" ] || skip "tests/analysis-fixture is not built"
"$FIX" "$HVBENCH_DB" spin "$top_srcdir/tests/data/analysis/native-samples.txt" || fail "fixture spin"

"$HVBENCH" report > "$T/r.txt" 2>&1 || fail "report failed: $(cat "$T/r.txt")"
sed -n '/== Spinlocks: PV spinlocks on and off/,/^== Cells/p' "$T/r.txt" > "$T/s.txt"
check "grep -q 'Spinlocks: PV spinlocks on and off' '$T/s.txt'" "no spinlock section"
check "grep -q 'vcpus=2 on xen:pv, placement none' '$T/s.txt'" "no PV table"
check "grep -E '^  n/a +2:1 +getppid_ns .*\+90.0% .* worse +- +n/a +n/a +n/a +n/a' '$T/s.txt' | grep -q ." \
	"native overcommit row: $(grep -E '^  n/a +2:1' "$T/s.txt")"
# PV: on at 1:1 is the baseline; off under 2:1 overcommit 1.5/1.1 - 1 = +36.4% worse
check "grep -E '^  on +1:1 +getppid_ns .* baseline +918.0 \[.*\] ns +0.02040 \[' '$T/s.txt' | grep -q 'unknown, at most 0.03060'" \
	"PV on 1:1: $(grep -E '^  on +1:1' "$T/s.txt")"
check "grep -E '^  off +2:1 +getppid_ns .*\+36.4% \[.*worse +918.0 \[.*µs' '$T/s.txt' | grep -q ." \
	"PV off 2:1: $(grep -E '^  off +2:1' "$T/s.txt")"
check "grep -E '^  off +1:1 .* same ' '$T/s.txt' | grep -q ." "PV off 1:1: $(grep -E '^  off +1:1' "$T/s.txt")"
check "grep -E '^  on +2:1 .* 30.60 \[30.30, 30.90\] µs' '$T/s.txt' | grep -q ." "poll-blocked to woken: $(grep -E '^  on +2:1' "$T/s.txt")"
check "! grep -E '^  (on|off) .*kicks' '$T/s.txt' | grep -q ' 0 calls'" "kicks must never read as zero"

"$HVBENCH" report --format md --output "$T/r.md" || fail "report md"
check "grep -q '^| off | 2:1 | getppid.*_ns | .* | +36.4% ' '$T/r.md'" "markdown lacks the PV off 2:1 row"

# a run without the axes has no such section
"$FIX" "$T/m.db" modes "$top_srcdir/tests/data/analysis/native-samples.txt" || fail "fixture modes"
HVBENCH_DB="$T/m.db" "$HVBENCH" report > "$T/m.txt" 2>&1 || fail "report of modes"
check "! grep -q 'Spinlocks: PV spinlocks' '$T/m.txt'" "a spinlock section without pvspin or antagonists"
done_testing
