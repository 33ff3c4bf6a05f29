#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The verdict on a hypervisor (or dom0 kernel) build B against a build A from
# P pairs of boots of one host in balanced order (A B, B A, A B, ...), each
# boot one `hvbench run` labelled A-p<i> or B-p<i> (see submit-slurm.sh and
# the README's "Hypervisor gating"). Each pair is gated on its own (adjacent
# boots share the host's state); the build is judged only when every pair
# says the same, so a pass and a fail each reproduce P times (OSSTest's
# bisector asks three). Exit codes are those of `git bisect run`:
#   0  every pair passed (good)       1  every pair regressed (bad)
#   125 not reproduced, or a boot that never ran or measured nothing (skip)
# Usage: verdict.sh DB A B [PAIRS (3)] [gate options...]
set -u
[ $# -ge 3 ] || { echo "usage: $0 DB A B [PAIRS] [gate options...]" >&2; exit 2; }
db=$1 a=$2 b=$3
shift 3
pairs=3
case ${1:-} in [1-9]|[1-9][0-9]) pairs=$1; shift ;; esac
pass=0 fail=0 other=0 i=1
while [ $i -le "$pairs" ]; do
	${HVBENCH:-hvbench} gate --db "$db" --baseline "$a-p$i" --candidate "$b-p$i" "$@" > /dev/null 2>&1
	rc=$?
	case $rc in
	0) pass=$((pass + 1)); echo "pair $i: pass" ;;
	1) fail=$((fail + 1)); echo "pair $i: regression" ;;
	3) other=$((other + 1)); echo "pair $i: infrastructure failure (a boot did not run or measured nothing)" ;;
	*) other=$((other + 1)); echo "pair $i: gate error $rc" ;;
	esac
	i=$((i + 1))
done
if [ $pass = "$pairs" ]; then
	echo "$b: good, the pass reproduced in $pairs of $pairs pairs"; exit 0
elif [ $fail = "$pairs" ]; then
	echo "$b: bad, the regression reproduced in $pairs of $pairs pairs"; exit 1
fi
echo "$b: not judged: $pass passes, $fail regressions, $other not measured in $pairs pairs"
exit 125
