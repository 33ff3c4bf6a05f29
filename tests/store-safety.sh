#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# hvbench never destroys or hides data: outputs never go over the store or a
# file hvbench did not write; --db is a path, not an SQLite URI; a corrupted
# store is exit 1 with SQLite's words; a live run cannot be resumed by another
# process, a dead one can; labels that read as run ids are refused.
. "$top_srcdir/tests/lib.sh"
# These checks read what the text says, not how it wraps: wide enough for one line per item.
export COLUMNS=1000
FIX="$top_builddir/tests/analysis-fixture"
[ -x "$FIX" ] || skip "tests/analysis-fixture is not built (needs GSL)"
"$FIX" "$HVBENCH_DB" report "$top_srcdir/tests/data/analysis/native-samples.txt" || fail "fixture"
cd "$T" || exit 99
cp "$HVBENCH_DB" "$T/copy.db"

# --- outputs: never the store, never a file of someone else's ---
ln -s "$HVBENCH_DB" link.db
ln "$HVBENCH_DB" hard.db
echo "my notes" > notes.txt
mkdir adir
# /proc/self/comm: a kernel file that says it is regular and empty (a write sets
# the process's name; /proc/sys/kernel/core_pattern would set the kernel's).
for o in "$HVBENCH_DB" link.db hard.db copy.db notes.txt adir /proc/self/comm; do
	"$HVBENCH" report --output "$o" > /dev/null 2> err; rc=$?
	check '[ $rc = 2 ]' "report --output $o: exit $rc (a refusal: nothing written)"
	check 'grep -q "hvbench writes only over files it wrote" err' "report --output $o: $(cat err)"
done
check 'cmp -s "$HVBENCH_DB" copy.db' "the store was written over"
check '[ "$(cat notes.txt)" = "my notes" ]' "notes.txt was written over"
"$HVBENCH" gate --baseline 1 --candidate 1 --junit notes.txt --markdown link.db > /dev/null 2>&1
check '[ "$(cat notes.txt)" = "my notes" ] && cmp -s "$HVBENCH_DB" copy.db' "gate --junit/--markdown wrote over a file"
# Every output is checked before any is written: a refused --junit leaves --output unwritten.
"$HVBENCH" gate --baseline 1 --candidate 1 --output g-new.md --format md --junit notes.txt > /dev/null 2> err; rc=$?
check '[ $rc = 2 ]' "gate with a refused --junit: exit $rc"
check '[ ! -e g-new.md ]' "gate wrote --output before refusing --junit"
"$HVBENCH" export 1 --output notes.txt > /dev/null 2>&1; rc=$?
check '[ $rc = 2 ] && [ "$(cat notes.txt)" = "my notes" ]' "export --output over a foreign file: exit $rc"
"$HVBENCH" report --output "$HVBENCH_DB-wal" > /dev/null 2>&1
check '[ ! -s "$HVBENCH_DB-wal" ] || ! grep -q "hvbench report" "$HVBENCH_DB-wal"' "report went into the -wal file"
# Its own outputs, in every format, are written over; a new or empty file is written.
: > empty.out
for f in text md html json; do
	"$HVBENCH" report --format $f --output r.$f > /dev/null 2>&1 &&
		"$HVBENCH" report --format $f --output r.$f > /dev/null 2> err
	check '[ $? = 0 ]' "report --format $f over its own earlier output: $(cat err)"
	"$HVBENCH" compare 1 1 --format $f --output r.$f > /dev/null 2> err
	check '[ $? = 0 ]' "compare --format $f over a report: $(cat err)"
done
"$HVBENCH" report --output empty.out > /dev/null 2> err || fail "report into an empty file: $(cat err)"
check 'grep -q "hvbench report" empty.out' "empty.out has no report"
for i in 1 2; do
	"$HVBENCH" gate --baseline 1 --candidate 1 --junit j.xml --markdown m.md > /dev/null 2> err
	check '[ $? != 2 ]' "gate --junit/--markdown over its own files (pass $i): $(cat err)"
done
mkfifo fifo
timeout 60 cat fifo > fifo.out &  # ends even when hvbench never opens the FIFO
"$HVBENCH" report --output fifo > /dev/null 2> err || fail "report into a FIFO: $(cat err)"
wait
check 'grep -q "hvbench report" fifo.out' "nothing came through the FIFO"
"$HVBENCH" report --output /dev/null > /dev/null 2> err || fail "report to /dev/null: $(cat err)"

# --- a corrupted page: every read that meets it fails with SQLite's words ---
# Two runs, so that gate compares two different runs: only the damage can make it fail.
"$FIX" two.db report "$top_srcdir/tests/data/analysis/native-samples.txt" &&
	"$FIX" two.db report "$top_srcdir/tests/data/analysis/native-samples.txt" || fail "fixture of two runs"
"$HVBENCH" gate --baseline 1 --candidate 2 --db two.db > /dev/null 2> err; rc=$?
check '[ $rc = 0 ]' "gate of two identical runs on the intact store: exit $rc: $(cat err)"
cp two.db bad.db
for t in runs cells; do
	root=$(sqlite3 bad.db "select rootpage from sqlite_master where name='$t'")
	size=$(sqlite3 bad.db "pragma page_size")
	# garbage over the table's root page, as a failing disk leaves it
	dd if=/dev/urandom of=bad.db bs="$size" seek=$((root - 1)) count=1 conv=notrunc 2>/dev/null
done
for c in list "show 1" "report 1" "compare 1 1"; do
	# shellcheck disable=SC2086
	"$HVBENCH" $c --db bad.db > out 2> err; rc=$?
	check '[ $rc = 1 ]' "$c on a corrupted store: exit $rc"
	check 'grep -q "malformed\|not a database" err' "$c on a corrupted store says: $(cat err)"
done
"$HVBENCH" gate --baseline 1 --candidate 2 --db bad.db > /dev/null 2> err; rc=$?
check '[ $rc = 2 ]' "gate on a corrupted store is an error (2), not a regression: exit $rc"
check 'grep -q "malformed\|not a database" err' "gate on a corrupted store says: $(cat err)"
# Only the artifacts' page damaged (the run's warnings, the cells' facts): the
# figures read fine, but what they were measured on is lost; never shown as none.
cp copy.db bad-art.db
root=$(sqlite3 bad-art.db "select rootpage from sqlite_master where name='artifacts'")
dd if=/dev/urandom of=bad-art.db bs="$(sqlite3 bad-art.db "pragma page_size")" seek=$((root - 1)) count=1 \
	conv=notrunc 2>/dev/null
for c in "show 1" "report 1" "report 1 --format json"; do
	# shellcheck disable=SC2086
	"$HVBENCH" $c --db bad-art.db > out 2> err; rc=$?
	check '[ $rc = 1 ]' "$c on a store with a corrupted artifacts page: exit $rc"
	check 'grep -q "malformed\|not a database" err' "$c on a corrupted artifacts page says: $(cat err)"
done

# --- --db is a path: a URI or :memory: is a file of that name ---
# mkconfig FILE REPETITIONS DURATION: one small memlat cell
mkconfig() {
	printf '[experiment]\nrepetitions = %s\nwarmup = 0\nduration = %s\n[memlat]\nsizes = 16K\n' "$2" "$3" > "$1"
}
mkconfig tiny.ini 3 50ms
"$HVBENCH" run --db 'file:uri.db?mode=memory' tiny.ini > out 2> err || fail "run --db URI: $(cat err)"
check '[ "$(sqlite3 ./"file:uri.db?mode=memory" "select count(*) from samples where status='\''ok'\''")" = 3 ]' \
	"the 3 samples are not in the file 'file:uri.db?mode=memory'"
HVBENCH_DB=:memory: "$HVBENCH" run tiny.ini > out 2> err || fail "HVBENCH_DB=:memory: run: $(cat err)"
check '[ "$(sqlite3 ./:memory: "select count(*) from samples")" = 3 ]' "HVBENCH_DB=:memory: stored nothing"
"$HVBENCH" list --db '' > /dev/null 2>&1
check '[ $? = 2 ]' "--db '' is not the default database (and is bad usage: exit 2)"

# --- labels that would read as a run selection ---
for l in 2 last 010 0x1; do
	"$HVBENCH" run --db labels.db --label "$l" tiny.ini > /dev/null 2> err; rc=$?
	check '[ $rc = 2 ] && grep -Eq "could never be named|would take for a run id" err' "--label $l: exit $rc: $(cat err)"
done
# An empty label (an unset "$CI_COMMIT_SHA") would leave the run unlabelled without a word.
for l in "" "  "; do
	"$HVBENCH" run --db labels.db --label "$l" tiny.ini > /dev/null 2> err; rc=$?
	check '[ $rc = 2 ] && grep -q "an empty label" err' "--label '$l': exit $rc: $(cat err)"
done
check '[ ! -e labels.db ]' "a refused label still made a database"
# ...and an empty selector never names the newest unlabelled run.
cp copy.db unlabelled.db
sqlite3 unlabelled.db "update runs set label = ''"
for c in "show ''" "report ''" "gate --baseline '' --candidate 1" "gate --baseline 1 --candidate ' '" "export ''"; do
	eval "\"\$HVBENCH\" $c --db unlabelled.db" > /dev/null 2> err; rc=$?
	check '[ $rc = 2 ] && grep -q "no run" err' "$c: exit $rc: $(cat err)"
done

# --- a live run cannot be resumed; a dead one can ---
mkconfig long.ini 40 100ms
"$HVBENCH" run --db live.db long.ini > out 2> log &
pid=$!
for i in $(seq 1 100); do
	[ "$(sqlite3 live.db "select count(*) from samples" 2>/dev/null)" -ge 1 ] 2>/dev/null && break
	sleep 0.1
done
"$HVBENCH" run --db live.db --resume 1 > out2 2> err; rc=$?
check '[ $rc = 2 ] && grep -q "run 1 is being measured by pid $pid " err' "resume of a live run: exit $rc: $(cat err)"
"$HVBENCH" list --db live.db > out 2>&1
check '! grep -q "process is gone" out' "list says a live run's process is gone: $(cat out)"
kill -9 $pid
wait $pid 2>/dev/null
check '[ "$(sqlite3 live.db "select status from runs")" = running ]' "the killed run's status"
"$HVBENCH" list --db live.db > out 2>&1
check 'grep -q "its process is gone: --resume finishes it" out' "list does not say the run's process is gone: $(cat out)"
"$HVBENCH" run --db live.db --resume 1 > out2 2> err; rc=$?
check '[ $rc = 0 ]' "resume after the process died: exit $rc: $(cat err)"
check '[ "$(sqlite3 live.db "select status from runs")" = done ]' "resumed run not done"
# A run measured on another host (an imported run, a copied store) is not resumed here.
sqlite3 live.db "update runs set status = 'interrupted', host_json = json_set(host_json, '\$.hostname', 'elsewhere')"
"$HVBENCH" run --db live.db --resume 1 > out2 2> err; rc=$?
check '[ $rc = 2 ] && grep -q "measured on host .elsewhere." err' "resume of another host's run: exit $rc: $(cat err)"
check '! agents_left' "agents left behind"
done_testing
