#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Buildbot as the engine of a nightly run over many hosts (issue 21): a master
# (configs/buildbot/master.cfg) and two local workers on loopback, started and
# stopped by PID here; two nights (labels base and cand) each fan out N shards
# of a small native experiment, upload each shard's store to the master, merge
# them and gate with --expect-shards N. Checked: every shard ran as its own
# build (Buildbot collapses alike requests by default and then reports the
# skipped shard as success), the merged store holds every sample once, a second
# merge adds nothing, and the gate judged (never an infrastructure failure).
. "$top_srcdir/tests/lib.sh"
for p in buildbot buildbot-worker python3; do
	command -v $p >/dev/null || skip "$p is not installed (.ci/setup installs the Debian packages buildbot and buildbot-worker)"
done
N=4
pids=
stop_all() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	for p in $pids; do
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
		kill -9 "$p" 2>/dev/null
	done
	pids=
}
trap 'stop_all; rm -rf "$T"' EXIT
trap 'exit 1' INT TERM HUP
# Fails with the daemons' logs; the EXIT trap stops them.
die() { fail "$*"; for l in "$T"/master/twistd.log "$T"/w*/twistd.log; do [ -f "$l" ] && tail -20 "$l" >&2; done; exit 1; }
# Waits (bounded: a hang guard, not a timing check) until $1 holds.
wait_for() { i=0; until eval "$1"; do kill -0 ${master:-$$} 2>/dev/null || die "the master stopped"; [ $i -lt 1200 ] || die "$2"; sleep 0.1; i=$((i + 1)); done; }
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])') || fail "no free port"

cp "$top_srcdir/tests/data/engines/small.ini" "$T/nightly.ini"
cells=$("$HVBENCH" run --dry-run "$T/nightly.ini" | grep -c '^\[[0-9]*\]')

export HVBENCH HVBENCH_CONFIG="$T/nightly.ini" HVBENCH_SHARDS=$N HVBENCH_BB_NIGHTLY=off \
	HVBENCH_BB_LISTEN="tcp:$port:interface=127.0.0.1" HVBENCH_BB_WORKERS="w1:pw1-$$ w2:pw2-$$" \
	HVBENCH_BB_CHANGES="hvbench:ch-$$"
buildbot create-master -r "$T/master" > "$T/create.log" 2>&1 || die "buildbot create-master: $(cat "$T/create.log")"
cp "$top_srcdir/configs/buildbot/master.cfg" "$T/master/master.cfg"
buildbot start --nodaemon "$T/master" > "$T/master.out" 2>&1 &
master=$!
pids="$pids $master"
wait_for 'grep -q "BuildMaster is running" "$T/master/twistd.log" 2>/dev/null || ! kill -0 $master' "the master did not start"
kill -0 $master 2>/dev/null || die "the master stopped: $(cat "$T/master.out")"
for w in w1 w2; do
	buildbot-worker create-worker "$T/$w" "127.0.0.1:$port" $w "p$w-$$" > "$T/$w.create" 2>&1 ||
		die "create-worker $w: $(cat "$T/$w.create")"
	buildbot-worker start --nodaemon "$T/$w" > "$T/$w.out" 2>&1 &
	pids="$pids $!"
done
wait_for '[ "$(grep -c "Connected to .*; worker is ready" "$T"/w1/twistd.log "$T"/w2/twistd.log 2>/dev/null | grep -c ":1$")" = 2 ]' \
	"the workers did not attach"

st() { sqlite3 -batch -noheader -cmd ".timeout 10000" "$T/master/state.sqlite" "$1"; }
nights_done() { st "select count(*) from buildrequests r join builders b on r.builderid = b.id where b.name = 'nightly' and r.complete = 1"; }
night() { # revision, then properties
	rev=$1; shift
	buildbot sendchange --master "127.0.0.1:$port" --auth "hvbench:ch-$$" --who hvbench-test --branch main \
		--revision "$rev" "$@" README > "$T/send.log" 2>&1 || die "sendchange $rev: $(cat "$T/send.log")"
}
night base
wait_for '[ "$(nights_done)" = 1 ]' "the nightly build of base did not end"
night cand --property baseline:base --property max_regression:99
wait_for '[ "$(nights_done)" = 2 ]' "the nightly build of cand did not end"
stop_all

# Every shard ran as its own build, on the workers, and succeeded.
shard_builds=$(st "select count(*) || ' ' || sum(bu.results = 0) from builds bu join builders b on bu.builderid = b.id where b.name = 'shard'")
check '[ "$shard_builds" = "$((2 * N)) $((2 * N))" ]' "shard builds (count, successes): $shard_builds, expected $((2 * N)) each"
skipped=$(st "select count(*) from buildrequests r join builders b on r.builderid = b.id where b.name = 'shard' and r.results <> 0")
check '[ "$skipped" = 0 ]' "$skipped shard build requests did not succeed (collapsed ones end SKIPPED)"
check '[ "$(st "select count(distinct bu.workerid) from builds bu join builders b on bu.builderid = b.id where b.name = '"'shard'"'")" = 2 ]' \
	"the shards did not run on both workers"

# The merged store: every shard of each night once, every sample once.
db="$T/master/nightly.db"
qn() { sqlite3 -batch -noheader "$db" "$1"; }
for l in base cand; do
	shards=$(qn "select group_concat(shard_index || '/' || shard_count, ' ') from (select * from runs where label = '$l' order by shard_index)")
	expect=$(seq -s ' ' 1 $N | sed "s|\([0-9]*\)|\1/$N|g")
	check '[ "$shards" = "$expect" ]' "$l: shards in the merged store: '$shards', expected '$expect' (a collapsed request leaves one out)"
	jobs=$(qn "select count(distinct json_extract(host_json, '$.engine.job_id')) from runs where label = '$l'")
	check '[ "$jobs" = $N ]' "$l: $jobs distinct Buildbot builds in the runs' fingerprints, expected $N"
	n=$(qn "select count(*) from cells c join runs r on c.run_id = r.id where r.label = '$l'")
	check '[ "$n" = "$cells" ]' "$l: $n cells merged, expected the matrix's $cells"
	n=$(qn "select count(*) from samples s join cells c on s.cell_id = c.id join runs r on c.run_id = r.id where r.label = '$l' and s.status = 'ok'")
	check '[ "$n" = $((cells * 2)) ]' "$l: $n samples merged, expected $((cells * 2))"
done
dups=$(qn "select count(*) from (select r.uuid, c.key, s.rep from samples s join cells c on s.cell_id = c.id join runs r on c.run_id = r.id group by 1, 2, 3 having count(*) > 1)")
check '[ "$dups" = 0 ]' "$dups samples stored twice"
check '[ "$(ls "$T"/master/results/nightly-*/shard-*.db | wc -l)" = $((2 * N)) ]' "uploaded stores: $(ls "$T"/master/results/*)"

# A second merge of every uploaded store adds nothing.
before=$(qn "select (select count(*) from runs) || ' ' || (select count(*) from samples) || ' ' || (select count(*) from metrics)")
"$HVBENCH" merge --db "$db" "$T"/master/results/nightly-*/shard-*.db > "$T/m2" 2>&1 || fail "second merge: $(cat "$T/m2")"
check '[ "$(grep -c "0 runs added, 1 already here whole.*nothing new" "$T/m2")" = $((2 * N)) ]' "second merge says: $(cat "$T/m2")"
check '[ "$(qn "select (select count(*) from runs) || '"' '"' || (select count(*) from samples) || '"' '"' || (select count(*) from metrics)")" = "$before" ]' \
	"the second merge added rows"

# The gate ran in cand's night and judged (its verdict on timed figures is not asserted): not skipped, not infrastructure.
gate=$(st "select s.results from steps s join builds bu on s.buildid = bu.id join builders b on bu.builderid = b.id where b.name = 'nightly' and s.name = 'gate' order by bu.number")
check '[ "$(echo $gate)" = "3 0" ] || [ "$(echo $gate)" = "3 2" ]' "gate step results (base skipped, cand 0 or 2): $(echo $gate)"
check '[ -s "$(ls "$T"/master/results/nightly-*/gate.xml 2>/dev/null | head -1)" ]' "no JUnit from the gate"
"$HVBENCH" gate --db "$db" --baseline base --candidate cand --max-regression 99 --expect-shards $((N + 1)) > /dev/null 2> "$T/err"; rc=$?
check '[ $rc = 3 ] && grep -q "shard $((N + 1))/$((N + 1)) never ran" "$T/err"' "gate expecting a shard more: exit $rc, $(cat "$T/err")"
done_testing
