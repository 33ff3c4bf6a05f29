/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The plots of the HTML report, compare and gate: per group of comparisons
 * sharing a baseline cell, the distribution of every metric (samples, quartile
 * box, median with its confidence interval), the curve of a size series
 * against the working-set size (memlat's lat_ns.SIZE, as lmbench's lat_mem_rd)
 * and the NUMA heat map; over the whole report, the forest plot of every
 * comparison's ratio. Axes are in human units (ns, µs; KiB, MiB; k/s). */
#include "config.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/plot-internal.h"

static const char *const colours[] = { "#4a7ab5", "#d7191c", "#1a9641", "#e6a100", "#7b3294", "#4d4d4d",
					"#01857a", "#c2185b" };
#define NCOLOURS (sizeof(colours) / sizeof(colours[0]))

/* The cells of a group in plot order: the baseline, then each other. */
static const struct hvb_cell_data *group_cell(const struct hvb_cmp *cmps, size_t i, const char **label)
{
	*label = i ? cmps[i - 1].label_b : cmps[0].label_a;
	return i ? cmps[i - 1].b : cmps[0].a;
}

static void xtics(struct hvb_plot_script *sc, const struct hvb_cmp *cmps, size_t n)
{
	char q[200];
	const char *label;

	hvb_plot_add(sc, "set xtics (");
	for (size_t i = 0; i <= n; i++) {
		group_cell(cmps, i, &label);
		hvb_plot_quote(label, q, sizeof(q));
		hvb_plot_add(sc, "%s%s %zu", i ? ", " : "", q, i);
	}
	hvb_plot_add(sc, ")\nset xrange [-0.6:%zu.6]\n", n);
}

/* The scale of a metric over the group's cells: the largest value sets it. */
static void group_scale(const struct hvb_cmp *cmps, size_t n, const char *metric, struct hvb_scale *us)
{
	double top = 0;
	const char *unit = "", *label;

	for (size_t i = 0; i <= n; i++) {
		const struct hvb_series *s = hvb_cell_series(group_cell(cmps, i, &label), metric);
		if (!s)
			continue;
		unit = s->unit;
		for (size_t k = 0; k < s->n; k++)
			if (isfinite(s->v[k]) && fabs(s->v[k]) > top)
				top = fabs(s->v[k]);
	}
	hvb_plot_scale(&top, 1, unit, us);
}

static void median_ci(const struct hvb_series *s, double *med, struct hvb_ci *ci)
{
	*med = hvb_stats_median(s->v, s->n);
	/* the seed of the report's own intervals: the plot shows the table's figures */
	if (hvb_boot_median_ci(s->v, s->n, 0.95, HVB_BOOT_RESAMPLES, 0x5eed, ci) < 0)
		ci->lo = ci->hi = *med;
}

int hvb_plot_distribution(const struct hvb_cmp *cmps, size_t n, const char *metric, char **svg)
{
	struct hvb_plot_script sc = { 0 };
	struct hvb_scale us;
	char title[400];
	const char *label;

	group_scale(cmps, n, metric, &us);
	snprintf(title, sizeof(title), "%s: every sample, quartile box, median and its 95%% CI", metric);
	hvb_plot_preamble(&sc, title, us.unit, 560, 300);
	xtics(&sc, cmps, n);
	hvb_plot_add(&sc, "set boxwidth 0.4\n$b << EOD\n");
	for (size_t i = 0; i <= n; i++) {
		const struct hvb_series *s = hvb_cell_series(group_cell(cmps, i, &label), metric);
		struct hvb_summary su;
		struct hvb_ci ci;
		double med;
		if (!s || !s->n || hvb_stats_summarize(s->v, s->n, &su) < 0)
			continue;
		median_ci(s, &med, &ci);
		hvb_plot_add(&sc, "%zu %.17g %.17g %.17g %.17g %.17g %.17g %.17g\n", i, su.q1 * us.mul, su.min * us.mul,
			     su.max * us.mul, su.q3 * us.mul, med * us.mul, ci.lo * us.mul, ci.hi * us.mul);
	}
	hvb_plot_add(&sc, "EOD\n$p << EOD\n");
	for (size_t i = 0; i <= n; i++) {
		const struct hvb_series *s = hvb_cell_series(group_cell(cmps, i, &label), metric);
		/* A fixed spread across the box so that equal values stay visible. */
		for (size_t k = 0; s && k < s->n; k++)
			hvb_plot_add(&sc, "%.4f %.17g\n",
				     (double)i - 0.15 + 0.3 * (double)k / (double)(s->n > 1 ? s->n - 1 : 1), s->v[k] * us.mul);
	}
	hvb_plot_add(&sc, "EOD\nplot $b using 1:2:3:4:5 with candlesticks whiskerbars lc rgb '#4a7ab5' fs solid 0.25, "
			  "$b using 1:6:6:6:6 with candlesticks lc rgb '#000000' lw 2, "
			  "$p using 1:2 with points pt 7 ps 0.5 lc rgb '#b5504a', "
			  "$b using ($1+0.27):6:7:8 with yerrorbars lc rgb '#000000' pt 7 ps 0.6 lw 1.5\n");
	return hvb_plot_finish(&sc, svg, NULL);
}

/* ---- size series ---- */
int hvb_metric_size(const char *name, char *family, size_t flen, uint64_t *bytes)
{
	const char *dot = strrchr(name, '.');
	uint64_t b;

	/* digits first: "lat_ns.16K", not a probe's "perf.cycles" */
	if (!dot || dot == name || dot[1] < '0' || dot[1] > '9' || hvb_parse_size(dot + 1, &b) < 0 || !b)
		return 0;
	if (family)
		snprintf(family, flen, "%.*s", (int)(dot - name), name);
	if (bytes)
		*bytes = b;
	return 1;
}

/* The group's metrics of the family, sorted by size; returns how many. */
static size_t family_members(const char *const *names, size_t nn, const char *family, const char **out,
			     uint64_t *sizes)
{
	size_t cnt = 0;
	char f[96];
	uint64_t b;

	for (size_t k = 0; k < nn; k++) {
		if (!hvb_metric_size(names[k], f, sizeof(f), &b) || strcmp(f, family))
			continue;
		size_t j = cnt++;
		for (; j > 0 && sizes[j - 1] > b; j--) {
			sizes[j] = sizes[j - 1];
			out[j] = out[j - 1];
		}
		sizes[j] = b;
		out[j] = names[k];
	}
	return cnt;
}

size_t hvb_plot_families(const char *const *names, size_t nn, char (*fam)[96], size_t max)
{
	size_t nf = 0;
	char f[96];

	for (size_t k = 0; k < nn; k++) {
		size_t j;
		if (!hvb_metric_size(names[k], f, sizeof(f), NULL))
			continue;
		for (j = 0; j < nf && strcmp(fam[j], f); j++)
			;
		if (j < nf || nf == max)
			continue;
		/* a curve needs two sizes at least */
		size_t members = 0;
		for (size_t i = 0; i < nn; i++) {
			char g[96];
			members += hvb_metric_size(names[i], g, sizeof(g), NULL) && !strcmp(g, f);
		}
		if (members >= 2)
			snprintf(fam[nf++], sizeof(fam[0]), "%s", f);
	}
	return nf;
}

int hvb_plot_curve(const struct hvb_cmp *cmps, size_t n, const char *const *names, size_t nn, const char *family,
		   char **svg)
{
	struct hvb_plot_script sc = { 0 };
	const char **members = calloc(nn + 1, sizeof(char *)), *label;
	uint64_t *sizes = calloc(nn + 1, sizeof(uint64_t));
	struct hvb_scale us, bs;
	double top = 0;
	char title[400], q[200], tic[64];
	size_t nm;
	int rc;

	if (!members || !sizes) {
		free(members);
		free(sizes);
		return HVB_ENOMEM;
	}
	nm = family_members(names, nn, family, members, sizes);
	const char *unit = "";
	for (size_t i = 0; i <= n; i++)
		for (size_t k = 0; k < nm; k++) {
			const struct hvb_series *s = hvb_cell_series(group_cell(cmps, i, &label), members[k]);
			double med = s && s->n ? hvb_stats_median(s->v, s->n) : NAN;
			if (s)
				unit = s->unit;
			if (isfinite(med) && fabs(med) > top)
				top = fabs(med);
		}
	hvb_plot_scale(&top, 1, unit, &us);
	snprintf(title, sizeof(title), "%s against working-set size: median and 95%% CI", family);
	hvb_plot_preamble(&sc, title, us.unit, 640, 340);
	hvb_plot_add(&sc, "set logscale x 2\nset xlabel 'working-set size'\nset grid xtics ytics\nset yrange [0:*]\n"
			  "set key top left box\nset offsets graph 0.06, graph 0.06, 0, 0\nset xtics (");
	for (size_t k = 0; k < nm; k++) {
		hvb_unit_scale((double)sizes[k], "bytes", &bs);
		bs.decimals = 0;
		hvb_unit_fmt((double)sizes[k], &bs, tic, sizeof(tic));
		size_t off = strlen(tic);
		snprintf(tic + off, sizeof(tic) - off, " %s", bs.unit);
		hvb_plot_quote(tic, q, sizeof(q));
		hvb_plot_add(&sc, "%s%s %llu", k ? ", " : "", q, (unsigned long long)sizes[k]);
	}
	hvb_plot_add(&sc, ")\n");
	for (size_t i = 0; i <= n; i++) {
		hvb_plot_add(&sc, "$c%zu << EOD\n", i);
		for (size_t k = 0; k < nm; k++) {
			const struct hvb_series *s = hvb_cell_series(group_cell(cmps, i, &label), members[k]);
			struct hvb_ci ci;
			double med;
			if (!s || !s->n)
				continue;
			median_ci(s, &med, &ci);
			hvb_plot_add(&sc, "%llu %.17g %.17g %.17g\n", (unsigned long long)sizes[k], med * us.mul,
				     ci.lo * us.mul, ci.hi * us.mul);
		}
		hvb_plot_add(&sc, "EOD\n");
	}
	hvb_plot_add(&sc, "plot ");
	for (size_t i = 0; i <= n; i++) {
		const char *c = colours[i % NCOLOURS];
		group_cell(cmps, i, &label);
		hvb_plot_quote(label, q, sizeof(q));
		hvb_plot_add(&sc, "%s$c%zu using 1:3:4 with filledcurves fs transparent solid 0.2 noborder lc rgb '%s' "
				  "notitle, $c%zu using 1:2 with linespoints pt 7 ps 0.5 lw 1.5 lc rgb '%s' title %s",
			     i ? ", " : "", i, c, i, c, q);
	}
	hvb_plot_add(&sc, "\n");
	rc = hvb_plot_finish(&sc, svg, NULL);
	free(members);
	free(sizes);
	return rc;
}

/* ---- heat maps ---- */
struct heat_pt {
	const char *label, *cpu, *mem;
	double v;
};

/* Distinct labels, in order of first appearance; returns the index of s. */
static size_t label_index(const char **labels, size_t *n, const char *s)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(labels[i], s))
			return i;
	labels[*n] = s;
	return (*n)++;
}

static void node_tics(struct hvb_plot_script *sc, const char *axis, const char **labels, size_t n)
{
	char q[200];

	hvb_plot_add(sc, "set %stics (", axis);
	for (size_t i = 0; i < n; i++) {
		hvb_plot_quote(labels[i], q, sizeof(q));
		hvb_plot_add(sc, "%s%s %zu", i ? ", " : "", q, i);
	}
	hvb_plot_add(sc, ")\nset %srange [-0.5:%zu.5]\n", axis, n ? n - 1 : 0);
}

/* Points by CPU node(s) x memory node(s), each square coloured by its ratio. */
static int heat_draw(const struct heat_pt *pt, size_t np, const char *title, char **svg)
{
	struct hvb_plot_script sc = { 0 };
	const char **xs = calloc(np + 1, sizeof(char *)), **ys = calloc(np + 1, sizeof(char *));
	size_t nx = 0, ny = 0, *stack = calloc((np + 1) * (np + 1), sizeof(size_t));
	char q[200];
	double spread = 0.2;

	if (!xs || !ys || !stack) {
		free(xs);
		free(ys);
		free(stack);
		return HVB_ENOMEM;
	}
	for (size_t i = 0; i < np; i++) {
		label_index(xs, &nx, pt[i].cpu);
		label_index(ys, &ny, pt[i].mem);
		/* the colour range covers the largest effect, at least +-20% */
		if (isfinite(pt[i].v) && fabs(pt[i].v - 1) > spread)
			spread = fabs(pt[i].v - 1);
	}
	hvb_plot_preamble(&sc, title, "memory node(s)", 560, 340);
	hvb_plot_add(&sc, "set xlabel 'CPU node(s)'\nset palette defined (%.6g '#2c7bb6', 1 '#ffffbf', %.6g '#d7191c')\n"
			  "set cbrange [%.6g:%.6g]\nset style fill solid 1 border -1\n",
		     1 - spread, 1 + spread, 1 - spread, 1 + spread);
	node_tics(&sc, "x", xs, nx);
	node_tics(&sc, "y", ys, ny);
	hvb_plot_add(&sc, "$h << EOD\n");
	for (size_t i = 0; i < np; i++)
		hvb_plot_add(&sc, "%zu %zu %.17g\n", label_index(xs, &nx, pt[i].cpu), label_index(ys, &ny, pt[i].mem),
			     pt[i].v);
	hvb_plot_add(&sc, "EOD\n");
	/* Placements on the same nodes (none and interleave, say) share a square: their names stack. */
	for (size_t i = 0; i < np; i++) {
		size_t x = label_index(xs, &nx, pt[i].cpu), y = label_index(ys, &ny, pt[i].mem);
		size_t k = stack[x * (np + 1) + y]++;
		hvb_plot_quote(pt[i].label, q, sizeof(q));
		hvb_plot_add(&sc, "set label %zu sprintf('%%s %%.3f', %s, %.17g) at %zu,%.3f center front\n", i + 1, q,
			     pt[i].v, x, (double)y + 0.3 - 0.15 * (double)k);
	}
	hvb_plot_add(&sc, "plot $h using 1:2:(0.5):(0.5):3 with boxxyerror fc palette\n");
	free(xs);
	free(ys);
	free(stack);
	return hvb_plot_finish(&sc, svg, NULL);
}

static int has_nodes(const struct hvb_cell_data *c) { return c->cpu_nodes[0] && c->mem_nodes[0]; }

static const struct hvb_metric_cmp *find_metric(const struct hvb_cmp *c, const char *metric)
{
	for (size_t k = 0; k < c->nm; k++)
		if (!strcmp(c->m[k].name, metric))
			return &c->m[k];
	return NULL;
}

const char *hvb_heat_metric(const struct hvb_cmp *cmps, size_t n, const char *wanted)
{
	const char *best = NULL;
	double most = -1;

	for (size_t i = 0; i < n; i++) {
		if (!has_nodes(cmps[i].a) || !has_nodes(cmps[i].b))
			continue;
		for (size_t k = 0; k < cmps[i].nm; k++) {
			const struct hvb_metric_cmp *m = &cmps[i].m[k];
			if (m->better == HVB_INFO || !isfinite(m->ratio) || m->ratio <= 0)
				continue;
			if (wanted) {
				if (!strcmp(m->name, wanted))
					return m->name;
				continue;
			}
			/* the effect as a factor either way: x0.5 moves as much as x2 */
			if (fabs(log(m->ratio)) > most) {
				most = fabs(log(m->ratio));
				best = m->name;
			}
		}
	}
	return best;
}

int hvb_plot_heatmap(const struct hvb_cmp *cmps, size_t n, const char *metric, int chosen, char **svg)
{
	struct heat_pt *pt = calloc(n + 1, sizeof(*pt));
	const struct hvb_series *bs = hvb_cell_series(cmps[0].a, metric);
	size_t np = 0;
	char title[400];
	int rc;

	if (!pt || !bs || !bs->n) {
		free(pt);
		return pt ? HVB_EINVAL : HVB_ENOMEM;
	}
	double base = hvb_stats_median(bs->v, bs->n);
	for (size_t i = 0; i <= n; i++) {
		const char *label;
		const struct hvb_cell_data *c = group_cell(cmps, i, &label);
		const struct hvb_series *s = hvb_cell_series(c, metric);
		if (s && s->n && has_nodes(c))
			pt[np++] = (struct heat_pt){ label, c->cpu_nodes, c->mem_nodes, hvb_stats_median(s->v, s->n) / base };
	}
	snprintf(title, sizeof(title), "%s (%s): median / %s's", metric,
		 chosen ? "chosen" : "moved most by placement", cmps[0].label_a);
	rc = np ? heat_draw(pt, np, title, svg) : HVB_EINVAL;
	free(pt);
	return rc;
}

int hvb_plot_heatmap_change(const struct hvb_cmp *cmps, size_t n, const char *metric, int chosen, char **svg)
{
	struct heat_pt *pt = calloc(n + 1, sizeof(*pt));
	size_t np = 0;
	char title[400];
	int rc;

	if (!pt)
		return HVB_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct hvb_metric_cmp *m = find_metric(&cmps[i], metric);
		if (m && isfinite(m->ratio) && has_nodes(cmps[i].b))
			pt[np++] = (struct heat_pt){ cmps[i].b->row.placement, cmps[i].b->cpu_nodes, cmps[i].b->mem_nodes,
						     m->ratio };
	}
	snprintf(title, sizeof(title), "%s (%s): candidate / baseline by placement", metric,
		 chosen ? "chosen" : "the largest change");
	rc = np ? heat_draw(pt, np, title, svg) : HVB_EINVAL;
	free(pt);
	return rc;
}

/* ---- the forest plot ---- */
/* Regressions first, then worse, inconclusive, better, same; the larger change
 * in the worse direction first within each. */
static int rank(const struct hvb_metric_cmp *m)
{
	if (m->regressed)
		return 0;
	switch (m->verdict) {
	case HVB_V_WORSE: return 1;
	case HVB_V_INCONCLUSIVE: return 2;
	case HVB_V_BETTER: return 3;
	default: return 4;
	}
}

static int row_cmp(const void *pa, const void *pb)
{
	const struct hvb_forest_row *a = pa, *b = pb;
	int ra = rank(a->m), rb = rank(b->m);

	if (ra != rb)
		return ra - rb;
	if (a->m->change != b->m->change)
		return a->m->change > b->m->change ? -1 : 1;
	return 0;
}

size_t hvb_forest_rows(const struct hvb_report *r, struct hvb_forest_row **rows)
{
	size_t n = 0, cap = 0;

	*rows = NULL;
	for (size_t s = 0; s < r->nsec; s++)
		for (size_t i = 0; i < r->sec[s].n; i++)
			for (size_t k = 0; k < r->sec[s].cmps[i].nm; k++) {
				const struct hvb_metric_cmp *m = &r->sec[s].cmps[i].m[k];
				if (m->better == HVB_INFO || m->verdict == HVB_V_INFO || m->verdict == HVB_V_MISSING ||
				    !isfinite(m->ratio))
					continue;
				if (n == cap) {
					struct hvb_forest_row *nr = realloc(*rows, (cap = cap ? 2 * cap : 16) * sizeof(**rows));
					if (!nr)
						return n;
					*rows = nr;
				}
				(*rows)[n++] = (struct hvb_forest_row){ &r->sec[s].cmps[i], m };
			}
	/* stable for equal keys: the report's order */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && row_cmp(&(*rows)[j - 1], &(*rows)[j]) > 0; j--) {
			struct hvb_forest_row t = (*rows)[j];
			(*rows)[j] = (*rows)[j - 1];
			(*rows)[j - 1] = t;
		}
	return n;
}

#define FOREST_MAX 150 /* rows drawn; the tables list them all */

static const char *verdict_colour(const struct hvb_metric_cmp *m)
{
	static const char *const c[] = { "#d7191c", "#d7191c", "#e6a100", "#1a9641", "#777777" };
	return c[rank(m)];
}

int hvb_plot_forest(const struct hvb_report *r, char **svg)
{
	struct hvb_plot_script sc = { 0 };
	struct hvb_forest_row *rows;
	size_t n = hvb_forest_rows(r, &rows), shown = n > FOREST_MAX ? FOREST_MAX : n;
	char title[300], lab[300], q[700];
	double lo = 1, hi = 1;
	size_t longest = 10;

	if (!n) {
		free(rows);
		return HVB_EINVAL;
	}
	snprintf(title, sizeof(title), "Every comparison: ratio of medians (other / baseline) and its %.0f%% CI, "
		 "regressions first%s", r->opts.level * 100, shown < n ? " (the first rows only)" : "");
	hvb_plot_preamble(&sc, title, "", 1000, 90 + 16 * (int)shown);
	hvb_plot_add(&sc, "set grid xtics\nset grid noytics\nset xlabel 'ratio (red: worse, green: better, amber: "
			  "inconclusive, grey: same)'\nset ytics scale 0 (");
	for (size_t i = 0; i < shown; i++) {
		const struct hvb_cmp *c = rows[i].c;
		const struct hvb_metric_cmp *m = rows[i].m;
		/* the metric first: a long cell title is cut, never the metric */
		if (strcmp(r->kind, "report"))
			snprintf(lab, sizeof(lab), "%s%s: %.45s", m->regressed ? "REGRESSION " : "", m->name, c->title);
		else
			snprintf(lab, sizeof(lab), "%s %s/%s: %.45s", m->name, c->label_b, c->label_a, c->title);
		if (strlen(lab) > longest)
			longest = strlen(lab);
		hvb_plot_quote(lab, q, sizeof(q));
		hvb_plot_add(&sc, "%s%s -%zu", i ? ", " : "", q, i);
		double l = isfinite(m->ci.lo) ? m->ci.lo : m->ratio, h = isfinite(m->ci.hi) ? m->ci.hi : m->ratio;
		lo = fmin(lo, fmin(l, m->ratio));
		hi = fmax(hi, fmax(h, m->ratio));
	}
	double pad = (hi - lo) * 0.05 + 0.01;
	hvb_plot_add(&sc, ")\nset yrange [-%zu.5:0.5]\nset xrange [%.6g:%.6g]\nset lmargin %zu\n", shown - 1, lo - pad,
		     hi + pad, longest > 98 ? (size_t)100 : longest + 2);
	hvb_plot_add(&sc, "set arrow from 1, graph 0 to 1, graph 1 nohead lc rgb '#000000'\n");
	if (r->opts.min_effect > 0)
		for (int s = -1; s <= 1; s += 2)
			hvb_plot_add(&sc, "set arrow from %.6g, graph 0 to %.6g, graph 1 nohead lc rgb '#999999' dt 2\n",
				     1 + s * r->opts.min_effect, 1 + s * r->opts.min_effect);
	hvb_plot_add(&sc, "$f << EOD\n");
	for (size_t i = 0; i < shown; i++) {
		const struct hvb_metric_cmp *m = rows[i].m;
		hvb_plot_add(&sc, "%.17g -%zu %.17g %.17g %ld\n", m->ratio, i, isfinite(m->ci.lo) ? m->ci.lo : m->ratio,
			     isfinite(m->ci.hi) ? m->ci.hi : m->ratio, strtol(verdict_colour(m) + 1, NULL, 16));
	}
	hvb_plot_add(&sc, "EOD\nplot $f using 1:2:3:4:5 with xerrorbars pt 7 ps 0.7 lw 1.5 lc rgb variable\n");
	free(rows);
	return hvb_plot_finish(&sc, svg, NULL);
}

int hvb_plot_modes(const struct hvb_mode_answer *a, char **svg)
{
	struct hvb_plot_script sc = { 0 };
	const char *modes[HVB_MODES_MAX];
	size_t nmodes = 0;
	struct hvb_scale us;
	double top = 0;
	char title[512], q[200];

	for (size_t p = 0; p < a->npt; p++)
		for (size_t f = 0; f < a->pt[p].nfig; f++) {
			const struct hvb_mode_fig *fg = &a->pt[p].fig[f];
			size_t m;
			for (m = 0; m < nmodes && strcmp(modes[m], fg->mode); m++)
				;
			if (m == nmodes && nmodes < HVB_MODES_MAX)
				modes[nmodes++] = fg->mode;
			if (isfinite(fg->ci.hi) && fabs(fg->ci.hi) > top)
				top = fabs(fg->ci.hi);
		}
	if (!nmodes)
		return HVB_EINVAL;
	hvb_plot_scale(&top, 1, a->unit, &us);
	snprintf(title, sizeof(title), "%s, %s against vCPUs: median and 95%% CI per mode (%s is better)", a->group,
		 a->metric, a->better == HVB_HIGHER ? "higher" : "lower");
	hvb_plot_preamble(&sc, title, us.unit, 640, 340);
	hvb_plot_add(&sc, "set xlabel 'vCPUs'\nset grid xtics ytics\nset yrange [0:*]\nset key outside right box\n"
			  "set offsets graph 0.06, graph 0.06, 0, 0\nset xtics (");
	for (size_t p = 0; p < a->npt; p++)
		hvb_plot_add(&sc, "%s'%d' %d", p ? ", " : "", a->pt[p].vcpus, a->pt[p].vcpus);
	hvb_plot_add(&sc, ")\n");
	if (a->npt > 1 && a->pt[a->npt - 1].vcpus >= 4 * a->pt[0].vcpus)
		hvb_plot_add(&sc, "set logscale x 2\n"); /* 1, 2, 4, 8: evenly apart */
	for (size_t m = 0; m < nmodes; m++) {
		hvb_plot_add(&sc, "$m%zu << EOD\n", m);
		for (size_t p = 0; p < a->npt; p++)
			for (size_t f = 0; f < a->pt[p].nfig; f++) {
				const struct hvb_mode_fig *fg = &a->pt[p].fig[f];
				if (!strcmp(fg->mode, modes[m]))
					hvb_plot_add(&sc, "%d %.17g %.17g %.17g\n", a->pt[p].vcpus, fg->median * us.mul,
						     fg->ci.lo * us.mul, fg->ci.hi * us.mul);
			}
		hvb_plot_add(&sc, "EOD\n");
	}
	hvb_plot_add(&sc, "plot ");
	for (size_t m = 0; m < nmodes; m++) {
		const char *c = colours[m % NCOLOURS];
		hvb_plot_quote(modes[m], q, sizeof(q));
		hvb_plot_add(&sc, "%s$m%zu using 1:3:4 with filledcurves fs transparent solid 0.2 noborder lc rgb '%s' "
				  "notitle, $m%zu using 1:2 with linespoints pt 7 ps 0.6 lw 1.5 lc rgb '%s' title %s",
			     m ? ", " : "", m, c, m, c, q);
	}
	hvb_plot_add(&sc, "\n");
	return hvb_plot_finish(&sc, svg, NULL);
}
