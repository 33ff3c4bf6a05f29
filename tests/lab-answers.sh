#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# hv/lab/check-answers.sh, the lab's proof of the questions' paths, on stores of known figures:
# it passes on what the lab must show and fails, naming the cell, on what it must not.
. "$top_srcdir/tests/lib.sh"
FIX="$top_builddir/tests/analysis-fixture"
[ -x "$FIX" ] || skip "tests/analysis-fixture is not built"
CA="$top_srcdir/hv/lab/check-answers.sh"
command -v python3 > /dev/null || skip "python3 is not installed"

# Modes: a winner at each vCPU count of sections run in several modes at several counts.
"$FIX" "$T/m.db" modes "$top_srcdir/tests/data/analysis/native-samples.txt" > /dev/null || fail "fixture modes"
sh "$CA" "$HVBENCH" "$T/m.db" > "$T/m.out" 2>&1; rc=$?
check '[ $rc = 0 ]' "check-answers failed on the modes fixture: $(cat "$T/m.out")"
check "grep -q 'modes answer for syscall: getppid_ns: pv wins at 1 vCPU(s), hvm wins at 2 vCPU(s)' '$T/m.out'" \
	"no syscall answer: $(cat "$T/m.out")"

# Lock-holder preemption: the pvspin-on PV cell beside an antagonist must show polls.
"$FIX" "$T/s.db" spin "$top_srcdir/tests/data/analysis/native-samples.txt" > /dev/null || fail "fixture spin"
sh "$CA" "$HVBENCH" "$T/s.db" > "$T/s.out" 2>&1; rc=$?
check '[ $rc = 1 ]' "check-answers passed a pvspin-on cell without polls: $(cat "$T/s.out")"
check "grep -q 'FAIL: cell 3 (xen:pv syscall, pvspin on, antagonist domain): its trace holds no PV poll' '$T/s.out'" \
	"the cell without polls is not named: $(cat "$T/s.out")"
sq() { sqlite3 -batch -noheader "$T/s.db" "$1"; }
sq "INSERT INTO metrics SELECT s.id, 'xen.guest.spinlock.poll', 12, 'calls', 'lower' FROM samples s
    JOIN cells c ON c.id = s.cell_id WHERE c.idx = 3"
sh "$CA" "$HVBENCH" "$T/s.db" > "$T/s2.out" 2>&1; rc=$?
check '[ $rc = 0 ]' "check-answers failed with polls in the pvspin-on cell: $(cat "$T/s2.out")"
check "grep -qE 'cell 3 .*: [0-9.]+ PV polls' '$T/s2.out'" "no polls line: $(cat "$T/s2.out")"

# Random draws and two guests: a distinct draw stored per sample, figures per guest.
sq "UPDATE cells SET placement = 'random', params_json = json_set(params_json, '$.guests', '2') WHERE idx = 2"
sq "INSERT INTO metrics SELECT s.id, 'placement.draw', s.rep, 'count', 'info' FROM samples s
    JOIN cells c ON c.id = s.cell_id WHERE c.idx = 2"
sq "INSERT INTO metrics SELECT s.id, 'guest' || g.k || '.ops', 1, 'ops', 'info' FROM samples s
    JOIN cells c ON c.id = s.cell_id, (SELECT 0 AS k UNION SELECT 1) g WHERE c.idx = 2"
sh "$CA" "$HVBENCH" "$T/s.db" > "$T/r.out" 2>&1; rc=$?
check '[ $rc = 0 ]' "check-answers failed on two guests' draws: $(cat "$T/r.out")"
check "grep -q 'cell 2 (syscall, placement random, 2 guest(s), [0-9]* samples): a draw stored with each sample' '$T/r.out'" \
	"no draws line: $(cat "$T/r.out")"
check "grep -q 'guest 1 has its figures in every sample' '$T/r.out'" "no guest 1 line: $(cat "$T/r.out")"
sq "DELETE FROM metrics WHERE name = 'guest1.ops' AND sample_id = (SELECT min(s.id) FROM samples s
    JOIN cells c ON c.id = s.cell_id WHERE c.idx = 2)"
sq "UPDATE metrics SET value = 0 WHERE name = 'placement.draw'"
sh "$CA" "$HVBENCH" "$T/s.db" > "$T/r2.out" 2>&1; rc=$?
check '[ $rc = 1 ]' "check-answers passed one draw for every sample and a guest without figures"
check "grep -q 'FAIL: cell 2 .*samples with a draw stored, 1 distinct draws' '$T/r2.out'" "same draws not caught: $(cat "$T/r2.out")"
check "grep -q 'FAIL: cell 2 .*guest 1 has figures (guest1.\*) in' '$T/r2.out'" "missing guest not caught: $(cat "$T/r2.out")"
# vnuma: a split guest's kernel sees one node when hidden, two or more when exposed.
sq "UPDATE cells SET placement = 'split', params_json = json_set(params_json, '$.vnuma', 'off'),
    placement_json = '{\"agent\":{\"numa_nodes\":1}}' WHERE idx = 4"
sq "UPDATE cells SET placement = 'split', placement_json = '{\"agent\":{\"numa_nodes\":2}}' WHERE idx = 5"
sh "$CA" "$HVBENCH" "$T/s.db" > "$T/v.out" 2>&1
check "grep -q 'cell 4 (xen:pv split, vnuma off): the guest kernel sees 1 NUMA node' '$T/v.out'" "hidden: $(cat "$T/v.out")"
check "grep -q 'cell 5 (xen:pv split, vnuma on): the guest kernel sees 2 NUMA node' '$T/v.out'" "exposed: $(cat "$T/v.out")"
sq "UPDATE cells SET placement_json = '{\"agent\":{\"numa_nodes\":2}}' WHERE idx = 4"
sh "$CA" "$HVBENCH" "$T/s.db" > "$T/v2.out" 2>&1
check "grep -q 'FAIL: cell 4 (xen:pv split, vnuma off): the guest kernel sees 2' '$T/v2.out'" "hidden seen as 2: $(cat "$T/v2.out")"
# Cells taking turns: every sample saw the other cells' guests alive and paused.
sq "INSERT INTO metrics SELECT s.id, 'turns.guests', 4, 'count', 'info' FROM samples s JOIN cells c ON c.id = s.cell_id WHERE c.idx = 3"
sq "INSERT INTO metrics SELECT s.id, 'turns.paused', 3, 'count', 'info' FROM samples s JOIN cells c ON c.id = s.cell_id WHERE c.idx = 3"
sh "$CA" "$HVBENCH" "$T/s.db" > "$T/t.out" 2>&1
check "grep -q 'cell 3 (xen:pv, [0-9]* vCPU(s), taking turns): [0-9]* samples, each with 4 guests alive and the 3 others paused' '$T/t.out'" \
	"turns: $(cat "$T/t.out")"
sq "UPDATE metrics SET value = 2 WHERE name = 'turns.paused' AND sample_id = (SELECT min(s.id) FROM samples s
    JOIN cells c ON c.id = s.cell_id WHERE c.idx = 3)"
sh "$CA" "$HVBENCH" "$T/s.db" > "$T/t2.out" 2>&1
check "grep -q 'FAIL: cell 3 (xen:pv, [0-9]* vCPU(s), taking turns): [0-9]* of [0-9]* samples had the other guests alive and paused' '$T/t2.out'" \
	"a guest not paused is not caught: $(cat "$T/t2.out")"
done_testing
