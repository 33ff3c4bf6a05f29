#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# antagonists: an [experiment] axis. Cells without keep the keys they had; cells
# with get their CPU hogs through each sample, pinned to the cell's CPUs, and
# each sample says how much CPU the hogs had (measured by the kernel). No hog
# outlives its sample, nor a runner killed outright; a value out of range or in
# a workload's section is refused with its line.
. "$top_srcdir/tests/lib.sh"
# This test's hogs: forks of its runner (the tag in their environment), by name.
hogs() {
	for e in $(grep -l "HVB_TEST_TAG=$T" /proc/[0-9]*/environ 2>/dev/null); do
		[ "$(cat "${e%environ}comm" 2>/dev/null)" = hvb-antagonist ] && echo "${e%/environ}"
	done
}
gone() { for i in $(seq 1 200); do [ -z "$(hogs)" ] && return 0; sleep 0.1; done; return 1; }

cat > "$T/a.ini" <<'INI'
[experiment]
repetitions = 2
warmup = 0
duration = 200ms
timeout = 20s
vcpus = 1
antagonists = 0, 2
[futexhash]
threads = 2
futexes = 64
INI
"$HVBENCH" run --dry-run "$T/a.ini" > "$T/plan" 2>&1 || fail "dry run: $(cat "$T/plan")"
check 'grep -q "^\[0\] native:native placement=none vcpus=1 memory=host futexhash threads=2" "$T/plan"' \
	"a cell without antagonists keeps its key: $(cat "$T/plan")"
check 'grep -q "^\[1\] .* futexhash antagonists=2 threads=2" "$T/plan"' "antagonists in the key: $(cat "$T/plan")"

"$HVBENCH" run "$T/a.ini" > "$T/out" 2>&1; rc=$?
check '[ $rc = 0 ]' "run exit $rc: $(cat "$T/out")"
n=$(q "select count(*) from samples x join cells c on c.id=x.cell_id where c.idx=1 and x.status='ok' and x.reason like 'antagonists: 2 on CPUs %'")
check '[ "$n" = 2 ]' "each sample of the cell with antagonists says what they ran ($n of 2): $(q "select reason from samples")"
n=$(q "select count(*) from samples x join cells c on c.id=x.cell_id where c.idx=0 and x.reason like '%antagonists%'")
check '[ "$n" = 0 ]' "the cell without antagonists has none"
check '[ "$(q "select json_extract(params_json, '\''$.antagonists'\'') from cells where idx=1")" = 2 ]' \
	"antagonists stored with the cell's params (reports tell the cells apart)"
check '[ -z "$(q "select json_extract(params_json, '\''$.antagonists'\'') from cells where idx=0")" ]' \
	"no antagonists key where there are none"
# The hogs' CPU time is the kernel's: they ran, on the cell's one CPU.
cpu=$(q "select x.reason from samples x join cells c on c.id=x.cell_id where c.idx=1 limit 1" | sed -n 's/.*, \([0-9.]*\) CPU-s in.*/\1/p')
check 'awk -v c="$cpu" "BEGIN { exit !(c > 0) }"' "the hogs had CPU time ('$cpu')"
check 'gone' "hogs left after the run: $(hogs)"

# A runner killed outright takes its hogs along.
sed 's/duration = 200ms/duration = 30s/; s/timeout = 20s/timeout = 60s/; s/antagonists = 0, 2/antagonists = 1/' \
	"$T/a.ini" > "$T/long.ini"
rm -f "$HVBENCH_DB"
"$HVBENCH" run "$T/long.ini" > /dev/null 2>&1 &
runner=$!
for i in $(seq 1 300); do [ -n "$(hogs)" ] && break; sleep 0.1; done
check '[ -n "$(hogs)" ]' "no hog seen during the long sample"
kill -9 "$runner"
wait "$runner" 2>/dev/null
check 'gone' "hogs outlived a runner killed with SIGKILL: $(hogs)"
for i in $(seq 1 100); do agents_left || break; sleep 0.1; done

for v in 17 -1; do
	sed "s/antagonists = 0, 2/antagonists = $v/" "$T/a.ini" > "$T/bad.ini"
	"$HVBENCH" run --dry-run "$T/bad.ini" > /dev/null 2> "$T/err"; rc=$?
	check '[ $rc = 2 ] && grep -q "bad.ini:7: .*not valid for antagonists: expected an integer in \[0, 16\]" "$T/err"' \
		"antagonists = $v: exit $rc: $(cat "$T/err")"
done
# A workload section sets antagonists for its own cells, like any matrix axis; a slip is named.
printf '[experiment]\n[futexhash]\nantagonists = 1\n[syscall]\ncalls = getppid\n' > "$T/sec.ini"
"$HVBENCH" run --dry-run "$T/sec.ini" > "$T/plan" 2> "$T/err"; rc=$?
check '[ $rc = 0 ] && grep -q "futexhash antagonists=1" "$T/plan" && ! grep -q "syscall antagonists" "$T/plan"' \
	"antagonists in a workload section: exit $rc: $(cat "$T/plan" "$T/err")"
printf '[experiment]\n[futexhash]\nantagonist = 1\n' > "$T/sec2.ini"
"$HVBENCH" run --dry-run "$T/sec2.ini" > /dev/null 2> "$T/err"; rc=$?
check '[ $rc = 2 ] && grep -q "sec2.ini:3: .*unknown key .antagonist. (did you mean .antagonists.?)" "$T/err"' \
	"a slip in a workload section: exit $rc: $(cat "$T/err")"
done_testing
