#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The gate's shards per host class (issue 21 item 4): native shard runs of two
# host classes (named with HVBENCH_HOST_CLASS, the one way to have two classes on
# one machine), merged as an engine's merge job would; every shard K/N must have
# run on every class the candidate ran on. A shard of one class missing while
# the other class is complete is an infrastructure failure named with its class
# (exit 3, a JUnit error), never a pass: the other class's shard of the same
# number does not stand in for it. Also: the override names the class only.
. "$top_srcdir/tests/lib.sh"
if "$HVBENCH" gate --help 2>&1 | grep -q "needs GSL"; then
	skip "hvbench was built without GSL: no gate"
fi
command -v python3 > /dev/null || skip "python3 is not installed"
cp "$top_srcdir/tests/data/engines/small.ini" "$T/small.ini"

# 1. HVBENCH_HOST_CLASS: refused when malformed, before anything is written.
for bad in "a b" "-x" "*" "lab/a" "a23456789012345678901234"; do
	HVBENCH_HOST_CLASS="$bad" "$HVBENCH" run --db "$T/bad.db" "$T/small.ini" > /dev/null 2> "$T/err"; rc=$?
	check '[ $rc = 2 ] && grep -q "HVBENCH_HOST_CLASS .*expected" "$T/err" && [ ! -e "$T/bad.db" ]' \
		"HVBENCH_HOST_CLASS='$bad': exit $rc, $(cat "$T/err"), store $(ls "$T"/bad.db 2>/dev/null)"
done

# 2. Shards 1/2 and 2/2 of a baseline and a candidate on two classes: 8 engine jobs, 8 stores.
for label in base cand; do
	for cls in lab-a lab-b; do
		for k in 1 2; do
			HVBENCH_HOST_CLASS=$cls CI_JOB_ID=9$k CI_NODE_INDEX=$k CI_NODE_TOTAL=2 \
				"$HVBENCH" run --shard "$k/2" --label "$label" --db "$T/$label-$cls-$k.db" "$T/small.ini" \
				> "$T/out" 2>&1 || fail "$label shard $k/2 on $cls: $(cat "$T/out")"
		done
	done
done
qs() { sqlite3 -batch -noheader "$T/$1.db" "$2"; }
check '[ "$(qs base-lab-a-1 "select host_class from runs")" = lab-a ] && [ "$(qs base-lab-b-2 "select host_class from runs")" = lab-b ]' \
	"stored classes: $(qs base-lab-a-1 "select host_class from runs") $(qs base-lab-b-2 "select host_class from runs")"
check 'qs base-lab-a-1 "select json_extract(host_json, \"$.host_class_of\") from runs" | grep -q "^named by HVBENCH_HOST_CLASS (the facts. class: hc-[0-9a-f]\{10\}, of "' \
	"host_class_of: $(qs base-lab-a-1 "select json_extract(host_json, \"$.host_class_of\") from runs")"
# The name is a label only: both classes' runs hold this machine's facts, the same.
fp='select json_extract(host_json, "$.fingerprint.cpu_model") || json_extract(host_json, "$.fingerprint.numa") from runs'
check '[ -n "$(qs base-lab-a-1 "$fp")" ] && [ "$(qs base-lab-a-1 "$fp")" = "$(qs cand-lab-b-2 "$fp")" ]' "facts differ between the named classes"
HVBENCH_DB="$T/plain.db" "$HVBENCH" run "$T/small.ini" > /dev/null 2>&1 || fail "a run without HVBENCH_HOST_CLASS"
check 'qs plain "select host_class from runs" | grep -Eq "^hc-[0-9a-f]{10}$"' "derived class: $(qs plain "select host_class from runs")"
"$HVBENCH" show last --db "$T/base-lab-b-1.db" > "$T/show" 2>&1
check 'grep -q "host class lab-b, shard 1/2" "$T/show"' "show: $(head -5 "$T/show")"

# merge DB STORES...: a merge job's store.
merge() {
	db=$1
	shift
	rm -f "$T/$db.db"
	for s in "$@"; do
		"$HVBENCH" merge --db "$T/$db.db" "$T/$s.db" > "$T/m" 2>&1 || fail "merge $s into $db: $(cat "$T/m")"
	done
}
# gate DB ARGS...: exit code in rc, stderr in $T/err, JUnit in $T/j.xml.
gate() {
	db=$1
	shift
	rm -f "$T/j.xml"
	"$HVBENCH" gate --db "$T/$db.db" --baseline base --candidate cand --max-regression 99 --junit "$T/j.xml" "$@" \
		> "$T/g" 2> "$T/err"
	rc=$?
}
junit_error() { # MESSAGE-START: an infrastructure error, and no failure
	grep -q "<error type=\"infrastructure\" message=\"$1" "$T/j.xml" && ! grep -q "<failure" "$T/j.xml"
}
all="base-lab-a-1 base-lab-a-2 base-lab-b-1 base-lab-b-2 cand-lab-a-1 cand-lab-a-2 cand-lab-b-1 cand-lab-b-2"

# 3. Every shard on both classes: a pass, each class judged against its own.
merge full $all
gate full --expect-shards 2
check '[ $rc = 0 ] && ! grep -q "infrastructure" "$T/err"' "every shard on both classes: exit $rc, $(cat "$T/err")"
judged() { # DB: the metrics the gate judged
	"$HVBENCH" gate --db "$T/$1.db" --baseline base --candidate cand --max-regression 99 --format json \
		--output "$T/g.json" 2> "$T/err" || fail "gate --format json on $1: $(cat "$T/err")"
	python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["gate"]["judged"])' "$T/g.json"
}

# 4. The candidate's shard 2/2 of lab-b never ran; lab-a is complete (its shard 2/2 must not stand in).
merge lostb base-lab-a-1 base-lab-a-2 base-lab-b-1 base-lab-b-2 cand-lab-a-1 cand-lab-a-2 cand-lab-b-1
gate lostb --expect-shards 2
check '[ $rc = 3 ]' "lab-b's shard 2 missing, lab-a complete: exit $rc, expected 3: $(cat "$T/err")"
check 'grep -q "infrastructure: candidate shard 2/2 never ran on host class lab-b" "$T/err"' "the missing shard named with its class: $(cat "$T/err")"
check '[ "$(grep -c "never ran" "$T/err")" = 1 ]' "only lab-b's shard is missing: $(cat "$T/err")"
check 'junit_error "candidate shard 2/2 never ran on host class lab-b"' "JUnit: $(cat "$T/j.xml")"
check '! command -v xmllint > /dev/null || xmllint --noout "$T/j.xml"' "JUnit is not well-formed XML"
# The shard count read from the runs when --expect-shards is not given: the same outcome.
gate lostb
check '[ $rc = 3 ] && grep -q "candidate shard 2/2 never ran on host class lab-b" "$T/err"' "without --expect-shards: exit $rc, $(cat "$T/err")"
# A regression found as well is the finding (1), the lost shard still named.
cp "$T/lostb.db" "$T/worse.db"
sqlite3 "$T/worse.db" "update metrics set value = value * 50 where name like 'lat_ns.%' and sample_id in
	(select s.id from samples s join cells c on s.cell_id = c.id join runs r on c.run_id = r.id where r.label = 'cand')"
gate worse --rule minmax
check '[ $rc = 1 ] && grep -q "candidate shard 2/2 never ran on host class lab-b" "$T/err"' "regression and a lost shard: exit $rc, $(cat "$T/err")"
# --across-hosts pools the classes: shard 2/2 ran (on lab-a), and is enough then.
gate lostb --expect-shards 2 --across-hosts
check '[ $rc = 0 ] && ! grep -q "never ran" "$T/err"' "--across-hosts, shard 2 on lab-a only: exit $rc, $(cat "$T/err")"

# 5. The baseline's shard 1/2 of lab-a never ran: the same outcome, named on the baseline's side.
merge lostbase base-lab-a-2 base-lab-b-1 base-lab-b-2 cand-lab-a-1 cand-lab-a-2 cand-lab-b-1 cand-lab-b-2
gate lostbase --expect-shards 2
check '[ $rc = 3 ] && grep -q "baseline shard 1/2 never ran on host class lab-a" "$T/err" && [ "$(grep -c "never ran" "$T/err")" = 1 ]' \
	"baseline's lab-a shard 1 missing: exit $rc, $(cat "$T/err")"
check 'junit_error "baseline shard 1/2 never ran on host class lab-a"' "JUnit: $(cat "$T/j.xml")"

# 6. Three shards expected: each missing shard of each class named.
gate full --expect-shards 3
check '[ $rc = 3 ] && [ "$(grep -c "shard 3/3 never ran on host class lab-[ab]" "$T/err")" = 4 ]' "--expect-shards 3: exit $rc, $(cat "$T/err")"

# 7. A class the candidate did not run on at all is no lost shard: its cells are unmatched, listed.
merge onlya base-lab-a-1 base-lab-a-2 base-lab-b-1 base-lab-b-2 cand-lab-a-1 cand-lab-a-2
gate onlya --expect-shards 2
check '[ $rc = 0 ] && ! grep -q "never ran" "$T/err"' "candidate on lab-a only: exit $rc, $(cat "$T/err")"
# Each class judged against its own: both classes give twice the metrics one does.
two=$(judged full) one=$(judged onlya)
check '[ "$one" -gt 0 ] && [ "$two" = $((2 * one)) ]' "metrics judged: $two on both classes, $one on lab-a alone"
check 'grep -q "only in the baseline: .*host_class=lab-b" "$T/g.json"' "lab-b's baseline cells not listed as unmatched"
done_testing
