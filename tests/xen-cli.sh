#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# hvbench hv check and hvbench cleanup off a Xen dom0: each says why it cannot
# ask the hypervisor, with the right exit code. In a dom0 they are run by the lab.
if grep -q control_d /proc/xen/capabilities 2>/dev/null; then
	echo "this is a Xen dom0: the lab checks these commands for real"; exit 77
fi
fail=0
out=$("$HVBENCH" hv check 2>&1); rc=$?
[ $rc = 1 ] || { echo "hv check off dom0: exit $rc, expected 1"; fail=1; }
case $out in *"not running in dom0"*|*"built without the Xen toolstack"*) ;; *) echo "hv check said: $out"; fail=1 ;; esac
out=$("$HVBENCH" hv check --json 2>/dev/null)
case $out in *'"unavailable"'*'"CONFIG_TRACEBUFFER"'*) ;; *) echo "hv check --json said: $out"; fail=1 ;; esac
out=$("$HVBENCH" cleanup 2>&1); rc=$?
[ $rc = 0 ] || { echo "cleanup off dom0: exit $rc, expected 0"; fail=1; }
case $out in *"xen: nothing to clean here: xen: "*) ;; *) echo "cleanup said: $out"; fail=1 ;; esac
"$HVBENCH" hv bogus >/dev/null 2>&1; rc=$?
[ $rc = 2 ] || { echo "hv bogus: exit $rc, expected 2"; fail=1; }
exit $fail
