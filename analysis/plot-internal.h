/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the plot files only (plot.c, plot-report.c): building a gnuplot
 * script, its terminal and preamble, axes in human units. */
#ifndef HVB_PLOT_INTERNAL_H
#define HVB_PLOT_INTERNAL_H
#include "analysis/analysis.h"

struct hvb_plot_script {
	char *s;
	size_t len, cap;
	int failed; /* out of memory on the way: the plot fails as a whole */
	int png;    /* the PNG terminal instead of SVG */
};
void hvb_plot_add(struct hvb_plot_script *sc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The terminal, the title, the y label, the common style. */
void hvb_plot_preamble(struct hvb_plot_script *sc, const char *title, const char *ylabel, int w, int h);
/* Runs the script and frees it. */
int hvb_plot_finish(struct hvb_plot_script *sc, char **out, size_t *len);
/* The scale (ns or µs, KiB or MiB, k/s) of figures in unit whose largest is in v[0..n). */
void hvb_plot_scale(const double *v, size_t n, const char *unit, struct hvb_scale *sc);
#endif
