#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# steal: inside the agent around an oversubscribed spinlock (more threads than
# CPUs: involuntary switches must show); the /proc readers on a recorded tree.
. "$top_srcdir/tests/probe-lib.sh"
D="$top_srcdir/tests/data/probes"

"$PT" stat "$D" >"$WLOUT"
is "$(m steal)" 3815 "/proc/stat steal column"
is "$(m total)" 679824 "/proc/stat total of user..steal"
"$PT" ctxt "$D" 4242 >"$WLOUT"
is "$(m nonvoluntary)" 123 "involuntary switches summed over the threads"
is "$(m voluntary)" 17 "voluntary switches summed over the threads"

threads=$(($(nproc) * 4))
agent_probe spinlock "\"kind\":\"tas\",\"threads\":\"$threads\"" steal '' 0.5 || true
need acq_per_s steal.steal_pct steal.steal_ms steal.nonvoluntary_ctxt steal.voluntary_ctxt
rel "$(m steal.nonvoluntary_ctxt)" ">" 0 "$threads threads on $(nproc) CPUs are preempted"
rel "$(m steal.steal_pct)" ">=" 0 "steal share >= 0"
rel "$(m steal.steal_pct)" "<=" 100 "steal share <= 100"
wl_done
