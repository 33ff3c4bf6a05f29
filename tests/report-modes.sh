#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The modes report on a store of known figures (analysis-fixture modes): which
# mode wins per vCPU count with the ratio's CI and verdict, the crossover, the
# gap to native decomposed per operation, the absent figures named, the plot of
# each metric against vCPUs (HTML), the same answers in JSON; and the answers'
# logic itself (tests/unit-modes).
. "$top_srcdir/tests/lib.sh"
export COLUMNS=1000
FIX="$top_builddir/tests/analysis-fixture"
[ -x "$FIX" ] || skip "tests/analysis-fixture is not built"
"$FIX" "$HVBENCH_DB" modes "$top_srcdir/tests/data/analysis/native-samples.txt" || fail "fixture modes"
"$top_builddir/tests/unit-modes" "$HVBENCH_DB" || fail "unit-modes"

"$HVBENCH" report > "$T/r.txt" 2>&1 || fail "report failed: $(cat "$T/r.txt")"
sed -n '/Which guest mode wins/,$p' "$T/r.txt" > "$T/w.txt"
check "grep -q 'Which guest mode wins' '$T/w.txt'" "no modes section"
check "grep -E '^  1 +pv +pvh +0.857 \[.*pv wins' '$T/w.txt' | grep -q 'native '" "1 vCPU: $(grep -E '^  1 ' "$T/w.txt" | head -1)"
check "grep -q 'Crossover: the winner changes from pv (1 vCPU) to hvm (2 vCPUs).' '$T/w.txt'" "no syscall crossover"
check "grep -q 'from pv (1 vCPU) to hvm (4 vCPUs), and changes again' '$T/w.txt'" "no memlat crossover"
check "grep -q 'no winner: pvh and hvm are the same' '$T/w.txt'" "no tie at 8 vCPUs"
check "grep -E '^  4 +pv +2 \[' '$T/w.txt' | grep -q 'mmu_update 3, mmuext_op 1, sched_op 0.5).* 4 '" \
	"pv's page-table updates per op: $(grep -E '^  4 +pv +2' "$T/w.txt")"
check "grep -E '^  2 +hvm +1.2 \[' '$T/w.txt' | grep -q '1200 (npf 1000, io 200) *3 '" "hvm's exits: $(grep -E '^  2 +hvm' "$T/w.txt")"
check "grep -q 'no figures of decoded hypercall arguments (xen.guest.pt_updates' '$T/w.txt'" "the absent figures are not named"

"$HVBENCH" report --format json --output "$T/r.json" || fail "report json"
check "python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))[\"modes\"]; a=m[\"answers\"][0]; \
assert a[\"crossover\"][\"vcpus\"]==2 and a[\"points\"][0][\"winner\"]==\"pv\" and a[\"points\"][0][\"decided\"]; \
assert abs(a[\"points\"][0][\"ratio\"]-1.2/1.4)<1e-9 and len(a[\"points\"][0][\"ratio_ci\"])==2; \
assert any(g[\"mode\"]==\"pv\" and g[\"pt_updates\"]==4 for g in m[\"gaps\"])' '$T/r.json'" "JSON modes: $(head -c 300 "$T/r.json")"

"$HVBENCH" report --format md --output "$T/r.md" || fail "report md"
check "grep -q '^| 1 | pv | pvh | 0.857' '$T/r.md'" "markdown lacks the answer row"

if command -v gnuplot > /dev/null; then
	"$HVBENCH" report --format html --output "$T/r.html" || fail "report html"
	n=$(grep -o 'getppid_ns against vCPUs: median and 95% CI per mode' "$T/r.html" | wc -l)
	check '[ "$n" -ge 1 ]' "no plot of getppid_ns against vCPUs in the HTML"
	check "! grep -q 'plot failed' '$T/r.html'" "a plot failed: $(grep -o 'plot failed[^<]*' "$T/r.html" | head -2)"
fi
done_testing
