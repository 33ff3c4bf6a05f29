#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Hypervisor gating on balanced pairs of boots (issue 21, item 5):
# configs/hvgate/verdict.sh gates each A/B pair on its own and judges a build
# only when every pair agrees (0 good, 1 bad, 125 not reproduced or not
# measured: git bisect run's codes). Six native runs stand for six boots in
# ABBA order; the candidate's figures are then scaled in copies of the store
# (a test input, never a stored measurement) so that the verdict, not the
# timing of this machine, is what is checked.
. "$top_srcdir/tests/lib.sh"
if "$HVBENCH" gate --help 2>&1 | grep -q "needs GSL"; then
	skip "hvbench was built without GSL: no gate"
fi
cat > "$T/boot.ini" <<'INI'
[experiment]
repetitions = 6
warmup = 0
duration = 10ms
timeout = 20s
[memlat]
sizes = 16K
INI
n=0
for b in a-p1 b-p1 b-p2 a-p2 a-p3 b-p3; do
	n=$((n + 1))
	"$HVBENCH" run --label "$b" --db "$T/boot-$n.db" "$T/boot.ini" > "$T/out" 2>&1 || fail "boot $n ($b): $(cat "$T/out")"
done
"$HVBENCH" merge --db "$T/pairs.db" "$T"/boot-*.db > "$T/out" 2>&1 || fail "merge: $(cat "$T/out")"
verdict() { HVBENCH="$HVBENCH" sh "$top_srcdir/configs/hvgate/verdict.sh" "$1" a b 3 > "$T/v" 2>&1; }
# Scales the figures of candidate runs (labels matching $2) in a copy $1 of the store: by $3 (>1: worse).
scaled() {
	cp "$T/pairs.db" "$1"
	sqlite3 "$1" "update metrics set value = case better when 'lower' then value * $3 else value / $3 end
		where sample_id in (select s.id from samples s join cells c on s.cell_id = c.id join runs r on c.run_id = r.id
		where r.label glob '$2')" || fail "cannot scale $2 in $1"
}
scaled "$T/worse.db" 'b-p*' 100
verdict "$T/worse.db"; rc=$?
check '[ $rc = 1 ] && grep -q "bad, the regression reproduced in 3 of 3 pairs" "$T/v"' "B 100 times worse: exit $rc, $(cat "$T/v")"
scaled "$T/better.db" 'b-p*' 0.01
verdict "$T/better.db"; rc=$?
check '[ $rc = 0 ] && grep -q "good, the pass reproduced in 3 of 3 pairs" "$T/v"' "B 100 times better: exit $rc, $(cat "$T/v")"
# Worse in one pair only: not reproduced, no culprit.
scaled "$T/mixed.db" 'b-p2' 100
sqlite3 "$T/mixed.db" "update metrics set value = case better when 'lower' then value * 0.01 else value / 0.01 end
	where sample_id in (select s.id from samples s join cells c on s.cell_id = c.id join runs r on c.run_id = r.id where r.label in ('b-p1', 'b-p3'))"
verdict "$T/mixed.db"; rc=$?
check '[ $rc = 125 ] && grep -q "pair 2: regression" "$T/v" && grep -q "not judged: 2 passes, 1 regressions" "$T/v"' "one pair worse: exit $rc, $(cat "$T/v")"
# A boot that never ran: not judged, said.
scaled "$T/lost.db" 'b-p*' 100
sqlite3 "$T/lost.db" "delete from metrics where sample_id in (select s.id from samples s join cells c on s.cell_id = c.id join runs r on c.run_id = r.id where r.label = 'b-p3');
	delete from samples where cell_id in (select c.id from cells c join runs r on c.run_id = r.id where r.label = 'b-p3');
	delete from cells where run_id in (select id from runs where label = 'b-p3'); delete from runs where label = 'b-p3'"
verdict "$T/lost.db"; rc=$?
check '[ $rc = 125 ] && grep -q "pair 3: gate error" "$T/v" && grep -q "2 regressions, 1 not measured" "$T/v"' "a boot lost: exit $rc, $(cat "$T/v")"
done_testing
