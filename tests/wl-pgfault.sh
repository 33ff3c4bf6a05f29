#!/bin/sh
# pgfault: every path is measured, fork+exec costs more than fork+exit, and the
# huge-page variant runs where THP is enabled.
. "$top_srcdir/tests/wl-lib.sh"
wl_run pgfault -d 0.4 region=4M fork_mem=8M
need mmap_touch_us fault_ns fork_exit_us fork_exec_us mprotect_ns ops
rel "$(m fork_exec_us)" ">" "$(m fork_exit_us)" "fork+exec slower than fork+exit"
rel "$(m mmap_touch_us)" ">" 0 "mmap+touch+munmap takes time"
rc=0
wl_agent pgfault -d 0.2 pages=thp region=4M fork_mem=4M tests=mmap,mprotect || rc=$?
if [ "$rc" = 0 ]; then
	cat "$WLOUT"
	need mmap_touch_us fault_ns mprotect_ns
elif grep -q "huge pages are disabled" "$WLOUT"; then
	echo "thp: skipped: $(cat "$WLOUT")"
else
	echo "FAIL: pages=thp: $(cat "$WLOUT")"; fails=$((fails + 1))
fi
wl_done
