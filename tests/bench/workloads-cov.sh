#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Benchmark (not a test): run-to-run noise of each micro-benchmark. Every
# workload runs REPS times (10 by default), one `hvbench agent` request of
# DURATION seconds each (1 s, the runner's default), and the coefficient of
# variation (sd / mean) of each judged metric is printed. Goal on an idle
# machine: 2% or less. Meant for an idle machine; the load average is printed
# with the figures because they mean little without it.
# usage: tests/bench/workloads-cov.sh [WORKLOAD...]
here=$(cd "$(dirname "$0")/../.." && pwd)
top_srcdir=${top_srcdir:-$here} top_builddir=${top_builddir:-$here}
. "$top_srcdir/tests/wl-lib.sh"
. "$top_srcdir/tests/bench/wl-bench-lib.sh"
REPS=${REPS:-10} DURATION=${DURATION:-1}
[ -x "$WLTEST" ] || { echo "build tests/wl-test first: make tests/wl-test" >&2; exit 2; }
ACC=$(mktemp "${TMPDIR:-/tmp}/hvb-cov.XXXXXX")
trap 'rm -rf "$WLOUT" "$WLSCRATCH" "$ACC"' EXIT

# name and parameters of each case; the same parameters every repetition
cases='memlat sizes=16K,256K,4M,64M
membw threads=auto
syscall
spinlock kind=ticket
spinlock kind=mcs
spinlock kind=pthread-mutex
pgfault
ipc
wakeup'
[ $# -gt 0 ] && cases=$(printf '%s\n' "$cases" | grep -E "^($(echo "$@" | tr ' ' '|'))( |$)")

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs; $REPS x ${DURATION}s per case"
printf "%-32s %-26s %14s %8s  %s\n" "case" "metric" "median" "CoV %" "min..max"
printf '%s\n' "$cases" | while read -r wl params; do
	: >"$ACC"
	for i in $(seq "$REPS"); do
		if wl_agent "$wl" -d "$DURATION" -s "$i" $params 2>/dev/null; then
			cat "$WLOUT" >>"$ACC"
		else
			echo "$wl $params: $(cat "$WLOUT")" >&2
		fi
	done
	for metric in $(awk '$4 != "info" && !seen[$1]++ { print $1 }' "$ACC"); do
		vals=$(awk -v n="$metric" '$1 == n { print $2 }' "$ACC")
		printf "%-32s %-26s %14.5g %8s  %s\n" "$wl $params" "$metric" "$(printf '%s\n' "$vals" | median)" \
			"$(printf '%s\n' "$vals" | cov)" "$(printf '%s\n' "$vals" | sort -g | awk 'NR == 1 { a = $1 } { b = $1 } END { printf "%.4g..%.4g", a, b }')"
	done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
