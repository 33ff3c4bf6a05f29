#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The lab's proof of the paths the developers' questions take (called by check-lab.sh on the
# lab's database; each check only where the run has such cells, configs/lab-smoke-short.ini has all):
#  - lock-holder preemption (issue 18): a PV cell with pvspin on and an antagonist domain has PV
#    polls (SCHEDOP_poll, xen.guest.spinlock.poll) in its trace; its pvspin-off twin is shown beside;
#  - random placement and several guests (issue 19): a placement = random cell stores one draw
#    per sample (placement.draw), as many distinct draws as its samples, and figures per guest
#    (guestK.*) for each of its guests;
#  - vNUMA exposed or hidden (issue 19): a split guest's kernel sees two nodes with vnuma on, one off;
#  - cells taking turns (issue 17, order = interleaved): every sample of a Xen cell saw the other
#    cells' guests alive and paused;
#  - PV vs PVH vs HVM (issue 17): hvbench report's modes answer names a winner at each vCPU count
#    of a section run in two modes at two or more counts.
# usage: check-answers.sh HVBENCH DB; prints one line per check; exits 1 when one failed, else 0.
HVB=$1 DB=$2
q() { sqlite3 -batch -noheader "$DB" "$1"; }
fails=0
say() { echo "check-lab: $*"; }
bad() { echo "check-lab: FAIL: $*"; fails=$((fails + 1)); }
sumof() { # CELL_ID METRIC
	q "SELECT coalesce(sum(m.value), 0) FROM metrics m JOIN samples s ON s.id = m.sample_id
	   WHERE s.cell_id = $1 AND s.status = 'ok' AND m.name = '$2'"
}

# Lock-holder preemption: polls with PV spinlocks on. Kicks (EVTCHNOP_send) are not in Xen's
# trace (event_channel_op's arguments go unrecorded): its calls bound them, shown.
q "SELECT id, idx, section, CASE WHEN params_json LIKE '%\"pvspin\":\"off\"%' THEN 'off' ELSE 'on' END
   FROM cells WHERE backend = 'xen' AND mode = 'pv' AND status = 'done'
   AND params_json LIKE '%\"antagonists\":\"%' AND params_json NOT LIKE '%\"antagonists\":\"0\"%' ORDER BY idx" > "$DB.lhp"
while IFS='|' read -r id idx sec pvs; do
	polls=$(sumof "$id" xen.guest.spinlock.poll) evt=$(sumof "$id" xen.guest.hypercall.event_channel_op)
	what="cell $idx (xen:pv $sec, pvspin $pvs, antagonist domain)"
	if [ "$pvs" = on ]; then
		awk -v n="$polls" 'BEGIN { exit !(n > 0) }' &&
			say "$what: $polls PV polls (SCHEDOP_poll), $evt event_channel_op calls (kicks among them)" ||
			bad "$what: its trace holds no PV poll (SCHEDOP_poll): the PV spinlock slow path was not seen"
	else
		say "$what: $polls PV polls, $evt event_channel_op calls (PV spinlocks off)"
	fi
done < "$DB.lhp"
rm -f "$DB.lhp"

# Random draws and several guests.
q "SELECT c.id, c.idx, c.section, coalesce(json_extract(c.params_json, '$.guests'), '1'),
	  (SELECT count(*) FROM samples s WHERE s.cell_id = c.id AND s.status = 'ok')
   FROM cells c WHERE c.placement = 'random' AND c.status = 'done' ORDER BY c.idx" > "$DB.rnd"
while IFS='|' read -r id idx sec ng nok; do
	what="cell $idx ($sec, placement random, $ng guest(s), $nok samples)"
	nd=$(q "SELECT count(*) FROM metrics m JOIN samples s ON s.id = m.sample_id
		WHERE s.cell_id = $id AND s.status = 'ok' AND m.name = 'placement.draw'")
	dd=$(q "SELECT count(DISTINCT m.value) FROM metrics m JOIN samples s ON s.id = m.sample_id
		WHERE s.cell_id = $id AND s.status = 'ok' AND m.name = 'placement.draw'")
	[ "$nd" = "$nok" ] && [ "$dd" = "$nok" ] && say "$what: a draw stored with each sample, $dd distinct" ||
		bad "$what: $nd samples with a draw stored, $dd distinct draws"
	g=0
	while [ "$g" -lt "$ng" ] && [ "$ng" -gt 1 ]; do
		n=$(q "SELECT count(DISTINCT s.id) FROM metrics m JOIN samples s ON s.id = m.sample_id
		       WHERE s.cell_id = $id AND s.status = 'ok' AND m.name LIKE 'guest$g.%'")
		[ "$n" = "$nok" ] && say "$what: guest $g has its figures in every sample" ||
			bad "$what: guest $g has figures (guest$g.*) in $n of $nok samples"
		g=$((g + 1))
	done
done < "$DB.rnd"
rm -f "$DB.rnd"

# vNUMA exposed or hidden (issue 19): the split guest's kernel sees two nodes, or one.
q "SELECT idx, mode, CASE WHEN params_json LIKE '%\"vnuma\":\"off\"%' THEN 'off' ELSE 'on' END,
	  coalesce(json_extract(placement_json, '$.agent.numa_nodes'), -1)
   FROM cells WHERE backend = 'xen' AND placement = 'split' AND status = 'done' ORDER BY idx" > "$DB.vn"
while IFS='|' read -r idx mode vn nodes; do
	what="cell $idx (xen:$mode split, vnuma $vn)"
	if { [ "$vn" = on ] && [ "$nodes" -ge 2 ]; } || { [ "$vn" = off ] && [ "$nodes" = 1 ]; }; then
		say "$what: the guest kernel sees $nodes NUMA node(s)"
	else
		bad "$what: the guest kernel sees $nodes NUMA node(s)"
	fi
done < "$DB.vn"
rm -f "$DB.vn"

# Cells taking turns (issue 17, order = interleaved): in every sample of a Xen cell the other
# cells' guests were alive and paused (turns.guests and turns.paused, read back from Xen).
q "SELECT c.idx, c.mode, c.vcpus, c.guests_n, count(*),
	  sum(CASE WHEN g.value >= 2 AND p.value = g.value - c.guests_n THEN 1 ELSE 0 END),
	  CAST(min(g.value) AS INTEGER), CAST(min(p.value) AS INTEGER), CAST(max(p.value) AS INTEGER)
   FROM (SELECT id, idx, mode, vcpus, CAST(coalesce(json_extract(params_json, '$.guests'), '1') AS INTEGER) AS guests_n
	 FROM cells WHERE backend = 'xen' AND status = 'done') c
   JOIN samples s ON s.cell_id = c.id AND s.status = 'ok'
   JOIN metrics g ON g.sample_id = s.id AND g.name = 'turns.guests'
   JOIN metrics p ON p.sample_id = s.id AND p.name = 'turns.paused'
   GROUP BY c.id ORDER BY c.idx" > "$DB.turns"
while IFS='|' read -r idx mode vcpus ng n good gmin pmin pmax; do
	what="cell $idx (xen:$mode, $vcpus vCPU(s), taking turns)"
	[ "$n" = "$good" ] && say "$what: $n samples, each with $gmin guests alive and the $pmin others paused" ||
		bad "$what: $good of $n samples had the other guests alive and paused (guests alive >= $gmin, paused $pmin-$pmax)"
done < "$DB.turns"
rm -f "$DB.turns"

# The modes answer: a winner at each vCPU count, for sections run in two modes at two counts.
secs=$(q "SELECT section || ':' || workload FROM cells WHERE backend = 'xen' AND status = 'done' GROUP BY section
	  HAVING count(DISTINCT mode) >= 2 AND count(DISTINCT vcpus) >= 2")
if [ -n "$secs" ]; then
	"$HVB" report --db "$DB" --format json --output "$DB.report.json" > "$DB.report.log" 2>&1 ||
		bad "hvbench report on the lab's database failed: $(tail -n 3 "$DB.report.log")"
	for sw in $secs; do
		sec=${sw%%:*}
		# An answer's group is titled by the section, or by the workload where they are one.
		python3 - "$DB.report.json" "$sec" "${sw#*:}" << 'EOF' && say "modes answer for $sec: $(cat "$DB.ans")" ||
import json, sys
m = json.load(open(sys.argv[1])).get("modes") or {}
out = []
for a in m.get("answers", []):
    if (a.get("group") or "").split(" ")[0] not in sys.argv[2:]:
        continue
    pts = a.get("points", [])
    if len(pts) < 2 or any(not p.get("winner") for p in pts):
        sys.exit(1)
    out.append("%s: %s" % (a.get("metric"), ", ".join("%s wins at %d vCPU(s)" % (p["winner"], p["vcpus"]) for p in pts)))
if not out:
    sys.exit(1)
open(sys.argv[1].replace(".report.json", ".ans"), "w").write("; ".join(out[:2]))
EOF
			bad "hvbench report names no winner at every vCPU count for $sec (see $DB.report.json)"
	done
fi
[ $fails = 0 ]
