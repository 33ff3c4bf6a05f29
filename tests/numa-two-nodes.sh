#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The comparison the NUMA meeting asked for, measured: local, remote, auto and
# random draws on a host of two NUMA nodes or more, and the report's part that
# sets them side by side with auto's share of the optimised gain.
. "$top_srcdir/tests/lib.sh"
nodes=$(ls -d /sys/devices/system/node/node[0-9]* 2>/dev/null | wc -l)
[ "$nodes" -ge 2 ] || skip "needs 2 NUMA nodes, this host has $nodes: remote placement cannot be made here (the planner is tested on 2-, 4- and 8-node topologies in unit-guests)"
cat > "$T/n.ini" <<'INI'
[experiment]
repetitions = 6
warmup = 0
duration = 50ms
placement = local, remote, auto, random
random_draws = 3
[memlat]
sizes = 16M
INI
"$HVBENCH" run "$T/n.ini" > /dev/null 2> "$T/log" || fail "run failed: $(cat "$T/log")"
check '[ "$(q "select count(*) from cells where status = \"done\"")" = 4 ]' "cells: $(q "select key, status, reason from cells")"
"$HVBENCH" report --format json --output "$T/r.json" 2> "$T/log" || fail "report: $(cat "$T/log")"
check 'grep -q "\"auto_share\"" "$T/r.json"' "no auto share in the report"
check 'grep -q "\"draws\": 3" "$T/r.json"' "random is not three draws"
"$HVBENCH" report 2>/dev/null | grep -q "Randomised" || fail "the text report has no NUMA part"
done_testing
