#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# perf: software events counted around real work in a child process (and its
# own children), checked against what the kernel says the child used; hardware
# events this machine does not expose are reported once, with the reason, and
# the others are still counted.
. "$top_srcdir/tests/probe-lib.sh"

# A busy loop in a child: task-clock agrees with the child's CPU time (rusage).
probe_run_or_skip perf events=task-clock,page-faults,context-switches,cycles,instructions -- \
	sh -c 'i=0; while [ $i -lt 200000 ]; do i=$((i + 1)); done'
need perf.task-clock perf.page-faults perf.context-switches child.cpu_ns
rel "$(m perf.task-clock)" ">" "$(awk -v c="$(m child.cpu_ns)" 'BEGIN { print c * 0.8 }')" "task-clock >= 0.8 x the child's CPU time"
rel "$(m perf.task-clock)" "<" "$(awk -v c="$(m child.cpu_ns)" 'BEGIN { print c * 1.25 + 20e6 }')" "task-clock <= 1.25 x the child's CPU time"
if [ -n "$(m perf.cycles)" ]; then
	# A machine with counters: they count, and IPC is derived.
	need perf.instructions perf.ipc
	rel "$(m perf.cycles)" ">" 0 "cycles counted"
else
	for ev in cycles instructions; do
		is "$(grep -Ec "perf: event $ev not counted: .+" "$PERR")" 1 "$ev reported unsupported once, with a reason"
	done
	[ -z "$(m perf.ipc)" ] || { echo "FAIL: perf.ipc without cycles"; fails=$((fails + 1)); }
fi

# Page faults of a grandchild (inherit): 64 MiB touched in 4 KiB pages.
probe_run_or_skip perf events=page-faults,task-clock -- sh -c "\"$PT\" touch 64"
rel "$(m perf.page-faults)" ">=" 16384 "faults of a grandchild touching 64 MiB are counted"

# One fd per event instead of a group read: the same figures.
probe_run_or_skip perf events=page-faults,context-switches group=off -- "$PT" touch 32
rel "$(m perf.page-faults)" ">=" 8192 "per-event fds count 32 MiB of faults"

# An event libpfm4 does not know is named, with libpfm4's reason.
probe_run_or_skip perf events=page-faults,NO_SUCH_EVENT:X -- true
has "$PERR" "perf: event NO_SUCH_EVENT:X not counted: libpfm4 cannot encode it" "unknown event named with libpfm4's reason"
need perf.page-faults

# Nothing countable: the probe says why instead of producing figures.
r=0; probe_run perf events=NO_SUCH_EVENT:X -- true || r=$?
is "$r" 77 "a probe with no countable event is skipped"
has "$WLOUT" "SKIP perf: none of the events" "the skip says why"
wl_done
