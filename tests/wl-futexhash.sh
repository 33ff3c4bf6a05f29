#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# futexhash: private and shared futexes, every call answered (whole rounds over
# each thread's futexes), a positive cost per call.
. "$top_srcdir/tests/wl-lib.sh"
for shared in off on; do
	wl_run futexhash -d 0.2 threads=2 futexes=64 shared=$shared
	need ops_per_s op_ns threads ops
	rel "$(m ops)" ">" 0 "shared=$shared: calls counted"
	rel "$(awk -v n="$(m ops)" 'BEGIN { print n % 64 }')" "<=" 0 "shared=$shared: whole rounds of 64 futexes"
	rel "$(m op_ns)" ">" 0 "shared=$shared: a call takes time"
	rel "$(m ops_per_s)" ">" 0 "shared=$shared: calls per second"
done
wl_done
