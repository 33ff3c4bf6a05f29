#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Random placement as a distribution, natively: a new seeded draw per
# repetition (or block, random_draws), each applied, read back by the agent and
# from /proc, and stored with its sample (placement.draw, placement.json). On a
# host of one node the draws still differ in CPUs. guests = 2 runs two agents
# at once with figures per guest and in total; auto natively is the kernel's
# own placement; autonuma's convergence series reaches the HTML report.
. "$top_srcdir/tests/lib.sh"

ncpu=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' /proc/$$/status | tr ',' '\n' |
	awk -F- '{ n += NF == 2 ? $2 - $1 + 1 : 1 } END { print n }')
cat > "$T/r.ini" <<'INI'
[experiment]
repetitions = 8
warmup = 0
duration = 20ms
seed = 1
placement = random, auto
guests = 1, 2
[memlat]
sizes = 16K
INI
"$HVBENCH" run "$T/r.ini" > /dev/null 2> "$T/log" || fail "run failed: $(cat "$T/log")"
check '[ "$(q "select count(*) from cells where status != \"done\"")" = 0 ]' "cells not done: $(q "select key, status, reason from cells where status != 'done'")"
cid=$(q "select id from cells where placement='random' and params_json not like '%guests%'")
# one draw per repetition: placement.draw is the repetition
draws=$(q "select group_concat(cast(m.value as int), ',') from (select m.value from samples s join metrics m on m.sample_id = s.id where s.cell_id = $cid and m.name = 'placement.draw' order by s.rep) m")
check '[ "$draws" = "0,1,2,3,4,5,6,7" ]' "draws per sample: '$draws'"
# every sample stores its placement as applied and as the agent and /proc read it back
n=$(q "select count(*) from artifacts where cell_id = $cid and name = 'placement.json' and sample_id is not null")
check '[ "$n" = 8 ]' "placement.json of each sample: $n"
n=$(q "select count(*) from artifacts where cell_id = $cid and name = 'placement.json' and
	json_extract(cast(data as text), '\$.agent.cpus') is not null and json_extract(cast(data as text), '\$.readback.cpus_allowed') is not null")
check '[ "$n" = 8 ]' "read-back CPUs stored with $n of 8 samples"
# the plan's CPUs are what the agent (sched_getaffinity) and /proc saw, in every sample
bad=$(q "select count(*) from artifacts where cell_id = $cid and name = 'placement.json' and
	json_extract(cast(data as text), '\$.plan.cpus') != json_extract(cast(data as text), '\$.agent.cpus')")
check '[ "$bad" = 0 ]' "a draw whose read-back CPUs differ from its plan"
bad=$(q "select count(*) from artifacts where cell_id = $cid and name = 'placement.json' and
	json_extract(cast(data as text), '\$.plan.cpus') != json_extract(cast(data as text), '\$.readback.cpus_allowed')")
check '[ "$bad" = 0 ]' "a draw whose /proc CPUs differ from its plan"
sets=$(q "select count(distinct json_extract(cast(data as text), '\$.plan.cpus')) from artifacts where cell_id = $cid and name = 'placement.json'")
if [ "$ncpu" -ge 2 ]; then
	check '[ "$sets" -ge 2 ]' "8 draws on $ncpu CPUs all on the same CPUs"
else
	echo "note: one allowed CPU: every draw is on it"
fi
share=$(q "select min(m.value) from samples s join metrics m on m.sample_id = s.id where s.cell_id = $cid and m.name = 'placement.local_share'")
nodes=$(ls -d /sys/devices/system/node/node[0-9]* 2>/dev/null | wc -l)
[ "$nodes" = 1 ] && check '[ "$share" = 1.0 ]' "one node: every draw local ($share)"

# two guests: both agents ran, each placed on CPUs of its own while there are enough
g2=$(q "select id from cells where placement='random' and params_json like '%\"guests\":\"2\"%'")
check '[ -n "$g2" ]' "no random cell with 2 guests: $(q "select key from cells")"
for name in guest0.ops guest1.ops ops placement.draw; do
	c=$(q "select count(*) from samples s join metrics m on m.sample_id = s.id where s.cell_id = $g2 and m.name = '$name'")
	check '[ "$c" = 8 ]' "metric $name in $c of 8 samples"
done
# the total of operations is the guests' sum
bad=$(q "select count(*) from samples s where s.cell_id = $g2 and
	(select value from metrics where sample_id = s.id and name = 'ops') !=
	(select sum(value) from metrics where sample_id = s.id and name in ('guest0.ops', 'guest1.ops'))")
check '[ "$bad" = 0 ]' "ops is not the sum of the guests' ops"
guests=$(q "select json_array_length(cast(data as text), '\$.guests') from artifacts where cell_id = $g2 and name = 'placement.json' limit 1")
check '[ "$guests" = 2 ]' "placement.json holds both guests' placements ($guests)"
if [ "$ncpu" -ge 2 ]; then
	same=$(q "select count(*) from artifacts where cell_id = $g2 and name = 'placement.json' and
		json_extract(cast(data as text), '\$.guests[0].agent.cpus') = json_extract(cast(data as text), '\$.guests[1].agent.cpus')")
	check '[ "$same" = 0 ]' "two guests on the same CPU while another was free"
fi
# auto natively: the kernel's placement, no binding (every allowed CPU, default policy)
aj=$(q "select placement_json from cells where placement='auto' and params_json not like '%guests%'")
check 'echo "$aj" | grep -q "\"mempolicy\":\"default\""' "auto: $aj"

# Convergence over time: autonuma's looks stored with each sample, plotted in the HTML report.
cat > "$T/c.ini" <<'INI'
[experiment]
repetitions = 2
warmup = 0
duration = 300ms
placement = auto
[autonuma]
sharing = shared
size = 4M
sample_every = 50ms
INI
"$HVBENCH" run "$T/c.ini" > /dev/null 2> "$T/log" || fail "autonuma run failed: $(cat "$T/log")"
n=$(q "select count(*) from artifacts a join cells c on c.id = a.cell_id where c.workload = 'autonuma' and a.name = 'numa-convergence.csv'")
check '[ "$n" = 2 ]' "convergence series of each sample: $n"
n=$(q "select count(*) from artifacts where name = 'numa-convergence.csv' and cast(data as text) like 't_s,local_share,node0%'")
check '[ "$n" = 2 ]' "series header: $(q "select substr(data, 1, 40) from artifacts where name = 'numa-convergence.csv' limit 1")"
if command -v gnuplot >/dev/null; then
	"$HVBENCH" report --format html --output "$T/c.html" 2> "$T/log" || fail "report: $(cat "$T/log")"
	check 'grep -q "Convergence over time" "$T/c.html"' "no convergence plot in the HTML report"
	check '! grep -q "plot failed: convergence" "$T/c.html"' "the convergence plot failed"
else
	echo "note: no gnuplot: the convergence plot is not checked"
fi
done_testing
