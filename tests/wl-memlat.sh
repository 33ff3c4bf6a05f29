#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# memlat: latency rises out of the caches; the auto curve covers 4K to beyond
# the LLC; node binding works on node 0 and skips on a node that is not there;
# extra_work really adds work in proportion.
. "$top_srcdir/tests/wl-lib.sh"
wl_run memlat -d 0.4 sizes=16K,256M
need lat_ns.16K lat_ns.256M ops.16K ops.256M
# Loads at 16K and at 256M differ 100-fold: their sum is no base for per-load figures.
[ -z "$(m ops)" ] || { echo "FAIL: two sizes, yet one ops figure ($(m ops))"; fails=$((fails + 1)); }
rel "$(m lat_ns.256M)" ">" "$(m lat_ns.16K)" "latency at 256M above 16K"
wl_run memlat -d 0.1 sizes=16K
need lat_ns.16K ops.16K ops
rel "$(m ops)" "<=" "$(m ops.16K)" "one size: ops is its loads"
rel "$(m ops)" ">=" "$(m ops.16K)" "one size: ops is its loads"

wl_run memlat -d 0.5 sizes=auto
need lat_ns.4K
last=$(awk '$1 ~ /^lat_ns\./ { n = $1 } END { print n }' "$WLOUT")
if [ -n "$(m llc_bytes)" ]; then
	# the label hvbench gives the size: largest binary unit that divides it
	top="lat_ns.$(awk -v l="$(m llc_bytes)" 'BEGIN { t = l * 4; u = ""
		split("K M G T", s, " "); for (i = 1; i <= 4 && t % 1024 == 0; i++) { t /= 1024; u = s[i] }
		printf "%d%s", t, u }')"
else
	top=lat_ns.256M # no cache size known: the fallback top
fi
case "$last" in "$top") echo "ok: auto curve ends at $last" ;;
*) echo "FAIL: auto curve ends at $last, expected $top"; fails=$((fails + 1)) ;; esac

if [ -d /sys/devices/system/node/node0 ]; then
	wl_run memlat -d 0.2 sizes=64K node=0
	need lat_ns.64K
fi
rc=0
wl_agent memlat -d 0.1 sizes=64K node=1023 || rc=$?
if [ "$rc" != 0 ] && grep -q "node 1023 does not exist" "$WLOUT"; then
	echo "ok: missing node skipped with its reason: $(cat "$WLOUT")"
else
	echo "FAIL: node=1023 gave rc $rc: $(cat "$WLOUT")"; fails=$((fails + 1))
fi

extra_work_check lat_ns.16K lower extra_work.16K memlat -d 0.1 sizes=16K
wl_done
