#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# spinlock: every kind runs, excludes (the workload checks its counter) and
# reports sane figures; more threads than CPUs still completes; extra_work
# slows acquisitions by the fraction asked.
. "$top_srcdir/tests/wl-lib.sh"
for kind in ticket tas mcs pthread-mutex; do
	wl_run spinlock -d 0.2 kind=$kind threads=2 hold=50
	need acq_per_s wait_ns.p50 wait_ns.p99 wait_ns.max fairness ops
	rel "$(m acq_per_s)" ">" 0 "$kind acquisitions/s"
	rel "$(m wait_ns.p99)" ">=" "$(m wait_ns.p50)" "$kind wait p99 >= p50"
	rel "$(m wait_ns.max)" ">=" "$(m wait_ns.p99)" "$kind wait max >= p99"
	rel "$(m fairness)" "<=" 1 "$kind fairness <= 1"
done
ncpu=$(getconf _NPROCESSORS_ONLN)
wl_run spinlock -d 0.2 kind=mcs threads=$((ncpu * 2)) hold=20
need acq_per_s fairness
rel "$(m threads)" ">" "$ncpu" "oversubscribed: more threads than CPUs"
# One thread: extra_work's cost without the lock's contention, whose swings on a loaded
# 2-CPU machine (one pair measured 0.29, another 4.1) hid it in the median of 5 pairs.
extra_work_check acq_per_s higher extra_work spinlock -d 0.1 kind=tas threads=1
wl_done
