#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The runner's accounting and its distrust of agents, with an agent that
# misbehaves (--agent PATH): a script that passes each request to the real
# hvbench agent, so that every figure is measured, and spoils the reply as
# $HOSTILE says. Every planned sample must be accounted for, and nothing an
# agent sends that its workload does not document may be stored or printed raw.
. "$top_srcdir/tests/lib.sh"
command -v python3 >/dev/null || skip "python3 is not installed"

cat > "$T/agent" <<'PY'
#!/usr/bin/env python3
import json, os, subprocess, sys, time
mode = os.environ.get("HOSTILE", "")
if mode.startswith("boot-crash"):  # dies before hello, as a guest that crashes while booting
    tag = os.environ["HVB_TEST_TAG"]
    with open(tag + "/boots", "a") as f:
        f.write("x")
    if mode == "boot-crash-always" or not os.path.exists(tag + "/crashed"):
        open(tag + "/crashed", "w").close()
        sys.exit(3)
evil = "E\x1b[31mR\x07</testcase>]]>&[x](http://e)![i](http://e)<script>"
real = subprocess.Popen([os.environ["HVBENCH"], "agent"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
nrun = 0
out = sys.stdout.buffer
for line in sys.stdin.buffer:
    req = json.loads(line)
    real.stdin.write(line)
    real.stdin.flush()
    r = json.loads(real.stdout.readline())
    text = None
    if req.get("op") == "run":
        nrun += 1
        flag = os.environ["HVB_TEST_TAG"] + "/slept"
        if mode == "warmup-timeout" and not os.path.exists(flag):
            open(flag, "w").close()
            time.sleep(60)  # once: the runner kills it first
        elif mode == "undocumented":
            r["metrics"].append({"name": "evil.metric", "value": 1, "unit": "x", "better": "lower"})
        elif mode == "flip":  # a latency said to be better when higher: the gate would judge it backwards
            m = r["metrics"][0]
            m["better"] = "higher" if m["better"] != "higher" else "lower"
        elif mode == "nan":
            r["metrics"][0]["value"] = float("nan")
        elif mode == "huge":
            text = '{"v":1,"ok":true,"pad":"' + "x" * 1200000 + '"}'
        elif mode == "twice":
            text = json.dumps(r) + "\n" + json.dumps(r)
        elif mode == "noid":
            del r["id"]
        elif mode == "evil-error":
            r = {"v": 1, "ok": False, "id": req["id"], "error": evil}
    out.write((text or json.dumps(r)).encode() + b"\n")
    out.flush()
    if req.get("op") == "quit":
        break
PY
chmod +x "$T/agent"
cat > "$T/c.ini" <<'INI'
[experiment]
repetitions = 3
warmup = 1
duration = 20ms
timeout = 3s
[syscall]
INI
run() { # MODE LABEL: runs c.ini with the hostile agent; sets rc and rid
	HOSTILE=$1 "$HVBENCH" run --agent "$T/agent" --label "$2" "$T/c.ini" > "$T/$2.out" 2> "$T/$2.err"
	rc=$?
	rid=$(q "select id from runs where label='$2'")
}
nok() { q "select count(*) from samples x join cells c on x.cell_id=c.id where c.run_id=$rid and x.rep >= 0 and x.status='ok'"; }

# A warm-up that times out takes no repetition's place: all 3 stored, the cell done.
run warmup-timeout wt
check '[ $rc = 0 ]' "warm-up timeout: exit $rc: $(cat "$T/wt.err")"
check '[ "$(nok)" = 3 ]' "warm-up timeout: $(nok) of 3 repetitions ok: $(q "select rep, status, reason from samples")"
check '[ "$(q "select status from cells where run_id=$rid")" = done ]' "warm-up timeout: cell $(q "select status from cells where run_id=$rid")"

# --resume redoes what is missing, even in a cell marked done (as an earlier hvbench did).
q "delete from samples where rep = 0 and cell_id in (select id from cells where run_id=$rid)"
"$HVBENCH" run --resume "$rid" > "$T/resume.out" 2>&1; rc=$?
check '[ $rc = 0 ]' "resume: exit $rc: $(cat "$T/resume.out")"
check '[ "$(nok)" = 3 ]' "resume: $(nok) of 3 repetitions ok"

# Every sample refused: exit 1, run incomplete, the summary names the cell and why,
# and the agent's message reaches the terminal without its control characters.
run evil-error ee
check '[ $rc = 1 ]' "all failed: exit $rc"
check '[ "$(q "select status from runs where id=$rid")" = incomplete ]' "all failed: run $(q "select status from runs where id=$rid")"
check '[ "$(q "select status from cells where run_id=$rid")" = failed ]' "all failed: cell status"
check 'grep -q "1 cell did not produce every sample" "$T/ee.out"' "all failed: summary $(cat "$T/ee.out")"
check '! grep -q "$(printf "\033")" "$T/ee.out" "$T/ee.err"' "an ESC byte reached the terminal"
check '! grep -q "$(printf "\007")" "$T/ee.out" "$T/ee.err"' "a BEL byte reached the terminal"
check 'grep -qF "E\\x1B[31mR\\x07" "$T/ee.out"' "the escaped message: $(cat "$T/ee.out")"

# Metrics the workload does not document: refused with the agent's name, nothing stored.
run undocumented ud
check '[ $rc = 1 ]' "undocumented: exit $rc"
check '[ "$(nok)" = 0 ]' "undocumented: $(nok) samples stored ok"
check '[ "$(q "select count(*) from metrics where name like \"evil%\"")" = 0 ]' "an undocumented metric was stored"
check 'q "select x.reason from samples x join cells c on x.cell_id=c.id where c.run_id=$rid and x.rep=0" | grep -q "agent $T/agent sent metric .evil.metric."' \
	"undocumented: reason $(q "select reason from samples where rep=0")"

# A documented metric with another direction than this build's table: refused, nothing stored.
run flip fl
check '[ $rc = 1 ]' "flipped direction: exit $rc"
check '[ "$(nok)" = 0 ]' "flipped direction: $(nok) samples stored ok"
check 'q "select x.reason from samples x join cells c on x.cell_id=c.id where c.run_id=$rid and x.rep=0" | grep -q "is better, where this build documents"' \
	"flipped direction: reason $(q "select reason from samples where rep=0")"

# NaN, a reply over 1 MiB, two replies to one request, a reply without its id:
# each a failed sample with its reason, and no reply is taken for another's.
for m in nan huge twice noid; do
	run $m $m
	check '[ $rc = 1 ]' "$m: exit $rc"
	check '[ "$(q "select count(*) from samples x join cells c on x.cell_id=c.id where c.run_id=$rid and x.rep >= 0 and (x.status=\"ok\" or x.reason is not null)")" = 3 ]' \
		"$m: every repetition stored, ok or with a reason: $(q "select x.rep, x.status, x.reason from samples x join cells c on x.cell_id=c.id where c.run_id=$rid")"
	[ $m = twice ] || check '[ "$(nok)" = 0 ]' "$m: $(nok) samples ok"
done
check 'q "select x.reason from samples x join cells c on x.cell_id=c.id where c.run_id=$(q "select id from runs where label=\"huge\"")" | grep -q "longer than"' "huge: reason"
check 'q "select x.reason from samples x join cells c on x.cell_id=c.id where c.run_id=$(q "select id from runs where label=\"noid\"")" | grep -q "out of step"' "noid: reason"
# twice: the first reply of each pair is right, the stale second is caught before it can answer the next request.
tw=$(q "select id from runs where label='twice'")
check 'q "select x.reason from samples x join cells c on x.cell_id=c.id where c.run_id=$tw and x.rep >= 0" | grep -q "nobody asked for"' \
	"twice: $(q "select x.rep, x.status, x.reason from samples x join cells c on x.cell_id=c.id where c.run_id=$tw")"
# An agent (a guest) that dies before answering hello is started again once (boot_attempts = 2):
# the cell is done, and its reason says a boot failed and why.
cell_reason() { q "select coalesce(reason, '') from cells where run_id=$rid"; }
rm -f "$HVB_TEST_TAG/crashed" "$HVB_TEST_TAG/boots"
run boot-crash-once bc1
check '[ $rc = 0 ]' "boot crash once: exit $rc: $(cat "$T/bc1.err")"
check '[ "$(nok)" = 3 ]' "boot crash once: $(nok) of 3 repetitions ok"
check '[ "$(q "select status from cells where run_id=$rid")" = done ]' "boot crash once: cell $(q "select status from cells where run_id=$rid")"
check 'cell_reason | grep -q "1 boot failed before the agent answered, the last: .*closed its channel"' "boot crash once: reason '$(cell_reason)'"
check '[ "$(cat "$HVB_TEST_TAG/boots")" = xx ]' "boot crash once: boots $(cat "$HVB_TEST_TAG/boots")"
# Every boot dies: boot_attempts boots, then every repetition failed with the reason.
rm -f "$HVB_TEST_TAG/boots"
sed 's/^warmup = 1$/warmup = 1\nboot_attempts = 3/' "$T/c.ini" > "$T/c3.ini" && mv "$T/c3.ini" "$T/c.ini"
run boot-crash-always bca
check '[ $rc = 1 ]' "boot crash always: exit $rc"
check '[ "$(cat "$HVB_TEST_TAG/boots")" = xxx ]' "boot crash always: boots $(cat "$HVB_TEST_TAG/boots") (boot_attempts = 3)"
check '[ "$(q "select status from cells where run_id=$rid")" = failed ]' "boot crash always: cell $(q "select status from cells where run_id=$rid")"
check 'cell_reason | grep -q "^3 boots failed, the last: agent did not come up"' "boot crash always: reason '$(cell_reason)'"
check '! agents_left' "agents left behind"
done_testing
