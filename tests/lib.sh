# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the shell tests: a scratch directory, and fail/skip that say why.
set -u
: "${HVBENCH:=$PWD/hvbench}"
: "${top_srcdir:=$PWD}"
T=$(mktemp -d /tmp/hvbench-test.XXXXXX)
trap 'rm -rf "$T"' EXIT
export HVBENCH_DB="$T/test.db"
# Agents inherit this: leftovers of this test are found by it, not by name.
export HVB_TEST_TAG="$T"
agents_left() {
	for e in $(grep -l "HVB_TEST_TAG=$T" /proc/[0-9]*/environ 2>/dev/null); do
		tr '\0' ' ' < "${e%environ}cmdline" 2>/dev/null | grep -q '^hvbench \(-[vq] \)\{0,1\}agent' && return 0
	done
	return 1
}
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
skip() { echo "SKIP: $*" >&2; exit 77; }
check() { if ! eval "$1"; then fail "$2"; fi; }
done_testing() { [ "$fails" = 0 ] || { echo "$fails checks failed" >&2; exit 1; }; exit 0; }
q() { sqlite3 -batch -noheader "$HVBENCH_DB" "$1"; }
command -v sqlite3 >/dev/null || skip "the sqlite3 program is not installed (.ci/setup installs it)"
