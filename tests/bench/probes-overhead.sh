#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Benchmark (not a test): what each probe costs the workload it watches, as the
# change of the workload's own figure with the probe against without, side by
# side with the established tool doing the same job on the same workload in
# the same session: `perf stat -e task-clock,page-faults,context-switches` for
# the perf probe, `perf record -e 'lock:*'` (and the same tracepoints as the
# tracefs probe's defaults) for tracefs. trace-cmd is not used: `trace-cmd
# record` fails on this machine (and is not installed on it).
#
# Every condition is one `hvbench run` of the same plan (native backend, real
# samples in a scratch database); the conditions are interleaved over ROUNDS
# rounds so that drift of the machine spreads over all of them.
# Goals (issue 4): perf under 1%; tracefs lock aggregation under 5% and below
# the established tool's overhead.
# usage: tests/bench/probes-overhead.sh [ROUNDS] [HVBENCH]   (root, for tracefs)
set -eu
rounds=${1:-3}
hv=${2:-./hvbench}
tmp=$(mktemp -d /tmp/hvb-probes-bench.XXXXXX)
db="$tmp/bench.db"
trap 'rm -rf "$tmp"' EXIT

# The plan: three workloads whose figures a probe could disturb: kernel lock
# contention (pthread mutex through futex), cross-CPU wake-ups (sched events on
# every round trip) and the null system call.
plan() { # plan PROBES
	cat <<EOF
[experiment]
name = probes-overhead
repetitions = 5
warmup = 1
duration = 500ms
vcpus = 2
probes = $1

[spinlock]
kind = pthread-mutex
threads = 4

[wakeup]
tests = futex

[syscall]
EOF
}
conditions="none probe:perf tool:perf-stat probe:tracefs tool:perf-record-lock tool:perf-record-same probe:numa probe:steal"
for c in none perf tracefs numa steal; do
	plan "$( [ $c = none ] || echo $c )" >"$tmp/$c.ini"
done

run_condition() { # run_condition CONDITION ROUND
	case "$1" in
	none) "$hv" run --db "$db" --label "$1" "$tmp/none.ini" ;;
	probe:*) "$hv" run --db "$db" --label "$1" "$tmp/${1#probe:}.ini" ;;
	tool:perf-stat) perf stat -e task-clock,page-faults,context-switches -o "$tmp/stat.txt" -- \
		"$hv" run --db "$db" --label "$1" "$tmp/none.ini" ;;
	tool:perf-record-lock) perf record -q -e 'lock:*' -o "$tmp/lock.data" -- \
		"$hv" run --db "$db" --label "$1" "$tmp/none.ini" ;;
	tool:perf-record-same) perf record -q -e 'lock:contention_begin,lock:contention_end,sched:sched_switch,sched:sched_wakeup' \
		-o "$tmp/same.data" -- "$hv" run --db "$db" --label "$1" "$tmp/none.ini" ;;
	esac >/dev/null 2>&1
}

echo "probes-overhead: $rounds rounds of: $conditions" >&2
for r in $(seq "$rounds"); do
	for c in $conditions; do
		echo "  round $r: $c" >&2
		run_condition "$c" "$r" || echo "  (round $r: $c failed)" >&2
	done
done

# The median of a workload figure over every sample of a condition.
median() { # median CONDITION WORKLOAD METRIC
	sqlite3 -batch -noheader "$db" "select m.value from metrics m join samples s on s.id = m.sample_id
		join cells c on c.id = s.cell_id join runs r on r.id = c.run_id
		where r.label = '$1' and c.workload = '$2' and m.name = '$3' and s.status = 'ok' order by m.value" |
		awk '{ v[NR] = $1 } END { if (!NR) print ""; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

printf '%-24s' "condition"
figures="spinlock:acq_per_s:higher wakeup:wake_ns.p50:lower syscall:getppid_ns:lower"
for f in $figures; do printf ' %28s' "$(echo "$f" | cut -d: -f1-2)"; done
printf '\n'
for c in $conditions; do
	printf '%-24s' "$c"
	for f in $figures; do
		wl=$(echo "$f" | cut -d: -f1) metric=$(echo "$f" | cut -d: -f2) better=$(echo "$f" | cut -d: -f3)
		base=$(median none "$wl" "$metric") v=$(median "$c" "$wl" "$metric")
		# overhead: how much worse the figure is than without anything watching
		awk -v b="$base" -v v="$v" -v better="$better" 'BEGIN {
			if (b == "" || v == "" || b == 0 || v == 0) { printf " %28s", "n/a"; exit }
			o = better == "higher" ? (b / v - 1) * 100 : (v / b - 1) * 100
			printf " %14.4g (%+6.2f%%)", v, o }'
	done
	printf '\n'
done
n=$(sqlite3 -batch -noheader "$db" "select count(*) from samples where status = 'ok'")
echo "($n samples; overhead = how much worse the workload's figure is than with nothing watching, medians)"
