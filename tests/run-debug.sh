#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# hvbench -v run: the level reaches the native agent (its argv), whose debug
# messages then reach the run's stderr; without -v the agent says nothing of
# the kind, and with -q it gets -q.
. "$top_srcdir/tests/lib.sh"
cat > "$T/tiny.ini" <<'INI'
[experiment]
repetitions = 2
warmup = 0
duration = 50ms
timeout = 20s
[syscall]
calls = getppid
INI
"$HVBENCH" -v run "$T/tiny.ini" > "$T/out" 2> "$T/v.log"; rc=$?
check '[ $rc = 0 ]' "-v run: exit $rc: $(tail -5 "$T/v.log")"
check 'grep -q "^hvbench: debug: agent [0-9]*: serving requests" "$T/v.log"' "the agent did not log its start at debug level: $(grep debug "$T/v.log" | head -5)"
check 'grep -q "^hvbench: debug: agent [0-9]*: syscall for 0.05 s" "$T/v.log"' "the agent did not log its request"
check 'grep -q "^hvbench: debug: agent [0-9]*: syscall done in" "$T/v.log"' "the agent did not log the sample's end"
"$HVBENCH" run "$T/tiny.ini" > "$T/out" 2> "$T/n.log"; rc=$?
check '[ $rc = 0 ] && ! grep -q "debug" "$T/n.log"' "run without -v: exit $rc, debug messages: $(grep debug "$T/n.log" | head -3)"
"$HVBENCH" -q run "$T/tiny.ini" > "$T/out" 2> "$T/q.log"; rc=$?
check '[ $rc = 0 ] && ! grep -q "debug" "$T/q.log"' "run -q: exit $rc"
check '! agents_left' "agents left running"
done_testing
