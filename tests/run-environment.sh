#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# What was measured is what the run says (issue 20, items 7 and 8): the run
# records its environment (host_json, shown by `hvbench show`), fio's and
# iperf3's raw output are artifacts of their samples, fio's target and its file
# system are facts of the cell, the warnings logged during the run are stored
# with it, and compare warns when two runs' kernels differ in command line or
# mitigations.
. "$top_srcdir/tests/lib.sh"
cat > "$T/e.ini" <<'INI'
[experiment]
repetitions = 1
warmup = 0
duration = 20ms
vcpus = 1
[syscall]
INI
"$HVBENCH" run "$T/e.ini" > /dev/null 2> "$T/log" || fail "run failed: $(cat "$T/log")"
fact() { q "select json_extract(host_json, '\$.$1') from runs order by id desc limit 1"; }
for k in kernel_cmdline smt boost microcode mem_total_bytes loadavg_at_start hvbench_commit compiler configure_args; do
	check '[ -n "$(fact $k)" ]' "host fact $k missing: $(q 'select host_json from runs')"
done
check '[ "$(fact kernel_cmdline)" = "$(cat /proc/cmdline)" ]' "kernel_cmdline is not /proc/cmdline"
kb=$(sed -n 's/^MemTotal:[[:space:]]*\([0-9]*\) kB/\1/p' /proc/meminfo)
check '[ "$(fact mem_total_bytes)" = "$((kb * 1024))" ]' "mem_total_bytes $(fact mem_total_bytes), MemTotal $kb kB"
if [ -r /sys/devices/system/cpu/vulnerabilities/meltdown ]; then
	check '[ "$(fact cpu_vulnerabilities.meltdown)" = "$(cat /sys/devices/system/cpu/vulnerabilities/meltdown)" ]' \
		"cpu_vulnerabilities.meltdown: $(fact cpu_vulnerabilities)"
fi
if [ -d "$top_srcdir/.git" ] || [ -f "$top_srcdir/.git" ]; then
	c=$(git -C "$top_srcdir" rev-parse --short=12 HEAD 2>/dev/null || true)
	[ -z "$c" ] || check 'fact hvbench_commit | grep -q "^$c"' "hvbench_commit '$(fact hvbench_commit)' is not HEAD $c"
fi
for p in fio iperf3; do
	if command -v $p > /dev/null; then
		v=$($p --version | sed 1q)
		check '[ "$(fact programs.$p)" = "$v" ]' "programs.$p '$(fact programs.$p)', expected '$v'"
	fi
done
"$HVBENCH" show last > "$T/show" 2>&1 || fail "show failed: $(cat "$T/show")"
for k in kernel_cmdline smt boost microcode loadavg_at_start hvbench_commit compiler configure_args; do
	check 'grep -q "^  $k " "$T/show"' "show does not print $k: $(cat "$T/show")"
done
[ ! -r /sys/devices/system/cpu/vulnerabilities/meltdown ] ||
	check 'grep -q "^  cpu_vulnerabilities.meltdown " "$T/show"' "show does not print the vulnerabilities"

# fio: raw output and the target's file system; a warm-up that fails warns, and
# the warning is stored with the run.
if command -v fio > /dev/null; then
	shm=""
	[ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] && shm=$(mktemp -d /dev/shm/hvb-env.XXXXXX)
	dir=${shm:-$T}
	cat > "$T/f.ini" <<INI
[experiment]
repetitions = 2
warmup = 1
duration = 1s
[fio]
size = 1M
direct = off
ioengine = psync
directory = $dir
[bad]
workload = fio
directory = relative/dir
INI
	"$HVBENCH" run "$T/f.ini" > /dev/null 2> "$T/flog"
	run=$(q "select max(id) from runs")
	cell=$(q "select id from cells where run_id=$run and section='fio'")
	check '[ "$(q "select count(*) from artifacts where cell_id=$cell and name=\"fio.json\" and sample_id is not null")" = 2 ]' \
		"fio.json not stored per sample: $(q "select name, sample_id from artifacts where run_id=$run")"
	check 'q "select data from artifacts where cell_id=$cell and name=\"fio.json\" limit 1" | grep -q "\"fio version\""' \
		"fio.json is not fio's output"
	want=$(findmnt -n -o FSTYPE --target "$dir" 2>/dev/null || true)
	[ -n "$shm" ] && want=tmpfs
	facts=$(q "select data from artifacts where cell_id=$cell and name='facts.json' limit 1")
	[ -z "$want" ] || check 'echo "$facts" | grep -q "\"fio.fs_type\":\"$want\""' "fs type not $want: $facts"
	check 'echo "$facts" | grep -q "\"fio.target\":\"$dir\""' "directory not honoured: $facts"
	"$HVBENCH" show last > "$T/show" 2>&1
	[ -z "$want" ] || check 'grep -q "measured on: fio.fs_type: $want; fio.target: $dir" "$T/show"' "show: $(cat "$T/show")"
	"$HVBENCH" report last --format md > "$T/r.md" 2>&1
	[ -z "$want" ] || check 'grep -q "What the cells measured on" "$T/r.md" && grep -q "fs\\\\_type: $want" "$T/r.md"' "the report does not say $want"
	w=$(q "select data from artifacts where run_id=$run and cell_id is null and name='warnings.log'")
	check 'echo "$w" | grep -q "warning: cell 1 warm-up: .*directory .relative/dir. is not an absolute path"' \
		"warm-up warning not stored: '$w' (stderr: $(cat "$T/flog"))"
	check 'grep -q "warnings logged during the run:" "$T/show" && grep -q "cell 1 warm-up" "$T/show"' "show does not list the warnings"
	[ -z "$shm" ] || rm -rf "$shm"
else
	echo "note: fio is not installed: its artifacts and facts are not checked"
fi

# iperf3: the agent's own warning (the default port held by someone else) goes
# back with its reply and is stored with the run; raw output as artifacts.
if command -v iperf3 > /dev/null && command -v python3 > /dev/null; then
	python3 -c 'import socket,sys,time
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try: s.bind(("127.0.0.1", 5201)); s.listen(1)
except OSError: sys.exit(0)
print("held", flush=True); time.sleep(60)' > "$T/held" &
	holder=$!
	for i in 1 2 3 4 5 6 7 8 9 10; do [ -s "$T/held" ] && break; sleep 0.2; done
	printf '[experiment]\nrepetitions = 1\nwarmup = 0\nduration = 1s\n[iperf3]\n' > "$T/i.ini"
	"$HVBENCH" run "$T/i.ini" > /dev/null 2> "$T/ilog" || fail "iperf3 run: $(cat "$T/ilog")"
	kill "$holder" 2>/dev/null
	run=$(q "select max(id) from runs")
	check '[ "$(q "select count(*) from artifacts where run_id=$run and name=\"iperf3.json\" and sample_id is not null")" = 1 ]' \
		"iperf3.json not stored: $(q "select name from artifacts where run_id=$run")"
	if [ -s "$T/held" ]; then
		w=$(q "select data from artifacts where run_id=$run and cell_id is null and name='warnings.log'")
		check 'echo "$w" | grep -q "cell 0, agent: .* warning: iperf3: port 5201 is in use"' "agent warning not stored: '$w'"
	fi
else
	echo "note: iperf3 or python3 is not installed: its artifacts are not checked"
fi

# compare warns when the kernels differ in command line or mitigations.
a=$(q "select min(id) from runs"); b=$(q "select max(id) from runs")
q "update runs set host_json = json_set(host_json, '\$.kernel_cmdline', 'quiet mitigations=off',
	'\$.cpu_vulnerabilities', json('{\"meltdown\":\"Vulnerable\"}')) where id = $b"
q "update runs set host_json = json_set(host_json, '\$.kernel_cmdline', 'quiet',
	'\$.cpu_vulnerabilities', json('{\"meltdown\":\"Mitigation: PTI\"}')) where id = $a"
"$HVBENCH" compare "$a" "$b" > "$T/c.out" 2>&1
check 'grep -q "warning: the two runs measured different kernel environments: kernel_cmdline .quiet. against .quiet mitigations=off.; cpu_vulnerabilities.meltdown .Mitigation: PTI. against .Vulnerable." "$T/c.out"' \
	"no warning on stderr: $(cat "$T/c.out")"
check 'grep -q "Warning: the two runs measured different kernel environments" "$T/c.out"' "no warning in the report"
"$HVBENCH" compare --format json "$a" "$b" > "$T/c.json" 2>/dev/null
check 'grep -q "\"environment_differs\": *\"kernel_cmdline" "$T/c.json"' "no environment_differs in the JSON"
done_testing
