#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# PV device settings as a person meets them: the --dry-run plan with feature_persistent and
# max_queues in the keys of the cells they apply to (Xen guests with PV devices whose
# workload uses the device) and nowhere else; refusals with FILE:LINE and what was
# expected; and hv/xen/check-cost.sh's assertion on cells whose persistent grants were
# read back off, on a hand-made store (no Xen here: the rows stand for a lab run).
. "$top_srcdir/tests/lib.sh"

cat > "$T/p.ini" <<'INI'
[experiment]
repetitions = 1
warmup = 0
backends = native, xen:pv, xen:hvm
pv_drivers = on, off
[fio]
rw = randread
feature_persistent = off, on
[iperf3]
max_queues = 1, 4
[memlat]
sizes = 16K
INI
"$HVBENCH" run --dry-run "$T/p.ini" > "$T/plan" 2>&1 || fail "dry run: $(cat "$T/plan")"
check 'grep -q "^\[3\] xen:pv placement=none vcpus=1 memory=1G fio feature_persistent=off rw=randread" "$T/plan"' \
	"pv fio with persistent grants off: $(cat "$T/plan")"
check 'grep -q "^\[4\] xen:pv .* fio feature_persistent=on rw=randread" "$T/plan"' "pv fio, on"
check 'grep -q "^\[6\] xen:pv .* iperf3 max_queues=4 protocol=tcp" "$T/plan"' "pv iperf3, 4 queues"
check '[ "$(grep -c "^\[[0-9]*\] xen:hvm placement.* fio feature_persistent=" "$T/plan")" = 2 ]' "hvm with PV drivers: both"
# not where they cannot apply: native cells, memlat, hvm-emu's emulated disk and NIC
check '! grep "^\[[0-9]*\] native:native.*\(feature_persistent\|max_queues\)" "$T/plan" | grep -q .' "native cells keep their keys"
check '! grep "^\[[0-9]*\] xen:hvm-emu .*\(feature_persistent\|max_queues\)" "$T/plan" | grep -q .' "hvm-emu keeps its keys"
check '! grep "memlat .*\(feature_persistent\|max_queues\)" "$T/plan" | grep -q .' "memlat keeps its keys"
check 'grep -q "^experiment p: 16 cells" "$T/plan"' "16 cells: $(head -1 "$T/plan")"
"$HVBENCH" help experiment > "$T/help" 2>&1
check 'grep -q "xen_blkback.feature_persistent" "$T/help" && grep -q "xen_netfront.max_queues" "$T/help"' \
	"help names the kernels' parameters: $(grep -A3 feature_persistent "$T/help")"

bad() { # file-text line message
	printf "$1" > "$T/bad.ini"
	"$HVBENCH" run --dry-run "$T/bad.ini" > /dev/null 2> "$T/err"; rc=$?
	[ $rc = 2 ] && grep -qF -- "bad.ini:$2: $3" "$T/err" || fail "refusal '$3': exit $rc: $(cat "$T/err")"
}
bad '[experiment]\nfeature_persistent = of\n[fio]\n' 2 "[experiment] 'of' is not valid for feature_persistent: expected on or off, or auto"
bad '[experiment]\n[iperf3]\nmax_queues = 129\n' 3 "[iperf3] '129' is not valid for max_queues: expected an integer in [1, 128], or auto"
bad '[experiment]\nbackends = xen:pv\n[memlat]\nfeature_persistent = off\n' 4 \
	"[memlat]: feature_persistent sets blkback's and blkfront's persistent grants, but workload memlat has no disk (fio has)"
bad '[experiment]\nbackends = native\n[iperf3]\nmax_queues = 2\n' 4 \
	"[iperf3]: max_queues sets netback's and netfront's queues per vif, which Xen guests with PV devices have"
bad '[experiment]\nmax_queues = 1\nrepetitions = 1, 2\n[iperf3]\n' 3 \
	"[experiment]: repetitions takes one value, not the list '1, 2' (only the axes backends, placement, vcpus, memory, pv_drivers, hap, pvspin, vnuma, antagonists, guests, feature_persistent, max_queues expand into the matrix)"

# check-cost.sh: a fio cell read back with persistent grants off must map grants per request.
printf '[experiment]\nrepetitions = 1\nwarmup = 0\nduration = 50ms\n[syscall]\n' > "$T/one.ini"
"$HVBENCH" run "$T/one.ini" > "$T/run.out" 2>&1 || fail "a native run to make the store: $(cat "$T/run.out")"
run=$(q "SELECT max(id) FROM runs")
cell() { # idx mode persistent-read-back map-median
	pj=NULL
	[ -z "$3" ] || pj="'{\"readback\":{\"pv_devices\":{\"persistent_grants\":\"$3\"}}}'"
	q "INSERT INTO cells(run_id, idx, key, backend, mode, placement, vcpus, memory, workload, section, params_json, status,
	   placement_json) VALUES($run, $1, 'xen:$2 fio $1', 'xen', '$2', 'local', 1, 536870912, 'fio', 'fio', '{}', 'done',
	   $pj);
	   INSERT INTO samples(cell_id, rep, status, seed, started) VALUES(last_insert_rowid(), 0, 'ok', 1, 0);
	   INSERT INTO metrics VALUES(last_insert_rowid(), 'cost.read.backend.grant_maps.per_request', $4, 'maps/request', 'lower')"
}
cell 10 pv on 0
sh "$top_srcdir/hv/xen/check-cost.sh" "$HVBENCH_DB" > "$T/cost" 2>&1; rc=$?
check '[ $rc = 0 ] && ! grep -q "read back off" "$T/cost"' "no off cell, nothing asserted of it: exit $rc: $(cat "$T/cost")"
cell 11 pv off 0
cell 12 pvh off 3.5
cell 13 hvm '' 0
sh "$top_srcdir/hv/xen/check-cost.sh" "$HVBENCH_DB" > "$T/cost" 2>&1; rc=$?
check '[ $rc = 1 ]' "a cell off with no maps fails: exit $rc: $(cat "$T/cost")"
check 'grep -q "FAIL: cell [0-9]* (pv, fio): dom0.s grant maps per request (persistent grants read back off) is 0.0, expected above zero" "$T/cost"' \
	"the off cell named: $(cat "$T/cost")"
check 'grep -q "ok: cell [0-9]* (pvh, fio): dom0.s grant maps per request (persistent grants read back off) 3.5" "$T/cost"' \
	"the good off cell: $(cat "$T/cost")"
check '[ "$(grep -c "read back off" "$T/cost")" = 2 ]' "only the two off cells are held to it: $(cat "$T/cost")"
q "UPDATE metrics SET value = 2 WHERE value = 0 AND sample_id IN (SELECT s.id FROM samples s JOIN cells c ON c.id = s.cell_id WHERE c.idx = 11)"
sh "$top_srcdir/hv/xen/check-cost.sh" "$HVBENCH_DB" > "$T/cost" 2>&1; rc=$?
check '[ $rc = 0 ]' "every off cell maps: exit $rc: $(cat "$T/cost")"
# A cell that could not have what it asked is a skip with its reason: said, not a failure.
q "INSERT INTO cells(run_id, idx, key, backend, mode, placement, vcpus, memory, workload, section, params_json, status, reason)
   VALUES($run, 14, 'xen:pv fio off', 'xen', 'pv', 'local', 1, 536870912, 'fio', 'fio', '{\"feature_persistent\":\"off\"}',
   'skipped', 'xen: feature_persistent = off: dom0''s kernel 5.10.0 has no xen_blkback.feature_persistent')"
sh "$top_srcdir/hv/xen/check-cost.sh" "$HVBENCH_DB" > "$T/cost" 2>&1; rc=$?
check '[ $rc = 0 ] && grep -q "note: cell [0-9]* (pv, fio) asked feature_persistent = off and was skipped: xen: feature_persistent = off: dom0.s kernel 5.10.0 has no" "$T/cost"' \
	"the skipped cell said: exit $rc: $(cat "$T/cost")"
done_testing
