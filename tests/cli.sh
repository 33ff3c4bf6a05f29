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
# A single-value option given twice is refused (getopt lets the last win without a
# word: two --shard ran the second shard only), in every command; what repeats by
# design (--set, --label per config) still does.
printf '[experiment]\nrepetitions = 1\nwarmup = 0\nduration = 10ms\n[memlat]\nsizes = 16K\n' > "$T/q.ini"
while IFS='|' read -r cmd opt args; do
	# shellcheck disable=SC2086
	(cd "$T" && "$HVBENCH" $args > out 2> err); rc=$?
	check '[ $rc = 2 ] && grep -q "^hvbench $cmd: $opt given twice$" "$T/err"' "$args: exit $rc: $(cat "$T/err")"
done <<'EOF2'
run|--shard|run --shard 1/2 --shard 2/2 q.ini
run|--db|run --dry-run --db a.db --db b.db q.ini
gate|--baseline|gate --baseline 1 --baseline 3 --candidate 2
report|--output|report --output a.md --output b.txt
report|--output|report -o a.md --output=b.txt
compare|--alpha|compare 1 2 --alpha 0.05 --alpha 0.1
export|--format|export 1 -f json -f csv
history|--db|history --db a.db --db b.db
list|--db|list --db a.db --db b.db
merge|--db|merge --db a.db --db b.db c.db
topo|--vcpus|topo --vcpus 1 --vcpus 2
bench|--backend|bench memlat -b native -b native
trace dump|--domain|trace dump f --domain 1 --domain 2
EOF2
check '[ ! -e "$T/a.md" ] && [ ! -e "$T/b.txt" ] && [ ! -e "$T/a.db" ] && [ ! -e "$T/b.db" ]' "a refused option left a file"
"$HVBENCH" run --dry-run --set memlat.sizes=4K --set memlat.hugepages=on "$T/q.ini" > "$T/out" 2> "$T/err"
check '[ $? = 0 ] && grep -q "sizes=4K hugepages=on" "$T/out"' "two --set: $(cat "$T/err")"
"$HVBENCH" run --dry-run --label a --label b "$T/q.ini" "$T/q.ini" > "$T/out" 2> "$T/err"
check '[ $? = 0 ]' "a --label per config: $(cat "$T/err")"
done_testing
