#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# xenperf and xenlockprof: `hvbench help` documents them everywhere; in a dom0
# whose hypervisor has the hooks (hvbench hv build) they run around a command;
# a hypervisor built without them, or no Xen at all, is a skip that says why
# (Debian's hypervisors: "built without CONFIG_PERF_COUNTERS").
. "$top_srcdir/tests/probe-lib.sh"

for p in xenperf xenlockprof; do
	"$HVBENCH" help $p >"$WLOUT" 2>&1 || { echo "FAIL: hvbench help $p exited $?"; fails=$((fails + 1)); }
	cat "$WLOUT"
	has "$WLOUT" "^probe $p: " "help names the probe"
	has "$WLOUT" "^  $p\." "help lists its metrics"
	has "$WLOUT" "^on this host: " "help says whether it runs here"
done
"$HVBENCH" help probes >"$WLOUT" 2>&1 || true
has "$WLOUT" "^  xenperf " "hvbench help probes lists xenperf"
has "$WLOUT" "^  xenlockprof " "hvbench help probes lists xenlockprof"

ran=0
for p in xenperf xenlockprof; do
	r=0; probe_run $p -- sh -c 'i=0; while [ $i -lt 200000 ]; do i=$((i + 1)); done' || r=$?
	if [ "$r" = 77 ]; then
		has "$WLOUT" "^SKIP $p: .+" "the skip says why"
		echo "skip: $(cat "$WLOUT")"
		continue
	fi
	is "$r" 0 "probe-test run $p"
	ran=1
done
if [ "$p" = xenlockprof ] && [ "$ran" = 1 ]; then
	# any hypervisor with lock profiling profiles its global locks
	grep -q '^xenlockprof\.global\.' "$WLOUT" || { echo "FAIL: no global lock profiled"; fails=$((fails + 1)); }
fi
[ "$ran" = 1 ] || { [ "$fails" = 0 ] && exit 77; }
wl_done
