#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make check-lab: runs an experiment in the lab and checks what came back.
# usage: check-lab.sh HVBENCH EXPERIMENT WORKDIR [--reuse | --xen VER [--dom0-hvbench BIN]] [--timeout S]
#   --reuse: check WORKDIR's last lab again; --xen 4.20 (with the Debian 13 build of hvbench for dom0):
#   the lab of another Xen version (hvbench lab --xen); --timeout: QEMU's time limit (hvbench lab --timeout).
# Passes when the lab ran, every cell
# has its samples (a native cell may skip only for want of NUMA nodes in dom0's own
# view), native cells say "dom0 (PV)", placements read back as asked, and no domain
# is left behind. Needs root, Debian's package registry and about 3 GB.
usage() { echo "usage: check-lab.sh HVBENCH EXPERIMENT WORKDIR [--reuse | --xen VER [--dom0-hvbench BIN]] [--timeout S]" >&2; exit 2; }
[ $# -ge 3 ] || usage
HVB=$1 EXP=$2 WORK=$3 REUSE= XENV=4.17 DOM0= TMO=
shift 3
while [ $# -gt 0 ]; do
	case $1 in
	--reuse) REUSE=--reuse ;;
	--xen) [ $# -ge 2 ] || usage; XENV=$2; shift ;;
	--dom0-hvbench) [ $# -ge 2 ] || usage; DOM0=$2; shift ;;
	--timeout) [ $# -ge 2 ] || usage; TMO=$2; shift ;;
	*) usage ;;
	esac
	shift
done
command -v sqlite3 >/dev/null || { echo "check-lab: needs the sqlite3 program (apt-get install sqlite3)" >&2; exit 1; }
rc=0
if [ "$REUSE" != --reuse ]; then
	rm -rf "$WORK"
	# No hand-made guest proof (hv/lab/guest-proof.sh): every guest cell below is the
	# backend itself booting the image in its mode, which proves more in less time.
	"$HVB" lab --xen "$XENV" ${DOM0:+--dom0-hvbench "$DOM0"} ${TMO:+--timeout "$TMO"} --experiment "$EXP" --workdir "$WORK" --no-guest-proof
	rc=$?
fi
fails=0
bad() { echo "check-lab: FAIL: $*"; fails=$((fails + 1)); }
[ $rc = 0 ] || bad "hvbench lab exited $rc"
OUT=$WORK/out
DB=$OUT/lab.db
[ -s "$DB" ] || { bad "no result database $DB came back"; exit 1; }
q() { sqlite3 -batch -noheader "$DB" "$1"; }

[ "$(q 'SELECT count(*) FROM runs WHERE lab = 1')" = 1 ] || bad "the database should hold one run marked lab"
[ "$(q "SELECT status FROM runs")" = done ] || bad "run status is '$(q 'SELECT status FROM runs')', not done"
kind=$(q "SELECT json_extract(host_json, '$.host_kind') FROM runs")
[ "$kind" = "dom0 (PV)" ] || bad "host kind of the native cells is '$kind', expected 'dom0 (PV)'"

# Every cell has its samples, each ok with metrics.
# One line per cell whatever a reason holds (a guest's console tail had line ends).
q "SELECT c.idx, c.backend || ':' || c.mode, c.placement, c.workload, c.status,
	  replace(replace(replace(coalesce(c.reason, ''), char(10), ' '), char(13), ' '), '|', '/'),
	  (SELECT count(*) FROM samples s WHERE s.cell_id = c.id AND s.status = 'ok'
	     AND EXISTS (SELECT 1 FROM metrics m WHERE m.sample_id = s.id))
   FROM cells c ORDER BY c.idx" > "$WORK/cells.txt"
while IFS='|' read -r idx be pl wl st reason nok; do
	case "$st:$be:$reason" in
	done:*) [ "$nok" -ge 1 ] || bad "cell $idx ($be $pl $wl) is done without an ok sample"
		[ -z "$reason" ] || echo "check-lab: cell $idx ($be $pl $wl) done, with a note: $reason" ;;
	skipped:native:native:*NUMA\ node*) echo "check-lab: cell $idx ($be $pl $wl) skipped as it must in dom0: $reason" ;;
	# libxl builds vNUMA for HVM guests only (hv/xen.c says why, as seen in the lab).
	skipped:xen:pv:*vNUMA*|skipped:xen:pvh:*vNUMA*)
		[ "$pl" = split ] || bad "cell $idx ($be $pl $wl) is skipped: $reason"
		echo "check-lab: cell $idx ($be $pl $wl) skipped as libxl requires: $reason" ;;
	*) bad "cell $idx ($be $pl $wl) is $st: $reason" ;;
	esac
done < "$WORK/cells.txt"
[ -s "$WORK/cells.txt" ] || bad "no cells in the run"

# Placements read back as asked. The runner fails a cell whose agent or backend saw another
# placement than planned, so a done cell was verified; here: the plan and the readback are stored
# (a Xen guest's readback comes from the hypervisor: vCPU affinity and memory per node).
q "SELECT idx, backend, placement, placement_json FROM cells WHERE status = 'done' AND placement IN ('local', 'remote', 'split')" |
while IFS='|' read -r idx be pl pj; do
	echo "$pj" | grep -q '"plan":{' || { echo "check-lab: FAIL: cell $idx ($be $pl): no plan stored"; continue; }
	echo "$pj" | grep -q '"agent":{' || echo "check-lab: FAIL: cell $idx ($be $pl): the agent's view is not stored"
	[ "$be" = xen ] && ! echo "$pj" | grep -q '"readback":{' &&
		echo "check-lab: FAIL: cell $idx ($be $pl): no readback from the hypervisor"
done | tee "$WORK/placement-check.txt"
grep -q FAIL "$WORK/placement-check.txt" && fails=$((fails + 1))

# What the probes saw of each guest cell: the PV cells' traces hold PV hypercalls, the
# PVH and HVM cells' traces VM exits (when the experiment has the xentrace probe), fio
# cells blkback requests and iperf3 cells netback traffic (when it has those probes).
sumof() { # CELL_ID LIKE-PATTERN -> the metric summed over the cell's ok samples
	q "SELECT coalesce(sum(m.value), 0) FROM metrics m JOIN samples s ON s.id = m.sample_id
	   WHERE s.cell_id = $1 AND s.status = 'ok' AND m.name LIKE '$2'"
}
probes=$(q "SELECT config_text FROM runs" | sed -n 's/^[[:space:]]*probes[[:space:]]*=//p' | tr -d ' ')
has_probe() { case ",$probes," in *",$1,"*) return 0 ;; esac; return 1; }
q "SELECT id, idx, mode, placement, workload FROM cells WHERE backend = 'xen' AND status = 'done' ORDER BY idx" |
while IFS='|' read -r id idx mode pl wl; do
	what="cell $idx (xen:$mode $pl $wl)"
	if has_probe xentrace; then
		case $mode in
		pv) pat='xen.guest.hypercall.%' kind="PV hypercalls" ;;
		*) pat='xen.guest.exit.%' kind="VM exits" ;;
		esac
		n=$(sumof "$id" "$pat")
		awk -v n="$n" 'BEGIN { exit !(n > 0) }' && echo "check-lab: $what: trace holds $n $kind" ||
			echo "check-lab: FAIL: $what: its trace holds no $kind"
	fi
	# hvm-emu: QEMU's emulated disk serves fio, not blkback.
	if [ "$wl" = fio ] && [ "$mode" != hvm-emu ] && has_probe blkback; then
		n=$(sumof "$id" 'blkback.rd_req')
		awk -v n="$n" 'BEGIN { exit !(n > 0) }' && echo "check-lab: $what: blkback served $n read requests" ||
			echo "check-lab: FAIL: $what: blkback saw no read requests"
	fi
	if [ "$wl" = iperf3 ] && has_probe netback; then
		n=$(sumof "$id" 'netback.from_guest_bytes')
		awk -v n="$n" 'BEGIN { exit !(n > 0) }' && echo "check-lab: $what: netback carried $n bytes from the guest" ||
			echo "check-lab: FAIL: $what: netback carried no traffic from the guest"
	fi
done | tee "$WORK/probe-check.txt"
grep -q FAIL "$WORK/probe-check.txt" && fails=$((fails + 1))

# What one packet or block request costs the backend (issue 15): dom0's grant copies per
# netback packet and grant maps per blkback request above zero, from its own traced calls.
if has_probe xentrace; then
	sh "$(dirname "$0")/../xen/check-cost.sh" "$DB" > "$WORK/cost-check.txt"
	[ $? = 1 ] && fails=$((fails + 1))
	cat "$WORK/cost-check.txt"
fi

# The paths of the developers' questions (issues 17, 18, 19), where the run has their cells.
sh "$(dirname "$0")/check-answers.sh" "$HVB" "$DB" > "$WORK/answers-check.txt"
[ $? = 0 ] || fails=$((fails + 1))
cat "$WORK/answers-check.txt"

# No domain left behind: only Domain-0 in the final xl list.
left=$(tail -n +2 "$OUT/xl-list-end.txt" 2>/dev/null | grep -vc '^Domain-0')
[ -s "$OUT/xl-list-end.txt" ] || bad "no xl list from the end of the run"
[ "$left" = 0 ] || bad "$left domain(s) left behind: $(tail -n +2 "$OUT/xl-list-end.txt" | grep -v '^Domain-0' | tr '\n' ' ')"

# Each Xen mode of the experiment booted the guest image and ran at least one cell.
for m in $(q "SELECT DISTINCT mode FROM cells WHERE backend = 'xen'"); do
	[ "$(q "SELECT count(*) FROM cells WHERE backend = 'xen' AND mode = '$m' AND status = 'done'")" -ge 1 ] ||
		bad "no xen:$m cell ran"
done

if [ $fails = 0 ]; then
	echo "check-lab: PASS, Xen $XENV ($(wc -l < "$WORK/cells.txt") cells)"
	exit 0
fi
echo "check-lab: $fails check(s) failed; the lab's files are in $WORK"
exit 1
