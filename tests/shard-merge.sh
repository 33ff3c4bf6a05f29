#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Many hosts on existing engines (issue 21): run --shard K/N parts a matrix; shards
# run natively, each into its own store, are merged by natural key (twice: nothing
# added; a conflicting duplicate refused by name); gate tells infrastructure
# failures (a shard that never ran, a cell that measured nothing) from pass and
# regression (exit 3, JUnit error); host classes are never pooled unless asked.
. "$top_srcdir/tests/lib.sh"
command -v python3 >/dev/null || skip "python3 is not installed"

# 1. Shards of a matrix of modes x placements (32 cells; the Xen cells are only planned).
cat > "$T/matrix.ini" <<'INI'
[experiment]
repetitions = 2
warmup = 0
duration = 20ms
backends = native, xen:pv, xen:pvh, xen:hvm
placement = none, local, remote, interleave
vcpus = 1, 2
[memlat]
sizes = 16K
INI
"$HVBENCH" run --dry-run "$T/matrix.ini" > "$T/all" || fail "dry run of the matrix"
grep -o '^\[[0-9]*\]' "$T/all" | sort > "$T/all.idx"
check '[ "$(wc -l < "$T/all.idx")" = 32 ]' "the matrix has $(wc -l < "$T/all.idx") cells, expected 32"
for n in 1 2 3 4 5 6 7; do
	: > "$T/union"
	k=1
	while [ $k -le $n ]; do
		"$HVBENCH" run --dry-run --shard $k/$n "$T/matrix.ini" > "$T/s" || fail "dry run of shard $k/$n"
		check 'grep -q "^shard $k/$n: " "$T/s"' "shard $k/$n not said: $(head -3 "$T/s")"
		grep -o '^\[[0-9]*\]' "$T/s" >> "$T/union"
		# every shard a mix of modes and placements
		if [ $n -le 4 ]; then
			modes=$(grep '^\[' "$T/s" | awk '{print $2}' | sort -u | wc -l)
			places=$(grep -o '^\[.*placement=[a-z]*' "$T/s" | sed 's/.*placement=//' | sort -u | wc -l)
			check '[ "$modes" -ge 2 ] && [ "$places" -ge 2 ]' "shard $k/$n: $modes modes, $places placements"
		fi
		k=$((k + 1))
	done
	sort "$T/union" > "$T/union.s"
	check 'cmp -s "$T/all.idx" "$T/union.s"' "the union of $n shards is not the matrix: $(diff "$T/all.idx" "$T/union.s" | head -5)"
done
"$HVBENCH" run --dry-run --shard 40/40 "$T/matrix.ini" > "$T/empty"; rc=$?
check '[ $rc = 0 ] && grep -q "shard 40/40 of matrix: no cells (the matrix has 32" "$T/empty"' "empty shard: exit $rc, $(cat "$T/empty")"
for bad in / 0/3 4/3 1/0 x/2 01/2; do
	"$HVBENCH" run --dry-run --shard "$bad" "$T/matrix.ini" > /dev/null 2> "$T/err"; rc=$?
	check '[ $rc = 2 ] && grep -q "shard .*expected" "$T/err"' "--shard $bad: exit $rc, $(cat "$T/err")"
done

# 2. Two shards run natively, each into its own store, as two engine jobs would.
cp "$top_srcdir/tests/data/engines/small.ini" "$T/small.ini"
for k in 1 2; do
	CI_JOB_ID=77$k CI_NODE_INDEX=$k CI_NODE_TOTAL=2 HVBENCH_DB="$T/base$k.db" \
		"$HVBENCH" run --shard "$k/2" --label base "$T/small.ini" > "$T/out" 2>&1 || fail "shard $k/2: $(cat "$T/out")"
done
# 40 shards of 2 cells: shard 40 is empty, says so, and is recorded (exit 0).
HVBENCH_DB="$T/empty.db" "$HVBENCH" run --shard 40/40 "$T/small.ini" > "$T/out" 2>&1; rc=$?
check '[ $rc = 0 ] && grep -q "no cells" "$T/out"' "an empty shard: exit $rc, $(cat "$T/out")"
check '[ "$(sqlite3 "$T/empty.db" "select status, shard_index, shard_count from runs")" = "done|40|40" ]' "the empty shard's run"
# Its report says so, by shard: no promise of figures that never follow.
COLUMNS=1000 "$HVBENCH" report --db "$T/empty.db" > "$T/out" 2>&1; rc=$?
check '[ $rc = 0 ] && grep -q "Run 1 is shard 40/40 of its experiment and holds no cells" "$T/out"' "the empty shard's report: exit $rc, $(cat "$T/out")"
check '! grep -q "figures follow" "$T/out"' "the empty shard's report promises figures: $(cat "$T/out")"
qb() { sqlite3 -batch -noheader "$T/base$1.db" "$2"; }
check '[ "$(qb 1 "select shard_index || \"/\" || shard_count from runs")" = 1/2 ]' "shard stored with the run"
check 'qb 1 "select uuid from runs" | grep -Eq "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"' "run UUID: $(qb 1 "select uuid from runs")"
check '[ "$(qb 1 "select host_class from runs")" = "$(qb 2 "select host_class from runs")" ]' "one host, one class"
check 'qb 1 "select json_extract(host_json, \"$.engine.job_id\") || \" \" || json_extract(host_json, \"$.fingerprint.shard\") from runs" | grep -qx "771 1/2"' \
	"engine job and shard in the fingerprint: $(qb 1 "select host_json from runs")"
check 'qb 1 "select json_extract(host_json, \"$.fingerprint.cpu_model\") from runs" | grep -q .' "CPU model in the fingerprint"
n1=$(qb 1 "select count(*) from cells"); n2=$(qb 2 "select count(*) from cells")
check '[ "$n1" -ge 1 ] && [ "$n2" -ge 1 ] && [ $((n1 + n2)) = 4 ]' "shards' cells: $n1 + $n2, expected 4 in all"

# 3. Merged into one store, twice: the second adds nothing and says so.
"$HVBENCH" merge "$T/base1.db" "$T/base2.db" > "$T/m1" 2>&1 || fail "merge: $(cat "$T/m1")"
check '[ "$(grep -c "1 run added" "$T/m1")" = 2 ]' "merge says: $(cat "$T/m1")"
samples=$(q "select count(*) from samples"); metrics=$(q "select count(*) from metrics")
check '[ "$samples" = 8 ]' "merged samples: $samples, expected 8"
"$HVBENCH" merge "$T/base1.db" "$T/base2.db" > "$T/m2" 2>&1 || fail "merge again: $(cat "$T/m2")"
check '[ "$(grep -c "0 runs added, 1 already here whole.*nothing new" "$T/m2")" = 2 ]' "merge again says: $(cat "$T/m2")"
check '[ "$(q "select count(*) from samples")" = "$samples" ] && [ "$(q "select count(*) from metrics")" = "$metrics" ] && [ "$(q "select count(*) from runs")" = 2 ]' \
	"a second merge added rows"
# 'import' is the same command under its old name.
"$HVBENCH" import "$T/base1.db" > "$T/m3" 2>&1 && check 'grep -q "nothing new" "$T/m3"' "import is merge: $(cat "$T/m3")"

# A conflicting duplicate: the same run, cell and repetition with another figure.
cp "$T/base1.db" "$T/conflict.db"
sqlite3 "$T/conflict.db" "update metrics set value = value * 2 where name = 'lat_ns.16K' and sample_id = (select min(id) from samples where status = 'ok')"
uuid=$(qb 1 "select uuid from runs")
"$HVBENCH" merge "$T/conflict.db" > "$T/m4" 2> "$T/err"; rc=$?
check '[ $rc = 1 ]' "conflicting merge: exit $rc"
check 'grep -q "run $uuid, cell .native:native.*, repetition 0: .* holds other figures.*conflicting duplicate" "$T/err"' "conflict message: $(cat "$T/err")"
check 'grep -q "lat_ns.16K" "$T/err"' "the conflict names the metric: $(cat "$T/err")"
# ...with both figures in decimal, as a person compares them (never C's hex floats)
# that reads back as the very figure stored (a prefix of digits would not do: 15 digits
# of ...3019 round to ...302; sqlite3's printf stops at 16).
here=$(sed -n "s/.*'lat_ns.16K \([-0-9.e+]*\) ns lower' here.*/\1/p" "$T/err")
python3 - "$T/base1.db" "$here" <<'EOF2'
import sqlite3, sys
v = sqlite3.connect(sys.argv[1]).execute("select value from metrics where name = 'lat_ns.16K' and sample_id = "
                                         "(select min(id) from samples where status = 'ok')").fetchone()[0]
sys.exit(0 if sys.argv[2] and float(sys.argv[2]) == v else f"stored {v!r}")
EOF2
check '[ $? = 0 ] && ! grep -q "0x[0-9a-f.]*p[-+]" "$T/err"' "the conflict's figures (read '$here'): $(cat "$T/err")"
check '[ "$(q "select count(*) from samples")" = "$samples" ] && [ "$(q "select count(*) from metrics")" = "$metrics" ]' "a conflict wrote rows"
# A file whose metrics page is damaged: SQLite's words, never a conflict of figures.
cp "$T/base1.db" "$T/damaged.db"
root=$(sqlite3 "$T/damaged.db" "select rootpage from sqlite_master where name = 'metrics'")
dd if=/dev/zero of="$T/damaged.db" bs="$(sqlite3 "$T/damaged.db" "pragma page_size")" seek=$((root - 1)) count=1 \
	conv=notrunc 2>/dev/null
"$HVBENCH" merge "$T/damaged.db" > "$T/m5" 2> "$T/err"; rc=$?
check '[ $rc = 1 ] && grep -q "malformed" "$T/err" && ! grep -q "conflicting" "$T/err"' \
	"merge of a damaged file into a store that has its runs: exit $rc, $(cat "$T/err")"

# A shard merged while partial, then whole: only the missing samples are added.
cp "$T/base2.db" "$T/partial.db"
sqlite3 "$T/partial.db" "delete from samples where rep = 1"
grown=$(qb 2 "select count(*) from samples where rep = 1")
"$HVBENCH" merge --db "$T/grow.db" "$T/partial.db" > /dev/null 2>&1 || fail "merge of a partial shard"
"$HVBENCH" merge --db "$T/grow.db" "$T/base2.db" > "$T/m5" 2>&1 || fail "merge of the whole shard: $(cat "$T/m5")"
check 'grep -q "0 runs added, 0 already here whole, 1 with $grown samples\{0,1\} added" "$T/m5"' "growing merge says: $(cat "$T/m5")"

# 4. The gate across shards and hosts.
if "$HVBENCH" gate --help 2>&1 | grep -q "needs GSL"; then
	done_testing
fi
for k in 1 2; do
	HVBENCH_DB="$T/cand$k.db" "$HVBENCH" run --shard "$k/2" --label cand "$T/small.ini" > "$T/out" 2>&1 || fail "cand shard $k/2: $(cat "$T/out")"
done
cp "$HVBENCH_DB" "$T/two.db"
"$HVBENCH" merge "$T/cand1.db" > /dev/null 2>&1 || fail "merge cand shard 1"
# Shard 2 of the candidate never ran: infrastructure, exit 3, JUnit error, named.
"$HVBENCH" gate --baseline base --candidate cand --expect-shards 2 --junit "$T/j.xml" > "$T/g" 2> "$T/err"; rc=$?
check '[ $rc = 3 ]' "gate with a missing shard: exit $rc, expected 3: $(cat "$T/err")"
check 'grep -q "candidate shard 2/2 never ran" "$T/err"' "missing shard named: $(cat "$T/err")"
check 'grep -q "<error type=\"infrastructure\" message=\"candidate shard 2/2 never ran" "$T/j.xml" && ! grep -q "<failure" "$T/j.xml"' \
	"JUnit: $(cat "$T/j.xml")"
check 'xmllint --noout "$T/j.xml" 2>/dev/null || ! command -v xmllint >/dev/null' "JUnit is not well-formed XML"
# The shard count comes from the runs when --expect-shards is not given.
"$HVBENCH" gate --baseline base --candidate cand > /dev/null 2> "$T/err"; rc=$?
check '[ $rc = 3 ] && grep -q "shard 2/2 never ran" "$T/err"' "gate without --expect-shards: exit $rc, $(cat "$T/err")"
"$HVBENCH" merge "$T/cand2.db" > /dev/null 2>&1 || fail "merge cand shard 2"
"$HVBENCH" gate --baseline base --candidate cand --expect-shards 2 > "$T/g" 2> "$T/err"; rc=$?
check '[ $rc = 0 ]' "gate on every shard: exit $rc, $(cat "$T/err") $(cat "$T/g")"
"$HVBENCH" gate --baseline base --candidate cand --expect-shards 3 > /dev/null 2> "$T/err"; rc=$?
check '[ $rc = 3 ] && grep -q "shard 3/3 never ran" "$T/err"' "--expect-shards 3: exit $rc, $(cat "$T/err")"

# A cell that measured nothing (a guest that did not boot): infrastructure, never a pass or a regression.
cp "$HVBENCH_DB" "$T/whole.db"
cid=$(q "select c.id from cells c join runs r on c.run_id = r.id where r.label = 'cand' and c.placement = 'none' and c.vcpus = 1")
q "update cells set status = 'failed', reason = 'xen: the guest did not boot' where id = $cid; update samples set status = 'failed', reason = 'xen: the guest did not boot' where cell_id = $cid; delete from metrics where sample_id in (select id from samples where cell_id = $cid)"
"$HVBENCH" gate --baseline base --candidate cand --junit "$T/j2.xml" > /dev/null 2> "$T/err"; rc=$?
check '[ $rc = 3 ] && grep -q "candidate cell native:native placement=none.*failed, no sample measured: xen: the guest did not boot" "$T/err"' \
	"failed cell: exit $rc, $(cat "$T/err")"
check 'grep -q "<error type=\"infrastructure\"" "$T/j2.xml" && ! grep -q "<failure" "$T/j2.xml"' "JUnit of a failed cell: $(cat "$T/j2.xml")"
cp "$T/whole.db" "$HVBENCH_DB"
# A run whose process was killed (SIGKILL, a lost host) stays 'running': it never ended.
q "update runs set status = 'running' where label = 'cand' and shard_index = 2"
"$HVBENCH" gate --baseline base --candidate cand > /dev/null 2> "$T/err"; rc=$?
check '[ $rc = 3 ] && grep -q "candidate run [0-9]* (.*) on host class .* never ended (it is still running, or its process died)" "$T/err"' \
	"a run left running: exit $rc, $(cat "$T/err")"
cp "$T/whole.db" "$HVBENCH_DB"

# Host classes: a candidate measured on hosts of another class is not compared unless asked.
q "update runs set host_class = 'hc-0000000001' where label = 'cand'"
"$HVBENCH" gate --baseline base --candidate cand > /dev/null 2> "$T/err"; rc=$?
check '[ $rc = 2 ] && grep -q "across-hosts" "$T/err"' "gate across classes: exit $rc, $(cat "$T/err")"
"$HVBENCH" gate --baseline base --candidate cand --across-hosts > /dev/null 2> "$T/err"; rc=$?
check '[ $rc = 0 ]' "gate --across-hosts: exit $rc, $(cat "$T/err")"
# A label measured on two classes: the same cells side by side, never pooled unless asked.
q "update runs set label = 'base' where label = 'cand'"
n_of() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sorted({m["a"]["n"] for s in d["sections"] for c in s["comparisons"] for m in c["metrics"]}))' "$1"; }
"$HVBENCH" compare 1 base --format json --output "$T/c1.json" 2> "$T/err" || fail "compare within classes: $(cat "$T/err")"
"$HVBENCH" compare base 1 --format json --output "$T/c2.json" --across-hosts 2> "$T/err" || fail "compare across: $(cat "$T/err")"
check '[ "$(n_of "$T/c2.json")" = "[4]" ]' "pooled across hosts: n $(n_of "$T/c2.json"), expected [4]"
"$HVBENCH" compare base 1 --format json --output "$T/c3.json" 2> "$T/err" || fail "compare base: $(cat "$T/err")"
check '[ "$(n_of "$T/c3.json")" = "[2]" ]' "not pooled: n $(n_of "$T/c3.json"), expected [2]"
check 'grep -q "only in the baseline: .*host_class=hc-0000000001" "$T/c3.json"' "the other class's cells are its own: $(grep unmatched "$T/c3.json")"
"$HVBENCH" history "placement=local vcpus=1:lat_ns.16K" > "$T/h" 2>&1 || fail "history: $(cat "$T/h")"
check '[ "$(grep -c "host_class=" "$T/h")" = 2 ] && [ "$(grep -c "^  run " "$T/h")" = 2 ]' "history: one series per host class: $(cat "$T/h")"
"$HVBENCH" history --across-hosts "placement=local vcpus=1:lat_ns.16K" > "$T/h" 2>&1 || fail "history --across-hosts"
check '[ "$(grep -c "host_class=" "$T/h")" = 0 ] && [ "$(grep -c "^  run " "$T/h")" = 2 ]' "history --across-hosts: $(cat "$T/h")"
done_testing
