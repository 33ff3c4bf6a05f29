#!/bin/sh
# Benchmark (not a test): the error rates of `hvbench gate` from real runs on
# this machine, against the rules of other harnesses applied to the same samples.
#  - A/A: the same build measured twice, PAIRS times: the share of judged metrics
#    the gate calls a regression (false positives; goal <= 1%).
#  - Detection: the baseline against runs with extra_work = 0.05 (5% more work
#    per counted operation, inside the timed region): the share of metrics
#    caught (goal >= 95% at 10 repetitions).
# Rules: hvbench (Mann-Whitney, Holm, minimum effect = --max-regression),
# ci-overlap (mmtests: 95% t intervals of the means do not overlap) and minmax
# (LKP: the [min, max] ranges do not overlap); each also needs the change to
# reach --max-regression, so only the rule differs.
# usage: tests/bench/gate-calibration.sh [PAIRS] [HVBENCH] [MAX_REGRESSION_PCT]
set -eu
pairs=${1:-10}
hv=${2:-./hvbench}
maxreg=${3:-3}
dir=$(mktemp -d /tmp/hvb-calibration.XXXXXX)
[ -n "${KEEP:-}" ] && echo "keeping $dir" >&2 || trap 'rm -rf "$dir"' EXIT
db="$dir/cal.db"

config() { # EXTRA_WORK
	cat <<EOC
[experiment]
name = gate-calibration
repetitions = 10
warmup = 1
duration = 200ms
timeout = 30s
backends = native
placement = none
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

echo "gate calibration: $pairs pairs, 10 repetitions per cell, --max-regression $maxreg%, $(nproc) CPUs" >&2
i=0
while [ $i -lt "$pairs" ]; do
	"$hv" run --db "$db" --label "a$i" "$dir/base.ini" > /dev/null 2>&1
	"$hv" run --db "$db" --label "b$i" "$dir/base.ini" > /dev/null 2>&1
	"$hv" run --db "$db" --label "s$i" "$dir/slow.ini" > /dev/null 2>&1
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

printf '%-11s %-28s %-28s\n' rule "A/A false positives" "5% slowdown detected"
for rule in hvbench ci-overlap minmax; do
	aj=0 ar=0 sj=0 sr=0
	i=0
	while [ $i -lt "$pairs" ]; do
		set -- $(count "a$i" "b$i" $rule aa)
		aj=$((aj + $1)) ar=$((ar + $2))
		set -- $(count "a$i" "s$i" $rule slow)
		sj=$((sj + $1)) sr=$((sr + $2))
		i=$((i + 1))
	done
	awk -v r=$rule -v aj=$aj -v ar=$ar -v sj=$sj -v sr=$sr 'BEGIN {
		printf "%-11s %4d / %-4d = %6.2f%%        %4d / %-4d = %6.2f%%\n", r, ar, aj, aj ? 100 * ar / aj : 0,
		       sr, sj, sj ? 100 * sr / sj : 0 }'
done
echo "goals: false positives <= 1% of metrics; detection >= 95% (hvbench rule)"
echo
echo "per metric, out of $pairs: false positives / detections"
for rule in hvbench ci-overlap minmax; do
	for m in $(cat "$dir"/caught.* 2>/dev/null | sort -u) ; do
		printf '  %-11s %-16s %3d / %3d\n' $rule "$m" "$(grep -cx "$m" "$dir/caught.$rule.aa" 2>/dev/null || true)" \
			"$(grep -cx "$m" "$dir/caught.$rule.slow" 2>/dev/null || true)"
	done
done
echo
echo "the injected slowdown as measured in pair 0 (change of each metric, candidate against baseline):"
"$hv" compare --db "$db" --ignore-param extra_work a0 s0 --format json 2>/dev/null |
	awk -F'"' '/"name":/ { n = $4 } /"change":/ { split($0, a, ": "); sub(/,$/, "", a[2]); if (a[2] != "null") printf "  %-16s %+.2f%%\n", n, 100 * a[2] }' |
	sort -u
