#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# forkexec: hvbench execs itself (its --version goes nowhere near the agent's
# channel: the reply still decodes), with and without busy threads; the p99 is
# at least the median, and without busy threads there is no busy figure.
. "$top_srcdir/tests/wl-lib.sh"
wl_run forkexec -d 0.3 busy=1 mem=4M
need fork_exec_us fork_exec_us.p99 spawns_per_s busy_writes_per_s threads ops
rel "$(m ops)" ">" 0 "fork + exec completed"
rel "$(m fork_exec_us)" ">" 0 "fork + exec takes time"
rel "$(m fork_exec_us.p99)" ">=" "$(m fork_exec_us)" "p99 >= median"
rel "$(m busy_writes_per_s)" ">" 0 "the busy thread wrote"
wl_run forkexec -d 0.2 busy=0 mem=0
need fork_exec_us spawns_per_s ops
if [ -n "$(m busy_writes_per_s)" ]; then
	echo "FAIL: busy=0 reports busy_writes_per_s"; fails=$((fails + 1))
fi
wl_done
