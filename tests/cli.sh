#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The command table: help, version, and mistakes answered with exit code 2.
. "$top_srcdir/tests/lib.sh"

"$HVBENCH" --version | grep -q "^hvbench [0-9]" || fail "--version"
"$HVBENCH" help > "$T/help" || fail "help exit"
for c in run list show topo help; do
	grep -q "^  $c " "$T/help" || fail "help does not list $c"
done
# the agent is started by the runner, not by people: not listed, still there
check '! grep -q "^  agent " "$T/help"' "help lists the internal agent command"
"$HVBENCH" help agent | grep -q "usage: hvbench agent" || fail "help agent"
"$HVBENCH" help run | grep -q "usage: hvbench run CONFIG" || fail "help run"
"$HVBENCH" rnu 2> "$T/err"; check '[ $? = 2 ]' "unknown command exit"
check 'grep -q "did you mean .run." "$T/err"' "suggestion: $(cat "$T/err")"
"$HVBENCH" help nosuch 2>/dev/null; check '[ $? = 2 ]' "help of an unknown command"
"$HVBENCH" run 2>/dev/null; check '[ $? = 2 ]' "run without a config"
"$HVBENCH" run --bogus x.ini 2>/dev/null; check '[ $? = 2 ]' "run with an unknown option"
"$HVBENCH" run /nonexistent.ini 2> "$T/err"; check '[ $? = 2 ]' "missing config"
check 'grep -q "/nonexistent.ini: cannot open" "$T/err"' "missing config message: $(cat "$T/err")"
"$HVBENCH" show last 2> "$T/err"; check '[ $? != 0 ]' "show with no database"
"$HVBENCH" topo > "$T/topo" || fail "topo"
check 'grep -q "NUMA nodes: [1-9]" "$T/topo" && grep -q "^  local " "$T/topo"' "topo: $(cat "$T/topo")"
"$HVBENCH" topo --topology "synthetic:pack:2 numa:1 core:2 pu:1" --vcpus 2 > "$T/topo2" || fail "synthetic topo"
check 'grep -q "remote     remote: CPUs 0-1; memory bind to node 1" "$T/topo2"' "synthetic remote: $(cat "$T/topo2")"
"$HVBENCH" help memlat > "$T/hm" || fail "help memlat"
check 'grep -q "^  sizes " "$T/hm" && grep -q "lat_ns" "$T/hm" && grep -q "on this host: supported" "$T/hm"' "help memlat: $(cat "$T/hm")"
"$HVBENCH" help experiment | grep -q "^  placement " || fail "help experiment"
"$HVBENCH" help xen | grep -q "not supported: xen:" || fail "help xen says why it is not supported"
done_testing
