#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
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
left=$(ls -A "$WLSCRATCH" | grep -c . || true)
rel "$left" "<=" 0 "scratch file removed"
rc=0
wl_agent fio -d 1 -D /proc/hvbench-no-such-file size=1M || rc=$?
if [ "$rc" != 0 ] && grep -q "fio on /proc/hvbench-no-such-file" "$WLOUT"; then
	echo "ok: failure reported: $(cat "$WLOUT")"
else
	echo "FAIL: fio on a bad target gave rc $rc: $(cat "$WLOUT")"; fails=$((fails + 1))
fi
# direct = on on a file system without O_DIRECT (tmpfs before Linux 6.6): skipped with
# what to do, not a failure; where tmpfs takes O_DIRECT, fio runs there.
if [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ]; then
	keep=$WLSCRATCH
	WLSCRATCH=$(mktemp -d /dev/shm/hvb-wl-scratch.XXXXXX)
	dd if=/dev/zero of="$WLSCRATCH/probe" bs=4096 count=1 oflag=direct 2>/dev/null && want=0 || want=77
	rm -f "$WLSCRATCH/probe"
	rc=0
	wl_agent fio -d 1 size=1M direct=on || rc=$?
	if [ "$rc" = "$want" ] && { [ "$want" = 0 ] || grep -q "O_DIRECT, which the file system of $WLSCRATCH refuses" "$WLOUT"; }; then
		echo "ok: tmpfs scratch with direct = on gave $rc as dd oflag=direct foretold: $(head -c 300 "$WLOUT")"
	else
		echo "FAIL: tmpfs scratch with direct = on gave rc $rc, expected $want: $(cat "$WLOUT")"; fails=$((fails + 1))
	fi
	rm -rf "$WLSCRATCH"
	WLSCRATCH=$keep
else
	echo "note: /dev/shm is not a tmpfs here: the O_DIRECT refusal is not checked"
fi
wl_done
