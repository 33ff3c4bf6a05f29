#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The minor faults of the review (issue 20, item 9), each with its right answer.
. "$top_srcdir/tests/lib.sh"
# These checks read what the text says, not how it wraps: wide enough for one line per item.
export COLUMNS=1000
FIX="$top_builddir/tests/analysis-fixture"
DATA="$top_srcdir/tests/data/analysis/native-samples.txt"
[ -x "$FIX" ] || skip "tests/analysis-fixture is not built"
cd "$T" || fail "cd"
"$FIX" reg.db regress "$DATA" > /dev/null || fail "fixture regress"
export HVBENCH_DB="$T/reg.db"

# gate's FAIL banner with nothing missing: no "0 missing" glued to the rule.
"$HVBENCH" gate --baseline base --candidate cand > out 2>&1
check 'grep -q "Gate: FAIL: 4 metrics regressed by more than 3.0% with significance (alpha 0.05, Holm-adjusted, rule hvbench)\.$" out' \
	"banner: $(grep 'Gate:' out)"
check '! grep -q "missing" out' "the banner speaks of missing metrics: $(grep 'Gate:' out)"

# A run gated (or compared) against itself: an error, not a pass.
for spec in "base base" "1 base" "last 2"; do
	set -- $spec
	"$HVBENCH" gate --baseline $1 --candidate $2 > out 2> err; rc=$?
	check '[ $rc = 2 ] && grep -q "same run" err' "gate $1 against $2: exit $rc, $(cat err)"
	"$HVBENCH" compare $1 $2 > out 2> err; rc=$?
	check '[ $rc = 2 ] && grep -q "same run" err' "compare $1 $2: exit $rc, $(cat err)"
done

# --output's extension picks the format; a --format that contradicts it is an error.
for e in json:json md:md html:html htm:html txt:text; do
	ext=${e%%:*} fmt=${e#*:}
	for cmd in "report cand" "compare base cand" "gate --baseline base --candidate cand"; do
		rm -f "out.$ext"
		"$HVBENCH" $cmd --output "out.$ext" > /dev/null 2> err; rc=$?
		check '[ $rc -le 1 ] && [ -s "out.$ext" ]' "$cmd --output out.$ext: exit $rc, $(cat err)"
		case $fmt in
		json) check 'python3 -c "import json,sys; json.load(open(sys.argv[1]))" "out.$ext"' "$cmd: out.$ext is not JSON" ;;
		html) check 'grep -qi "<html" "out.$ext"' "$cmd: out.$ext is not HTML" ;;
		md) check 'grep -q "^#" "out.$ext" && ! grep -qi "<html" "out.$ext"' "$cmd: out.$ext is not Markdown" ;;
		text) "$HVBENCH" $cmd --format text > want.txt 2> /dev/null
			check 'cmp -s want.txt "out.$ext"' "$cmd: out.$ext is not the text report" ;;
		esac
	done
done
"$HVBENCH" report cand --format md --output x.json > /dev/null 2> err; rc=$?
check '[ $rc = 2 ] && grep -q "json file" err && [ ! -e x.json ]' "--format md --output x.json: exit $rc, $(cat err)"
"$HVBENCH" report cand --format json --output y.json > /dev/null 2> err
check '[ $? = 0 ] && [ -s y.json ]' "--format json --output y.json: $(cat err)"
"$HVBENCH" report cand --output y.out > /dev/null 2> err
"$HVBENCH" report cand > want.txt 2> /dev/null
check 'cmp -s want.txt y.out' "--output with another extension is not the text report: $(head -3 y.out)"

# --baseline of a mode no backend has.
for m in bogus xen:pv PV; do
	"$HVBENCH" report cand --baseline $m > /dev/null 2> err; rc=$?
	check '[ $rc = 2 ] && grep -q "expected a guest mode: native" err' "--baseline $m: exit $rc, $(cat err)"
done
"$HVBENCH" report cand --baseline pvh > /dev/null 2> err
check '[ $? = 0 ]' "--baseline pvh: $(cat err)"

# A missing database: hvbench's words, exit 2 (the README's "bad input"), nothing created.
for cmd in "list" "show 1" "report" "compare 1 2" "gate --baseline 1 --candidate 2" "history lat_ns.16K"; do
	"$HVBENCH" $cmd --db "$T/none.db" > /dev/null 2> err; rc=$?
	check '[ $rc = 2 ] && grep -q "no result store here" err && ! grep -qi "sqlite\|unable to open" err' \
		"$cmd with a missing store: exit $rc, $(cat err)"
	check '[ ! -e "$T/none.db" ]' "$cmd created the missing store"
done

# Read-only commands leave no -shm or -wal beside the store.
"$FIX" ro.db aa "$DATA" > /dev/null || fail "fixture aa"
for cmd in "list" "show 1" "report" "compare 1 2" "gate --baseline 1 --candidate 2" "history lat_ns.16K"; do
	"$HVBENCH" $cmd --db ro.db > /dev/null 2>&1
	check '[ ! -e ro.db-shm ] && [ ! -e ro.db-wal ]' "$cmd left $(ls ro.db-* 2>/dev/null)"
done

# hv check names only probes that exist.
"$HVBENCH" hv check --json > hv.json 2> /dev/null
for p in $(python3 -c 'import json,sys; [print(h["probes"]) for h in json.load(open(sys.argv[1]))["hooks"].values() if h["probes"]]' hv.json); do
	check '"$HVBENCH" help --complete probes | grep -qx "$p"' "hv check names probe $p, which does not exist"
done
done_testing
