#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Benchmark (not a test): throughput and peak memory of `hvbench trace summary` on the real
# traces and on a >= 1 GiB trace built from them, and of xenalyze --summary when its path is
# given.  Usage: tests/bench/xentrace-bench.sh [XENALYZE] (from a built tree; BIG_MIB=1024,
# BIG=/tmp/hvbench-big.xentrace).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
hvbench=${HVBENCH:-$top/hvbench}
data=$top/tests/data/xentrace
xenalyze=${1:-}
big=${BIG:-/tmp/hvbench-big.xentrace}
big_mib=${BIG_MIB:-1024}

[ -x "$hvbench" ] || { echo "build hvbench first (make)"; exit 2; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (GNU time) for peak memory"; exit 2; }
if [ -n "$xenalyze" ] && [ -x "$xenalyze" ]; then
	echo "xenalyze: $xenalyze"
else
	echo "xenalyze: absent (pass its path as the first argument to compare); only hvbench is measured"
	xenalyze=
fi

# measure LABEL FILE RECORDS REPS CMD...: MB/s and records/s of CMD (wall time over REPS
# runs, so that small files are timed above the clock's resolution) and its peak RSS.
measure() {
	label=$1 file=$2 records=$3 reps=$4
	shift 4
	bytes=$(stat -c %s "$file")
	/usr/bin/time -f "%M" -o /tmp/hvb-bench-time.$$ "$@" >/dev/null 2>/tmp/hvb-bench-err.$$ ||
		{ printf '%-9s %-34s failed: %s\n' "$label" "$(basename "$file")" "$(grep -m1 -i fatal /tmp/hvb-bench-err.$$ || tail -1 /tmp/hvb-bench-err.$$)"; return; }
	kb=$(tail -1 /tmp/hvb-bench-time.$$)
	t0=$(date +%s%N)
	i=0
	while [ $i -lt "$reps" ]; do "$@" >/dev/null 2>&1; i=$((i + 1)); done
	t1=$(date +%s%N)
	awk -v l="$label" -v f="$(basename "$file")" -v b="$bytes" -v r="$records" -v ns=$((t1 - t0)) -v n="$reps" -v k="$kb" 'BEGIN {
		s = ns / 1e9 / n
		printf "%-9s %-34s %8.1f MB %8.3f s %9.1f MB/s %11.0f rec/s %8.1f MB peak RSS\n",
			l, f, b / 1e6, s, b / 1e6 / s, r / s, k / 1024 }'
	rm -f /tmp/hvb-bench-time.$$ /tmp/hvb-bench-err.$$
}

records_of() { # records decoded, from the summary's JSON
	"$hvbench" trace summary --json "$1" | sed -n 's/^ *"records": \([0-9]*\),*$/\1/p' | head -1
}

run_all() { # FILE REPS
	f=$1
	n=$(records_of "$f")
	measure hvbench "$f" "$n" "$2" "$hvbench" trace summary --cpu-hz 2.1G "$f"
	[ -n "$xenalyze" ] && measure xenalyze "$f" "$n" "$2" "$xenalyze" --summary --svm-mode --cpu-hz=2.1G "$f"
}

echo "host: $(nproc) CPUs, $(sed -n 's/^model name.*: //p' /proc/cpuinfo | head -1)"
for f in "$data"/*.bin; do
	run_all "$f" 20
done
# Big traces: repeated real windows, TSCs shifted.  From the all-classes PV trace (xenalyze
# stops on it: the repetition joins a blocked vCPU to a running one, which its runstate
# checks call FATAL), and from the HVM-class-only trace, which xenalyze reads to the end.
make -C "$top" tests/bench/xentrace-bigtrace >/dev/null || exit 1
for src in fresh-pv-workload-all-5s narrow-hvm-hvmclass-3s; do
	out=$big.$src
	if [ ! -s "$out" ] || [ "$(stat -c %s "$out")" -lt $((big_mib * 1048576)) ]; then
		"$top/tests/bench/xentrace-bigtrace" "$data/$src.bin" "$out" "$big_mib" || exit 1
	fi
	cat "$out" >/dev/null # into the page cache: measure decoding, not the disk
	run_all "$out" 1
done
