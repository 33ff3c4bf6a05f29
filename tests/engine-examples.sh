#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The example pipelines of configs/ for engines of many hosts (issue 21), parsed
# dry (no GitLab or Slurm here): GitLab CI's keys, references between jobs and
# shard counts (tests/gitlab-ci-check.py); Slurm's scripts are shell, their
# #SBATCH lines are known options placed where sbatch reads them (before the
# first command), the array is 1-N with N the count the gate expects; the
# Buildbot master.cfg is Python.
. "$top_srcdir/tests/lib.sh"
c="$top_srcdir/configs"
py=
for p in python3 /usr/bin/python3; do
	command -v $p >/dev/null && $p -c 'import yaml' 2>/dev/null && { py=$p; break; }
done
[ -n "$py" ] || skip "no python3 with the yaml module (.ci/setup installs python3-yaml)"

"$py" "$top_srcdir/tests/gitlab-ci-check.py" "$c/gitlab-ci/nightly.yml" "$c/gate-ci.yml" > "$T/gl" 2>&1 ||
	fail "GitLab CI examples: $(cat "$T/gl")"
"$py" -c 'import sys; compile(open(sys.argv[1]).read(), sys.argv[1], "exec")' "$c/buildbot/master.cfg" 2> "$T/py" ||
	fail "configs/buildbot/master.cfg: $(cat "$T/py")"

# Slurm: options sbatch knows (sbatch --help when Slurm is here, else the ones these scripts may use).
if command -v sbatch >/dev/null; then
	sbatch --help | grep -o -- '--[a-z-]*' | sort -u > "$T/opts"
else
	printf -- '--%s\n' array constraint nodes exclusive time output error job-name ntasks cpus-per-task mem \
		partition nodelist dependency export wait parsable > "$T/opts"
fi
for f in "$c"/slurm/*.sbatch "$c"/slurm/submit.sh "$c"/hvgate/*.sbatch "$c"/hvgate/*.sh; do
	bash -n "$f" 2> "$T/err" || fail "$f is not shell: $(cat "$T/err")"
done
for f in "$c"/slurm/*.sbatch "$c"/hvgate/*.sbatch; do
	# sbatch stops reading #SBATCH at the first line that is not a comment
	late=$(awk '!/^#/ && !/^[ \t]*$/ { cmd = 1 } cmd && /^#SBATCH/ { print FILENAME ":" FNR }' "$f")
	check '[ -z "$late" ]' "#SBATCH after the first command, which sbatch ignores: $late"
	grep '^#SBATCH' "$f" | while read -r _ opt _; do
		grep -qx -- "${opt%%=*}" "$T/opts" || echo "$f: #SBATCH $opt: not an sbatch option"
	done > "$T/bad"
	check '[ ! -s "$T/bad" ]' "$(cat "$T/bad")"
done
n=$(sed -n 's/^#SBATCH --array=1-\([0-9]*\)$/\1/p' "$c/slurm/shard.sbatch")
check '[ -n "$n" ]' "shard.sbatch: no #SBATCH --array=1-N"
check 'grep -q "^#SBATCH --constraint=" "$c/slurm/shard.sbatch"' "shard.sbatch: no node feature (--constraint)"
check 'grep -q "SHARDS:=$n}" "$c/slurm/merge.sbatch" && grep -q "^SHARDS=$n " "$c/slurm/submit.sh"' \
	"the array has $n tasks, but merge.sbatch or submit.sh expects another count"
check 'grep -q -- "--expect-shards \"\$SHARDS\"" "$c/slurm/merge.sbatch"' "merge.sbatch does not gate with --expect-shards"
check 'grep -q -- "--dependency=\"afterany:" "$c/slurm/submit.sh"' "submit.sh: the merge must run after any end of the shards (afterany)"
check 'grep -q -- "--shard \"\$SLURM_ARRAY_TASK_ID/\$SLURM_ARRAY_TASK_COUNT\"" "$c/slurm/shard.sbatch"' "shard.sbatch does not run its shard"
done_testing
