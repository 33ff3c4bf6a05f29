#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Cells that take turns: `order = interleaved` inside one run, and several
# configs in one `hvbench run` (one run each, their samples alternating); the
# refusals (a Xen backend, labels that do not pair up); Ctrl-C keeps both runs'
# samples and --resume finishes one.
. "$top_srcdir/tests/lib.sh"

conf() { # REPS ORDER EXTRA_WORK
	cat <<INI
[experiment]
repetitions = $1
warmup = 1
duration = 50ms
order = $2
[syscall]
calls = getppid
extra_work = $3
[memlat]
sizes = 16K
extra_work = $3
INI
}
conf 4 interleaved 0 > "$T/one.ini"
conf 3 sequential 0 > "$T/base.ini"
conf 3 sequential 0.05 > "$T/cand.ini"

# The sequence of (run, cell) of the stored samples, in the order they were taken.
order_of() { q "select r.label || ':' || c.idx from samples s join cells c on c.id = s.cell_id
	join runs r on r.id = c.run_id where s.rep >= 0 $1 order by s.started, s.id" | tr '\n' ' '; }

# Rounds of turns: each round takes one sample of every (run, cell), the cells
# compared with each other side by side (GROUP of them: every cell of one run,
# or the same cell of each of several runs), in an order drawn each round.
# Prints what is wrong, or "ok" and how many different orders the rounds took.
rounds() { # SEQ NRUNS NCELLS GROUP
	echo "$1" | tr ' ' '\n' | awk -F: -v nr="$2" -v nc="$3" -v g="$4" 'NF {
		k = n % (nr * nc); round = int(n / (nr * nc)); n++
		if (k == 0) { split("", seen); ord = "" }
		if (seen[$0]++) { print "round " round " took " $0 " twice"; bad = 1 }
		if (g < nr * nc && $2 != int(k / g)) { print "round " round ": cell " $2 " out of its group"; bad = 1 }
		ord = ord " " $0
		if (k == nr * nc - 1) orders[ord]++
	} END { if (bad) exit; if (n % (nr * nc)) print n " samples: not whole rounds"
		else { d = 0; for (o in orders) d++; print "ok " d } }'
}

# One run, cells taking turns: 0 1 or 1 0 each round.
"$HVBENCH" run --label one "$T/one.ini" > "$T/out" 2>&1; rc=$?
check '[ $rc = 0 ]' "interleaved run exit $rc: $(cat "$T/out")"
seq=$(order_of "and r.label = 'one'")
r=$(rounds "$seq" 1 2 2)
check '[ "$r" = "ok 2" ]' "order = interleaved took: $seq ($r; with seed 1 both orders come up)"
check '[ "$(q "select count(*) from cells where run_id = 1 and status = '\''done'\''")" = 2 ]' "cells not done"
# Warm-ups came first for each cell, before its first sample.
check '[ "$(q "select count(*) from samples where status = '\''warmup'\''")" = 2 ]' "warm-ups: $(q "select count(*) from samples where status='warmup'")"

# Two configs, one run each, taking turns: base:0 cand:0 (or cand:0 base:0), then
# cell 1 of both, in an order drawn each round.
"$HVBENCH" run --label base --label cand "$T/base.ini" "$T/cand.ini" > "$T/out" 2>&1; rc=$?
check '[ $rc = 0 ]' "two-config run exit $rc: $(cat "$T/out")"
check '[ "$(grep -c "^run [0-9]* (" "$T/out")" = 2 ]' "expected two runs reported: $(cat "$T/out")"
seq=$(order_of "and r.label in ('base', 'cand')")
r=$(rounds "$seq" 2 2 2)
check '[ "${r%% *}" = ok ] && [ "${r#ok }" -ge 2 ]' "two runs took: $seq ($r)"
check '[ "$(q "select group_concat(status) from runs where label in ('\''base'\'', '\''cand'\'')")" = "done,done" ]' \
	"run statuses: $(q "select group_concat(status) from runs")"
# The candidate's cells are its own (extra_work = 0.05), the gate matches them.
check '[ "$(q "select count(*) from cells c join runs r on r.id = c.run_id where r.label = '\''cand'\'' and c.key like '\''%extra_work=0.05%'\''")" = 2 ]' \
	"candidate cells lost their parameters"
"$HVBENCH" gate --baseline base --candidate cand --ignore-param extra_work --junit "$T/gate.xml" > "$T/gate" 2>&1; rc=$?
check 'grep -q "<property name=\"measured\" value=\"interleaved\"/>" "$T/gate.xml"' "JUnit lacks the design: $(head -4 "$T/gate.xml")"
check '[ $rc = 0 ] || [ $rc = 1 ]' "gate on interleaved runs exit $rc: $(cat "$T/gate")"
check 'grep -q "interleaved" "$T/gate"' "the gate does not say the runs were interleaved: $(cat "$T/gate")"
"$HVBENCH" compare --format json one base > "$T/seq.json" 2>&1
check 'grep -q "\"design\": \"sequential\"" "$T/seq.json"' "runs one after the other not said so: $(grep -A3 measured "$T/seq.json")"
"$HVBENCH" compare --format json --ignore-param extra_work base cand > "$T/int.json" 2>&1
check 'grep -q "\"design\": \"interleaved\"" "$T/int.json"' "interleaved runs not said so: $(grep -A3 measured "$T/int.json")"
"$HVBENCH" compare one base > "$T/seq.txt" 2>&1
check 'grep -q "one after the other, [0-9]* s apart" "$T/seq.txt"' "the text report does not say how far apart: $(head -8 "$T/seq.txt")"
check '! agents_left' "agents left behind"

# Refusals: labels that do not pair with the configs; a backend that cannot keep guests side by side
# for several runs (inside one run its cells take turns: tests/run-turns.sh, tests/unit-turns.c).
"$HVBENCH" run --label a "$T/base.ini" "$T/cand.ini" > "$T/e1" 2>&1; rc=$?
check '[ $rc = 2 ] && grep -q "one --label per config" "$T/e1"' "one label for two configs: exit $rc, $(cat "$T/e1")"
"$HVBENCH" run --label a --label a "$T/base.ini" "$T/cand.ini" > "$T/e1" 2>&1; rc=$?
check '[ $rc = 2 ] && grep -q "label .a. is given to runs 1 and 2" "$T/e1"' "one label twice: exit $rc, $(cat "$T/e1")"
sed 's/^order = .*/order = interleaved\nbackends = xen:pv/' "$T/base.ini" > "$T/xen.ini"
"$HVBENCH" run --dry-run "$T/xen.ini" > "$T/e2" 2>&1; rc=$?
check '[ $rc = 0 ] && grep -q "memory: xen: " "$T/e2"' "xen with order = interleaved (one run: the plan checks memory): exit $rc, $(cat "$T/e2")"
sed '/^order = /d; s/^\[experiment\]/[experiment]\nbackends = xen:pv/' "$T/base.ini" > "$T/xen3.ini"
"$HVBENCH" run "$T/base.ini" "$T/xen3.ini" > "$T/e6" 2>&1; rc=$?
check '[ $rc = 2 ] && grep -q "xen3.ini: several configs take turns" "$T/e6"' "two configs, one sequential with Xen cells: exit $rc, $(cat "$T/e6")"
nruns=$(q "select count(*) from runs")
check '[ "$nruns" = 3 ]' "a refused run wrote to the store: $nruns runs"

# --agent: another build (here a copy of this one) serves one run's cells; the run's facts name it.
cp "$HVBENCH" "$T/other-hvbench"
"$HVBENCH" run --label own --label other --agent "$HVBENCH" --agent "$T/other-hvbench" "$T/base.ini" "$T/base.ini" \
	> "$T/out" 2>&1; rc=$?
check '[ $rc = 0 ]' "run with --agent exit $rc: $(cat "$T/out")"
check '[ "$(q "select json_extract(host_json, '\''$.agent'\'') from runs where label = '\''other'\''")" = "$T/other-hvbench" ]' \
	"the run does not name its agent: $(q "select host_json from runs where label = 'other'")"
check '[ "$(q "select count(*) from samples s join cells c on c.id = s.cell_id join runs r on r.id = c.run_id where r.label = '\''other'\'' and s.status = '\''ok'\''")" = 6 ]' \
	"the other agent's run lacks samples"
"$HVBENCH" run --agent "$T/no-such-hvbench" "$T/base.ini" > "$T/e3" 2>&1; rc=$?
check '[ $rc = 2 ] && grep -q "no-such-hvbench" "$T/e3"' "missing agent: exit $rc, $(cat "$T/e3")"
sed 's/^order = .*/backends = xen:pv/' "$T/base.ini" > "$T/xen2.ini"
"$HVBENCH" run --agent "$T/other-hvbench" "$T/xen2.ini" > "$T/e4" 2>&1; rc=$?
check '[ $rc = 2 ] && grep -q "agent of its image" "$T/e4"' "--agent with Xen cells: exit $rc, $(cat "$T/e4")"
nruns=$(q "select count(*) from runs")
check '[ "$nruns" = 5 ]' "refused runs wrote to the store: $nruns runs"

# Ctrl-C in the middle: both runs interrupted with their samples; --resume finishes one.
conf 40 sequential 0 > "$T/long.ini"
"$HVBENCH" run --label la --label lb "$T/long.ini" "$T/long.ini" > "$T/out" 2> "$T/log" &
pid=$!
for i in $(seq 1 100); do
	[ "$(q "select count(*) from samples s join cells c on c.id = s.cell_id where c.run_id > 5 and s.status = 'ok'" 2>/dev/null)" -ge 6 ] 2>/dev/null && break
	sleep 0.1
done
kill -INT $pid
wait $pid; rc=$?
check '[ $rc = 130 ]' "interrupted two-config run exit $rc"
check '[ "$(q "select group_concat(status) from runs where id > 5")" = "interrupted,interrupted" ]' \
	"statuses after Ctrl-C: $(q "select group_concat(status) from runs where id > 5")"
for r in 6 7; do
	kept=$(q "select count(*) from samples s join cells c on c.id = s.cell_id where c.run_id = $r and s.status = 'ok'")
	check '[ "$kept" -ge 2 ] && [ "$kept" -lt 80 ]' "run $r kept $kept samples"
done
check '! agents_left' "agents left behind after Ctrl-C"
"$HVBENCH" run --resume 7 > "$T/out2" 2> "$T/log2"; rc=$?
check '[ $rc = 0 ]' "resume exit $rc: $(cat "$T/log2")"
check '[ "$(q "select count(*) from samples s join cells c on c.id = s.cell_id where c.run_id = 7 and s.status = '\''ok'\'' and s.rep >= 0")" = 80 ]' \
	"resumed run 7 is not complete"
done_testing
