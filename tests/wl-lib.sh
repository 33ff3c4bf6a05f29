# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the workload tests: run a workload for real, read its metrics back,
# compare them. Sourced, not run. Workloads run through `hvbench agent`, as the
# runner runs them; tests/wl-test -r decodes the reply.
set -u
: "${top_builddir:=.}" "${top_srcdir:=.}" "${HVBENCH:=$top_builddir/hvbench}"
WLTEST="$top_builddir/tests/wl-test"
WLOUT=$(mktemp "${TMPDIR:-/tmp}/hvb-wl.XXXXXX")
WLSCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/hvb-wl-scratch.XXXXXX")
trap 'rm -rf "$WLOUT" "$WLSCRATCH"' EXIT
fails=0

# wl_request WORKLOAD [-d S] [-s SEED] [-D DISK] [-P PEER] [-p PORT] [KEY=VALUE...]:
# the agent's run request as one line.
wl_request() {
	wl=$1; shift
	dur=0.2 seed=1 extra="" params=""
	while [ $# -gt 0 ]; do
		case "$1" in
		-d) dur=$2; shift 2 ;;
		-s) seed=$2; shift 2 ;;
		-D) extra="$extra,\"disk\":\"$2\""; shift 2 ;;
		-P) extra="$extra,\"peer\":\"$2\""; shift 2 ;;
		-p) extra="$extra,\"peer_port\":$2"; shift 2 ;;
		*=*) params="$params${params:+,}\"${1%%=*}\":\"${1#*=}\""; shift ;;
		*) echo "wl_request: bad argument $1" >&2; return 2 ;;
		esac
	done
	printf '{"v":1,"op":"run","workload":"%s","params":{%s},"duration":%s,"seed":%s,"ncpus":%s%s}\n' \
		"$wl" "$params" "$dur" "$seed" "$(nproc)" "$extra"
}

# wl_agent ARGS...: runs the workload through `hvbench agent`; metrics in $WLOUT,
# one "NAME VALUE UNIT BETTER" a line. Returns 0 ok, 77 cannot run here, else 1.
wl_agent() {
	req=$(wl_request "$@") || return 2
	echo "-> $req" >&2
	r=0
	printf '%s\n' "$req" | TMPDIR="$WLSCRATCH" "$HVBENCH" agent | "$WLTEST" -r >"$WLOUT" || r=$?
	return $r
}

# wl_run ARGS...: wl_agent, and the test is skipped (77) when the workload cannot
# run on this host; a failure is counted.
wl_run() {
	rc=0
	wl_agent "$@" || rc=$?
	if [ "$rc" = 77 ]; then
		cat "$WLOUT"
		exit 77
	fi
	echo "== $*"
	cat "$WLOUT"
	if [ "$rc" != 0 ]; then
		echo "FAIL: $1 exited $rc"
		fails=$((fails + 1))
	fi
	return 0
}

# m NAME: value of a metric from the last run ("" when absent).
m() { awk -v n="$1" '$1 == n { print $2 }' "$WLOUT"; }

# need NAME...: metrics present and finite.
need() {
	for n in "$@"; do
		v=$(m "$n")
		case "$v" in
		""|*nan*|*inf*) echo "FAIL: metric $n missing or not finite ('$v')"; fails=$((fails + 1)) ;;
		esac
	done
}

# rel A OP B WHAT: numeric relation between two values (A and B numbers).
rel() {
	if awk -v a="$1" -v b="$3" -v op="$2" 'BEGIN {
		if (a == "" || b == "") exit 1
		if (op == ">") exit !(a + 0 > b + 0); if (op == ">=") exit !(a + 0 >= b + 0)
		if (op == "<") exit !(a + 0 < b + 0); if (op == "<=") exit !(a + 0 <= b + 0)
		exit 1 }'; then
		echo "ok: $4 ($1 $2 $3)"
	else
		echo "FAIL: $4: expected $1 $2 $3"
		fails=$((fails + 1))
	fi
}

wl_done() {
	[ "$fails" = 0 ] || { echo "$fails failure(s)"; exit 1; }
	exit 0
}

# median V...: the median of an odd number of values.
median() { printf '%s\n' "$@" | sort -g | sed -n "$((($# + 1) / 2))p"; }

# extra_work_check METRIC lower|higher FRACTION_METRIC WORKLOAD ARGS...: extra_work
# adds what it says. The median over 5 samples of the fraction it measured is
# f = 0.5 within 20% (one sample preempted inside an extra round measured 1.8 to
# 2.4 on a machine loaded 8-fold; spinlock's threads on a loaded machine came
# to 0.538); and across 5 interleaved samples without and 5 with extra_work = 1
# (interleaved, so that a load that comes and goes hits both alike) the ratio of
# the best METRIC of each is at least 1.3 (2 expected).
extra_work_check() {
	metric=$1 dir=$2 frac=$3; shift 3
	wl_run "$@" extra_work=0.5
	need "$metric" "$frac"
	fracs=$(m "$frac")
	for i in 2 3 4 5; do
		wl_agent "$@" extra_work=0.5 || { echo "FAIL: $* extra_work=0.5"; fails=$((fails + 1)); return 0; }
		fracs="$fracs $(m "$frac")"
	done
	# shellcheck disable=SC2086 # the fractions are numbers
	f=$(median $fracs)
	rel "$f" ">=" 0.4 "extra_work=0.5: median measured fraction of 5 samples (each: $fracs)"
	rel "$f" "<=" 0.6 "extra_work=0.5: median measured fraction of 5 samples (each: $fracs)"
	b0="" b1=""
	for i in 1 2 3 4 5; do
		wl_agent "$@" extra_work=0 || { echo "FAIL: $* extra_work=0"; fails=$((fails + 1)); return 0; }
		b0="$b0 $(m "$metric")"
		wl_agent "$@" extra_work=1 || { echo "FAIL: $* extra_work=1"; fails=$((fails + 1)); return 0; }
		b1="$b1 $(m "$metric")"
	done
	# The best of 5 of each (least cost): interference only ever adds cost, so the best
	# sample is the one it touched least; medians of pairs swung 0.3 to 3.3 beside a QEMU lab.
	# shellcheck disable=SC2086 # the figures are numbers
	if [ "$dir" = lower ]; then r0=$(printf '%s\n' $b0 | sort -g | head -1); r1=$(printf '%s\n' $b1 | sort -g | head -1)
	else r0=$(printf '%s\n' $b0 | sort -g | tail -1); r1=$(printf '%s\n' $b1 | sort -g | tail -1); fi
	ratio=$(awk -v a="$r0" -v b="$r1" -v d="$dir" 'BEGIN { print d == "lower" ? b / a : a / b }')
	rel "$ratio" ">=" 1.3 "extra_work=1: cost ratio of the best of 5 interleaved samples each (without:$b0; with:$b1; 2 expected)"
}
