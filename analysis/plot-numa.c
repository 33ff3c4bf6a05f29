/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Convergence over time: the share of a workload's memory accesses that are
 * local, as the autonuma workload looked during each sample (its
 * numa-convergence.csv artifacts), one line per sample, against the seconds
 * since the sample's threads started. Where automatic NUMA balancing (or a
 * hypervisor's placement) moves memory, the lines climb and settle; under a
 * fixed placement they stay flat. */
#include "config.h"
#include <stdlib.h>
#include <string.h>
#include "analysis/plot-internal.h"

#define MAX_LINES 8 /* samples drawn; a cell's further ones are left out, said in the title */

/* The t_s and local_share columns of one CSV into the script's data block;
 * returns the points written. */
static size_t csv_points(struct hvb_plot_script *sc, const char *csv)
{
	const char *p = strchr(csv, '\n');
	size_t n = 0;

	while (p && *++p) {
		char *end;
		double t = strtod(p, &end), v;
		if (end == p || *end != ',')
			break;
		v = strtod(end + 1, &end);
		if (*end != ',' && *end != '\n' && *end)
			break;
		hvb_plot_add(sc, "%.6g %.6g\n", t, v);
		n++;
		p = strchr(p, '\n');
	}
	return n;
}

int hvb_plot_convergence(const struct hvb_cell_data *c, char **svg)
{
	struct hvb_plot_script sc = { 0 };
	char title[480], cell[300];
	size_t lines = c->nconv < MAX_LINES ? c->nconv : MAX_LINES, drawn = 0;

	*svg = NULL;
	if (!c->nconv)
		return HVB_EINVAL;
	hvb_cell_title(&c->row, cell, sizeof(cell));
	snprintf(title, sizeof(title), "%s placement=%s: local share of memory accesses over the sample%s", cell,
		 c->row.placement, c->nconv > MAX_LINES ? " (the first 8 samples)" : "");
	hvb_plot_preamble(&sc, title, "local share", 560, 300);
	hvb_plot_add(&sc, "set xlabel 's since the threads started'\nset yrange [0:1.05]\nset key bottom right\n");
	for (size_t i = 0; i < lines; i++) {
		hvb_plot_add(&sc, "$s%zu << EOD\n", i);
		drawn += csv_points(&sc, c->conv[i]) > 0;
		hvb_plot_add(&sc, "EOD\n");
	}
	if (!drawn) {
		free(sc.s);
		return HVB_EINVAL;
	}
	hvb_plot_add(&sc, "plot ");
	for (size_t i = 0; i < lines; i++)
		hvb_plot_add(&sc, "%s$s%zu using 1:2 with linespoints title 'sample %zu'", i ? ", " : "", i, i + 1);
	hvb_plot_add(&sc, "\n");
	return hvb_plot_finish(&sc, svg, NULL);
}
