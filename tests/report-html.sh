#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The HTML report of a store built from recorded samples, opened in headless
# Chromium: no console message at all (the page has no scripts, so any is an
# error), every plot present as parsed SVG, labels escaped. The screenshot is
# kept as tests/report-html.png.
. "$top_srcdir/tests/lib.sh"
FIX="$top_builddir/tests/analysis-fixture"
DATA="$top_srcdir/tests/data/analysis/native-samples.txt"
CHROMIUM=/usr/bin/chromium
[ -x "$FIX" ] || skip "tests/analysis-fixture is not built"
command -v gnuplot >/dev/null || skip "gnuplot is not installed (.ci/setup installs gnuplot-nox)"
[ -x "$CHROMIUM" ] || skip "chromium is not installed (.ci/setup installs it)"
"$FIX" "$HVBENCH_DB" report "$DATA" || fail "fixture report"
"$HVBENCH" report --format html --output "$T/r.html" 2> "$T/err" || fail "report --format html: $(cat "$T/err")"

# The forest plot of every comparison (1); modes: getppid_ns and read_small_ns,
# a distribution each (2); placements: lat_ns.16K and lat_ns.4M as one curve
# against size, and one heat map (2); which mode wins: getppid_ns and
# read_small_ns against vCPUs (2).
nsvg=$(grep -c '<svg' "$T/r.html")
nfig=$(grep -c '<figure id=' "$T/r.html")
check "[ $nsvg = 7 ] && [ $nfig = 7 ]" "expected 7 plots, found $nsvg SVG in $nfig figures"
check "! grep -q 'plot failed' '$T/r.html'" "a plot failed: $(cat "$T/err")"
check "! grep -q '<script' '$T/r.html'" "the HTML carries a script (a label was not escaped?)"
check "grep -q '&lt;b&gt;nightly &amp; &quot;quoted&quot;' '$T/r.html'" "the run label is not escaped"

chrome() {
	profile="$T/profile-$1"
	shift
	"$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --user-data-dir="$profile" --enable-logging=stderr --v=0 \
		"$@" 2>> "$T/chromium.log"
}
shot="$top_builddir/tests/report-html.png"
rm -f "$shot"
chrome 1 --window-size=1280,4000 --screenshot="$shot" "file://$T/r.html" > /dev/null
check "[ -s '$shot' ]" "no screenshot written"
chrome 2 --dump-dom "file://$T/r.html" > "$T/dom.html"
ndom=$(grep -c '<svg' "$T/dom.html")
check "[ $ndom = 7 ]" "Chromium's DOM holds $ndom SVG elements, expected 7"
check "! grep -q 'CONSOLE' '$T/chromium.log'" "console messages: $(grep CONSOLE "$T/chromium.log")"
done_testing
