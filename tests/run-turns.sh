#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# order = interleaved on the native backend, the path Xen guests take: every
# cell's agent is started before the first round and lives through the run,
# the agents of the other cells stopped (SIGSTOP, read back from /proc) while
# one measures; the rounds take the order --dry-run shows for the seed and
# label, recorded in the run's turns.json; an agent that does not come up ends
# its cell with the reason while the others go on; Ctrl-C leaves no agent,
# stopped or not.
. "$top_srcdir/tests/lib.sh"
export COLUMNS=1000

conf() { # REPS SEED
	cat <<INI
[experiment]
repetitions = $1
warmup = 1
duration = 50ms
seed = $2
order = interleaved
[syscall]
calls = getppid
[memlat]
sizes = 16K
[reads]
workload = syscall
calls = read-small
INI
}
conf 3 5 > "$T/t.ini"

# The plan: the turns' seed and each round's cells.
"$HVBENCH" run --dry-run --label a "$T/t.ini" > "$T/plan" 2>&1; rc=$?
check '[ $rc = 0 ]' "dry run exit $rc: $(cat "$T/plan")"
seed=$(sed -n 's/.*turns seed \([0-9]*\) (from seed = 5 and the label .a.).*/\1/p' "$T/plan")
check '[ -n "$seed" ]' "the plan shows no turns seed: $(cat "$T/plan")"
planned=$(sed -n 's/^ *round \([0-9]*\): /\1:/p' "$T/plan" | tr ' ' ',' | tr '\n' ' ')
check '[ "$(echo $planned | wc -w)" = 3 ]' "the plan shows not 3 rounds: $planned"
check 'grep -q "memory: .*t.ini: the largest turn, \[memlat\] cell 1, runs 1 agent of memlat that map sizes 16K each: 1 MiB at once and native has [0-9]* MiB free (host [0-9]* MiB; /proc/meminfo MemAvailable): they fit" "$T/plan"' \
	"the plan shows no memory check: $(cat "$T/plan")"
# One turn's agents that cannot map their buffers together: refused by the plan
# (and --dry-run) before any agent starts, with the figures. 64 x 64 GiB is more
# than any host here has.
cat > "$T/big.ini" <<INI
[experiment]
order = interleaved
guests = 64
[autonuma]
size = 64G
[memlat]
sizes = 16K
INI
for dry in --dry-run ""; do
	"$HVBENCH" run $dry --db "$T/big.db" "$T/big.ini" > "$T/big.out" 2>&1; rc=$?
	check '[ $rc = 2 ] && grep -q "big.ini: the largest turn, \[autonuma\] cell 0, runs 64 agents of autonuma that map size 64G each: 4194304 MiB at once and native has [0-9]* MiB free (host [0-9]* MiB; /proc/meminfo MemAvailable): they do not fit. One cell.s guests run its workload together" "$T/big.out"' \
		"run $dry of 64 guests of 64G: exit $rc, $(cat "$T/big.out")"
	check '[ ! -s "$T/big.db" ]' "run $dry stored something"
done
"$HVBENCH" run --dry-run --label a --set experiment.seed=6 "$T/t.ini" > "$T/plan6" 2>&1
other=$(sed -n 's/^ *round \([0-9]*\): /\1:/p' "$T/plan6" | tr ' ' ',' | tr '\n' ' ')
check '[ -n "$other" ] && [ "$other" != "$planned" ]' "seed 6 plans the same rounds as seed 5: $other"
"$HVBENCH" run --dry-run --label a "$T/t.ini" > "$T/plan2" 2>&1
# (but for the host's free memory, read anew)
check '[ "$(grep -v "MiB\|MemAvailable" "$T/plan")" = "$(grep -v "MiB\|MemAvailable" "$T/plan2")" ]' "the plan differs the second time"

# The run takes the plan's rounds.
"$HVBENCH" run --label a "$T/t.ini" > "$T/out" 2>&1; rc=$?
check '[ $rc = 0 ]' "interleaved run exit $rc: $(cat "$T/out")"
taken=$(q "select r || ':' || group_concat(idx, ',') from (select cast(m.value as int) r, c.idx from samples s
	join cells c on c.id = s.cell_id join metrics m on m.sample_id = s.id where m.name = 'turns.round' and s.rep >= 0
	order by s.started, s.id) group by r order by r" | tr '\n' ' ')
check '[ "$taken" = "$planned" ]' "the run took rounds $taken, the plan showed $planned"
# While each sample ran, the three agents were alive and the other two stopped, as /proc said.
check '[ "$(q "select count(*) from metrics where name = '\''turns.guests'\'' and value = 3")" = 9 ]' \
	"turns.guests: $(q "select group_concat(value) from metrics where name = 'turns.guests'")"
check '[ "$(q "select count(*) from metrics where name = '\''turns.paused'\'' and value = 2")" = 9 ]' \
	"turns.paused: $(q "select group_concat(value) from metrics where name = 'turns.paused'")"
# Warm-ups: every cell's before the first round's first sample (the agents were all started first).
check '[ "$(q "select max(s.started) < (select min(started) from samples where rep >= 0) from samples s where s.status = '\''warmup'\''")" = 1 ]' \
	"a warm-up came after the first sample"
turns=$(q "select cast(data as text) from artifacts where name = 'turns.json' and run_id = 1")
check 'echo "$turns" | grep -q "\"seed\":\"$seed\""' "turns.json lacks the plan's seed $seed: $turns"
rounds=$(echo "$planned" | awk '{ for (i = 1; i <= NF; i++) { sub(/^[0-9]*:/, "", $i); s = s (i > 1 ? "," : "") "[" $i "]" } print "[" s "]" }')
check 'echo "$turns" | grep -qF "\"rounds\":$rounds"' "turns.json rounds are not $rounds: $turns"
check 'echo "$turns" | grep -q "\"pause_failures\":0"' "pauses failed: $turns"
check '! agents_left' "agents left behind"

# An agent that never comes up (here: every agent given two CPUs) ends its
# cell with the reason; the other cells take their turns to the end.
cat > "$T/picky-agent" <<EOF
#!/bin/sh
[ "\$(nproc)" = 2 ] && exit 3
exec "$HVBENCH" "\$@"
EOF
chmod +x "$T/picky-agent"
if [ "$(nproc)" -ge 2 ]; then
	sed 's/^order = interleaved/order = interleaved\nvcpus = 1, 2\nplacement = none/' "$T/t.ini" > "$T/v.ini"
	"$HVBENCH" run --label v --agent "$T/picky-agent" "$T/v.ini" > "$T/out" 2>&1; rc=$?
	check '[ $rc = 1 ]' "run with agents that do not come up: exit $rc (incomplete expected): $(cat "$T/out")"
	check '[ "$(q "select group_concat(status) from (select c.status from cells c join runs r on r.id = c.run_id where r.label = '\''v'\'' and c.vcpus = 1 order by c.idx)")" = "done,done,done" ]' \
		"the cells whose agents came up: $(q "select group_concat(idx || ' ' || status || ' ' || ifnull(reason, ''), '; ') from cells where run_id = 2")"
	check '[ "$(q "select count(*) from cells c join runs r on r.id = c.run_id where r.label = '\''v'\'' and c.vcpus = 2 and c.status = '\''failed'\'' and c.reason like '\''%did not come up%'\''")" = 3 ]' \
		"the cells whose agents did not come up: $(q "select group_concat(idx || ' ' || status || ' ' || ifnull(reason, ''), '; ') from cells where run_id = 2")"
	# the three that live: each sample saw three agents, two of them stopped
	check '[ "$(q "select count(*) from metrics m join samples s on s.id = m.sample_id join cells c on c.id = s.cell_id where c.run_id = 2 and m.name = '\''turns.paused'\'' and m.value = 2")" = 9 ]' \
		"turns.paused in the run with failed cells: $(q "select group_concat(m.value) from metrics m join samples s on s.id = m.sample_id join cells c on c.id = s.cell_id where c.run_id = 2 and m.name = 'turns.paused'")"
	check '! agents_left' "agents left behind after failed starts"
fi

# Ctrl-C while agents are stopped: the run is interrupted, no agent stays, stopped or running.
conf 400 5 > "$T/long.ini"
"$HVBENCH" run --label long "$T/long.ini" > "$T/out" 2>&1 &
pid=$!
for i in $(seq 1 150); do
	[ "$(q "select count(*) from samples s join cells c on c.id = s.cell_id join runs r on r.id = c.run_id where r.label = 'long' and s.status = 'ok'" 2>/dev/null)" -ge 4 ] 2>/dev/null && break
	sleep 0.1
done
stopped=0
for e in $(grep -l "HVB_TEST_TAG=$T" /proc/[0-9]*/environ 2>/dev/null); do
	st=$(sed 's/.*) \(.\).*/\1/' "${e%environ}stat" 2>/dev/null)
	[ "$st" = T ] && stopped=$((stopped + 1))
done
check '[ $stopped -ge 1 ]' "no stopped agent seen while the run took turns"
kill -INT $pid
wait $pid; rc=$?
check '[ $rc = 130 ]' "interrupted run exit $rc: $(cat "$T/out")"
check '[ "$(q "select status from runs where label = '\''long'\''")" = interrupted ]' "status after Ctrl-C"
sleep 0.2
check '! agents_left' "agents left behind after Ctrl-C"
done_testing
