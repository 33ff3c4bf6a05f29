#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# hvbench report on a real run of configs/lab-smoke.ini in the QEMU lab's dom0
# (tests/data/analysis/lab-smoke.sql, a dump of the database `make check-lab`
# brought back on 2026-11-24): guest modes against the native cells in dom0
# (whose memory is not a guest's), placements per mode, the LAB banner, the
# hypervisor facts, and probe figures per operation only where they are amounts.
. "$top_srcdir/tests/lib.sh"
# These checks read what the text says, not how it wraps: wide enough for one line per item.
export COLUMNS=1000
sqlite3 -batch "$HVBENCH_DB" < "$top_srcdir/tests/data/analysis/lab-smoke.sql" || fail "loading the lab dump"
"$HVBENCH" report last > "$T/r.txt" 2>&1 || fail "report failed: $(cat "$T/r.txt")"
for want in 'LAB: not performance' 'Guest modes against native' 'pv (512M) against native' \
	'pvh (512M) against native' 'hvm (512M) against native' 'on xen:pv: remote against local' \
	'on xen:hvm: remote against local' 'host_kind *dom0 (PV)' 'xen.hypervisor *Xen 4.17' \
	'CONFIG_TRACEBUFFER.present *true'; do
	check "grep -q '$want' '$T/r.txt'" "lab report lacks '$want'"
done
# Amounts per operation; levels and percentiles per sample.
check "grep -q 'xen.guest.hypercall.iret .*operation' '$T/r.txt'" "hypercalls not per operation"
for lvl in xenstat.mem_cur_mib xenstat.vcpus xen.guest.wake_latency.p50 xenstat.cpu_pct; do
	check "! grep -q '$lvl .*operation' '$T/r.txt'" "$lvl is divided per operation: $(grep "$lvl" "$T/r.txt" | head -1)"
done
# The fio cells carry the blkback reads the guest's I/O caused, the iperf3 cells netback's bytes.
check "grep -q 'blkback.rd_req' '$T/r.txt'" "no blkback figures in the fio comparisons"
check "grep -q 'netback.from_guest_bytes' '$T/r.txt'" "no netback figures in the iperf3 comparisons"
done_testing
