# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the workload benchmark scripts (not tests): where the build is, and
# small statistics over a column of numbers. Sourced after tests/wl-lib.sh.
# median, mean and coefficient of variation (%) of the numbers on stdin
median() { sort -g | awk '{ a[NR] = $1 } END { if (!NR) exit 1; print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
cov() { awk '{ s += $1; q += $1 * $1; n++ } END { if (n < 2 || s == 0) { print "n/a"; exit }
	m = s / n; v = (q - n * m * m) / (n - 1); if (v < 0) v = 0; printf "%.2f", 100 * sqrt(v) / m }'; }
# hvb_metric METRIC WORKLOAD ARGS...: one agent request, prints one metric ("" on failure)
hvb_metric() {
	metric=$1; shift
	if wl_agent "$@" 2>/dev/null; then m "$metric"; else echo "hvbench $*: $(cat "$WLOUT")" >&2; fi
}
