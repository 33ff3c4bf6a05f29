#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# hvbench bench (an experiment from the command line), run --set and run - :
# the same reader, plan and runner as a file, messages naming the argument,
# and the stored config being what ran.
. "$top_srcdir/tests/lib.sh"

# A mistake names its argument (its position in 'hvbench bench ...'), nothing is stored.
"$HVBENCH" bench memlat sizes=16K sizez=16K 2> "$T/err"; check '[ $? = 2 ]' "bench: unknown key exit"
check "grep -q \"argument 3 'sizez=16K': .*unknown key 'sizez' (did you mean 'sizes'?)\" \"\$T/err\"" "bench unknown key: $(cat "$T/err")"
"$HVBENCH" bench memlatt 2> "$T/err"; check '[ $? = 2 ]' "bench: unknown workload exit"
check "grep -q \"argument 1 'memlatt': no workload 'memlatt' (did you mean 'memlat'?)\" \"\$T/err\"" "bench unknown workload: $(cat "$T/err")"
"$HVBENCH" bench memlat --repetitions 0 2> "$T/err"; check '[ $? = 2 ]' "bench: bad --repetitions exit"
check "grep -q \"^hvbench: error: --repetitions '0': \" \"\$T/err\"" "bench --repetitions: $(cat "$T/err")"
"$HVBENCH" bench memlat sizes 2> "$T/err"; check '[ $? = 2 ]' "bench: not KEY=VALUE"
check "grep -q \"argument 2 'sizes': expected KEY=VALUE\" \"\$T/err\"" "bench KEY=VALUE: $(cat "$T/err")"
# A value cannot bring a line or a comment of its own into the text.
"$HVBENCH" bench memlat "sizes=16K
seed=5" 2> "$T/err"; check '[ $? = 2 ]' "bench: newline in a value"
check 'grep -q "a value is one line" "$T/err"' "newline: $(cat "$T/err")"
"$HVBENCH" bench memlat "sizes=16K ;x" 2> "$T/err"; check '[ $? = 2 ]' "bench: comment in a value"
"$HVBENCH" bench memlat repetitions=3 --repetitions 2 2> "$T/err"; check '[ $? = 2 ]' "bench: key given twice"
check "grep -q \"already given by --repetitions '2'\" \"\$T/err\"" "twice: $(cat "$T/err")"
check '[ ! -e "$HVBENCH_DB" ]' "a refused bench wrote a database"

# A real run, stored like any run, with the text that ran.
"$HVBENCH" bench memlat sizes=16K duration=20ms warmup=0 --repetitions 2 --label adhoc > "$T/out" 2>&1 ||
	fail "bench run: $(cat "$T/out")"
check '[ "$(q "SELECT experiment || \"|\" || label || \"|\" || config_path FROM runs")" = "bench-memlat|adhoc|<command line>" ]' \
	"bench run row: $(q "SELECT * FROM runs")"
check '[ "$(q "SELECT count(*) FROM samples WHERE status=\"ok\"")" = 2 ]' "bench samples"
q "SELECT config_text FROM runs" > "$T/text.ini"
check 'grep -qx "sizes = 16K" "$T/text.ini" && grep -qx "repetitions = 2" "$T/text.ini" && grep -qx "\[memlat\]" "$T/text.ini"' \
	"stored text: $(cat "$T/text.ini")"
# The stored text is an experiment file that plans the same cell.
"$HVBENCH" run --dry-run "$T/text.ini" > "$T/plan" || fail "stored text does not plan"
check 'grep -q "memlat sizes=16K" "$T/plan"' "plan of stored text: $(cat "$T/plan")"

# --set: replaces a key in place, adds one under its section, stored as it ran.
cat > "$T/q.ini" <<'INI'
; a file
[experiment]
repetitions = 5
duration = 20ms

[memlat]
sizes = 16K
INI
"$HVBENCH" run "$T/q.ini" --set experiment.repetitions=2 --set experiment.warmup=0 --set memlat.hugepages=off \
	--label set > "$T/out" 2>&1 || fail "run --set: $(cat "$T/out")"
check '[ "$(q "SELECT count(*) FROM samples x JOIN cells c ON x.cell_id=c.id JOIN runs r ON c.run_id=r.id WHERE r.label=\"set\"")" = 2 ]' \
	"--set repetitions=2 not applied"
q "SELECT config_text FROM runs WHERE label='set'" > "$T/set.ini"
check 'grep -q "^; replaced by --set: repetitions = 5" "$T/set.ini" && grep -q "^repetitions = 2 ; --set" "$T/set.ini" && grep -q "^hugepages = off ; --set" "$T/set.ini" && ! grep -q "^repetitions = 5" "$T/set.ini"' \
	"stored --set text: $(cat "$T/set.ini")"
"$HVBENCH" run --dry-run "$T/set.ini" | grep -q "^repetitions: 2" || fail "stored --set text does not plan 2 repetitions"
"$HVBENCH" run "$T/q.ini" --set experiment.repetitionz=2 2> "$T/err"; check '[ $? = 2 ]' "--set unknown key exit"
check "grep -q \"^hvbench: error: --set 'experiment.repetitionz=2': .*unknown key 'repetitionz' (did you mean 'repetitions'?)\" \"\$T/err\"" "--set unknown key: $(cat "$T/err")"
"$HVBENCH" run "$T/q.ini" --set memlatt.sizes=1M 2> "$T/err"; check '[ $? = 2 ]' "--set unknown section exit"
check "grep -q \"\\-\\-set 'memlatt.sizes=1M': no section \\[memlatt\\]\" \"\$T/err\"" "--set unknown section: $(cat "$T/err")"
# A section with no key is not a section missing from the file that has it.
"$HVBENCH" run "$T/q.ini" --set experiment.=3 2> "$T/err"; check '[ $? = 2 ]' "--set without a key exit"
check "grep -q \"\\-\\-set 'experiment.=3': no key after 'experiment.'\" \"\$T/err\"" "--set without a key: $(cat "$T/err")"
"$HVBENCH" run "$T/q.ini" --set memlat.sizes=1X 2> "$T/err"; check '[ $? = 2 ]' "--set bad value exit"
check "grep -q \"\\-\\-set 'memlat.sizes=1X': \\[memlat\\] '1X' is not valid for sizes\" \"\$T/err\"" "--set bad value: $(cat "$T/err")"
"$HVBENCH" run "$T/q.ini" --set "memlat.sizes=16K
[experiment]" 2> "$T/err"; check '[ $? = 2 ]' "--set with a newline"
"$HVBENCH" run "$T/q.ini" --set experiment.seed=1 --set experiment.seed=2 2> "$T/err"; check '[ $? = 2 ]' "--set twice"
# A file without [experiment] gets one, at its end.
printf '[memlat]\nsizes = 16K\n' > "$T/noexp.ini"
"$HVBENCH" run --dry-run "$T/noexp.ini" --set experiment.repetitions=3 > "$T/plan" || fail "--set a new [experiment]"
check 'grep -q "^repetitions: 3" "$T/plan"' "new [experiment]: $(cat "$T/plan")"
# The file is checked on its own first: its own lines are named.
printf '[memlat]\nsizez = 16K\n' > "$T/bad.ini"
"$HVBENCH" run "$T/bad.ini" --set experiment.seed=2 2> "$T/err"; check '[ $? = 2 ]' "bad file with --set"
check 'grep -q "bad.ini:2: .*unknown key .sizez." "$T/err"' "bad file with --set: $(cat "$T/err")"

# '-': standard input, named <stdin>, with the file's rules.
printf '[experiment]\nrepetitions = 2\nwarmup = 0\nduration = 20ms\n[memlat]\nsizes = 16K\n' |
	"$HVBENCH" run - --label stdin > "$T/out" 2>&1 || fail "run -: $(cat "$T/out")"
check '[ "$(q "SELECT config_path FROM runs WHERE label=\"stdin\"")" = "<stdin>" ]' "stdin config_path"
printf '[memlat]\nsizez = 16K\n' | "$HVBENCH" run --dry-run - 2> "$T/err"; check '[ $? = 2 ]' "bad stdin exit"
check 'grep -q "^hvbench: error: <stdin>:2: " "$T/err"' "stdin message: $(cat "$T/err")"
printf '[memlat]\nsizes = 16K\0\n' | "$HVBENCH" run --dry-run - 2> "$T/err"; check '[ $? = 2 ]' "NUL on stdin"
check 'grep -q "<stdin>:2: a NUL byte" "$T/err"' "NUL on stdin: $(cat "$T/err")"
head -c 17000000 /dev/zero | tr '\0' ';' | "$HVBENCH" run --dry-run - 2> "$T/err"; check '[ $? = 2 ]' "huge stdin"
check 'grep -q "<stdin>: larger than 16 MiB" "$T/err"' "huge stdin: $(cat "$T/err")"
"$HVBENCH" run - - < /dev/null 2>/dev/null; check '[ $? = 2 ]' "stdin twice"
done_testing
