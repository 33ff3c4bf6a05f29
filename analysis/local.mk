# SPDX-License-Identifier: GPL-2.0-or-later
# analysis: statistics, comparison, gate, change points, report formats, plots.
# Only the stop rule of adaptive repetitions builds without GSL.
libhvbench_a_SOURCES += analysis/analysis.h analysis/adaptive.c
if HAVE_GSL
libhvbench_a_SOURCES += analysis/stats.c analysis/bootstrap.c analysis/mannwhitney.c analysis/holm.c \
	analysis/verdict.c analysis/rules.c analysis/edivisive.c analysis/load.c analysis/compare.c analysis/numa.c \
	analysis/history.c analysis/format-internal.h analysis/format.c analysis/format-cost.c analysis/format-spin.c analysis/format-numa.c \
	analysis/format-text.c analysis/format-md.c analysis/format-html.c analysis/format-json.c analysis/junit.c \
	analysis/plot.c analysis/plot-internal.h analysis/plot-report.c analysis/plot-numa.c analysis/modes.c
endif
