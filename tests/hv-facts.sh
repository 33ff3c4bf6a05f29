#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs say which Xen they measured, and compare and gate warn when baseline and
# candidate measured different hypervisors (version, changeset, command line,
# scheduler, hooks): in the log, the text and Markdown reports, JSON and JUnit.
# The stored facts are those hv/xen-hooks.c records in a dom0; here they are
# written into two recorded runs' host_json, as a dom0 run would hold them.
. "$top_srcdir/tests/lib.sh"
FIX="$top_builddir/tests/analysis-fixture"
DATA="$top_srcdir/tests/data/analysis/native-samples.txt"
[ -x "$FIX" ] || skip "tests/analysis-fixture is not built"
command -v sqlite3 >/dev/null || skip "needs the sqlite3 program"
"$FIX" "$T/x.db" aa "$DATA" || fail "fixture"
xen() { # LABEL VERSION SCHEDULER
	sqlite3 "$T/x.db" "UPDATE runs SET host_json = json_set(host_json, '\$.xen', json('{\"hypervisor\":\"$2\",
	  \"changeset\":\"\",\"commandline\":\"console=com1 spec-ctrl=eager-fpu\",\"scheduler\":\"$3\",
	  \"hooks\":{\"CONFIG_TRACEBUFFER\":{\"present\":true}}}')) WHERE label = '$1'" || fail "sqlite3"
}
xen base "Xen 4.17.7" "credit2 ratelimit_us=1000"
xen cand "Xen 4.17.7" "credit2 ratelimit_us=1000"
HVBENCH_DB="$T/x.db" "$HVBENCH" gate --baseline base --candidate cand > "$T/same.out" 2>&1
check "! grep -q 'different hypervisors' '$T/same.out'" "a warning for the same hypervisor: $(cat "$T/same.out")"
HVBENCH_DB="$T/x.db" "$HVBENCH" report --format json base > "$T/one.json" 2>&1
check "grep -q 'spec-ctrl=eager-fpu' '$T/one.json'" "the run's report does not show Xen's command line"

xen cand "Xen 4.20.5-pre" "credit ratelimit_us=1000"
HVBENCH_DB="$T/x.db" "$HVBENCH" gate --baseline base --candidate cand --junit "$T/g.xml" --markdown "$T/g.md" \
	> "$T/diff.out" 2>&1
check "grep -q \"warning: the two runs measured different hypervisors: hypervisor 'Xen 4.17.7' against 'Xen 4.20.5-pre'; scheduler\" '$T/diff.out'" \
	"no warning on stderr: $(cat "$T/diff.out")"
check "grep -q 'Warning: the two runs measured different hypervisors' '$T/diff.out'" "no warning in the text report"
check "grep -q 'different hypervisors' '$T/g.md'" "no warning in the Markdown"
check "grep -q 'name=\"hypervisor_differs\" value=\"hypervisor' '$T/g.xml'" "no JUnit property: $(head -3 "$T/g.xml")"
HVBENCH_DB="$T/x.db" "$HVBENCH" compare --format json base cand > "$T/c.json" 2>/dev/null
check "python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert \"4.20.5-pre\" in d[\"hypervisor_differs\"]' '$T/c.json'" \
	"no hypervisor_differs in the JSON"

# A hypervisor built with hvbench's hooks against Debian's of the same series: the
# two runs' recorded facts (tests/data/hosts: the xen facts of make check-hooks'
# dom0 and of CI's Debian 13 lab), the hooks named in the warning.
recorded() { # LABEL FILE
	sqlite3 "$T/x.db" "UPDATE runs SET host_json = json_set(host_json, '\$.xen',
	  json(readfile('$top_srcdir/tests/data/hosts/$2'))) WHERE label = '$1'" || fail "sqlite3 readfile"
}
recorded base xen420-debian-dom0.json
recorded cand xen420-hooks-dom0.json
HVBENCH_DB="$T/x.db" "$HVBENCH" gate --baseline base --candidate cand > "$T/hooks.out" 2>&1
check "grep -q \"hooks 'CONFIG_TRACEBUFFER' against 'CONFIG_TRACEBUFFER CONFIG_PERF_COUNTERS CONFIG_DEBUG_LOCK_PROFILE'\" '$T/hooks.out'" \
	"the hooks are not named in the warning: $(grep -i hooks "$T/hooks.out")"
# hv check names the probe each hook serves (here, off Xen, present unknown).
"$HVBENCH" hv check --json > "$T/hv.json" 2>/dev/null
check "python3 -c 'import json,sys; h=json.load(open(sys.argv[1]))[\"hooks\"]; assert [h[k][\"probes\"] for k in (\"CONFIG_TRACEBUFFER\", \"CONFIG_PERF_COUNTERS\", \"CONFIG_DEBUG_LOCK_PROFILE\")] == [\"xentrace\", \"xenperf\", \"xenlockprof\"], h' '$T/hv.json'" \
	"hv check does not name xenperf and xenlockprof: $(cat "$T/hv.json")"
done_testing
