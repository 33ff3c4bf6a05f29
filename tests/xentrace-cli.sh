#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# hvbench trace on the real traces: exit codes, messages, the metadata file, dump filters.
data="$top_srcdir/tests/data/xentrace"
. "$top_srcdir/tests/xentrace-lib.sh"

"$HVBENCH" trace summary "$data/fresh-pv-workload-all-5s.bin" >"$tmp/out" 2>"$tmp/err"
check "summary exit code" 0 $?
check "cpu frequency unknown is said" 1 "$(grep -c 'cpu frequency unknown' "$tmp/out")"
check "d1 mmu_update" 1 "$(grep -c 'mmu_update  *71608$' "$tmp/out")"

cp "$data/fresh-pv-workload-all-5s.bin" "$tmp/t.bin"
printf '{"format": "hvbench-xentrace-meta", "version": 1, "cpu_hz": 2095984000, "cpu_vendor": "amd",\n "domains": [{"domid": 1, "name": "pv-guest", "mode": "pv"}]}\n' >"$tmp/t.bin.meta.json"
"$HVBENCH" trace summary "$tmp/t.bin" >"$tmp/out" 2>"$tmp/err"
check "summary with metadata" 0 $?
check "cpu-hz from the metadata file" 1 "$(grep -c '(cpu 2095.98 MHz)' "$tmp/out")"
check "domain name from the metadata file" 1 "$(grep -c '^domain 1 pv-guest pv$' "$tmp/out")"
"$HVBENCH" trace summary --cpu-hz 2.1G "$tmp/t.bin" >"$tmp/out" 2>"$tmp/err"
check "--cpu-hz wins over the metadata" 1 "$(grep -c '(cpu 2100.00 MHz)' "$tmp/out")"

"$HVBENCH" trace summary --json "$data/fresh-hvm-workload-all-5s.bin" >"$tmp/json" 2>"$tmp/err"
check "summary --json exit code" 0 $?
check "json has the format tag" 1 "$(grep -c '"format": "hvbench-xentrace-summary"' "$tmp/json")"

"$HVBENCH" trace summary --metrics --domain 3 "$data/fresh-hvm-workload-all-5s.bin" >"$tmp/out" 2>"$tmp/err"
check "metrics: xen.exit.npf absent, xen.exit.vmmcall 1168" 1 "$(grep -c '^xen.exit.vmmcall  *1168 exits$' "$tmp/out")"

: >"$tmp/empty.bin"
"$HVBENCH" trace summary "$tmp/empty.bin" >"$tmp/out" 2>"$tmp/err"
check "empty file exit code" 2 $?
check "empty file message" 1 "$(grep -c 'empty.bin: byte 0: empty file' "$tmp/err")"

head -c 100000 "$data/fresh-pv-workload-all-5s.bin" >"$tmp/cut.bin"
"$HVBENCH" trace summary "$tmp/cut.bin" >"$tmp/out" 2>"$tmp/err"
check "truncated file exit code (a cut capture is summarised)" 0 $?
check "truncated file warning names a byte offset" 1 "$(grep -c 'warning: .*cut.bin: byte [0-9]*: truncated record.*whole records before it' "$tmp/err")"
check "truncated file summary says so" 1 "$(grep -c '^TRUNCATED at byte [0-9]*' "$tmp/out")"
head -c 20 "$data/fresh-pv-workload-all-5s.bin" >"$tmp/cut1.bin"
"$HVBENCH" trace summary "$tmp/cut1.bin" >"$tmp/out" 2>"$tmp/err"
check "cut inside the first record exit code" 2 $?
check "cut inside the first record message" 1 "$(grep -c 'no whole record before it' "$tmp/err")"

tail -c +13 "$data/fresh-pv-workload-all-5s.bin" >"$tmp/nohead.bin"
"$HVBENCH" trace summary "$tmp/nohead.bin" >"$tmp/out" 2>"$tmp/err"
check "missing CPU_CHANGE exit code" 2 $?
check "missing CPU_CHANGE message" 1 "$(grep -c 'not a xentrace file' "$tmp/err")"

"$HVBENCH" trace mask hvm,shed >"$tmp/out" 2>"$tmp/err"
check "mask typo exit code" 2 $?
check "mask typo did-you-mean" 1 "$(grep -c "did you mean 'sched'" "$tmp/err")"
check "mask" "0x002af000 sched,hvm,pv" "$("$HVBENCH" trace mask hvm,sched,pv)"

# dump: HVM exits of d3 between 1 s and 2 s; every line is d3's, inside the window, of class hvm.
"$HVBENCH" trace dump --domain 3 --class hvm --from 1 --to 2 --cpu-hz 2.1G "$data/fresh-hvm-workload-all-5s.bin" >"$tmp/out" 2>"$tmp/err"
check "dump exit code" 0 $?
n=$(wc -l <"$tmp/out")
[ "$n" -gt 100 ] || { echo "FAIL: dump printed only $n lines"; fail=1; }
check "dump: other domains" 0 "$(grep -vc ' d3v0 ' "$tmp/out")"
check "dump: other classes" 0 "$(grep -vc ' hvm\.' "$tmp/out")"
check "dump: outside the window" 0 "$(awk '$1 < 1 || $1 > 2' "$tmp/out" | wc -l)"
"$HVBENCH" trace dump --class hvn "$data/fresh-hvm-workload-all-5s.bin" >"$tmp/out" 2>"$tmp/err"
check "dump bad class exit code" 2 $?
"$HVBENCH" trace dump --from 1 "$data/fresh-hvm-workload-all-5s.bin" >"$tmp/out" 2>"$tmp/err"
check "dump --from without a frequency" 2 $?
exit $fail
