#!/bin/sh
# syscall: the null call and the read pair are measured; a large read costs
# more than a small one; extra_work adds calls in proportion.
. "$top_srcdir/tests/wl-lib.sh"
wl_run syscall -d 0.3
need getppid_ns read_small_ns read_large_ns ops
rel "$(m getppid_ns)" ">" 0 "null call takes time"
rel "$(m read_large_ns)" ">" "$(m read_small_ns)" "64K read slower than 64 B read"
wl_run syscall -d 0.2 calls=getppid
base=$(m getppid_ns)
wl_run syscall -d 0.2 calls=getppid extra_work=1
rel "$(m getppid_ns)" ">" "$(awk -v b="$base" 'BEGIN { print b * 1.3 }')" "extra_work=1 at least 1.3x per call (expected 2x)"
wl_done
