#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Queues PAIRS balanced A/B pairs of boots on one node (A B, B A, A B, ...),
# each boot a job pinned to NODE (--nodelist) whose node feature selects the
# build it boots, each after the one before (afterany), then the verdict.
# Usage: submit-slurm.sh NODE FEATURE_A FEATURE_B A B [PAIRS (3)] [RESULTS_ROOT]
# A and B label the builds (e.g. their commits); slurm.conf declares one
# feature per build slot (Feature=xen_a,xen_b), its helper boots the build
# that the slot points at. Untrusted text reaches no shell: labels travel
# in the environment (--export) and as argv.
set -eu
[ $# -ge 5 ] || { echo "usage: $0 NODE FEATURE_A FEATURE_B A B [PAIRS] [RESULTS_ROOT]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
node=$1 fa=$2 fb=$3 A=$4 B=$5 PAIRS=${6:-3}
RESULTS=${7:-$PWD}/pairs-$(date +%Y%m%d-%H%M%S)
mkdir "$RESULTS"
export RESULTS A B PAIRS HVBENCH_SHARE="${here%/hvgate}"
dep= n=0 i=1
while [ $i -le "$PAIRS" ]; do
	# odd pairs A then B, even pairs B then A: a drift of the host reaches both alike
	if [ $((i % 2)) = 1 ]; then order="A B"; else order="B A"; fi
	for side in $order; do
		n=$((n + 1))
		if [ $side = A ]; then feature=$fa label=$A; else feature=$fb label=$B; fi
		dep=$(LABEL="$label-p$i" DB="$RESULTS/boot-$n.db" sbatch --parsable --export=ALL --nodelist="$node" \
			--constraint="$feature" ${dep:+--dependency=afterany:$dep} "$here/boot.sbatch")
		echo "boot $n: $label-p$i ($side) on $node, job $dep"
	done
	i=$((i + 1))
done
# WAIT=1 (for git bisect run): wait for the verdict and exit with it (0 good, 1 bad, 125 skip)
exec sbatch --parsable ${WAIT:+--wait} --export=ALL --dependency="afterany:$dep" "$here/verdict.sbatch"
