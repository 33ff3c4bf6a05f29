#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The backend-cost assertions of issue 15 on a result database the lab brought back
# (for hv/lab/check-lab.sh and check-hooks.sh to call): in a PV dom0, netback (iperf3)
# cells of Xen guests have grant copies per packet above zero in their medians, and
# blkback (fio) cells have their grant maps per request stored: Linux's blkfront and
# blkback negotiate persistent grants by default, so after the first requests blkback maps
# nothing (0.0 in the Xen 4.20 lab). Cells whose persistent grants were read back off
# (readback.pv_devices.persistent_grants in the cell's placement_json, from xenstore; the
# experiment key feature_persistent = off asks for it) have them above zero: blkback maps
# each request's pages. hvm-emu cells, emulated devices served by QEMU, are left out. Exit 0 when all hold, 1 with
# each failure named, 77 when the run has no such cells (nothing to assert).
# usage: check-cost.sh DB [RUN_ID]   (default: the last run)
DB=$1 RUN=${2:-}
[ -s "$DB" ] || { echo "check-cost: FAIL: no database $DB"; exit 1; }
q() { sqlite3 -batch -noheader -separator ' ' "$DB" "$1"; }
[ -n "$RUN" ] || RUN=$(q "SELECT max(id) FROM runs")
case $RUN in ''|*[!0-9]*) echo "check-cost: FAIL: no run in $DB"; exit 1 ;; esac
fails=0 seen=0
# cell id, mode, median over its ok samples of a metric (the lower median: no averaging);
# a cell without the metric gives its id and mode alone. $3: a further condition on the cell.
med() {
	q "SELECT c.id, c.mode, m.value FROM cells c LEFT JOIN samples s ON s.cell_id = c.id AND s.status = 'ok'
	   LEFT JOIN metrics m ON m.sample_id = s.id AND m.name LIKE '$2'
	   WHERE c.run_id = $RUN AND c.backend = 'xen' AND c.mode <> 'hvm-emu' AND c.workload = '$1' AND c.status IN ('done', 'partial')
	   ${3:+AND $3} ORDER BY c.id, m.value" > "${TMPDIR:-/tmp}/check-cost.$$.rows" || return 1
	awk '{ if (!($1 in mode)) { order[n++] = $1; mode[$1] = $2 } if ($3 != "") v[$1, k[$1]++] = $3 }
	     END { for (i = 0; i < n; i++) { c = order[i]; print c, mode[c], (k[c] ? v[c, int((k[c] - 1) / 2)] : "") } }' \
	    "${TMPDIR:-/tmp}/check-cost.$$.rows"
}
check() { # workload metric-pattern what [present: a stored figure is enough] [condition on the cell c]
	if ! med "$1" "$2" "${5:-}" > "${TMPDIR:-/tmp}/check-cost.$$"; then
		echo "check-cost: FAIL: cannot read the $1 cells of run $RUN${5:+ where $5}"; fails=$((fails + 1))
	fi
	while read -r cell mode v; do
		seen=$((seen + 1))
		if [ -z "$v" ]; then
			echo "check-cost: FAIL: cell $cell ($mode, $1): no $3 ($2) was stored"; fails=$((fails + 1))
		elif [ "${4:-}" != present ] && ! awk -v v="$v" 'BEGIN { exit !(v > 0) }'; then
			echo "check-cost: FAIL: cell $cell ($mode, $1): $3 is $v, expected above zero"; fails=$((fails + 1))
		else
			echo "check-cost: ok: cell $cell ($mode, $1): $3 $v"
		fi
	done < "${TMPDIR:-/tmp}/check-cost.$$"
	rm -f "${TMPDIR:-/tmp}/check-cost.$$" "${TMPDIR:-/tmp}/check-cost.$$.rows"
}
check iperf3 'cost.guest_%.backend.grant_copies.per_packet' "dom0's grant copies per packet"
check fio 'cost.%.backend.grant_maps.per_request' "dom0's grant maps per request (persistent grants)" present
# Only where such a cell exists: persistent grants off, as read back from xenstore.
check fio 'cost.%.backend.grant_maps.per_request' "dom0's grant maps per request (persistent grants read back off)" \
	positive "json_extract(c.placement_json, '\$.readback.pv_devices.persistent_grants') = 'off'"
# A cell that asked for persistent grants but could not have them is a skip with its reason: said, not asserted.
q "SELECT c.id, c.mode, json_extract(c.params_json, '\$.feature_persistent'), c.reason FROM cells c
   WHERE c.run_id = $RUN AND c.workload = 'fio' AND c.status = 'skipped'
   AND json_extract(c.params_json, '\$.feature_persistent') IS NOT NULL" |
	while read -r cell mode fp reason; do
		echo "check-cost: note: cell $cell ($mode, fio) asked feature_persistent = $fp and was skipped: $reason"
	done
[ $seen -gt 0 ] || { echo "check-cost: SKIP: run $RUN has no Xen iperf3 or fio cells"; exit 77; }
[ $fails = 0 ]
