#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Benchmark (not a test): the harness's own cost on an experiment file, as the
# wall time of `hvbench run` against the time its agents spent inside
# workloads (samples and warm-ups alike). Goal for configs/quickstart.ini: < 5%.
# usage: tests/bench/harness-overhead.sh [CONFIG] [HVBENCH]
set -eu
cfg=${1:-configs/quickstart.ini}
hv=${2:-./hvbench}
db=$(mktemp -u /tmp/hvb-overhead.XXXXXX.db)
trap 'rm -f "$db" "$db-wal" "$db-shm"' EXIT
t0=$(date +%s.%N)
"$hv" run --db "$db" "$cfg" > /dev/null 2>&1
t1=$(date +%s.%N)
inside=$(sqlite3 "$db" "select coalesce(sum(workload_s), 0) from samples")
roundtrip=$(sqlite3 "$db" "select coalesce(sum(wall_s), 0) from samples")
n=$(sqlite3 "$db" "select count(*) from samples")
awk -v t0="$t0" -v t1="$t1" -v in_="$inside" -v rt="$roundtrip" -v n="$n" -v cfg="$cfg" 'BEGIN {
	wall = t1 - t0
	printf "experiment            %s\n", cfg
	printf "samples (incl warm-up) %d\n", n
	printf "wall time of the run   %.3f s\n", wall
	printf "inside workloads       %.3f s\n", in_
	printf "request round trips    %.3f s (%.2f ms per sample above the workload)\n", rt, n ? (rt - in_) * 1000 / n : 0
	printf "harness overhead       %.2f%%   (goal: under 5%%)\n", 100 * (wall - in_) / wall
}'
