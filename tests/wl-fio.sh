#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# fio: the installed fio runs on a scratch file through the agent; the figures
# are present and ordered, the file is gone afterwards, and a failing fio is
# reported with what it said. fio's raw output goes back with the figures, the
# target directory (option directory) and its file system as facts; direct I/O
# on tmpfs is refused.
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
# fact NAME: a fact the sample recorded; artifact NAME: its size in bytes.
fact() { sed -n "s/^fact:$1 //p" "$WLOUT"; }
artifact() { awk -v n="artifact:$1" '$1 == n { print $2 }' "$WLOUT"; }
# The raw fio output goes back with the figures, and the target with its file system.
wl_run fio -d 1 size=1M rw=randread ioengine=psync direct=off bs=4K
rel "$(artifact fio.json)" ">" 100 "fio's JSON output kept as an artifact"
check_eq() { if [ "$1" = "$2" ]; then echo "ok: $3 ($1)"; else echo "FAIL: $3: '$1', expected '$2'"; fails=$((fails + 1)); fi; }
check_eq "$(fact fio.target)" "$WLSCRATCH" "auto: the agent's TMPDIR"
want_fs=$(findmnt -n -o FSTYPE --target "$WLSCRATCH" 2>/dev/null || true)
[ -z "$want_fs" ] || check_eq "$(fact fio.fs_type)" "$want_fs" "the file system of TMPDIR, as findmnt names it"
check_eq "$(fact fio.version)" "$(fio --version)" "fio's version"
# directory = another one: honoured, and its file system recorded.
other=$(mktemp -d "${TMPDIR:-/tmp}/hvb-fio-dir.XXXXXX")
wl_run fio -d 1 size=1M rw=randread ioengine=psync direct=off "directory=$other"
check_eq "$(fact fio.target)" "$other" "directory = $other honoured"
want_fs=$(findmnt -n -o FSTYPE --target "$other" 2>/dev/null || true)
[ -z "$want_fs" ] || check_eq "$(fact fio.fs_type)" "$want_fs" "its file system"
left=$(ls -A "$other" | grep -c . || true)
rel "$left" "<=" 0 "scratch file removed from $other"
rmdir "$other"
rc=0
wl_agent fio -d 1 size=1M directory=relative/dir || rc=$?
if [ "$rc" = 1 ] && grep -q "directory 'relative/dir' is not an absolute path" "$WLOUT"; then
	echo "ok: a relative directory refused"
else
	echo "FAIL: directory=relative/dir gave rc $rc: $(cat "$WLOUT")"; fails=$((fails + 1))
fi
# tmpfs: memory. direct = off runs there and the sample says tmpfs; direct = on is
# refused with the reason, whether or not this kernel's tmpfs takes O_DIRECT (6.6+):
# it would bypass nothing and pass memory off as a disk.
if [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ]; then
	shm=$(mktemp -d /dev/shm/hvb-wl-scratch.XXXXXX)
	wl_run fio -d 1 size=1M ioengine=psync direct=off "directory=$shm"
	check_eq "$(fact fio.fs_type)" tmpfs "a tmpfs result says tmpfs"
	rc=0
	wl_agent fio -d 1 size=1M direct=on "directory=$shm" || rc=$?
	if [ "$rc" = 77 ] && grep -q "$shm is on tmpfs, in memory: direct = on would bypass no page cache" "$WLOUT"; then
		echo "ok: tmpfs with direct = on refused: $(head -c 300 "$WLOUT")"
	else
		echo "FAIL: tmpfs with direct = on gave rc $rc, expected 77: $(cat "$WLOUT")"; fails=$((fails + 1))
	fi
	rm -rf "$shm"
else
	echo "note: /dev/shm is not a tmpfs here: the tmpfs checks are not made"
fi
wl_done
