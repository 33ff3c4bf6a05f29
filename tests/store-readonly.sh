#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A valid store on a read-only file system (a read-only bind mount, as root)
# or in a directory the user cannot write (otherwise) is read, or refused with
# exactly why; a -wal file with transactions SQLite cannot read there is named.
. "$top_srcdir/tests/lib.sh"
FIX="$top_builddir/tests/analysis-fixture"
[ -x "$FIX" ] || skip "tests/analysis-fixture is not built (needs GSL)"
mkdir "$T/src" "$T/ro"
"$FIX" "$T/src/x.db" report "$top_srcdir/tests/data/analysis/native-samples.txt" > /dev/null || fail "fixture"
sqlite3 "$T/src/x.db" "pragma journal_mode" | grep -q wal || fail "the fixture's store is not in WAL mode"
if [ "$(id -u)" = 0 ]; then
	mount --bind "$T/src" "$T/ro" 2>/dev/null && mount -o remount,bind,ro "$T/ro" 2>/dev/null ||
		{ umount "$T/ro" 2>/dev/null; skip "running as root, and a read-only bind mount is not allowed here (and a chmod does not stop root)"; }
	trap 'umount "$T/ro"; rm -rf "$T"' EXIT
	"$HVBENCH" list --db "$T/ro/x.db" > out 2> "$T/err"; rc=$?
	check '[ $rc = 0 ] && grep -q "fixture" out' "list on a read-only mount: exit $rc: $(cat "$T/err")"
	"$HVBENCH" report --db "$T/ro/x.db" > out 2> "$T/err"; rc=$?
	check '[ $rc = 0 ] && grep -q "hvbench report" out' "report on a read-only mount: exit $rc: $(cat "$T/err")"
	check '[ ! -e "$T/src/x.db-shm" ]' "reading wrote beside the database"
	# Committed transactions still in the -wal, and no -shm: said exactly.
	umount "$T/ro"
	# a copy of the -wal taken while its writer still had it open
	python3 - "$T/src/x.db" <<'PY' 2>/dev/null || skip "python3 is needed to keep a -wal file"
import sqlite3, shutil, sys
p = sys.argv[1]
c = sqlite3.connect(p); c.execute("pragma wal_autocheckpoint=0"); c.execute("update runs set label='walled'"); c.commit()
shutil.copy(p + "-wal", p + "-wal.keep")
PY
	mv "$T/src/x.db-wal.keep" "$T/src/x.db-wal"
	rm -f "$T/src/x.db-shm"
	mount --bind "$T/src" "$T/ro" && mount -o remount,bind,ro "$T/ro" || fail "remount"
	"$HVBENCH" list --db "$T/ro/x.db" > out 2> "$T/err"; rc=$?
	check '[ $rc = 1 ] && grep -q "x.db-wal holds .* bytes of transactions" "$T/err"' "list with a pending -wal: exit $rc: $(cat "$T/err")"
else
	chmod 555 "$T/src"
	"$HVBENCH" list --db "$T/src/x.db" > out 2> "$T/err"; rc=$?
	chmod 755 "$T/src"
	if [ $rc != 0 ]; then
		check 'grep -q "x.db-shm beside a WAL database to read it, and this directory is not writable" "$T/err"' \
			"list in an unwritable directory: $(cat "$T/err")"
	fi
fi
done_testing
