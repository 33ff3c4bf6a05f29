#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# syscall: the null call and the read pair are measured, each counted apart; a large read costs
# more than a small one; extra_work adds calls in proportion.
. "$top_srcdir/tests/wl-lib.sh"
wl_run syscall -d 0.3
need getppid_ns read_small_ns read_large_ns getppid_ops read_small_ops read_large_ops
[ -z "$(m ops)" ] || { echo "FAIL: three calls, yet one ops figure ($(m ops))"; fails=$((fails + 1)); }
rel "$(m getppid_ns)" ">" 0 "null call takes time"
rel "$(m read_large_ns)" ">" "$(m read_small_ns)" "64K read slower than 64 B read"
extra_work_check getppid_ns lower extra_work.getppid syscall -d 0.1 calls=getppid
wl_done
