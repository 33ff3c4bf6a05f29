#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# On this machine: the agent runs with the affinity and memory policy its cell
# asked for, as the agent itself reports and as /proc shows from outside.
. "$top_srcdir/tests/lib.sh"

cat > "$T/p.ini" <<'INI'
[experiment]
repetitions = 1
warmup = 0
duration = 20ms
placement = local, none, random
vcpus = 1
[memlat]
sizes = 16K
INI
"$HVBENCH" run "$T/p.ini" > /dev/null 2> "$T/log" || fail "run failed: $(cat "$T/log")"
pj() { q "select placement_json from cells where placement='$1'"; }
check '[ "$(q "select status from cells where placement=\"local\"")" = done ]' "local cell: $(q "select status, reason from cells")"
local_json=$(pj local)
check 'echo "$local_json" | grep -q "\"plan\":{\"kind\":\"local\",\"cpus\":\"0\",\"mem_nodes\":\"0\",\"mempolicy\":\"bind\""' "plan: $local_json"
check 'echo "$local_json" | grep -q "\"cpus\":\"0\",\"mempolicy\":\"bind\",\"mem_nodes\":\"0\""' "agent's own report: $local_json"
check 'echo "$local_json" | grep -q "\"cpus_allowed\":\"0\""' "/proc readback: $local_json"
# none: no NUMA binding, but exactly vcpus CPUs (the first allowed one here),
# as the plan, the agent and /proc all say: it ran on every CPU against local's 1.
none_json=$(pj none)
first=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' /proc/$$/status | sed 's/[-,].*//')
check '[ "$(q "select status from cells where placement=\"none\"")" = done ]' "none cell: $(q "select status, reason from cells where placement='none'")"
check 'echo "$none_json" | grep -q "\"plan\":{\"kind\":\"none\",\"cpus\":\"$first\",\"mem_nodes\":\"none\",\"mem_note\":\"no NUMA binding: the first 1 allowed CPU"' "none plan: $none_json"
check 'echo "$none_json" | grep -q "\"cpus\":\"$first\",\"mempolicy\":\"default\""' "none: the agent's own report: $none_json"
check 'echo "$none_json" | grep -q "\"cpus_allowed\":\"$first\""' "none runs on exactly CPU $first: $none_json"
check '[ "$(q "select status from cells where placement=\"random\"")" = done ]' "random cell"
check 'pj random | grep -q "\"seed\":"' "random placement records its seed"
done_testing
