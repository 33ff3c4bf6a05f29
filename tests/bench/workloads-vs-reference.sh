#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Benchmark (not a test): hvbench workloads next to an established counterpart,
# run in one go on the same machine, each through `hvbench agent` as the runner
# runs them. Prints both figures in the same unit and their difference.
#   ipc      vs perf bench sched messaging   (seconds per run, median of REPS)
#   syscall  vs perf bench syscall basic     (ns per getppid)
#   membw    vs perf bench mem memcpy        (bytes copied per second, 10^9 B/s)
#   fio      vs fio run directly, same job   (IOPS, clat p99)
# usage: tests/bench/workloads-vs-reference.sh   (from a built tree; REPS=5 by default)
here=$(cd "$(dirname "$0")/../.." && pwd)
top_srcdir=${top_srcdir:-$here} top_builddir=${top_builddir:-$here}
. "$top_srcdir/tests/wl-lib.sh"
. "$top_srcdir/tests/bench/wl-bench-lib.sh"
REPS=${REPS:-5}
[ -x "$WLTEST" ] || { echo "build tests/wl-test first: make tests/wl-test" >&2; exit 2; }

row() { awk -v w="$1" -v h="$2" -v r="$3" -v u="$4" 'BEGIN {
	d = (h != "" && r != "" && r + 0 != 0) ? sprintf("%+.1f%%", 100 * (h / r - 1)) : "n/a"
	printf "%-34s %14s %14s %-8s %8s\n", w, h == "" ? "-" : sprintf("%.4g", h), r == "" ? "-" : sprintf("%.4g", r), u, d }'; }
printf "%-34s %14s %14s %-8s %8s\n" "workload (reference)" "hvbench" "reference" "unit" "diff"

if command -v perf >/dev/null 2>&1; then
	for v in "socket process::" "pipe process:-p:transport=pipe" "socket thread:-t:mode=thread"; do
		name=${v%%:*} rest=${v#*:} popt=${rest%%:*} hopt=${rest#*:}
		h=$(for i in $(seq "$REPS"); do hvb_metric run_s ipc -d 0.01 -s "$i" $hopt; done | median)
		r=$(for i in $(seq "$REPS"); do perf bench sched messaging $popt 2>/dev/null | awk '/Total time/ { print $3 }'; done | median)
		row "ipc $name (sched messaging $popt)" "$h" "$r" "s/run"
	done
	if perf bench syscall basic >/dev/null 2>&1; then
		h=$(for i in $(seq 3); do hvb_metric getppid_ns syscall -d 2 calls=getppid; done | median)
		r=$(for i in $(seq 3); do perf bench syscall basic 2>/dev/null | awk '/usecs\/op/ { print $1 * 1000 }'; done | median)
		row "syscall getppid (syscall basic)" "$h" "$r" "ns"
	else
		echo "perf bench syscall basic: not in this perf ($(perf version 2>/dev/null))"
	fi
	# STREAM copy counts read + write bytes: half of it were copied. perf prints GiB/s.
	h=$(for i in $(seq 3); do hvb_metric copy_gbs membw -d 2 kernels=copy threads=1 size=256M; done | median)
	r=$(for i in $(seq 3); do perf bench mem memcpy -f default -s 256MB -l 10 2>/dev/null | awk '/GB\/sec/ { print $1 * 1.073741824 }'; done | median)
	row "membw copy, 1 thread (mem memcpy)" "$(awk -v h="$h" 'BEGIN { if (h != "") print h / 2 }')" "$r" "GB/s"
else
	echo "perf is not installed (Debian: linux-perf): no perf rows"
fi

if command -v fio >/dev/null 2>&1; then
	job="rw=randread bs=4K iodepth=16 numjobs=1 size=256M runtime=5 direct=on ioengine=libaio"
	wl_agent fio -d 5 $job >/dev/null 2>&1 || echo "hvbench fio: $(cat "$WLOUT")" >&2
	hi=$(m iops) hp=$(m clat_us.p99)
	f="$WLSCRATCH/fio-direct"
	out=$(fio --name=hvbench --output-format=json --group_reporting --time_based --filename="$f" --rw=randread \
		--bs=4096 --iodepth=16 --numjobs=1 --size=268435456 --runtime=5 --direct=1 --ioengine=libaio --randseed=1 2>/dev/null)
	rm -f "$f"
	ri=$(printf '%s' "$out" | awk -F: '/"iops" :/ { gsub(/[ ,]/, "", $2); print $2; exit }')
	rp=$(printf '%s' "$out" | awk -F: '/"99.000000" :/ { gsub(/[ ,]/, "", $2); print $2 / 1000; exit }')
	row "fio randread 4K qd16 (fio)" "$hi" "$ri" "IOPS"
	row "fio randread clat p99 (fio)" "$hp" "$rp" "us"
else
	echo "fio is not installed: no fio row"
fi
