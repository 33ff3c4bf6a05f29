#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# numa: the pages of a process bound to node 0 are reported on node 0, both for
# a child bound with libnuma and for the agent running memlat with node=0
# (guest-side); the numa_maps and numastat readers on a recorded tree.
. "$top_srcdir/tests/probe-lib.sh"
D="$top_srcdir/tests/data/probes"

"$PT" numa-maps "$D/proc/4242/numa_maps" >"$WLOUT"
# 2 + 1 + 2 MiB huge pages (2 x 512) + 5 on node 0; 1024 + 512 on node 1
is "$(awk '$1 == "node0" { print $2 }' "$WLOUT")" 1032 "numa_maps: node 0 base pages, huge pages converted"
is "$(awk '$1 == "node1" { print $2 }' "$WLOUT")" 1536 "numa_maps: node 1 base pages"
"$PT" numastat "$D" >"$WLOUT"
is "$(m numa_miss)" 25 "numastat summed over nodes"
is "$(m local_node)" 44067181 "numastat local_node summed"

[ -d /sys/devices/system/node/node0 ] || { echo "SKIP: no NUMA node 0 on this host"; exit 77; }

# A child that binds its memory to node 0 and touches 64 MiB (16384 pages).
probe_run_or_skip numa interval=20ms -- "$PT" touch 64 0
need numa.node0.pages numa.numa_hit numa.local_pct
rel "$(m numa.node0.pages)" ">=" 16384 "64 MiB bound to node 0 is seen on node 0"
for n in $(ls -d /sys/devices/system/node/node[0-9]* | sed 's/.*node//'); do
	[ "$n" = 0 ] && continue
	rel "$(m numa.node$n.pages)" "<" 1024 "next to nothing on node $n"
done

# The agent, running memlat with its buffer bound to node 0.
agent_probe memlat '"sizes":"64M","node":"0"' numa '"interval":"20ms"' 0.5 || true
need numa.node0.pages
rel "$(m numa.node0.pages)" ">=" 16384 "memlat's 64 MiB buffer is seen on node 0 of the agent"
wl_done
