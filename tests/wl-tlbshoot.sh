#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# tlbshoot: threads of one address space complete cycles on several CPUs, each
# cycle's mprotect and munmap are timed inside it (so a cycle costs at least
# both), and one thread alone runs too.
. "$top_srcdir/tests/wl-lib.sh"
for nt in 2 1; do
	wl_run tlbshoot -d 0.2 threads=$nt pages=8
	need mprotect_ns munmap_ns cycle_ns cycles_per_s threads ops
	rel "$(m threads)" ">=" "$nt" "threads=$nt: threads reported"
	rel "$(m threads)" "<=" "$nt" "threads=$nt: threads reported"
	rel "$(m ops)" ">" 0 "threads=$nt: cycles completed"
	rel "$(m cycles_per_s)" ">" 0 "threads=$nt: cycles per second"
	rel "$(m mprotect_ns)" ">" 0 "threads=$nt: mprotect takes time"
	rel "$(m munmap_ns)" ">" 0 "threads=$nt: munmap takes time"
	rel "$(m cycle_ns)" ">=" "$(awk -v a="$(m mprotect_ns)" -v b="$(m munmap_ns)" 'BEGIN { print a + b }')" \
		"threads=$nt: a cycle holds its mprotect and its munmap"
done
wl_done
