#!/bin/sh
# fio: the installed fio runs on a scratch file through the agent; the figures
# are present and ordered, the file is gone afterwards, and a failing fio is
# reported with what it said.
. "$top_srcdir/tests/wl-lib.sh"
wl_run fio -d 1 size=8M rw=randrw ioengine=psync direct=off bs=4K
need iops read_iops write_iops bw_mbs clat_us.p50 clat_us.p99 clat_us.p99.9 ops
rel "$(m iops)" ">" 0 "IOPS"
rel "$(m clat_us.p99)" ">=" "$(m clat_us.p50)" "clat p99 >= p50"
rel "$(m clat_us.p99.9)" ">=" "$(m clat_us.p99)" "clat p99.9 >= p99"
# A sample seed above 2^63 (the runner sends seeds as signed 64-bit JSON integers): fio
# parses --randseed as signed and once refused such a seed in the lab.
wl_run fio -d 1 -s -3972 size=1M rw=randread ioengine=psync direct=off bs=4K
need iops
left=$(ls "$WLSCRATCH" | grep -c hvbench-fio || true)
rel "$left" "<=" 0 "scratch file removed"
rc=0
wl_agent fio -d 1 -D /proc/hvbench-no-such-file size=1M || rc=$?
if [ "$rc" != 0 ] && grep -q "fio on /proc/hvbench-no-such-file" "$WLOUT"; then
	echo "ok: failure reported: $(cat "$WLOUT")"
else
	echo "FAIL: fio on a bad target gave rc $rc: $(cat "$WLOUT")"; fails=$((fails + 1))
fi
wl_done
