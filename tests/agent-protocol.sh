#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The agent: every malformed request gets an error reply, and the agent goes on.
. "$top_srcdir/tests/lib.sh"

{
	echo '{"v":1,"op":"hello"}'
	echo 'this is not json'
	echo '{"op":"hello"}'
	echo '{"v":2,"op":"hello"}'
	echo '[1,2,3]'
	echo '{"v":1,"op":"dance"}'
	echo '{"v":1,"op":"run","workload":"nosuch"}'
	echo '{"v":1,"op":"run","workload":"memlat","params":{"sizez":"4K"}}'
	echo '{"v":1,"op":"run","workload":"memlat","params":{"sizes":"huge"}}'
	echo '{"v":1,"op":"run","workload":"memlat","params":{"sizes":4096}}'
	echo '{"v":1,"op":"run","workload":"memlat","duration":-1}'
	head -c 1200000 /dev/zero | tr '\0' 'x'; echo
	echo '{"v":1,"op":"run","workload":"memlat","params":{"sizes":"16K"},"duration":0.05,"seed":3}'
	# A NUL byte inside a line: one error reply for the whole line, replies stay in step.
	printf '{"v":1,"op":"hello"}\000{"v":1,"op":"hello"}\n'
	printf '{"v":1,"op":"dance","id":42}\n'
	echo '{"v":1,"op":"quit"}'
	echo '{"v":1,"op":"hello"}'
} > "$T/in"
"$HVBENCH" agent < "$T/in" > "$T/out"
rc=$?
check '[ $rc = 0 ]' "agent exit code $rc"
check '[ $(wc -l < "$T/out") = 16 ]' "expected 16 replies (none after quit), got $(wc -l < "$T/out")"
line() { sed -n "${1}p" "$T/out"; }
check 'line 1 | grep -q "\"ok\":true" && line 1 | grep -q "\"cpus\":"' "hello: $(line 1)"
# The guest kernel's mitigations, every backend alike (the agent reads them itself).
if [ -d /sys/devices/system/cpu/vulnerabilities ]; then
	v=$(ls /sys/devices/system/cpu/vulnerabilities | head -1)
	check 'line 1 | grep -q "\"cpu_vulnerabilities\":{[^}]*\"$v\":"' "hello has no cpu_vulnerabilities.$v: $(line 1)"
fi
# The NUMA nodes the agent's kernel runs with (a split guest's vnuma is checked against it).
nn=$(tr ',' '\n' < /sys/devices/system/node/online 2>/dev/null | awk -F- '{ n += NF == 2 ? $2 - $1 + 1 : 1 } END { print n + 0 }')
[ "${nn:-0}" -ge 1 ] || nn=1
check 'line 1 | grep -q "\"numa_nodes\":$nn[,}]"' "hello's numa_nodes is not this host's $nn: $(line 1)"
check 'line 2 | grep -q "malformed JSON at column"' "garbage: $(line 2)"
check 'line 3 | grep -q "missing"' "no version: $(line 3)"
check 'line 4 | grep -q "mismatch"' "version 2: $(line 4)"
check 'line 5 | grep -q "expected a JSON object"' "array: $(line 5)"
check 'line 6 | grep -q "unknown op .dance."' "op: $(line 6)"
check 'line 7 | grep -q "no workload .nosuch."' "workload: $(line 7)"
check 'line 8 | grep -q "did you mean .sizes."' "param name: $(line 8)"
check 'line 9 | grep -q "a size such as"' "param value: $(line 9)"
check 'line 10 | grep -q "expected a string value"' "param type: $(line 10)"
check 'line 11 | grep -q "out of range"' "duration: $(line 11)"
check 'line 12 | grep -q "longer than 1048576 bytes"' "long line: $(line 12)"
check 'line 13 | grep -q "\"ok\":true" && line 13 | grep -q "lat_ns.16K"' "run: $(line 13)"
check 'line 14 | grep -q "malformed JSON"' "NUL inside a line: $(line 14)"
check 'line 15 | grep -q "\"id\":42"' "the request's id echoed: $(line 15)"
check 'line 16 | grep -q "\"ok\":true"' "quit: $(line 16)"
done_testing
