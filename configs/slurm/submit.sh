#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Queues a night: the array of shards, then the merge and gate after all of
# them. Usage: submit.sh LABEL BASELINE [RESULTS_ROOT]
# e.g. from cron: submit.sh "$(git -C xen rev-parse HEAD)" RELEASE-4.20.0 /srv/hvbench
set -eu
[ $# -ge 2 ] || { echo "usage: $0 LABEL BASELINE [RESULTS_ROOT]" >&2; exit 2; }
here=$(dirname "$0")
SHARDS=4 # as shard.sbatch's --array=1-4
RESULTS=${3:-$PWD}/night-$(date +%Y%m%d-%H%M%S)
mkdir "$RESULTS"
export LABEL="$1" BASELINE="$2" RESULTS SHARDS
array=$(sbatch --parsable --export=ALL "$here/shard.sbatch")
sbatch --parsable --export=ALL --dependency="afterany:${array%%;*}" "$here/merge.sbatch"
