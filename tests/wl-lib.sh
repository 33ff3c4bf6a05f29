# Shared by the workload tests: run a workload for real, read its metrics back,
# compare them. Sourced, not run. Until the agent exists the workloads are run
# through tests/wl-test (the ops table, as the agent calls it).
set -u
: "${top_builddir:=.}" "${top_srcdir:=.}"
WLTEST="$top_builddir/tests/wl-test"
WLOUT=$(mktemp "${TMPDIR:-/tmp}/hvb-wl.XXXXXX")
WLSCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/hvb-wl-scratch.XXXXXX")
trap 'rm -rf "$WLOUT" "$WLSCRATCH"' EXIT
fails=0

# wl_run WORKLOAD [wl-test options] [KEY=VALUE...]: exits 77 when unsupported.
wl_run() {
	rc=0
	"$WLTEST" -t "$WLSCRATCH" "$@" >"$WLOUT" || rc=$?
	if [ "$rc" = 77 ]; then
		cat "$WLOUT"
		exit 77
	fi
	echo "== $*"
	cat "$WLOUT"
	if [ "$rc" != 0 ]; then
		echo "FAIL: $1 exited $rc"
		fails=$((fails + 1))
	fi
	return 0
}

# m NAME: value of a metric from the last run ("" when absent).
m() { awk -v n="$1" '$1 == n { print $2 }' "$WLOUT"; }

# need NAME...: metrics present and finite.
need() {
	for n in "$@"; do
		v=$(m "$n")
		case "$v" in
		""|*nan*|*inf*) echo "FAIL: metric $n missing or not finite ('$v')"; fails=$((fails + 1)) ;;
		esac
	done
}

# rel A OP B WHAT: numeric relation between two values (A and B numbers).
rel() {
	if awk -v a="$1" -v b="$3" -v op="$2" 'BEGIN {
		if (a == "" || b == "") exit 1
		if (op == ">") exit !(a + 0 > b + 0); if (op == ">=") exit !(a + 0 >= b + 0)
		if (op == "<") exit !(a + 0 < b + 0); if (op == "<=") exit !(a + 0 <= b + 0)
		exit 1 }'; then
		echo "ok: $4 ($1 $2 $3)"
	else
		echo "FAIL: $4: expected $1 $2 $3"
		fails=$((fails + 1))
	fi
}

wl_done() {
	[ "$fails" = 0 ] || { echo "$fails failure(s)"; exit 1; }
	exit 0
}
