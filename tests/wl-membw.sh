#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# membw: every STREAM kernel reports a positive bandwidth (the workload checks
# the arrays' values itself); auto arrays leave the cache.
. "$top_srcdir/tests/wl-lib.sh"
wl_run membw -d 0.3 size=4M threads=2
need copy_gbs scale_gbs add_gbs triad_gbs triad_gbs_median ops
rel "$(m triad_gbs)" ">" 0 "triad bandwidth"
rel "$(m copy_gbs)" ">" 0 "copy bandwidth"
rel "$(m triad_gbs)" ">=" "$(m triad_gbs_median)" "best pass >= median pass"
wl_run membw -d 0.1 kernels=triad threads=1
need triad_gbs
rel "$(m array_bytes)" ">=" 16777216 "auto arrays at least 16M"
[ -z "$(m copy_gbs)" ] && echo "ok: only the asked kernel" || { echo "FAIL: copy measured though not asked"; fails=$((fails + 1)); }
wl_done
