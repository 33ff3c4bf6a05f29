#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# hvbench export (CSV read back by Python's csv module, JSON by its json
# module), the file-safety rule of --output, and import (idempotent).
. "$top_srcdir/tests/lib.sh"
command -v python3 >/dev/null || skip "python3 is not installed"

LABEL='base, "quoted"'
"$HVBENCH" bench memlat sizes=16K,64K duration=20ms warmup=0 --repetitions 2 --label "$LABEL" > "$T/out" 2>&1 ||
	fail "bench memlat: $(cat "$T/out")"
"$HVBENCH" bench syscall duration=20ms warmup=0 --repetitions 3 > "$T/out" 2>&1 || fail "bench syscall: $(cat "$T/out")"
rows=$(q "SELECT count(*) FROM metrics")

"$HVBENCH" export 1 2 > "$T/x.csv" || fail "export csv"
python3 - "$T/x.csv" "$rows" "$LABEL" <<'PY' || fail "the CSV read back: see above"
import csv, sys, datetime
path, rows, label = sys.argv[1], int(sys.argv[2]), sys.argv[3]
raw = open(path, newline='').read()
assert raw.endswith('\r\n') and '\n' not in raw.replace('\r\n', ''), "RFC 4180 line ends are CRLF"
r = list(csv.DictReader(open(path, newline='')))
assert len(r) == rows, (len(r), rows)
cols = list(r[0].keys())
assert cols[:3] == ['schema_version', 'run_id', 'run_label'], cols
for c in ('backend', 'mode', 'placement', 'vcpus', 'memory', 'workload', 'seed', 'started', 'started_utc',
          'sample_status', 'metric', 'value', 'unit', 'param.sizes', 'param.hugepages'):
    assert c in cols, c
assert all(x['schema_version'] == '2' for x in r)
m = [x for x in r if x['workload'] == 'memlat']
assert {x['run_label'] for x in m} == {label}, {x['run_label'] for x in m}
assert {x['param.sizes'] for x in m} == {'16K,64K'}
assert {x['param.sizes'] for x in r if x['workload'] == 'syscall'} == {''}
assert {x['metric'] for x in m} >= {'lat_ns.16K', 'lat_ns.64K'}
for x in r:
    float(x['value']); assert 0 <= int(x['seed']) < 2**64
    t = datetime.datetime.fromisoformat(x['started_utc'].replace('Z', '+00:00')).timestamp()
    assert abs(t - float(x['started'])) < 1e-5, (t, x['started'])
    assert x['sample_status'] == 'ok' and x['backend'] == 'native' and x['vcpus'] == '1'
PY
"$HVBENCH" export 1 2 --format json > "$T/x.json" || fail "export json"
python3 - "$T/x.json" "$T/x.csv" <<'PY' || fail "the JSON read back: see above"
import csv, json, sys
d = json.load(open(sys.argv[1]))
c = list(csv.DictReader(open(sys.argv[2], newline='')))
assert d['kind'] == 'export' and d['schema_version'] == 2
assert d['columns'] == list(c[0].keys()), (d['columns'], list(c[0].keys()))
assert len(d['rows']) == len(c)
for j, x in zip(d['rows'], c):
    assert list(j.keys()) == d['columns']
    assert float(x['value']) == j['value'], (x['value'], j['value'])
    assert x['metric'] == j['metric'] and x['run_label'] == j['run_label']
    assert (j['param.sizes'] or '') == x['param.sizes']
    # every bit of the seed: a string in JSON, the same digits as the CSV's
    assert isinstance(j['seed'], str) and j['seed'] == x['seed'], (j['seed'], x['seed'])
PY
# ... and the stored seed itself (SQLite keeps it as a signed 64-bit integer).
s1=$(q "SELECT seed FROM samples WHERE seed IS NOT NULL AND rep >= 0 ORDER BY id LIMIT 1")
[ "$s1" -lt 0 ] 2>/dev/null && s1=$(python3 -c "print($s1 + 2**64)")
grep -q "\"seed\": *\"$s1\"" "$T/x.json" || fail "the JSON seed is not the stored one ($s1)"
"$HVBENCH" export 1 --format xml 2> "$T/err"; check '[ $? = 2 ]' "--format xml"
"$HVBENCH" export 99 2> "$T/err"; check '[ $? = 2 ]' "export of a missing run"
# --output: a new file, or one hvbench wrote; never another file.
"$HVBENCH" export 1 --output "$T/o.csv" || fail "export --output"
"$HVBENCH" export 2 --output "$T/o.csv" || fail "export over its own output"
check 'grep -q ",syscall," "$T/o.csv" && ! grep -q ",memlat," "$T/o.csv"' "output not replaced"
"$HVBENCH" export 2 --format json --output "$T/o.csv" || fail "json export over its own csv output"
echo "precious" > "$T/mine.csv"
"$HVBENCH" export 1 --output "$T/mine.csv" 2> "$T/err"; check '[ $? = 2 ]' "export over a file of someone else"
check '[ "$(cat "$T/mine.csv")" = precious ]' "a file hvbench did not write was overwritten"
"$HVBENCH" export 1 --output "$HVBENCH_DB" 2>/dev/null; check '[ $? = 2 ]' "export over the store"

# import: another store's runs, with their samples; twice adds nothing.
OTHER="$T/other.db"
HVBENCH_DB="$OTHER" "$HVBENCH" bench memlat sizes=16K,64K duration=20ms warmup=0 --repetitions 2 --label cand > "$T/out" 2>&1 ||
	fail "bench into another store: $(cat "$T/out")"
before=$(q "SELECT count(*) FROM metrics")
"$HVBENCH" import "$OTHER" > "$T/imp" || fail "import: $(cat "$T/imp")"
check 'grep -q "1 run added" "$T/imp"' "import says: $(cat "$T/imp")"
check '[ "$(q "SELECT count(*) FROM metrics")" = $((before + $(sqlite3 "$OTHER" "SELECT count(*) FROM metrics"))) ]' "metrics imported"
check '[ "$(q "SELECT count(*) FROM runs")" = 3 ]' "runs after import"
"$HVBENCH" import "$OTHER" > "$T/imp" || fail "import again"
check 'grep -q "0 runs added, 1 already here whole.*nothing new" "$T/imp"' "import again says: $(cat "$T/imp")"
check '[ "$(q "SELECT count(*) FROM runs")" = 3 ] && [ "$(q "SELECT count(*) FROM metrics")" = $((before + $(sqlite3 "$OTHER" "SELECT count(*) FROM metrics"))) ]' \
	"a second import added rows: $(q "SELECT count(*) FROM metrics")"
# A store into itself: refused (2) by name, through a link too, nothing written.
ln -s "$HVBENCH_DB" "$T/self-link.db"
for self in "$HVBENCH_DB" "$T/self-link.db"; do
	"$HVBENCH" merge "$self" --db "$HVBENCH_DB" > "$T/imp" 2> "$T/err"; rc=$?
	check '[ $rc = 2 ] && grep -q "is the target store (--db)" "$T/err"' "merge of the store into itself ($self): exit $rc: $(cat "$T/err")"
done
"$HVBENCH" import "$HVBENCH_DB" > "$T/imp" 2> "$T/err"; rc=$?
check '[ $rc = 2 ] && grep -q "is the target store (HVBENCH_DB)" "$T/err"' "import of itself: exit $rc: $(cat "$T/err")"
check '[ "$(q "SELECT count(*) FROM runs")" = 3 ]' "import of itself added runs"
check '[ "$(q "SELECT label FROM runs WHERE id=3")" = cand ]' "imported label"
"$HVBENCH" export cand > "$T/c.csv" || fail "export of the imported run"
# One row per metric of each sample, as many as the other store holds.
check '[ "$(grep -c ",cand," "$T/c.csv")" = "$(sqlite3 "$OTHER" "SELECT count(*) FROM metrics")" ]' "imported samples exported: $(cat "$T/c.csv")"
if "$HVBENCH" compare "$LABEL" cand > "$T/cmp" 2>&1; then
	check 'grep -q "lat_ns.16K" "$T/cmp"' "compare with an imported run: $(cat "$T/cmp")"
fi
echo "not a db" > "$T/junk.db"
# A file that is no store is a store error (1) whether it is a FILE or the --db; one
# that does not exist is bad input (2), as the man page's exit codes say.
"$HVBENCH" import "$T/junk.db" 2> "$T/err"; rc=$?
check '[ $rc = 1 ] && grep -q "not an SQLite database" "$T/err"' "import of a file that is no store: exit $rc: $(cat "$T/err")"
"$HVBENCH" merge "$OTHER" --db "$T/junk.db" 2> "$T/err"; rc=$?
check '[ $rc = 1 ] && grep -q "not an SQLite database" "$T/err"' "merge into a --db that is no store: exit $rc: $(cat "$T/err")"
"$HVBENCH" merge "$T/nonexistent.db" 2> "$T/err"; rc=$?
check '[ $rc = 2 ] && grep -q "no result store here" "$T/err"' "merge of a file that is not there: exit $rc: $(cat "$T/err")"
# A label a spreadsheet would run as a formula gets a leading ' in CSV (not in JSON); numbers keep their sign.
"$HVBENCH" bench syscall duration=20ms warmup=0 --repetitions 1 --label '=HYPERLINK("http://x")' > "$T/out" 2>&1 ||
	fail "bench with a formula label: $(cat "$T/out")"
fid=$(q "SELECT max(id) FROM runs")
"$HVBENCH" export "$fid" > "$T/f.csv" || fail "export of the formula label"
python3 - "$T/f.csv" <<'PY' || fail "formula-like CSV cells: see above"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
assert rows and all(r['run_label'] == "'=HYPERLINK(\"http://x\")" for r in rows), rows[0]['run_label']
assert all(not r[k].startswith(('=', '+', '@')) for r in rows for k in r), "a formula-like cell"
PY
"$HVBENCH" export "$fid" --format json | grep -q '"run_label": *"=HYPERLINK' || fail "JSON label changed"

done_testing
