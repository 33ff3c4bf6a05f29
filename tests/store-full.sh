#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A full disk during a run: the run ends with exit 1 and SQLite's words, and
# every sample committed before stays readable.
. "$top_srcdir/tests/lib.sh"
mkdir "$T/full"
[ "$(id -u)" = 0 ] || skip "needs root to mount a small tmpfs (the unit test unit-store-safety covers a full disk with a file size limit)"
mount -t tmpfs -o size=256k tmpfs "$T/full" 2>/dev/null || skip "mounting a tmpfs is not allowed here"
trap 'umount "$T/full"; rm -rf "$T"' EXIT
printf '[experiment]\nrepetitions = 2000\nwarmup = 0\nduration = 10ms\n[memlat]\nsizes = 16K\n' > "$T/many.ini"
"$HVBENCH" run --db "$T/full/x.db" "$T/many.ini" > "$T/out" 2> "$T/err"; rc=$?
check '[ $rc = 1 ]' "run on a full disk: exit $rc"
check 'grep -q "database or disk is full" "$T/err"' "the error does not say the disk is full: $(tail -3 "$T/err")"
said=$(sed -n 's/^\([0-9]*\) samples stored.*/\1/p' "$T/out")
stored=$(sqlite3 "$T/full/x.db" "select count(*) from samples where status='ok'")
check '[ -n "$said" ] && [ "$said" -ge 1 ] && [ "$said" = "$stored" ]' "said $said samples stored, found $stored"
"$HVBENCH" list --db "$T/full/x.db" > "$T/list" 2>&1 || fail "list after a full disk: $(cat "$T/list")"
done_testing
