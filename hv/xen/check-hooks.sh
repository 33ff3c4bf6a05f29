#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# make check-hooks XEN_TREE=DIR: builds DIR (a clean git checkout of Xen 4.20
# or later) with hvbench's hooks series (hvbench hv build), boots it in the
# lab on Xen 4.20's dom0 (hvbench lab --xen-image) running configs/lab-hooks.ini,
# and checks what the hooks gave. Without XEN_TREE a skip (77) that says why:
# CI has no Xen source tree, Debian serves none.
# usage: check-hooks.sh HVBENCH SRCDIR WORKDIR [XEN_TREE]
HVB=$1 SRC=$2 WORK=$3 TREE=${4:-}
if [ -z "$TREE" ]; then
	echo "check-hooks: SKIP: no Xen source tree given (make check-hooks XEN_TREE=DIR, a clean git checkout of" \
	     "Xen 4.20 or later kept outside this repository)"
	exit 77
fi
mkdir -p "$WORK" || exit 1
fails=0
bad() { echo "check-hooks: FAIL: $*"; fails=$((fails + 1)); }

# 1. the hypervisor: built again unless WORKDIR's last build had the same inputs (the tree's
# commit, the series and the fragment), a quarter of an hour saved on a re-run.
inputs=$(git -C "$TREE" rev-parse HEAD 2>/dev/null; cat "$SRC"/hv/xen/patches/*.patch "$SRC/hv/xen/hvbench.config" | sha256sum)
IMAGE=$WORK/xen-build/xen.gz
if [ -s "$IMAGE" ] && [ "$(cat "$WORK/xen-build.inputs" 2>/dev/null)" = "$inputs" ] &&
	! git -C "$TREE" status --porcelain --untracked-files=no | grep -q .; then
	echo "check-hooks: $IMAGE was built from these inputs already ($(head -1 "$WORK/xen-build.inputs")): not built again"
else
	rm -f "$WORK/xen-build.inputs"
	HVBENCH_XENDIR=$SRC/hv/xen "$HVB" hv build "$TREE" --out "$WORK/xen-build" || exit $?
	echo "$inputs" > "$WORK/xen-build.inputs"
fi
# 2. hvbench for the Debian 13 dom0, then the lab with the built hypervisor
bash "$SRC/hv/lab/build-in-chroot.sh" trixie "$SRC" "$WORK/dom0-build" || exit 1
HVBENCH_LABDIR=$SRC/hv/lab "$HVB" lab --xen 4.20 --xen-image "$IMAGE" --dom0-hvbench "$WORK/dom0-build/hvbench" \
	--experiment "$SRC/configs/lab-hooks.ini" --workdir "$WORK/lab" --no-guest-proof
rc=$?
[ $rc = 0 ] || bad "hvbench lab exited $rc"
DB=$WORK/lab/out/lab.db
[ -s "$DB" ] || { bad "no result database $DB came back"; exit 1; }
q() { sqlite3 -batch -noheader "$DB" "$1"; }
sumof() { # WORKLOAD LIKE-PATTERN -> the metric summed over the workload's ok samples
	q "SELECT coalesce(sum(m.value), 0) FROM metrics m JOIN samples s ON s.id = m.sample_id
	   JOIN cells c ON c.id = s.cell_id WHERE c.workload = '$1' AND s.status = 'ok' AND m.name LIKE '$2'"
}
# 3. what the hooks gave
# the run's host facts name the hooks (hv check's own reading, in the fingerprint merge and show use)
hooks=$(q "SELECT json_extract(host_json, '$.fingerprint.xen_hooks') FROM runs")
echo "hooks recorded with the run: $hooks"
[ "$hooks" = "CONFIG_TRACEBUFFER CONFIG_PERF_COUNTERS CONFIG_DEBUG_LOCK_PROFILE" ] ||
	bad "the run's host facts do not name the three hooks: '$hooks'"
copies=$(sumof iperf3 'xenperf.gnttab_copy_operations')
packets=$(sumof iperf3 'netback.%_packets')
echo "iperf3 cells: $copies grant copy operations (xenperf), $packets packets through netback"
awk -v c="$copies" 'BEGIN { exit !(c > 0) }' || bad "no grant copy counted in the iperf3 cells"
# netback copies each packet's data from (rx) or into (tx) guest pages by grant copy:
# at least one copy per packet, and a handful at most (one per page fragment).
awk -v c="$copies" -v p="$packets" 'BEGIN { exit !(p > 0 && c / p >= 1 && c / p <= 20) }' ||
	bad "grant copies per packet $copies / $packets is not between 1 and 20"
gnt=$(q "SELECT count(*) FROM metrics WHERE name LIKE 'xenlockprof.gnttab_%'")
[ "$gnt" -gt 0 ] || bad "the lock profile names no grant table lock (xenlockprof.gnttab_*)"
trc=$(sumof iperf3 'xen.%.grant.copy')
echo "grant copy trace records' operations in the iperf3 cells: $trc"
awk -v c="$trc" 'BEGIN { exit !(c > 0) }' || bad "no grant copy trace record (hooks 0001) decoded in the iperf3 cells"
# Shadow paging, which the fragment turns on: an hvm-shadow cell ran, its paging read back.
sh=$(q "SELECT count(*) FROM cells WHERE mode = 'hvm-shadow' AND status = 'done'")
echo "hvm-shadow cells done (hap = off, shadow paging read back from the domain): $sh"
[ "$sh" -ge 1 ] || bad "no hvm-shadow cell ran: $(q "SELECT status || ': ' || coalesce(reason, '') FROM cells WHERE mode = 'hvm-shadow'")"
[ $fails = 0 ] && echo "check-hooks: PASS ($IMAGE)"
[ $fails = 0 ]
