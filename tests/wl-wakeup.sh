#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# wakeup: ping-pong and timer figures are present and ordered; a CPU the agent
# may not use is refused with its reason. On one CPU the hand-over is a
# same-CPU wake-up, named wake_same_cpu_ns, never the cross-CPU wake_ns.
. "$top_srcdir/tests/wl-lib.sh"
# absent NAME...: metrics not reported.
absent() {
	for n in "$@"; do
		[ -z "$(m "$n")" ] || { echo "FAIL: metric $n reported ($(m "$n"))"; fails=$((fails + 1)); }
	done
}
if [ "$(nproc)" -ge 2 ]; then
	wl_run wakeup -d 0.3
	need wake_ns.p50 wake_ns.p99 timer_overshoot_ns.p50 timer_overshoot_ns.p99 wake_ops timer_ops
	absent wake_same_cpu_ns.p50 ops
	rel "$(m wake_ns.p50)" ">" 0 "wake-up takes time"
	rel "$(m wake_ns.p99)" ">=" "$(m wake_ns.p50)" "wake-up p99 >= p50"
	rel "$(m timer_overshoot_ns.p99)" ">=" "$(m timer_overshoot_ns.p50)" "timer overshoot p99 >= p50"
fi
wl_run wakeup -d 0.1 cpus=0,0 tests=futex
need wake_same_cpu_ns.p50 wake_same_cpu_ns.p99
absent wake_ns.p50 wake_ns.p99
rel "$(m cpu_b)" "<=" 0 "both threads on CPU 0 as asked"
# An agent held to one CPU (a vcpus = 1 cell): cpus = auto puts both on it.
if command -v taskset >/dev/null; then
	first=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' /proc/$$/status | sed 's/[-,].*//')
	wl_request wakeup -d 0.1 | TMPDIR="$WLSCRATCH" taskset -c "$first" "$HVBENCH" agent | "$WLTEST" -r >"$WLOUT" ||
		{ echo "FAIL: wakeup on one CPU: $(cat "$WLOUT")"; fails=$((fails + 1)); }
	cat "$WLOUT"
	need wake_same_cpu_ns.p50 timer_overshoot_ns.p50
	absent wake_ns.p50
fi
rc=0
wl_agent wakeup -d 0.1 cpus=0,1000 || rc=$?
if [ "$rc" != 0 ] && grep -q "CPU 1000 is not among" "$WLOUT"; then
	echo "ok: refused: $(cat "$WLOUT")"
else
	echo "FAIL: cpus=0,1000 gave rc $rc: $(cat "$WLOUT")"; fails=$((fails + 1))
fi
wl_done
