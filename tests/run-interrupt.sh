#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Ctrl-C ends a run cleanly with what it measured kept; --resume finishes it.
. "$top_srcdir/tests/lib.sh"

cat > "$T/long.ini" <<'INI'
[experiment]
repetitions = 4
warmup = 0
duration = 200ms
placement = none, local
[memlat]
sizes = 16K
[again]
workload = memlat
sizes = 32K
INI
"$HVBENCH" run "$T/long.ini" > "$T/out" 2> "$T/log" &
pid=$!
# Wait until some samples are stored, then interrupt as a terminal would.
for i in $(seq 1 100); do
	[ -e "$HVBENCH_DB" ] && [ "$(q "select count(*) from samples where status='ok'" 2>/dev/null)" -ge 3 ] 2>/dev/null && break
	sleep 0.1
done
kill -INT $pid
wait $pid; rc=$?
check '[ $rc = 130 ]' "interrupted run exit $rc"
check '[ "$(q "select status from runs")" = interrupted ]' "status $(q "select status from runs")"
kept=$(q "select count(*) from samples where status='ok'")
check '[ "$kept" -ge 3 ] && [ "$kept" -lt 16 ]' "kept $kept samples"
check '! agents_left' "agents left behind"
"$HVBENCH" run --resume 1 > "$T/out2" 2> "$T/log2"; rc=$?
check '[ $rc = 0 ]' "resume exit $rc: $(cat "$T/log2")"
check '[ "$(q "select status from runs")" = done ]' "resumed status"
check '[ "$(q "select count(*) from samples where status='\''ok'\'' and rep >= 0")" = 16 ]' "all 16 samples after resume: $(q "select count(*) from samples where status='ok'")"
check '[ "$(q "select count(*) from runs")" = 1 ]' "resume made a new run"
done_testing
