#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Text that reads well, and JSON for programs: list, show and topo --json parse
# and carry a schema version; piped text fits 100 columns; figures in scaled
# units; metrics carrying sizes in the sizes' order; info metrics out of
# comparison tables; the gate's regressions first; "B is R ± E × A" after two
# configs run side by side; the dry-run estimate leaves skipped cells out.
. "$top_srcdir/tests/lib.sh"
command -v python3 > /dev/null || skip "python3 is not installed"
cd "$T" || fail "cd"
unset COLUMNS
export HVBENCH_DB="$T/t.db"

cat > a.ini <<'INI'
[experiment]
repetitions = 3
warmup = 0
duration = 0.02s
[memlat]
sizes = 1M, 16K, 256K
[syscall]
INI
"$HVBENCH" run a.ini a.ini --label base --label cand > run.out 2> run.err; rc=$?
check '[ $rc = 0 ]' "two-config run exited $rc: $(cat run.err)"
check 'grep -Eq "getppid_ns: cand is [0-9]+\.[0-9]{2} ± [0-9.]+ × base" run.out' "no hyperfine line: $(tail -8 run.out)"
check 'grep -Eq "lat_ns.16K: cand is [0-9.]+ ± [0-9.]+ × base" run.out' "no line for memlat's primary metric"

# --json: python3's json module reads it, with the kind and the schema version.
jcheck() { # KIND FILE
	python3 -c 'import json, sys
d = json.load(open(sys.argv[2]))
assert d["kind"] == sys.argv[1] and d["schema_version"] == 1, d' "$1" "$2" 2> jerr
	check '[ $? = 0 ]' "$1 --json: $(cat jerr)"
}
"$HVBENCH" list --json > list.json || fail "list --json"
jcheck list list.json
check 'python3 -c "import json; d = json.load(open(\"list.json\")); assert [r[\"label\"] for r in d[\"runs\"]] == [\"base\", \"cand\"]"' "list --json runs"
"$HVBENCH" show cand --json > show.json || fail "show --json"
jcheck show show.json
check 'python3 -c "import json; d = json.load(open(\"show.json\")); m = d[\"cells\"][0][\"metrics\"]; assert [x[\"name\"] for x in m][:3] == [\"lat_ns.16K\", \"lat_ns.256K\", \"lat_ns.1M\"], m; assert m[0][\"unit\"] == \"ns\" and m[0][\"n\"] == 3"' "show --json metrics: $(head -c 600 show.json)"
"$HVBENCH" topo --json --topology "synthetic:pack:2 numa:1 core:2 pu:1" --vcpus 2 > topo.json || fail "topo --json"
jcheck topo topo.json
check 'python3 -c "import json; d = json.load(open(\"topo.json\")); assert len(d[\"topology\"][\"nodes\"]) == 2 and d[\"placements\"][2][\"name\"] == \"local\""' "topo --json: $(cat topo.json)"
for c in list show topo; do
	check '"$HVBENCH" help --complete options $c | grep -qx -- --json' "completion lacks $c --json"
	check '"$HVBENCH" help --man hvbench-$c.1 | grep -q "schema_version"' "man page of $c does not document its JSON"
done

# Piped text fits 100 columns (code points, not bytes).
"$HVBENCH" show cand > show.txt
"$HVBENCH" compare base cand > compare.txt
"$HVBENCH" report cand > report.txt
"$HVBENCH" list > list.txt

for f in run.out show.txt compare.txt report.txt list.txt; do
	w=$(python3 -c 'import sys; print(max(len(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")))' $f)
	check '[ "$w" -le 100 ]' "$f: a line of $w columns"
done
COLUMNS=80 "$HVBENCH" compare base cand > narrow.txt
w=$(python3 -c 'import sys; print(max(len(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")))' narrow.txt)
check '[ "$w" -le 80 ]' "COLUMNS=80: a line of $w columns"

# Scaled units: llc_bytes in MiB, counts with k/M, not 2.726e+08 bytes.
check 'grep -Eq "^  llc_bytes +[0-9.]+ +(KiB|MiB|GiB) " show.txt' "llc_bytes not scaled: $(grep llc_bytes show.txt)"
check 'grep -Eq "^  (ops\.[0-9]+[KM]|getppid_ops) +[0-9.]+ +(k|M|G) (accesses|calls) " show.txt' "counts not scaled: $(grep ops show.txt)"
check '! grep -q "e+0" show.txt' "show has exponents: $(grep e+0 show.txt)"
# Sizes by value: 16K, 256K, 1M.
check 'grep -o "lat_ns\.[0-9]*[KM]" show.txt | head -3 | tr "\n" " " | grep -qx "lat_ns.16K lat_ns.256K lat_ns.1M "' \
	"sizes not in order: $(grep -o 'lat_ns\.[0-9]*[KM]' show.txt | tr '\n' ' ')"
# Info metrics out of comparison tables (the JSON keeps them).
check 'grep -q "^  lat_ns.16K " compare.txt && grep -q "^  getppid_ns " compare.txt' "compare lacks judged metrics"
check '! grep -Eq "^  (llc_bytes|ops) " compare.txt' "info metrics in compare: $(grep -E '^  (llc_bytes|ops) ' compare.txt)"
"$HVBENCH" compare base cand --format json | grep -q '"llc_bytes"' || fail "compare's JSON lost the info metrics"

# The gate lists its regressions first.
FIX="$top_builddir/tests/analysis-fixture"
if [ -x "$FIX" ]; then
	"$FIX" "$T/reg.db" regress "$top_srcdir/tests/data/analysis/native-samples.txt" || fail "fixture regress"
	HVBENCH_DB="$T/reg.db" "$HVBENCH" gate --baseline base --candidate cand > gate.txt
	r=$(grep -n "^== Regressions ==" gate.txt | cut -d: -f1)
	o=$(grep -n "^== cand" gate.txt | cut -d: -f1)
	check '[ -n "$r" ] && [ -n "$o" ] && [ "$r" -lt "$o" ]' "regressions not first: $(head -30 gate.txt)"
	check '[ $(sed -n "/^== Regressions ==/,/^[^ ]/p" gate.txt | grep -c "+20") = 4 ]' "the regressions table: $(head -30 gate.txt)"
fi

# The dry-run estimate leaves skipped cells out: a Xen cell (skipped here: no dom0) adds nothing.
printf '[experiment]\nrepetitions = 3\nduration = 2s\n[syscall]\n' > one.ini
printf '[experiment]\nrepetitions = 3\nduration = 2s\nbackends = native, xen:pv\n[syscall]\n' > two.ini
"$HVBENCH" run one.ini --dry-run --db "$T/none.db" > one.plan || fail "dry-run one"
"$HVBENCH" run two.ini --dry-run --db "$T/none.db" > two.plan || fail "dry-run two"
check '[ ! -e "$T/none.db" ]' "a dry run made a store"
if grep -q "will be skipped" two.plan; then
	check 'grep -q "1 skipped cell left out" two.plan' "two.plan: $(cat two.plan)"
	check '[ "$(grep -o "estimated duration: [0-9:]*" one.plan)" = "$(grep -o "estimated duration: [0-9:]*" two.plan)" ]' \
		"skipped cell counted: $(grep estimated one.plan two.plan)"
fi
# ... and takes the sample time measured before, from the store.
"$HVBENCH" run a.ini --dry-run > a.plan || fail "dry-run a"
check 'grep -q "2 cells at the sample time measured before" a.plan' "measured times: $(tail -1 a.plan)"
done_testing
