#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# wakeup: ping-pong and timer figures are present and ordered; a CPU the agent
# may not use is refused with its reason.
. "$top_srcdir/tests/wl-lib.sh"
wl_run wakeup -d 0.3
need wake_ns.p50 wake_ns.p99 timer_overshoot_ns.p50 timer_overshoot_ns.p99 ops
rel "$(m wake_ns.p50)" ">" 0 "wake-up takes time"
rel "$(m wake_ns.p99)" ">=" "$(m wake_ns.p50)" "wake-up p99 >= p50"
rel "$(m timer_overshoot_ns.p99)" ">=" "$(m timer_overshoot_ns.p50)" "timer overshoot p99 >= p50"
wl_run wakeup -d 0.1 cpus=0,0 tests=futex
need wake_ns.p50
rel "$(m cpu_b)" "<=" 0 "both threads on CPU 0 as asked"
rc=0
wl_agent wakeup -d 0.1 cpus=0,1000 || rc=$?
if [ "$rc" != 0 ] && grep -q "CPU 1000 is not among" "$WLOUT"; then
	echo "ok: refused: $(cat "$WLOUT")"
else
	echo "FAIL: cpus=0,1000 gave rc $rc: $(cat "$WLOUT")"; fails=$((fails + 1))
fi
wl_done
