#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# hvbench report in text, Markdown and JSON on a store built from recorded
# samples: the mode and placement tables, probe figures per operation, skipped
# and failed cells with reasons, host facts, escaping, and the LAB banner.
. "$top_srcdir/tests/lib.sh"
# These checks read what the text says, not how it wraps: wide enough for one line per item.
export COLUMNS=1000
FIX="$top_builddir/tests/analysis-fixture"
DATA="$top_srcdir/tests/data/analysis/native-samples.txt"
[ -x "$FIX" ] || skip "tests/analysis-fixture is not built"
"$FIX" "$HVBENCH_DB" report "$DATA" || fail "fixture report"

"$HVBENCH" report > "$T/r.txt" 2>&1 || fail "report (text) failed: $(cat "$T/r.txt")"
for want in 'Guest modes against native' 'pv against native' 'pvh against native' 'NUMA placements against local' \
	'remote against local' 'interleave against local' 'xen.guest.hypercalls' 'operation' 'xen: not running in dom0' \
	'agent timed out after 20 s' 'Host of run 1' 'topology.nodes\[1\].cpus'; do
	check "grep -q '$want' '$T/r.txt'" "text report lacks '$want'"
done
# pv is 1.5x native on getppid (lower is better): worse, +50%.
check "grep 'getppid_ns' '$T/r.txt' | grep -q '+50.0%.*worse'" "pv getppid_ns not +50% worse: $(grep getppid_ns "$T/r.txt")"
check "! grep -q 'LAB: not performance' '$T/r.txt'" "a real run is marked LAB"
# The per-operation figures: 2.0 hypercalls per op by the pv guest; dom0's 0.001 in the native
# cell is the host's (xen.host.*), never set against a guest's (issue 15).
check "grep 'xen.guest.hypercalls' '$T/r.txt' | grep -q 'operation *- *2.000 *-'" "hypercalls per operation: $(grep 'xen.*hypercalls' "$T/r.txt" | head -2)"
check "grep 'xen.host.hypercalls' '$T/r.txt' | grep -q 'operation *0.001000 *- *-'" "dom0's hypercalls set against a guest's: $(grep 'xen.*hypercalls' "$T/r.txt" | head -2)"

"$HVBENCH" report 1 --format md --output "$T/r.md" || fail "report --format md"
check "grep -q '^| metric |' '$T/r.md'" "markdown has no table"
check "! grep -q '<script>' '$T/r.md'" "markdown carries a raw <script>"
check "grep -q '&lt;script&gt;' '$T/r.md'" "markdown does not escape the hostname"

"$HVBENCH" report last --format json > "$T/r.json" || fail "report --format json"
if command -v python3 >/dev/null && python3 -c 'import json' 2>/dev/null; then
	check "python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d[\"kind\"]==\"report\"; assert len(d[\"sections\"])==2' '$T/r.json'" \
		"JSON report does not parse or lacks its sections"
fi
check "grep -q '\"verdict\": \"worse\"' '$T/r.json'" "JSON report has no worse verdict"

"$HVBENCH" report --format nope > "$T/e" 2>&1
rc=$?
check "[ $rc = 2 ] && grep -q 'text, md, html, json' '$T/e'" "unknown format: exit $rc, $(cat "$T/e")"
"$HVBENCH" report 99 > "$T/e" 2>&1
rc=$?
check "[ $rc = 2 ] && grep -q \"no run '99'\" '$T/e'" "unknown run: exit $rc, $(cat "$T/e")"

# Lab runs are never performance.
HVBENCH_DB="$T/lab.db" "$FIX" "$T/lab.db" report-lab "$DATA" || fail "fixture report-lab"
HVBENCH_DB="$T/lab.db" "$HVBENCH" report > "$T/lab.txt" 2>&1
check "grep -q 'LAB: not performance' '$T/lab.txt'" "lab run without the LAB banner"
HVBENCH_DB="$T/lab.db" "$HVBENCH" report --format json > "$T/lab.json" 2>&1
check "grep -q '\"lab\": true' '$T/lab.json'" "lab flag missing from JSON"
done_testing
