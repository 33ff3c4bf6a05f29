#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The hooks series' records (hv/xen/patches) decoded from captures of the patched hypervisor
# (tests/data/xentrace/hooks: make check-hooks, Xen RELEASE-4.20.4 9611e26eff + the series):
# 0001's grant-copy record, one per GNTTABOP_copy batch, agrees with dom0's decoded calls;
# 0002's HVM hypercall arguments make an HVM guest's SCHEDOP_poll count exact.
. "$top_srcdir/tests/lib.sh"
D="$top_srcdir/tests/data/xentrace/hooks"
sum() { "$HVBENCH" trace summary "$D/$1" > "$T/out" 2> "$T/err"; echo $?; }
rc=$(sum hooks420-lab-pv-iperf3-netback.bin)
check '[ "$rc" = 0 ]' "decoding the PV capture failed: $(cat "$T/err")"
# dom0 (netback): the record's batches are its GNTTABOP_copy calls, one each.
check "grep -q '^  grant copies (hooks record): 4917 ops in 975 batches, 0 failed, 313139 bytes' '$T/out'" \
	"dom0's grant copy record: $(grep 'hooks record' "$T/out")"
calls=$(sed -n '/^domain 0$/,/^domain [1-9]/p' "$T/out" | sed -n 's/.* copy \([0-9]*\) calls.*/\1/p' | awk '{ n += $1 } END { print n }')
check '[ "$calls" = 975 ]' "dom0's decoded GNTTABOP_copy calls are $calls, the record's batches 975"
rc=$(sum hooks420-lab-hvm-iperf3-netback.bin)
check '[ "$rc" = 0 ]' "decoding the HVM capture failed: $(cat "$T/err")"
# The HVM guest: its hypercalls carry their arguments, so its polls are counted, not unknown.
check "sed -n '/^domain 3 hvbench-1-2 hvm/,/^domain 32767/p' '$T/out' | grep -q 'spinlock slow path: sched_op poll 0, '" \
	"the HVM guest's polls: $(grep 'slow path' "$T/out")"
check "! sed -n '/^domain 3 hvbench-1-2 hvm/,/^domain 32767/p' '$T/out' | grep -q 'sched_op without cmd'" \
	"the HVM guest has sched_op calls without their cmd"
check "grep -q '^  grant copies (hooks record): 3174 ops in 1109 batches' '$T/out'" "dom0's record beside an HVM guest"
done_testing
