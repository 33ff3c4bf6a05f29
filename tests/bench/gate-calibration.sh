#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Benchmark (not a test): the error rates of `hvbench gate` from real runs on
# this machine, against the rules of other harnesses applied to the same samples.
#  - A/A: the same build measured twice, PAIRS times: the share of judged metrics
#    the gate calls a regression (false positives; goal <= 1%).
#  - Detection: the baseline against runs with extra_work = 0.05 (5% more work
#    per counted operation, inside the timed region): the share of metrics
#    caught (goal >= 95% at 10 repetitions).
# Each figure twice: over the PAIRS back-to-back pairs of runs, and over all
# pairs of runs (every ordered pair of the 2 x PAIRS baseline runs for A/A, every
# baseline run against every slow run), which judges the same runs far more often
# and across the minutes that separate them, so a drift of the machine shows.
# Rules: hvbench (Mann-Whitney, Holm, minimum effect = --max-regression),
# ci-overlap (mmtests: 95% t intervals of the means do not overlap) and minmax
# (LKP: the [min, max] ranges do not overlap); each also needs the change to
# reach --max-regression, so only the rule differs.
# The load of the machine is noted around every run (QEMU labs running before
# and after it, load average) and printed with the figures: they mean little
# without it. QUIET=1 waits before each run until no QEMU lab (qemu-system) runs
# (at most QUIET_MAX seconds in all, default 3600) and runs again a run during
# which one started.
# usage: tests/bench/gate-calibration.sh [PAIRS] [HVBENCH] [MAX_REGRESSION_PCT]
# (taskset -c CPU tests/bench/gate-calibration.sh ... pins every run to one CPU)
# DESIGN=interleaved (default) runs each triple aN bN sN as one `hvbench run` of
# three configs whose cells take turns, one sample each; DESIGN=sequential runs
# them one after the other, as three runs. PLACEMENT (default local: the
# workloads on one CPU, the same for every run) is the experiment's placement,
# DURATION (default 200ms) the time of one sample, REPS (default 10) the
# repetitions per cell; ALL_PAIRS=0 leaves out the all-pairs counts (slow).
set -eu
pairs=${1:-10}
hv=${2:-./hvbench}
maxreg=${3:-3}
dir=$(mktemp -d /tmp/hvb-calibration.XXXXXX)
[ -n "${KEEP:-}" ] && echo "keeping $dir" >&2 || trap 'rm -rf "$dir"' EXIT
db="$dir/cal.db"
design=${DESIGN:-interleaved}
placement=${PLACEMENT:-local}
duration=${DURATION:-200ms}
reps=${REPS:-10}
case $design in interleaved | sequential) ;; *) echo "DESIGN must be interleaved or sequential" >&2; exit 2 ;; esac

config() { # EXTRA_WORK
	cat <<EOC
[experiment]
name = gate-calibration
repetitions = $reps
warmup = 1
duration = $duration
timeout = 30s
backends = native
placement = $placement
vcpus = 1

[syscall]
calls = getppid, read-small
extra_work = $1

[memlat]
sizes = 16K, 1M
extra_work = $1
EOC
}
config 0 > "$dir/base.ini"
config 0.05 > "$dir/slow.ini"

echo "gate calibration: $pairs pairs, $reps repetitions per cell, --max-regression $maxreg%, design $design," \
	"placement $placement, samples of $duration, $(nproc) CPUs," \
	"allowed: $(awk '/Cpus_allowed_list/ { print $2 }' /proc/self/status)" >&2
quiet=${QUIET:-0} quiet_left=${QUIET_MAX:-3600} redone=0
labs() { pgrep -c qemu-system || true; }
# one run, its load noted: QEMU processes before and after, 1-minute load average
one_run() { # LABEL INI [LABEL INI]...: one run, or several whose cells take turns
	labels='' inis='' n=0
	while [ $# -gt 0 ]; do labels="$labels --label $1"; inis="$inis $2"; n=$((n + 1)); shift 2; done
	while :; do
		while [ "$quiet" = 1 ] && [ "$(labs)" -gt 0 ] && [ "$quiet_left" -gt 0 ]; do
			sleep 5
			quiet_left=$((quiet_left - 5))
		done
		before=$(labs)
		# shellcheck disable=SC2086 # labels and paths are ours, without spaces
		"$hv" run --db "$db" $labels $inis > /dev/null 2>&1
		after=$(labs)
		# the gate takes the latest run of a label: a run again replaces it
		if [ "$quiet" = 1 ] && [ "$before" = 0 ] && [ "$after" -gt 0 ] && [ "$quiet_left" -gt 0 ]; then
			redone=$((redone + 1))
			continue
		fi
		for _ in $(seq "$n"); do echo "$before $after $(cut -d' ' -f1 /proc/loadavg)" >> "$dir/load"; done
		return
	done
}
started=$(date -u +%H:%M:%S)
i=0
while [ $i -lt "$pairs" ]; do
	if [ "$design" = interleaved ]; then
		one_run "a$i" "$dir/base.ini" "b$i" "$dir/base.ini" "s$i" "$dir/slow.ini"
	else
		one_run "a$i" "$dir/base.ini"
		one_run "b$i" "$dir/base.ini"
		one_run "s$i" "$dir/slow.ini"
	fi
	i=$((i + 1))
	printf '\r  runs: %d of %d' $((3 * i)) $((3 * pairs)) >&2
done
echo >&2

# judged and regressed test cases of one gate, from its JUnit file; each
# regressed metric's name is appended to $dir/caught.RULE.KIND
count() { # BASE CAND RULE KIND -> "judged regressed"
	"$hv" gate --db "$db" --baseline "$1" --candidate "$2" --rule "$3" --max-regression "$maxreg" --ignore-param extra_work \
		--junit "$dir/j.xml" --format json --output /dev/null > /dev/null 2>&1 || true
	awk -F'"' '/<testcase .*type="regression"/ { print $4 }' "$dir/j.xml" >> "$dir/caught.$3.$4"
	awk '/<testsuite /{
		for (i = 1; i <= NF; i++) { split($i, kv, "="); gsub(/[">]/, "", kv[2]); v[kv[1]] = kv[2] }
		print v["tests"] - v["skipped"] - v["errors"], v["failures"] }' "$dir/j.xml"
}

# the comparisons of one kind, one "BASE CAND" a line
comparisons() { # aa | slow | aa-all | slow-all
	i=0
	while [ $i -lt "$pairs" ]; do
		case $1 in
		aa) echo "a$i b$i"; echo "b$i a$i" ;;
		slow) echo "a$i s$i" ;;
		aa-all | slow-all)
			j=0
			while [ $j -lt "$pairs" ]; do
				if [ $1 = aa-all ]; then
					for x in a b; do for y in a b; do
						[ "$x$i" = "$y$j" ] || echo "$x$i $y$j"
					done; done
				else
					echo "a$i s$j"; echo "b$i s$j"
				fi
				j=$((j + 1))
			done ;;
		esac
		i=$((i + 1))
	done
}

# "judged regressed" summed over the comparisons of one kind
tally() { # RULE KIND
	comparisons "$2" | while read -r b c; do count "$b" "$c" "$1" "$2"; done |
		awk '{ j += $1; r += $2 } END { print j + 0, r + 0 }'
}

table() { # TITLE AA-KIND SLOW-KIND
	echo "$1"
	aa=$2 slow=$3
	printf '%-11s %-28s %-28s\n' rule "A/A false positives" "5% slowdown detected"
	for rule in hvbench ci-overlap minmax; do
		set -- $(tally $rule $aa) $(tally $rule $slow)
		awk -v r=$rule -v aj=$1 -v ar=$2 -v sj=$3 -v sr=$4 'BEGIN {
			printf "%-11s %5d / %-5d = %6.2f%%      %5d / %-5d = %6.2f%%\n", r, ar, aj, aj ? 100 * ar / aj : 0,
			       sr, sj, sj ? 100 * sr / sj : 0 }'
	done
}

ncmp() { comparisons "$1" | wc -l | tr -d ' '; }
table "back-to-back pairs ($(ncmp aa) A/A comparisons, $(ncmp slow) with the slowdown, 4 metrics each):" aa slow
echo
[ "${ALL_PAIRS:-1}" = 0 ] || table "all pairs ($(ncmp aa-all) A/A comparisons, $(ncmp slow-all) with the slowdown, 4 metrics each$([ "$design" = interleaved ] &&
	echo "; all but the back-to-back ones measured minutes apart, not interleaved")):" aa-all slow-all
echo "goals: false positives <= 1% of metrics; detection >= 95% (hvbench rule)"
echo
echo "per metric, false positives / detections (back-to-back of $(ncmp aa) and $(ncmp slow); all pairs of $(ncmp aa-all) and $(ncmp slow-all)):"
for rule in hvbench ci-overlap minmax; do
	for m in $(cat "$dir"/caught.* 2>/dev/null | sort -u) ; do
		n() { grep -cx "$m" "$dir/caught.$rule.$1" 2>/dev/null || true; }
		printf '  %-11s %-16s %4d / %4d     %5d / %5d\n' $rule "$m" "$(n aa)" "$(n slow)" "$(n aa-all)" "$(n slow-all)"
	done
done
echo
echo "load: runs from $started to $(date -u +%H:%M:%S) UTC; $(awk '$1 > 0 || $2 > 0' "$dir/load" | wc -l | tr -d ' ') of" \
	"$(wc -l < "$dir/load" | tr -d ' ') runs had a QEMU lab (qemu-system) running when they started or ended;" \
	"1-minute load average after a run $(sort -g -k3 "$dir/load" | awk 'NR == 1 { lo = $3 } { hi = $3 } END { print lo " to " hi }')" \
	"$([ "$quiet" = 1 ] && echo "(QUIET=1: $redone runs run again, a lab having started during them)")"
echo
echo "the injected slowdown as measured inside the slow runs (extra_work.*, median of each run's samples):"
i=0
while [ $i -lt "$pairs" ]; do
	"$hv" compare --db "$db" --ignore-param extra_work "a$i" "s$i" --format json 2>/dev/null |
		awk -F'"' '$2 ~ /^extra_work\./ { n = $2 } n && /"median":/ { split($0, a, ": "); sub(/,$/, "", a[2]); print n, a[2]; n = "" }'
	i=$((i + 1))
done | sort | awk '{ if ($1 != k) { if (k) out(); k = $1; lo = hi = $2 } lo = $2 < lo ? $2 : lo; hi = $2 > hi ? $2 : hi }
	function out() { printf "  %-22s %.4f to %.4f over %s runs\n", k, lo, hi, '"$pairs"' } END { if (k) out() }'
echo
echo "the slowdown as the metrics saw it in pair 0 (change of each metric, candidate against baseline; run-to-run noise included):"
"$hv" compare --db "$db" --ignore-param extra_work a0 s0 --format json 2>/dev/null |
	awk -F'"' '/"name":/ { n = $4 } /"change":/ { split($0, a, ": "); sub(/,$/, "", a[2]); if (a[2] != "null") printf "  %-16s %+.2f%%\n", n, 100 * a[2] }' |
	sort -u
echo

# What the machine allows, whatever the rule: the gate thresholds the change of
# the median, and that change moves between two runs of the same build. If it
# moves with sd s (normal), <= 1% false positives needs a threshold T >= z(.99) s
# and >= 95% detection of +5% needs T <= 5% - z(.95) s: both only when
# s <= 5% / (2.326 + 1.645) = 1.26%. s here is the root mean square of the A/A
# changes of the back-to-back pairs (their mean is 0 for the same build); the
# +5% row says how much of the injected change a metric showed, and how steadily.
echo "what this machine allows: the change of each judged metric between the back-to-back runs (ratio of medians, as the gate judges it; + is worse):"
printf '  %-16s %22s %26s   %s\n' metric "A/A change: rms (n)" "with +5%: mean, sd (n)" "both goals reachable (rms <= 1.26%)?"
i=0
while [ $i -lt "$pairs" ]; do
	for kind in aa slow; do
		[ $kind = aa ] && cand=b$i || cand=s$i
		"$hv" compare --db "$db" --ignore-param extra_work "a$i" "$cand" --format json 2>/dev/null |
			awk -F'"' -v k=$kind '/"name":/ { n = $4 } /"better":/ { b = $4 }
				/"change":/ { split($0, a, ": "); sub(/,$/, "", a[2]);
				if (a[2] != "null" && b != "info") print k, n, (b == "higher" ? -1 : 1) * a[2] }'
	done
	i=$((i + 1))
done | awk '{ x = 100 * log(1 + $3) }
	$1 == "aa" { ss[$2] += x * x; na[$2]++ } $1 == "slow" { s[$2] += x; s2[$2] += x * x; ns[$2]++ }
	END {
		for (m in na) {
			rms = sqrt(ss[m] / na[m]); mu = ns[m] ? s[m] / ns[m] : 0
			sd = ns[m] > 1 ? sqrt((s2[m] - ns[m] * mu * mu) / (ns[m] - 1)) : 0
			printf "  %-16s %15.2f%% (%3d) %15.2f%%, %.2f%% (%3d)   %s\n", m, rms, na[m], mu, sd, ns[m],
			       rms <= 1.26 ? "yes" : sprintf("no: 1%% false positives needs a threshold >= %.1f%%, 95%% detection <= %.1f%%",
							   2.326 * rms, 5 - 1.645 * rms)
		}
	}' | sort
echo "  (log changes; both goals hold together for a rule that thresholds the change only when its sd is <= 1.26%:"
echo "   T >= 2.326 sd for 1% false positives, T <= 5% - 1.645 sd for 95% detection)"
