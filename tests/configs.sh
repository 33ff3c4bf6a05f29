#!/bin/sh
# Every example experiment file in configs/ is valid, and plans something.
. "$top_srcdir/tests/lib.sh"
for f in "$top_srcdir"/configs/*.ini; do
	"$HVBENCH" run --dry-run "$f" > "$T/plan" 2> "$T/err" || fail "$f: $(cat "$T/err")"
	grep -q "estimated duration" "$T/plan" || fail "$f: no plan"
done
check '[ ! -e "$HVBENCH_DB" ]' "dry runs wrote a database"
done_testing
