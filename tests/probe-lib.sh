# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the probe tests: run a probe around a command (tests/probe-test run)
# or inside the agent around a workload (guest-side, as the agent does it).
# Sourced, not run; builds on tests/wl-lib.sh (m, need, rel, wl_done).
. "$top_srcdir/tests/wl-lib.sh"
PT="$top_builddir/tests/probe-test"
PERR="$WLSCRATCH/stderr"

# probe_run PROBE [KEY=VALUE...] -- CMD...: metrics in $WLOUT, messages in $PERR;
# returns probe-test's exit code (77: the probe cannot run here).
probe_run() {
	r=0
	"$PT" run "$@" >"$WLOUT" 2>"$PERR" || r=$?
	echo "== probe-test run $*"
	cat "$WLOUT" "$PERR"
	return $r
}

# probe_run_or_skip ARGS...: probe_run; the test is skipped when the probe cannot run.
probe_run_or_skip() {
	rc=0
	probe_run "$@" || rc=$?
	[ "$rc" = 77 ] && exit 77
	if [ "$rc" != 0 ]; then
		echo "FAIL: probe-test run $1 exited $rc"
		fails=$((fails + 1))
	fi
	return 0
}

# agent_probe WORKLOAD 'PARAMS-JSON' PROBE 'PROBE-PARAMS-JSON' [DURATION]: the
# workload runs in `hvbench agent` with PROBE around it; metrics in $WLOUT.
agent_probe() {
	req=$(printf '{"v":1,"op":"run","workload":"%s","params":{%s},"duration":%s,"seed":1,"ncpus":%s,"probes":{"%s":{%s}}}' \
		"$1" "$2" "${5:-0.5}" "$(nproc)" "$3" "$4")
	echo "-> $req"
	r=0
	printf '%s\n' "$req" | TMPDIR="$WLSCRATCH" "$HVBENCH" agent 2>"$PERR" | "$WLTEST" -r >"$WLOUT" || r=$?
	cat "$WLOUT" "$PERR"
	return $r
}

# is A B WHAT: A equals B (as text).
is() {
	if [ "$1" = "$2" ]; then echo "ok: $3 ($1)"; else echo "FAIL: $3: got '$1', expected '$2'"; fails=$((fails + 1)); fi
}

# has FILE PATTERN WHAT: FILE has a line matching PATTERN (grep -E).
has() {
	if grep -Eq "$2" "$1"; then echo "ok: $3"; else echo "FAIL: $3: no line matching '$2'"; fails=$((fails + 1)); fi
}
