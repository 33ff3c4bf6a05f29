#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Help where people look for it: COMMAND --help/-h, man pages written by hvbench
# from its tables (every command, every workload and probe option, every
# HVBENCH_* variable), installed with the bash completion, README and examples;
# -v shows debug messages, -q quiets the progress.
. "$top_srcdir/tests/lib.sh"
cd "$T" || fail "cd"

cmds=$("$HVBENCH" help --complete commands)
check '[ -n "$cmds" ]' "help --complete commands lists nothing"
for c in $cmds agent; do
	for h in --help -h; do
		"$HVBENCH" $c $h > out 2> err; rc=$?
		check '[ $rc = 0 ] && grep -q "^usage: hvbench $c" out && [ ! -s err ]' "$c $h: exit $rc: $(cat out err)"
	done
done
"$HVBENCH" report 1 --format json --help > out 2>&1; check '[ $? = 0 ]' "--help after other options"
"$HVBENCH" help -h > out 2>&1; check '[ $? = 0 ] && grep -q "^usage: hvbench help" out' "help -h: $(cat out)"
"$HVBENCH" --help > out; check '[ $? = 0 ] && grep -q "^  run " out' "--help"
check '! grep -q "^  agent " out' "the internal agent is listed among the commands"
"$HVBENCH" help memlta 2> err; rc=$?
check '[ $rc = 2 ] && grep -q "did you mean .memlat." err' "help memlta: exit $rc, $(cat err)"
"$HVBENCH" help raport 2> err
check 'grep -q "did you mean .report." err' "help raport: $(cat err)"

# --- man pages: the same tables as help and validation ---
pages=$("$HVBENCH" help --man-list)
for c in $cmds; do
	check 'echo "$pages" | grep -qx "hvbench-$c.1"' "no man page for command $c"
done
check 'echo "$pages" | grep -qx hvbench.1 && echo "$pages" | grep -qx hvbench-experiment.5' "pages: $pages"
check '! echo "$pages" | grep -q agent' "a man page for the internal agent"
for p in $pages; do
	"$HVBENCH" help --man "$p" > "$p" || fail "help --man $p"
	check 'head -1 "$p" | grep -q "^\.TH "' "$p is not a man page"
done
if command -v groff > /dev/null; then
	for p in $pages; do
		LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$p" > gw 2>&1
		check '[ ! -s gw ]' "groff warns on $p: $(head -5 gw)"
	done
	LC_ALL=C.UTF-8 groff -man -Tutf8 hvbench-experiment.5 2>/dev/null | sed 's/.\x08//g' > exp.txt
else
	echo "groff is missing: man pages not rendered" >&2
	sed 's/\\-/-/g' hvbench-experiment.5 > exp.txt
fi
# Every option of every workload and probe, as `hvbench help NAME` lists them.
for w in $("$HVBENCH" help --complete workloads) $("$HVBENCH" help --complete probes) experiment; do
	"$HVBENCH" help $w | awk '/^options/ { on = 1; next } /^$/ { on = 0 } on && /^  [a-z_]/ { print $1 }' > opts
	check '[ -s opts ]' "help $w lists no options"
	for o in $(cat opts); do
		check "grep -qx '.B $o' hvbench-experiment.5" "hvbench-experiment(5) lacks $w's option $o"
	done
done
for w in $("$HVBENCH" help --complete workloads); do
	check "grep -q '^\.SS \"\[$w\]\"' hvbench-experiment.5" "hvbench-experiment(5) lacks workload $w"
done
# Every HVBENCH_* variable the tree reads, in the ENVIRONMENT sections.
vars=$(grep -rhoE 'getenv\("HVBENCH_[A-Z0-9_]+"\)|env_or\("HVBENCH_[A-Z0-9_]+"|\$\{HVBENCH_[A-Z0-9_]+' \
	"$top_srcdir/cli" "$top_srcdir/hv" "$top_srcdir/bench" "$top_srcdir/probes" "$top_srcdir/results" \
	"$top_srcdir/analysis" | grep -oE 'HVBENCH_[A-Z0-9_]+' | sort -u)
check '[ $(echo "$vars" | wc -l) -ge 12 ]' "the grep found too few variables: $vars"
for v in $vars; do
	for p in hvbench.1 hvbench-experiment.5; do
		check "sed -n '/^\.SH ENVIRONMENT/,/^\.SH [^E]/p' $p | grep -qx '.B $v'" "$p: ENVIRONMENT lacks $v"
	done
	check "\"\$HVBENCH\" help environment | grep -q '^  $v '" "help environment lacks $v"
done

# --- make install: man pages, completion, README and examples ---
if [ -f "$top_builddir/Makefile" ] && command -v make > /dev/null; then
	(unset MAKEFLAGS MFLAGS MAKELEVEL; make -s -C "$top_builddir" install-data DESTDIR="$T/inst" prefix=/usr) \
		> inst.log 2>&1 || fail "make install-data: $(tail -5 inst.log)"
	for p in $pages; do
		check "[ -s '$T/inst/usr/share/man/man${p##*.}/$p' ]" "make install: no share/man/man${p##*.}/$p"
	done
	check "[ -s '$T/inst/usr/share/bash-completion/completions/hvbench' ]" "make install: no bash completion"
	check "[ -s '$T/inst/usr/share/doc/hvbench/README' ]" "make install: no README under doc"
	check "[ -s '$T/inst/usr/share/doc/hvbench/examples/quickstart.ini' ]" "make install: no examples under doc"
	(unset MAKEFLAGS MFLAGS MAKELEVEL; make -s -C "$top_builddir" uninstall-local DESTDIR="$T/inst" prefix=/usr) \
		> inst.log 2>&1 || fail "make uninstall-local: $(tail -5 inst.log)"
	check "[ -z \"\$(find '$T/inst' -type f -path '*man*')\" ]" "uninstall left man pages"
fi

# --- bash completion: the words come from hvbench ---
if command -v bash > /dev/null; then
	mkdir bin && ln -s "$HVBENCH" bin/hvbench
	cat > comp.sh <<EOS
. "$top_srcdir/cli/hvbench.bash"
PATH="$T/bin:\$PATH"
complete_at() { COMP_WORDS=("\$@"); COMP_CWORD=\$((\$# - 1)); _hvbench; printf '%s\n' "\${COMPREPLY[@]}"; }
EOS
	bash -c ". ./comp.sh; complete_at hvbench re" > c1
	check 'grep -qx report c1 && ! grep -qx run c1' "hvbench re<TAB>: $(cat c1)"
	bash -c ". ./comp.sh; complete_at hvbench a" > c1
	check '! grep -qx agent c1' "the agent is completed"
	bash -c ". ./comp.sh; complete_at hvbench help mem" > c1
	check 'grep -qx memlat c1 && grep -qx membw c1' "hvbench help mem<TAB>: $(cat c1)"
	bash -c ". ./comp.sh; complete_at hvbench gate --max" > c1
	check 'grep -qx -- --max-regression c1' "hvbench gate --max<TAB>: $(cat c1)"
	FIX="$top_builddir/tests/analysis-fixture"
	if [ -x "$FIX" ]; then
		"$FIX" "$T/runs.db" aa "$top_srcdir/tests/data/analysis/native-samples.txt" > /dev/null 2>&1
		bash -c ". ./comp.sh; complete_at hvbench gate --db '$T/runs.db' --baseline ''" > c1
		check 'grep -qx 1 c1 && grep -qx 2 c1 && grep -qx base c1 && grep -qx cand c1' "runs and labels: $(cat c1)"
	fi
	"$HVBENCH" help --complete runs "$T/none.db" > c1 2>&1
	check '[ ! -s c1 ] && [ ! -e "$T/none.db" ]' "completing runs of a missing store: $(cat c1)"
fi

# --- -v shows debug messages, -q quiets the progress ---
"$HVBENCH" -v list --db "$T/none.db" > /dev/null 2> err
check 'grep -q "debug: result store $T/none.db" err' "-v shows no debug messages: $(cat err)"
"$HVBENCH" list --db "$T/none.db" > /dev/null 2> err
check '! grep -q "debug:" err' "debug messages without -v: $(cat err)"
printf '[experiment]\nrepetitions = 2\nwarmup = 0\nduration = 20ms\n[syscall]\n' > tiny.ini
"$HVBENCH" run tiny.ini > out 2> err || fail "run: $(cat err)"
check 'grep -q "cell 1/1 finished" err' "no progress line without -q: $(cat err)"
"$HVBENCH" -q run tiny.ini > out 2> err || fail "run -q: $(cat err)"
check '! grep -q "cell 1/1" err' "-q still shows progress: $(cat err)"
"$HVBENCH" --bogus list > /dev/null 2>&1; check '[ $? = 2 ]' "an unknown option before the command"
done_testing
