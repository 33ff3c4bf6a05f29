# SPDX-License-Identifier: GPL-2.0-or-later
# Analysis: statistics against recorded R/SciPy figures and exact enumeration,
# the gate, report formats (the HTML one rendered in headless Chromium).
if HAVE_GSL
check_PROGRAMS += tests/unit-stats
tests_unit_stats_LDADD = $(HVB_LIBS)
TESTS += tests/unit-stats
check_PROGRAMS += tests/analysis-fixture
tests_analysis_fixture_LDADD = $(HVB_LIBS)
TESTS += tests/gate.sh tests/report.sh tests/report-html.sh tests/report-lab.sh tests/hv-facts.sh
# Many hosts on existing engines: shards, merge, the gate across hosts (issue 21)
TESTS += tests/shard-merge.sh tests/shard-class.sh
# Grant operations and the backends' cost per packet and per request (issue 15)
check_PROGRAMS += tests/backend-cost
tests_backend_cost_LDADD = $(HVB_LIBS)
TESTS += tests/backend-cost tests/report-cost.sh
CLEANFILES += tests/report-html.png
# The plots of report, compare and gate, valid HTML, formats named (issue 20, 5)
TESTS += tests/report-plots.sh
# Which mode wins, the crossover, the gap to native decomposed (issue 17)
check_PROGRAMS += tests/unit-modes
tests_unit_modes_LDADD = $(HVB_LIBS)
TESTS += tests/report-modes.sh
# pvspin on and off against overcommit, the slow path per op (issue 18)
TESTS += tests/report-spin.sh
# The lab's proof of the questions' paths (hv/lab/check-answers.sh), on known figures
TESTS += tests/lab-answers.sh
# benchmark aid, built on demand: make tests/bench/gate-power
EXTRA_PROGRAMS += tests/bench/gate-power
tests_bench_gate_power_LDADD = $(HVB_LIBS)
CLEANFILES += tests/bench/gate-power
endif
EXTRA_DIST += tests/shard-merge.sh tests/shard-class.sh tests/hv-facts.sh tests/gate.sh tests/report.sh tests/report-html.sh tests/report-lab.sh tests/report-cost.sh tests/data/analysis/native-samples.txt \
	tests/data/analysis/lab-smoke.sql
EXTRA_DIST += tests/bench/gate-calibration.sh tests/bench/README-gate.md
EXTRA_DIST += tests/report-plots.sh tests/html-check.py tests/report-modes.sh tests/report-spin.sh tests/lab-answers.sh
