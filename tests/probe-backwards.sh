#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Counters that go backwards between the two readings of a sample (steal time
# after a migration, a vbd or vif re-created, a reset or a wrap) give no figure
# for that sample and a warning naming the counter and both readings, in every
# probe that subtracts readings: never a figure near 2^64.
. "$top_srcdir/tests/probe-lib.sh"
D="$top_srcdir/tests/data"

# no METRIC WHAT: METRIC is absent from $WLOUT.
no() {
	if [ -z "$(m "$1")" ]; then echo "ok: $2 (no $1)"; else echo "FAIL: $2: $1 = $(m "$1")"; fails=$((fails + 1)); fi
}

# The case: /proc/stat of a Xen guest around a migration (steal went backwards).
"$PT" delta steal "$D/cases/steal/before" "$D/cases/steal/after" >"$WLOUT" 2>"$PERR"
cat "$WLOUT" "$PERR"
no steal.steal_ms "steal_ms of a sample whose steal column went backwards"
no steal.steal_pct "steal_pct of that sample"
has "$PERR" "warning: steal: the steal column of /proc/stat went backwards .*from 47014973794 to 46999134209" \
	"a warning names the counter and both readings"
# The other way round, the same readings are an ordinary sample.
"$PT" delta steal "$D/cases/steal/after" "$D/cases/steal/before" >"$WLOUT" 2>"$PERR"
is "$(m steal.steal_ms)" 158395850 "steal going forwards: 15839585 ticks at 100 Hz"

# A cpu line cut short of the steal column (the 8th value): no steal figure, said, not a steal of 0.
mkdir -p "$WLSCRATCH/short/proc"
printf 'cpu  144718221 824 31704043 11\n' > "$WLSCRATCH/short/proc/stat"
"$PT" delta steal "$D/cases/steal/before" "$WLSCRATCH/short" >"$WLOUT" 2>"$PERR"
no steal.steal_ms "steal_ms with the after reading lacking the steal column"
has "$PERR" "the cpu line has 4 values, the steal time is the 8th" "the warning says the column is missing"
"$PT" delta steal "$WLSCRATCH/short" "$WLSCRATCH/short" >"$WLOUT" 2>"$PERR"
no steal.steal_pct "steal_pct when neither reading has the steal column"

# numastat: numa_hit summed over the nodes went back; the others are figures.
"$PT" delta numastat "$D/probes" "$D/probes/later" >"$WLOUT" 2>"$PERR"
cat "$WLOUT" "$PERR"
no numastat.numa_hit "numastat counter that went backwards"
is "$(m numastat.local_node)" 100 "numastat counters that went forwards"
has "$PERR" "numastat.numa_hit went backwards .*from 44067191 to 44061000" "numastat warning"

# blkback: a vbd re-created (rd_req restarted).
"$PT" delta blkback "$D/probes" "$D/probes/later" 3 >"$WLOUT" 2>"$PERR"
cat "$WLOUT" "$PERR"
no blkback.rd_req "blkback counter that went backwards"
is "$(m blkback.wr_req)" 100 "blkback counters that went forwards"
has "$PERR" "blkback.rd_req went backwards .*from 1230 to 40" "blkback warning"

# netback: a vif's byte count wrapped.
"$PT" delta netback "$D/probes" "$D/probes/later" 3 >"$WLOUT" 2>"$PERR"
cat "$WLOUT" "$PERR"
no netback.from_guest_bytes "netback counter that went backwards"
is "$(m netback.to_guest_packets)" 10 "netback counters that went forwards"

# perf: value, time enabled and time running are each counters.
"$PT" perf-scale cycles 100 1000 1000 400 2000 1500 >"$WLOUT" 2>"$PERR"
is "$(m count)" 600 "perf: a multiplexed count scaled by enabled/running (300 x 1000/500)"
is "$(m running_pct)" 50 "perf: share of the time on the PMU"
for r in "50 2000 1500" "400 900 1500" "400 2000 900"; do
	"$PT" perf-scale cycles 100 1000 1000 $r >"$WLOUT" 2>"$PERR"
	cat "$WLOUT" "$PERR"
	has "$WLOUT" "^no figure \(went backwards\)" "perf: no figure when a reading went back ($r)"
	has "$PERR" "warning: perf: cycles .* went backwards" "perf: the warning names the event"
done
"$PT" perf-scale cycles 100 1000 1000 400 2000 1000 >"$WLOUT" 2>"$PERR"
has "$WLOUT" "never on the PMU" "perf: enabled but never running: no figure"
wl_done
