#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A real small plan on the native backend, and what it stored.
. "$top_srcdir/tests/lib.sh"

cat > "$T/small.ini" <<'INI'
[experiment]
repetitions = 3
warmup = 1
duration = 100ms
timeout = 20s
placement = none, local, remote
[memlat]
sizes = 16K, 64M
INI

# --dry-run and config errors write nothing.
"$HVBENCH" run --dry-run "$T/small.ini" > "$T/plan" || fail "dry run failed"
check 'grep -q "3 cells" "$T/plan" && grep -q "estimated duration" "$T/plan"' "plan: $(cat "$T/plan")"
check '[ ! -e "$HVBENCH_DB" ]' "--dry-run created the database"
printf '[experiment]\nrepetitons = 3\n[memlat]\n' > "$T/typo.ini"
"$HVBENCH" run "$T/typo.ini" 2> "$T/err"; rc=$?
check '[ $rc = 2 ]' "typo: exit $rc"
check 'grep -q "typo.ini:2: .*did you mean .repetitions." "$T/err"' "typo message: $(cat "$T/err")"
check '[ ! -e "$HVBENCH_DB" ]' "a bad config created the database"

"$HVBENCH" run --label small "$T/small.ini" > "$T/out" 2> "$T/log"; rc=$?
check '[ $rc = 0 ]' "run exit $rc: $(cat "$T/log")"
check '[ "$(q "select status from runs")" = done ]' "run status"
check '[ "$(q "select count(*) from cells")" = 3 ]' "cells stored"
check '[ "$(q "select status from cells where placement=\"remote\"")" = skipped ]' "remote on one node is skipped"
check 'q "select reason from cells where placement=\"remote\"" | grep -q "NUMA nodes"' "skip reason"
# Every planned sample is present, or failed with a reason.
for p in none local; do
	n=$(q "select count(*) from samples x join cells c on x.cell_id=c.id where c.placement='$p' and x.rep >= 0 and (x.status='ok' or x.reason is not null)")
	check '[ "$n" = 3 ]' "cell $p has $n of 3 samples"
	w=$(q "select count(*) from samples x join cells c on x.cell_id=c.id where c.placement='$p' and x.status='warmup'")
	check '[ "$w" = 1 ]' "cell $p warm-up stored flagged ($w)"
done
# The figures make sense: 64 MiB is far from the caches, 16 KiB sits in L1.
med() { q "select value from metrics m join samples x on m.sample_id=x.id join cells c on x.cell_id=c.id where c.placement='local' and x.status='ok' and m.name='$1' order by value limit 1 offset 1"; }
small=$(med lat_ns.16K); big=$(med lat_ns.64M)
check 'awk "BEGIN{exit !($big > 3 * $small && $small > 0)}"' "memlat 64M ($big ns) not above 16K ($small ns)"
check '[ "$(q "select count(distinct seed) from samples where rep >= 0")" = 6 ]' "seeds recorded per sample"
check 'grep -q "lat_ns.64M" "$T/out" && grep -q "CoV" "$T/out"' "summary table: $(cat "$T/out")"
"$HVBENCH" list > "$T/list" && check 'grep -q "small" "$T/list"' "list"
"$HVBENCH" show small > "$T/show" && check 'grep -q "host_kind" "$T/show" && grep -q "skipped: remote" "$T/show"' "show: $(cat "$T/show")"
"$HVBENCH" show 999 2>/dev/null; check '[ $? = 2 ]' "show of a missing run"

# A sample that outlives its timeout is killed and recorded; the run goes on. The
# timeout leaves a 10 ms sample room on a loaded machine (50 ms did not, at load 8;
# 300 ms did not once, beside a QEMU lab); building a 4 GiB chase buffer takes about
# 13 s here.
cat > "$T/slow.ini" <<'INI'
[experiment]
repetitions = 2
warmup = 0
duration = 10ms
timeout = 2s
[slow]
workload = memlat
sizes = 4G
[fast]
workload = memlat
sizes = 16K
INI
"$HVBENCH" run --label slow "$T/slow.ini" > "$T/out" 2> "$T/log"; rc=$?
# A cell that did not produce its samples: exit 1, run "incomplete", and the summary names it.
check '[ $rc = 1 ]' "slow run exit $rc"
check '[ "$(q "select status from runs where label=\"slow\"")" = incomplete ]' "slow run status"
check 'sed -n "/^[0-9]* cells* did not produce every sample:/,\$p" "$T/out" | grep -q "sizes=4G"' "summary: $(cat "$T/out")"
check '! sed -n "/^[0-9]* cells* did not produce every sample:/,\$p" "$T/out" | grep -q "sizes=16K"' "summary names a good cell"
rid=$(q "select max(id) from runs")
check '[ "$(q "select count(*) from samples x join cells c on x.cell_id=c.id where c.run_id=$rid and c.section=\"slow\" and x.status=\"timeout\" and x.reason like \"%no reply%\"")" = 2 ]' "timeouts recorded: $(q "select status, reason from samples")"
check '[ "$(q "select status from cells where run_id=$rid and section=\"slow\"")" = failed ]' "slow cell failed"
check '[ "$(q "select count(*) from samples x join cells c on x.cell_id=c.id where c.run_id=$rid and c.section=\"fast\" and x.status=\"ok\"")" = 2 ]' "the run went on after the timeout"
check '! agents_left' "agents left behind"

# A workload that cannot run here (no such NUMA node) makes a skipped cell, with its reason.
printf '[experiment]\nrepetitions = 2\nwarmup = 0\nduration = 20ms\n[memlat]\nsizes = 16K\nnode = 63\n' > "$T/node.ini"
"$HVBENCH" run --label node "$T/node.ini" > /dev/null 2>&1 || fail "run with a missing node"
rid=$(q "select max(id) from runs")
check '[ "$(q "select status from cells where run_id=$rid")" = skipped ]' "missing node: $(q "select status, reason from cells where run_id=$rid")"
check 'q "select reason from cells where run_id=$rid" | grep -q "NUMA node 63"' "missing node reason"

# repetitions = auto stops between its bounds and records why.
printf '[experiment]\nrepetitions = auto\nmin_repetitions = 6\nmax_repetitions = 10\nci_target = 0.5\nwarmup = 0\nduration = 20ms\n[syscall]\n' > "$T/auto.ini"
"$HVBENCH" run --label auto "$T/auto.ini" > /dev/null 2>&1 || fail "auto repetitions run"
rid=$(q "select max(id) from runs")
n=$(q "select count(*) from samples x join cells c on x.cell_id=c.id where c.run_id=$rid and x.status='ok'")
check '[ "$n" -ge 6 ] && [ "$n" -le 10 ]' "auto repetitions took $n samples"
check 'q "select reason from cells where run_id=$rid" | grep -Eq "median CI within|cap of 10"' "auto stop reason: $(q "select reason from cells where run_id=$rid")"
done_testing
