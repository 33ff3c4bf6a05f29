#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Nothing a sample starts outlives it: fio and iperf3 (client and server) end
# with their sample when it times out, when the run is interrupted (SIGINT), and
# when the agent gets SIGTERM or SIGKILL; no scratch file is left, the port is
# free, and the next sample runs. The scratch directory's path holds a ':' (fio
# splits file names there): the file of that name beside it is left alone.
. "$top_srcdir/tests/lib.sh"
command -v fio >/dev/null || skip "the fio program is not installed"
command -v iperf3 >/dev/null || skip "the iperf3 program is not installed"
# Processes this test started, found by the tag every agent inherits (and the
# programs they start), not by name: agents, supervisors, fio, iperf3.
ours() {
	for e in $(grep -l "HVB_TEST_TAG=$T" /proc/[0-9]*/environ 2>/dev/null); do
		c=$(tr '\0' ' ' < "${e%environ}cmdline" 2>/dev/null)
		case "$c" in *fio\ *|*iperf3\ *|hvbench\ agent*) echo "${e%/environ}: $c" ;; esac
	done
}
# Waits (up to 60 s: the supervisors' grace is 2 s) for them to be gone.
settled() {
	for i in $(seq 1 600); do
		[ -z "$(ours)" ] && return 0
		sleep 0.1
	done
	return 1
}
# Waits for a process of ours whose command line holds $1.
started() {
	for i in $(seq 1 300); do
		ours | grep -q -- "$1" && return 0
		sleep 0.1
	done
	return 1
}
# The workload's own process, not the version probe a run starts with (fio --version):
# a SIGINT to a script's background job before hvbench handles it is ignored (POSIX).
job() { case $1 in fio) echo 'fio --name=hvbench' ;; iperf3) echo 'iperf3 --json' ;; esac; }
# Whether process $1 has its SIGINT handler in place (bit 2 of SigCgt): a script's
# background job starts with SIGINT ignored, until hvbench installs its own.
catches_int() {
	for i in $(seq 1 100); do
		m=$(awk '/^SigCgt:/ {print $2}' "/proc/$1/status" 2>/dev/null)
		[ -n "$m" ] && [ $((0x${m#"${m%??}"} & 2)) != 0 ] && return 0
		sleep 0.05
	done
	return 1
}
listening() { awk -v p="$(printf '%04X' "$1")" '$2 ~ ":"p"$" && $4 == "0A" { f = 1 } END { exit !f }' /proc/net/tcp /proc/net/tcp6 2>/dev/null; }
clean() { # WHAT: nothing left
	check 'settled' "$1: processes left: $(ours)"
	check '[ -z "$(ls -A "$SCRATCH")" ]' "$1: scratch files left: $(ls -AR "$SCRATCH")"
	check '[ "$(cat "$T/scr")" = precious ]' "$1: the file $T/scr was written over"
}
SCRATCH="$T/scr:atch"
mkdir "$SCRATCH"
echo precious > "$T/scr"
export TMPDIR="$SCRATCH"
port=$((20000 + $$ % 20000))
fio_req='{"v":1,"op":"run","workload":"fio","params":{"size":"8M","rw":"randread","ioengine":"psync","direct":"off","numjobs":"2","runtime":"60s"},"duration":1,"seed":1,"ncpus":1}'
iperf_req='{"v":1,"op":"run","workload":"iperf3","params":{"duration":"60s"},"duration":1,"seed":1,"ncpus":1,"peer_port":'$port'}'

# ---- the sample times out (hvbench run); the next cells' samples run ----
cat > "$T/timeout.ini" <<'INI'
[experiment]
repetitions = 1
warmup = 0
duration = 1s
timeout = 4s
[fio]
size = 8M
rw = randread
ioengine = psync
direct = off
numjobs = 2
runtime = 60s
[iperf3]
duration = 60s
[fio-next]
workload = fio
size = 8M
ioengine = psync
direct = off
[iperf3-next]
workload = iperf3
INI
"$HVBENCH" run "$T/timeout.ini" > "$T/out" 2> "$T/log"
clean timeout
check '[ "$(q "select count(*) from samples where status='\''timeout'\''")" = 2 ]' \
	"timeout: 2 samples timed out: $(q "select status, reason from samples")"
check '[ "$(q "select count(*) from samples where status='\''ok'\''")" = 2 ]' \
	"timeout: the next 2 samples ran: $(q "select status, reason from samples")"

# ---- Ctrl-C during a sample (hvbench run); the sample is long, so that the
# signal cannot arrive as it ends (a sample finished and stored is no interruption) ----
for wl in fio iperf3; do
	rm -f "$HVBENCH_DB"*
	printf '[experiment]\nrepetitions = 1\nwarmup = 0\nduration = 60s\ntimeout = 120s\n' > "$T/int.ini"
	sed -n "/^\[$wl\]/,/^\[$wl-next\]/p" "$T/timeout.ini" | sed '$d' >> "$T/int.ini"
	"$HVBENCH" run "$T/int.ini" > "$T/out" 2> "$T/log" &
	pid=$!
	check "started '$(job $wl)'" "SIGINT: $wl did not start: $(cat "$T/log")"
	check "catches_int $pid" "SIGINT: hvbench run ($pid) does not catch SIGINT: $(grep Sig /proc/$pid/status 2>&1)"
	[ $wl = iperf3 ] && check "started 'iperf3 -s'" "SIGINT: no iperf3 server"
	kill -INT $pid
	wait $pid; rc=$?
	check '[ $rc = 130 ]' "SIGINT during $wl: exit $rc"
	clean "SIGINT during $wl"
done

# ---- SIGKILL to the runner (kill -9, the OOM killer): its agent and fio go too,
# not when fio's runtime is over ----
rm -f "$HVBENCH_DB"*
printf '[experiment]\nrepetitions = 1\nwarmup = 0\nduration = 1s\ntimeout = 120s\n' > "$T/kill.ini"
sed -n "/^\[fio\]/,/^\[iperf3\]/p" "$T/timeout.ini" | sed -e '$d' -e 's/^runtime = 60s$/runtime = 600s/' >> "$T/kill.ini"
"$HVBENCH" run "$T/kill.ini" > "$T/out" 2> "$T/log" &
pid=$!
check "started '$(job fio)'" "SIGKILL to the runner: fio did not start: $(cat "$T/log")"
kill -KILL $pid
wait $pid
clean "SIGKILL to the runner during fio"
for p in $(ours | cut -d: -f1); do kill -KILL "${p#/proc/}"; done # what a failure left

# ---- an agent killed between mkdtemp and the directory's mark: the next agent removes the empty
# directory (a CI run saw it left), and leaves a non-empty unmarked one and a live agent's alone ----
sh -c 'exit 0' & dead=$!; wait $dead
mkdir "$SCRATCH/hvbench-scratch.$dead.AAAAAA" "$SCRATCH/hvbench-scratch.$dead.BBBBBB" "$SCRATCH/hvbench-scratch.$$.CCCCCC"
# and a marked one holding more entries than one getdents64 buffer returns: removed whole
mkdir "$SCRATCH/hvbench-scratch.$dead.DDDDDD"
: > "$SCRATCH/hvbench-scratch.$dead.DDDDDD/.hvbench-scratch"
(cd "$SCRATCH/hvbench-scratch.$dead.DDDDDD" && seq -f "fio.data.%04g.with-a-long-name-to-fill-the-buffer" 1 600 | xargs touch)
echo keep > "$SCRATCH/hvbench-scratch.$dead.BBBBBB/not-ours"
echo '{"v":1,"op":"hello"}' | "$HVBENCH" agent > "$T/reply" 2>&1
check '[ ! -e "$SCRATCH/hvbench-scratch.$dead.AAAAAA" ]' "an empty unmarked scratch directory of a dead agent was left"
check '[ ! -e "$SCRATCH/hvbench-scratch.$dead.DDDDDD" ]' \
	"a dead agent's scratch directory of 601 entries was left with $(ls -A "$SCRATCH/hvbench-scratch.$dead.DDDDDD" 2>/dev/null | wc -l)"
check '[ -s "$SCRATCH/hvbench-scratch.$dead.BBBBBB/not-ours" ] && [ -d "$SCRATCH/hvbench-scratch.$$.CCCCCC" ]' \
	"a directory that is not surely ours was removed"
rm -rf "$SCRATCH"/hvbench-scratch.*

# ---- SIGTERM and SIGKILL to the agent ----
mkfifo "$T/in"
for sig in TERM KILL; do
	for wl in fio iperf3; do
		[ $wl = fio ] && req=$fio_req || req=$iperf_req
		"$HVBENCH" agent < "$T/in" > "$T/reply" 2>&1 &
		agent=$!
		exec 3> "$T/in"
		echo "$req" >&3
		# the workload's own process: 'fio ' alone also matched the version probe the agent runs
		# first, and a SIGKILL there, before the program's supervisor exists, leaves the scratch
		# directory to the next agent's sweep (checked below), not to this check
		check "started '$(job $wl)'" "SIG$sig: $wl did not start"
		kill -$sig $agent
		wait $agent
		exec 3>&-
		clean "SIG$sig to the agent during $wl"
		check '! listening $port' "SIG$sig to the agent during $wl: port $port still taken"
		echo "$req" | sed -e 's/"60s"/"auto"/' | "$HVBENCH" agent > "$T/reply" 2>&1
		check 'grep -q "\"ok\":true" "$T/reply"' "SIG$sig: the next $wl sample: $(cat "$T/reply")"
		clean "the $wl sample after SIG$sig"
	done
done
done_testing
