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

# A hang-up (the terminal closed, the ssh session dropped) ends the run as Ctrl-C
# does: what it measured kept, the run marked interrupted, exit 130.
# A shell cannot un-ignore a signal ignored when it started (nohup make check).
if [ $(( 0x$(sed -n 's/^SigIgn:[[:space:]]*//p' /proc/$$/status) & 1 )) = 1 ]; then
	echo "SIGHUP is ignored by whoever started this test: its part is not run"
else
	"$HVBENCH" run --db "$T/hup.db" "$T/long.ini" > "$T/out3" 2> "$T/log3" &
	pid=$!
	for i in $(seq 1 100); do
		[ "$(sqlite3 "$T/hup.db" "select count(*) from samples where status='ok'" 2>/dev/null)" -ge 2 ] 2>/dev/null && break
		sleep 0.1
	done
	kill -HUP $pid
	wait $pid; rc=$?
	check '[ $rc = 130 ]' "hung-up run exit $rc"
	check '[ "$(sqlite3 "$T/hup.db" "select status from runs")" = interrupted ]' \
		"hung-up run's status $(sqlite3 "$T/hup.db" "select status from runs")"
	check '[ "$(sqlite3 "$T/hup.db" "select count(*) from samples where status='\''ok'\''")" -ge 2 ]' \
		"hung-up run kept its samples"
	check '! agents_left' "agents left behind by a hung-up run"
fi
done_testing
