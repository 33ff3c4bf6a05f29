#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Issue 13 item 7: xentrace files as the field writes them (tests/data/cases/xentrace, built to
# Xen's documented layouts): 4.19+ SVM exit records, TSC skew between pCPUs, 384 pCPUs, a
# capture cut by a killed xentrace, records after a lost-records marker.
cases="$top_srcdir/tests/data/cases/xentrace"
. "$top_srcdir/tests/xentrace-lib.sh"
summary() { "$HVBENCH" trace summary "$@" >"$tmp/out" 2>"$tmp/err"; echo $?; }
exits() { # the VM exit lines of the summary: "npf 2 cpuid 1 ioio 1"
	awk '/VM exits:/ {on = 1; next} on && NF >= 2 && $2 ~ /^[0-9]+$/ {printf "%s %s ", $1, $2}' "$tmp/out"
}

# 01: Xen 4.19+ writes AMD exits as TRC_HVM_SVM_EXIT64 (0x81103): the record names the vendor.
check "01 exit code" 0 "$(summary "$cases/01-xen419-svm-exit64.bin")"
check "01 exits by SVM reason" "cpuid 1 ioio 1 npf 2 " "$(exits)"
check "01 no unknown events" 1 "$(grep -c 'unknown events: 0;' "$tmp/out")"
check "01 vendor from the records" 1 "$(grep -c 'exit reasons: svm (from the records)' "$tmp/out")"
check "01 --vendor intel loses to the records" 0 "$(summary --vendor intel "$cases/01-xen419-svm-exit64.bin")"
check "01 ... exits still SVM's" "cpuid 1 ioio 1 npf 2 " "$(exits)"
check "01 ... with a warning" 1 "$(grep -c 'contradicts the trace.s SVM exit records' "$tmp/err")"
"$HVBENCH" trace dump --xen-version 4.20 "$cases/01-xen419-svm-exit64.bin" >"$tmp/out" 2>"$tmp/err"
check "01 dump names the record and reason" 2 "$(grep -c 'hvm.svm_exit64 npf rip 0xffffffff81000000' "$tmp/out")"
# 01b: the same exits as Xen 4.17 writes them (one id for both vendors): still detected.
check "01b exit code" 0 "$(summary "$cases/01b-xen417-vmexit64-control.bin")"
check "01b exits by SVM reason" "cpuid 1 ioio 1 npf 2 " "$(exits)"

# 03: pCPU 1's TSC is 3000 cycles behind pCPU 0's.
check "03 exit code" 0 "$(summary "$cases/03-tsc-skew-2pcpu.bin")"
check "03 warning names the skew" 1 "$(grep -c "pCPU 1's TSC is at least 2950 cycles behind pCPU 0's" "$tmp/err")"
check "03 d1v0 running 4950 (exact: within one pCPU)" 1 "$(grep -c 'running 4950 cyc (2)' "$tmp/out")"
check "03 runnable and wake-up marked uncertain" 1 "$(grep -c 'span pCPUs with skewed TSCs: uncertain' "$tmp/out")"
check "03 report says TSC SKEW" 1 "$(grep -c '^TSC SKEW: pCPU 1 is at least 2950 cycles behind pCPU 0' "$tmp/out")"
summary --metrics "$cases/03-tsc-skew-2pcpu.bin" >/dev/null
check "03 metric marks the skew" 1 "$(grep -c '^xen.tsc_skew_cycles  *2951 cycles$' "$tmp/out")"
# ... and the figures it makes bounds: d1v0's runnable cycle and its one wake-up latency, measured
# from pCPU 0 to the corrected pCPU 1 (the text's "uncertain"), in --metrics and --json too.
check "03 metric marks the runstate bound" 1 "$(grep -c '^xen.runstate_skew_uncertain  *1 cycles$' "$tmp/out")"
check "03 metric marks the wake-up bound" 1 "$(grep -c '^xen.wake_latency_skew_uncertain  *1 wakeups$' "$tmp/out")"
summary --metrics --domain 0 "$cases/03-tsc-skew-2pcpu.bin" >/dev/null
check "03 dom0's figures, within one pCPU, unmarked" 0 "$(grep -c 'skew_uncertain' "$tmp/out")"
summary --json "$cases/03-tsc-skew-2pcpu.bin" >/dev/null
check "03 JSON marks d1v0's sections" "{'runstates': 1, 'wake_latency': 1} {}" "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
m = {x["domid"]: x["vcpus"][0]["tsc_skew_uncertain"] for x in d["domains"]}
print(m[1], m[0])' "$tmp/out" 2>&1)"
summary --metrics "$cases/01b-xen417-vmexit64-control.bin" >/dev/null
check "no skew, no mark" 0 "$(grep -c 'skew' "$tmp/out")"

# 04: 384 pCPUs (xenalyze stops at 256).
check "04 exit code" 0 "$(summary "$cases/04-384-pcpus.bin")"
check "04 records" 1 "$(grep -c '^records 1920 in 36864 bytes, 384 windows' "$tmp/out")"
check "04 every pCPU" 384 "$(grep -c '^ pcpu [0-9]*:$' "$tmp/out")"
check "04 pCPU 383 decoded" 1 "$(grep -c '^ pcpu 383:$' "$tmp/out")"

# 05: xentrace killed: the last record is cut.
check "05 exit code" 0 "$(summary "$cases/05-xentrace-killed-truncated.bin")"
check "05 every whole record" 1 "$(grep -c '^records 2040 ' "$tmp/out")"
check "05 warning with the byte offset" 1 "$(grep -c 'warning: .*: byte 37132: truncated record.*the 2040 whole records' "$tmp/err")"
check "05 report marked" 1 "$(grep -c '^TRUNCATED at byte 37132' "$tmp/out")"
summary --metrics "$cases/05-xentrace-killed-truncated.bin" >/dev/null
check "05 metric marks the cut" 1 "$(grep -c '^xen.trace_truncated_at  *37132 byte$' "$tmp/out")"
check "05b whole: 2041 records" 0 "$(summary "$cases/05b-complete-control.bin")"
check "05b records" 1 "$(grep -c '^records 2041 ' "$tmp/out")"
check "05b not marked" 0 "$(grep -c 'TRUNCATED' "$tmp/out")"
# What a crash or a full disk leaves after a capture: zero fill or garbage where the next window
# belongs, or zero fill inside a window. The whole records before it are kept, the end marked.
{ cat "$cases/05b-complete-control.bin"; head -c 4096 /dev/zero; } >"$tmp/zeros.bin"
check "zeros after the capture: exit 0" 0 "$(summary "$tmp/zeros.bin")"
check "... every whole record" 1 "$(grep -c '^records 2041 ' "$tmp/out")"
check "... marked at the first zero" 1 "$(grep -c '^TRUNCATED at byte 37148 (no xentrace data from here on' "$tmp/out")"
{ cat "$cases/05b-complete-control.bin"; printf 'GARBAGE GARBAGE GARBAGE GARBAGE\n'; } >"$tmp/tailgarbage.bin"
check "garbage after the capture: exit 0" 0 "$(summary "$tmp/tailgarbage.bin")"
check "... every whole record" 1 "$(grep -c '^records 2041 ' "$tmp/out")"
check "... warned with the byte offset" 1 "$(grep -c 'warning: .*: byte 37148: no xentrace data from here on' "$tmp/err")"
{ head -c 20012 "$cases/05b-complete-control.bin"; head -c 4096 /dev/zero; } >"$tmp/zerofill.bin"
check "zero fill inside a window: exit 0" 0 "$(summary "$tmp/zerofill.bin")"
check "... marked where it starts" 1 "$(grep -c '^TRUNCATED at byte 20012 (zero fill inside pCPU' "$tmp/out")"
# Other cuts: inside a later CPU_CHANGE header, inside the first record, nothing at all.
head -c 30 "$cases/05b-complete-control.bin" >"$tmp/cut30.bin"
check "cut in a CPU_CHANGE header: exit 0" 0 "$(summary "$tmp/cut30.bin")"
check "... its whole record" 1 "$(grep -c '^records 1 ' "$tmp/out")"
head -c 20 "$cases/05b-complete-control.bin" >"$tmp/cut20.bin"
check "cut inside the first record: error" 2 "$(summary "$tmp/cut20.bin")"
: >"$tmp/empty.bin"
check "zero-length file: error" 2 "$(summary "$tmp/empty.bin")"
printf 'GARBAGE GARBAGE GARBAGE GARBAGE\n' >"$tmp/garbage.bin"
check "garbage from the first byte: error" 2 "$(summary "$tmp/garbage.bin")"
check "... saying what was expected" 1 "$(grep -c 'not a xentrace file: expected a TRC_TRACE_CPU_CHANGE' "$tmp/err")"

# 06: 500 records lost while d1v0 kept running; Xen's marker names d1v0.
check "06 exit code" 0 "$(summary "$cases/06-lost-records-same-vcpu.bin")"
check "06 d1v0 30 hypercalls" 1 "$(grep -c 'PV hypercalls: 30 ' "$tmp/out")"
check "06 none unattributed" 1 "$(grep -c 'unattributed records: 0;' "$tmp/out")"

# Case 03 rewritten (tests/data/xentrace/tsc): pCPU 1's TSCs 2^63 ahead, pCPU 0's 2^63 ahead, and
# every TSC 20000 cycles short of 2^64. An interval over 2^48 cycles is a corrupt TSC, not a time:
# left out with a warning, never a runstate of 9.2e18 cycles or a "skew" corrected by 2^63.
tsc="$top_srcdir/tests/data/xentrace/tsc"
check "TSC 2^63 ahead: exit 0" 0 "$(summary --metrics "$tsc/high-cpu1.bin")"
check "... no figure from the jump" 0 "$(grep -c 'e+18' "$tmp/out")"
check "... the jumps counted" 1 "$(grep -c '^xen.tsc_jumps  *3 intervals$' "$tmp/out")"
check "... and warned about" 1 "$(grep -c '3 intervals between records are longer than 2^48 cycles.*pCPU 0 and pCPU 1' "$tmp/err")"
check "... no skew found" 0 "$(grep -c 'TSC skew' "$tmp/err")"
summary "$tsc/high-cpu1.bin" >/dev/null
check "... no duration from the jump" 1 "$(grep -c '^records .* over an unknown time (TSC jumps)' "$tmp/out")"
check "other pCPU 2^63 ahead: exit 0" 0 "$(summary "$tsc/high-cpu0.bin")"
check "... report says so" 1 "$(grep -c '^TSC JUMPS: 1 intervals' "$tmp/out")"
"$HVBENCH" trace summary --json "$tsc/high-cpu1.bin" >"$tmp/out" 2>/dev/null
check "... JSON has no negative cycles" 0 "$(grep -c ': *-[0-9]' "$tmp/out")"
check "TSCs near 2^64: skew still found" 0 "$(summary --metrics "$tsc/near-wrap.bin")"
check "... the same 2951 cycles" 1 "$(grep -c '^xen.tsc_skew_cycles  *2951 cycles$' "$tmp/out")"
check "... runnable as in case 03" 1 "$(grep -c '^xen.runstate.runnable  *1 cycles$' "$tmp/out")"
# A trace without VM exits names no exit-reason vendor.
summary "$cases/03-tsc-skew-2pcpu.bin" >/dev/null
check "no exits: no vendor" 1 "$(grep -c 'exit reasons: none (no VM exit records)' "$tmp/out")"

exit $fail
