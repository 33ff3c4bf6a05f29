#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# What LAVA's test shell runs in dom0 (configs/lava/xen-hvbench.yaml): a short native
# hvbench run, then one Xen guest cell (when dom0 is Xen's), each a LAVA test case,
# into one store; then the store, gzip'ed and base64'ed between marker lines with its
# SHA-256, onto the console, which LAVA keeps in the job's log: fetch-results.py takes
# it out of the log for hvbench merge. Needs nothing of the worker but its log.
# Environment: LABEL (the runs' label), LAB=1 (the device is QEMU: runs marked lab),
# HVBENCH_LAVA_DIR (this script's files: lava-smoke.ini, guest/), HVBENCH_LAVA_OUT.
set -u
D=${HVBENCH_LAVA_DIR:-/srv/hvbench-lava}
OUT=${HVBENCH_LAVA_OUT:-/var/tmp/hvbench-lava}
LABEL=${LABEL:-lava}
DB=$OUT/${LAVA_JOB_ID:-local}-$LABEL.db
mkdir -p "$OUT" || exit 1
# A test case for LAVA (its helper is on PATH inside a test shell), and on the console.
result() { # NAME pass|fail|skip [WHY]
	echo "hvbench-lava: $1: $2${3:+ ($3)}"
	if command -v lava-test-case > /dev/null; then lava-test-case "$1" --result "$2"; fi
}
lab=
[ "${LAB:-0}" = 1 ] && lab=--lab
export HVBENCH_IMAGE_DIR="$D/guest" HVBENCH_XEN_DISK_SIZE=64M TMPDIR=/var/tmp

hvbench run $lab --label "$LABEL" --db "$DB" --set experiment.backends=native "$D/lava-smoke.ini"
rc=$?
if [ $rc = 0 ]; then result hvbench-native pass; else result hvbench-native fail "exit $rc"; fi

if [ "$(cat /sys/hypervisor/type 2> /dev/null)" = xen ] && grep -q control_d /proc/xen/capabilities 2> /dev/null; then
	hvbench run $lab --label "$LABEL" --db "$DB" --set experiment.backends=xen:pv "$D/lava-smoke.ini"
	rc=$?
	if [ $rc = 0 ]; then result hvbench-xen-pv pass; else result hvbench-xen-pv fail "exit $rc"; fi
else
	result hvbench-xen-pv skip "not in Xen's dom0: /sys/hypervisor/type is '$(cat /sys/hypervisor/type 2> /dev/null)'"
fi

# The store back through the log. Nothing writes it now: both runs ended.
if [ -s "$DB" ]; then
	gzip -9 -c "$DB" > "$OUT/db.gz"
	echo "HVBENCH-LAVA-DB begin $(basename "$DB") $(sha256sum < "$OUT/db.gz" | cut -d' ' -f1) $(wc -c < "$OUT/db.gz")"
	base64 -w 76 "$OUT/db.gz"
	echo "HVBENCH-LAVA-DB end $(basename "$DB")"
	result hvbench-db-sent pass
else
	result hvbench-db-sent fail "no store at $DB"
fi
