#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The report's backend-cost section on the lab's recorded run (tests/data/analysis/lab-smoke.sql):
# per-packet and per-request figures derived, sample by sample, from that run's own netback,
# blkback and xentrace figures (as probes/backend-cost.c does), one table per direction and
# cell, the throughput first, judged against the direction's first mode; none without them.
. "$top_srcdir/tests/lib.sh"
export COLUMNS=1000
sqlite3 -batch "$HVBENCH_DB" < "$top_srcdir/tests/data/analysis/lab-smoke.sql" || fail "loading the lab dump"
"$HVBENCH" report last > "$T/before.txt" 2>&1 || fail "report failed: $(cat "$T/before.txt")"
check "! grep -q 'Backend cost' '$T/before.txt'" "a cost section without cost figures"
sqlite3 -batch "$HVBENCH_DB" <<'SQL' || fail "deriving the per-unit figures"
INSERT INTO metrics SELECT e.sample_id, 'cost.guest_tx.guest.evtchn_ops.per_packet',
  e.value / (p1.value + p2.value), 'ops/packet', 'lower'
  FROM metrics e JOIN metrics p1 ON p1.sample_id = e.sample_id AND p1.name = 'netback.from_guest_packets'
  JOIN metrics p2 ON p2.sample_id = e.sample_id AND p2.name = 'netback.to_guest_packets'
  WHERE e.name = 'xen.hypercall.event_channel_op' AND p1.value + p2.value > 0;
INSERT INTO metrics SELECT e.sample_id, 'cost.read.guest.cpu_us.per_request', e.value * 1e6 / q.value, 'us/request', 'lower'
  FROM metrics e JOIN metrics q ON q.sample_id = e.sample_id AND q.name = 'blkback.rd_req'
  WHERE e.name = 'xen.runstate.running' AND q.value > 0;
SQL
"$HVBENCH" report last > "$T/r.txt" 2>&1 || fail "report failed: $(cat "$T/r.txt")"
check "grep -q 'Backend cost per packet and per request' '$T/r.txt'" "no backend-cost section"
for want in 'on xen:pv, guest_tx' 'on xen:pvh, guest_tx' 'on xen:hvm, guest_tx' 'on xen:pv, read'; do
	check "grep -q '$want' '$T/r.txt'" "no table '$want'"
done
# throughput first, then the per-unit figure, judged against pv (the first mode of the direction)
check "grep -A6 'on xen:pvh, guest_tx' '$T/r.txt' | grep -q 'gbps'" "no throughput in the pvh table"
check "grep -A8 'on xen:pvh, guest_tx' '$T/r.txt' | grep 'cost.guest_tx.guest.evtchn_ops.per_packet' | grep -q '(xen:pv)'" \
	"pvh's figure not judged against pv's: $(grep -A8 'on xen:pvh, guest_tx' "$T/r.txt")"
check "grep -A8 'on xen:pv, guest_tx' '$T/r.txt' | grep 'cost.guest_tx' | grep -q 'baseline'" "pv is the baseline"
# a native cell (dom0) has no guest figures: never a row of a guest's table
check "! grep -q 'on native:native, guest_tx' '$T/r.txt'" "native cell in the cost tables"
# The lab's hook (hv/xen/check-cost.sh): the 2026-11 run predates the backend role, so
# every Xen iperf3 and fio cell lacks dom0's grant figures: a failure naming each.
sh "$top_srcdir/hv/xen/check-cost.sh" "$HVBENCH_DB" > "$T/cost.out" 2>&1
check "[ $? = 1 ]" "check-cost on a run without backend figures: $(cat "$T/cost.out")"
check "grep -q 'cell 9 (pv, iperf3): no dom0.s grant copies per packet' '$T/cost.out'" "check-cost: $(cat "$T/cost.out")"
check "! grep -q hvm-emu '$T/cost.out'" "hvm-emu has no blkback: not asserted"
done_testing
